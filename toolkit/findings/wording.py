"""How numbers are written in sentences: whole points, and interval ends that never read "-0".

An interval that excludes zero must not be printed with an end that rounds to
zero ("-12 to -0" reads as touching zero); such an end gets one more decimal
(at most two), so the printed interval says what the test found.
"""
from __future__ import annotations

MAX_DECIMALS = 2


def _decimals(*ends: float) -> int:
    """Fewest decimals (0-2) at which no nonzero end rounds to zero."""
    d = 0
    while d < MAX_DECIMALS and any(x != 0 and round(abs(x), d) == 0 for x in ends):
        d += 1
    return d


def interval_text(lo: float, hi: float, *, signed: bool = False) -> str:
    """``"-12 to -0.4"``: both ends, in whole points unless an end would read as zero.

    Parameters
    ----------
    lo, hi
        The interval's ends.
    signed
        Print a sign on every end (``+3 to +9``), as for changes.

    Examples
    --------
    >>> interval_text(-12.3, -0.4, signed=True)
    '-12.3 to -0.4'
    >>> interval_text(4.2, 17.8)
    '4 to 18'
    >>> interval_text(-0.001, 5.0)
    '-0.00 to 5.00'
    """
    d = _decimals(lo, hi)
    fmt = f"{{:{'+' if signed else ''}.{d}f}}"
    return f"{fmt.format(lo)} to {fmt.format(hi)}"


#: A KPI change smaller than this share of its target reads as "steady".
STEADY_SHARE = 0.02


def trend_text(change: float | None, *, better: str, target: float, unit: str) -> str:
    """How a KPI moved across the window, in words and its own unit: ``"worsening (−2.1 score)"``.

    Parameters
    ----------
    change
        The fitted change across the window (``kpis.change``); NaN or None
        when there is a single period.
    better
        ``"higher"`` or ``"lower"``: which way is good.
    target, unit
        The KPI's target (a change under 2 % of it is "steady") and unit.

    Examples
    --------
    >>> trend_text(-2.14, better="higher", target=85.0, unit="score")
    'worsening (−2.1 score)'
    >>> trend_text(-0.6, better="lower", target=4.0, unit="hours")
    'improving (−0.6 hours)'
    >>> trend_text(0.5, better="higher", target=85.0, unit="%")
    'steady'
    >>> trend_text(float("nan"), better="higher", target=85.0, unit="%")
    'one period only'
    """
    if change is None or change != change:
        return "one period only"
    if abs(change) < STEADY_SHARE * abs(target) or abs(change) < 1e-9:
        return "steady"
    good = (change > 0) == (better == "higher")
    # a true minus sign: a hyphen lets a narrow table cell break the number from its sign
    return f"{'improving' if good else 'worsening'} ({change:+.1f} {unit})".replace("-", "\u2212")
