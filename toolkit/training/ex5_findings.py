"""Module 5, from findings to recommendations: principal gap, playbook actions, executive summary."""
from __future__ import annotations

import re
from typing import Any

from toolkit.findings import load_playbook
from toolkit.model import AREA, AREA_LABELS
from toolkit.training.context import TrainingData
from toolkit.training.ex1_alignment import area_id
from toolkit.training.registry import exercise
from toolkit.training.result import CheckResult

MAX_WORDS = 150
MIN_WORDS = 30


@exercise("5-principal-gap", "the training client's principal gap, as an area id")
def judge_principal_gap(answer: Any, data: TrainingData) -> CheckResult:
    areas = data.protected.areas
    right = data.protected.principal_gap
    chosen = area_id(answer)
    if chosen is None:
        return CheckResult("5-principal-gap", "failed", f"{answer!r} is not an area.", "answer with an area id.")
    if chosen == right:
        return CheckResult("5-principal-gap", "passed", f"{AREA_LABELS[right]}: it has the largest weighted "
                           "shortfall, weight x (75 - alignment) among areas below 75.")
    if chosen == areas["alignment"].idxmin():
        return CheckResult("5-principal-gap", "failed", f"{AREA_LABELS[chosen]} has the lowest alignment, but "
                           f"carries only {100 * areas['weight'].loc[chosen]:.0f}% of the strategic weight.",
                           "the principal gap is the largest weight x (75 - alignment) among areas below 75, not the lowest score.")
    return CheckResult("5-principal-gap", "failed", f"{AREA_LABELS[chosen]} is not the largest weighted shortfall.",
                       "compute weight x (75 - alignment) for each area below 75, from story.assessment.areas.")


@exercise("5-actions", "playbook rule ids that fired for the principal gap, as a list")
def judge_actions(answer: Any, data: TrainingData) -> CheckResult:
    given = [answer] if isinstance(answer, str) else [str(a) for a in answer]
    if not given:
        return CheckResult("5-actions", "failed", "no rule chosen.", "pick at least one rule id.")
    rules = {r.id: r for r in load_playbook().rules}
    recs = data.findings.recommendations
    gap = data.protected.principal_gap
    fired = set(recs.loc[recs[AREA] == gap, "rule_id"])
    for rule_id in given:
        if rule_id not in rules:
            return CheckResult("5-actions", "failed", f"{rule_id!r} is not a rule of the playbook.",
                               "copy rule ids from story.findings.recommendations['rule_id'].")
        rule = rules[rule_id]
        if rule.area != gap:
            return CheckResult("5-actions", "failed", f"{rule_id} is about {rule.area}, not the principal gap "
                               f"({gap}).", "start with the rules of the principal gap's area.")
        if rule_id not in fired:
            return CheckResult("5-actions", "failed", f"{rule_id} did not fire: its condition is not met on this "
                               "client's numbers, so the evidence does not support it.",
                               "choose among the recommendations the toolkit produced.")
    return CheckResult("5-actions", "passed", f"{len(given)} of the {len(fired)} actions that fired for "
                       f"{AREA_LABELS[gap]}; each is backed by a rule whose condition the data meets.")


@exercise("5-summary", f"an executive summary of {MIN_WORDS}-{MAX_WORDS} words, as a string")
def judge_summary(answer: Any, data: TrainingData) -> CheckResult:
    if not isinstance(answer, str):
        return CheckResult("5-summary", "failed", f"expected text, got {type(answer).__name__}.", "write a string.")
    text = " ".join(answer.split())
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        return CheckResult("5-summary", "failed", f"{words} words; a summary a busy executive reads is "
                           f"{MIN_WORDS}-{MAX_WORDS} words.", "one sentence each: the index and band, the principal "
                           "gap with its number, the two or three findings that matter, and what to do first.")
    ids = set(data.client.ratings["respondent_id"].astype(str))
    leaked = [t for t in re.findall(r"[A-Za-z0-9_-]+", text) if t in ids]
    if leaked:
        return CheckResult("5-summary", "failed", f"{leaked[0]} is a respondent id: ids never appear in a deck.",
                           "talk about groups, never individuals.")
    deps = data.protected.departments
    hidden = sorted(set(deps.loc[deps["suppressed"], "department"]) - set(deps.loc[~deps["suppressed"], "department"]))
    named = [d for d in hidden if d.casefold() in text.casefold()]
    if named:
        return CheckResult("5-summary", "failed", f"the summary names {named[0]}, whose results are suppressed.",
                           "a suppressed group is not discussed, not even in words.")
    oai = float(data.protected.oai["value"])
    numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)]
    if not any(abs(x - oai) <= 0.5 + 1e-9 for x in numbers):
        return CheckResult("5-summary", "failed", "the Overall Alignment Index is not quoted (or not as the "
                           "deck shows it).", f"quote the OAI, rounded: {round(oai)}.")
    band = str(data.protected.oai["band"])
    if band.casefold() not in text.casefold():
        return CheckResult("5-summary", "failed", "the OAI's band is not named.",
                           "say whether the client is aligned, partly aligned or misaligned.")
    gap = data.protected.principal_gap
    if AREA_LABELS[gap].casefold() not in text.casefold():
        return CheckResult("5-summary", "failed", "the principal gap is not named.",
                           "lead with the area that costs the strategy most (5-principal-gap).")
    return CheckResult("5-summary", "passed", f"{words} words with the index, its band and the principal gap, "
                       "and nothing that identifies a person or a suppressed group.")
