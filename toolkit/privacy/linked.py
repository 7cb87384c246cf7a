"""The linked-table audit applied to one assessment (and everything the explorer can show of it).

`audit_breakdowns` builds, for each area, the `toolkit.privacy.audit.Table`
of every figure a run can publish -- the overall figure, each department,
each level and each department x level cell (the explorer's two-filter views
and its one-filter breakdowns) -- and lets `choose_suppression` hide extra
departments, levels or cells until no small group can be pinned. A cell
hidden for one area is hidden for all (coverage is one table, and the explorer
hides a whole view when its group is hidden in any area). Head counts are then
protected by `toolkit.privacy.counts.protect_counts`.

Cell sums come from `cell_table` (respondents' 0-100 area scores summed per
cell) when the caller has the data; without it the audit reconstructs *a*
data set consistent with the published department, level and overall
figures (which is what the insider's linear programme sees of the deck).
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.model import AREA, DEPARTMENT, LEVEL, ClientData
from toolkit.privacy.audit import Breach, Table, audit, audit_reason, choose_suppression
from toolkit.privacy.counts import choose_counts

log = logging.getLogger("toolkit")

SUPPRESSED = "suppressed"
SUPPRESSED_REASON = "suppressed_reason"
CELL_COLUMNS = [DEPARTMENT, LEVEL, AREA, "n", "sum"]
#: The measures of a cells frame (`client_cells`): a mean per respondent, and a share of ratings.
PERCEPTION, FAVOURABLE = "perception", "favourable"


def favourable_reason(min_group_size: int) -> str:
    """Why a shown result's favourable share is blank (its perception stays): see `audit_breakdowns`."""
    return (f"favourable share hidden so that no group of fewer than {min_group_size} respondents can be "
            "derived from the published shares (linked-table audit)")


def count_withheld_reason(min_group_size: int) -> str:
    """The one ``suppressed_reason`` of every hidden head count when bands would pin them (no band)."""
    return (f"count withheld: counts below {min_group_size}, and counts that would reveal them, are not shown "
            "(linked-table audit)")


def counts_reason(min_group_size: int) -> str:
    """The ``suppressed_reason`` of a count hidden so that hidden counts stay unsolvable."""
    return (f"hidden so that no count below {min_group_size} can be solved from the shown totals "
            "(linked-table audit)")


@dataclass
class Layout:
    """The department x level cells of a client and the rows that can be published over them."""

    departments: list[str]
    levels: list[str]
    keys: list[tuple[str, str, str]] = field(default_factory=list)  # ("overall"|"department"|"level"|"cell", a, b)
    rows: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))

    @classmethod
    def of(cls, coverage: pd.DataFrame) -> Layout:
        """Cells from ``coverage`` (``department, level, n``)."""
        depts = sorted({str(d) for d in coverage[DEPARTMENT]})
        levels = sorted({str(lv) for lv in coverage[LEVEL]})
        out = cls(depts, levels)
        n_cells = len(depts) * len(levels)
        rows: list[np.ndarray] = [np.ones(n_cells, dtype=bool)]
        keys: list[tuple[str, str, str]] = [("overall", "", "")]
        for i, d in enumerate(depts):
            r = np.zeros((len(depts), len(levels)), dtype=bool)
            r[i, :] = True
            rows.append(r.ravel())
            keys.append(("department", d, ""))
        for j, lv in enumerate(levels):
            r = np.zeros((len(depts), len(levels)), dtype=bool)
            r[:, j] = True
            rows.append(r.ravel())
            keys.append(("level", lv, ""))
        for i, d in enumerate(depts):
            for j, lv in enumerate(levels):
                cell = np.zeros(n_cells, dtype=bool)
                cell[i * len(levels) + j] = True
                rows.append(cell)
                keys.append(("cell", d, lv))
        out.keys, out.rows = keys, np.array(rows, dtype=bool)
        return out

    def cell_index(self, department: str, level: str) -> int:
        return self.departments.index(str(department)) * len(self.levels) + self.levels.index(str(level))

    def grid(self, frame: pd.DataFrame, column: str) -> np.ndarray:
        """``(C,)`` values of ``column`` of a frame with department and level columns (0 where absent)."""
        out = np.zeros(len(self.departments) * len(self.levels))
        for d, lv, v in zip(frame[DEPARTMENT], frame[LEVEL], frame[column], strict=True):
            if str(d) in self.departments and str(lv) in self.levels and pd.notna(v):
                out[self.cell_index(d, lv)] = float(v)
        return out

    def labels(self) -> list[str]:
        return [f"{d} x {lv}" for d in self.departments for lv in self.levels]


def cell_table(ratings_points: pd.DataFrame) -> pd.DataFrame:
    """Per department x level x area: respondents ``n`` and the ``sum`` of their scores.

    Parameters
    ----------
    ratings_points
        One row per respondent and area: ``department, level, area, score``
        (the respondent's 0-100 score of the area; NaN = did not rate it).
    """
    rated = ratings_points.dropna(subset=["score"])
    out = rated.groupby([DEPARTMENT, LEVEL, AREA], sort=True)["score"].agg(["size", "sum"]).reset_index()
    return out.rename(columns={"size": "n"})[CELL_COLUMNS]


def _feasible_sums(layout: Layout, rows: np.ndarray, n: np.ndarray, b: np.ndarray, lo: float, hi: float
                   ) -> np.ndarray | None:
    """Some cell sums consistent with the published sums ``b`` (None when there is none)."""
    from scipy.optimize import linprog

    res = linprog(np.zeros(len(n)), A_eq=rows.astype(float), b_eq=b, bounds=[(lo * m, hi * m) for m in n],
                  method="highs")
    return np.asarray(res.x) if res.status == 0 else None


def _published_sums(layout: Layout, area: str, areas: pd.DataFrame, departments: pd.DataFrame,
                    levels: pd.DataFrame, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the deck's figures for ``area`` with their sums (mean x n) -- what the insider reads."""
    rows, b = [], []
    overall = areas["perception"].reindex([area]).to_numpy(dtype=float)[0]
    if not np.isnan(overall):
        rows.append(layout.rows[0])
        b.append(float(overall) * n.sum())
    for frame, kind, col in ((departments, "department", DEPARTMENT), (levels, "level", LEVEL)):
        sub = frame.loc[(frame[AREA] == area).to_numpy(dtype=bool)]
        for g, p in zip(sub[col], sub["perception"], strict=True):
            if pd.notna(p):
                r = layout.rows[layout.keys.index((kind, str(g), ""))]
                rows.append(r)
                b.append(float(p) * n[r].sum())
    return np.array(rows, dtype=bool).reshape(-1, len(n)), np.array(b, dtype=float)


def _shown(layout: Layout, area: str, departments: pd.DataFrame, levels: pd.DataFrame,
           coverage_hidden: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Which rows of the layout are published for ``area`` before the audit."""
    hidden_d = {str(d) for d, a, s in zip(departments[DEPARTMENT], departments[AREA], departments[SUPPRESSED], strict=True)
                if a == area and s}
    hidden_l = {str(lv) for lv, a, s in zip(levels[LEVEL], levels[AREA], levels[SUPPRESSED], strict=True) if a == area and s}
    shown = np.ones(len(layout.keys), dtype=bool)
    for r, (kind, a, b) in enumerate(layout.keys):
        cells = layout.rows[r]
        if not (n[cells] > 0).any():
            shown[r] = False  # nothing to publish
        elif kind == "department":
            shown[r] = a not in hidden_d
        elif kind == "level":
            shown[r] = a not in hidden_l
        elif kind == "cell":
            shown[r] = not coverage_hidden[layout.cell_index(a, b)]
    return shown


@dataclass
class AuditResult:
    """What the audit hid: ``(kind, group, area)`` -> reason, and what (if anything) it could not fix."""

    hidden: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: ``(kind, group, area)`` whose favourable share alone is hidden (kind "overall": the area's own share).
    favourable_hidden: dict[tuple[str, str, str], str] = field(default_factory=dict)
    cells_hidden: set[tuple[str, str]] = field(default_factory=set)
    counts_hidden: set[tuple[str, str]] = field(default_factory=set)
    #: Whether hidden head counts may read "fewer than k" (False: one band-free reason, every combination listed).
    count_bands: bool = True
    unresolved: list[tuple[str, Breach]] = field(default_factory=list)


def _area_inputs(layout: Layout, area: str, areas: pd.DataFrame, departments: pd.DataFrame,
                 levels: pd.DataFrame, cells: pd.DataFrame | None, head: np.ndarray | None,
                 cov_hidden: np.ndarray, scale: tuple[float, float]
                 ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """One area's cell counts, cell sums (true ones, else sums consistent with what is published) and shown rows."""
    if cells is not None:
        sub = measure_cells(cells, PERCEPTION)
        sub = sub.loc[(sub[AREA] == area).to_numpy(dtype=bool)]
        n, sums = layout.grid(sub, "n"), layout.grid(sub, "sum")
    else:
        n, sums = head.copy(), None  # type: ignore[union-attr]
    shown = _shown(layout, area, departments, levels, cov_hidden, n)
    if sums is None:
        rows_b, b = _published_sums(layout, area, areas, departments, levels, n)
        sums = _feasible_sums(layout, rows_b, n, b, *scale) if len(b) else None
    return n, sums, shown


def area_tables(layout: Layout, area: str, n: np.ndarray, sums: np.ndarray | None,
                cells: pd.DataFrame | None, scale: tuple[float, float]) -> list[Table]:
    """Every measure published per group for one area, each as a `Table` over the same rows.

    * perception -- the mean of respondents' 0-100 area scores (linear);
    * favourable -- the share of the area's *ratings* in the agreeing half,
      a mean of 0/100 per rating (linear; ``people`` counts the respondents),
      when ``cells`` has the `FAVOURABLE` measure.

    Perception decides which rows are shown at all; favourable is then
    audited on the rows left, and where it would pin a group only the share
    is hidden (`favourable_rows`), the row's perception stays. No output
    publishes a department x level cell's favourable share (`cell_rows`).
    Consistency (item-level r_wg, floored at 0 and averaged over items) is
    not linear in the answers and is not a table here: it is published only
    on rows that also show perception -- the same row hides both
    (`toolkit.privacy.suppression`), and an explorer view shows it only when
    its group is shown -- so it is shown only for groups that pass this
    audit. Combining two groups' consistency does not isolate a third: r_wg
    of a union depends on the item means of its parts, which no output
    publishes per group, and the floor at 0 discards the variance.
    """
    tables = [Table(n, sums, layout.rows, scale[0], scale[1], layout.labels())]
    if cells is not None and sums is not None:
        fav = measure_cells(cells, FAVOURABLE)
        fav = fav.loc[(fav[AREA] == area).to_numpy(dtype=bool)]
        if len(fav):
            tables.append(Table(layout.grid(fav, "n"), layout.grid(fav, "sum"), layout.rows, 0.0, 100.0,
                                layout.labels(), people=layout.grid(fav, "people")))
    return tables


def cell_rows(layout: Layout) -> np.ndarray:
    """Which rows of the layout are department x level cells (no output publishes their favourable share)."""
    return np.array([kind == "cell" for kind, _, _ in layout.keys], dtype=bool)


def favourable_rows(table: Table, shown: np.ndarray, k: int, fixed: np.ndarray) -> np.ndarray:
    """Rows whose favourable share must be blank so that no small group is pinned by the shares.

    ``shown`` are the rows that would publish a share (perception shown,
    cells excluded). The greedy choice and the give-back pass are the ones
    used for whole rows. ``fixed`` rows (the overall one) are never chosen;
    when blanking every other share is not enough, every share of the area is
    blank, the overall one included.
    """
    extra, left = choose_suppression(table, shown, k, fixed=fixed)
    if left:
        return shown.copy()
    return give_back(table, shown, extra, k)


def choose_rows(tables: Sequence[Table], shown: np.ndarray, k: int, fixed: np.ndarray
                ) -> tuple[np.ndarray, list[Breach]]:
    """Extra rows to hide so that every table passes (`choose_suppression` table by table)."""
    extra = np.zeros(len(shown), dtype=bool)
    left: list[Breach] = []
    for table in tables:  # hiding rows for a later table only widens the earlier tables' intervals
        more, rest = choose_suppression(table, shown & ~extra, k, fixed=fixed)
        extra |= more
        left += rest
    return extra, left


def one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """A context in which BLAS uses one thread: the audit's matrices are small, and on a shared
    machine a multithreaded BLAS spends more time waiting than computing (15x on 2 busy cores)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency; without it the audit is only slower
        return contextlib.nullcontext()
    limits: contextlib.AbstractContextManager[object] = threadpool_limits(limits=1, user_api="blas")
    return limits


def audit_breakdowns(areas: pd.DataFrame, departments: pd.DataFrame, levels: pd.DataFrame,
                     coverage: pd.DataFrame, k: int, *, cells: pd.DataFrame | None = None,
                     scale: tuple[float, float] = (0.0, 100.0)) -> AuditResult:
    """Choose the extra suppression of departments, levels and cells (see `_audit_breakdowns`)."""
    with one_blas_thread():
        return _audit_breakdowns(areas, departments, levels, coverage, k, cells=cells, scale=scale)


def _audit_breakdowns(areas: pd.DataFrame, departments: pd.DataFrame, levels: pd.DataFrame,
                     coverage: pd.DataFrame, k: int, *, cells: pd.DataFrame | None = None,
                     scale: tuple[float, float] = (0.0, 100.0)) -> AuditResult:
    """Choose the extra suppression of departments, levels and cells (see the module docstring).

    Parameters
    ----------
    areas, departments, levels, coverage
        Frames after primary and secondary suppression (``suppressed`` columns).
    k
        ``min_group_size``.
    cells
        `cell_table` of the client, when the data are at hand.
    scale
        Bounds of one respondent's score.
    """
    result = AuditResult()
    if coverage.empty:
        return result
    layout = Layout.of(coverage)
    head = layout.grid(coverage.assign(n=coverage["n"]), "n") if "n" in coverage else None
    cov_hidden = layout.grid(coverage.assign(h=coverage[SUPPRESSED].astype(float)), "h") > 0
    # Head counts first: a cell whose count must be hidden is hidden as a figure too, so the ratings
    # audit below does not spend suppression on what the counts hide anyway.
    if head is not None:
        grid = head.reshape(len(layout.departments), len(layout.levels))
        more, result.count_bands = choose_counts(
            grid, cov_hidden.reshape(grid.shape), (grid > 0) & (grid < k), k,
            row_shown=totals_shown(departments, DEPARTMENT, layout.departments),
            col_shown=totals_shown(levels, LEVEL, layout.levels))
        for i, j in np.argwhere(more):
            result.counts_hidden.add((layout.departments[i], layout.levels[j]))
        cov_hidden |= more.ravel()
    reason = audit_reason(k)
    fixed = np.array([kind == "overall" for kind, _, _ in layout.keys])
    hidden_before = np.zeros(len(layout.keys), dtype=bool)  # rows hidden for an earlier area are tried first
    for area in areas.index:
        if bool(areas.loc[area, SUPPRESSED]):
            continue
        n, sums, shown = _area_inputs(layout, area, areas, departments, levels, cells, head, cov_hidden, scale)
        perception, *shares = area_tables(layout, str(area), n, sums, cells, scale)
        extra, left = choose_rows([perception], shown & ~hidden_before, k, fixed)
        hidden = (extra | (shown & hidden_before))
        if not left:
            hidden = give_back(perception, shown, hidden, k)
        hidden_before |= hidden
        for r in np.flatnonzero(hidden):
            kind, a, b2 = layout.keys[r]
            if kind == "cell":
                result.cells_hidden.add((a, b2))
            result.hidden[(kind, _group(kind, a, b2), str(area))] = reason
        result.unresolved += [(str(area), br) for br in left]
        for share in shares:
            blank = favourable_rows(share, shown & ~hidden & ~cell_rows(layout), k, fixed)
            for r in np.flatnonzero(blank):
                kind, a, b2 = layout.keys[r]
                result.favourable_hidden[(kind, _group(kind, a, b2), str(area))] = favourable_reason(k)
    log.debug("privacy audit: %d figures, %d cells, %d counts, %d favourable shares hidden; %d unresolved",
              len(result.hidden), len(result.cells_hidden), len(result.counts_hidden),
              len(result.favourable_hidden), len(result.unresolved))
    return result


def _group(kind: str, a: str, b: str) -> str:
    """The name of a layout row's group in `AuditResult` keys ("" for overall, "D x L" for a cell)."""
    return f"{a} x {b}" if kind == "cell" else a


def totals_shown(frame: pd.DataFrame, column: str, groups: Sequence[str]) -> np.ndarray:
    """Whether each group's head count is published: some record of it (any area) is shown with its ``n``.

    Hiding later (the ratings audit, the sibling rule again) only hides more,
    so counts protected against these totals stay protected.
    """
    shown = ~frame[SUPPRESSED].to_numpy(dtype=bool) & frame["n"].notna().to_numpy(dtype=bool)
    names = {str(g) for g, s in zip(frame[column], shown, strict=True) if s}
    return np.array([g in names for g in groups], dtype=bool)


def give_back(table: Table | Sequence[Table], shown: np.ndarray, hidden: np.ndarray, k: int) -> np.ndarray:
    """Show again every extra-hidden row whose return keeps the audit passing.

    The greedy choice hides rows one breach at a time (and starts from the
    rows an earlier area hid), so a row hidden early can become unnecessary
    once later rows are hidden. Each hidden row is tried in turn, the most
    informative (most respondents) first, and stays shown when no group is
    then pinned: the result hides no row it could do without.

    Parameters
    ----------
    table
        One area's cells and rows (or its tables, one per measure: a row
        comes back only when every table still passes).
    shown
        Rows published for the area before the audit.
    hidden
        Rows the audit hid (within ``shown``).
    k
        ``min_group_size``.
    """
    tables = [table] if isinstance(table, Table) else list(table)
    hidden = hidden & shown
    cost = tables[0].rows.astype(float) @ tables[0].n
    for r in sorted(np.flatnonzero(hidden), key=lambda r: (-cost[r], r)):
        trial = hidden.copy()
        trial[r] = False
        if not any(audit(t, shown & ~trial, k, first_only=True) for t in tables):
            hidden = trial
    return hidden


def verify(areas: pd.DataFrame, departments: pd.DataFrame, levels: pd.DataFrame, coverage: pd.DataFrame,
           k: int, *, cells: pd.DataFrame | None = None, scale: tuple[float, float] = (0.0, 100.0)) -> list[str]:
    """Re-audit final figures (see `_verify`): one line per pinned group, never a value."""
    with one_blas_thread():
        return _verify(areas, departments, levels, coverage, k, cells=cells, scale=scale)


def _verify(areas: pd.DataFrame, departments: pd.DataFrame, levels: pd.DataFrame, coverage: pd.DataFrame,
           k: int, *, cells: pd.DataFrame | None = None, scale: tuple[float, float] = (0.0, 100.0)
           ) -> list[str]:
    """Re-audit final figures: one line per pinned group, naming the group, never its value."""
    if coverage.empty:
        return []
    layout = Layout.of(coverage)
    head = layout.grid(coverage, "n")
    cov_hidden = layout.grid(coverage.assign(h=coverage[SUPPRESSED].astype(float)), "h") > 0
    problems = []
    for area in areas.index:
        if bool(areas.loc[area, SUPPRESSED]):
            continue
        n, sums, shown = _area_inputs(layout, area, areas, departments, levels, cells, head, cov_hidden, scale)
        with_share = _shares_shown(layout, str(area), areas, departments, levels) & shown
        for measure, table in zip((PERCEPTION, FAVOURABLE), area_tables(layout, str(area), n, sums, cells, scale),
                                  strict=False):
            what = f"area {area}" if measure == PERCEPTION else f"area {area} ({measure})"
            for br in audit(table, shown if measure == PERCEPTION else with_share, k):
                names = " + ".join(layout.labels()[c] for c in br.cells)
                how = "derivable exactly" if br.kind == "span" else "bounded to less than half the scale"
                problems.append(f"{what}: the group {names} (fewer than {k} respondents) is {how} "
                                "from the published figures")
    return problems


def _shares_shown(layout: Layout, area: str, areas: pd.DataFrame, departments: pd.DataFrame,
                  levels: pd.DataFrame) -> np.ndarray:
    """Rows of the layout whose favourable share is published for ``area`` (a frame without the column: all)."""
    out = ~cell_rows(layout)
    if "favourable" in areas.columns and area in areas.index:
        out[0] = not np.isnan(float(areas["favourable"].to_numpy(dtype=float)[list(areas.index).index(area)]))
    for frame, kind, col in ((departments, "department", DEPARTMENT), (levels, "level", LEVEL)):
        if "favourable" not in frame.columns:
            continue
        sub = frame.loc[(frame[AREA] == area).to_numpy(dtype=bool)]
        blank = {str(g) for g, f in zip(sub[col], sub["favourable"], strict=True) if pd.isna(f)}
        for r, (k2, a, _) in enumerate(layout.keys):
            if k2 == kind and a in blank:
                out[r] = False
    return out


def client_cells(client: ClientData) -> pd.DataFrame | None:
    """`cell_table` of a `toolkit.model.ClientData`: each respondent's 0-100 area score, summed per cell.

    Uses the metrics' own respondent means (`toolkit.metrics.items`); returns
    None when the data cannot be pivoted (the audit then reconstructs sums
    from the published figures). The frame also holds, with ``measure``
    `FAVOURABLE`, each cell's favourable figure as a sum over its *ratings*
    (``n`` ratings, ``people`` respondents, ``sum`` = 100 x favourable
    ratings); the perception rows have ``measure`` `PERCEPTION`.
    """
    from toolkit.metrics.items import build_matrix, respondent_means
    from toolkit.metrics.perception import to_points

    try:
        matrix, _ = build_matrix(client.ratings, client.questions)
    except (KeyError, ValueError):  # pragma: no cover - intake guarantees the columns
        return None
    frames, favourable = [], []
    for area in sorted(set(matrix.items[AREA]) - {"outcome"}):
        cols = matrix.area_columns(area)
        values = matrix.values[:, cols]
        means, rated = respondent_means(values)
        people = matrix.respondents.loc[rated, [DEPARTMENT, LEVEL]].copy()
        people[AREA] = area
        people["score"] = np.asarray(to_points(means[rated]), dtype=float)
        frames.append(people)
        mask = ~np.isnan(values[rated])
        hits = (np.where(mask, values[rated], -np.inf) >= matrix.favourable_min(cols) - 1e-9).sum(axis=1)
        fav = people[[DEPARTMENT, LEVEL, AREA]].assign(ratings=mask.sum(axis=1).astype(float),
                                                       hits=100.0 * hits.astype(float), people=1.0)
        favourable.append(fav)
    if not frames:
        return None
    out = cell_table(pd.concat(frames, ignore_index=True)).assign(measure=PERCEPTION)
    out["people"] = out["n"].astype(float)
    fav = (pd.concat(favourable, ignore_index=True).groupby([DEPARTMENT, LEVEL, AREA], sort=True)
           [["ratings", "hits", "people"]].sum().reset_index()
           .rename(columns={"ratings": "n", "hits": "sum"}).assign(measure=FAVOURABLE))
    return pd.concat([out, fav[out.columns]], ignore_index=True)


def measure_cells(cells: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The rows of one measure of a cells frame (a frame without ``measure`` holds perception only)."""
    if "measure" not in cells.columns:
        return cells if measure == PERCEPTION else cells.iloc[0:0]
    return cells.loc[(cells["measure"] == measure).to_numpy(dtype=bool)]


def membership_changes(current: ClientData, previous: ClientData, k: int) -> list[tuple[str, str]]:
    """Departments and levels whose membership changed by 1 to ``k - 1`` people between two waves.

    A department of 3 in one wave and 4 in the next, with the same three
    respondent ids, gives the newcomer's answers as ``4 m2 - 3 m1`` when the
    others answer alike. Only groups whose respondent ids overlap between the
    waves are considered (ids that change every wave show nothing).

    Parameters
    ----------
    current, previous
        `toolkit.model.ClientData` of the two waves.

    Returns
    -------
    list of (kind, name)
        ``("department", name)`` or ``("level", name)``, to pass to
        `toolkit.privacy.protect` as ``wave_changes``.
    """
    out: list[tuple[str, str]] = []
    now, before = current.respondents, previous.respondents
    for kind, col in (("department", DEPARTMENT), ("level", LEVEL)):
        ids_now = _members(now, col)
        ids_before = _members(before, col)
        for group, members in sorted(ids_now.items()):
            old = ids_before.get(group, set())
            changed = len(members ^ old)
            if old & members and 0 < changed < k:
                out.append((kind, str(group)))
    return out



def _members(respondents: pd.DataFrame, column: str) -> dict[str, set[str]]:
    """Respondent ids of each department or level."""
    out: dict[str, set[str]] = {}
    for group, rid in zip(respondents[column], respondents["respondent_id"], strict=True):
        out.setdefault(str(group), set()).add(str(rid))
    return out
