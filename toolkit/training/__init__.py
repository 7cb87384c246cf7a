"""Training: self-checking exercises for the course in ``notebooks/training/`` (DESIGN 1).

>>> from toolkit import training
>>> training.check("3-perception", ...).status
'unanswered'
"""
from toolkit.training import ex1_alignment, ex2_intake, ex3_scoring, ex4_evidence, ex5_findings, ex6_capstone  # noqa: F401  (register their exercises)  # noqa: F401  (register their exercises)
from toolkit.training.context import TrainingData, training_data
from toolkit.training.datasets import write_training_data
from toolkit.training.ex1_alignment import toy_firm
from toolkit.training.ex2_intake import REFERENCE_MAPPING
from toolkit.training.registry import EXERCISES, UnknownExerciseError, check, list_exercises
from toolkit.training.result import CheckResult
from toolkit.training.workspace import course_paths, scratch_copy, scratch_folder, try_mapping

__all__ = ["CheckResult", "EXERCISES", "REFERENCE_MAPPING", "TrainingData", "UnknownExerciseError", "check",
           "course_paths", "list_exercises", "scratch_copy", "scratch_folder", "toy_firm", "training_data",
           "try_mapping", "write_training_data"]
