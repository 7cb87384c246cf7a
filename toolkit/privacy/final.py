"""The last check before publication: the linked-table audit run again on the final ``summary.json``.

`check_summary` reads what a reader would read -- the summary's overall,
department, level and department x level records -- and audits them together
with the client's true cells (`toolkit.privacy.linked.verify`: perception and
favourable), then re-checks the head counts (`count_problems`: no hidden
department x level count may have a single solution given the shown totals
and what each hidden cell's reason says of it). A problem names the group,
never its value; `assert_publishable` turns problems into a
`PublicationBlocked` error, which fails the run (exit 1) before anything is
published.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import AlignmentError
from toolkit.model import AREA, DEPARTMENT, LEVEL, ClientData
from toolkit.privacy.counts import hidden_count_ranges
from toolkit.privacy.linked import client_cells, count_withheld_reason, verify

SUPPRESSED = "suppressed"


class PublicationBlocked(AlignmentError):
    """The final outputs would let a reader pin a group below ``min_group_size``."""


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(records or [], columns=columns + [SUPPRESSED])
    frame[SUPPRESSED] = frame[SUPPRESSED].fillna(False).astype(bool)
    return frame


def check_summary(summary: Mapping[str, Any], client: ClientData) -> list[str]:
    """Groups below the threshold that the summary's published figures pin (empty = publishable).

    Ratings first (`toolkit.privacy.linked.verify`), then head counts (`count_problems`).
    """
    k = int(client.config.privacy.min_group_size)
    areas = _frame(summary.get("areas", []), [AREA, "n", "perception", "favourable"]).set_index(AREA)
    if bool(summary.get("oai", {}).get(SUPPRESSED, False)):
        areas[SUPPRESSED] = True
    departments = _frame(summary.get("departments", []), [DEPARTMENT, AREA, "n", "perception", "favourable"])
    levels = _frame(summary.get("levels", []), [LEVEL, AREA, "n", "perception", "favourable"])
    shown = _frame(summary.get("coverage", []), [DEPARTMENT, LEVEL, "n"])
    hidden = {(str(d), str(lv)) for d, lv, s in zip(shown[DEPARTMENT], shown[LEVEL], shown[SUPPRESSED], strict=True) if s}
    people = client.respondents
    coverage = people.groupby([DEPARTMENT, LEVEL], sort=True).size().rename("n").reset_index()
    coverage[SUPPRESSED] = [(str(d), str(lv)) in hidden or (str(d), str(lv)) not in
                            set(zip(shown[DEPARTMENT].astype(str), shown[LEVEL].astype(str), strict=True))
                            for d, lv in zip(coverage[DEPARTMENT], coverage[LEVEL], strict=True)]
    problems: list[str] = verify(areas, departments, levels, coverage, k, cells=client_cells(client))
    return problems + count_problems(summary, client)


def count_problems(summary: Mapping[str, Any], client: ClientData) -> list[str]:
    """Hidden department x level head counts that the summary's shown totals pin to one value.

    The reader is given the overall total, the total of every department and
    level the summary shows (a shown record's ``n`` gives it, or nearly), every shown
    cell, and for each hidden cell what its reason says: "fewer than k"
    (1 to k-1), the band-free "count withheld" (0 or more), any other reason
    (at least k: only cells of k or more are hidden for a sibling or by the
    audit). A department x level combination the summary does not list is
    known to be empty when it is; a non-empty one it omits is unknown (0 or
    more). One line per pinned cell below ``k``, naming it, never its count.
    """
    k = int(client.config.privacy.min_group_size)
    people = client.respondents
    records = [r for r in summary.get("coverage", []) if r.get(DEPARTMENT) is not None and r.get(LEVEL) is not None]
    depts = sorted({str(d) for d in people[DEPARTMENT]} | {str(r[DEPARTMENT]) for r in records})
    levels = sorted({str(lv) for lv in people[LEVEL]} | {str(r[LEVEL]) for r in records})
    n = np.zeros((len(depts), len(levels)))
    sizes = people.groupby([DEPARTMENT, LEVEL]).size()
    for d, lv, size in zip(sizes.index.get_level_values(0), sizes.index.get_level_values(1), sizes, strict=True):
        n[depts.index(str(d)), levels.index(str(lv))] = float(size)
    big = float(n.sum())
    hidden = np.zeros(n.shape, dtype=bool)
    low, high = np.zeros(n.shape), np.full(n.shape, big)
    listed = np.zeros(n.shape, dtype=bool)
    withheld, small = count_withheld_reason(k), f"fewer than {k} respondents"
    for rec in records:
        i, j = depts.index(str(rec[DEPARTMENT])), levels.index(str(rec[LEVEL]))
        listed[i, j] = True
        if not bool(rec.get(SUPPRESSED, False)):
            continue
        hidden[i, j] = True
        reason = str(rec.get("reason") or rec.get("suppressed_reason") or "")
        if reason.startswith(small):
            low[i, j], high[i, j] = 1.0, k - 1.0
        elif reason != withheld:
            low[i, j] = float(k)
    hidden |= ~listed & (n > 0)  # omitted but not empty: unknown, 0 or more
    row_shown = np.array([_total_shown(summary, "departments", DEPARTMENT, d) for d in depts], dtype=bool)
    col_shown = np.array([_total_shown(summary, "levels", LEVEL, lv) for lv in levels], dtype=bool)
    # Only a count below k is a small group: a larger one that the totals pin says nothing a shown count would not.
    ranges = hidden_count_ranges(n, hidden, low, high, row_shown, col_shown, targets=(n > 0) & (n < k))
    return [f"head count of {depts[i]} x {levels[j]}: a hidden count below {k} has a "
            "single solution from the shown totals" for (i, j), (lo, hi) in sorted(ranges.items()) if lo >= hi]


def _total_shown(summary: Mapping[str, Any], key: str, column: str, name: str) -> bool:
    """Whether some shown record of the group (a department or level) gives its head count."""
    return any(str(r.get(column)) == name and not bool(r.get(SUPPRESSED, False)) and r.get("n") is not None
               for r in summary.get(key, []))


def assert_publishable(summary: dict[str, Any], client: ClientData) -> None:
    """Raise `PublicationBlocked` naming every pinned group (never a value)."""
    problems = check_summary(summary, client)
    if problems:
        raise PublicationBlocked("privacy audit failed; nothing is published:\n  " + "\n  ".join(problems))
