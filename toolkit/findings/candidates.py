"""Typed candidate findings (DESIGN 2.3), each with its evidence, significance and priority.

A finding is one thing a partner would tell the client: the principal gap,
a significant drift, a leadership blind spot, a named outlier unit, a KPI
contradiction, low agreement, or a strength to protect. Priority is the
area's strategic weight times the effect in points; only significant
findings are kept. Every number comes from the protected assessment's
visible rows, so a suppressed value never reaches a finding.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.findings.context import num, visible
from toolkit.findings.significance import ALPHA, excludes_zero, holm, respondent_points, unit_shortfall_interval
from toolkit.findings.wording import interval_text
from toolkit.metrics.assessment import Assessment
from toolkit.model import AREA, AREA_LABELS, AREAS, DEPARTMENT

AreaValues = dict[str, dict[str, float | None]]
"""Visible per-area numbers by area (`area_values`): ``{area: {metric: float | None}}``."""

PRINCIPAL_GAP = "principal_gap"
DRIFT = "drift"
BLIND_SPOT = "blind_spot"
OUTLIER_UNIT = "outlier_unit"
KPI_CONTRADICTION = "kpi_contradiction"
LOW_AGREEMENT = "low_agreement"
STRENGTH = "strength"
KINDS = (PRINCIPAL_GAP, DRIFT, BLIND_SPOT, OUTLIER_UNIT, KPI_CONTRADICTION, LOW_AGREEMENT, STRENGTH)

ALIGNED = 75.0            # band threshold: at or above is aligned
GAP_POINTS = 10.0         # a level gap or unit shortfall must reach this
LOW_AGREEMENT_C = 50.0    # consistency below this, with n >= LOW_AGREEMENT_N, is low agreement
LOW_AGREEMENT_N = 20
STRENGTH_WEIGHT = 0.25    # a strength to protect carries at least this share of the weight
KPI_HIGH, KPI_LOW = 60.0, 40.0  # P >= 60 but E < 40 (or the reverse) is a contradiction
LEVEL_WORDS = {"executive": "executives", "manager": "managers", "frontline": "the frontline"}


@dataclass(frozen=True)
class Finding:
    """One candidate finding.

    Attributes
    ----------
    kind
        One of `KINDS`.
    area
        Area id (every kind has one).
    effect
        Size in points (shortfall, change, gap); always >= 0.
    weight
        The area's strategic weight (0-1).
    priority
        ``weight * effect``.
    significant
        Whether the finding's test passes (only significant findings are reported).
    sentence
        The executive-summary sentence, in a partner's words, with its numbers.
    title
        An action title (one sentence, at most 15 words) for the slide that shows it.
    evidence
        The numbers behind it: values, n, interval, p-values.
    unit
        The department named, for an outlier unit.
    direction
        ``"up"`` / ``"down"`` for a drift, ``"below"`` for gaps, ``"above"`` for a strength.
    tone
        ``"negative"`` or ``"positive"``: the sentiment a supporting quote should have.
    """

    kind: str
    area: str
    effect: float
    weight: float
    priority: float
    significant: bool
    sentence: str
    title: str
    evidence: dict[str, Any] = field(default_factory=dict)
    unit: str | None = None
    direction: str | None = None
    tone: str = "negative"

    @property
    def label(self) -> str:
        """The area's display label."""
        return AREA_LABELS[self.area]


def _r(x: float) -> str:
    return f"{x:.0f}"


def _shown(x: float | None) -> float | None:
    return None if x is None else float(round(x))


def area_values(assessment: Assessment) -> AreaValues:
    """Visible per-area numbers: alignment, its interval, components, weight, n."""
    rows = visible(assessment.areas)
    out: AreaValues = {}
    for area in AREAS:
        if area not in rows.index:
            out[area] = {}
            continue
        row = rows.loc[area]
        out[area] = {k: num(row.get(k)) for k in (
            "alignment", "alignment_lo", "alignment_hi", "perception", "consistency", "consistency_lo",
            "consistency_hi", "evidence", "weight", "n", "favourable")}
    return out


def period_word(operations: pd.DataFrame | None) -> str:
    """``months`` / ``quarters`` / ``weeks`` / ``days``: the period unit of the KPI observations."""
    if operations is None or operations.empty or "period" not in operations.columns:
        return "months"
    sample = str(operations["period"].iloc[0])
    if re.fullmatch(r"\d{4}-Q\d", sample):
        return "quarters"
    if re.fullmatch(r"\d{4}-W\d{2}", sample):
        return "weeks"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", sample):
        return "days"
    return "months"


# --- the seven kinds ------------------------------------------------------------------------------

def principal_gap(vals: AreaValues) -> Finding | None:
    """Among areas below 75 (as shown), the largest ``w * (75 - A)``; None when every area is aligned."""
    best = None
    for area, v in vals.items():
        a, w = _shown(v.get("alignment")), v.get("weight")
        if a is None or w is None or a >= ALIGNED:
            continue
        prio = w * (ALIGNED - a)
        if best is None or prio > best[0]:
            best = (prio, area, a, w)
    if best is None:
        return None
    prio, area, a, w = best
    v, label = vals[area], AREA_LABELS[area]
    band = "misaligned" if a < 60 else "partly aligned"
    lo, hi = v.get("alignment_lo"), v.get("alignment_hi")
    ci = f"; 90% interval {_r(lo)}–{_r(hi)}" if lo is not None and hi is not None else ""
    sentence = (f"The principal gap is {label}: it scores {_r(a)} ({band}{ci}), {_r(ALIGNED - a)} points "
                f"short of aligned, and carries {_r(100 * w)}% of the strategic weight.")
    title = f"{label} is the principal gap: {_r(a)}, {_r(ALIGNED - a)} points short of aligned"
    return Finding(PRINCIPAL_GAP, area, ALIGNED - a, w, prio, True, sentence, title,
                   {"alignment": a, "lo": lo, "hi": hi, "n": v.get("n"), "weight": w}, direction="below")


def drifts(assessment: Assessment, vals: AreaValues, previous_wave: str | None,
           kpis: pd.DataFrame) -> list[Finding]:
    """One finding per area whose alignment (else perception) changed beyond its interval."""
    drift = visible(assessment.drift)
    if drift.empty:
        return []
    since = f"since {previous_wave}" if previous_wave else "since the last wave"
    out = []
    for area in AREAS:
        w = vals[area].get("weight")
        for metric in ("alignment", "perception"):
            sel = drift.loc[(drift[AREA] == area) & (drift["metric"] == metric)]
            if not len(sel) or w is None:
                continue
            row = sel.iloc[0]
            prev, cur, diff = num(row.get("previous")), num(row.get("current")), num(row.get("difference"))
            lo, hi = num(row.get("lo")), num(row.get("hi"))
            # Method v2 marks a change significant when its Holm-adjusted 95 % interval excludes 0.
            called = bool(row["significant"]) if "significant" in row.index else excludes_zero(lo, hi)
            if prev is None or cur is None or diff is None or not called or round(abs(diff)) < 1:
                continue
            assert lo is not None and hi is not None, "a called change has its interval"
            label, up = AREA_LABELS[area], diff > 0
            verb = "rose" if up else "fell"
            sentence = (f"{label} {metric} {verb} {_r(abs(diff))} points {since} ({_r(prev)} → {_r(cur)}; "
                        f"95% interval {interval_text(lo, hi, signed=True)}, adjusted for every change compared)")
            sentence += _kpi_tail(kpis, area) if up else ""
            sentence += "."
            title = f"{label} {metric} {verb} {_r(abs(diff))} points {since}, from {_r(prev)} to {_r(cur)}"
            out.append(Finding(DRIFT, area, abs(diff), w, w * abs(diff), True, sentence, title,
                               {"metric": metric, "previous": prev, "current": cur, "difference": diff,
                                "lo": lo, "hi": hi}, direction="up" if up else "down",
                               tone="positive" if up else "negative"))
            break
    return out


def _kpi_tail(kpis: pd.DataFrame, area: str) -> str:
    sel = kpis.loc[(kpis[AREA] == area) & kpis["attainment"].notna()] if len(kpis) else kpis
    if not len(sel):
        return ""
    lo, hi = float(sel["attainment"].min()), float(sel["attainment"].max())
    span = f"{_r(lo)}%" if round(lo) == round(hi) else f"{_r(lo)}–{_r(hi)}%"
    noun = "its KPI is" if len(sel) == 1 else "its KPIs are"
    return f", and {noun} now on target in {span} of observations"


def blind_spots(assessment: Assessment, vals: AreaValues) -> list[Finding]:
    """The level gaps the metrics flag as blind spots (the slide highlights the same ones).

    Method v2 flags a gap of >= 10 points whose 95 % interval, Holm-adjusted
    over every level-pair x area test of the client, excludes 0
    (`toolkit.metrics.gaps.level_gaps`: ``flagged``, ``p_holm``). Without those
    columns (an older assessment) the Holm adjustment runs here over the visible tests.
    """
    gaps = visible(assessment.perception_gaps)
    if gaps.empty or "gap" not in gaps.columns:
        return []
    v2 = {"flagged", "p_holm"} <= set(gaps.columns)
    adjusted = ([math.nan if (x := num(p)) is None else x for p in gaps["p_holm"]] if v2 else
                holm([math.nan if (x := num(p)) is None else x for p in gaps["p_value"]]))
    levels = visible(assessment.levels)
    found: dict[str, Finding] = {}
    for (_, row), p_adj in zip(gaps.iterrows(), adjusted, strict=True):
        gap, area = num(row.get("gap")), str(row[AREA])
        w = vals.get(area, {}).get("weight")
        called = bool(row["flagged"]) if v2 else (not math.isnan(p_adj) and p_adj < ALPHA)
        if gap is None or w is None or gap < GAP_POINTS or not called or math.isnan(p_adj):
            continue
        a, b = str(row["group_a"]), str(row["group_b"])
        pa, pb = _level_p(levels, a, area), _level_p(levels, b, area)
        label = AREA_LABELS[area]
        vs = f" ({_r(pa)} vs {_r(pb)})" if pa is not None and pb is not None else ""
        sentence = (f"{LEVEL_WORDS[a].capitalize()} rate {label} {_r(gap)} points higher than "
                    f"{LEVEL_WORDS[b]}{vs}: a leadership blind spot (Holm-adjusted {_p(p_adj)}).")
        title = f"{LEVEL_WORDS[a].capitalize()} rate {label} {_r(gap)} points above {LEVEL_WORDS[b]}: a blind spot"
        f = Finding(BLIND_SPOT, area, gap, w, w * gap, True, sentence, title,
                    {"group_a": a, "group_b": b, "gap": gap, "p_adjusted": p_adj,
                     "n_a": num(row.get("n_a")), "n_b": num(row.get("n_b")), "p_a": pa, "p_b": pb},
                    unit=None, direction="below")
        if area not in found or f.effect > found[area].effect:  # one blind spot per area: the largest gap
            found[area] = f
    return list(found.values())


def _level_p(levels: pd.DataFrame, level: str, area: str) -> float | None:
    if levels.empty:
        return None
    sel = levels.loc[(levels["level"] == level) & (levels[AREA] == area)]
    return num(sel["perception"].iloc[0]) if len(sel) else None


def outlier_units(assessment: Assessment, vals: AreaValues, points: pd.DataFrame | None,
                  kpi_departments: pd.DataFrame, kpis: pd.DataFrame, periods: str) -> list[Finding]:
    """Per area, the visible department >= 10 points below the others, its 95 % interval excluding 0."""
    depts = visible(assessment.departments)
    if depts.empty or points is None:
        return []
    out = []
    for area in AREAS:
        w = vals[area].get("weight")
        sel = depts.loc[(depts[AREA] == area) & depts["perception"].notna()]
        if w is None or len(sel) < 2:
            continue
        best = None
        for _, row in sel.iterrows():
            others = float(sel.loc[sel[DEPARTMENT] != row[DEPARTMENT], "perception"].mean())
            short = others - float(row["perception"])
            if round(short) >= GAP_POINTS and (best is None or short > best[0]):
                best = (short, str(row[DEPARTMENT]), float(row["perception"]), others, num(row.get("n")))
        if best is None:
            continue
        short, unit, p_unit, p_others, n_unit = best
        lo, hi = unit_shortfall_interval(points, area, unit)
        if not excludes_zero(lo, hi):
            continue
        label = AREA_LABELS[area]
        sentence = (f"{unit} rates {label} {_r(short)} points below the other departments "
                    f"({_r(p_unit)} vs {_r(p_others)}; 95% interval {interval_text(lo, hi)})")
        tail, kpi = _unit_kpi_tail(kpi_departments, kpis, area, unit, periods)
        sentence += (tail + ".")
        title = f"{unit} delivers {label} {_r(short)} points below the other departments"
        out.append(Finding(OUTLIER_UNIT, area, short, w, w * short, True, sentence, title,
                           {"department": unit, "perception": p_unit, "others": p_others, "n": n_unit,
                            "lo": lo, "hi": hi, **kpi}, unit=unit, direction="below"))
    return out


def _unit_kpi_tail(kpi_departments: pd.DataFrame, kpis: pd.DataFrame, area: str, unit: str,
                   periods: str) -> tuple[str, dict[str, Any]]:
    """``, and meets the Guest satisfaction target in 0 of 12 months`` for the unit's weakest KPI."""
    if kpi_departments is None or kpi_departments.empty or kpis.empty:
        return "", {}
    ids = set(kpis.loc[kpis[AREA] == area, "kpi_id"])
    sel = kpi_departments.loc[(kpi_departments["kpi_id"].isin(ids)) & (kpi_departments[DEPARTMENT] == unit)
                              & kpi_departments["attainment"].notna()]
    if not len(sel):
        return "", {}
    worst = sel.sort_values(["attainment", "kpi_id"], kind="mergesort").iloc[0]
    n_obs = int(worst["n_obs"])
    hits = int(round(float(worst["attainment"]) * n_obs / 100.0))
    name = str(kpis.loc[kpis["kpi_id"] == worst["kpi_id"], "name"].iloc[0])
    # A unit that rates the area low and misses its KPI confirms it ("and"); one that meets it does not ("yet").
    joiner = "and" if 2 * hits < n_obs else "yet"
    kpi = name[:1].lower() + name[1:] if name[1:2].islower() else name
    return (f", {joiner} meets its {kpi} target in {hits} of {n_obs} {periods}",
            {"kpi": name, "kpi_hits": hits, "kpi_n": n_obs})


def kpi_contradictions(vals: AreaValues, kpis: pd.DataFrame) -> list[Finding]:
    """Perception >= 60 with KPI evidence < 40, or perception < 40 with evidence >= 60."""
    out = []
    for area, v in vals.items():
        p, e, w = _shown(v.get("perception")), _shown(v.get("evidence")), v.get("weight")
        if p is None or e is None or w is None:
            continue
        n_obs = float(kpis.loc[kpis[AREA] == area, "n_obs"].sum()) if len(kpis) else 0.0
        label = AREA_LABELS[area]
        if p >= KPI_HIGH and e < KPI_LOW:
            met = "none of its KPI observations meet" if _r(e) == "0" else f"only {_r(e)}% of its KPI observations meet"
            sentence = f"Staff rate {label} at {_r(p)}, yet {met} target: belief runs ahead of delivery."
            title = (f"Staff rate {label} at {_r(p)}, but no KPI observation meets target" if _r(e) == "0"
                     else f"Staff rate {label} at {_r(p)}, but only {_r(e)}% of KPIs meet target")
        elif p < KPI_LOW and e >= KPI_HIGH:
            sentence = (f"{label} KPIs meet target in {_r(e)}% of observations, yet staff rate it only "
                        f"{_r(p)}: delivery is not recognised inside.")
            title = f"{label} KPIs meet target {_r(e)}% of the time, but staff rate it {_r(p)}"
        else:
            continue
        out.append(Finding(KPI_CONTRADICTION, area, abs(p - e), w, w * abs(p - e), n_obs >= 6, sentence,
                           title, {"perception": p, "evidence": e, "n_obs": n_obs}))
    return out


def low_agreement(vals: AreaValues) -> list[Finding]:
    """Consistency below 50 with at least 20 respondents (the upper interval bound too, when known)."""
    out = []
    for area, v in vals.items():
        c, n, w, hi = _shown(v.get("consistency")), v.get("n"), v.get("weight"), v.get("consistency_hi")
        if c is None or n is None or w is None or c >= LOW_AGREEMENT_C or n < LOW_AGREEMENT_N:
            continue
        label = AREA_LABELS[area]
        sentence = (f"People disagree on {label}: consistency is {_r(c)} (n = {_r(n)}), below the "
                    f"{_r(LOW_AGREEMENT_C)} that marks a shared standard.")
        title = f"People do not share one standard on {label}: consistency {_r(c)}"
        out.append(Finding(LOW_AGREEMENT, area, LOW_AGREEMENT_C - c, w, w * (LOW_AGREEMENT_C - c),
                           hi is None or hi < LOW_AGREEMENT_C + 10, sentence, title,
                           {"consistency": c, "n": n, "hi": hi}))
    return out


def strengths(vals: AreaValues) -> list[Finding]:
    """Areas aligned (>= 75) that carry at least a quarter of the strategic weight."""
    out = []
    for area, v in vals.items():
        a, w = _shown(v.get("alignment")), v.get("weight")
        if a is None or w is None or a < ALIGNED or w < STRENGTH_WEIGHT - 1e-9:
            continue
        label = AREA_LABELS[area]
        sentence = (f"{label} is a strength to protect: it scores {_r(a)} (aligned) and carries "
                    f"{_r(100 * w)}% of the strategic weight.")
        title = f"{label} is aligned at {_r(a)}: a strength to protect"
        out.append(Finding(STRENGTH, area, a - ALIGNED, w, w * (a - ALIGNED), True, sentence, title,
                           {"alignment": a, "weight": w, "lo": v.get("alignment_lo")}, direction="above",
                           tone="positive"))
    return out


def candidate_findings(assessment: Assessment, *, ratings: pd.DataFrame | None = None,
                       questions: pd.DataFrame | None = None, operations: pd.DataFrame | None = None,
                       previous_wave: str | None = None) -> list[Finding]:
    """Every significant candidate finding, highest priority first.

    Parameters
    ----------
    assessment
        The protected assessment.
    ratings, questions
        The client's raw ratings and question bank, for the outlier unit's
        interval; without them no unit is named.
    operations
        KPI observations (only their period labels are read).
    previous_wave
        The earlier wave's name, for drift sentences.
    """
    vals = area_values(assessment)
    kpis = visible(assessment.kpis) if assessment.kpis is not None else pd.DataFrame()
    kpi_depts = visible(assessment.kpi_departments) if assessment.kpi_departments is not None else pd.DataFrame()
    points = respondent_points(ratings, questions) if ratings is not None and questions is not None else None
    found: list[Finding] = []
    gap = principal_gap(vals)
    found += [gap] if gap else []
    found += drifts(assessment, vals, previous_wave, kpis)
    found += blind_spots(assessment, vals)
    found += outlier_units(assessment, vals, points, kpi_depts, kpis, period_word(operations))
    found += kpi_contradictions(vals, kpis)
    found += low_agreement(vals)
    # A strength to protect is aligned everywhere: an area the frontline or one unit sees differently
    # (a blind spot, an outlier unit) is not called one, or the summary would contradict itself.
    uneven = {f.area for f in found if f.kind in (BLIND_SPOT, OUTLIER_UNIT) and f.significant}
    found += [f for f in strengths(vals) if f.area not in uneven]
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted((f for f in found if f.significant),
                  key=lambda f: (-round(f.priority, 9), order[f.kind], AREAS.index(f.area)))


def _p(p: float) -> str:
    """``p < 0.001`` or ``p = 0.012``."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
