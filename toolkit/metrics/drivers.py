"""Key drivers: relative weights analysis (Johnson 2000) of area scores on the outcome."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.model import AREA

MIN_DRIVER_N = 30
DRIVER_COLUMNS = [AREA, "raw_weight", "relative_weight"]


def relative_weights(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Johnson's (2000) relative weights of the predictors ``x`` on ``y``.

    With ``R_xx = V diag(l) V'`` the predictors' correlation matrix,
    ``L = V diag(sqrt l) V'`` correlates the predictors with their closest
    orthogonal counterparts ``Z``; ``beta = L^-1 r_xy`` are the standardised
    weights of ``y`` on ``Z``; the raw weight of predictor ``j`` is
    ``sum_k L_jk^2 beta_k^2``. The raw weights sum to the model's R^2.

    Parameters
    ----------
    x
        ``(n, p)`` predictors (no NaN), each with non-zero variance.
    y
        ``(n,)`` criterion.

    Returns
    -------
    raw_weights, r_squared
    """
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    evals, evecs = np.linalg.eigh(rxx)
    lam = evecs @ np.diag(np.sqrt(np.clip(evals, 0, None))) @ evecs.T
    beta = np.linalg.solve(lam, rxy)
    raw = (lam ** 2) @ (beta ** 2)
    return raw, float(raw.sum())


def key_drivers(area_means: pd.DataFrame, outcome: pd.Series) -> pd.DataFrame | None:
    """Relative weights of the area respondent means on the outcome score.

    Parameters
    ----------
    area_means
        One column per area, one row per respondent (respondent means).
    outcome
        Each respondent's mean over the outcome items (same index).

    Returns
    -------
    pandas.DataFrame or None
        ``area, raw_weight, relative_weight`` (relative = % of R^2), with
        ``attrs["r_squared"]`` and ``attrs["n"]``; None with fewer than 30
        complete respondents or a constant column.
    """
    data = pd.concat([area_means, outcome.rename("__outcome__")], axis=1).dropna()
    if len(data) < MIN_DRIVER_N:
        return None
    x = data[area_means.columns].to_numpy(dtype=float)
    y = data["__outcome__"].to_numpy(dtype=float)
    if (x.std(axis=0) == 0).any() or y.std() == 0:
        return None
    raw, r2 = relative_weights(x, y)
    out = pd.DataFrame({AREA: list(area_means.columns), "raw_weight": raw,
                        "relative_weight": 100.0 * raw / r2 if r2 > 0 else np.nan})
    out.attrs["r_squared"] = r2
    out.attrs["n"] = int(len(data))
    return out
