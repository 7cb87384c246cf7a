"""Judging a numeric answer: right, a recognised mistake with its own feedback, or off by how much."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from toolkit.training.result import CheckResult


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: the value it produces, what went wrong, and a hint."""

    value: float
    message: str
    hint: str


def as_number(answer: Any) -> float:
    """Read an answer as one float; say what to do when it is a table, a text or several numbers.

    Raises
    ------
    TypeError
        With a message the learner can act on.
    """
    if isinstance(answer, (pd.DataFrame, pd.Series, np.ndarray, list, tuple, dict)):
        size = answer.size if hasattr(answer, "size") else len(answer)
        if size == 1:
            return as_number(np.asarray(answer if not isinstance(answer, dict) else list(answer.values()))
                             .ravel()[0])
        raise TypeError(f"expected one number, got a {type(answer).__name__} with {size} values; "
                        "pick the single value asked for (e.g. with .loc[...] or .iloc[0])")
    if isinstance(answer, bool) or not isinstance(answer, (Real, np.number)):
        raise TypeError(f"expected a number, got {type(answer).__name__} {answer!r}")
    value = float(answer)
    if math.isnan(value):
        raise ValueError("your answer is NaN: something in your calculation had no data "
                         "(check your filters and that missing answers are skipped, not propagated)")
    return value


def recognised(value: float, mistakes: Sequence[Mistake], tol: float) -> list[Mistake]:
    """The mistakes whose value ``value`` matches within ``tol``, the diagnosis to give first.

    An answer given at full precision (within 1e-6 of one mistake) names that
    mistake alone; a rounded answer that fits several slips returns them all,
    closest first, so two slips that give nearly the same number (the standard
    deviation and the population variance of one item) are never mistaken for
    one another.
    """
    near = sorted((abs(value - m.value), i, m) for i, m in enumerate(mistakes) if abs(value - m.value) <= tol)
    if near and near[0][0] <= 1e-6 and (len(near) == 1 or near[1][0] > 1e-6):
        return [near[0][2]]
    return [m for _, _, m in near]


def judge_number(exercise_id: str, answer: Any, correct: float, mistakes: Sequence[Mistake], *,
                 tol: float, hint: str, percent: bool = True, rating_scale: bool = False) -> CheckResult:
    """Compare ``answer`` with ``correct`` and recognise typical mistakes.

    Parameters
    ----------
    exercise_id
        For the result.
    answer
        The learner's value.
    correct
        The toolkit's value.
    mistakes
        Recognised wrong answers, tried in order (one equal to ``correct`` is ignored).
    tol
        Absolute tolerance for "the same value".
    hint
        General hint for an unrecognised wrong answer.
    percent
        ``correct`` is on a 0-100 scale: a 0-1 answer is recognised as a fraction.
    rating_scale
        An answer on 1-5 is recognised as a mean rating not yet turned into points.
    """
    try:
        value = as_number(answer)
    except (TypeError, ValueError) as exc:
        return CheckResult(exercise_id, "failed", str(exc), hint)
    if abs(value - correct) <= tol:
        return CheckResult(exercise_id, "passed", f"{value:.2f} is right (the toolkit says {correct:.2f}).")
    real = [m for m in mistakes if not math.isnan(m.value) and abs(m.value - correct) > tol]
    matched = recognised(value, real, tol)
    if len(matched) == 1:
        m = matched[0]
        return CheckResult(exercise_id, "failed", f"{value:.2f} is not right: {m.message}", m.hint)
    if matched:
        a, b = matched[:2]
        return CheckResult(exercise_id, "failed", f"{value:.2f} is not right, and at this precision it fits two "
                           f"slips: either {a.message}, or {b.message}", f"{a.hint} / {b.hint}")
    if percent and 0 <= value <= 1.0 and abs(100 * value - correct) <= 100 * tol:
        return CheckResult(exercise_id, "failed",
                           f"{value:.4f} looks like a fraction (0-1), but this measure is reported in "
                           "points or percent (0-100).", "multiply by 100.")
    for m in real:
        if percent and 0 <= value <= 1.0 and abs(100 * value - m.value) <= 100 * tol:
            return CheckResult(exercise_id, "failed",
                               f"{value:.4f} is a fraction (0-1) instead of 0-100, and: {m.message}", m.hint)
    if rating_scale and 1 <= value <= 5:
        return CheckResult(exercise_id, "failed",
                           f"{value:.2f} looks like a mean rating on the 1-5 scale, not points (0-100).",
                           "points = 100 * (mean - 1) / 4: a mean of 1 is 0 points, a mean of 5 is 100.")
    if percent and not -1e-9 <= value <= 100 + 1e-9:
        return CheckResult(exercise_id, "failed", f"{value:.2f} is outside 0-100, where this measure lives.",
                           hint)
    # Never the size of the error: "x is 6.33 too high" gives the answer away by subtraction.
    direction = "high" if value > correct else "low"
    return CheckResult(exercise_id, "failed",
                       f"{value:.2f} is not right: it is too {direction}, and it matches none of the usual "
                       "slips.", hint)
