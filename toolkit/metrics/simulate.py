"""Known-truth simulations of the method (DESIGN 2.1): coverage, false alarms, C under random answering.

Used by ``tests/test_metrics_simulation.py`` (few replications, CI-fast) and
``benchmarks/method.py`` (many). Pure functions of a seeded generator; they
call the same metric functions as `toolkit.metrics.score`.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from toolkit.metrics.alignment import weighted_present
from toolkit.metrics.bootstrap import bootstrap_areas, bootstrap_evidence, interval
from toolkit.metrics.consistency import consistency, display_sigma2
from toolkit.metrics.drift import drift_table
from toolkit.metrics.gaps import level_gaps
from toolkit.metrics.items import respondent_means
from toolkit.metrics.perception import perception, to_points
from toolkit.rules import MIN_GROUP_SIZE

if TYPE_CHECKING:
    import pandas as pd

Scored = dict[str, tuple[float, np.ndarray]]

COMPONENTS = {"perception": 0.5, "consistency": 0.25, "evidence": 0.25}
AREA_MEANS = {"a": 3.4, "b": 3.9, "c": 3.0, "d": 4.2}  # latent item means on 1-5
ITEM_SD = 0.8
N_ITEMS = 3
KPI_SHARES = {"a": (0.6, 0.8), "b": (0.4, 0.5), "c": (0.7, 0.3), "d": (0.9, 0.75)}
KPI_OBS = 24  # (department, period) observations per KPI
AREA_WEIGHTS = {"a": 0.4, "b": 0.2, "c": 0.2, "d": 0.2}


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def rounded_moments(mean: float, sd: float) -> tuple[float, float]:
    """Exact mean and variance of ``clip(round(N(mean, sd)), 1, 5)``."""
    probs = []
    for k in range(1, 6):
        lo = -math.inf if k == 1 else (k - 0.5 - mean) / sd
        hi = math.inf if k == 5 else (k + 0.5 - mean) / sd
        probs.append((_phi(hi) if hi != math.inf else 1.0) - (_phi(lo) if lo != -math.inf else 0.0))
    m = sum(k * p for k, p in zip(range(1, 6), probs, strict=True))
    v = sum((k - m) ** 2 * p for k, p in zip(range(1, 6), probs, strict=True))
    return m, v


def truth() -> dict[str, float]:
    """True P, C, E, A per area and the OAI of the simulated population."""
    out: dict[str, float] = {}
    alignment = {}
    for area, mu in AREA_MEANS.items():
        m, v = rounded_moments(mu, ITEM_SD)
        p = float(to_points(m))
        c = 100.0 * max(0.0, 1.0 - v / 2.0)
        e = 100.0 * float(np.mean(KPI_SHARES[area]))
        alignment[area] = float(weighted_present({"perception": p, "consistency": c, "evidence": e}, COMPONENTS))
        out.update({f"{area}.perception": p, f"{area}.consistency": c, f"{area}.evidence": e,
                    f"{area}.alignment": alignment[area]})
    out["oai"] = float(weighted_present(alignment, AREA_WEIGHTS))
    return out


def sample_client(n: int, rng: np.random.Generator) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """One sample: ``{area: (n, 3) ratings}`` and a KPI table (``area, n_obs, attainment``)."""
    values = {a: np.clip(np.rint(rng.normal(mu, ITEM_SD, size=(n, N_ITEMS))), 1, 5) for a, mu in AREA_MEANS.items()}
    rows: dict[str, list[object]] = {"area": [], "n_obs": [], "attainment": []}
    for area, shares in KPI_SHARES.items():
        for share in shares:
            rows["area"].append(area)
            rows["n_obs"].append(KPI_OBS)
            rows["attainment"].append(100.0 * rng.binomial(KPI_OBS, share) / KPI_OBS)
    import pandas as pd

    return values, pd.DataFrame(rows)


def score_sample(values: dict[str, np.ndarray], kpis: pd.DataFrame, n_boot: int,
                 rng: np.random.Generator) -> Scored:
    """Point estimates and draws of P, C, A per area and the OAI, as `score_wave` combines them."""
    boot = bootstrap_areas(values, n_boot, rng)
    e_boot = bootstrap_evidence(kpis, n_boot, rng)
    e_point = kpis.groupby("area")["attainment"].mean()
    out: Scored = {}
    a_points: dict[str, float] = {}
    a_draws: dict[str, np.ndarray] = {}
    for area, v in values.items():
        p, c, e = perception(v), consistency(v), float(e_point[area])
        a_points[area] = float(weighted_present({"perception": p, "consistency": c, "evidence": e}, COMPONENTS))
        a_draws[area] = np.asarray(weighted_present({"perception": boot[area][0], "consistency": boot[area][1],
                                                     "evidence": e_boot[area]}, COMPONENTS))
        out[f"{area}.perception"] = (p, boot[area][0])
        out[f"{area}.consistency"] = (c, boot[area][1])
        out[f"{area}.alignment"] = (a_points[area], a_draws[area])
    out["oai"] = (float(weighted_present(a_points, AREA_WEIGHTS)),
                  np.asarray(weighted_present(a_draws, AREA_WEIGHTS)))
    return out


def coverage(n: int, reps: int, n_boot: int, seed: int, keys: tuple[str, ...] = ("a.perception", "oai")) -> dict[str, float]:
    """Share of 90 % intervals that contain the truth, per key."""
    rng = np.random.default_rng(seed)
    true = truth()
    hits = {k: 0 for k in keys}
    for _ in range(reps):
        values, kpis = sample_client(n, rng)
        scored = score_sample(values, kpis, n_boot, rng)
        for k in keys:
            lo, hi = interval(scored[k][1])
            hits[k] += lo <= true[k] <= hi
    return {k: h / reps for k, h in hits.items()}


def blind_spot_false_alarms(reps: int, seed: int, sizes: tuple[int, int, int] = (6, 12, 22)) -> float:
    """Share of clients with no true level difference that get at least one flagged blind spot."""
    rng = np.random.default_rng(seed)
    levels = np.repeat(np.array(["executive", "manager", "frontline"], dtype=object), sizes)
    alarms = 0
    for _ in range(reps):
        points = {}
        for area, mu in AREA_MEANS.items():
            x, _ = respondent_means(np.clip(np.rint(rng.normal(mu, 1.1, size=(len(levels), N_ITEMS))), 1, 5))
            points[area] = np.asarray(to_points(x))
        alarms += bool(level_gaps(points, levels, MIN_GROUP_SIZE)["flagged"].any())
    return alarms / reps


def _drift_key(key: str) -> tuple[str, str]:
    """``"a.perception"`` -> ``("a", "perception")``; ``"oai"`` -> ``("overall", "oai")``."""
    area, dot, metric = key.partition(".")
    return (area, metric) if dot else ("overall", key)


def drift_false_alarms(n: int, reps: int, n_boot: int, seed: int) -> float:
    """Share of wave pairs from one population (different people) with at least one significant drift."""
    rng = np.random.default_rng(seed)
    alarms = 0
    for _ in range(reps):
        waves = []
        for _w in range(2):
            values, kpis = sample_client(n, rng)
            scored = score_sample(values, kpis, n_boot, rng)
            waves.append({_drift_key(k): v for k, v in scored.items()})
        alarms += bool(drift_table(waves[0], waves[1])["significant"].any())
    return alarms / reps


def random_answering_consistency(points: int, n: int, reps: int, seed: int) -> tuple[float, float]:
    """Mean C under uniform random answering on a native scale: with the native null and with v1's sigma^2 = 2."""
    rng = np.random.default_rng(seed)
    native, v1 = [], []
    for _ in range(reps):
        x = rng.integers(1, points + 1, size=(n, N_ITEMS)).astype(float)
        display = 1 + 4 * (x - 1) / (points - 1)
        native.append(consistency(display, display_sigma2(points)))
        v1.append(consistency(display))
    return float(np.mean(native)), float(np.mean(v1))
