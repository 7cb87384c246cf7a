"""Consistency ``C``: item-level r_wg averaged over an area's items (DESIGN 2.1).

``r_wg = 1 - s^2 / sigma^2`` (James, Demaree & Wolf 1984), floored at 0, with
``s^2`` the item's sample variance (ddof 1) and ``sigma^2 = (A^2 - 1) / 12``
the variance of uniform random answering on the item's *native* A points.
Ratings are held on the 1-5 display metric, so ``sigma^2`` is taken on that
metric too: ``(A^2 - 1) / 12 * (4 / (A - 1))^2`` (2 on 5 points, 2.22 on 4,
1.78 on 7); the ratio, hence r_wg, is the native one. An item rated by fewer
than two respondents has no r_wg and is skipped.
"""
from __future__ import annotations

import numpy as np

from toolkit.model import SCALE_MAX, SCALE_MIN

N_POINTS = SCALE_MAX - SCALE_MIN + 1
SIGMA2_UNIFORM = (N_POINTS ** 2 - 1) / 12.0  # = 2.0 on a 5-point scale


def display_sigma2(points: np.ndarray | float) -> np.ndarray | float:
    """Random-answering variance of a native ``points``-point scale on the 1-5 display metric.

    Examples
    --------
    >>> [round(float(display_sigma2(a)), 4) for a in (4, 5, 7)]
    [2.2222, 2.0, 1.7778]
    """
    a = np.asarray(points, dtype=float)
    out = (a * a - 1) / 12.0 * ((SCALE_MAX - SCALE_MIN) / (a - 1)) ** 2
    return float(out) if out.ndim == 0 else out


def rwg_from_variance(variance: np.ndarray | float, sigma2: np.ndarray | float = SIGMA2_UNIFORM) -> np.ndarray:
    """``max(0, 1 - s^2 / sigma^2)`` (sigma^2 per item, default 2: 5 points); NaN stays NaN.

    Examples
    --------
    >>> # James, Demaree & Wolf (1984) style: s^2 = 0.5 on 5 points -> 1 - 0.5/2
    >>> float(rwg_from_variance(0.5))
    0.75
    """
    v = np.asarray(variance, dtype=float)
    return np.where(np.isnan(v), np.nan, np.maximum(0.0, 1.0 - v / np.asarray(sigma2, dtype=float)))


def item_variance(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample variance (ddof 1) of each column ignoring NaN, and its n (NaN when n < 2).

    Examples
    --------
    >>> v, n = item_variance(np.array([[3.0, 1.0], [4.0, np.nan], [5.0, np.nan]]))
    >>> v.tolist()[0], bool(np.isnan(v[1])), n.tolist()
    (1.0, True, [3, 1])
    """
    mask = ~np.isnan(values)
    n = mask.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.where(mask, values, 0).sum(axis=0) / np.maximum(n, 1), 0.0)
        dev = np.where(mask, values - mean, 0.0)
        var = np.where(n >= 2, (dev ** 2).sum(axis=0) / np.maximum(n - 1, 1), np.nan)
    return var, n


def item_rwg(values: np.ndarray, sigma2: np.ndarray | float = SIGMA2_UNIFORM) -> np.ndarray:
    """Item-level r_wg of each column (NaN for items with fewer than 2 ratings)."""
    return rwg_from_variance(item_variance(values)[0], sigma2)


def mean_points(rwg: np.ndarray, axis: int = -1) -> np.ndarray | float:
    """``100 * mean(rwg)`` over the defined items along ``axis`` (NaN when none is defined)."""
    rwg = np.asarray(rwg, dtype=float)
    ok = ~np.isnan(rwg)
    count = ok.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(count > 0, 100.0 * np.where(ok, rwg, 0).sum(axis=axis) / np.maximum(count, 1), np.nan)
    return float(out) if out.ndim == 0 else out


def consistency(values: np.ndarray, sigma2: np.ndarray | float = SIGMA2_UNIFORM) -> float:
    """``C_a = 100 * mean_j max(0, 1 - s_j^2 / sigma_j^2)`` over the area's items (sigma^2 default 2: 5 points).

    Examples
    --------
    >>> # item 1: 3,4,5 -> s^2 = 1 -> r_wg 0.5; item 2: 4,4,4 -> s^2 = 0 -> r_wg 1; C = 100 * 0.75
    >>> consistency(np.array([[3.0, 4.0], [4.0, 4.0], [5.0, 4.0]]))
    75.0
    """
    if values.size == 0:
        return float("nan")
    return float(mean_points(item_rwg(values, sigma2)))


def group_consistency(values: np.ndarray, codes: np.ndarray, n_groups: int,
                      sigma2: np.ndarray | float = SIGMA2_UNIFORM) -> np.ndarray:
    """``C`` computed within each group (e.g. department): array of length ``n_groups``."""
    mask = ~np.isnan(values)
    filled = np.where(mask, values, 0.0)
    j = values.shape[1]
    if j == 0:
        return np.full(n_groups, np.nan)
    flat = (codes[:, None] * j + np.arange(j)[None, :]).ravel()
    size = n_groups * j
    cnt = np.bincount(flat, weights=mask.ravel().astype(float), minlength=size).reshape(n_groups, j)
    s1 = np.bincount(flat, weights=filled.ravel(), minlength=size).reshape(n_groups, j)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / np.maximum(cnt, 1)
        dev = np.where(mask, values - mean[codes], 0.0)
        s2 = np.bincount(flat, weights=(dev ** 2).ravel(), minlength=size).reshape(n_groups, j)
        var = np.where(cnt >= 2, s2 / np.maximum(cnt - 1, 1), np.nan)
    return np.asarray(mean_points(rwg_from_variance(var, sigma2), axis=1))


def within_group_consistency(group_consistency: np.ndarray, min_groups: int = 1) -> float:
    """Mean of group (e.g. department) consistencies over the groups with a value.

    NaN when fewer than ``min_groups`` groups have a value.

    Examples
    --------
    >>> within_group_consistency(np.array([70.0, 80.0, np.nan])), within_group_consistency(np.array([70.0]), 2)
    (75.0, nan)
    """
    v = np.asarray(group_consistency, dtype=float)
    v = v[~np.isnan(v)]
    return float(v.mean()) if v.size >= max(min_groups, 1) else float("nan")

