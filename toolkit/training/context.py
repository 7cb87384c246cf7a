"""The training data as the checks see it: loaded, scored and protected once per process.

Everything here is computed with the toolkit's own functions (intake,
metrics, privacy, findings), so the right answer to an exercise is whatever
the toolkit says on the shipped training data at check time.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.intake import list_waves, load_client
from toolkit.metrics.items import RatingMatrix, build_matrix
from toolkit.model import AREAS, REVERSE, ClientData
from toolkit.training.workspace import DataPaths
from toolkit.run import resources

DATA_DIR = resources.course_dir() / "data"


@dataclass
class TrainingData(DataPaths):
    """Lazily computed views of the training client (current wave, previous wave, broken copy)."""

    data_dir: Path

    @cached_property
    def client(self) -> ClientData:
        """The current wave."""
        return load_client(self.client_dir)

    @cached_property
    def previous(self) -> ClientData | None:
        """The wave before the current one, if any."""
        earlier = [w for w in list_waves(self.client_dir) if w != self.client.wave]
        return load_client(self.client_dir, wave=earlier[-1]) if earlier else None

    @cached_property
    def assessment(self):  # -> Assessment (raw, with drift)
        """`toolkit.metrics.score` of the current wave, with drift from the previous one."""
        from toolkit.metrics import assess
        from toolkit.metrics.score import DEFAULT_SEED

        return assess(self.client, previous=self.previous, seed=DEFAULT_SEED)

    @cached_property
    def protected(self):  # -> Assessment
        """The assessment after `toolkit.privacy.protect` (what a deck shows)."""
        from toolkit.privacy import protect

        return protect(self.assessment, self.client.config.privacy)

    @cached_property
    def findings(self):  # -> Findings
        """`toolkit.findings.build_findings` on the protected assessment."""
        from toolkit.findings import build_findings

        return build_findings(self.protected, self.client.config)

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
        return m.values[:, m.area_columns(area)]

    def item_values(self, question_id: str) -> np.ndarray:
        """Keyed ratings of one item (NaN dropped)."""
        cols = list(self.matrix.items["question_id"])
        v = self.matrix.values[:, cols.index(question_id)]
        return v[~np.isnan(v)]

    def area_row(self, area: str) -> pd.Series:
        """One row of the raw assessment's ``areas`` table."""
        if area not in AREAS:
            raise KeyError(area)
        return self.assessment.areas.loc[area]


@lru_cache(maxsize=4)
def _cached(data_dir: str) -> TrainingData:
    return TrainingData(Path(data_dir))


def training_data(data_dir: str | Path | None = None) -> TrainingData:
    """Return the (cached) training data of ``data_dir`` (default: the repository's course data)."""
    return _cached(str(Path(data_dir or DATA_DIR).resolve()))
