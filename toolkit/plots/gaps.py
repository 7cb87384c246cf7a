"""Perception gap by level: how much rosier one level sees an area than another."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

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
from toolkit.plots.theme import OKABE_ITO, TEXT_COLOR

FLAG_COLOR = OKABE_ITO["vermillion"]
PLAIN_COLOR = OKABE_ITO["sky_blue"]


def plot_perception_gap(data: pd.DataFrame, *, area: str = "area", gap: str = "gap",
                        group_a: str = "group_a", group_b: str = "group_b",
                        flagged: str = "flagged", suppressed: str | None = "suppressed",
                        threshold: float = 10.0,
                        title: str | None = "Perception gap between levels",
                        ax: Axes | None = None, **kwargs: Any) -> Axes:
    """One horizontal bar per area and level pair: gap = P(group_a) - P(group_b), in points.

    Flagged gaps (at least `threshold` points with both groups shown: a
    leadership blind spot) are vermillion; the others sky blue. Each bar is
    labelled with its value and the pair it compares.

    Parameters
    ----------
    data
        ``Assessment.perception_gaps``: one row per area and pair of levels.
    area
        Column with area ids (grouped in method order, labelled by display name).
    gap
        Column with the gap in points; NaN is marked "suppressed" or "no data".
    group_a, group_b
        Columns naming the two levels compared.
    flagged
        Boolean column: the gap is a blind spot.
    suppressed
        Flag column for suppressed gaps; may be absent under its default name.
    threshold
        Where the dashed "blind spot" line is drawn (points).
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
    """
    data = as_frame(data)
    check_columns(data, area=area, gap=gap, group_a=group_a, group_b=group_b, flagged=flagged)
    suppressed = optional_column(data, "suppressed", suppressed, "suppressed")
    ax = get_ax(ax)
    if data.empty:
        return draw_empty(ax, title)

    areas = data[area].astype(str).tolist()
    pairs = list(zip(data[group_a].astype(str), data[group_b].astype(str), strict=True))
    pair_order = list(dict.fromkeys(pairs))
    rank = area_sort_key(areas)
    order = sorted(range(len(data)), key=lambda i: (rank[i], pair_order.index(pairs[i])))
    area_order = list(dict.fromkeys(areas[i] for i in order))
    k = len(pair_order)
    height = 0.8 / max(k, 1)
    same_a = len({a for a, _ in pair_order}) == 1

    hot, hidden = flags(data, flagged), flags(data, suppressed)
    values = hide(numbers(data, gap), hidden)
    positions = np.array([area_order.index(areas[i]) + (pair_order.index(pairs[i]) - (k - 1) / 2) * height
                          for i in range(len(data))])
    present = ~np.isnan(values)
    span = max(float(np.nanmax(np.abs(values))) if present.any() else 0.0, threshold) * 1.45 + 2

    shown = [i for i in order if present[i]]
    ax.barh(positions[shown], values[shown], height=height * 0.85,
            color=[FLAG_COLOR if hot[i] else PLAIN_COLOR for i in shown], zorder=2, **kwargs)
    for i in order:
        a, b = pairs[i]
        pair_text = f"vs {b}" if same_a else f"{a} vs {b}"
        if present[i]:
            v = values[i]
            ax.text(v + (0.6 if v >= 0 else -0.6), positions[i], f"{v:+.0f}  {pair_text}",
                    ha="left" if v >= 0 else "right", va="center", fontsize="small",
                    fontweight="bold" if hot[i] else "normal", color=TEXT_COLOR, gid="value")
        else:
            mark_absent(ax, 0.6, positions[i], bool(hidden[i]), fontsize="x-small")
            ax.text(-0.6, positions[i], pair_text, ha="right", va="center", fontsize="x-small",
                    color="#555555")

    ax.axvline(0, color=TEXT_COLOR, linewidth=1.2, zorder=1)
    ax.axvline(threshold, color=FLAG_COLOR, linestyle=(0, (4, 4)), linewidth=1.2, alpha=0.7, zorder=1)
    categorical_ticks(ax, range(len(area_order)), [area_label(a) for a in area_order])
    ax.set_ylim(len(area_order) - 0.5, -0.5)
    ax.set_xlim(-span, span)
    lead = pair_order[0][0] if same_a and pair_order else "group A"
    ax.set_xlabel(f"Gap in perception points ({lead} minus the other level)")
    ax.legend(handles=[Patch(facecolor=FLAG_COLOR, label=f"blind spot (≥ {threshold:g} points)"),
                       Patch(facecolor=PLAIN_COLOR, label="below threshold")],
              loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, borderaxespad=0.2)
    if title:
        ax.set_title(title, pad=44)
    return ax
