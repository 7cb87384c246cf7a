"""The training data as the checks see it: loaded, scored and protected once per process.

Everything here is computed with the story's pipeline steps (`toolkit.story`:
load, assess, protect, find), so the right answer to an exercise is whatever
the toolkit says on the shipped training data at check time.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from toolkit.metrics.assessment import Assessment
from toolkit.metrics.items import RatingMatrix, build_matrix
from toolkit.metrics.score import DEFAULT_SEED
from toolkit.model import AREAS, REVERSE, ClientData
from toolkit.story import Waves, assess_waves, find, load_waves, protect_waves
from toolkit.training.workspace import DataPaths

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.findings import Findings
from toolkit.run import resources

DATA_DIR = resources.course_dir() / "data"


@dataclass
class TrainingData(DataPaths):
    """Lazily computed views of the training client (current wave, previous wave, broken copy)."""

    data_dir: Path

    @cached_property
    def waves(self) -> Waves:
        """The current wave and the one before it, loaded as every deck loads them (`toolkit.story.load_waves`)."""
        return load_waves(self.client_dir)

    @cached_property
    def client(self) -> ClientData:
        """The current wave."""
        return self.waves.client

    @cached_property
    def previous(self) -> ClientData | None:
        """The wave before the current one, if any."""
        return self.waves.previous

    @cached_property
    def assessment(self) -> Assessment:
        """The raw assessment of the current wave, with drift from the previous one (`toolkit.story.assess_waves`)."""
        return assess_waves(self.waves, seed=DEFAULT_SEED)

    @cached_property
    def protected(self) -> Assessment:
        """The assessment after the privacy engine, exactly as the deck shows it (`toolkit.story.protect_waves`)."""
        return protect_waves(self.assessment, self.waves)

    @cached_property
    def findings(self) -> Findings:
        """Findings of the protected assessment, as the deck's (`toolkit.story.find`)."""
        return find(self.protected, self.waves)

    @cached_property
    def matrix(self) -> RatingMatrix:
        """Keyed respondent x item matrix of the current wave."""
        return build_matrix(self.client.ratings, self.client.questions)[0]

    @cached_property
    def unkeyed_matrix(self) -> RatingMatrix:
        """The same matrix as if no item were reverse keyed (the classic mistake)."""
        questions = self.client.questions.copy()
        questions[REVERSE] = False
        return build_matrix(self.client.ratings, questions)[0]

    def area_values(self, area: str, *, keyed: bool = True) -> np.ndarray:
        """``(n, J)`` ratings of one area's items (keyed unless ``keyed=False``)."""
        m = self.matrix if keyed else self.unkeyed_matrix
        return np.asarray(m.values[:, m.area_columns(area)])

    def item_values(self, question_id: str) -> np.ndarray:
        """Keyed ratings of one item (NaN dropped)."""
        cols = list(self.matrix.items["question_id"])
        v = self.matrix.values[:, cols.index(question_id)]
        return np.asarray(v[~np.isnan(v)])

    def area_row(self, area: str) -> pd.Series:
        """One row of the raw assessment's ``areas`` table."""
        if area not in AREAS:
            raise KeyError(area)
        row = self.assessment.areas.loc[area]
        assert isinstance(row, pd.Series), "areas has one row per area"
        return row


@lru_cache(maxsize=4)
def _cached(data_dir: str) -> TrainingData:
    return TrainingData(Path(data_dir))


def training_data(data_dir: str | Path | None = None) -> TrainingData:
    """Return the (cached) training data of ``data_dir`` (default: the repository's course data)."""
    return _cached(str(Path(data_dir or DATA_DIR).resolve()))
