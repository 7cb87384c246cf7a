"""The explorer's charts: house plots on matplotlib `Figure` objects (no pyplot state), as PNG bytes.

Each builder takes a protected `View` and an optional area focus and returns
a new `Figure`; `CHARTS` maps the chart names used by the widgets and the
export to their builders (a registry, not an ``if`` chain).
"""
from __future__ import annotations

import io
from collections.abc import Callable

from matplotlib.figure import Figure

from toolkit.explore.engine import View
from toolkit.model import AREA, KPI
from toolkit.plots import plot_heatmap, plot_kpi_attainment, plot_perception_gap, plot_scorecard, theme
from toolkit.plots.conventions import area_label

#: Screen sizes: smaller type than the slide theme, no constrained layout (it doubles the draw time).
SCREEN_RC = {
    "figure.constrained_layout.use": False, "font.size": 10, "axes.titlesize": 12, "axes.labelsize": 10,
    "axes.titlepad": 8, "xtick.labelsize": 9, "ytick.labelsize": 9, "legend.fontsize": 8,
}
SCREEN_DPI = 80
WIDTH = 9.0

ChartBuilder = Callable[[View, "str | None"], Figure]


def _safe(text: str) -> str:
    """Client text for a matplotlib title (the house theme draws text literally: no mathtext)."""
    return str(text)


def _subtitle(view: View, area: str | None) -> str:
    parts = [view.filters.describe()]
    if area:
        parts.append(area_label(area))
    return _safe(" · ".join(parts))


def _figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH, height), dpi=SCREEN_DPI)


def scorecard_figure(view: View, area: str | None = None) -> Figure:
    """Alignment by area with 90 % intervals (`plot_scorecard`); suppressed areas read "suppressed"."""
    with theme(SCREEN_RC):
        fig = _figure(3.6)
        ax = fig.add_subplot()
        plot_scorecard(view.assessment.areas, ax=ax,
                       title=f"Alignment by area — {_subtitle(view, None)}")
        ax.title.set_fontsize(11)
        fig.subplots_adjust(left=0.2, right=0.97, top=0.70, bottom=0.15)
    return fig


def heatmap_figure(view: View, area: str | None = None) -> Figure:
    """Perception by department x area (`plot_heatmap`); suppressed cells hatched."""
    depts = view.assessment.departments
    n = max(int(depts["department"].nunique()), 1) if len(depts) else 1
    with theme(SCREEN_RC):
        fig = _figure(min(1.3 + 0.32 * n, 14.0))
        ax = fig.add_subplot()
        plot_heatmap(depts, ax=ax, title=f"Perception by department — {_subtitle(view, None)}")
        ax.title.set_fontsize(11)
        fig.subplots_adjust(left=0.24, right=0.98, top=1 - 0.75 / fig.get_figheight(),
                            bottom=0.55 / fig.get_figheight())
    return fig


def message_figure(title: str, message: str, height: float = 1.6) -> Figure:
    """A chart-sized figure that says why there is no chart (e.g. "not applicable")."""
    with theme(SCREEN_RC):
        fig = _figure(height)
        fig.text(0.02, 0.78, _safe(title), fontsize=11, fontweight="bold", va="top")
        fig.text(0.02, 0.42, _safe(message), fontsize=10, va="top", color="#444444", wrap=True)
    return fig


def gap_figure(view: View, area: str | None = None) -> Figure:
    """Perception gap between levels (`plot_perception_gap`), one area or all.

    Inside a one-level view there is no other level to compare with: the chart
    says "not applicable" (nothing is hidden), never "suppressed".
    """
    if view.filters.level is not None:  # a gap between levels does not exist inside one level
        return message_figure(f"Perception gap between levels — {_subtitle(view, area)}",
                              f"Not applicable: this view holds one level ({view.filters.level}), and the gap "
                              "compares levels. Choose \"All levels\" to see it."
                              + ("" if view.hidden else " Nothing is suppressed."))
    gaps = view.assessment.perception_gaps
    if area:
        gaps = gaps.loc[gaps[AREA] == area]
    with theme(SCREEN_RC):
        fig = _figure(2.1 + 0.35 * max(len(gaps), 1))
        ax = fig.add_subplot()
        plot_perception_gap(gaps, ax=ax, title=f"Perception gap between levels — {_subtitle(view, area)}")
        ax.title.set_fontsize(11)
        fig.subplots_adjust(left=0.24, right=0.95, top=1 - 1.05 / fig.get_figheight(),
                            bottom=0.6 / fig.get_figheight())
    return fig


def kpi_figure(view: View, area: str | None = None) -> Figure:
    """KPI attainment by department (`plot_kpi_attainment`), one area's KPIs or all."""
    a = view.assessment
    rows = a.kpi_departments
    if area:
        ids = set(a.kpis.loc[a.kpis[AREA] == area, KPI])
        rows = rows.loc[rows[KPI].isin(ids)]
    labels = dict(zip(a.kpis[KPI], a.kpis["name"], strict=True))
    n_depts = int(rows["department"].nunique()) if len(rows) else 1
    with theme(SCREEN_RC):
        fig = _figure(3.6 + 0.2 * ((n_depts - 1) // 6))
        ax = fig.add_subplot()
        # operations have no level: only the department filter applies to KPIs
        scope = _safe(f"department {view.filters.department}" if view.filters.department else "all departments")
        if area:
            scope += f" · {area_label(area)}"
        plot_kpi_attainment(rows, ax=ax, kpi_labels=labels, target_line=None, title=f"KPI attainment — {scope}")
        ax.title.set_fontsize(11)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.72 - 0.04 * ((n_depts - 1) // 6), bottom=0.16)
    return fig


CHARTS: dict[str, ChartBuilder] = {
    "scorecard": scorecard_figure,
    "heatmap": heatmap_figure,
    "perception_gap": gap_figure,
    "kpi_attainment": kpi_figure,
}


def stamped_png(fig: Figure, stamp: str, dpi: int = SCREEN_DPI) -> bytes:
    """The figure as PNG bytes with ``stamp`` (client, wave, date, what-if) along its bottom edge.

    The stamp is removed again afterwards, so the figure the widgets cache is unchanged.
    """
    with theme(SCREEN_RC):
        height = fig.get_figheight()
        fig.set_figheight(height + 0.3)
        fig.subplots_adjust(bottom=fig.subplotpars.bottom * height / (height + 0.3) + 0.3 / (height + 0.3),
                            top=fig.subplotpars.top * height / (height + 0.3))
        artist = fig.text(0.01, 0.012, _safe(stamp), fontsize=8, color="#444444", va="bottom")
    try:
        return render_png(fig, dpi=dpi)
    finally:
        artist.remove()
        fig.subplots_adjust(bottom=(fig.subplotpars.bottom * (height + 0.3) - 0.3) / height,
                            top=fig.subplotpars.top * (height + 0.3) / height)
        fig.set_figheight(height)


def render_png(fig: Figure, dpi: int = SCREEN_DPI) -> bytes:
    """The figure as PNG bytes (Agg canvas; no pyplot, no global state)."""
    buf = io.BytesIO()
    with theme(SCREEN_RC):
        # zlib level 1: a few ms faster than the default, the file barely larger
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white", pil_kwargs={"compress_level": 1})
    return buf.getvalue()
