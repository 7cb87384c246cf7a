"""KPI attainment by department: the share of periods each department met the KPI's target."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from toolkit.plots.conventions import (
    MISSING_TEXT,
    as_frame,
    check_columns,
    draw_empty,
    get_ax,
    numbers,
    wrap,
)
from toolkit.plots.theme import CATEGORY_COLORS, GREY, TEXT_COLOR


def plot_kpi_attainment(data: pd.DataFrame, *, kpi: str = "kpi_id", department: str = "department",
                        attainment: str = "attainment", kpi_labels: Mapping[str, str] | None = None,
                        target_line: float | None = None, value_labels: bool | None = None,
                        title: str | None = "KPI attainment by department",
                        ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Grouped vertical bars: one group per KPI, one bar (colour) per department.

    Parameters
    ----------
    data
        ``Assessment.kpi_departments``: one row per KPI and department, attainment in %.
    kpi
        Column with the KPI id (groups, in order of first appearance).
    department
        Column with the department (bar colour, legend; order of first appearance).
    attainment
        Column with the % of periods on target (0-100); NaN is written "no data".
    kpi_labels
        KPI id -> display name for the x axis (e.g. from ``Assessment.kpis``).
    target_line
        Attainment (%) at which to draw a dashed reference line; None for none.
    value_labels
        Write each bar's value above it; default only when there are at most 24 bars.
    title
        Axes title; None for none.
    ax
        Axes to draw on; the current Axes by default.
    **kwargs
        Passed to `matplotlib.axes.Axes.bar` (called once per department).

    Returns
    -------
    Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        When a column argument names no column of `data`.
    """
    data = as_frame(data)
    check_columns(data, kpi=kpi, department=department, attainment=attainment)
    ax = get_ax(ax)
    if data.empty:
        return draw_empty(ax, title)

    kpis = list(dict.fromkeys(data[kpi].astype(str)))
    depts = list(dict.fromkeys(data[department].astype(str)))
    n = max(len(depts), 1)
    width = 0.8 / n
    values = numbers(data, attainment)
    label_values = value_labels if value_labels is not None else len(data) <= 24
    for d_i, dept in enumerate(depts):
        rows = np.flatnonzero(data[department].astype(str).to_numpy() == dept)
        xs = np.array([kpis.index(str(data[kpi].iloc[r])) + (d_i - (n - 1) / 2) * width for r in rows])
        vs = values[rows]
        ok = ~np.isnan(vs)
        ax.bar(xs[ok], vs[ok], width=width * 0.9, label=dept,
               color=CATEGORY_COLORS[d_i % len(CATEGORY_COLORS)],
               edgecolor="#333333" if d_i % len(CATEGORY_COLORS) == 7 else "none", zorder=2,
               **kwargs)
        for x, v in zip(xs, vs, strict=True):
            if np.isnan(v):
                ax.text(x, 1.5, MISSING_TEXT, rotation=90, ha="center", va="bottom",
                        fontsize="x-small", fontstyle="italic", color="#555555", gid="missing")
            elif label_values:
                ax.text(x, v + 1.5, f"{v:.0f}", ha="center", va="bottom", fontsize="x-small",
                        color=TEXT_COLOR, gid="value")

    if target_line is not None:
        ax.axhline(target_line, color=GREY, linestyle=(0, (4, 4)), linewidth=1.2, zorder=1)
    names = [(kpi_labels or {}).get(k, k) for k in kpis]
    ax.set_xticks(np.arange(len(kpis)), [wrap(s, 16) for s in names])
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.5, len(kpis) - 0.5)
    ax.set_ylim(0, 110)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_ylabel("Periods on target (%)")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=min(len(depts), 6),
              borderaxespad=0.2, handlelength=1.2, columnspacing=1.0)
    if title:
        ax.set_title(title, pad=44 + 26 * ((len(depts) - 1) // 6))
    return ax
