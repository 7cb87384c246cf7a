"""The numbers (and words) playbook rules and narrative sentences may use.

Only *visible* values enter a context: a row flagged ``suppressed`` by
`toolkit.privacy.protect`, or a NaN, is absent, so nothing built from a
context can mention a suppressed value.
"""
from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
import pandas as pd

from toolkit.client_config import ClientConfig
from toolkit.metrics.alignment import band
from toolkit.metrics.assessment import Assessment
from toolkit.model import AREA, AREA_LABELS, AREAS, DEPARTMENT

SUPPRESSED = "suppressed"
AREA_ROW_METRICS = ("perception", "perception_lo", "perception_hi", "favourable", "consistency",
                    "within_dept_consistency", "between_dept_sd", "evidence", "alignment",
                    "alpha", "weight", "n")
STYLE_WORDS = {"collaborative": "collaborative", "autonomous": "autonomous",
               "accountability": "accountability-based"}


def band_of(value: float) -> str:
    """Band of a 0-100 score: aligned (>= 75), partly aligned (60-74.9), misaligned (< 60).

    Delegates to `toolkit.metrics.alignment.band`, the single definition ("" for NaN).
    """
    return band(value)


def num(x: Any) -> float | None:
    """Return ``x`` as a finite float, or ``None`` when absent, NaN or not a number."""
    if x is None or isinstance(x, (bool, np.bool_, str)):
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def visible(frame: pd.DataFrame | None) -> pd.DataFrame:
    """Rows that may be shown: not flagged ``suppressed`` (all rows when unflagged)."""
    if frame is None:
        return pd.DataFrame()
    if SUPPRESSED in frame.columns:
        return frame.loc[~frame[SUPPRESSED].fillna(False).astype(bool)]
    return frame


def as_shown(ctx: dict[str, Any], two_decimals: frozenset[str] = frozenset({"alpha", "min_alpha"}),
             exact: frozenset[str] = frozenset({"weight"})) -> dict[str, Any]:
    """The context with numbers rounded as a reader sees them (whole points; alpha 2 dp).

    Rules are judged and sentences written on these values, so a rule on
    ``perception < 60`` never fires on a perception the deck shows as 60.
    """
    out = {}
    for k, v in ctx.items():
        if isinstance(v, float) and k not in exact:
            v = round(v, 2 if k in two_decimals else 0) + 0.0  # + 0.0: no "-0"
        out[k] = v
    return out


def area_row(assessment: Assessment, area: str) -> dict[str, float | None]:
    """The area's visible metrics as ``{name: float | None}`` (all None when suppressed)."""
    areas = assessment.areas
    rows = visible(areas)
    if area not in rows.index:
        if AREA in rows.columns and area in set(rows[AREA]):
            row = rows.loc[rows[AREA] == area].iloc[0]
        else:
            return {m: None for m in AREA_ROW_METRICS}
    else:
        row = cast(pd.Series, rows.loc[area])  # the area index is unique: a row (pandas-stubs: Series | DataFrame)
    return {m: num(row.get(m)) for m in AREA_ROW_METRICS}


def level_gap(assessment: Assessment, area: str, group_a: str, group_b: str) -> float | None:
    """Visible perception gap ``P(group_a) - P(group_b)`` for one area, in points."""
    gaps = visible(assessment.perception_gaps)
    if gaps.empty or "gap" not in gaps.columns:
        return None
    sel = gaps.loc[(gaps[AREA] == area) & (gaps["group_a"] == group_a) & (gaps["group_b"] == group_b)]
    return num(sel["gap"].iloc[0]) if len(sel) else None


def area_kpis(assessment: Assessment, area: str) -> pd.DataFrame:
    """The area's KPIs with a known attainment."""
    kpis = assessment.kpis
    if kpis is None or kpis.empty or "attainment" not in kpis.columns:
        return pd.DataFrame(columns=["kpi_id", "name", "attainment"])
    sel = kpis.loc[kpis[AREA] == area]
    return sel.loc[sel["attainment"].notna()]


def department_shortfall(assessment: Assessment, area: str) -> tuple[str | None, float | None]:
    """The visible department furthest below the others on perception, and by how many points.

    The shortfall is the mean perception of the other visible departments minus
    the lowest one's; it needs at least two visible departments.
    """
    depts = visible(assessment.departments)
    if depts.empty or "perception" not in depts.columns:
        return None, None
    sel = depts.loc[(depts[AREA] == area) & depts["perception"].notna()]
    if len(sel) < 2:
        return None, None
    sel = sel.sort_values(["perception", DEPARTMENT], kind="mergesort")
    worst = sel.iloc[0]
    rest = float(sel["perception"].iloc[1:].mean())
    return str(worst[DEPARTMENT]), rest - float(worst["perception"])


def drift_change(assessment: Assessment, area: str, metric: str = "alignment") -> float | None:
    """A significant wave-on-wave difference (interval excludes 0); 0 when not significant."""
    drift = visible(assessment.drift)
    if drift.empty:
        return None
    sel = drift.loc[(drift[AREA] == area) & (drift["metric"] == metric)]
    if not len(sel):
        return None
    row = sel.iloc[0]
    diff, lo, hi = num(row.get("difference")), num(row.get("lo")), num(row.get("hi"))
    if diff is None or lo is None or hi is None:
        return None
    return diff if (lo > 0 or hi < 0) else 0.0


def area_context(assessment: Assessment, config: ClientConfig, area: str) -> dict[str, Any]:
    """Every number and word a rule or sentence may use about one area."""
    ctx: dict[str, Any] = dict(area_row(assessment, area))
    ctx["label"] = AREA_LABELS[area]
    ctx["promise"] = config.customer_promise
    ctx["style"] = STYLE_WORDS.get(config.management_style, config.management_style)
    ctx["client_name"] = assessment.client_name
    a = ctx["alignment"]
    ctx["band"] = band_of(a) if a is not None else None
    w = ctx["weight"]
    ctx["weight_pct"] = 100 * w if w is not None else None
    p, c = ctx["perception"], ctx["consistency"]
    ctx["perception_minus_consistency"] = p - c if p is not None and c is not None else None
    ctx["gap_executive_frontline"] = level_gap(assessment, area, "executive", "frontline")
    ctx["gap_executive_manager"] = level_gap(assessment, area, "executive", "manager")
    ctx["gap_manager_frontline"] = level_gap(assessment, area, "manager", "frontline")
    kpis = area_kpis(assessment, area)
    ctx["kpi_attainment"] = num(kpis["attainment"].mean()) if len(kpis) else None
    if len(kpis):
        worst = kpis.sort_values(["attainment", "kpi_id"], kind="mergesort").iloc[0]
        ctx["kpi_attainment_min"] = num(worst["attainment"])
        ctx["worst_kpi"] = str(worst.get("name") or worst["kpi_id"])
    else:
        ctx["kpi_attainment_min"], ctx["worst_kpi"] = None, None
    ctx["worst_department"], ctx["dept_shortfall"] = department_shortfall(assessment, area)
    change = drift_change(assessment, area)
    ctx["alignment_change"] = change
    ctx["alignment_decline"] = -change if change is not None and change < 0 else (
        0.0 if change is not None else None)
    return ctx


def oai_values(assessment: Assessment) -> dict[str, Any]:
    """The OAI's visible value, interval, band and n (all None when suppressed)."""
    oai = assessment.oai or {}
    hidden = bool(oai.get(SUPPRESSED, False))
    value = None if hidden else num(oai.get("value"))
    lo = None if hidden else num(oai.get("lo"))
    hi = None if hidden else num(oai.get("hi"))
    n = None if hidden else num(oai.get("n"))
    band_name = (oai.get("band") or band_of(value)) if value is not None else None
    return {"value": value, "lo": lo, "hi": hi, "n": n, "band": band_name}


def overall_context(assessment: Assessment, config: ClientConfig) -> dict[str, Any]:
    """Every number and word a cross-cutting rule or sentence may use."""
    per_area = {a: area_context(assessment, config, a) for a in AREAS}
    o = oai_values(assessment)
    ctx: dict[str, Any] = {"oai": o["value"], "oai_lo": o["lo"], "oai_hi": o["hi"],
                           "n_respondents": o["n"], "band": o["band"],
                           "promise": config.customer_promise,
                           "style": STYLE_WORDS.get(config.management_style, config.management_style),
                           "client_name": assessment.client_name}
    scored = {a: c["alignment"] for a, c in per_area.items() if c["alignment"] is not None}
    ctx["n_misaligned"] = float(sum(v < 60 for v in scored.values())) if scored else None
    ctx["n_partly_aligned"] = float(sum(60 <= v < 75 for v in scored.values())) if scored else None
    ctx["n_aligned"] = float(sum(v >= 75 for v in scored.values())) if scored else None
    if len(scored) >= 2:
        best, worst = max(scored, key=scored.get), min(scored, key=scored.get)  # type: ignore[arg-type]
        ctx["alignment_spread"] = scored[best] - scored[worst]
        ctx["strongest_area"], ctx["weakest_area"] = AREA_LABELS[best], AREA_LABELS[worst]
    else:
        ctx["alignment_spread"] = ctx["strongest_area"] = ctx["weakest_area"] = None
    alphas = {a: c["alpha"] for a, c in per_area.items() if c["alpha"] is not None}
    ctx["min_alpha"] = min(alphas.values()) if alphas else None
    ctx["low_alpha_area"] = AREA_LABELS[min(alphas, key=alphas.get)] if alphas else None  # type: ignore[arg-type]
    cons = [c["consistency"] for c in per_area.values() if c["consistency"] is not None]
    ctx["mean_consistency"] = float(np.mean(cons)) if cons else None
    ctx["min_consistency"] = min(cons) if cons else None
    gaps = {a: c["gap_executive_frontline"] for a, c in per_area.items()
            if c["gap_executive_frontline"] is not None}
    ctx["max_gap_executive_frontline"] = max(gaps.values()) if gaps else None
    ctx["gap_area"] = AREA_LABELS[max(gaps, key=gaps.get)] if gaps else None  # type: ignore[arg-type]
    ctx["n_flagged_gaps"] = float(sum(g >= 10 for g in gaps.values())) if gaps else None
    change = None
    for where, metric in (("overall", "oai"), ("oai", "oai"), ("overall", "alignment"), ("oai", "value")):
        change = drift_change(assessment, where, metric) if change is None else change
    ctx["oai_change"] = change
    ctx["oai_decline"] = (-change if change < 0 else 0.0) if change is not None else None
    return ctx
