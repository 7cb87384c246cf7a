"""Vectorised percentile bootstrap over respondents (DESIGN 2.1: B = 1000, 90 %).

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

from typing import Iterator, Mapping

import numpy as np

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
                    sigma2: Mapping[str, np.ndarray] | None = None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
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
    blocks = [w @ stacked for w in resample_counts(n, n_boot, rng)]
    sums = np.vstack(blocks)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    start = 0
    for area, width in zip(areas, widths):
        j = area_values[area].shape[1]
        s2 = SIGMA2_UNIFORM if sigma2 is None else sigma2[area]
        out[area] = _statistics(sums[:, start:start + width], j, s2)
        start += width
    return out


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
