"""What the consultant is looking at: filters, what-if weights, and how a scenario is scored.

Nothing here computes a metric of its own. A filter builds a smaller
`ClientData` (the same rows, fewer of them) that `toolkit.metrics` scores as
usual; a what-if weight change re-combines the *already scored* components
and bootstrap draws with the same functions `toolkit.metrics.score` uses
(`weighted_present`, `interval`, `band`, `principal_gap`), so moving a slider
never re-runs the bootstrap and gives exactly what `assess` would give with
the new weights in ``client.yaml``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from toolkit.client_config import AreaWeights, ClientConfig, ComponentWeights
from toolkit.metrics import ScoredWave
from toolkit.metrics.alignment import band, principal_gap, weighted_present
from toolkit.metrics.assessment import Assessment
from toolkit.metrics.bootstrap import interval
from toolkit.model import AREAS, DEPARTMENT, LEVEL, RESPONDENT, ClientData

COMPONENTS: tuple[str, ...] = ("perception", "consistency", "evidence")


@dataclass(frozen=True)
class Filters:
    """Which respondents (and operations rows) a view covers; None means everyone.

    One department and/or one level at a time: a free multi-select would let
    a reader subtract two shown views and recover a suppressed group.
    """

    department: str | None = None
    level: str | None = None

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return self.department is not None or self.level is not None

    def describe(self) -> str:
        """``"all respondents"`` or e.g. ``"department Finance, level frontline"``."""
        parts = []
        if self.department is not None:
            parts.append(f"department {self.department}")
        if self.level is not None:
            parts.append(f"level {self.level}")
        return ", ".join(parts) or "all respondents"

    def as_dict(self) -> dict[str, str | None]:
        """JSON-ready ``{"department": ..., "level": ...}``."""
        return {"department": self.department, "level": self.level}


@dataclass(frozen=True)
class Weights:
    """A what-if: the client's strategic area weights and the component weights."""

    area: AreaWeights
    component: ComponentWeights

    @classmethod
    def of(cls, config: ClientConfig) -> Weights:
        """The weights in force in ``client.yaml``."""
        return cls(config.area_weights, config.component_weights)

    @classmethod
    def from_values(cls, area: Mapping[str, float], component: Mapping[str, float]) -> Weights:
        """Validated weights from plain numbers (raises `pydantic.ValidationError` when all are zero)."""
        return cls(AreaWeights(**{a: float(area[a]) for a in AREAS}),
                   ComponentWeights(**{c: float(component[c]) for c in COMPONENTS}))

    def apply(self, config: ClientConfig) -> ClientConfig:
        """``config`` with these weights (``model_copy(update=...)``; the input is not changed)."""
        return config.model_copy(update={"area_weights": self.area, "component_weights": self.component})

    def key(self) -> tuple[float, ...]:
        """Hashable key for caches."""
        return tuple(self.area.as_dict().values()) + tuple(self.component_dict().values())

    def component_dict(self) -> dict[str, float]:
        """``{"perception", "consistency", "evidence"}`` in that order (the order `assess` sums in)."""
        return {c: float(getattr(self.component, c)) for c in COMPONENTS}

    def as_dict(self) -> dict[str, dict[str, float]]:
        """JSON-ready ``{"area_weights": {...}, "component_weights": {...}}``."""
        return {"area_weights": self.area.as_dict(), "component_weights": self.component_dict()}


def filter_client(client: ClientData, filters: Filters) -> ClientData:
    """The client's data restricted to one department and/or level.

    Ratings keep the filtered respondents; excerpts keep those respondents'
    excerpts; operations keep the department's rows (operations have no level,
    so a level filter leaves them whole). The input is not modified.

    Examples
    --------
    >>> from toolkit.intake import load_client                      # doctest: +SKIP
    >>> sub = filter_client(load_client("client_data/swiftmart"), Filters(level="frontline"))  # doctest: +SKIP
    """
    if not filters.active:
        return client
    ratings, operations = client.ratings, client.operations
    keep = np.ones(len(ratings), dtype=bool)
    if filters.department is not None:
        keep &= (ratings[DEPARTMENT] == filters.department).to_numpy(dtype=bool, na_value=False)
        operations = operations.loc[(operations[DEPARTMENT] == filters.department)
                                    .to_numpy(dtype=bool, na_value=False)]
    if filters.level is not None:
        keep &= (ratings[LEVEL] == filters.level).to_numpy(dtype=bool, na_value=False)
    ratings = ratings.loc[keep]
    excerpts = client.excerpts
    if excerpts is not None and len(excerpts):
        excerpts = excerpts.loc[excerpts[RESPONDENT].isin(ratings[RESPONDENT].unique())]
        excerpts = excerpts.reset_index(drop=True)
    return replace(client, ratings=ratings.reset_index(drop=True), excerpts=excerpts,
                   operations=operations.reset_index(drop=True))


def reweight(wave: ScoredWave, weights: Weights) -> Assessment:
    """The wave's (unprotected) assessment re-combined with other weights, without a new bootstrap.

    Mirrors the last steps of `toolkit.metrics.score.score_wave` with the same
    functions and the same order of operations: per area
    ``A = weighted_present(P, C, E; component weights)`` and its draws from the
    stored P and C draws, then ``OAI = weighted_present(A; w / sum w)``, its
    interval, the bands and the principal gap. Perception, consistency,
    evidence and every breakdown are unchanged by weights and are reused.

    Parameters
    ----------
    wave
        The output of ``score_wave`` for the (filtered) data.
    weights
        The what-if weights.

    Returns
    -------
    Assessment
        A new, unprotected assessment (pass it through `toolkit.privacy.protect`).
    """
    base = wave.assessment
    not_scored = set(getattr(base, "not_scored", []))  # DESIGN 2.1: left out of the OAI, weight 0
    raw = {a: (0.0 if a in not_scored else w) for a, w in weights.area.as_dict().items()}
    total = sum(raw.values())
    area_w = {a: (w / total if total > 0 else 0.0) for a, w in raw.items()}
    cw = weights.component_dict()
    areas = base.areas.copy()
    evidence = areas["evidence"].to_dict()
    alignment: dict[str, float] = {}
    a_draws: dict[str, np.ndarray] = {}
    bounds: list[tuple[float, float]] = []
    for area in AREAS:
        p, p_draws = wave.draws[(area, "perception")]
        c, c_draws = wave.draws[(area, "consistency")]
        e = float(evidence[area])
        alignment[area] = float(weighted_present({"perception": p, "consistency": c, "evidence": e}, cw))
        e_draws = getattr(wave, "evidence_draws", {}).get(area, np.full(len(p_draws), np.nan))  # KPI noise
        a_draws[area] = np.asarray(weighted_present({"perception": p_draws, "consistency": c_draws,
                                                     "evidence": e_draws}, cw), dtype=float)
        bounds.append(interval(a_draws[area]))
    areas["weight"] = [area_w[a] for a in AREAS]
    areas["alignment"] = [alignment[a] for a in AREAS]
    areas["alignment_lo"] = [lo for lo, _ in bounds]
    areas["alignment_hi"] = [hi for _, hi in bounds]
    areas["band"] = pd.Series([band(alignment[a]) for a in AREAS], index=areas.index, dtype=areas["band"].dtype)
    oai_value = float(weighted_present(alignment, area_w))
    oai_draws = np.asarray(weighted_present(a_draws, area_w), dtype=float)
    lo, hi = interval(oai_draws)
    oai: dict[str, float | str | int] = {"value": oai_value, "lo": float(lo), "hi": float(hi),
                                         "band": band(oai_value), "n": base.oai["n"]}
    return replace(base, areas=areas, oai=oai, principal_gap=principal_gap(alignment, area_w),
                   warnings=list(base.warnings))
