"""`build_findings`: fire the playbook on an assessment and write the narrative."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.client_config import ClientConfig
from toolkit.findings.candidates import PRINCIPAL_GAP, Finding, candidate_findings
from toolkit.findings.context import area_context, as_shown, overall_context
from toolkit.findings.narrative import (
    Cost,
    costs_of_misalignment,
    drift_sentences,
    oai_sentence,
    principal_gap_sentence,
    summary_sentences,
)
from toolkit.findings.playbook import CROSS_CUTTING, Playbook, evaluate, load_playbook, render
from toolkit.findings.roadmap import build_roadmap, housekeeping
from toolkit.findings.storyline import SUMMARY_SIZE, all_aligned_sentence, top_findings
from toolkit.metrics.alignment import principal_gap
from toolkit.metrics.assessment import Assessment
from toolkit.model import AREA, AREAS, ClientData

log = logging.getLogger("toolkit")

RECOMMENDATION_COLUMNS = ["rule_id", AREA, "finding", "action", "owner", "horizon", "priority"]


@dataclass
class Findings:
    """What the assessment means, in sentences and a ranked action list.

    Attributes
    ----------
    recommendations
        ``rule_id, area, finding, action, owner, horizon, priority``, highest
        priority first (priority = area weight x (100 - alignment); ties by
        horizon, then playbook order).
    summary_sentences
        Exactly three executive-summary sentences: the top three distinct
        findings (`top`), each with its numbers, then neutral fall-backs.
    principal_gap_sentence, oai_sentence
        One sentence each.
    costs
        The three costs of misalignment, with severity and evidence sentences.
    drift_sentences
        Changes since the last wave whose 90 % interval excludes 0 (empty
        when there is no earlier wave).
    candidates
        Every significant candidate finding, highest priority first (DESIGN 2.3).
    top
        The executive summary's findings: at most three, distinct, consistent.
    headline
        The executive summary's action title (the top finding's title).
    roadmap
        One recommendation per finding it answers (`toolkit.findings.roadmap`).
    housekeeping
        Method housekeeping rules that fired, for the appendix.
    """

    recommendations: pd.DataFrame
    summary_sentences: list[str]
    principal_gap_sentence: str
    oai_sentence: str
    costs: list[Cost] = field(default_factory=list)
    drift_sentences: list[str] = field(default_factory=list)
    candidates: list[Finding] = field(default_factory=list)
    top: list[Finding] = field(default_factory=list)
    headline: str = ""
    roadmap: pd.DataFrame = field(default_factory=pd.DataFrame)
    housekeeping: pd.DataFrame = field(default_factory=pd.DataFrame)

    def of_kind(self, kind: str, area: str | None = None) -> list[Finding]:
        """The candidate findings of one kind (and area), highest priority first."""
        return [f for f in self.candidates if f.kind == kind and (area is None or f.area == area)]


def _priority(ctx: dict[str, Any]) -> float | None:
    w, a = ctx.get("weight"), ctx.get("alignment")
    return None if w is None or a is None else w * (100 - a)


def fire_rules(playbook: Playbook, contexts: dict[str, dict[str, Any]], overall: dict[str, Any],
               priorities: dict[str, float | None]) -> pd.DataFrame:
    """Evaluate every rule; return the fired ones, ranked, as the recommendations frame.

    ``contexts`` and ``overall`` hold the values as shown (see
    `toolkit.findings.context.as_shown`); ``priorities`` the exact
    ``weight * (100 - alignment)`` of each area.
    """
    known = [p for p in priorities.values() if p is not None]
    cross_priority = sum(known) / len(AREAS) if known else None
    rows = []
    for order, rule in enumerate(playbook.rules):
        ctx = overall if rule.area == CROSS_CUTTING else contexts[rule.area]
        prio = cross_priority if rule.area == CROSS_CUTTING else priorities[rule.area]
        if prio is None or evaluate(rule.when, ctx) is not True:
            continue
        finding, action = render(rule.finding, ctx), render(rule.action, ctx)
        if finding is None or action is None:
            log.info("rule %s fired but a placeholder has no showable value; skipped", rule.id)
            continue
        rows.append({"rule_id": rule.id, AREA: rule.area, "finding": finding, "action": action,
                     "owner": rule.owner, "horizon": rule.horizon, "priority": round(prio, 6),
                     "_order": order})
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "priority" else
                                          "int64" if c == "horizon" else "str")
                             for c in RECOMMENDATION_COLUMNS})
    out = pd.DataFrame(rows).sort_values(["priority", "horizon", "_order"],
                                         ascending=[False, True, True], kind="mergesort")
    return out[RECOMMENDATION_COLUMNS].reset_index(drop=True)


def build_findings(assessment: Assessment, config: ClientConfig,
                   playbook: Playbook | None = None, *, client: ClientData | None = None,
                   previous_wave: str | None = None) -> Findings:
    """Turn a (protected) assessment into findings, costs and ranked recommendations.

    Parameters
    ----------
    assessment
        The client's metrics, after `toolkit.privacy.protect`; suppressed
        values are never quoted.
    config
        The client's configuration (customer promise, management style).
    playbook
        Rules to fire; the firm's ``templates/playbook.yaml`` by default.
    client
        The client's data, for the outlier unit's interval (respondent
        means) and the KPI period unit; without it no unit is named.
    previous_wave
        The earlier wave's name, used in drift sentences.

    Returns
    -------
    Findings

    Raises
    ------
    DefinitionError
        When the default playbook is invalid.
    """
    playbook = playbook or load_playbook()
    exact = {a: area_context(assessment, config, a) for a in AREAS}
    priorities = {a: _priority(c) for a, c in exact.items()}
    contexts = {a: as_shown(c) for a, c in exact.items()}
    overall = as_shown(overall_context(assessment, config))
    ranked = sorted((a for a in AREAS if priorities[a] is not None),
                    key=lambda a: -priorities[a])  # type: ignore[operator]
    # DESIGN 2.1: the principal gap is an area below 75 (metrics decide); with every area aligned there is none.
    # When the assessment's is hidden, the same rule picks among the visible areas.
    principal = assessment.principal_gap if priorities.get(assessment.principal_gap) is not None else \
        principal_gap({a: c["alignment"] for a, c in exact.items() if priorities[a] is not None},
                      {a: c["weight"] for a, c in exact.items() if priorities[a] is not None}) or None
    if principal in ranked:  # the principal gap leads the summary
        ranked = [principal] + [a for a in ranked if a != principal]
    candidates = candidate_findings(
        assessment, ratings=client.ratings if client is not None else None,
        questions=client.questions if client is not None else None,
        operations=client.operations if client is not None else None, previous_wave=previous_wave)
    top = top_findings(candidates)
    scored = [c["label"] for c in contexts.values() if c.get("alignment") is not None]
    gap = next((f for f in candidates if f.kind == PRINCIPAL_GAP), None)
    all_aligned = bool(scored) and gap is None
    sentences = [f.sentence for f in top]
    if all_aligned:
        sentences = [all_aligned_sentence(candidates, scored, top)] + sentences
    if len(sentences) < SUMMARY_SIZE:  # too few significant findings: area sentences, then fall-backs
        for s in summary_sentences(contexts, [a for a in ranked if not _told(a, top)]):
            if len(sentences) >= SUMMARY_SIZE:
                break
            sentences.append(s)
    if gap is not None:
        gap_sentence = gap.sentence
    elif all_aligned:
        gap_sentence = "There is no principal gap: " + all_aligned_sentence(candidates, scored)[0].lower() \
            + all_aligned_sentence(candidates, scored)[1:]
    else:
        gap_sentence = principal_gap_sentence(contexts, None)
    headline = top[0].title if top else (
        "Every scored area is aligned: the strategy is carried out" if all_aligned
        else "Too few respondents to score alignment with confidence")
    recommendations = fire_rules(playbook, contexts, overall, priorities)
    return Findings(
        recommendations=recommendations,
        summary_sentences=sentences[:SUMMARY_SIZE],
        principal_gap_sentence=gap_sentence,
        oai_sentence=oai_sentence(assessment),
        costs=costs_of_misalignment(contexts),
        drift_sentences=drift_sentences(assessment),
        candidates=candidates,
        top=top,
        headline=headline,
        roadmap=build_roadmap(candidates, recommendations, assessment.kpis, assessment.kpi_departments,
                              previous_wave),
        housekeeping=housekeeping(recommendations),
    )


def _told(area: str, top: list[Finding]) -> bool:
    """True when a top finding already speaks about ``area``."""
    return any(f.area == area for f in top)
