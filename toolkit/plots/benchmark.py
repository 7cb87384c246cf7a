"""Benchmark: where each area's alignment ranks among the firm's other clients (percentile)."""
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
    flags,
    get_ax,
    hide,
    mark_absent,
    numbers,
    optional_column,
)
from toolkit.plots.theme import GREY, LIGHT_GREY, OKABE_ITO, TEXT_COLOR

MARK_COLOR = OKABE_ITO["blue"]


def ordinal(n: int) -> str:
    """Return ``1st``, ``2nd``, ``3rd``, ``11th``, ``72nd``...

    Examples
    --------
    >>> [ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 72, 100)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '72nd', '100th']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plot_benchmark(data: pd.DataFrame, *, area: str = "area", percentile: str = "percentile",
                   n_clients: str | None = "n_clients", suppressed: str | None = "suppressed",
                   title: str | None = "Alignment compared with other clients",
                   ax: Axes | None = None, **kwargs: Any) -> Axes:
    """A 0-100 percentile track per area with a marker where this client stands.

    Parameters
    ----------
    data
        ``Assessment.benchmark``: ``area, percentile, n_clients``.
    area
        Column with area ids (method order, display names).
    percentile
        Column with the percentile (0-100); NaN is marked, never drawn as zero.
    n_clients
        Column with how many other clients the percentile is among (shown in the
        axis label); may be absent under its default name.
    suppressed
        Flag column; may be absent under its default name.
    title
        Axes title; None for none.
    ax
        Axes to draw on; the current Axes by default.
    **kwargs
        Passed to `matplotlib.axes.Axes.scatter` (the markers).

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
    check_columns(data, area=area, percentile=percentile)
    n_clients = optional_column(data, "n_clients", n_clients, "n_clients")
    suppressed = optional_column(data, "suppressed", suppressed, "suppressed")
    data = data.iloc[np.argsort(area_sort_key(data[area].astype(str)), kind="stable")]
    ax = get_ax(ax)
    if data.empty:
        return draw_empty(ax, title)

    hidden = flags(data, suppressed)
    values = hide(numbers(data, percentile), hidden)
    positions = np.arange(len(data), dtype=float)
    present = ~np.isnan(values)
    ax.barh(positions, [100] * len(data), height=0.3, color=LIGHT_GREY, zorder=1, gid="track")
    for q in (25, 50, 75):
        ax.vlines([q] * len(data), positions - 0.15, positions + 0.15, color="white", linewidth=2, zorder=1.5)
    ax.scatter(values[present], positions[present], s=kwargs.pop("s", 380),
               c=kwargs.pop("c", MARK_COLOR), edgecolors="white", linewidths=2, zorder=3, **kwargs)
    for i in range(len(data)):
        if present[i]:
            ax.annotate(f"{ordinal(int(round(values[i])))} percentile", (values[i], positions[i]),
                        xytext=(0, 16), textcoords="offset points", ha="center", va="bottom",
                        fontweight="bold", fontsize="small", color=TEXT_COLOR, gid="value")
        else:
            mark_absent(ax, 50, positions[i], bool(hidden[i]), ha="center")

    categorical_ticks(ax, positions, [area_label(a) for a in data[area].astype(str)])
    ax.set_ylim(len(data) - 0.4, -0.7)
    ax.set_xlim(-3, 103)
    ax.set_xticks([0, 25, 50, 75, 100], ["0", "25th", "median", "75th", "100th"])
    ax.spines["left"].set_visible(False)
    among = ""
    if n_clients is not None:
        counts = numbers(data, n_clients)
        if (~np.isnan(counts)).any():
            among = f" among {int(np.nanmax(counts))} other clients"
    ax.set_xlabel(f"Percentile of alignment{among}")
    ax.axvline(50, color=GREY, linewidth=1, alpha=0.5, zorder=0.5)
    if title:
        ax.set_title(title)
    return ax
