"""Recommendations a partner would sign: one per finding it answers, with owner, horizon and success KPI.

Each candidate finding picks the playbook rule that answers it (same area,
matching kind) among the rules that fired; strengths and rises get a
"protect" action. Method housekeeping (a question set to review) is kept
apart for the appendix. Actions are full sentences, never shortened.
"""
from __future__ import annotations

import pandas as pd

from toolkit.findings.candidates import (
    BLIND_SPOT,
    DRIFT,
    KPI_CONTRADICTION,
    LOW_AGREEMENT,
    OUTLIER_UNIT,
    PRINCIPAL_GAP,
    STRENGTH,
    Finding,
)
from toolkit.findings.context import visible
from toolkit.model import AREA, DEPARTMENT

ROADMAP_COLUMNS = ["kind", AREA, "finding", "action", "owner", "horizon", "success", "priority", "rule_id"]
HOUSEKEEPING_RULES = frozenset({"xc_measurement_weak"})
#: Words in a rule id that say which kind of finding it answers.
KIND_HINTS = {OUTLIER_UNIT: ("department_outlier",), BLIND_SPOT: ("blind_spot", "middle_layer"),
              LOW_AGREEMENT: ("uneven", "inconsistent", "not_followed", "applied_unevenly"),
              KPI_CONTRADICTION: ("belief_ahead", "kpis_below", "not_trusted"),
              PRINCIPAL_GAP: ("",), DRIFT: ("",)}


def _success(f: Finding, kpis: pd.DataFrame, kpi_depts: pd.DataFrame) -> str:
    """A success KPI with its target for the finding's area (the unit's KPI for an outlier unit)."""
    sel = kpis.loc[kpis[AREA] == f.area] if len(kpis) else kpis
    if f.kind == BLIND_SPOT:
        return f"Executive–{f.evidence.get('group_b', 'frontline')} gap on {f.label} below 10 points at the next wave"
    if len(sel):
        if f.unit is not None and len(kpi_depts):
            mine = kpi_depts.loc[kpi_depts["kpi_id"].isin(set(sel["kpi_id"])) & (kpi_depts[DEPARTMENT] == f.unit)]
            if len(mine):
                sel = sel.loc[sel["kpi_id"].isin(set(mine["kpi_id"]))]
        k = sel.sort_values(["attainment", "kpi_id"], kind="mergesort").iloc[0]
        op = "≤" if k["better"] == "lower" else "≥"
        where = f"in {f.unit}" if f.unit else "in every department"
        return f"{k['name']} {op} {float(k['target']):g} {k['unit']} {where}, most months of the next quarter"
    if f.kind == LOW_AGREEMENT:
        return f"{f.label} consistency at 60 or more at the next wave"
    if f.unit:
        return f"{f.unit} within 5 points of the other departments on {f.label} at the next wave"
    return f"{f.label} alignment at 75 or more at the next wave"


def _protect(f: Finding, previous_wave: str | None) -> tuple[str, str, int]:
    if f.kind == DRIFT:
        since = f" since {previous_wave}" if previous_wave else ""
        return (f"Protect {f.label}: name an owner for what changed{since}, keep its standards in onboarding "
                f"and review its KPIs every quarter so the gain is not lost.", "COO", 90)
    return (f"Protect {f.label}: name an owner for it, keep its standards in onboarding and review its KPIs "
            f"every quarter so it stays aligned.", "COO", 90)


def build_roadmap(candidates: list[Finding], recommendations: pd.DataFrame, kpis: pd.DataFrame,
                  kpi_departments: pd.DataFrame, previous_wave: str | None = None) -> pd.DataFrame:
    """One recommendation per finding, in the findings' priority order.

    Parameters
    ----------
    candidates
        Significant findings, highest priority first.
    recommendations
        The fired playbook rules (`toolkit.findings.build.fire_rules`).
    kpis, kpi_departments
        The assessment's KPI tables (visible rows are used).

    Returns
    -------
    pandas.DataFrame
        ``kind, area, finding, action, owner, horizon, success, priority, rule_id``.
    """
    kpis, kpi_departments = visible(kpis), visible(kpi_departments)
    used: set[str] = set()
    protected: set[str] = set()
    rows = []
    for f in candidates:
        rule = None
        if f.kind in (STRENGTH, DRIFT) and f.direction in ("up", "above") and f.area in protected:
            continue  # one "protect" action per area
        if f.kind in KIND_HINTS and not (f.kind == DRIFT and f.direction == "up"):
            fired = recommendations.loc[(recommendations[AREA] == f.area)
                                        & ~recommendations["rule_id"].isin(used)] if len(recommendations) else recommendations
            for hint in KIND_HINTS[f.kind]:
                match = fired.loc[fired["rule_id"].str.contains(hint, regex=False)] if len(fired) else fired
                if len(match):
                    rule = match.iloc[0]
                    break
        if rule is not None:
            used.add(str(rule["rule_id"]))
            action, owner, horizon, rule_id = str(rule["action"]), str(rule["owner"]), int(rule["horizon"]), str(rule["rule_id"])
        elif f.kind in (STRENGTH, DRIFT) and f.direction in ("up", "above"):
            (action, owner, horizon), rule_id = _protect(f, previous_wave), ""
            protected.add(f.area)
        else:
            continue
        if f.unit and f.unit not in action:
            action = f"In {f.unit}: {action[0].lower()}{action[1:]}"
        rows.append({"kind": f.kind, AREA: f.area, "finding": f.sentence, "action": action, "owner": owner,
                     "horizon": horizon, "success": _success(f, kpis, kpi_departments),
                     "priority": round(f.priority, 6), "rule_id": rule_id})
    return pd.DataFrame(rows, columns=ROADMAP_COLUMNS)


def housekeeping(recommendations: pd.DataFrame) -> pd.DataFrame:
    """Method housekeeping (e.g. review the question set): shown in the appendix, not the roadmap."""
    if not len(recommendations):
        return recommendations
    return recommendations.loc[recommendations["rule_id"].isin(HOUSEKEEPING_RULES)]
