"""The linked-table audit (DESIGN 2.2): everything published, checked together.

Every aggregate a run can publish -- overall, a department, a level, a
department x level cell, an explorer view (a department, a level or a cell) --
is a *sum over department x level cells* divided by its ``n``. An insider who
knows the org chart knows which cells each published figure covers and how
many respondents each cell has, so from the published means they know the
sums ``A @ x = b`` of the unknown cell totals ``x``. The audit plays that
insider, for one measure at a time (e.g. an area's perception, on 0-100):

(a) **span test** -- a *small group* (a union of non-empty cells with fewer
    than ``min_group_size`` respondents in total) must not have its sum in the
    row space of ``A``: with ``N`` a basis of the null space of ``A``, the sum
    over the group is determined iff the group's rows of ``N`` add up to 0;
(b) **interval test** -- with every respondent's answer bounded by the scale
    (``lo * n_c <= x_c <= hi * n_c``), the feasible interval of the small
    group's mean, found by two linear programmes (HiGHS through SciPy, loaded
    only here), must stay at least half the scale wide.

`choose_suppression` hides extra published rows, smallest information loss
(fewest respondents) first, until both tests pass, and returns the reason for
each. The functions work on counts and sums only, never on metric formulas.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

log = logging.getLogger("toolkit")

#: At most this many small groups are checked per table (smallest first); singletons always are.
MAX_GROUPS = 4000
_TOL = 1e-9
#: Solve all of an audit's interval questions in one linear programme (see `mean_intervals`).
BATCHED_LP = True
#: At most this many variables in one batched linear programme.
MAX_LP_COLUMNS = 20_000


def audit_reason(min_group_size: int) -> str:
    """The ``suppressed_reason`` of a figure hidden by the linked-table audit."""
    return (f"hidden so that no group of fewer than {min_group_size} respondents can be derived by combining "
            "published figures (linked-table audit)")


@dataclass(frozen=True)
class Breach:
    """A small group an insider can pin: ``kind`` is ``"span"`` (sum determined) or ``"interval"``.

    ``cells`` are column indices of the table; ``width`` is the feasible
    interval of the group's mean (0 for ``"span"``). Never holds a value.
    """

    cells: tuple[int, ...]
    n: float
    kind: str
    width: float = 0.0


@dataclass
class Table:
    """Published figures of one measure as sums over cells.

    Attributes
    ----------
    n
        ``(C,)`` respondents per cell for this measure (0 = empty cell).
    sums
        ``(C,)`` true cell totals (e.g. the sum of respondents' 0-100 scores);
        ``None`` runs the span test only.
    rows
        ``(R, C)`` bool: published figure r covers cell c.
    lo, hi
        Bounds of one unit's value (the scale).
    people
        ``(C,)`` respondents per cell, when the measure's units are not
        respondents (e.g. favourable: one unit per *rating*, a respondent
        giving several). Small groups are counted in respondents; ``n`` then
        counts the units the mean is taken over. None: ``n``.
    """

    n: np.ndarray
    sums: np.ndarray | None
    rows: np.ndarray
    lo: float = 0.0
    hi: float = 100.0
    labels: list[str] = field(default_factory=list)  # cell names, for messages
    people: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.n = np.asarray(self.n, dtype=float)
        self.rows = np.asarray(self.rows, dtype=bool).reshape(-1, len(self.n))
        if self.sums is not None:
            self.sums = np.asarray(self.sums, dtype=float)
        if self.people is not None:
            self.people = np.asarray(self.people, dtype=float)

    @property
    def heads(self) -> np.ndarray:
        """Respondents per cell (what ``min_group_size`` counts)."""
        return self.n if self.people is None else self.people


def small_groups(n: np.ndarray, k: int, limit: int = MAX_GROUPS) -> list[tuple[int, ...]]:
    """Unions of non-empty cells with fewer than ``k`` respondents in total (smallest unions first).

    Examples
    --------
    >>> small_groups(np.array([1, 1, 5, 2, 0]), 3)
    [(0,), (1,), (3,), (0, 1)]
    """
    n = np.asarray(n, dtype=float)
    idx = [int(i) for i in np.flatnonzero((n > 0) & (n < k))]
    out: list[tuple[int, ...]] = [(i,) for i in idx]
    for size in range(2, k):
        for combo in itertools.combinations(idx, size):
            if n[list(combo)].sum() < k:
                out.append(combo)
                if len(out) >= limit:
                    log.debug("privacy audit: %d small groups checked (limit)", limit)
                    return out
    return out


def null_space(rows: np.ndarray, n_cols: int) -> np.ndarray:
    """Orthonormal basis ``(C, d)`` of the null space of the published rows (all of R^C when none).

    From the eigenvectors of the small ``C x C`` Gram matrix (eigenvalue 0),
    cheaper than an SVD of the rows.
    """
    a = np.asarray(rows, dtype=float).reshape(-1, n_cols)
    if not len(a):
        return np.eye(n_cols)
    w, v = np.linalg.eigh(a.T @ a)
    return v[:, w <= max(float(w[-1]), 1.0) * 1e-10]


def determined(rows: np.ndarray, groups: Sequence[Sequence[int]], n_cols: int,
               known: np.ndarray | None = None, basis: np.ndarray | None = None) -> np.ndarray:
    """For each group, whether its sum is a linear combination of the published rows.

    ``known`` cells (e.g. empty ones) count as known to be zero; ``basis``
    (their joint null space) is computed when not given.
    """
    if not len(groups):
        return np.zeros(0, dtype=bool)
    if basis is None:
        extra = np.eye(n_cols)[np.flatnonzero(known)] if known is not None and np.any(known) \
            else np.zeros((0, n_cols))
        basis = null_space(np.vstack([np.asarray(rows, dtype=float).reshape(-1, n_cols), extra]), n_cols)
    if basis.shape[1] == 0:
        return np.ones(len(groups), dtype=bool)
    g = np.zeros((len(groups), n_cols))
    for i, cells in enumerate(groups):
        g[i, list(cells)] = 1.0
    pinned: np.ndarray = np.linalg.norm(g @ basis, axis=1) < 1e-7
    return pinned


def _reach(table: Table, basis: np.ndarray, cells: Sequence[int], fix: np.ndarray) -> tuple[float, float]:
    """How far the group's mean can move down and up along one null-space direction (a sound inner bound)."""
    assert table.sums is not None
    sub = basis[~fix] if fix.any() else basis
    if fix.any():  # directions that also keep the ``fix`` cells unchanged
        keep = null_space(basis[fix], basis.shape[1])
        sub = basis @ keep
    else:
        sub = basis
    if sub.shape[1] == 0:
        return 0.0, 0.0
    d = sub @ sub[list(cells)].sum(axis=0)
    gain = float(d[list(cells)].sum())
    if gain <= 1e-12:
        return 0.0, 0.0
    x, low, high = table.sums, table.lo * table.n, table.hi * table.n
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(d > 1e-12, (high - x) / d, np.where(d < -1e-12, (low - x) / d, np.inf))
        down = np.where(d > 1e-12, (x - low) / d, np.where(d < -1e-12, (x - high) / d, np.inf))
    n_g = float(table.n[list(cells)].sum())
    return max(0.0, float(down.min())) * gain / n_g, max(0.0, float(up.min())) * gain / n_g


def inner_width(table: Table, basis: np.ndarray, cells: Sequence[int]) -> float:
    """A width the group's feasible interval certainly has (two null-space moves; 0 when unsure)."""
    assert table.sums is not None
    down, up = _reach(table, basis, cells, np.zeros(len(table.n), dtype=bool))
    tight = ((table.sums <= table.lo * table.n + 1e-9) | (table.sums >= table.hi * table.n - 1e-9)) & (table.n > 0)
    tight[list(cells)] = False
    if tight.any():
        d2, u2 = _reach(table, basis, cells, tight)
        down, up = max(down, d2), max(up, u2)
    return down + up


def outer_width(table: Table, rows: np.ndarray, cells: Sequence[int]) -> float:
    """A width the feasible interval certainly does not exceed: the narrowest single published row's bound."""
    assert table.sums is not None
    g = np.zeros(len(table.n), dtype=bool)
    g[list(cells)] = True
    n_g = float(table.n[g].sum())
    lo, hi = table.lo * n_g, table.hi * n_g
    for r in rows[rows[:, g].all(axis=1)]:
        rest = r & ~g
        b = float(table.sums[r].sum())
        lo = max(lo, b - table.hi * float(table.n[rest].sum()))
        hi = min(hi, b - table.lo * float(table.n[rest].sum()))
    return max(0.0, hi - lo) / n_g


def _lp_inputs(table: Table, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Non-empty cells, their distinct published rows ``a``, the sums ``b`` and the box bounds."""
    assert table.sums is not None
    cols = np.flatnonzero(table.n > 0)
    a = np.asarray(rows, dtype=float)[:, cols]
    a = np.unique(a[a.any(axis=1)], axis=0) if len(a) else a.reshape(0, len(cols))
    b = a @ table.sums[cols]
    box = np.column_stack([table.lo * table.n[cols], table.hi * table.n[cols]])
    return cols, a, b, box


def mean_interval(table: Table, rows: np.ndarray, cells: Sequence[int]) -> tuple[float, float]:
    """Feasible (min, max) of a group's mean given the published sums and the scale bounds (two LPs)."""
    return mean_intervals(table, rows, [cells])[0]


def lp_minima(problems: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]], *,
              batched: bool | None = None) -> list[float | None]:
    """The minimum of each linear programme ``min c.x  s.t.  A x = b,  lo <= x <= hi`` (None: no solution).

    Parameters
    ----------
    problems
        ``(c, A, b, box)`` with ``box`` of shape ``(len(c), 2)``; ``A`` may have no row.
    batched
        Solve them all as *one* programme (default `BATCHED_LP`): the
        problems' variables side by side and their constraints
        block-diagonal, so an optimum of the whole is an optimum of every
        block. One HiGHS call replaces one call per problem, whose set-up
        (SciPy's input checks, sparse conversions, HiGHS options) costs ten
        times the solve on the audit's small tables. Chunks hold at most
        `MAX_LP_COLUMNS` variables. Unbatched is the earlier one call per
        problem, kept as the benchmark's baseline; a batch that fails is
        solved again unbatched.
    """
    from scipy.optimize import linprog  # only the audit needs SciPy
    from scipy.sparse import csr_matrix

    batched = BATCHED_LP if batched is None else batched
    if not batched:
        out: list[float | None] = []
        for c, a, b, box in problems:
            res = linprog(c, A_eq=csr_matrix(a) if len(a) else None,  # type: ignore[call-overload]  # stubs: no sparse A_eq
                          b_eq=b if len(a) else None, bounds=box, method="highs")
            out.append(float(res.fun) if res.status == 0 else None)
        return out
    out = []
    start = 0
    while start < len(problems):
        stop, width = start, 0
        while stop < len(problems) and (stop == start or width + len(problems[stop][0]) <= MAX_LP_COLUMNS):
            width += len(problems[stop][0])
            stop += 1
        part = problems[start:stop]
        a_eq = _block_diagonal([a for _, a, _, _ in part], [len(c) for c, _, _, _ in part])
        res = linprog(np.concatenate([c for c, _, _, _ in part]), A_eq=a_eq,  # type: ignore[call-overload]  # sparse A_eq
                      b_eq=np.concatenate([b for _, _, b, _ in part]) if a_eq is not None else None,
                      bounds=np.vstack([box for _, _, _, box in part]), method="highs")
        if res.status != 0:
            out += lp_minima(part, batched=False)
        else:
            x, at = np.asarray(res.x), 0
            for c, _, _, _ in part:
                out.append(float(c @ x[at:at + len(c)]))
                at += len(c)
        start = stop
    return out


def _block_diagonal(blocks: Sequence[np.ndarray], widths: Sequence[int]) -> csr_matrix | None:
    """One sparse CSR matrix with the dense ``blocks`` on its diagonal (None when no block has a row)."""
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    r0 = c0 = 0
    for a, w in zip(blocks, widths, strict=False):
        a = np.asarray(a, dtype=float).reshape(-1, w)
        r, c = np.nonzero(a)
        rows.append(r + r0)
        cols.append(c + c0)
        vals.append(a[r, c])
        r0, c0 = r0 + len(a), c0 + w
    if r0 == 0:
        return None
    return csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r0, c0))


def mean_intervals(table: Table, rows: np.ndarray, groups: Sequence[Sequence[int]]) -> list[tuple[float, float]]:
    """Feasible (min, max) of each group's mean given the published sums and the scale bounds.

    Two linear programmes per group (its smallest and largest sum), all
    solved in one call (`lp_minima`). A programme without a solution
    (numerically infeasible) pins the group at its true mean: fail safe.
    """
    return [iv for _, iv in _interval_questions([(table, rows, g) for g in groups])]


def _interval_questions(questions: Sequence[tuple[Table, np.ndarray, Sequence[int]]]
                        ) -> list[tuple[int, tuple[float, float]]]:
    """``(index, (min, max))`` of each ``(table, rows, group)``'s mean, all in one `lp_minima` call."""
    problems, meta = [], []
    cache: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    for i, (table, rows, cells) in enumerate(questions):
        assert table.sums is not None
        key = id(rows)
        if key not in cache:
            cache[key] = _lp_inputs(table, rows)
        cols, a, b, box = cache[key]
        pos = {int(c): j for j, c in enumerate(cols)}
        obj = np.zeros(len(cols))
        obj[[pos[int(c)] for c in cells]] = 1.0
        n_g = float(table.n[list(cells)].sum())
        truth = float(table.sums[list(cells)].sum()) / n_g
        problems += [(obj, a, b, box), (-obj, a, b, box)]
        meta.append((i, n_g, truth))
    minima = lp_minima(problems)
    out = []
    for j, (i, n_g, truth) in enumerate(meta):
        low, high = minima[2 * j], minima[2 * j + 1]
        out.append((i, (truth, truth) if low is None or high is None else (low / n_g, -high / n_g)))
    return out


def audit(table: Table, shown: np.ndarray, k: int, *, first_only: bool = False,
          cleared: set[tuple[int, ...]] | None = None) -> list[Breach]:
    """Small groups an insider can pin from the ``shown`` rows of ``table``.

    Parameters
    ----------
    table
        The measure's cells and every row that could be published.
    shown
        ``(R,)`` bool: the rows actually published.
    k
        ``min_group_size``.
    first_only
        Stop at the first breach (for the greedy search).
    cleared
        Groups known safe with more rows shown (hiding rows only widens
        intervals); groups found safe are added to it.

    Returns
    -------
    list of Breach
        Empty when the publication is safe for this measure.
    """
    groups = small_groups(table.heads, k)
    if cleared:
        groups = [g for g in groups if g not in cleared]
    if not groups:
        return []
    rows = table.rows[np.asarray(shown, dtype=bool)]
    known = table.n <= 0
    extra = np.eye(len(table.n))[np.flatnonzero(known)]
    basis = null_space(np.vstack([rows.astype(float), extra]), len(table.n))
    pinned = determined(rows, groups, len(table.n), known, basis)
    out: list[Breach] = []
    for g, p in zip(groups, pinned, strict=True):
        if p:
            out.append(Breach(g, float(table.heads[list(g)].sum()), "span"))
            if first_only:
                return out
    if table.sums is None or not len(rows):
        return out
    half = (table.hi - table.lo) / 2.0
    undecided: list[tuple[int, ...]] = []
    for g, p in zip(groups, pinned, strict=False):
        if p:
            continue
        if not _touches(rows, g) or inner_width(table, basis, g) >= half:
            if cleared is not None:
                cleared.add(g)
            continue
        width = outer_width(table, rows, g)
        if width < half - 1e-9:
            out.append(Breach(g, float(table.heads[list(g)].sum()), "interval", width))
            if first_only:
                return out
        else:
            undecided.append(g)
    for g, (lo, hi) in zip(undecided, mean_intervals(table, rows, undecided), strict=False):  # one LP for all of them
        if hi - lo < half - 1e-9:
            out.append(Breach(g, float(table.heads[list(g)].sum()), "interval", hi - lo))
            if first_only:
                return out
        elif cleared is not None:
            cleared.add(g)
    return out


def _touches(rows: np.ndarray, cells: Sequence[int]) -> bool:
    """Whether any published row covers a cell of the group (else the LP cannot narrow it)."""
    return bool(rows[:, list(cells)].any())


def _candidates(table: Table, shown: np.ndarray, breach: Breach, fixed: np.ndarray) -> list[int]:
    """Shown rows that carry the breach (nonzero coefficient when the group is projected on them)."""
    idx = np.flatnonzero(shown & ~fixed)
    if not len(idx):
        return []
    target = np.zeros(len(table.n))
    target[list(breach.cells)] = 1.0
    rows = table.rows[shown].astype(float)
    y, *_ = np.linalg.lstsq(rows.T, target, rcond=None)
    shown_idx = np.flatnonzero(shown)
    used = {int(r) for r, coef in zip(shown_idx, y, strict=True) if abs(coef) > 1e-7}
    touching = {int(r) for r in idx if table.rows[r, list(breach.cells)].any()}
    cand = [int(r) for r in idx if int(r) in used | touching] or [int(r) for r in idx]
    cost = table.rows[cand].astype(float) @ table.n
    return [r for _, r in sorted(zip(cost, cand, strict=True))]


def choose_suppression(table: Table, shown: np.ndarray, k: int, *, fixed: np.ndarray | None = None,
                       max_steps: int = 10_000) -> tuple[np.ndarray, list[Breach]]:
    """Extra rows to hide until the audit passes, smallest information loss first.

    Parameters
    ----------
    table, shown, k
        As for `audit`.
    fixed
        Rows never to hide unless nothing else helps (e.g. the overall figure).

    Returns
    -------
    (numpy.ndarray, list of Breach)
        Bool mask of the extra rows to hide, and the breaches that remain
        (empty unless hiding every non-fixed row was not enough).
    """
    shown = np.asarray(shown, dtype=bool).copy()
    fixed = np.zeros(len(shown), dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    extra = np.zeros(len(shown), dtype=bool)
    cleared: set[tuple[int, ...]] = set()
    for _ in range(max_steps):
        breaches = audit(table, shown, k, first_only=True, cleared=cleared)
        if not breaches:
            return extra, []
        breach = breaches[0]
        cand = _candidates(table, shown, breach, fixed)
        if not cand:
            cand = _candidates(table, shown, breach, np.zeros(len(shown), dtype=bool))  # last resort: fixed too
            if not cand:
                return extra, audit(table, shown, k)
        choice = _first_clearing(table, shown, breach, cand[:6])  # the cheapest row whose removal clears it
        shown[choice] = False
        extra[choice] = True
    return extra, audit(table, shown, k)


def _first_clearing(table: Table, shown: np.ndarray, breach: Breach, cand: Sequence[int]) -> int:
    """The first of ``cand`` (cheapest first) whose hiding leaves ``breach``'s group unpinned (else ``cand[0]``).

    The trials that need a linear programme are solved together in one call.
    """
    verdict: list[bool | None] = []
    questions = []
    for r in cand:
        trial = shown.copy()
        trial[r] = False
        pinned = _pins_cheap(table, trial, breach)
        if pinned is None:
            questions.append((table, table.rows[trial], breach.cells))
        verdict.append(pinned)
    if questions:
        half = (table.hi - table.lo) / 2.0
        widths = iter(hi - lo for _, (lo, hi) in _interval_questions(questions))
        verdict = [v if v is not None else bool(next(widths) < half - 1e-9) for v in verdict]
    for r, pinned in zip(cand, verdict, strict=False):
        if not pinned:
            return int(r)
    return int(cand[0])


def _pins_cheap(table: Table, shown: np.ndarray, breach: Breach) -> bool | None:
    """Whether the group is pinned with only ``shown`` rows, when cheap tests decide it (None: an LP must)."""
    rows = table.rows[shown]
    if determined(rows, [breach.cells], len(table.n), table.n <= 0)[0]:
        return True
    if breach.kind == "span" or table.sums is None or not _touches(rows, breach.cells):
        return False
    basis = null_space(np.vstack([rows.astype(float), np.eye(len(table.n))[table.n <= 0]]), len(table.n))
    half = (table.hi - table.lo) / 2.0
    if inner_width(table, basis, breach.cells) >= half:
        return False
    if outer_width(table, rows, breach.cells) < half - 1e-9:
        return True
    return None
