"""Training: self-checking exercises for the course in ``notebooks/training/`` (DESIGN 1).

>>> from toolkit import training
>>> training.check("3-perception", ...).status
'unanswered'
"""
from toolkit.training import module1, module2, module3, module4, module5, module6  # noqa: F401  (register)
from toolkit.training.context import TrainingData, training_data
from toolkit.training.datasets import write_training_data
from toolkit.training.module1 import toy_firm
from toolkit.training.module2 import REFERENCE_MAPPING
from toolkit.training.registry import EXERCISES, UnknownExerciseError, check, list_exercises
from toolkit.training.result import CheckResult
from toolkit.training.workspace import course_paths, scratch_copy, scratch_folder, try_mapping

__all__ = ["CheckResult", "EXERCISES", "REFERENCE_MAPPING", "TrainingData", "UnknownExerciseError", "check",
           "course_paths", "list_exercises", "scratch_copy", "scratch_folder", "toy_firm", "training_data",
           "try_mapping", "write_training_data"]
