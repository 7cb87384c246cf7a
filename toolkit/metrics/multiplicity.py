"""Holm's step-down adjustment for a family of tests (DESIGN 2.1: blind spots and drift).

Each test of a family of ``m`` gets the level of its Holm step: the test with
the ``i``-th smallest p-value (i = 1..m) is judged at ``alpha / (m - i + 1)``,
so its adjusted interval has confidence ``1 - alpha / (m - i + 1)``; the
adjusted p-value is ``max_{j <= i} min(1, (m - j + 1) p_(j))``. Tests with an
undefined p-value are left out of the family.
"""
from __future__ import annotations

import numpy as np

FAMILY_ALPHA = 0.05


def holm(p_values: np.ndarray, alpha: float = FAMILY_ALPHA) -> tuple[np.ndarray, np.ndarray]:
    """Holm-adjusted p-values and each test's per-test level (NaN where p is NaN).

    Examples
    --------
    >>> adj, level = holm(np.array([0.01, 0.04, 0.03, np.nan]))
    >>> adj.round(3).tolist()[:3], level.round(4).tolist()[:3]
    ([0.03, 0.06, 0.06], [0.0167, 0.05, 0.025])
    """
    p = np.asarray(p_values, dtype=float)
    ok = ~np.isnan(p)
    adj = np.full(p.shape, np.nan)
    level = np.full(p.shape, np.nan)
    idx = np.flatnonzero(ok)
    m = idx.size
    if m == 0:
        return adj, level
    order = idx[np.argsort(p[idx], kind="stable")]
    steps = m - np.arange(m)  # m, m-1, ..., 1
    adj[order] = np.minimum(1.0, np.maximum.accumulate(steps * p[order]))
    level[order] = alpha / steps
    return adj, level
