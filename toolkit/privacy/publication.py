"""Everything published together (DESIGN 2.2): the deck's ``summary.json`` and the explorer's exports.

The deck's text and charts are drawn from the protected assessment whose
figures ``summary.json`` records (`toolkit.privacy.final` audits it). The
explorer exports further figures: a scenario (``scenario.json``, its CSV and
shared page) of a department, a level or a department x level cell shows
that group's figures per area. `check_publication` adds each exported view to
the summary's figures -- a department view as that department's row, a level
view as the level's, a cell view as a shown cell -- and runs the linked-table
audit over the whole set, so a view the deck hides, or a view that combines
with the deck's figures to pin a small group, is caught before it leaves.
`toolkit.explore.export.export_view` calls `assert_export_publishable` before
it writes anything: the new view is audited with the deck's summary and every
view already exported for the same client and wave.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.metrics.assessment import Assessment
from toolkit.model import AREA, ClientData

SUPPRESSED = "suppressed"
#: The deck's summary in a wave's report folder (`toolkit.summary.SUMMARY_FILE`).
SUMMARY_FILE = "summary.json"


def merge_views(summary: Mapping[str, Any], scenarios: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A summary whose department, level and coverage records include the exported views' figures.

    A view's area ``perception`` and ``favourable`` join the group's record
    (an already shown record keeps its values, but takes a share it left
    blank; a hidden one becomes shown with the view's values).
    A two-filter view that is shown marks its department x level cell shown.
    Suppressed views add nothing.
    """
    out = {key: [dict(r) for r in value] if isinstance(value, list) else value for key, value in summary.items()}
    for scenario in scenarios:
        if scenario.get(SUPPRESSED):
            continue
        filters = scenario.get("filters") or {}
        dept, level = filters.get("department"), filters.get("level")
        if dept is None and level is None:
            continue
        if dept is not None and level is not None:
            cov = out.setdefault("coverage", [])
            rec = next((r for r in cov if r.get("department") == dept and r.get("level") == level), None)
            if rec is None:
                cov.append({"department": dept, "level": level, SUPPRESSED: False})
            else:
                rec[SUPPRESSED] = False
            continue
        key, col, name = ("departments", "department", dept) if dept is not None else ("levels", "level", level)
        frame = out.setdefault(key, [])
        for area in scenario.get("areas", []):
            if area.get(SUPPRESSED) or area.get("perception") is None:
                continue
            rec = next((r for r in frame if r.get(col) == name and r.get("area") == area["area"]), None)
            if rec is None:
                frame.append({col: name, "area": area["area"], "n": area.get("n"), "perception": area["perception"],
                              "favourable": area.get("favourable"), SUPPRESSED: False})
            elif rec.get(SUPPRESSED):
                rec.update(perception=area["perception"], n=area.get("n"), favourable=area.get("favourable"),
                           **{SUPPRESSED: False})
            elif rec.get("favourable") is None:
                rec["favourable"] = area.get("favourable")
    return out


def check_publication(summary: Mapping[str, Any], client: ClientData,
                      scenarios: Iterable[Mapping[str, Any]] = ()) -> list[str]:
    """Groups below the threshold that the summary and the exported views pin together (empty = publishable).

    Parameters
    ----------
    summary
        The deck's ``summary.json`` dict.
    client
        The client's data (the audit uses its true cell sums).
    scenarios
        ``scenario.json`` dicts (`toolkit.explore.export.scenario_dict`) of the views exported with it.
    """
    from toolkit.privacy.final import check_summary

    return check_summary(merge_views(summary, list(scenarios)), client)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a protected frame as a summary's records (a suppressed row's measures null)."""
    if frame.index.name == AREA and AREA not in frame.columns:
        frame = frame.reset_index()
    keep = [c for c in ("area", "department", "level", "n", "perception", "favourable") if c in frame.columns]
    out = []
    for row in frame.to_dict("records"):
        hidden = bool(row.get(SUPPRESSED, False))
        rec = {c: (None if hidden and c in ("n", "perception", "favourable") else _plain(row[c])) for c in keep}
        rec[SUPPRESSED], rec["reason"] = hidden, str(row.get("suppressed_reason", "")) if hidden else ""
        out.append(rec)
    return out


def summary_of(assessment: Assessment) -> dict[str, Any]:
    """What the deck's ``summary.json`` publishes of a protected assessment, as far as the audit reads it."""
    return {"areas": _frame_records(assessment.areas),
            "oai": {SUPPRESSED: bool(assessment.oai.get(SUPPRESSED, False))},
            "departments": _frame_records(assessment.departments), "levels": _frame_records(assessment.levels),
            "coverage": _frame_records(assessment.coverage)}


def published_scenarios(folder: str | Path) -> list[dict[str, Any]]:
    """The ``scenario.json`` of every explorer export already in a client's wave folder."""
    out = []
    for path in sorted(Path(folder).glob("explore-*/scenario.json")):
        try:
            out.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):  # an unreadable export is not published data we can add
            continue
    return out


def assert_export_publishable(scenario: Mapping[str, Any], client: ClientData, summary: Mapping[str, Any],
                              earlier: Iterable[Mapping[str, Any]] = ()) -> None:
    """Raise `toolkit.privacy.final.PublicationBlocked` when the export, with what is published, pins a group.

    Parameters
    ----------
    scenario
        The ``scenario.json`` dict about to be written.
    client
        The unfiltered client.
    summary
        The deck's summary (the published ``summary.json``, or `summary_of` the protected assessment).
    earlier
        Scenarios already exported for the same client and wave.
    """
    from toolkit.privacy.final import PublicationBlocked

    problems = check_publication(summary, client, [*earlier, scenario])
    if problems:
        raise PublicationBlocked("privacy audit failed; the view is not exported:\n  " + "\n  ".join(problems))
