"""Key drivers: relative weights (Johnson 2000) of area scores on the outcome, via SVD (DESIGN 2.1).

Shown only with n >= 30; refused (with a reason code) when the area scores are
too collinear (condition number of their correlation matrix > 1e6); 90 %
bootstrap intervals on each relative weight; a top driver is named only when
it ranks first in at least 90 % of the resamples.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.model import AREA

MIN_DRIVER_N = 30
MAX_CONDITION = 1e6
TOP_DRIVER_SHARE = 0.90
DRIVER_CONFIDENCE = 0.90
DRIVER_COLUMNS = [AREA, "raw_weight", "relative_weight", "relative_lo", "relative_hi", "first_share"]
REFUSED_COLLINEAR = "collinear"
REFUSED_FEW = "too_few"
REFUSED_CONSTANT = "constant"


def _standardise(a: np.ndarray) -> np.ndarray:
    """Centre and scale the last-but-one axis so that ``Z'Z`` is the correlation matrix."""
    centred = a - a.mean(axis=-2, keepdims=True)
    norm = np.sqrt((centred ** 2).sum(axis=-2, keepdims=True))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(centred / norm)


def _weights(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Raw weights and squared singular-value ratio for standardised ``xs (.., n, p)``, ``ys (.., n)``.

    ``xs = U S V'``: ``Z = U V'`` is the closest orthonormal counterpart of the
    predictors and ``Lambda = V S V'`` their loadings on it (``xs = Z Lambda``);
    ``beta = Z' ys`` is the least-squares fit of y on Z (Z orthonormal). The raw
    weight of predictor j is ``sum_k Lambda_jk^2 beta_k^2``. No matrix is inverted.
    """
    u, s, vt = np.linalg.svd(xs, full_matrices=False)
    z = u @ vt
    lam = np.swapaxes(vt, -1, -2) @ (s[..., :, None] * vt)
    beta = np.einsum("...np,...n->...p", z, ys)
    raw = np.einsum("...jk,...k->...j", lam ** 2, beta ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        cond = (s[..., 0] / s[..., -1]) ** 2
    return raw, cond


def relative_weights(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Johnson's (2000) relative weights of the predictors ``x`` on ``y`` (SVD, least squares).

    Parameters
    ----------
    x
        ``(n, p)`` predictors (no NaN), each with non-zero variance.
    y
        ``(n,)`` criterion.

    Returns
    -------
    raw_weights, r_squared
        The raw weights sum to the model's R^2 (always within [0, 1]).
    """
    raw, _ = _weights(_standardise(np.asarray(x, dtype=float)), _standardise(np.asarray(y, dtype=float)[:, None])[:, 0])
    return raw, float(raw.sum())


def condition_number(x: np.ndarray) -> float:
    """Condition number of the predictors' correlation matrix (``(s_max / s_min)^2``; inf when singular)."""
    s = np.linalg.svd(_standardise(np.asarray(x, dtype=float)), compute_uv=False)
    return float("inf") if s[-1] <= 0 else float((s[0] / s[-1]) ** 2)


def key_drivers(area_means: pd.DataFrame, outcome: pd.Series, *, rng: np.random.Generator | None = None,
                n_boot: int = 1000) -> pd.DataFrame | None:
    """Relative weights of the area respondent means on the outcome score, with bootstrap intervals.

    Parameters
    ----------
    area_means
        One column per area, one row per respondent (respondent means).
    outcome
        Each respondent's mean over the outcome items (same index).
    rng
        Seeded generator for the bootstrap (default: seed 0); ``n_boot`` resamples of respondents.

    Returns
    -------
    pandas.DataFrame or None
        ``area, raw_weight, relative_weight, relative_lo, relative_hi,
        first_share`` (relative = % of R^2; 90 % interval; share of resamples
        in which the area ranks first), with ``attrs``: ``r_squared``, ``n``,
        ``condition``, ``top`` (area id, "" when no area is first in >= 90 %
        of resamples) and ``refused`` ("" or a reason code:
        ``too_few``, ``constant``, ``collinear``; then the weights are NaN).
        None when there are no areas.
    """
    data = pd.concat([area_means, outcome.rename("__outcome__")], axis=1).dropna()
    cols = list(area_means.columns)
    if not cols:
        return None
    out = pd.DataFrame({AREA: cols, **{c: np.nan for c in DRIVER_COLUMNS[1:]}})
    out.attrs.update(r_squared=float("nan"), n=int(len(data)), condition=float("nan"), top="", refused="")
    if len(data) < MIN_DRIVER_N:
        out.attrs["refused"] = REFUSED_FEW
        return out
    x = data[cols].to_numpy(dtype=float)
    y = data["__outcome__"].to_numpy(dtype=float)
    if (x.std(axis=0) == 0).any() or y.std() == 0:
        out.attrs["refused"] = REFUSED_CONSTANT
        return out
    cond = condition_number(x)
    out.attrs["condition"] = cond
    if not cond <= MAX_CONDITION:
        out.attrs["refused"] = REFUSED_COLLINEAR
        return out
    raw, r2 = relative_weights(x, y)
    out["raw_weight"] = raw
    out["relative_weight"] = 100.0 * raw / r2 if r2 > 0 else np.nan
    out.attrs["r_squared"] = r2
    if n_boot > 0:
        rng = rng if rng is not None else np.random.default_rng(0)
        idx = rng.integers(0, len(y), size=(n_boot, len(y)))
        xb, yb = _standardise(x[idx]), _standardise(y[idx][..., None])[..., 0]
        rb, _ = _weights(xb, yb)
        with np.errstate(invalid="ignore", divide="ignore"):
            rel = 100.0 * rb / rb.sum(axis=1, keepdims=True)
        ok = np.isfinite(rel).all(axis=1)
        rel = rel[ok]
        tail = 50.0 * (1.0 - DRIVER_CONFIDENCE)
        if len(rel):
            out["relative_lo"], out["relative_hi"] = np.percentile(rel, [tail, 100 - tail], axis=0)
            first = np.bincount(rel.argmax(axis=1), minlength=len(cols)) / len(rel)
            out["first_share"] = first
            best = int(first.argmax())
            if first[best] >= TOP_DRIVER_SHARE and best == int(np.nanargmax(out["relative_weight"].to_numpy())):
                out.attrs["top"] = cols[best]
    return out
