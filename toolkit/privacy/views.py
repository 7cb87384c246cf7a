"""Confidentiality of the explorer's filtered views (DESIGN 2.2), called by `toolkit.explore`.

A filtered view is a group of the full client's breakdowns, so it is shown
only when the deck would show that group. If the department (in any area),
the level, or the department x level cell is suppressed in the protected full
assessment -- below the threshold *or* hidden by secondary suppression -- the
whole view is suppressed (`suppress_all`), so two views can never be
subtracted to recover a small group.

A one-filter view shows a breakdown over the other dimension: a level view
breaks its results down by department, a department view by level. Each of
those cells is a department x level cell of the full client, so it is shown
only when the full protected ``coverage`` shows that cell
(`cross_hidden_cells`, `hide_cross_cells`); the spread of department means is
then recomputed over the departments still shown.

Favourable shares follow the full audit too (`hide_shares`): no view shows
a department x level cell's share, and a department's or level's view shows
its share only where the deck does.

The filters are any object with ``department`` and ``level`` attributes
(``None`` = not filtered), e.g. `toolkit.explore.scenario.Filters`.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Protocol

import numpy as np
import pandas as pd

from toolkit.client_config import Privacy
from toolkit.metrics.assessment import Assessment
from toolkit.model import DEPARTMENT, LEVEL
from toolkit.privacy.notices import CROSS_CELLS, HIDDEN_GROUPS, TOTAL_SMALL, VIEW_SUPPRESSED, Notice, without
from toolkit.privacy.suppression import SUPPRESSED, SUPPRESSED_REASON, department_spread, hide_rows, protect


class GroupFilter(Protocol):
    """What `group_hidden_reason` needs of a filter (read-only, as a frozen dataclass has them)."""

    @property
    def department(self) -> str | None: ...

    @property
    def level(self) -> str | None: ...


def _first_reason(rows: pd.DataFrame) -> str:
    hidden = rows.loc[rows[SUPPRESSED].to_numpy(dtype=bool)]
    return str(hidden[SUPPRESSED_REASON].iloc[0]) if len(hidden) else ""


def group_hidden_reason(full: Assessment, filters: GroupFilter) -> str:
    """Why the filtered group may not be shown, judged on the protected full assessment ("" = shown).

    Parameters
    ----------
    full
        The client's unfiltered, protected assessment.
    filters
        The group asked for.

    Returns
    -------
    str
        The ``suppressed_reason`` of the department, level or department x level
        cell that is suppressed, or a sentence when the group has no respondent.
    """
    if not full.protected:
        raise ValueError("group_hidden_reason needs a protected assessment")
    if bool(full.oai.get(SUPPRESSED, False)):
        return str(full.oai.get(SUPPRESSED_REASON, ""))
    checks: list[tuple[pd.DataFrame, np.ndarray]] = []
    if filters.department is not None:
        d = full.departments
        checks.append((d, (d[DEPARTMENT] == filters.department).to_numpy(dtype=bool, na_value=False)))
    if filters.level is not None:
        lv = full.levels
        checks.append((lv, (lv[LEVEL] == filters.level).to_numpy(dtype=bool, na_value=False)))
    if filters.department is not None and filters.level is not None:
        c = full.coverage
        checks.append((c, ((c[DEPARTMENT] == filters.department) & (c[LEVEL] == filters.level))
                       .to_numpy(dtype=bool, na_value=False)))
    for frame, mask in checks:
        if not mask.any():
            return "no respondent in this group"
        reason = _first_reason(frame.loc[mask])
        if reason:
            return reason
    return ""


def cross_hidden_cells(full: Assessment, filters: GroupFilter) -> dict[str, str]:
    """Groups of a one-filter view's breakdown that the full client's coverage hides.

    Parameters
    ----------
    full
        The client's unfiltered, protected assessment.
    filters
        A view with exactly one of department or level set.

    Returns
    -------
    dict
        For a level filter, ``{department: reason}``; for a department filter,
        ``{level: reason}``: every department x level cell of the filtered group
        that ``full.coverage`` suppresses (below the threshold or by secondary
        suppression), with that cell's ``suppressed_reason``. Empty for no
        filter or both filters (then the cell itself decides the whole view).
    """
    if not full.protected:
        raise ValueError("cross_hidden_cells needs a protected assessment")
    if (filters.department is None) == (filters.level is None):
        return {}
    c = full.coverage
    value: str | None
    if filters.level is not None:
        own, other, value = LEVEL, DEPARTMENT, filters.level
    else:
        own, other, value = DEPARTMENT, LEVEL, filters.department
    rows = c.loc[(c[own] == value).to_numpy(dtype=bool, na_value=False) & c[SUPPRESSED].to_numpy(dtype=bool)]
    return {str(g): str(r) or "suppressed in the full client's department x level breakdown"
            for g, r in zip(rows[other], rows[SUPPRESSED_REASON], strict=True)}


def hide_cross_cells(view: Assessment, full: Assessment, filters: GroupFilter) -> Assessment:
    """A one-filter view with its breakdown cells hidden where the full coverage hides them.

    A level view hides those department rows (``departments`` and
    ``coverage``); a department view those level rows (``levels``,
    ``coverage`` and the ``perception_gaps`` that involve them). A hidden
    row's ``n`` is NaN too. ``within_dept_consistency`` and ``between_dept_sd``
    are recomputed over the departments still shown. The inputs are not modified.
    """
    hidden = cross_hidden_cells(full, filters)
    if not hidden:
        return view
    by = DEPARTMENT if filters.level is not None else LEVEL

    def mask_of(frame: pd.DataFrame, col: str) -> tuple[np.ndarray, list[str]]:
        groups = frame[col].astype(object).to_numpy()
        return (np.array([str(g) in hidden for g in groups], dtype=bool),
                [hidden.get(str(g), "") for g in groups])

    changes: dict[str, object] = {}
    m, why = mask_of(view.coverage, by)
    changes["coverage"] = hide_rows(view.coverage, m, why, ["n"])
    if by == DEPARTMENT:
        m, why = mask_of(view.departments, DEPARTMENT)
        depts = hide_rows(view.departments, m, why, ["n", "perception", "favourable", "consistency"])
        changes["departments"] = depts
        changes["areas"] = department_spread(view.areas, depts, view.areas[SUPPRESSED].to_numpy(dtype=bool))
    else:
        m, why = mask_of(view.levels, LEVEL)
        changes["levels"] = hide_rows(view.levels, m, why, ["n", "perception", "favourable"])
        gaps = view.perception_gaps
        ma, wa = mask_of(gaps, "group_a")
        mb, wb = mask_of(gaps, "group_b")
        gaps = hide_rows(gaps, ma | mb, [a or b for a, b in zip(wa, wb, strict=True)], ["gap", "p_value", "n_a", "n_b"])
        if "flagged" in gaps.columns:
            gaps["flagged"] = gaps["flagged"].to_numpy(dtype=bool) & ~gaps[SUPPRESSED].to_numpy(dtype=bool)
        changes["perception_gaps"] = gaps
    n_hidden = len(hidden)
    warnings = list(view.warnings) + [Notice(
        f"{n_hidden} {'department' if by == DEPARTMENT else 'level'} result{'s are' if n_hidden != 1 else ' is'} "
        "hidden in this selection because the full client's department x level breakdown hides "
        f"{'them' if n_hidden != 1 else 'it'}.", CROSS_CELLS)]
    return replace(view, warnings=warnings, **changes)  # type: ignore[arg-type]


def hide_shares(view: Assessment, full: Assessment, filters: GroupFilter) -> Assessment:
    """A filtered view whose favourable shares are blank where the full client's audit allows none.

    A department x level cell's share is never published (the audit checks
    shares over departments, levels and the whole client only): a two-filter
    view's areas, and a one-filter view's breakdown rows, show no share. A
    one-filter view shows its group's share per area only where the full
    protected assessment shows it. Perception is untouched. The inputs are
    not modified.
    """
    if filters.department is None and filters.level is None:
        return view
    changes: dict[str, pd.DataFrame] = {}
    areas = view.areas.copy()
    if filters.department is not None and filters.level is not None:
        areas["favourable"] = np.nan
        changes["departments"] = _no_share(view.departments)
        changes["levels"] = _no_share(view.levels)
    else:
        own, col, name = ((full.departments, DEPARTMENT, filters.department) if filters.department is not None
                          else (full.levels, LEVEL, filters.level))
        rows = own.loc[(own[col] == name).to_numpy(dtype=bool, na_value=False)]
        blank = {str(a) for a, f in zip(rows["area"], rows["favourable"], strict=True) if pd.isna(f)}
        areas["favourable"] = [np.nan if str(a) in blank else f for a, f in zip(areas.index, areas["favourable"],
                                                                               strict=True)]
        breakdown, same = ("levels", "departments") if filters.department is not None else ("departments", "levels")
        changes[breakdown] = _no_share(getattr(view, breakdown))
        group = getattr(view, same)
        changes[same] = group.assign(favourable=[np.nan if str(a) in blank else f for a, f in
                                                 zip(group["area"], group["favourable"], strict=True)])
    return replace(view, areas=areas, **changes)  # type: ignore[arg-type]


def _no_share(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(favourable=np.nan) if "favourable" in frame.columns else frame


def suppress_all(raw: Assessment, privacy: Privacy, reason: str) -> Assessment:
    """Protect with a threshold above the group's size, so `protect` hides every ratings result.

    Every suppressed row gets ``reason``; the notices that state the raised
    threshold (it would tell the group's size) give way to one saying the
    selection is suppressed.
    """
    above = max(int(privacy.min_group_size), int(raw.oai.get("n", 0) or 0) + 1)
    out = protect(raw, privacy.model_copy(update={"min_group_size": above}))
    for name in ("areas", "items", "departments", "levels", "coverage", "perception_gaps"):
        frame = getattr(out, name).copy()
        if SUPPRESSED_REASON in frame.columns:
            frame[SUPPRESSED_REASON] = np.where(frame[SUPPRESSED].to_numpy(dtype=bool), reason, "").astype(object)
        out = replace(out, **{name: frame})
    out.oai = {**out.oai, SUPPRESSED: True, SUPPRESSED_REASON: reason}
    out.warnings = without(out.warnings, codes=[TOTAL_SMALL, HIDDEN_GROUPS])
    out.warnings.append(Notice(f"This selection is suppressed: {reason}.", VIEW_SUPPRESSED))
    return out
