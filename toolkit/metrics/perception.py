"""Perception ``P`` and favourable share ``F`` of an area, overall and per group (DESIGN 2.1)."""
from __future__ import annotations

import numpy as np

from toolkit.metrics.items import FAVOURABLE_MIN, respondent_means
from toolkit.model import SCALE_MAX, SCALE_MIN

_SPAN = SCALE_MAX - SCALE_MIN


def to_points(mean_rating: np.ndarray | float) -> np.ndarray | float:
    """Map a mean rating on 1-5 to 0-100 points: ``100 * (m - 1) / 4``.

    Examples
    --------
    >>> float(to_points(4.0))
    75.0
    """
    return 100.0 * (np.asarray(mean_rating, dtype=float) - SCALE_MIN) / _SPAN


def perception(values: np.ndarray) -> float:
    """``P_a = 100 * (mean_i x_i - 1) / 4`` with ``x_i`` respondent i's mean over the items they rated.

    Parameters
    ----------
    values
        ``(n, J)`` keyed ratings of the area's items (NaN for missing).

    Returns
    -------
    float
        NaN when nobody rated any item.

    Examples
    --------
    >>> # x = (4+5)/2 = 4.5 and 3 -> mean 3.75 -> 100 * 2.75 / 4 = 68.75
    >>> perception(np.array([[4.0, 5.0], [3.0, np.nan]]))
    68.75
    """
    x, rated = respondent_means(values)
    if not rated.any():
        return float("nan")
    return float(to_points(x[rated].mean()))


def favourable(values: np.ndarray, favourable_min: np.ndarray | float = FAVOURABLE_MIN) -> float:
    """``F_a``: % of the area's (keyed) ratings in the agreeing half of their native scale; NaN when none.

    ``favourable_min`` is the lowest favourable 1-5 display rating, per item
    or for all (default 4: a native 5-point scale's 4 and 5).

    Examples
    --------
    >>> favourable(np.array([[4.0, 5.0], [3.0, np.nan]]))  # 2 of 3 ratings
    66.66666666666667
    """
    mask = ~np.isnan(values)
    if not mask.any():
        return float("nan")
    hit = np.where(mask, values, -np.inf) >= np.asarray(favourable_min, dtype=float) - 1e-9
    return float(100.0 * hit.sum() / mask.sum())


def group_perception(values: np.ndarray, codes: np.ndarray, n_groups: int,
                     favourable_min: np.ndarray | float = FAVOURABLE_MIN) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: respondents who rated the area, perception ``P`` and favourable ``F``.

    Parameters
    ----------
    values
        ``(n, J)`` keyed ratings of one area.
    codes
        Group code (0 .. n_groups-1) of each respondent.
    n_groups
        Number of groups.

    Returns
    -------
    n, perception, favourable
        Arrays of length ``n_groups``; NaN where a group rated nothing.
    """
    x, rated = respondent_means(values)
    n = np.bincount(codes[rated], minlength=n_groups)
    total = np.bincount(codes[rated], weights=x[rated], minlength=n_groups)
    mask = ~np.isnan(values)
    fav_min = np.asarray(favourable_min, dtype=float) - 1e-9
    fav_count = np.bincount(codes, weights=(np.where(mask, values, 0) >= fav_min).sum(axis=1),
                            minlength=n_groups)
    rating_count = np.bincount(codes, weights=mask.sum(axis=1), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n > 0, to_points(total / np.maximum(n, 1)), np.nan)
        f = np.where(rating_count > 0, 100.0 * fav_count / np.maximum(rating_count, 1), np.nan)
    return n.astype(np.int64), p, f


def between_group_sd(group_perception: np.ndarray) -> float:
    """Spread of group (e.g. department) perceptions: sample SD (ddof 1) of the defined values.

    NaN when fewer than 2 groups have a value.

    Examples
    --------
    >>> between_group_sd(np.array([50.0, 75.0, np.nan]))  # SD of 50 and 75 = 25 / sqrt(2)
    17.67766952966369
    """
    v = np.asarray(group_perception, dtype=float)
    v = v[~np.isnan(v)]
    return float(v.std(ddof=1)) if v.size >= 2 else float("nan")

