"""Between-unit inconsistency: ICC(1) across departments with a permutation test, and the outlier unit.

DESIGN 2.1: "departments differ" is said only when the permutation p-value
(shuffle respondents across departments, B = 1000, seeded) is below 0.05. An
*outlier unit* is a department whose area perception is at least 10 points
below the mean of the other departments' respondents, with the 95 % (Welch)
interval of that difference excluding 0; it is named. Only departments with
at least ``min_group_size`` respondents can be named.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.metrics.gaps import welch_interval
from toolkit.model import AREA

N_PERMUTATIONS = 1000
DIFFER_P = 0.05
OUTLIER_POINTS = 10.0
OUTLIER_CONFIDENCE = 0.95
UNIT_COLUMNS = [AREA, "n_departments", "icc1", "icc_p_value", "departments_differ", "outlier", "outlier_n",
                "outlier_gap", "outlier_lo", "outlier_hi"]


def icc1(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray | float:
    """ICC(1) of ``values`` grouped by ``codes``: ``(MSB - MSW) / (MSB + (k0 - 1) MSW)``.

    ``k0 = (N - sum n_j^2 / N) / (J - 1)`` for unequal group sizes. ``codes``
    may be ``(B, N)`` (one grouping per row, e.g. permutations): one ICC per row.

    Examples
    --------
    >>> # MSB = 54, MSW = 1, k0 = 3: (54 - 1) / (54 + 2) = 0.9464
    >>> round(float(icc1(np.array([1.0, 2.0, 3.0, 7.0, 8.0, 9.0]), np.array([0, 0, 0, 1, 1, 1]), 2)), 4)
    0.9464
    """
    v = np.asarray(values, dtype=float)
    c = np.atleast_2d(codes)
    b, n = c.shape
    flat = (c + (np.arange(b) * n_groups)[:, None]).ravel()
    cnt = np.bincount(flat, minlength=b * n_groups).reshape(b, n_groups).astype(float)
    tot = np.bincount(flat, weights=np.tile(v, b), minlength=b * n_groups).reshape(b, n_groups)
    present = cnt > 0
    j = present.sum(axis=1)
    grand = v.mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(present, tot / np.maximum(cnt, 1), 0.0)
        ssb = (cnt * (means - grand) ** 2).sum(axis=1)
        ssw = float(((v - grand) ** 2).sum()) - ssb
        msb = ssb / (j - 1)
        msw = ssw / (n - j)
        k0 = (n - (cnt ** 2).sum(axis=1) / n) / (j - 1)
        out = (msb - msw) / (msb + (k0 - 1) * msw)
    out = np.where((j >= 2) & (n > j), out, np.nan)
    return float(out[0]) if np.ndim(codes) == 1 else out


def permutation_p(values: np.ndarray, codes: np.ndarray, n_groups: int, rng: np.random.Generator,
                  n_perm: int = N_PERMUTATIONS) -> tuple[float, float]:
    """ICC(1) and its permutation p-value ``(1 + #{ICC_perm >= ICC}) / (1 + B)`` (vectorised)."""
    observed = icc1(values, codes, n_groups)
    if np.isnan(observed):
        return float("nan"), float("nan")
    perms = rng.permuted(np.broadcast_to(codes, (n_perm, len(codes))), axis=1)
    null = icc1(values, perms, n_groups)
    return float(observed), float((1 + np.sum(null >= observed - 1e-12)) / (1 + n_perm))


def outlier_unit(values: np.ndarray, codes: np.ndarray, names: list[str], min_n: int) -> dict[str, object]:
    """The department furthest below the others, if it is >= 10 points below with its 95 % interval below 0."""
    best: dict[str, object] = {"outlier": "", "outlier_n": 0, "outlier_gap": float("nan"),
                               "outlier_lo": float("nan"), "outlier_hi": float("nan")}
    best_gap = float("nan")
    for g, name in enumerate(names):
        own, rest = values[codes == g], values[codes != g]
        if len(own) < max(min_n, 2) or len(rest) < 2:
            continue
        gap = float(own.mean() - rest.mean())
        lo, hi = welch_interval(own, rest, OUTLIER_CONFIDENCE)
        if gap <= -OUTLIER_POINTS and hi < 0 and (not best["outlier"] or gap < best_gap):
            best = {"outlier": name, "outlier_n": int(len(own)), "outlier_gap": gap, "outlier_lo": lo,
                    "outlier_hi": hi}
            best_gap = gap
    return best


def between_units(points: dict[str, np.ndarray], departments: np.ndarray, min_group_size: int,
                  rng: np.random.Generator, n_perm: int = N_PERMUTATIONS) -> pd.DataFrame:
    """ICC(1), permutation p-value, "departments differ" and the outlier unit for every area.

    Parameters
    ----------
    points
        ``{area: respondent means in points}`` (NaN for respondents who did not rate the area).
    departments
        Department of each respondent (same order).
    min_group_size
        A department needs this many respondents to be named as the outlier.
    rng
        Seeded generator for the permutations.
    """
    rows = []
    for area, pts in points.items():
        ok = ~np.isnan(pts)
        codes, names = pd.factorize(pd.Series(departments[ok], dtype=object), sort=True)
        values = pts[ok]
        icc, p = permutation_p(values, codes.astype(np.int64), len(names), rng, n_perm) if len(names) >= 2 \
            else (float("nan"), float("nan"))
        rows.append({AREA: area, "n_departments": int(len(names)), "icc1": icc, "icc_p_value": p,
                     "departments_differ": bool(not np.isnan(p) and p < DIFFER_P),
                     **outlier_unit(values, codes, [str(n) for n in names], min_group_size)})
    return pd.DataFrame(rows, columns=UNIT_COLUMNS).astype({"departments_differ": bool, "outlier_n": np.int64})
