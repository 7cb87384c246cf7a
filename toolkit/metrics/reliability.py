"""Cronbach's alpha per area on pairwise-complete covariances, with n and a 95 % interval (DESIGN 2.1)."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from toolkit.metrics.tdist import f_quantile

ALPHA_WARN = 0.70
ALPHA_CONFIDENCE = 0.95


class Alpha(NamedTuple):
    """Cronbach's alpha, the respondents it rests on and its Feldt (1965) 95 % interval."""

    alpha: float
    n: int
    lo: float
    hi: float


def pairwise_covariance(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Covariance matrix on pairwise-complete observations (ddof 1), as R's ``cov(use = "pairwise")``.

    Returns
    -------
    cov, n_pairs
        ``(k, k)`` covariances (NaN where a pair has fewer than 2 joint
        ratings) and the number of joint ratings of each pair.
    """
    mask = ~np.isnan(values)
    m = mask.astype(float)
    x = np.where(mask, values, 0.0)
    n_pairs = m.T @ m
    sx = x.T @ m          # sum of x_j over rows where j and l are both present
    sxy = x.T @ x
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (sxy - sx * sx.T / n_pairs) / (n_pairs - 1)
    cov = np.where(n_pairs >= 2, cov, np.nan)
    return cov, n_pairs.astype(np.int64)


def feldt_interval(alpha: float, n: int, k: int, confidence: float = ALPHA_CONFIDENCE) -> tuple[float, float]:
    """Feldt's interval for alpha: ``1 - (1 - alpha) F`` with F on ``n - 1`` and ``(n - 1)(k - 1)`` df.

    Examples
    --------
    >>> [round(v, 4) for v in feldt_interval(0.8, 50, 5)]
    [0.6966, 0.8759]
    """
    if np.isnan(alpha) or n < 3 or k < 2:
        return float("nan"), float("nan")
    tail = (1.0 - confidence) / 2.0
    d1, d2 = n - 1.0, (n - 1.0) * (k - 1.0)
    return (float(1.0 - (1.0 - alpha) * f_quantile(1.0 - tail, d1, d2)),
            float(1.0 - (1.0 - alpha) * f_quantile(tail, d1, d2)))


def cronbach_alpha(values: np.ndarray) -> Alpha:
    """Cronbach's alpha on pairwise-complete covariances (as ``psych::alpha``'s raw alpha).

    ``alpha = k / (k - 1) * (1 - tr(C) / sum(C))`` with ``C`` the pairwise
    covariance matrix (ddof 1). ``n`` is the number of respondents who rated
    at least two of the items (the ones the covariances rest on); the interval
    is Feldt's on that n.

    Returns
    -------
    Alpha
        ``alpha, n, lo, hi``; NaN alpha when fewer than 2 items, a pair with
        fewer than 2 joint ratings, or no total variance.

    Examples
    --------
    >>> # items 1,2,3 / 1,2,3: every covariance 1 -> alpha = 2 * (1 - 2/4) = 1
    >>> cronbach_alpha(np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]))[:2]
    (1.0, 3)
    """
    if values.ndim != 2 or values.shape[1] < 2:
        return Alpha(float("nan"), 0, float("nan"), float("nan"))
    k = values.shape[1]
    n = int(((~np.isnan(values)).sum(axis=1) >= 2).sum())
    cov, _ = pairwise_covariance(values)
    total = float(cov.sum())
    if np.isnan(cov).any() or n < 2 or total <= 0:
        return Alpha(float("nan"), n, float("nan"), float("nan"))
    alpha = float(k / (k - 1) * (1 - np.trace(cov) / total))
    lo, hi = feldt_interval(alpha, n, k)
    return Alpha(alpha, n, lo, hi)


def alpha_warning(label: str, alpha: float) -> str:
    """Plain-sentence warning when alpha < 0.70, else ""."""
    if np.isnan(alpha) or alpha >= ALPHA_WARN:
        return ""
    return (f"{label}: the items hang together weakly (Cronbach's alpha {alpha:.2f} < {ALPHA_WARN:.2f}); "
            "read the area score with care.")
