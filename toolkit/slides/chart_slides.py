"""Chart slides: one house-style chart under the plan's action title.

Titles, kickers and captions come from the deck plan (`toolkit.deck.plan`),
so charts are drawn without their own title.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from toolkit.deck.plan import PlannedSlide, consistency_judged
from toolkit.findings.wording import interval_text
from toolkit.model import AREA_LABELS
from toolkit.slides.html_parts import CHART_SIZE, Slide, caption, chart, esc, section

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from toolkit.story import Story


def scorecard_slide(story: Story, spec: PlannedSlide) -> Slide:
    """Alignment per area with 90 % intervals, coloured by band."""
    from toolkit.plots import plot_scorecard

    areas = story.assessment.areas
    # Shorter than other charts: the "how to read" strip sits under it.
    body = chart(lambda ax: plot_scorecard(areas, ax=ax, title=None), size=(11.6, 3.7), alt="Alignment scorecard by area")
    body += how_to_read(story) + norms_caption(story)
    return section(spec.title, body, kicker=spec.kicker)


def weight_slide(story: Story, spec: PlannedSlide) -> Slide:
    """Strategic weight against alignment: what to fix first."""
    from toolkit.plots import plot_weight_alignment

    areas = story.assessment.areas
    body = chart(lambda ax: plot_weight_alignment(areas, ax=ax, title=None), alt="Strategic weight versus alignment")
    body += caption(spec.caption)
    return section(spec.title, body, kicker=spec.kicker)


def heatmap_slide(story: Story, spec: PlannedSlide) -> Slide:
    """Perception by department and area; small groups are suppressed, not shown."""
    from toolkit.plots import plot_heatmap

    depts = story.assessment.departments
    if depts.empty:
        return None  # type: ignore[return-value]
    n_depts = depts["department"].nunique()
    units = units_caption(story)
    # The between-unit caption takes about two lines: the chart gives up that room so the slide still fits.
    height = min(4.6, 1.4 + 0.42 * n_depts) - (0.9 if units else 0.0)
    k = story.client.config.min_consistency_group
    judged = department_consistency(depts)
    if judged.empty:  # nobody to judge: the perception heatmap alone, full width
        body = chart(lambda ax: plot_heatmap(depts, ax=ax, title=None), size=(11.6, height),
                     alt="Department by area heatmap")
    else:
        # Perception (what each department rates) beside consistency (how far its people agree).
        # Two grids side by side: as tables, so area names wrap cleanly in half the width.
        perception = score_table(judged, row="department", col="area", corner="Department", fixed=True)
        table = score_table(judged, row="department", col="area", corner="Department", value="consistency",
                            blank="too few", fixed=True)
        body = (f'<div class="oat-cols"><div class="oat-col-half"><h3>Perception</h3>{perception}</div>'
                f'<div class="oat-col-half"><h3>Consistency: how far people agree</h3>{table}</div></div>')
    few = (f" “Too few”: agreement within a group needs {k} respondents."
           if not judged.empty and judged["consistency"].isna().any() else "")
    body += score_legend() + caption(spec.caption + few)
    n = depts["n"].max() if "n" in depts else 0
    if judged.empty and n == n and n < k:
        body += caption(f"Consistency by department is not shown: agreement within a group needs {k} "
                        f"respondents, and the largest department has {int(n)}.")
    body += units
    return section(spec.title, body, kicker=spec.kicker)


def units_caption(story: Story) -> str:
    """Method v2 (DESIGN 2.1): do departments differ (ICC(1), permutation test), the named outlier unit,
    and which department consistencies are too few to judge."""
    a = story.assessment
    parts = []
    units = getattr(a, "between_units", None)
    if units is not None and len(units):
        differ = [AREA_LABELS.get(r["area"], r["area"]) for _, r in units.iterrows() if r["departments_differ"]]
        parts.append("Departments differ beyond chance (ICC(1), permutation test, p < 0.05) in "
                     + ", ".join(differ) + "." if differ else
                     "No area shows departments differing beyond what reshuffling people gives by chance.")
        shown = set(a.departments.loc[~a.departments.get("suppressed", pd.Series(False, index=a.departments.index))
                                      .fillna(False).astype(bool), "department"])
        for _, r in units.iterrows():
            if r["outlier"] and r["outlier"] in shown:
                parts.append(f"{r['outlier']} sits {abs(r['outlier_gap']):.0f} points below the other departments "
                             f"in {AREA_LABELS.get(r['area'], r['area'])} (95 % interval "
                             f"{interval_text(abs(r['outlier_hi']), abs(r['outlier_lo']))} below).")
    return f'<p class="oat-caption">{esc(" ".join(parts))}</p>' if parts else ""


def perception_gap_slide(story: Story, spec: PlannedSlide) -> Slide:
    """Executive vs manager / frontline perception gaps per area."""
    from toolkit.plots import plot_perception_gap

    gaps = story.assessment.perception_gaps
    if gaps.empty or gaps["gap"].isna().all():
        return section(spec.title,
                       '<p class="oat-lead">Level groups are too small to compare without identifying people; no gap is shown.</p>',
                       kicker=spec.kicker)
    flagged = gaps[gaps["flagged"].fillna(False).astype(bool)]
    levels = level_grid(story.assessment.levels)
    # The blind-spot intervals and the legend take lines: the chart gives up that room so the slide still fits.
    w, h = CHART_SIZE
    size = (w * 0.6, h - 1.0) if len(levels) else (w, h - (1.0 if len(flagged) else 0.4))
    def draw(ax: Axes) -> None:
        plot_perception_gap(gaps, ax=ax, title=None)
        if len(levels):  # the column heading says what the axis measures; the long label would not fit
            ax.set_xlabel("Points")

    gap_chart = chart(draw, size=size, alt="Perception gap by level")
    if len(levels):
        # Levels x areas (what each level rates) beside the gaps between them (what the finding is about).
        grid = ('<h3>Perception by level</h3>'
                + score_table(levels, row="area", col="level", corner="Area") + score_legend())
        body = (f'<div class="oat-cols"><div class="oat-col-side">{grid}</div>'
                f'<div class="oat-col-chart"><h3>Executives minus each level, in points</h3>{gap_chart}</div></div>')
    else:
        body = gap_chart
    body += caption(spec.caption)
    if len(flagged):
        detail = "; ".join(f"{AREA_LABELS.get(r['area'], r['area'])}, {r['group_a']} vs {r['group_b']}: "
                           f"{r['gap']:+.0f} points (95 % interval {interval_text(r['lo'], r['hi'])})"
                           for _, r in flagged.iterrows() if "lo" in flagged)
        body += (f'<p class="oat-caption">{len(flagged)} blind spot{"s" if len(flagged) > 1 else ""}, highlighted: gaps of 10 points or more whose '
                 f'95 % interval, adjusted for the {int(gaps["p_value"].notna().sum())} comparisons made, excludes '
                 f'zero. {esc(detail)}.</p>')
    else:
        body += ('<p class="oat-caption">No leadership blind spot: no gap reaches 10 points with an interval, '
                 'adjusted for the number of comparisons, that excludes zero.</p>')
    return section(spec.title, body, kicker=spec.kicker)


def level_grid(levels: pd.DataFrame) -> pd.DataFrame:
    """``Assessment.levels`` for the levels x areas grid: areas by label in method order, levels top down."""
    if levels is None or levels.empty or "level" not in levels:
        return pd.DataFrame()
    from toolkit.model import AREAS, LEVELS

    out = levels.assign(_a=levels["area"].map({a: i for i, a in enumerate(AREAS)}),
                        _o=levels["level"].map({lv: i for i, lv in enumerate(LEVELS)}).fillna(len(LEVELS)))
    out = out.sort_values(["_a", "_o"], kind="mergesort").drop(columns=["_a", "_o"])
    return out.assign(level=out["level"].astype(str).str.capitalize(),
                      area=out["area"].map(lambda a: AREA_LABELS.get(a, a)))


def department_consistency(depts: pd.DataFrame) -> pd.DataFrame:
    """Departments x areas with area labels, or empty when no department has enough people to judge."""
    if depts.empty or not consistency_judged(depts):
        return pd.DataFrame()
    return depts.assign(area=depts["area"].map(lambda a: AREA_LABELS.get(a, a)))


def score_table(data: pd.DataFrame, *, row: str, col: str, corner: str, value: str = "perception",
                blank: str = "no data", fixed: bool = False) -> str:
    """A 0–100 grid as an HTML table, cells in the heatmap's colours.

    Cells privacy hid read "suppressed"; cells with no value read ``blank``.
    ``fixed`` gives every value column the same width (for two grids side by side).
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from toolkit.plots.heatmap import heatmap_grid, ink_on
    from toolkit.plots.theme import SCORE_CMAP

    cmap = colormaps[SCORE_CMAP] if isinstance(SCORE_CMAP, str) else SCORE_CMAP
    rows, cols, cells = heatmap_grid(data, row=row, col=col, value=value, blank=blank)
    body = []
    for r in rows:
        tds = []
        for c in cols:
            v = cells.get((r, c), blank)
            if isinstance(v, str):
                tds.append(f'<td class="oat-cell oat-cell-hidden">{esc(v)}</td>')
            else:
                fill = cmap(v / 100.0)
                tds.append(f'<td class="oat-cell" style="background:{to_hex(fill)};color:{ink_on(fill)}">{v:.0f}</td>')
        body.append(f"<tr><th>{esc(r)}</th>{''.join(tds)}</tr>")
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    return (f'<table class="oat-table oat-grid{" oat-grid-fixed" if fixed else ""}"><thead><tr><th>{esc(corner)}</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def drivers_slide(story: Story, spec: PlannedSlide) -> Slide:
    """Key drivers: each area's relative weight on the outcome, the top one named only when reliable."""
    from toolkit.plots.drivers import plot_drivers

    frame = story.assessment.drivers
    assert frame is not None, "the plan shows this slide only with a drivers table"
    top = frame.attrs.get("top") or None
    body = chart(lambda ax: plot_drivers(frame, top=top, ax=ax, title=None), size=(11.6, 4.0),
                 alt="Key drivers of the outcome")
    return section(spec.title, body + caption(spec.caption), kicker=spec.kicker)


def drift_slide(story: Story, spec: PlannedSlide) -> Slide | None:
    """Change since the previous wave, only where there is one."""
    from toolkit.plots import plot_drift

    drift = story.assessment.drift
    if drift is None or len(drift) == 0:
        return None
    shown = drift[drift["metric"] == "alignment"] if "metric" in drift else drift
    # Shorter than other charts: up to three sentences sit under it.
    body = chart(lambda ax: plot_drift(shown, ax=ax, title=None), size=(11.6, 3.7), alt="Drift since the previous wave")
    moved = [f for f in story.findings.candidates if f.kind == "drift"]
    if moved:  # largest (weighted) change first, every one of them: none is left out
        body += '<ul class="oat-points oat-small">' + "".join(f"<li>{esc(f.sentence)}</li>" for f in moved) + "</ul>"
    else:
        body += '<p class="oat-caption">No change since the last wave is larger than its uncertainty.</p>'
    return section(spec.title, body + caption(spec.caption), kicker=spec.kicker)


def benchmark_slide(story: Story, spec: PlannedSlide) -> Slide | None:
    """Percentile of each area among the firm's other clients (when ≥ 5 exist)."""
    from toolkit.plots import plot_benchmark

    bench = story.assessment.benchmark
    if bench is None or len(bench) == 0:
        return None
    body = chart(lambda ax: plot_benchmark(bench, ax=ax, title=None), size=(11.6, 4.2), alt="Benchmark percentiles")
    body += caption(spec.caption)
    return section(spec.title, body, kicker=spec.kicker)


def how_to_read(story: Story) -> str:
    """The "how to read" strip, where numbers first appear (`toolkit.deck.plan.how_to_read`'s lines)."""
    from toolkit.deck.plan import how_to_read as lines

    parts = [f"<b>{esc(label)}</b> {esc(text)}" for label, text in lines(story)]
    return '<div class="oat-howto"><span>How to read</span>' + "".join(f"<p>{p}</p>" for p in parts) + "</div>"


def score_legend() -> str:
    """Colour legend of the 0–100 score colours (the heatmap's), with the bands."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from toolkit.plots.theme import SCORE_CMAP

    cmap = colormaps[SCORE_CMAP] if isinstance(SCORE_CMAP, str) else SCORE_CMAP
    stops = [(30, "below 60: misaligned"), (67, "60–74: partly aligned"), (90, "75 and above: aligned")]
    items = "".join(f'<span class="oat-swatch" style="background:{to_hex(cmap(v / 100))}"></span>{esc(t)}'
                    for v, t in stops)
    return f'<p class="oat-legend">{items}</p>'


def norms_caption(story: Story) -> str:
    """With fewer than 5 other clients of the firm: each area's favourable % against the norm, naming it."""
    from toolkit.findings.context import visible
    from toolkit.model import AREA_LABELS
    from toolkit.norms import area_norm_percentiles, default_norms

    if story.assessment.benchmark is not None and len(story.assessment.benchmark):
        return ""
    norms = default_norms()
    if norms is None:
        return ""
    rows = visible(story.assessment.areas)
    fav = {a: float(rows.loc[a, "favourable"]) for a in rows.index if rows.loc[a, "favourable"] == rows.loc[a, "favourable"]}
    pct = area_norm_percentiles(fav, norms)
    if not pct:
        return ""
    parts = " · ".join(f"{AREA_LABELS[a]} {p:.0f}th" for a, p in pct.items())
    return caption(f"Benchmark (fewer than 5 other clients, so against norms: {norms['source'].iloc[0]}, "
                   f"{norms['year'].iloc[0]}): favourable % percentile, {parts}.")
