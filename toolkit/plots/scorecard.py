"""Area charts: the alignment scorecard and the strategic weight vs alignment matrix."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from toolkit.plots.conventions import (
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
from toolkit.plots.theme import (
    ALIGNED_MIN,
    BAND_COLORS,
    BANDS,
    GREY,
    PARTLY_MIN,
    TEXT_COLOR,
    band_of,
    normalise_band,
)


def _bands(data: pd.DataFrame, band: str | None, values: np.ndarray) -> list[str | None]:
    """Band per row: the band column when given and set, else the band of the value."""
    out: list[str | None] = []
    for i, v in enumerate(values):
        raw = data[band].iloc[i] if band is not None else None
        if np.isnan(v):
            out.append(None)
        else:
            given = raw is not None and not pd.isna(raw) and str(raw).strip() != ""
            out.append(normalise_band(raw) if given else band_of(v))
    return out


def _band_legend(ax: Axes, bands: list[str | None], **kwargs: Any) -> None:
    shown = [b for b in BANDS if b in bands]
    labels = {"aligned": "aligned (≥ 75)", "partly aligned": "partly aligned (60–74.9)",
              "misaligned": "misaligned (< 60)"}
    ax.legend(handles=[Patch(facecolor=BAND_COLORS[b], label=labels[b]) for b in shown], **kwargs)


def plot_scorecard(data: pd.DataFrame, *, x: str = "label", y: str = "alignment",
                   lo: str | None = "alignment_lo", hi: str | None = "alignment_hi",
                   band: str | None = "band", suppressed: str | None = "suppressed",
                   title: str | None = "Alignment by area", ax: Axes | None = None,
                   **kwargs: Any) -> Axes:
    """Horizontal bar per area, coloured by band, with 90 % interval whiskers.

    Parameters
    ----------
    data
        One row per area, e.g. ``Assessment.areas`` (its ``area`` index may be used as a column).
    x
        Column with the area's display name (one bar per row, top to bottom in data order).
    y
        Column with the 0-100 score the bar shows.
    lo, hi
        Columns with the interval bounds (whiskers); None to draw none.
    band
        Column with the band name; None (or NA / "" in a row) colours by the value's band.
    suppressed
        Flag column; a row whose score is NaN is marked "suppressed" when flagged,
        "no data" otherwise, and never drawn as a zero bar. May be absent under its default name.
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
        When a column argument names no column of `data`, or a band is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> areas = pd.DataFrame({"label": ["A", "B"], "alignment": [80.0, 55.0],
    ...                       "alignment_lo": [75.0, 50.0], "alignment_hi": [85.0, 60.0],
    ...                       "band": ["aligned", "misaligned"]})
    >>> len(plot_scorecard(areas).patches)
    2
    """
    data = as_frame(data)
    check_columns(data, x=x, y=y, lo=lo, hi=hi)
    band = optional_column(data, "band", band, "band")
    suppressed = optional_column(data, "suppressed", suppressed, "suppressed")
    ax = get_ax(ax)
    if data.empty:
        return draw_empty(ax, title)

    hidden = flags(data, suppressed)
    values = hide(numbers(data, y), hidden)
    present = ~np.isnan(values)
    bands = _bands(data, band, values)
    positions = np.arange(len(data), dtype=float)
    colors = [BAND_COLORS[b] for b, p in zip(bands, present, strict=True) if p and b is not None]
    ax.barh(positions[present], values[present], color=colors, height=0.62, zorder=2, **kwargs)

    label_at = values.copy()
    if lo is not None and hi is not None:
        low, high = numbers(data, lo), numbers(data, hi)
        ok = present & ~np.isnan(low) & ~np.isnan(high)
        if ok.any():
            ax.errorbar(values[ok], positions[ok],
                        xerr=np.vstack([values[ok] - low[ok], high[ok] - values[ok]]),
                        fmt="none", ecolor=TEXT_COLOR, elinewidth=2, capsize=6, zorder=3)
        label_at = np.where(ok, high, values)

    for i in range(len(data)):
        if present[i]:
            ax.text(label_at[i] + 1.5, positions[i], f"{values[i]:.0f}", va="center",
                    ha="left", fontweight="bold", color=TEXT_COLOR, gid="value")
        else:
            mark_absent(ax, 1.0, positions[i], bool(hidden[i]))

    for threshold in (PARTLY_MIN, ALIGNED_MIN):
        ax.axvline(threshold, color=GREY, linestyle=(0, (4, 4)), linewidth=1.2, alpha=0.6,
                   zorder=1)
    categorical_ticks(ax, positions, [str(v) for v in data[x]])
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.set_xlim(0, 105)
    ax.set_xticks([0, 20, 40, 60, 75, 100])
    ax.set_xlabel("Alignment (0–100), whiskers: 90 % interval")
    _band_legend(ax, bands, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=3,
                 borderaxespad=0.2)
    if title:
        ax.set_title(title, pad=48)
    return ax


def weighted_shortfalls(weights: np.ndarray, values: np.ndarray, present: np.ndarray,
                        aligned: float = ALIGNED_MIN) -> np.ndarray:
    """``weight * (aligned - alignment)`` of each drawn area below ``aligned`` (what ranks the principal gap).

    Examples
    --------
    >>> weighted_shortfalls(np.array([0.4, 0.15]), np.array([64.8, 42.6]), np.array([True, True])).round(2)
    array([4.08, 4.86])
    """
    below = present & (values < aligned)
    shortfalls: np.ndarray = np.where(below, weights * (aligned - values), 0.0)[present]
    return shortfalls


def plot_weight_alignment(data: pd.DataFrame, *, x: str = "weight", y: str = "alignment",
                          label: str = "label", band: str | None = "band",
                          suppressed: str | None = "suppressed",
                          weight_split: float | None = None, alignment_split: float = ALIGNED_MIN,
                          title: str | None = "Strategic weight vs alignment",
                          ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Strategic weight (x) against alignment (y), with curves of equal weighted shortfall.

    The weighted shortfall of an area is ``weight * (75 - alignment)`` (DESIGN
    2.1: the principal gap is the area below 75 where it is largest). Dashed
    curves join points of equal weighted shortfall; the region at or beyond the
    largest one is shaded "fix first", so the principal gap sits on its edge,
    whatever its weight. The axes still split at an equal share of weight and at 75.

    Parameters
    ----------
    data
        One row per area, e.g. ``Assessment.areas``.
    x
        Column with the strategic weight (shares summing to 1, shown as %).
    y
        Column with the 0-100 alignment score.
    label
        Column with the text written next to each point.
    band
        Column with the band name (colours the point); None colours by the value's band.
    suppressed
        Flag column; suppressed areas are not drawn but listed under the plot.
        May be absent under its default name.
    weight_split
        Weight dividing the quadrants; default an equal share, ``1 / len(data)``.
    alignment_split
        Alignment dividing the quadrants; default 75 (the "aligned" threshold).
    title
        Axes title; None for none.
    ax
        Axes to draw on; the current Axes by default.
    **kwargs
        Passed to `matplotlib.axes.Axes.scatter`.

    Returns
    -------
    Axes
        The Axes drawn on. Areas without a score are listed under the plot, not drawn.

    Raises
    ------
    ValueError
        When a column argument names no column of `data`.
    """
    data = as_frame(data)
    check_columns(data, x=x, y=y, label=label)
    band = optional_column(data, "band", band, "band")
    ax = get_ax(ax)
    if data.empty:
        return draw_empty(ax, title)

    suppressed = optional_column(data, "suppressed", suppressed, "suppressed")
    weights, values = numbers(data, x), hide(numbers(data, y), flags(data, suppressed))
    present = ~np.isnan(values) & ~np.isnan(weights)
    bands = _bands(data, band, values)
    split_w = weight_split if weight_split is not None else 1.0 / max(len(data), 1)
    top_w = max(float(np.nanmax(weights)) if present.any() else 0.0, split_w) * 1.25 + 0.02

    ax.axvline(split_w, color=GREY, linewidth=1.2, zorder=1)
    ax.axhline(alignment_split, color=GREY, linewidth=1.2, zorder=1)
    shortfall = weighted_shortfalls(weights, values, present, alignment_split)
    grid = np.linspace(top_w / 400, top_w, 400)
    if shortfall.size and shortfall.max() > 0:
        worst = float(shortfall.max())
        edge = np.clip(alignment_split - worst / grid, 0, alignment_split)
        ax.fill_between(grid, 0, edge, color="#FBE3D6", zorder=0, linewidth=0, gid="fix-first")
        for level in sorted({worst / 2, worst}):
            ax.plot(grid, alignment_split - level / grid, color="#A04000" if level == worst else GREY,
                    linestyle="--", linewidth=1, zorder=0.5, gid="iso-shortfall")
        ax.text(top_w * 0.985, 3, "FIX FIRST", ha="right", va="bottom", fontsize="medium",
                color="#A04000", fontweight="bold", zorder=1)
    corner: dict[str, Any] = {"fontsize": "medium", "color": "#555555", "fontweight": "bold", "zorder": 1}
    ax.text(top_w * 0.985, 97, "SUSTAIN", ha="right", va="top", **corner)
    ax.text(top_w * 0.015, 97, "MAINTAIN", ha="left", va="top", **corner)

    colors = [BAND_COLORS[b] for b, p in zip(bands, present, strict=True) if p and b is not None]
    ax.scatter(weights[present], values[present], s=kwargs.pop("s", 420), c=colors,
               edgecolors="white", linewidths=2, zorder=3, gid="areas", **kwargs)
    for i in np.flatnonzero(present):
        right = weights[i] < top_w * 0.7
        ax.annotate(str(data[label].iloc[i]), (weights[i], values[i]),
                    xytext=(16 if right else -16, 0), textcoords="offset points",
                    ha="left" if right else "right", va="center", zorder=4)
    missing = [str(data[label].iloc[i]) for i in np.flatnonzero(~present)]
    if missing:
        ax.text(0, -0.16, "Not shown (suppressed or no data): " + ", ".join(missing),
                transform=ax.transAxes, fontsize="small", fontstyle="italic", color="#555555")

    ax.set_xlim(0, top_w)
    ax.set_ylim(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    ax.set_xlabel("Strategic weight")
    ax.set_ylabel("Alignment (0–100)")
    if title:
        ax.set_title(title)
    return ax
