"""The conventions every chart follows: column checks, area names and order, suppression marks.

Nothing here draws a chart; the chart modules call these so that every chart
checks its columns, orders areas and marks suppressed values the same way.
"""
from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from toolkit.model import AREA_LABELS, AREAS
from toolkit.plots.theme import GREY, LIGHT_GREY

#: The method's order of areas; charts list areas in this order, unknown ids last.
AREA_ORDER: tuple[str, ...] = AREAS
#: Text drawn in place of a value that privacy suppressed (fewer respondents than the threshold).
SUPPRESSED_TEXT = "suppressed"
#: Text drawn in place of a value that is simply absent (e.g. no KPI observations).
MISSING_TEXT = "no data"
SUPPRESSED_HATCH = "///"


def area_label(area_id: str) -> str:
    """Return the display name of an area id.

    Examples
    --------
    >>> area_label("proven_processes")
    'Proven Processes'
    >>> area_label("supply_chain")
    'Supply Chain'
    """
    return AREA_LABELS.get(area_id, str(area_id).replace("_", " ").title())


def area_sort_key(area_ids: Iterable[str]) -> list[int]:
    """Return a sort rank per area id: method order first, unknown ids after, as given."""
    ids = list(area_ids)
    unknown = [a for a in dict.fromkeys(ids) if a not in AREA_ORDER]
    return [AREA_ORDER.index(a) if a in AREA_ORDER else len(AREA_ORDER) + unknown.index(a)
            for a in ids]


def order_areas(area_ids: Iterable[str]) -> list[str]:
    """Return the distinct area ids in method order (unknown ids last, in first-seen order)."""
    ids = list(dict.fromkeys(area_ids))
    return [a for _, a in sorted(zip(area_sort_key(ids), ids, strict=True))]


def as_frame(data: pd.DataFrame) -> pd.DataFrame:
    """Return `data` with named index levels turned into columns (``areas`` is indexed by ``area``).

    The input is never modified (a new frame is returned when anything changes).
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    names = [n for n in data.index.names if n is not None and n not in data.columns]
    if names:
        data = data.reset_index(level=names)
    return data


def check_columns(data: pd.DataFrame, **columns: str | None) -> None:
    """Raise when a column argument names no column of `data`.

    Parameters
    ----------
    data
        The frame the chart reads.
    **columns
        Argument name -> column name; None means "not used" and is skipped.

    Raises
    ------
    ValueError
        ``hue='dept' is not a column of data; columns are [...]``.
    """
    for argument, column in columns.items():
        if column is not None and column not in data.columns:
            raise ValueError(f"{argument}={column!r} is not a column of data; "
                             f"columns are {list(data.columns)}")


def optional_column(data: pd.DataFrame, argument: str, column: str | None, default: str) -> str | None:
    """Resolve an optional column: the default name may be absent, an explicit name must exist.

    Returns the column to use, or None when the chart should do without it.
    """
    if column is None:
        return None
    if column not in data.columns:
        if column == default:
            return None
        check_columns(data, **{argument: column})
    return column


def flags(data: pd.DataFrame, column: str | None) -> np.ndarray:
    """Return a boolean array from a flag column (missing column or NA counts as False)."""
    if column is None:
        return np.zeros(len(data), dtype=bool)
    return np.array([bool(v) if not pd.isna(v) else False for v in data[column]], dtype=bool)


def numbers(data: pd.DataFrame, column: str) -> np.ndarray:
    """Return a column as float (NA -> NaN), raising a clear error for non-numbers."""
    try:
        return pd.to_numeric(data[column], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"column {column!r} must hold numbers: {exc}") from None


def hide(values: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Return a copy of `values` with suppressed rows set to NaN.

    Privacy already blanks suppressed values; this makes sure a chart never
    shows a number for a row flagged suppressed even if one slipped through.
    """
    out = np.array(values, dtype=float, copy=True)
    out[hidden] = np.nan
    return out


def gap_text(suppressed: bool) -> str:
    """Return the text that stands in for an absent value."""
    return SUPPRESSED_TEXT if suppressed else MISSING_TEXT


def wrap(text: str, width: int) -> str:
    """Wrap a long label onto several lines of at most `width` characters."""
    return "\n".join(textwrap.wrap(str(text), width=width, break_on_hyphens=False)) or str(text)


def get_ax(ax: Axes | None) -> Axes:
    """Return `ax`, or the current Axes (seaborn's ``ax = ax or plt.gca()``)."""
    return ax if ax is not None else plt.gca()


def mark_absent(ax: Axes, x: float, y: float, suppressed: bool, *, ha: str = "left",
                fontsize: str | float = "small") -> None:
    """Write "suppressed" (or "no data") at data position (x, y), italic grey, in a box."""
    ax.text(x, y, gap_text(suppressed), ha=ha, va="center", fontsize=fontsize,
            fontstyle="italic", color="#555555",
            bbox={"boxstyle": "round,pad=0.25", "facecolor": LIGHT_GREY, "edgecolor": GREY,
                  "linewidth": 0.8},
            gid="suppressed" if suppressed else "missing")


def draw_empty(ax: Axes, title: str | None) -> Axes:
    """Show "no data" on an Axes whose frame has no rows (instead of an empty, warning plot)."""
    ax.text(0.5, 0.5, MISSING_TEXT, transform=ax.transAxes, ha="center", va="center",
            fontstyle="italic", color="#555555", gid="missing")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def categorical_ticks(ax: Axes, positions: Sequence[float] | np.ndarray, labels: Sequence[str], *, axis: str = "y") -> None:
    """Put category labels at fixed positions on one axis."""
    if axis == "y":
        ax.set_yticks(list(positions), list(labels))
        ax.tick_params(axis="y", length=0)
    else:
        ax.set_xticks(list(positions), list(labels))
        ax.tick_params(axis="x", length=0)
