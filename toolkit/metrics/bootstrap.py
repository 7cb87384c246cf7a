"""Vectorised percentile bootstrap over respondents and KPI observations (DESIGN 2.1: B = 1000, 90 %).

One resampling of respondents is shared by every area, so the intervals of
``A_a`` and of the OAI come from the same resamples. Each resample is a row of
a counts matrix ``W`` (how often each respondent was drawn); an area's
statistics for all resamples are then a few matrix products ``W @ M``:

* perception: ``sum_i W_bi x_i / sum_i W_bi`` over respondents who rated the area;
* consistency: per item the weighted sums of 1, ``d`` and ``d^2`` (``d`` the
  deviation from the item mean) give each resample's sample variance
  ``(S2 - S1^2 / S0) / (S0 - 1)``, hence r_wg and ``C``.

Resamples are generated in blocks of rows to bound memory; there is no Python
loop over individual resamples.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from toolkit.metrics.consistency import SIGMA2_UNIFORM, mean_points, rwg_from_variance
from toolkit.metrics.items import respondent_means
from toolkit.metrics.perception import to_points

CONFIDENCE = 0.90
_BLOCK_CELLS = 4_000_000  # resamples x respondents per block (32 MB of float64)


def resample_counts(n: int, n_boot: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Yield blocks of the ``(n_boot, n)`` matrix of respondent draw counts (rows sum to n)."""
    block = max(1, min(n_boot, _BLOCK_CELLS // max(n, 1)))
    done = 0
    while done < n_boot:
        b = min(block, n_boot - done)
        idx = rng.integers(0, n, size=(b, n))
        idx += (np.arange(b) * n)[:, None]
        yield np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)
        done += b


def _design(values: np.ndarray) -> np.ndarray:
    """Per-respondent columns whose weighted sums give P and C: ``[x*r, r, m, d, d^2]``."""
    x, rated = respondent_means(values)
    mask = ~np.isnan(values)
    n_j = mask.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n_j > 0, np.where(mask, values, 0).sum(axis=0) / np.maximum(n_j, 1), 0.0)
    d = np.where(mask, values - mean, 0.0)
    return np.column_stack([np.where(rated, x, 0.0), rated.astype(float), mask.astype(float), d, d * d])


def _statistics(sums: np.ndarray, j: int, sigma2: np.ndarray | float = SIGMA2_UNIFORM) -> tuple[np.ndarray, np.ndarray]:
    """P and C per resample from the weighted sums of `_design`'s columns."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(sums[:, 1] > 0, to_points(sums[:, 0] / np.where(sums[:, 1] > 0, sums[:, 1], 1)), np.nan)
        s0, s1, s2 = sums[:, 2:2 + j], sums[:, 2 + j:2 + 2 * j], sums[:, 2 + 2 * j:2 + 3 * j]
        var = np.where(s0 >= 2, (s2 - s1 * s1 / np.maximum(s0, 1)) / np.maximum(s0 - 1, 1), np.nan)
    var = np.where(np.isnan(var), np.nan, np.maximum(var, 0.0))  # rounding can give -1e-16
    c = mean_points(rwg_from_variance(var, sigma2), axis=1) if j else np.full(len(sums), np.nan)
    return p, np.asarray(c, dtype=float)


def bootstrap_areas(area_values: Mapping[str, np.ndarray], n_boot: int, rng: np.random.Generator,
                    sigma2: Mapping[str, np.ndarray] | None = None,
                    counts: np.ndarray | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Bootstrap draws of perception and consistency for every area, sharing the resamples.

    Parameters
    ----------
    area_values
        ``{area: (n, J_a) keyed ratings}``; every array has the same respondent rows.
    n_boot
        Number of resamples B.
    rng
        Seeded generator (the only source of randomness).
    sigma2
        ``{area: per-item random-answering variance}`` (default 2: 5 points).
    counts
        A given ``(n_boot, n)`` matrix of draw counts (paired resampling of
        respondents across waves, see `paired_counts`); default: drawn from ``rng``.

    Returns
    -------
    dict
        ``{area: (perception_draws, consistency_draws)}``, arrays of length B.
    """
    areas = list(area_values)
    if not areas:
        return {}
    n = next(iter(area_values.values())).shape[0]
    if n == 0 or n_boot <= 0:
        return {a: (np.full(max(n_boot, 0), np.nan), np.full(max(n_boot, 0), np.nan)) for a in areas}
    designs = [_design(area_values[a]) for a in areas]
    widths = [d.shape[1] for d in designs]
    stacked = np.column_stack(designs)
    source = resample_counts(n, n_boot, rng) if counts is None else _blocks(np.asarray(counts, dtype=np.float64))
    blocks = [w @ stacked for w in source]
    sums = np.vstack(blocks)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    start = 0
    for area, width in zip(areas, widths, strict=True):
        j = area_values[area].shape[1]
        s2 = SIGMA2_UNIFORM if sigma2 is None else sigma2[area]
        out[area] = _statistics(sums[:, start:start + width], j, s2)
        start += width
    return out


def _blocks(counts: np.ndarray) -> Iterator[np.ndarray]:
    """Rows of a given counts matrix in blocks bounded like `resample_counts`'s."""
    block = max(1, _BLOCK_CELLS // max(counts.shape[1], 1))
    for start in range(0, counts.shape[0], block):
        yield counts[start:start + block]


def paired_counts(previous_ids: np.ndarray, current_ids: np.ndarray, n_boot: int,
                  rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw counts for two waves in which respondent ids recur: recurring people are resampled as pairs.

    Respondents present in both waves are drawn once per resample (the same
    count in both waves); those in one wave only are drawn within that wave.
    Each wave's rows sum to its own n.

    Returns
    -------
    previous_counts, current_counts
        ``(n_boot, n_previous)`` and ``(n_boot, n_current)`` frames whose columns are the ids.
    """
    prev = pd.Index(np.asarray(previous_ids, dtype=object))
    cur = pd.Index(np.asarray(current_ids, dtype=object))
    both = cur.intersection(prev, sort=False)
    only_prev, only_cur = prev.difference(both, sort=False), cur.difference(both, sort=False)
    parts = {}
    for key, ids in (("both", both), ("prev", only_prev), ("cur", only_cur)):
        parts[key] = (np.vstack(list(resample_counts(len(ids), n_boot, rng))) if len(ids)
                      else np.zeros((n_boot, 0)))
    prev_counts = pd.DataFrame(np.hstack([parts["both"], parts["prev"]]), columns=both.append(only_prev))
    cur_counts = pd.DataFrame(np.hstack([parts["both"], parts["cur"]]), columns=both.append(only_cur))
    return prev_counts, cur_counts


def bootstrap_evidence(kpis: pd.DataFrame, n_boot: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Draws of ``E_a`` from resampling each KPI's (department, period) observations.

    Resampling ``n_obs`` on/off-target observations with replacement gives a
    share on target that is ``Binomial(n_obs, attainment) / n_obs`` exactly,
    so each KPI's B draws are one vectorised binomial call.

    Parameters
    ----------
    kpis
        `score_kpis`'s KPI table: ``area, n_obs, attainment`` (%).

    Returns
    -------
    dict
        ``{area: draws of E_a}`` for areas with at least one observed KPI.
    """
    out: dict[str, list[np.ndarray]] = {}
    for area, n_obs, att in zip(kpis["area"], kpis["n_obs"].to_numpy(dtype=np.int64),
                                kpis["attainment"].to_numpy(dtype=float), strict=True):
        if n_obs <= 0 or np.isnan(att):
            continue
        share = rng.binomial(int(n_obs), min(max(att / 100.0, 0.0), 1.0), size=n_boot) / n_obs
        out.setdefault(str(area), []).append(100.0 * share)
    return {a: np.mean(np.vstack(d), axis=0) for a, d in out.items()}


def paired_evidence(previous_obs: pd.DataFrame, current_obs: pd.DataFrame, n_boot: int,
                    rng: np.random.Generator) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Draws of ``E_a`` for two waves whose KPI observations may recur (same KPI, department, period).

    Within each KPI, recurring observations are resampled as pairs (one count
    for both waves), the rest within their own wave (`paired_counts`), so a
    KPI history shared by both waves adds no spurious drift.

    Parameters
    ----------
    previous_obs, current_obs
        `toolkit.metrics.evidence.kpi_observations` of each wave.

    Returns
    -------
    previous, current
        ``{area: draws of E_a}`` of each wave.
    """
    out: tuple[dict[str, list[np.ndarray]], dict[str, list[np.ndarray]]] = ({}, {})
    kpi_ids = pd.unique(pd.concat([previous_obs["kpi_id"], current_obs["kpi_id"]], ignore_index=True))
    for kpi in kpi_ids:
        prev, cur = previous_obs[previous_obs["kpi_id"] == kpi], current_obs[current_obs["kpi_id"] == kpi]
        prev = prev.drop_duplicates("key", keep="last")
        cur = cur.drop_duplicates("key", keep="last")
        pc, cc = paired_counts(prev["key"].to_numpy(), cur["key"].to_numpy(), n_boot, rng)
        for frame, counts, store in ((prev, pc, out[0]), (cur, cc, out[1])):
            if len(frame):
                share = counts[frame["key"].to_numpy()].to_numpy() @ frame["met"].to_numpy(dtype=float) / len(frame)
                store.setdefault(str(frame["area"].iloc[0]), []).append(100.0 * share)
    return ({a: np.mean(np.vstack(d), axis=0) for a, d in out[0].items()},
            {a: np.mean(np.vstack(d), axis=0) for a, d in out[1].items()})


def interval(draws: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Percentile interval of the draws (NaN draws ignored; NaN when none is defined).

    Examples
    --------
    >>> interval(np.arange(101.0))
    (5.0, 95.0)
    """
    d = np.asarray(draws, dtype=float)
    d = d[~np.isnan(d)]
    if d.size == 0:
        return float("nan"), float("nan")
    tail = round(50.0 * (1.0 - confidence), 10)
    lo, hi = np.percentile(d, [tail, 100.0 - tail])
    return float(lo), float(hi)
