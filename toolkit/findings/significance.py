"""The significance tests findings use today, each one small function so it can be swapped.

The method issue (v2) moves these into `toolkit.metrics` (ICC permutation,
the outlier unit's interval, Holm-adjusted blind spots and drift); until then
findings call these, and only these, to decide what is significant.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from toolkit.metrics.tdist import t_two_sided_p
from toolkit.model import AREA, DEPARTMENT

ALPHA = 0.05


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm step-down adjusted p-values (NaN stays NaN and is not counted).

    Examples
    --------
    >>> [round(p, 3) for p in holm([0.01, 0.04, 0.03])]
    [0.03, 0.06, 0.06]
    """
    p = [float(x) if x is not None else math.nan for x in p_values]
    known = sorted((v, i) for i, v in enumerate(p) if not math.isnan(v))
    m = len(known)
    out = [math.nan] * len(p)
    running = 0.0
    for rank, (v, i) in enumerate(known):
        running = max(running, min(1.0, (m - rank) * v))
        out[i] = running
    return out


def _t_quantile(df: float, level: float = 0.95) -> float:
    """Two-sided Student-t critical value by bisection on `t_two_sided_p`."""
    lo, hi, target = 0.0, 60.0, 1.0 - level
    for _ in range(80):
        mid = (lo + hi) / 2
        if t_two_sided_p(mid, df) > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def welch_interval(a: np.ndarray, b: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Interval of ``mean(a) - mean(b)`` (Welch); NaNs when either group has fewer than 2 values.

    Examples
    --------
    >>> lo, hi = welch_interval(np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0]))
    >>> round(lo, 2), round(hi, 2)
    (-5.27, -0.73)
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff = float(a.mean() - b.mean())
    se2 = va + vb
    if se2 == 0:
        return diff, diff
    df = se2 ** 2 / ((va ** 2 / (len(a) - 1) if va else 0.0) + (vb ** 2 / (len(b) - 1) if vb else 0.0))
    half = _t_quantile(df, level) * math.sqrt(se2)
    return diff - half, diff + half


def respondent_points(ratings: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Respondent x area perception in points (0-100) after reverse keying, with department and level.

    Parameters
    ----------
    ratings
        ``respondent_id, department, level, question_id, rating`` on 1-5 (before reverse keying).
    questions
        ``question_id, area, reverse``.
    """
    q = questions.set_index("question_id")
    r = ratings.loc[ratings["question_id"].isin(q.index)].copy()
    r[AREA] = r["question_id"].map(q[AREA])
    rev = r["question_id"].map(q["reverse"]).fillna(False).astype(bool)
    r["keyed"] = np.where(rev, 6.0 - r["rating"].astype(float), r["rating"].astype(float))
    out = (r.groupby(["respondent_id", DEPARTMENT, "level", AREA], observed=True)["keyed"].mean()
           .reset_index())
    out["points"] = 100.0 * (out["keyed"] - 1.0) / 4.0
    return out.drop(columns="keyed")


def unit_shortfall_interval(points: pd.DataFrame, area: str, department: str,
                            level: float = 0.95) -> tuple[float, float]:
    """Interval of ``mean(other departments) - mean(department)`` for one area (Welch on respondents)."""
    sel = points.loc[points[AREA] == area]
    inside = sel.loc[sel[DEPARTMENT] == department, "points"].to_numpy()
    others = sel.loc[sel[DEPARTMENT] != department, "points"].to_numpy()
    return welch_interval(others, inside, level)


def excludes_zero(lo: float | None, hi: float | None) -> bool:
    """True when an interval is known and does not contain 0."""
    return lo is not None and hi is not None and not (math.isnan(lo) or math.isnan(hi)) and (lo > 0 or hi < 0)
