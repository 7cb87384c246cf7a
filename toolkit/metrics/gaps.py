"""Perception gaps between levels: Welch test, Holm-adjusted 95 % intervals, blind spots (DESIGN 2.1).

A leadership blind spot is flagged only when the gap is at least 10 points
*and* its 95 % interval, Holm-adjusted over every level-pair x area test of
the client, excludes 0 (and both groups clear the privacy threshold).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from toolkit.metrics.multiplicity import FAMILY_ALPHA, holm
from toolkit.metrics.tdist import t_quantile, t_two_sided_p
from toolkit.model import AREA

GAP_COLUMNS = [AREA, "group_a", "group_b", "gap", "p_value", "n_a", "n_b", "flagged", "lo", "hi", "p_holm"]
GAP_PAIRS: tuple[tuple[str, str], ...] = (("executive", "frontline"), ("executive", "manager"))
GAP_FLAG_POINTS = 10.0


def welch_p_value(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided p-value of Welch's unequal-variances t-test (as ``scipy.stats.ttest_ind(equal_var=False)``).

    ``t = (mean a - mean b) / sqrt(s_a^2/n_a + s_b^2/n_b)`` with sample variances
    (ddof 1) and Welch-Satterthwaite degrees of freedom.

    Examples
    --------
    >>> round(welch_p_value(np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])), 4)
    0.0213
    """
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff = float(a.mean() - b.mean())
    se2 = va + vb
    if se2 == 0:
        return float("nan") if diff == 0 else 0.0
    t = diff / np.sqrt(se2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        df = se2 ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return t_two_sided_p(float(t), float(df))


def welch_interval(a: np.ndarray, b: np.ndarray, confidence: float) -> tuple[float, float]:
    """Welch interval of ``mean(a) - mean(b)`` at ``confidence`` (NaN with fewer than 2 per group)."""
    if len(a) < 2 or len(b) < 2 or np.isnan(confidence):
        return float("nan"), float("nan")
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff = float(a.mean() - b.mean())
    se2 = va + vb
    if se2 == 0:
        return diff, diff
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        df = se2 ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    half = t_quantile((1.0 - confidence) / 2.0, float(df)) * float(np.sqrt(se2))
    return diff - half, diff + half


def perception_gap(points_a: np.ndarray, points_b: np.ndarray, min_group_size: int) -> dict[str, float | int | bool]:
    """Gap ``mean(a) - mean(b)`` in points, Welch p-value, sizes and the blind-spot flag.

    Parameters
    ----------
    points_a, points_b
        Respondent area means of the two groups, in points (0-100), no NaN.
    min_group_size
        Both groups need at least this many respondents to be flagged.

    ``flagged`` here is the unadjusted screen (gap >= 10, both groups large
    enough); `level_gaps` applies the Holm-adjusted interval over the family.

    Examples
    --------
    >>> g = perception_gap(np.array([75.0, 100.0, 75.0]), np.array([50.0, 50.0, 25.0]), 3)
    >>> round(g["gap"], 4), g["flagged"]
    (41.6667, True)
    """
    n_a, n_b = len(points_a), len(points_b)
    gap = float(points_a.mean() - points_b.mean()) if n_a and n_b else float("nan")
    p = float("nan")
    if n_a >= 2 and n_b >= 2:
        p = welch_p_value(points_a, points_b)
    flagged = bool(not np.isnan(gap) and gap >= GAP_FLAG_POINTS and n_a >= min_group_size and n_b >= min_group_size)
    return {"gap": gap, "p_value": p, "n_a": n_a, "n_b": n_b, "flagged": flagged}


def level_gaps(points: dict[str, np.ndarray], levels: np.ndarray, min_group_size: int,
               alpha: float = FAMILY_ALPHA) -> pd.DataFrame:
    """Executive-frontline and executive-manager gaps for every area, Holm-adjusted over the family.

    Returns ``area, group_a, group_b, gap, p_value, n_a, n_b, flagged, lo, hi,
    p_holm``: ``lo, hi`` the gap's Welch interval at its Holm step's confidence
    (``1 - alpha / (m - i + 1)``), ``p_holm`` the adjusted p-value; ``flagged``
    when gap >= 10, both groups have ``min_group_size`` and ``lo > 0``.

    Parameters
    ----------
    points
        ``{area: respondent means in points}`` (NaN for respondents who did not rate the area).
    levels
        Level of each respondent (same order).
    min_group_size
        Privacy threshold for flagging.
    """
    rows, samples = [], []
    for area, pts in points.items():
        for a, b in GAP_PAIRS:
            pa = pts[(levels == a) & ~np.isnan(pts)]
            pb = pts[(levels == b) & ~np.isnan(pts)]
            rows.append({AREA: area, "group_a": a, "group_b": b, **perception_gap(pa, pb, min_group_size)})
            samples.append((pa, pb))
    out = pd.DataFrame(rows, columns=GAP_COLUMNS)
    p_holm, level = holm(out["p_value"].to_numpy(dtype=float), alpha)
    bounds = [welch_interval(pa, pb, 1.0 - lv) for (pa, pb), lv in zip(samples, level, strict=True)]
    out["lo"] = [lo for lo, _ in bounds]
    out["hi"] = [hi for _, hi in bounds]
    out["p_holm"] = p_holm
    out["flagged"] = out["flagged"].to_numpy(dtype=bool) & (out["lo"].to_numpy(dtype=float) > 0)
    return out.astype({"n_a": np.int64, "n_b": np.int64, "flagged": bool})
