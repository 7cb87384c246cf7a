"""Module 1, what operational alignment is: the four areas, the three costs, the principal gap."""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from toolkit.metrics.alignment import principal_gap
from toolkit.model import AREA, AREA_LABELS, AREAS
from toolkit.training.context import TrainingData
from toolkit.training.registry import exercise
from toolkit.training.result import CheckResult

#: A fictional firm for the first principal-gap exercise (strategic weight, alignment).
TOY_FIRM = {"customer_experience": (0.45, 68.0), "management_style": (0.10, 52.0),
            "unique_capabilities": (0.15, 61.0), "proven_processes": (0.30, 70.0)}
#: The three costs of misalignment (DESIGN 2): each is recognised in one phrase only when the phrase
#: names both what suffers (first tuple) and what happens to it (second tuple), so a bare
#: "customer" or "different" is not a cost. An empty first tuple: the second alone is specific.
COSTS = {"inconsistent customer experience": (
             ("customer", "client", "patient", "service", "experience"),
             ("inconsist", "differ", "vary", "varies", "variab", "uneven", "unequal", "unpredict", "patchy",
              "lottery", "depend", "mixed")),
         "internal inefficiency": (
             (),
             ("ineffic", "waste", "rework", "duplicat", "friction", "redundan", "reinvent")),
         "blurred differentiation": (
             ("differentiat", "distinct", "unique", "edge", "advantage", "brand", "position", "compet",
              "strength", "stand out"),
             ("blur", "dilut", "erod", "lose", "loss", "lost", "weak", "copy", "copie", "commodit", "fade",
              "unclear", "indistinct"))}


def named_costs(phrases: list[str]) -> set[str]:
    """The costs of `COSTS` named by the phrases, each phrase counting for at most one cost."""
    found: set[str] = set()
    for phrase in phrases:
        text = phrase.casefold()
        for cost, (subjects, effects) in COSTS.items():
            if cost not in found and (not subjects or any(w in text for w in subjects)) \
                    and any(w in text for w in effects):
                found.add(cost)
                break
    return found

def toy_firm() -> pd.DataFrame:
    """The fictional firm of exercise 1-principal-gap: ``area, weight, alignment``."""
    return pd.DataFrame([{AREA: a, "weight": w, "alignment": v} for a, (w, v) in TOY_FIRM.items()])


def area_id(text: Any) -> str | None:
    """Read an area given as id or label (any case); None when it is neither."""
    key = re.sub(r"[\s\-]+", "_", str(text).strip().casefold())
    by_label = {re.sub(r"\s+", "_", v.casefold()): k for k, v in AREA_LABELS.items()}
    return key if key in AREAS else by_label.get(key)


@exercise("1-areas", "the four area ids of the method, as a list of strings")
def judge_areas(answer: Any, data: TrainingData) -> CheckResult:
    given = [answer] if isinstance(answer, str) else list(answer)
    ids = {area_id(a) for a in given} - {None}
    unknown = [a for a in given if area_id(a) is None]
    if unknown:
        return CheckResult("1-areas", "failed", f"{unknown!r} {'is' if len(unknown) == 1 else 'are'} not "
                           "among the method's areas.", "the areas are questions about customers, leaders, "
                           "strengths and processes; toolkit.model.AREAS spells their ids.")
    missing = [AREA_LABELS[a] for a in AREAS if a not in ids]
    if missing:
        return CheckResult("1-areas", "failed", f"{len(ids)} of 4 areas named; one or more is missing.",
                           f"think about {'what sets the firm apart' if 'Unique Capabilities' in missing else 'how the work gets done and led'}.")
    labels = [a for a in given if a not in AREAS]
    note = f" (you wrote labels such as {labels[0]!r}; in code use the ids, e.g. 'customer_experience')" \
        if labels else ""
    return CheckResult("1-areas", "passed", f"all four areas{note}.")


@exercise("1-costs", "the three costs of misalignment, as a list of three short phrases")
def judge_costs(answer: Any, data: TrainingData) -> CheckResult:
    given = [answer] if isinstance(answer, str) else [str(a) for a in answer]
    found = named_costs(given)
    missing = [cost for cost in COSTS if cost not in found]
    if missing:
        hints = {"inconsistent customer experience": "what happens to customers when departments work differently?",
                 "internal inefficiency": "what does it cost inside the firm when every team has its own way?",
                 "blurred differentiation": "what happens to the firm's edge over competitors?"}
        return CheckResult("1-costs", "failed", f"{3 - len(missing)} of the 3 costs recognised. A cost is "
                           "named by what suffers and what happens to it, e.g. 'slower decisions' is not enough "
                           "on its own.", hints[missing[0]])
    return CheckResult("1-costs", "passed", "all three costs: inconsistent customer experience, internal "
                       "inefficiency and blurred differentiation. The deck must show evidence for each.")


@exercise("1-principal-gap", "the principal gap of the fictional firm in toy_firm(), as an area id")
def judge_toy_gap(answer: Any, data: TrainingData) -> CheckResult:
    firm = toy_firm().set_index(AREA)
    weight = {str(a): float(w) for a, w in firm["weight"].items()}
    alignment = {str(a): float(v) for a, v in firm["alignment"].items()}
    correct = principal_gap(alignment, weight)
    chosen = area_id(answer)
    if chosen is None:
        return CheckResult("1-principal-gap", "failed", f"{answer!r} is not an area.", "answer with an area id.")
    if chosen == correct:
        return CheckResult("1-principal-gap", "passed", f"{AREA_LABELS[chosen]}: weight x (75 - alignment) "
                           f"= {weight[chosen] * (75 - alignment[chosen]):.1f} is the largest.")
    if chosen == firm["alignment"].idxmin():
        return CheckResult("1-principal-gap", "failed", f"{AREA_LABELS[chosen]} has the lowest alignment, but "
                           "it matters little to this firm's strategy.",
                           "the principal gap is the largest weight x (75 - alignment) among areas below 75.")
    return CheckResult("1-principal-gap", "failed", f"{AREA_LABELS[chosen]} is not the largest weighted "
                       "shortfall.", "compute weight x (75 - alignment) for every area below 75.")
