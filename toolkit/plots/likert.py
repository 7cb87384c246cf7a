"""Diverging stacked bars of Likert answers per item, centred on the neutral answer."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from toolkit.plots.conventions import (
    as_frame,
    categorical_ticks,
    check_columns,
    draw_empty,
    flags,
    get_ax,
    mark_absent,
    numbers,
    optional_column,
    wrap,
)
from toolkit.plots.theme import OKABE_ITO, TEXT_COLOR

SHARES: tuple[str, ...] = ("share_1", "share_2", "share_3", "share_4", "share_5")
SCALE_LABELS: tuple[str, ...] = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
#: 1..5: vermillion, orange, grey, sky blue, blue (Okabe-Ito; reads under colour blindness).
LIKERT_COLORS: tuple[str, ...] = (OKABE_ITO["vermillion"], OKABE_ITO["orange"], "#C8C8C8",
                                  OKABE_ITO["sky_blue"], OKABE_ITO["blue"])
_DARK = {0, 4}  # segments that take white text


def plot_likert(data: pd.DataFrame, *, label: str = "text", shares: Sequence[str] = SHARES,
                reverse: str | None = "reverse", suppressed: str | None = "suppressed",
                wrap_width: int = 54, min_label_share: float = 8.0,
                title: str | None = "How people answered", ax: Axes | None = None,
                **kwargs: Any) -> Axes:
    """One diverging stacked bar per item: disagreement left of 0, agreement right.

    The neutral share straddles 0 (half each side). Segments of at least
    `min_label_share` % are labelled with their share. Items are drawn top to
    bottom in data order; long item texts are wrapped. The neutral segment
    carries no number (the centre line crosses it).

    Parameters
    ----------
    data
        One row per item, e.g. ``Assessment.items`` (shares of raw answers in %).
    label
        Column with the item text shown on the y axis.
    shares
        Five columns with the shares (%) of answers 1..5, in scale order.
    reverse
        Boolean column: the item is reverse-keyed (agreeing is unfavourable);
        such labels get "(reverse-keyed)". May be absent under its default name.
    suppressed
        Flag column for suppressed items; may be absent under its default name.
        An item whose shares are NaN is marked, never drawn as zero.
    wrap_width
        Characters per line of a wrapped item label. On a 16:9 slide about ten
        items fit; draw one chart per area rather than the whole bank.
    min_label_share
        Smallest segment (%) that gets a number written in it.
    title
        Axes title; None for none.
    ax
        Axes to draw on; the current Axes by default.
    **kwargs
        Passed to `matplotlib.axes.Axes.barh` (called once per answer level).

    Returns
    -------
    Axes
        The Axes drawn on, with 5 bar segments per shown item.

    Raises
    ------
    ValueError
        When a column argument names no column of `data`, or `shares` is not five columns.
    """
    data = as_frame(data)
    shares = list(shares)
    if len(shares) != 5:
        raise ValueError(f"shares must name 5 columns (answers 1..5), got {len(shares)}: {shares}")
    check_columns(data, label=label, **{f"shares[{i}]": s for i, s in enumerate(shares)})
    reverse = optional_column(data, "reverse", reverse, "reverse")
    suppressed = optional_column(data, "suppressed", suppressed, "suppressed")
    ax = get_ax(ax)
    if data.empty:
        return draw_empty(ax, title)

    table = np.column_stack([numbers(data, s) for s in shares]) if len(data) else np.empty((0, 5))
    hidden, reversed_ = flags(data, suppressed), flags(data, reverse)
    table[hidden, :] = np.nan
    present = ~np.isnan(table).any(axis=1)
    positions = np.arange(len(data), dtype=float)

    lefts = np.column_stack([
        -(table[:, 0] + table[:, 1] + table[:, 2] / 2),
        -(table[:, 1] + table[:, 2] / 2),
        -table[:, 2] / 2,
        table[:, 2] / 2,
        table[:, 2] / 2 + table[:, 3],
    ]) if len(data) else np.empty((0, 5))
    for k in range(5):
        ax.barh(positions[present], table[present, k], left=lefts[present, k], height=0.7,
                color=LIKERT_COLORS[k], label=SCALE_LABELS[k], edgecolor="white",
                linewidth=0.8, zorder=2, **kwargs)
        for i in np.flatnonzero(present):
            if k != 2 and table[i, k] >= min_label_share:
                ax.text(lefts[i, k] + table[i, k] / 2, positions[i], f"{table[i, k]:.0f}",
                        ha="center", va="center", fontsize="small",
                        color="white" if k in _DARK else TEXT_COLOR, zorder=3, gid="value")
    for i in np.flatnonzero(~present):
        mark_absent(ax, 0, positions[i], bool(hidden[i]), ha="center")

    labels = [wrap(str(t) + (" (reverse-keyed)" if r else ""), wrap_width)
              for t, r in zip(data[label], reversed_, strict=True)]
    categorical_ticks(ax, positions, labels)
    ax.axvline(0, color=TEXT_COLOR, linewidth=1.2, zorder=4)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.set_xlim(-100, 100)
    ax.set_xticks([-100, -50, 0, 50, 100], ["100%", "50%", "0", "50%", "100%"])
    ax.set_xlabel("← disagree          share of answers          agree →")
    ax.spines["left"].set_visible(False)
    ax.legend(handles=[Patch(facecolor=c, label=t) for c, t in zip(LIKERT_COLORS, SCALE_LABELS, strict=True)],
              loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=5, borderaxespad=0.2,
              handlelength=1.2, columnspacing=1.0)
    if title:
        ax.set_title(title, pad=44)
    return ax
