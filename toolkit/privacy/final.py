"""The last check before publication: the linked-table audit run again on the final ``summary.json``.

`check_summary` reads what a reader would read -- the summary's overall,
department, level and department x level records -- and audits them together
with the client's true cells (`toolkit.privacy.linked.verify`). A problem
names the group, never its value; `assert_publishable` turns problems into a
`PublicationBlocked` error, which fails the run (exit 1) before anything is
published.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from toolkit.errors import AlignmentError
from toolkit.model import AREA, DEPARTMENT, LEVEL, ClientData
from toolkit.privacy.linked import client_cells, verify

SUPPRESSED = "suppressed"


class PublicationBlocked(AlignmentError):
    """The final outputs would let a reader pin a group below ``min_group_size``."""


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(records or [], columns=columns + [SUPPRESSED])
    frame[SUPPRESSED] = frame[SUPPRESSED].fillna(False).astype(bool)
    return frame


def check_summary(summary: dict[str, Any], client: ClientData) -> list[str]:
    """Groups below the threshold that the summary's published figures pin (empty = publishable)."""
    k = int(client.config.privacy.min_group_size)
    areas = _frame(summary.get("areas", []), [AREA, "n", "perception"]).set_index(AREA)
    if bool(summary.get("oai", {}).get(SUPPRESSED, False)):
        areas[SUPPRESSED] = True
    departments = _frame(summary.get("departments", []), [DEPARTMENT, AREA, "n", "perception"])
    levels = _frame(summary.get("levels", []), [LEVEL, AREA, "n", "perception"])
    shown = _frame(summary.get("coverage", []), [DEPARTMENT, LEVEL, "n"])
    hidden = {(str(d), str(lv)) for d, lv, s in zip(shown[DEPARTMENT], shown[LEVEL], shown[SUPPRESSED], strict=True) if s}
    people = client.respondents
    coverage = people.groupby([DEPARTMENT, LEVEL], sort=True).size().rename("n").reset_index()
    coverage[SUPPRESSED] = [(str(d), str(lv)) in hidden or (str(d), str(lv)) not in
                            set(zip(shown[DEPARTMENT].astype(str), shown[LEVEL].astype(str), strict=True))
                            for d, lv in zip(coverage[DEPARTMENT], coverage[LEVEL], strict=True)]
    return verify(areas, departments, levels, coverage, k, cells=client_cells(client))


def assert_publishable(summary: dict[str, Any], client: ClientData) -> None:
    """Raise `PublicationBlocked` naming every pinned group (never a value)."""
    problems = check_summary(summary, client)
    if problems:
        raise PublicationBlocked("privacy audit failed; nothing is published:\n  " + "\n  ".join(problems))
