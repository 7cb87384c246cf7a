"""The exercise registry and `check`, the one call a learner makes after each exercise.

Each module file (``ex1_alignment.py`` ...) registers its exercises with `exercise`;
`check` finds the exercise, treats ``None`` / ``...`` as "not yet answered",
and hands anything else to the exercise's judge together with the training
data (`toolkit.training.context.TrainingData`), so every right answer is
recomputed from the toolkit's own metrics at check time.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import AlignmentError
from toolkit.training.context import TrainingData, training_data
from toolkit.training.result import CheckResult, is_unanswered

log = logging.getLogger("toolkit")

Judge = Callable[[Any, TrainingData], CheckResult]


@dataclass(frozen=True)
class Exercise:
    """One self-checking exercise: id (``<module>-<name>``), a one-line task and its judge."""

    id: str
    task: str
    judge: Judge

    @property
    def module(self) -> int:
        """The course module (1-6) the exercise belongs to."""
        return int(self.id.split("-", 1)[0])


EXERCISES: dict[str, Exercise] = {}


class UnknownExerciseError(AlignmentError, LookupError):
    """`check` was given an exercise id that does not exist; the message lists the known ids."""


def exercise(exercise_id: str, task: str) -> Callable[[Judge], Judge]:
    """Register the decorated function as the judge of ``exercise_id``."""
    def register(judge: Judge) -> Judge:
        if exercise_id in EXERCISES:
            raise ValueError(f"exercise {exercise_id!r} is registered twice")
        EXERCISES[exercise_id] = Exercise(exercise_id, task, judge)
        return judge
    return register


def list_exercises(module: int | None = None) -> list[str]:
    """Return the exercise ids, in course order (optionally of one module)."""
    ids = sorted(EXERCISES, key=lambda i: (EXERCISES[i].module, list(EXERCISES).index(i)))
    return [i for i in ids if module is None or EXERCISES[i].module == module]


def get_exercise(exercise_id: str) -> Exercise:
    """Return the exercise, or raise `UnknownExerciseError` naming the known ids."""
    key = str(exercise_id).strip()
    if key not in EXERCISES:
        import difflib

        close = difflib.get_close_matches(key, list(EXERCISES), n=1)
        guess = f" Did you mean {close[0]!r}?" if close else ""
        raise UnknownExerciseError(f"unknown exercise id {exercise_id!r}.{guess} "
                                   f"Known ids: {', '.join(list_exercises())}")
    return EXERCISES[key]


def check(exercise_id: str, answer: Any, *, data_dir: str | Path | None = None) -> CheckResult:
    """Check an answer to a training exercise against the toolkit's own metrics.

    Parameters
    ----------
    exercise_id
        ``"<module>-<name>"``, e.g. ``"3-perception"``; `list_exercises` gives them all.
    answer
        Your answer. ``None`` or ``...`` means "not yet answered".
    data_dir
        Folder of the course data (default: ``notebooks/training/data`` of this repository).

    Returns
    -------
    CheckResult
        ``.passed``, ``.message`` and a hint; shows itself as a coloured box in Jupyter.

    An unknown ``exercise_id`` (a typo) is not raised as an error: the result
    says so, suggests the closest id and lists them all, so a learner sees one
    readable box instead of a traceback (`get_exercise` raises).

    Examples
    --------
    >>> check("3-perception", ...).status
    'unanswered'
    """
    try:
        ex = get_exercise(exercise_id)
    except UnknownExerciseError as exc:
        return CheckResult(str(exercise_id), "failed", str(exc),
                           "copy the id from the exercise's heading or from training.list_exercises().")
    if is_unanswered(answer):
        return CheckResult(ex.id, "unanswered", f"the task: {ex.task}.",
                           "replace the `...` with your answer and run the cell again.")
    data = training_data(data_dir)
    try:
        return ex.judge(answer, data)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        log.debug("exercise %s could not read the answer", ex.id, exc_info=True)
        return CheckResult(ex.id, "failed", f"your answer could not be read ({type(exc).__name__}: {exc}).",
                           f"Task: {ex.task}")
