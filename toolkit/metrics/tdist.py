"""Student's t tail probability, for the Welch test, without importing SciPy.

The assessment kernel starts fresh for every client; ``scipy.special`` costs
about 0.16 s of CPU to import there (~5 % of a client's whole run), which is
why this one function is computed here. It is the textbook route: the
two-sided p-value of ``t`` with ``df`` degrees of freedom is the regularised
incomplete beta function ``I_x(df/2, 1/2)`` at ``x = df / (df + t^2)``,
evaluated by its continued fraction (modified Lentz). Near ``t = 0`` it is
computed as ``1 - I_y(1/2, df/2)`` with ``y = t^2 / (df + t^2)`` taken
directly, so large ``df`` does not round ``x`` to 1. Tests compare it with
``scipy.stats.t`` to 1e-9.
"""
from __future__ import annotations

import math
from collections.abc import Callable

_EPS = 1e-15
_TINY = 1e-300
_MAX_TERMS = 500


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz's method)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _MAX_TERMS + 1):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)),
                          -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            result *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return result


def _log_beta_front(a: float, b: float) -> float:
    """``lgamma(a + b) - lgamma(a) - lgamma(b)``, without cancellation when one argument is huge."""
    big, small = max(a, b), min(a, b)
    if big > 1e6:  # lgamma(big + small) - lgamma(big) by its asymptotic series (error O(big^-2))
        ratio = small * math.log(big) + small * (small - 1.0) / (2.0 * big)
        return ratio - math.lgamma(small)
    return math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)


def regularized_beta(a: float, b: float, x: float, y: float | None = None) -> float:
    """``I_x(a, b)``, the regularised incomplete beta function, for a, b > 0 and 0 <= x <= 1.

    ``y`` is ``1 - x`` when the caller knows it more precisely than the subtraction.
    """
    y = 1.0 - x if y is None else y
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    log_front = _log_beta_front(a, b) + a * math.log(x) + b * math.log(y)
    # The fraction converges fast below (a + 1) / (a + b + 2); use the symmetry above it.
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, y) / b


def t_two_sided_p(t: float, df: float) -> float:
    """Two-sided p-value ``P(|T| >= |t|)`` of Student's t with ``df`` (> 0, may be fractional).

    Examples
    --------
    >>> round(t_two_sided_p(2.0, 10), 6)
    0.073388
    """
    if math.isnan(t) or math.isnan(df) or df <= 0:
        return float("nan")
    if math.isinf(t):
        return 0.0
    t2 = t * t
    # 1 - x computed directly: df / (df + t^2) rounds to 1 for tiny t and large df
    return regularized_beta(df / 2.0, 0.5, df / (df + t2), y=t2 / (df + t2))


def t_quantile(p: float, df: float) -> float:
    """Upper quantile ``q`` with ``P(T >= q) = p`` (0 < p < 0.5), by bisection on `t_two_sided_p`.

    Examples
    --------
    >>> round(t_quantile(0.025, 10), 4)
    2.2281
    """
    return _bisect(lambda x: t_two_sided_p(x, df) <= 2 * p)  # the tail p falls as x grows


def f_quantile(q: float, d1: float, d2: float) -> float:
    """Quantile of the F distribution: ``x`` with ``P(F <= x) = q``, by bisection on the incomplete beta.

    Examples
    --------
    >>> round(f_quantile(0.975, 5, 20), 4)
    3.2891
    """
    def cdf(x: float) -> float:
        return regularized_beta(d1 / 2.0, d2 / 2.0, d1 * x / (d1 * x + d2))

    return _bisect(lambda x: cdf(x) >= q)


def _bisect(reached: Callable[[float], bool]) -> float:
    """The smallest ``x >= 0`` where the monotone condition ``reached(x)`` turns true (inf beyond 1e12)."""
    lo, hi = 0.0, 1.0
    while not reached(hi):
        hi *= 2.0
        if hi > 1e12:
            return float("inf")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if reached(mid):
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-12 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)
