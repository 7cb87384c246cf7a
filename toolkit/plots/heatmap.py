"""Department x area heatmap of a 0-100 score, with suppressed cells hatched and labelled."""
from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from toolkit.plots.conventions import (
    SUPPRESSED_HATCH,
    area_label,
    as_frame,
    check_columns,
    draw_empty,
    flags,
    gap_text,
    get_ax,
    numbers,
    optional_column,
    order_areas,
    wrap,
)
from toolkit.plots.theme import LIGHT_GREY, SCORE_CMAP, TEXT_COLOR


def ink_on(rgba: tuple[float, float, float, float]) -> str:
    """Black or white, whichever reads better on a cell of this colour (WCAG luminance)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgba[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if luminance < 0.30 else TEXT_COLOR


def heatmap_grid(data: pd.DataFrame, *, row: str = "department", col: str = "area", value: str = "perception",
                 blank: str = "suppressed") -> tuple[list[str], list[str], dict[tuple[str, str], float | str]]:
    """Rows (first-seen order), columns (areas in method order, others first-seen) and each cell's value.

    A cell privacy hid reads "suppressed"; a cell with no value reads ``blank``
    (e.g. "too few" for a consistency the method does not judge). The deck's
    grid tables (HTML and PPTX) read their cells here.
    """
    rows = list(dict.fromkeys(data[row].astype(str)))
    cols = order_areas(data[col].astype(str))
    hidden = data["suppressed"].fillna(False).astype(bool) if "suppressed" in data else pd.Series(False, data.index)
    cells: dict[tuple[str, str], float | str] = {}
    for r, c, v, h in zip(data[row].astype(str), data[col].astype(str), pd.to_numeric(data[value], errors="coerce"),
                          hidden, strict=True):
        cells[(r, c)] = "suppressed" if h else blank if pd.isna(v) else float(v)
    return rows, cols, cells


def plot_heatmap(data: pd.DataFrame, *, row: str = "department", col: str = "area",
                 value: str = "perception", suppressed: str | None = "suppressed",
                 area_labels: bool = True, fmt: str = "{:.0f}", cbar: bool = False,
                 title: str | None = "Perception by department and area",
                 ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Grid of `row` x `col` cells coloured by `value` (0-100) and annotated with it.

    The colour map diverges around the 60-75 "partly aligned" band: red below,
    pale amber across it, green above. Cells whose value privacy suppressed
    are hatched grey and read "suppressed"; a cell with no data at all reads
    "no data". Neither ever shows a number.

    Parameters
    ----------
    data
        Long frame, one row per cell, e.g. ``Assessment.departments``.
    row, col
        Columns whose values become the rows (order of first appearance) and the
        columns (areas in method order when `col` holds area ids).
    value
        Column with the 0-100 score.
    suppressed
        Flag column marking suppressed cells; may be absent under its default name.
    area_labels
        Show area display names instead of ids on the column axis.
    fmt
        Format of the cell annotation.
    cbar
        Add a colour bar next to the Axes.
    title
        Axes title; None for none.
    ax
        Axes to draw on; the current Axes by default.
    **kwargs
        Passed to `matplotlib.axes.Axes.pcolormesh` (e.g. ``cmap``, ``norm``).

    Returns
    -------
    Axes
        The Axes drawn on (rows top to bottom, columns left to right).

    Raises
    ------
    ValueError
        When a column argument names no column of `data`, or a (row, col) pair repeats.
    """
    data = as_frame(data)
    check_columns(data, row=row, col=col, value=value)
    suppressed = optional_column(data, "suppressed", suppressed, "suppressed")
    if data.duplicated([row, col]).any():
        dup = data.loc[data.duplicated([row, col]), [row, col]].iloc[0].tolist()
        raise ValueError(f"more than one row for {row}={dup[0]!r}, {col}={dup[1]!r}")
    ax = get_ax(ax)
    if data.empty:
        return draw_empty(ax, title)

    rows = list(dict.fromkeys(data[row].astype(str)))
    raw_cols = list(dict.fromkeys(data[col].astype(str)))
    cols = order_areas(raw_cols) if area_labels else raw_cols
    r_index = {r: i for i, r in enumerate(rows)}
    c_index = {c: j for j, c in enumerate(cols)}
    grid = np.full((len(rows), len(cols)), np.nan)
    hidden = np.zeros_like(grid, dtype=bool)
    values, secret = numbers(data, value), flags(data, suppressed)
    for r, c, v, s in zip(data[row].astype(str), data[col].astype(str), values, secret, strict=True):
        i, j = r_index[r], c_index[c]
        grid[i, j], hidden[i, j] = (np.nan if s else v), s

    cmap = kwargs.pop("cmap", SCORE_CMAP)
    cmap = matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap
    norm = kwargs.pop("norm", Normalize(vmin=0, vmax=100))
    mesh = ax.pcolormesh(np.ma.masked_invalid(grid), cmap=cmap, norm=norm,
                         edgecolors="white", linewidth=2, **kwargs)
    long_cols = max((len(area_label(c) if area_labels else c) for c in cols), default=0)
    for i in range(len(rows)):
        for j in range(len(cols)):
            if np.isnan(grid[i, j]):
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=LIGHT_GREY, edgecolor="white",
                                       hatch=SUPPRESSED_HATCH if hidden[i, j] else None,
                                       linewidth=2, zorder=2,
                                       gid="suppressed" if hidden[i, j] else "missing"))
                ax.text(j + 0.5, i + 0.5, gap_text(bool(hidden[i, j])),
                        ha="center", va="center", fontsize="small", fontstyle="italic",
                        color="#444444", zorder=3,
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.9})
            else:
                rgba = cmap(norm(grid[i, j]))
                ax.text(j + 0.5, i + 0.5, fmt.format(grid[i, j]), ha="center", va="center",
                        fontweight="bold", color=ink_on(rgba), zorder=3, gid="value")

    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(len(cols)) + 0.5,
                  [wrap(area_label(c) if area_labels else c, 14 if long_cols > 14 else 40)
                   for c in cols])
    ax.set_yticks(np.arange(len(rows)) + 0.5, rows)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    if cbar:
        bar = ax.figure.colorbar(mesh, ax=ax, fraction=0.04, pad=0.02)
        bar.set_ticks([0, 60, 75, 100])
        bar.outline.set_visible(False)
    if title:
        ax.set_title(title)
    return ax
