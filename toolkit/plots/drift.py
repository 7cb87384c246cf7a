"""Drift since the last wave: a dumbbell per area, significant changes emphasised."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from toolkit.plots.conventions import (
    area_label,
    area_sort_key,
    as_frame,
    categorical_ticks,
    check_columns,
    draw_empty,
    flags,
    get_ax,
    hide,
    mark_absent,
    numbers,
    optional_column,
)
from toolkit.plots.theme import GREY, OKABE_ITO, TEXT_COLOR

UP_COLOR = OKABE_ITO["blue"]
DOWN_COLOR = OKABE_ITO["vermillion"]


def plot_drift(data: pd.DataFrame, *, area: str = "area", previous: str = "previous",
               current: str = "current", lo: str | None = "lo", hi: str | None = "hi",
               significant: str = "significant", metric: str | None = "metric",
               metric_value: str | None = "alignment", suppressed: str | None = "suppressed",
               title: str | None = "Change since the last wave",
               ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Dumbbell per area from the previous wave (hollow) to the current one (filled).

    A change whose interval excludes 0 (`significant`) is drawn thick in blue
    (up) or vermillion (down) and labelled in bold with its interval; other
    changes are thin grey and labelled "n.s.".

    Parameters
    ----------
    data
        ``Assessment.drift``: ``area, metric, previous, current, difference, lo, hi, significant``.
    area
        Column with area ids (method order, display names).
    previous, current
        Columns with the 0-100 score in the earlier and this wave.
    lo, hi
        Columns with the interval of the difference (points); None to omit it.
    significant
        Boolean column: the difference's interval excludes 0.
    metric, metric_value
        When `data` has the `metric` column, only rows with ``metric == metric_value``
        are drawn (e.g. ``"alignment"``); pass ``metric=None`` to draw every row.
    suppressed
        Flag column; a row with a NaN score is marked, never drawn as zero. May be
        absent under its default name.
    title
        Axes title; None for none.
    ax
        Axes to draw on; the current Axes by default.
    **kwargs
        Passed to `matplotlib.axes.Axes.scatter` for the current-wave points.

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
    check_columns(data, area=area, previous=previous, current=current, lo=lo, hi=hi,
                  significant=significant)
    metric = optional_column(data, "metric", metric, "metric")
    suppressed = optional_column(data, "suppressed", suppressed, "suppressed")
    if metric is not None and metric_value is not None:
        data = data[data[metric].astype(str) == metric_value]
    rank = area_sort_key(data[area].astype(str))
    data = data.iloc[np.argsort(rank, kind="stable")]
    ax = get_ax(ax)
    if data.empty:
        return draw_empty(ax, title)

    sig, hidden = flags(data, significant), flags(data, suppressed)
    before, after = hide(numbers(data, previous), hidden), hide(numbers(data, current), hidden)
    low = numbers(data, lo) if lo is not None else np.full(len(data), np.nan)
    high = numbers(data, hi) if hi is not None else np.full(len(data), np.nan)
    positions = np.arange(len(data), dtype=float)
    both = ~np.isnan(before) & ~np.isnan(after)

    for i in np.flatnonzero(both).tolist():
        up = after[i] >= before[i]
        color = (UP_COLOR if up else DOWN_COLOR) if sig[i] else GREY
        ax.plot([before[i], after[i]], [positions[i]] * 2, color=color,
                linewidth=5 if sig[i] else 2, solid_capstyle="round", zorder=2)
    ax.scatter(before[both], positions[both], s=170, facecolors="white", edgecolors=GREY,
               linewidths=2.5, zorder=3, label="previous wave")
    colors = [((UP_COLOR if after[i] >= before[i] else DOWN_COLOR) if sig[i] else GREY)
              for i in np.flatnonzero(both)]
    ax.scatter(after[both], positions[both], s=kwargs.pop("s", 220), c=colors,
               edgecolors="white", linewidths=1.5, zorder=4, **kwargs)

    for i in range(len(data)):
        if both[i]:
            diff = after[i] - before[i]
            text = f"{diff:+.1f}"
            if sig[i] and not np.isnan(low[i]) and not np.isnan(high[i]):
                text += f"  [{low[i]:+.1f}, {high[i]:+.1f}]"
            elif not sig[i]:
                text += "  n.s."
            x = max(before[i], after[i]) + 2.5
            ax.text(x, positions[i], text, va="center", ha="left", fontsize="small",
                    fontweight="bold" if sig[i] else "normal",
                    color=TEXT_COLOR if sig[i] else "#555555", gid="value")
        else:
            known = after[i] if not np.isnan(after[i]) else before[i]
            x = (known + 2.5) if not np.isnan(known) else 2.0
            if not np.isnan(known):
                ax.scatter([known], [positions[i]], s=170, facecolors="white",
                           edgecolors=GREY, linewidths=2.5, zorder=3)
            mark_absent(ax, x, positions[i], bool(hidden[i]), fontsize="x-small")

    categorical_ticks(ax, positions, [area_label(a) for a in data[area].astype(str)])
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 20, 40, 60, 75, 100])
    ax.set_xlabel(f"{(metric_value or 'score').capitalize()} (0–100); "
                  "label: change in points [90 % interval]")
    for threshold in (60, 75):
        ax.axvline(threshold, color=GREY, linestyle=(0, (4, 4)), linewidth=1, alpha=0.5, zorder=1)
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=12, markerfacecolor="white",
               markeredgecolor=GREY, markeredgewidth=2.5, label="previous wave"),
        Line2D([], [], color=UP_COLOR, linewidth=5, marker="o", markersize=12, label="significant rise"),
        Line2D([], [], color=DOWN_COLOR, linewidth=5, marker="o", markersize=12, label="significant fall"),
        Line2D([], [], color=GREY, linewidth=2, marker="o", markersize=12, label="no significant change"),
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=4,
              borderaxespad=0.2, handlelength=1.8, columnspacing=1.2)
    if title:
        ax.set_title(title, pad=44)
    return ax
