"""Module 4, reading the evidence: department results under privacy, perception gaps, what changed."""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from toolkit.metrics.perception import group_perception
from toolkit.model import AREA, AREA_LABELS, DEPARTMENT, LEVEL
from toolkit.training.context import TrainingData
from toolkit.training.ex1_alignment import area_id
from toolkit.training.numeric import Mistake, judge_number
from toolkit.training.registry import exercise
from toolkit.training.result import CheckResult

AREA4 = "customer_experience"
GAP_AREA = "management_style"
TOL = 0.05


def _as_mapping(answer: Any) -> dict[str, Any]:
    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        answer = answer.iloc[:, 0]
    if isinstance(answer, pd.Series):
        return {str(k): v for k, v in answer.items()}
    if isinstance(answer, dict):
        return {str(k): v for k, v in answer.items()}
    raise TypeError(f"expected a dict (or Series) of department -> perception, got {type(answer).__name__}")


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


@exercise("4-department-perception",
          f"{AREA4} perception by department as a dict, leaving out (or None) what privacy hides")
def judge_departments(answer: Any, data: TrainingData) -> CheckResult:
    given = _as_mapping(answer)
    table = data.protected.departments
    table = table[table[AREA] == AREA4].set_index(DEPARTMENT)
    k = data.client.config.privacy.min_group_size
    unknown = sorted(set(given) - set(table.index))
    if unknown:
        return CheckResult("4-department-perception", "failed", f"{unknown[0]!r} is not a department of the "
                           "training client.", f"departments are: {', '.join(table.index)}.")
    for dept in table.index[table["suppressed"]]:
        if dept in given and not _is_blank(given[dept]):
            n = int(table.loc[dept, "n"])
            if n < k:
                return CheckResult("4-department-perception", "failed", f"you included {dept}, which has only "
                                   f"{n} respondents (fewer than {k}): its result must be suppressed, or anyone "
                                   "could work out what those few people said.",
                                   f"leave {dept} out (or set it to None).")
            return CheckResult("4-department-perception", "failed", f"you included {dept} (n = {n}). It is "
                               "large enough on its own, but it is hidden by secondary suppression: with one small "
                               "department hidden, showing all the others would let anyone recover it from the "
                               "total by subtraction.", "the smallest shown sibling is hidden too; leave it out.")
    shown = table[~table["suppressed"]]
    missing = [d for d in shown.index if d not in given or _is_blank(given[d])]
    if missing:
        return CheckResult("4-department-perception", "failed", f"{missing[0]} is missing; it clears the privacy "
                           "threshold and must be reported.", "report every department that is not suppressed.")
    m = data.unkeyed_matrix
    codes, names = m.codes(DEPARTMENT)
    _, unkeyed, _ = group_perception(m.values[:, m.area_columns(AREA4)], codes, len(names))
    unkeyed_by = dict(zip(names, unkeyed, strict=True))
    for dept in shown.index:
        value, right = float(given[dept]), float(shown.loc[dept, "perception"])
        if abs(value - right) > TOL:
            reason = ("you forgot reverse keying" if abs(value - unkeyed_by[dept]) <= TOL
                      else f"it is {abs(value - right):.2f} points {'above' if value > right else 'below'} "
                           "the toolkit's value")
            return CheckResult("4-department-perception", "failed", f"{dept}: {value:.2f} is not right: {reason}.",
                               "same recipe as 3-perception, per department: groupby the department.")
    return CheckResult("4-department-perception", "passed", f"{len(shown)} departments shown and "
                       f"{int(table['suppressed'].sum())} suppressed, as the deck shows them.")


@exercise("4-gap", f"the executive-minus-frontline perception gap on {GAP_AREA}, in points")
def judge_gap(answer: Any, data: TrainingData) -> CheckResult:
    gaps = data.protected.perception_gaps
    row = gaps[(gaps[AREA] == GAP_AREA) & (gaps["group_a"] == "executive") & (gaps["group_b"] == "frontline")].iloc[0]
    other = gaps[(gaps[AREA] == GAP_AREA) & (gaps["group_b"] == "manager")].iloc[0]
    levels = data.protected.levels.set_index([AREA, LEVEL])
    fav = levels["favourable"].loc[(GAP_AREA, "executive")] - levels["favourable"].loc[(GAP_AREA, "frontline")]
    m = data.unkeyed_matrix
    codes, names = m.codes(LEVEL)
    _, unkeyed, _ = group_perception(m.values[:, m.area_columns(GAP_AREA)], codes, len(names))
    unkeyed_by = dict(zip(names, unkeyed, strict=True))
    mistakes = [
        Mistake(-float(row["gap"]), "the sign is reversed: the gap is executive minus frontline, so a positive "
                "gap means executives see things rosier", "P(executive) - P(frontline)."),
        Mistake(float(other["gap"]), "that is the executive-manager gap", "compare executives with frontline staff."),
        Mistake(float(fav), "that is the difference in favourable %, not in perception points",
                "use perception (respondent means in points), not favourable."),
        Mistake(float(unkeyed_by["executive"] - unkeyed_by["frontline"]), "you forgot reverse keying",
                "recode reverse-keyed items as 6 - rating first."),
    ]
    return judge_number("4-gap", answer, float(row["gap"]), mistakes, tol=TOL,
                        hint="perception per level (as in 3-perception), then executive minus frontline.")


@exercise("4-changes", "the areas whose alignment changed since the last wave beyond doubt, as a set of area ids")
def judge_changes(answer: Any, data: TrainingData) -> CheckResult:
    drift = data.protected.drift
    assert drift is not None, "the training client has a previous wave"
    drift = drift[drift["metric"] == "alignment"].set_index(AREA)
    right = set(drift.index[drift["significant"].to_numpy(dtype=bool)])
    given_raw = [answer] if isinstance(answer, str) else list(answer)
    ids = {area_id(a) for a in given_raw}
    if None in ids:
        return CheckResult("4-changes", "failed", "answer with area ids, e.g. 'management_style'.",
                           "toolkit.model.AREAS lists them.")
    given = {a for a in ids if a is not None}
    for area in sorted(given - right):
        r = drift.loc[area]
        return CheckResult("4-changes", "failed", f"{AREA_LABELS[area]} moved by {r['difference']:+.1f} points, but "
                           f"its adjusted 95% interval ({r['lo']:+.1f} to {r['hi']:+.1f}) includes 0: it may be noise, "
                           "so the deck must not call it a change.", "keep only changes whose interval excludes 0.")
    for area in sorted(right - given):
        r = drift.loc[area]
        word = "decline" if r["difference"] < 0 else "rise"
        return CheckResult("4-changes", "failed", f"one change is missing: its interval excludes 0 (a {word} "
                           "counts as much as an improvement).", "look at every row whose lo and hi have the same sign.")
    return CheckResult("4-changes", "passed", f"{', '.join(AREA_LABELS[a] for a in sorted(right))}: the only "
                       "alignment changes whose 95% interval, adjusted for every comparison, excludes 0.")
