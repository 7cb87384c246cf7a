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
