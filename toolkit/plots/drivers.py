"""Key drivers: each area's share of what explains the outcome, with its bootstrap interval."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from toolkit.plots.conventions import (
    area_label,
    area_sort_key,
    as_frame,
    categorical_ticks,
    check_columns,
    draw_empty,
    get_ax,
    numbers,
)
from toolkit.plots.theme import GREY, OKABE_ITO, TEXT_COLOR

TOP_COLOR = OKABE_ITO["blue"]


def plot_drivers(data: pd.DataFrame, *, area: str = "area", weight: str = "relative_weight",
                 lo: str | None = "relative_lo", hi: str | None = "relative_hi", top: str | None = None,
                 title: str | None = "What drives the outcome", ax: Axes | None = None,
                 **kwargs: Any) -> Axes:
    """One horizontal bar per area: its relative weight (% of R²) with interval whiskers.

    Parameters
    ----------
    data
        ``Assessment.drivers``: ``area, relative_weight, relative_lo, relative_hi``.
    area
        Column with area ids (method order, display names).
    weight
        Column with the relative weight in % of the explained variance (0-100).
    lo, hi
        Columns with the interval bounds; None to draw no whiskers.
    top
        Area id of the named top driver (drawn in the accent colour, the
        others in grey); None when no area is reliably first.
    title
        Axes title; None for none.
    ax
        Axes to draw on; the current Axes by default.
    **kwargs
        Passed to `matplotlib.axes.Axes.barh`.

    Returns
    -------
    Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        When a column argument names no column of `data`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> frame = pd.DataFrame({"area": ["customer_experience", "proven_processes"],
    ...                       "relative_weight": [70.0, 30.0], "relative_lo": [55.0, 15.0],
    ...                       "relative_hi": [85.0, 45.0]})
    >>> [round(p.get_width()) for p in plot_drivers(frame, top="customer_experience").patches]
    [70, 30]
    """
    data = as_frame(data)
    check_columns(data, area=area, weight=weight, lo=lo, hi=hi)
    data = data.iloc[np.argsort(area_sort_key(data[area].astype(str)), kind="stable")]
    ax = get_ax(ax)
    values = numbers(data, weight)
    if data.empty or np.isnan(values).all():
        return draw_empty(ax, title)
    positions = np.arange(len(data), dtype=float)
    ids = list(data[area].astype(str))
    colors = [TOP_COLOR if a == top else GREY for a in ids]
    ax.barh(positions, np.nan_to_num(values), height=kwargs.pop("height", 0.55), color=colors, zorder=2,
            **kwargs)
    if lo is not None and hi is not None:
        low, high = numbers(data, lo), numbers(data, hi)
        ok = ~(np.isnan(low) | np.isnan(high) | np.isnan(values))
        # A percentile interval need not contain the point estimate (a skewed bootstrap): no whisker on that side.
        minus, plus = np.clip(values[ok] - low[ok], 0, None), np.clip(high[ok] - values[ok], 0, None)
        ax.errorbar(values[ok], positions[ok], xerr=[minus, plus], fmt="none",
                    ecolor=TEXT_COLOR, elinewidth=1.2, capsize=4, zorder=3, gid="interval")
    for i, v in enumerate(values):
        if not np.isnan(v):
            right = numbers(data, hi)[i] if hi is not None else v
            ax.annotate(f"{v:.0f}%", (max(v, right if not np.isnan(right) else v), positions[i]),
                        xytext=(6, 0), textcoords="offset points", va="center", fontsize="small",
                        fontweight="bold" if ids[i] == top else "normal", color=TEXT_COLOR, gid="value")
    categorical_ticks(ax, positions, [area_label(a) for a in ids])
    ax.set_ylim(len(data) - 0.4, -0.6)
    ax.set_xlim(0, 108)
    ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("Share of the explained variance of the outcome (relative weight, 90 % interval)")
    if title:
        ax.set_title(title)
    return ax
