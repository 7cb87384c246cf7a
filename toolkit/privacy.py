"""Confidentiality (DESIGN 2.2): redaction of quotes and suppression of small groups.

Two jobs, applied before anything reaches a reader:

* **Quotes** — `redact_text` replaces roster names, e-mail addresses and phone
  numbers; `quote_groups_allowed` keeps only excerpts whose respondent's level
  group and department group each have at least ``min_quote_group``
  respondents, and attributes them by level only (no respondent id, no
  department).
* **Aggregates** — `protect` returns a new `Assessment` in which every ratings
  aggregate over fewer than ``min_group_size`` respondents is NaN and flagged,
  with *secondary suppression* so that no suppressed group can be recovered by
  subtracting its shown siblings from a shown total.

Secondary suppression rule
--------------------------
A *breakdown* is a set of sibling groups that partition a parent total shown
elsewhere: the departments within one area (``departments``), the levels within
one area (``levels``), the levels within one department and the departments
within one level (``coverage``). Within each breakdown, primary suppression
hides every group with ``n < min_group_size``. If that hides exactly one group
(and the breakdown has other groups), the smallest shown sibling (fewest
respondents; ties broken by name) is hidden too, so at least two groups are
hidden and neither can be derived from the total minus the rest. For
``coverage`` the rule is applied to rows and columns repeatedly until no
department row or level column has exactly one hidden cell among several.
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Sequence

import numpy as np
import pandas as pd

from toolkit.config import Privacy
from toolkit.metrics.assessment import Assessment
from toolkit.model import AREA, DEPARTMENT, LEVEL, RESPONDENT, TEXT, THEME

log = logging.getLogger("toolkit")

SUPPRESSED = "suppressed"
SUPPRESSED_REASON = "suppressed_reason"

NAME_TOKEN = "[name]"
EMAIL_TOKEN = "[email]"
PHONE_TOKEN = "[phone]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Candidate phone numbers: optional +country, digits with space . - / or (area) separators.
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?)?(?:\(\d{1,5}\)\s?)?\d(?:[\s.\-/]?(?:\(\d{1,5}\)|\d)){5,}(?!\w)")
_ISO_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")
_MIN_PHONE_DIGITS = 7
_MIN_NAME_PART = 3


def _phone_or_keep(match: re.Match[str]) -> str:
    """Replace a candidate phone number, unless it is a date or too short."""
    found = match.group(0)
    digits = sum(ch.isdigit() for ch in found)
    if digits < _MIN_PHONE_DIGITS or _ISO_DATE.match(found.strip()):
        return found
    has_separator = any(ch in " .-/()" for ch in found.strip())
    if not has_separator and not found.startswith("+") and digits < 10:
        return found  # a bare 7-9 digit number is more likely an amount or an order number
    return PHONE_TOKEN


def _name_patterns(roster: Sequence[str]) -> list[re.Pattern[str]]:
    """Patterns for roster names: full names (any case) then capitalised name parts."""
    names = sorted({" ".join(str(n).split()) for n in roster if str(n).strip()}, key=len, reverse=True)
    patterns: list[re.Pattern[str]] = []
    for name in names:
        words = [re.escape(w) for w in name.split(" ")]
        if len(words) > 1:
            patterns.append(re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE))
    parts = sorted({w for n in names for w in re.split(r"[\s\-']+", n) if len(w) >= _MIN_NAME_PART},
                   key=len, reverse=True)
    for part in parts:
        head, rest = part[0], part[1:]
        # The first letter must be a capital in the text ("Mark" is a name, "mark" a verb).
        patterns.append(re.compile(r"(?<!\w)" + re.escape(head.upper()) + r"(?i:" + re.escape(rest) + r")(?!\w)"))
    return patterns


def redact_text(text: str, roster: Sequence[str]) -> str:
    """Redact roster names, e-mail addresses and phone numbers from one text.

    Parameters
    ----------
    text
        An excerpt (note or quote) from client data.
    roster
        Names of people (e.g. ``"Jane Doe"``). Full names match in any case;
        each part of a name with at least 3 letters matches on its own when it
        is capitalised in the text (``"Jane"``, ``"Doe"`` but not ``"doe"``).

    Returns
    -------
    str
        The text with ``[name]``, ``[email]`` and ``[phone]`` in place of what
        was found. Phone numbers are runs of at least 7 digits with separators
        (spaces, dots, hyphens, slashes, brackets) or a leading ``+``; ISO dates
        are kept.

    Examples
    --------
    >>> redact_text("Ask Jane Doe (jane.doe@acme.com, +44 20 7946 0958).", ["Jane Doe"])
    'Ask [name] ([email], [phone]).'
    >>> redact_text("Jane said the doe ran", ["Jane Doe"])
    '[name] said the doe ran'
    """
    if not isinstance(text, str) or not text:
        return text
    out = _EMAIL.sub(EMAIL_TOKEN, text)
    out = _PHONE.sub(_phone_or_keep, out)
    for pattern in _name_patterns(roster):
        out = pattern.sub(NAME_TOKEN, out)
    return out


def quote_groups_allowed(excerpts: pd.DataFrame, respondents: pd.DataFrame, min_quote_group: int,
                         *, roster: Sequence[str] | None = None) -> pd.DataFrame:
    """Keep the excerpts that may be quoted, attributed by level only.

    Parameters
    ----------
    excerpts
        ``respondent_id, area, theme, text``.
    respondents
        ``respondent_id, department, level`` (one row per respondent, e.g.
        `ClientData.respondents`).
    min_quote_group
        An excerpt is kept only when its respondent's level group *and*
        department group each have at least this many respondents.
    roster
        When given, the kept texts are also passed through `redact_text`.

    Returns
    -------
    pandas.DataFrame
        ``area, theme, text, level`` — no respondent id and no department.
        Excerpts of unknown respondents are dropped.

    Examples
    --------
    >>> ex = pd.DataFrame({"respondent_id": ["r1"], "area": ["customer_experience"],
    ...                    "theme": [""], "text": ["fine"]})
    >>> rs = pd.DataFrame({"respondent_id": ["r1", "r2"], "department": ["ops", "ops"],
    ...                    "level": ["frontline", "frontline"]})
    >>> len(quote_groups_allowed(ex, rs, 2)), len(quote_groups_allowed(ex, rs, 3))
    (1, 0)
    """
    out_cols = [AREA, THEME, TEXT, LEVEL]
    people = respondents[[RESPONDENT, DEPARTMENT, LEVEL]].drop_duplicates(RESPONDENT)
    level_n = people[LEVEL].value_counts()
    dept_n = people[DEPARTMENT].value_counts()
    joined = excerpts.merge(people, on=RESPONDENT, how="inner")
    if joined.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in out_cols})
    ok = (joined[LEVEL].map(level_n).fillna(0).to_numpy() >= min_quote_group) & (
        joined[DEPARTMENT].map(dept_n).fillna(0).to_numpy() >= min_quote_group)
    kept = joined.loc[ok, [c for c in out_cols if c in joined.columns]].reset_index(drop=True)
    if THEME not in kept.columns:
        kept.insert(1, THEME, "")
    if roster:
        kept[TEXT] = [redact_text(t, roster) for t in kept[TEXT]]
    return kept[out_cols]
