"""Plain sentences for the executive summary, the OAI, the principal gap, drift and costs.

Every number in a sentence comes from a context (`toolkit.findings.context`),
which only holds visible values: a suppressed value is never written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from toolkit.findings.context import num, oai_values, visible
from toolkit.findings.wording import interval_text
from toolkit.metrics.assessment import Assessment
from toolkit.model import AREA, AREA_LABELS, AREAS

Severity = Literal["high", "medium", "low", "not assessed"]
SOUND = 60.0          # a component at or above this is "sound"
SPREAD_POINTS = 10.0  # a department SD or shortfall at or above this is material
METRIC_WORDS = {"alignment": "alignment", "perception": "perception", "consistency": "consistency",
                "favourable": "the favourable share", "evidence": "KPI evidence", "oai": "the OAI"}


def _f(x: float) -> str:
    return f"{x:.0f}"


def area_sentence(ctx: dict[str, Any]) -> str | None:
    """One diagnostic sentence about an area: score, band and its weakest components.

    Examples
    --------
    >>> area_sentence({"label": "Customer Experience", "alignment": 54, "band": "misaligned",
    ...                "perception": 68, "consistency": 41, "dept_shortfall": 23})
    'Customer Experience scores 54 (misaligned): perception is solid at 68 but consistency is only 41, and one department sits 23 points below the rest.'
    """
    a = ctx.get("alignment")
    if a is None:
        return None
    head = f"{ctx['label']} scores {_f(a)} ({ctx['band']})"
    p, c, e = ctx.get("perception"), ctx.get("consistency"), ctx.get("evidence")
    clauses = []
    if p is not None and c is not None:
        if p >= SOUND and c < SOUND:
            clauses.append(f"perception is solid at {_f(p)} but consistency is only {_f(c)}")
        elif p < SOUND and c < SOUND:
            clauses.append(f"both perception ({_f(p)}) and consistency ({_f(c)}) are weak")
        elif p < SOUND:
            clauses.append(f"perception is weak at {_f(p)}, with consistency at {_f(c)}")
        else:
            clauses.append(f"perception ({_f(p)}) and consistency ({_f(c)}) are both sound")
    elif p is not None:
        clauses.append(f"perception is {_f(p)}")
    shortfall = ctx.get("dept_shortfall")
    if e is not None and e < SOUND:
        clauses.append(f"only {_f(e)}% of KPI observations meet target")
    elif shortfall is not None and shortfall >= SPREAD_POINTS:
        clauses.append(f"one department sits {_f(shortfall)} points below the rest")
    if not clauses:
        return head + "."
    body = clauses[0] if len(clauses) == 1 else f"{clauses[0]}, and {clauses[1]}"
    return f"{head}: {body}."


def blind_spot_sentence(ctx: dict[str, Any]) -> str | None:
    """The area with the largest flagged executive-frontline gap, as a sentence."""
    gap = ctx.get("gap_executive_frontline")
    if gap is None or gap < SPREAD_POINTS:
        return None
    return (f"Executives rate {ctx['label']} {_f(gap)} points higher than frontline staff do: "
            "a leadership blind spot.")


def evidence_sentence(ctx: dict[str, Any]) -> str | None:
    """The area's KPI evidence, when it falls short of target most of the time."""
    k = ctx.get("kpi_attainment")
    if k is None or k >= SOUND:
        return None
    worst = ctx.get("worst_kpi")
    tail = f"; {worst} is weakest at {_f(ctx['kpi_attainment_min'])}%" if worst else ""
    return f"Only {_f(k)}% of {ctx['label']} KPI observations meet target{tail}."


def summary_sentences(contexts: dict[str, dict[str, Any]], ranked: list[str]) -> list[str]:
    """Exactly three executive-summary findings.

    The two highest-priority areas first, then the sharpest supporting fact
    (a leadership blind spot, KPI evidence, or the strongest other area), with
    neutral fall-backs when too little can be shown.
    """
    out: list[str] = []
    for area in ranked[:2]:
        s = area_sentence(contexts[area])
        if s:
            out.append(s)
    extras: list[str] = []
    gaps = sorted((c for c in contexts.values() if c.get("gap_executive_frontline") is not None),
                  key=lambda c: -c["gap_executive_frontline"])
    extras += [s for s in (blind_spot_sentence(c) for c in gaps[:1]) if s]
    kpi = sorted((c for c in contexts.values() if c.get("kpi_attainment") is not None),
                 key=lambda c: c["kpi_attainment"])
    # KPI evidence, unless a leading sentence already quotes that area's evidence
    led = {contexts[a]["label"] for a in ranked[:2]
           if contexts[a].get("evidence") is not None and contexts[a]["evidence"] < SOUND}
    extras += [s for s in (evidence_sentence(c) for c in kpi[:1] if c["label"] not in led) if s]
    # then the strongest remaining area: what there is to build on
    rest = sorted(ranked[2:], key=lambda a: -contexts[a]["alignment"])
    extras += [s for s in (area_sentence(contexts[a]) for a in rest) if s]
    for s in extras:
        if len(out) >= 3:
            break
        if s not in out:
            out.append(s)
    if not out:
        fallbacks = ["No area clears the confidentiality threshold, so no area score can be reported.",
                     "More interviews are needed before alignment can be assessed.",
                     "Findings are withheld to protect respondents' confidentiality."]
    else:
        fallbacks = ["No further area can be reported: too few respondents to score it.",
                     "No further finding clears the confidentiality threshold.",
                     "Further detail is withheld to protect respondents' confidentiality."]
    for s in fallbacks:
        if len(out) >= 3:
            break
        out.append(s)
    return out[:3]


def oai_sentence(assessment: Assessment) -> str:
    """The OAI with its band, 90 % interval and n."""
    o = oai_values(assessment)
    if o["value"] is None:
        return "The Overall Alignment Index is withheld: too few respondents to report it."
    parts = [o["band"]]
    if o["lo"] is not None and o["hi"] is not None:
        parts.append(f"90% interval {_f(o['lo'])}–{_f(o['hi'])}")
    if o["n"] is not None:
        parts.append(f"n = {o['n']:.0f}")
    return f"The Overall Alignment Index is {_f(o['value'])} ({'; '.join(parts)})."


def principal_gap_sentence(contexts: dict[str, dict[str, Any]], area: str | None) -> str:
    """Why the principal gap is the principal gap: its weight and share of the shortfall from aligned (75).

    DESIGN 2.1: only areas below 75 count, each by ``w * (75 - A)``; with every
    scored area aligned there is no principal gap, and the sentence names what to protect.
    """
    scored = {a: c for a, c in contexts.items() if c.get("weight") is not None and c.get("alignment") is not None}
    shortfall = {a: c["weight"] * (75 - c["alignment"]) for a, c in scored.items() if c["alignment"] < 75}
    if scored and not shortfall:
        best = max(scored, key=lambda a: scored[a]["weight"])
        return (f"There is no principal gap: every scored area is aligned (75 or more), so the strategy is "
                f"carried out; protect {scored[best]['label']}, which carries the most strategic weight.")
    if area not in shortfall:
        return "The principal gap cannot be shown: too few respondents to score the area."
    ctx = contexts[area]
    total = sum(shortfall.values())
    share = 100 * shortfall[area] / total if total > 0 else 0.0
    return (f"The principal gap is {ctx['label']}: it carries {_f(ctx['weight_pct'])}% of the "
            f"strategic weight, scores {_f(ctx['alignment'])} ({ctx['band']}) and accounts for "
            f"{_f(share)}% of the weighted shortfall from aligned (75).")


def drift_sentences(assessment: Assessment) -> list[str]:
    """Changes since the last wave; only differences whose 90 % interval excludes 0."""
    drift = visible(assessment.drift)
    if drift.empty:
        return []
    out = []
    order = {a: i for i, a in enumerate(AREAS)}
    rows = sorted(drift.to_dict("records"), key=lambda r: (order.get(r[AREA], -1), str(r["metric"])))
    for r in rows:
        prev, cur, diff = num(r.get("previous")), num(r.get("current")), num(r.get("difference"))
        lo, hi = num(r.get("lo")), num(r.get("hi"))
        if None in (prev, cur, diff, lo, hi) or not (lo > 0 or hi < 0):  # type: ignore[operator]
            continue
        what = AREA_LABELS.get(r[AREA], "The Overall Alignment Index")
        metric = METRIC_WORDS.get(str(r["metric"]), str(r["metric"]))
        subject = what if r[AREA] not in AREA_LABELS else f"{what} {metric}"
        verb = "rose" if diff > 0 else "fell"  # type: ignore[operator]
        out.append(f"{subject} {verb} {_f(abs(diff))} points since the last wave ({_f(prev)} → "  # type: ignore[arg-type]
                   f"{_f(cur)}; 95% interval {interval_text(lo, hi, signed=True)}, adjusted for every change compared).")  # type: ignore[arg-type]
    if not out:
        out.append("No score moved beyond its adjusted 95% interval since the last wave: the differences are within noise.")
    return out


@dataclass(frozen=True)
class Cost:
    """One cost of misalignment with its severity and the evidence for it."""

    id: str
    label: str
    severity: Severity
    evidence: list[str] = field(default_factory=list)


def _severity(signals: list[bool]) -> Severity:
    if not signals:
        return "not assessed"
    hits = sum(signals)
    return "high" if hits >= 2 else "medium" if hits == 1 else "low"


def _consistency_fact(ctx: dict[str, Any]) -> tuple[str, bool] | None:
    c = ctx.get("consistency")
    if c is None:
        return None
    rel = "below" if c < SOUND else "at or above"
    return f"{ctx['label']} consistency is {_f(c)}, {rel} the {_f(SOUND)} that marks a shared standard.", c < SOUND


def _kpi_fact(ctx: dict[str, Any], noun: str) -> tuple[str, bool] | None:
    k = ctx.get("kpi_attainment")
    if k is None:
        return None
    worst = ctx.get("worst_kpi")
    tail = f"; the weakest, {worst}, meets it {_f(ctx['kpi_attainment_min'])}% of the time" if worst else ""
    return f"{_f(k)}% of {noun} KPI observations meet target{tail}.", k < SOUND


def costs_of_misalignment(contexts: dict[str, dict[str, Any]]) -> list[Cost]:
    """The three costs (DESIGN 2): inconsistent customer experience, internal
    inefficiency, blurred differentiation, each graded by how many of its
    signals fire (2+ high, 1 medium, 0 low; nothing visible: not assessed)."""
    cx, pp, uc = (contexts[a] for a in ("customer_experience", "proven_processes", "unique_capabilities"))
    facts: dict[str, list[tuple[str, bool]]] = {"cx": [], "pp": [], "uc": []}
    facts["cx"] += [f for f in (_consistency_fact(cx),) if f]
    sd = cx.get("between_dept_sd")
    if sd is not None:
        facts["cx"].append((f"Departments' Customer Experience scores differ with a standard deviation of "
                            f"{_f(sd)} points.", sd >= SPREAD_POINTS))
    facts["cx"] += [f for f in (_kpi_fact(cx, "customer"),) if f]
    facts["pp"] += [f for f in (_consistency_fact(pp), _kpi_fact(pp, "process")) if f]
    sd = pp.get("between_dept_sd")
    if sd is not None:
        facts["pp"].append((f"Departments' Proven Processes scores differ with a standard deviation of "
                            f"{_f(sd)} points.", sd >= SPREAD_POINTS))
    p = uc.get("perception")
    if p is not None:
        facts["uc"].append((f"Unique Capabilities perception is {_f(p)}: "
                            + ("staff cannot clearly name what sets the firm apart." if p < SOUND
                               else "staff can name what sets the firm apart."), p < SOUND))
    facts["uc"] += [f for f in (_consistency_fact(uc),) if f]
    defs = [("inconsistent_customer_experience", "Inconsistent customer experience", "cx"),
            ("internal_inefficiency", "Internal inefficiency", "pp"),
            ("blurred_differentiation", "Blurred differentiation", "uc")]
    return [Cost(cid, label, _severity([hit for _, hit in facts[key]]), [s for s, _ in facts[key]])
            for cid, label, key in defs]
