"""Redaction of quotes (DESIGN 2.2): roster names, e-mail addresses and phone numbers.

Matching survives Unicode: the text and the roster are NFKC-normalised,
invisible characters (soft hyphen, zero-width spaces and joiners, BOM) are
dropped, and names are compared without accents and case ("Maria Lopez"
matches the roster's "María López", in NFC or NFD form). Apostrophe names
("O'Brien", "D’Souza") are one name; a possessive keeps its "'s"
("[name]'s team"). E-mail addresses may hold non-ASCII letters; phone numbers
may be written with spaces, dots, hyphens, en- or em-dashes, slashes and
brackets ("020 - 7946 - 0958", "020–7946–0958").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from toolkit.model import AREA, DEPARTMENT, LEVEL, RESPONDENT, TEXT, THEME

NAME_TOKEN = "[name]"
EMAIL_TOKEN = "[email]"
PHONE_TOKEN = "[phone]"

#: Characters that render as nothing and may hide a name from a plain match.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u180e"))
_APOSTROPHES = "'\u2019\u02bc\u2018\u00b4\u0060\uff07"
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

_EMAIL = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.\w{2,}")
_SEP = rf"(?:[ \t]*[.{_DASHES}/][ \t]*|[ \t]+)"
_GROUP = r"(?:\(\s*\d{1,5}\s*\)|\d+)"
# Candidate phone numbers: optional +country, digit groups joined by the separators above.
_PHONE = re.compile(rf"(?<![\w+])(?:\+[ \t]*)?{_GROUP}(?:{_SEP}?{_GROUP})+(?![\w])")
_ISO_DATE = re.compile(rf"^\d{{4}}[{_DASHES}/.]\d{{1,2}}[{_DASHES}/.]\d{{1,2}}$")
_MIN_PHONE_DIGITS = 7
_MIN_NAME_PART = 2  # "Li", "Wu", "Ng": short name parts are names too


def normalise(text: str) -> str:
    """NFKC form without invisible characters (the form redaction outputs).

    Examples
    --------
    >>> normalise("Ma\\u00adria L\\u200bo\\u0301pez") == "Maria L\\u00f3pez"
    True
    """
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE)


def _fold_char(ch: str) -> str:
    """One character without its accents; apostrophe variants become ``'`` (always one character)."""
    if ch in _APOSTROPHES:
        return "'"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


def fold(text: str) -> str:
    """Accent-free shadow of an already `normalise`-d text, position for position.

    Examples
    --------
    >>> fold("María O’Brien")
    "Maria O'Brien"
    """
    return "".join(_fold_char(ch) for ch in text)


def _phone_or_keep(match: re.Match[str]) -> str:
    """Replace a candidate phone number, unless it is a date or too short."""
    found = match.group(0)
    digits = sum(ch.isdigit() for ch in found)
    if digits < _MIN_PHONE_DIGITS or _ISO_DATE.match(found.strip()):
        return found
    has_separator = any(not ch.isdigit() for ch in found.strip())
    if not has_separator and digits < 10:
        return found  # a bare 7-9 digit number is more likely an amount or an order number
    return PHONE_TOKEN


@lru_cache(maxsize=32)
def _name_patterns(roster: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Patterns (over folded text) for roster names: full names in any case, then capitalised name parts."""
    names = sorted({" ".join(fold(normalise(str(n))).split()) for n in roster if str(n).strip()},
                   key=len, reverse=True)
    patterns: list[re.Pattern[str]] = []
    for name in names:
        words = [re.escape(w) for w in name.split(" ")]
        if len(words) > 1:
            patterns.append(re.compile(r"(?<![\w'])" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE))
    parts: set[str] = set()
    for name in names:
        for word in name.split(" "):
            parts.add(word)  # "O'Brien", "Mehta-Singh" whole
            parts.update(re.split(rf"[{_DASHES}]+", word))  # "Mehta", "Singh"
            if "'" in word:
                parts.update(p for p in word.split("'") if len(p) > 2)  # "Brien" but not the "O" or "D"
    for part in sorted((p for p in parts if len(p.replace("'", "")) >= _MIN_NAME_PART), key=len, reverse=True):
        head, rest = part[0], part[1:]
        # The first letter must be a capital in the text ("Mark" is a name, "mark" a verb).
        patterns.append(re.compile(r"(?<![\w'])" + re.escape(head.upper()) + r"(?i:" + re.escape(rest)
                                   + r")(?!\w)(?!'(?!s\b)\w)"))
    return tuple(patterns)


def _redact_names(text: str, roster: tuple[str, ...]) -> str:
    """Replace roster names found in the folded shadow of ``text`` (positions map one to one)."""
    for pattern in _name_patterns(roster):
        shadow = fold(text)
        spans = [m.span() for m in pattern.finditer(shadow)]
        for start, end in reversed(spans):
            text = text[:start] + NAME_TOKEN + text[end:]
    return text


def redact_text(text: str, roster: Sequence[str]) -> str:
    """Redact roster names, e-mail addresses and phone numbers from one text.

    Parameters
    ----------
    text
        An excerpt (note or quote) from client data.
    roster
        Names of people (e.g. ``"Jane Doe"``). Full names match in any case
        and without accents; each part of a name with at least 2 letters
        matches on its own, as a whole word, when it is capitalised in the
        text (``"Jane"``, ``"Doe"``, ``"Li"`` but not ``"doe"`` or ``"li"``).

    Returns
    -------
    str
        The `normalise`-d text with ``[name]``, ``[email]`` and ``[phone]`` in
        place of what was found. Phone numbers are runs of at least 7 digits
        with separators or a leading ``+``; ISO dates are kept.

    Examples
    --------
    >>> redact_text("Ask Jane Doe (jane.doe@acme.com, +44 20 7946 0958).", ["Jane Doe"])
    'Ask [name] ([email], [phone]).'
    >>> redact_text("Jane said the doe ran", ["Jane Doe"])
    '[name] said the doe ran'
    >>> redact_text("Li said so, li-ion too", ["Li Wu"])
    '[name] said so, li-ion too'
    >>> redact_text("Maria Lopez and O'Brien's team", ["María López", "Sean O'Brien"])
    "[name] and [name]'s team"
    """
    if not isinstance(text, str) or not text:
        return text
    out = normalise(text)
    out = _EMAIL.sub(EMAIL_TOKEN, out)
    out = _PHONE.sub(_phone_or_keep, out)
    return _redact_names(out, tuple(str(n) for n in roster))


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
