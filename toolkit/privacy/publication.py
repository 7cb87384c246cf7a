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
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from toolkit.model import ClientData

SUPPRESSED = "suppressed"


def merge_views(summary: Mapping[str, Any], scenarios: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A summary whose department, level and coverage records include the exported views' figures.

    A view's area ``perception`` joins the group's record (an already shown
    record keeps its value; a hidden one becomes shown with the view's value).
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
                frame.append({col: name, "area": area["area"], "n": area.get("n"),
                              "perception": area["perception"], SUPPRESSED: False})
            elif rec.get(SUPPRESSED):
                rec.update(perception=area["perception"], n=area.get("n"), **{SUPPRESSED: False})
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
