"""Alignment ``A``, the Overall Alignment Index, bands and the principal gap (DESIGN 2.1)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import overload

import numpy as np

BANDS: tuple[tuple[float, str], ...] = ((75.0, "aligned"), (60.0, "partly aligned"), (-np.inf, "misaligned"))


@overload
def weighted_present(components: Mapping[str, float], weights: Mapping[str, float]) -> float: ...
@overload
def weighted_present(components: Mapping[str, np.ndarray | float],
                     weights: Mapping[str, float]) -> np.ndarray | float: ...
def weighted_present(components: Mapping[str, np.ndarray | float], weights: Mapping[str, float]) -> np.ndarray | float:
    """Weighted mean of the components that are present (not NaN), weights renormalised.

    Works element-wise on arrays (e.g. bootstrap draws), so the same rule scores
    points and draws. NaN where no component with positive weight is present.

    Examples
    --------
    >>> # E absent: (0.5 * 80 + 0.25 * 60) / 0.75 = 73.33...
    >>> round(weighted_present({"p": 80.0, "c": 60.0, "e": float("nan")}, {"p": .5, "c": .25, "e": .25}), 4)
    73.3333
    """
    num: np.ndarray | float = 0.0
    den: np.ndarray | float = 0.0
    for key, value in components.items():
        v = np.asarray(value, dtype=float)
        w = float(weights.get(key, 0.0))
        present = ~np.isnan(v)
        num = num + np.where(present, w * np.where(present, v, 0.0), 0.0)
        den = den + np.where(present, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(np.asarray(den) > 0, np.asarray(num) / np.where(np.asarray(den) > 0, den, 1.0), np.nan)
    return float(out) if out.ndim == 0 else out


def band(value: float) -> str:
    """``aligned`` (>= 75), ``partly aligned`` (60-74.9), ``misaligned`` (< 60); "" when absent.

    Examples
    --------
    >>> band(75.0), band(74.9), band(59.99), band(float("nan"))
    ('aligned', 'partly aligned', 'misaligned', '')
    """
    if value is None or np.isnan(value):
        return ""
    for floor, name in BANDS:
        if value >= floor:
            return name
    return "misaligned"  # pragma: no cover


ALIGNED = 75.0


def principal_gap(alignment: Mapping[str, float], weights: Mapping[str, float]) -> str:
    """Among areas below 75, the one with the largest ``w_a * (75 - A_a)``; "" when every area is aligned.

    An aligned area is never the principal gap (DESIGN 2.1). First in method
    order on ties.

    Examples
    --------
    >>> principal_gap({"a": 50.0, "b": 70.0}, {"a": 0.1, "b": 0.9})  # 2.5 vs 4.5
    'b'
    >>> principal_gap({"a": 80.0, "b": 75.0}, {"a": 0.5, "b": 0.5})
    ''
    """
    best, best_cost = "", 0.0
    for area, a in alignment.items():
        if a is None or np.isnan(a) or a >= ALIGNED:
            continue
        cost = float(weights.get(area, 0.0)) * (ALIGNED - a)
        if cost > best_cost:
            best, best_cost = area, cost
    return best
