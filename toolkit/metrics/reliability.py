"""Cronbach's alpha per area (DESIGN 2.1: warn below 0.70)."""
from __future__ import annotations

import numpy as np

ALPHA_WARN = 0.70


def cronbach_alpha(values: np.ndarray) -> tuple[float, int]:
    """Cronbach's alpha on the respondents who rated every item (listwise).

    ``alpha = k / (k - 1) * (1 - sum_j s_j^2 / s_total^2)``, variances ddof 1.

    Returns
    -------
    alpha, n
        NaN when fewer than 2 items or 2 complete respondents, or no total variance.

    Examples
    --------
    >>> # items 1,2,3 / 1,2,3: s_j^2 = 1 each, total 2,4,6 -> s^2 = 4; alpha = 2 * (1 - 2/4) = 1
    >>> cronbach_alpha(np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]))
    (1.0, 3)
    """
    if values.ndim != 2 or values.shape[1] < 2:
        return float("nan"), 0
    complete = values[~np.isnan(values).any(axis=1)]
    n, k = complete.shape
    if n < 2:
        return float("nan"), int(n)
    total_var = complete.sum(axis=1).var(ddof=1)
    if total_var <= 0:
        return float("nan"), int(n)
    return float(k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / total_var)), int(n)


def alpha_warning(label: str, alpha: float) -> str:
    """Plain-sentence warning when alpha < 0.70, else ""."""
    if np.isnan(alpha) or alpha >= ALPHA_WARN:
        return ""
    return (f"{label}: the items hang together weakly (Cronbach's alpha {alpha:.2f} < {ALPHA_WARN:.2f}); "
            "read the area score with care.")
