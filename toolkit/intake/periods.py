"""Operations periods: months, quarters and dates in the spellings clients use, made canonical.

=========  ===========================================  ==============
kind       accepted                                     canonical
=========  ===========================================  ==============
month      ``2026-03``, ``2026/03``, ``03/2026``,        ``2026-03``
           ``Mar 2026``, ``March 2026``, ``Mar-26``
quarter    ``2026Q1``, ``2026-Q1``, ``2026 Q1``,          ``2026-Q1``
           ``Q1 2026``, ``Q1-2026``
week       ``1999-W05``, ``1999W05``, ``1999-W5``        ``1999-W05``
           (ISO 8601 weeks, Monday first)
date       ``2026-03-15``, Excel date cells,             ``2026-03-15``
           Excel serial numbers
=========  ===========================================  ==============

Every label also has ``period_start``, its first day, as a Timestamp.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

PERIOD_EXPECTED = ("a month (2026-03, Mar 2026), quarter (2026Q1, 2026-Q1, Q1 2026), ISO week (2026-W05) "
                   "or date (2026-03-15)")
_WEEK = re.compile(r"^(?P<y>\d{4})\s*-?\s*W(?P<w>\d{1,2})$", re.I)
_QUARTER = [re.compile(r"^(?P<y>\d{4})\s*[-/ ]?\s*Q(?P<q>[1-4])$", re.I),
            re.compile(r"^Q(?P<q>[1-4])\s*[-/ ]?\s*(?P<y>\d{4})$", re.I)]
_MONTH_NUM = [re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"), re.compile(r"^(?P<m>\d{1,2})[-/.](?P<y>\d{4})$")]
_MONTH_NAME = re.compile(r"^(?P<name>[A-Za-z]{3,9})\.?[\s\-/]*(?P<y>\d{4}|\d{2})$")
_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00)?)?$")
_MONTHS = {m.lower(): i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def parse_period(value: object) -> tuple[str, pd.Timestamp] | None:
    """Return ``(canonical label, first day)`` of one period, or None when it is not one.

    Examples
    --------
    >>> parse_period("Q1 2026")
    ('2026-Q1', Timestamp('2026-01-01 00:00:00'))
    >>> parse_period("Mar 2026")[0], parse_period("2026-03-15")[0], parse_period("2026-13")
    ('2026-03', '2026-03-15', None)
    >>> parse_period("1999-W05")
    ('1999-W05', Timestamp('1999-02-01 00:00:00'))
    """
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        ts = pd.Timestamp(value).normalize()
        return ts.strftime("%Y-%m-%d"), ts
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if np.isfinite(value) and 1 <= value < 2958466 and float(value).is_integer():
            ts = pd.Timestamp(_EXCEL_EPOCH + dt.timedelta(days=int(value)))
            return ts.strftime("%Y-%m-%d"), ts
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _WEEK.match(text)
    if m:
        try:
            day = dt.date.fromisocalendar(int(m["y"]), int(m["w"]), 1)
        except ValueError:
            return None
        return f"{int(m['y']):04d}-W{int(m['w']):02d}", pd.Timestamp(day)
    for pat in _QUARTER:
        m = pat.match(text)
        if m:
            y, q = int(m["y"]), int(m["q"])
            return f"{y:04d}-Q{q}", pd.Timestamp(y, 3 * q - 2, 1)
    for pat in _MONTH_NUM:
        m = pat.match(text)
        if m and 1 <= int(m["m"]) <= 12:
            y, mo = int(m["y"]), int(m["m"])
            return f"{y:04d}-{mo:02d}", pd.Timestamp(y, mo, 1)
    m = _MONTH_NAME.match(text)
    if m:
        month = _MONTHS.get(m["name"][:3].lower())
        full = m["name"].lower()
        names = ["january", "february", "march", "april", "may", "june", "july", "august",
                 "september", "october", "november", "december"]
        if month and (len(full) == 3 or full == names[month - 1] or (month == 9 and full == "sept")):
            y = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
            return f"{y:04d}-{month:02d}", pd.Timestamp(y, month, 1)
    m = _DATE.match(text)
    if m:
        try:
            ts = pd.Timestamp(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
        return ts.strftime("%Y-%m-%d"), ts
    return None


def parse_periods(values: pd.Series) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Vectorised `parse_period` (each distinct value parsed once).

    Returns
    -------
    labels, starts, bad
        Canonical labels (object, None when bad or blank), first days
        (datetime64, NaT) and a mask of non-blank values that are not periods.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = [parse_period(u) for u in uniques]
    labels = np.array([p[0] if p else None for p in parsed] + [None], dtype=object)
    starts = pd.DatetimeIndex([p[1] if p else pd.NaT for p in parsed] + [pd.NaT])
    bad_u = np.array([p is None for p in parsed] + [False])
    return (pd.Series(labels[codes], index=values.index, dtype=object),
            pd.Series(starts[codes], index=values.index), bad_u[codes])
