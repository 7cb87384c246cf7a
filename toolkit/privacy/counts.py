"""Protection of head counts: no hidden department x level count may be solvable from shown totals.

A hidden coverage cell is shown as a band ("fewer than 3" for a cell below
the threshold, "at least 3" for one hidden by secondary suppression). An
insider adds the shown cells, the shown department and level totals and the
overall total: when the integer counts of the hidden cells then have exactly
one solution for some cell, the band tells nothing more and the count is
known. `protect_counts` hides further shown cells (smallest first, in the
pinned cell's department or level) until every hidden count has at least two
solutions.

Only a count below the threshold is a small group: the final check
(`toolkit.privacy.final.count_problems`) blocks publication for those alone.
A cell of ``k`` or more whose *ratings* the audit hides has its count hidden
with it, and the totals may pin that count (a department all of one level
*is* its one cell): that tells nothing a shown count would not.

Bands can pin counts that no extra hiding frees: five departments with one
executive each, shown as "fewer than 3", and an executive total of 5 leave
one solution (every cell is 1) whatever else is hidden. `choose_counts` then
drops the bands: every hidden cell reads the same (no "below"/"at least"),
and every department x level combination is listed, empty ones hidden too, so
a hidden cell may hold anything from 0; the totals then pin nothing unless a
row or column has one hidden cell, which `protect_counts` still prevents.
"""
from __future__ import annotations

import math

import numpy as np


def count_ranges(n: np.ndarray, hidden: np.ndarray, primary: np.ndarray, k: int,
                 row_shown: np.ndarray | None = None, col_shown: np.ndarray | None = None,
                 first_unique: bool = False, banded: bool = True) -> dict[tuple[int, int], tuple[int, int]]:
    """Integer range (LP bounds rounded inwards) of each hidden cell's count.

    Parameters
    ----------
    n
        ``(D, L)`` true counts (0 = no respondent: such a cell is not listed and known empty).
    hidden
        ``(D, L)`` cells whose count is not shown.
    primary
        ``(D, L)`` hidden because below ``k`` (known to lie in 1..k-1); the
        other hidden cells are known to hold at least ``k``.
    row_shown, col_shown
        Whether each department's and each level's total is shown (default all).
    first_unique
        Stop after the first cell with a single solution.
    banded
        Whether hidden cells show their band (1 to k-1, or at least k); without
        bands every combination is listed, so a hidden cell (empty ones
        included) is known only to hold 0 or more.

    Returns
    -------
    dict
        ``(d, l) -> (min, max)`` for each hidden non-empty cell.
    """
    n = np.asarray(n, dtype=float)
    hidden = np.asarray(hidden, dtype=bool) & (n > 0) if banded else np.asarray(hidden, dtype=bool) | (n <= 0)
    primary = np.asarray(primary, dtype=bool)
    big = float(n.sum())
    low = np.where(primary, 1.0, float(k)) if banded else np.zeros(n.shape)
    high = np.where(primary, k - 1.0, big) if banded else np.full(n.shape, big)
    return hidden_count_ranges(n, hidden, low, high, row_shown, col_shown, first_unique=first_unique)


def hidden_count_ranges(n: np.ndarray, hidden: np.ndarray, low: np.ndarray, high: np.ndarray,
                        row_shown: np.ndarray | None = None, col_shown: np.ndarray | None = None, *,
                        first_unique: bool = False, targets: np.ndarray | None = None
                        ) -> dict[tuple[int, int], tuple[int, int]]:
    """Integer range of each hidden cell's count given the shown totals and what each cell's label says.

    Parameters
    ----------
    n
        ``(D, L)`` true counts; a cell not ``hidden`` is known (shown, or known empty).
    hidden
        ``(D, L)`` cells whose count is not known to the reader (empty ones may be among them).
    low, high
        ``(D, L)`` what the reader knows of each hidden count (its band: 1 to k-1, at least k, or 0 up).
    row_shown, col_shown
        Whether each department's and each level's total is known (default all); the overall total always is.
    first_unique
        Stop after the first cell with a single solution.
    targets
        ``(D, L)`` the cells whose range is wanted (default every hidden cell);
        the other hidden cells are unknowns of the reader all the same.

    Returns
    -------
    dict
        ``(d, l) -> (min, max)`` for each hidden target cell (LP bounds rounded inwards).
    """
    from toolkit.privacy.audit import lp_minima

    n = np.asarray(n, dtype=float)
    hidden = np.asarray(hidden, dtype=bool)
    cells = [(int(c[0]), int(c[1])) for c in np.argwhere(hidden)]
    if not cells:
        return {}
    d_count, l_count = n.shape
    row_shown = np.ones(d_count, dtype=bool) if row_shown is None else np.asarray(row_shown, dtype=bool)
    col_shown = np.ones(l_count, dtype=bool) if col_shown is None else np.asarray(col_shown, dtype=bool)
    pos = {c: i for i, c in enumerate(cells)}
    a, b = [], []
    for d in np.flatnonzero(row_shown):
        row = [pos[(int(d), lv)] for lv in range(l_count) if (int(d), lv) in pos]
        if row:
            vec = np.zeros(len(cells))
            vec[row] = 1.0
            a.append(vec)
            b.append(n[d, [lv for lv in range(l_count) if (int(d), lv) in pos]].sum())
    for lv in np.flatnonzero(col_shown):
        col = [pos[(d, int(lv))] for d in range(d_count) if (d, int(lv)) in pos]
        if col:
            vec = np.zeros(len(cells))
            vec[col] = 1.0
            a.append(vec)
            b.append(n[[d for d in range(d_count) if (d, int(lv)) in pos], lv].sum())
    a.append(np.ones(len(cells)))  # the overall total
    b.append(float(n[hidden].sum()))
    bounds = [(float(low[c]), float(high[c])) for c in cells]
    a_eq, b_eq, box = np.array(a), np.array(b, dtype=float), np.array(bounds, dtype=float)
    wanted = cells if targets is None else [c for c in cells if bool(np.asarray(targets, dtype=bool)[c])]
    if not wanted:
        return {}
    problems = []
    for c in wanted:
        obj = np.zeros(len(cells))
        obj[pos[c]] = 1.0
        problems += [(obj, a_eq, b_eq, box), (-obj, a_eq, b_eq, box)]
    minima = lp_minima(problems)  # every cell's two ends in one HiGHS call
    out = {}
    for j, c in enumerate(wanted):
        lo_end, hi_end = minima[2 * j], minima[2 * j + 1]
        ends = (float(n[c]) if lo_end is None else lo_end, float(n[c]) if hi_end is None else -hi_end)
        out[c] = (math.ceil(ends[0] - 1e-7), math.floor(ends[1] + 1e-7))
        if first_unique and out[c][0] >= out[c][1]:
            break
    return out


def unique_counts(n: np.ndarray, hidden: np.ndarray, primary: np.ndarray, k: int, *,
                  row_shown: np.ndarray | None = None, col_shown: np.ndarray | None = None,
                  first_unique: bool = False, banded: bool = True) -> list[tuple[int, int]]:
    """Hidden cells whose count has exactly one solution (``first_unique=True``: at most the first)."""
    ranges = count_ranges(n, hidden, primary, k, row_shown, col_shown, first_unique=first_unique, banded=banded)
    return [c for c, (lo, hi) in ranges.items() if lo >= hi]


def choose_counts(n: np.ndarray, hidden: np.ndarray, primary: np.ndarray, k: int, *,
                  row_shown: np.ndarray | None = None, col_shown: np.ndarray | None = None
                  ) -> tuple[np.ndarray, bool]:
    """Extra cells to hide, and whether the hidden cells may show their band ("fewer than k").

    Bands are kept when extra hiding leaves no hidden count with one
    solution; otherwise they are dropped (see the module docstring) and the
    extra cells are chosen for the band-free reading. ``row_shown`` and
    ``col_shown`` say which department and level totals are published (a
    department hidden in every area publishes no total; default all): a
    reader who is shown fewer totals pins fewer counts, and assuming every
    total shown can leave nothing to hide that frees a count (one level: each
    department's total *is* its cell).

    Returns
    -------
    (numpy.ndarray, bool)
        ``(D, L)`` cells to hide in addition to ``hidden``, and ``banded``.
    """
    extra = protect_counts(n, hidden, primary, k, row_shown=row_shown, col_shown=col_shown)
    if not unique_counts(n, np.asarray(hidden, dtype=bool) | extra, primary, k, first_unique=True,
                         row_shown=row_shown, col_shown=col_shown):
        return extra, True
    return protect_counts(n, hidden, primary, k, banded=False, row_shown=row_shown, col_shown=col_shown), False


def protect_counts(n: np.ndarray, hidden: np.ndarray, primary: np.ndarray, k: int, *,
                   banded: bool = True, row_shown: np.ndarray | None = None,
                   col_shown: np.ndarray | None = None) -> np.ndarray:
    """Extra cells to hide so that no hidden count is uniquely solvable.

    Returns
    -------
    numpy.ndarray
        ``(D, L)`` bool: the cells to hide in addition to ``hidden``. A pinned
        cell's department row and level column are searched for the smallest
        shown cell; when none is left, the smallest shown cell anywhere. Then
        each extra cell, the largest first, is shown again when no hidden
        count becomes unique without it.
    """
    n = np.asarray(n, dtype=float)
    hidden = np.asarray(hidden, dtype=bool).copy()
    extra = np.zeros_like(hidden)
    for _ in range(hidden.size):
        pinned = unique_counts(n, hidden, primary, k, first_unique=True, banded=banded, row_shown=row_shown,
                               col_shown=col_shown)
        if not pinned:
            break
        d, lv = pinned[0]
        shown = ~hidden & (n > 0)
        near = np.zeros_like(shown)
        near[d, :] = True
        near[:, lv] = True
        pool = np.argwhere(shown & near)
        if not len(pool):
            pool = np.argwhere(shown)
        if not len(pool):
            break
        pick = min((tuple(map(int, c)) for c in pool), key=lambda c: (n[c], c))
        hidden[pick] = True
        extra[pick] = True
    # Give back: a cell hidden early may be unnecessary once later ones are hidden (largest first).
    for c in sorted((tuple(map(int, c)) for c in np.argwhere(extra)), key=lambda c: (-n[c], c)):
        trial = hidden.copy()
        trial[c] = False
        if not unique_counts(n, trial, primary, k, first_unique=True, banded=banded, row_shown=row_shown,
                             col_shown=col_shown):
            hidden, extra[c] = trial, False
    return extra
