"""Sentiment of interview excerpts that a consultant can trust: coded first, automatic only as a suggestion.

General-purpose VADER misreads workplace talk: "my manager backs me when I make
them" has no positive word it knows, "could not name anything ... beyond
price" and "depends entirely on which manager you got" none it finds
negative, "if I spend time on a customer I get flagged" reads neutral. So:

1. a consultant's own coding (the optional ``sentiment`` column of
   ``excerpts.csv``: positive / neutral / negative, or a number in [-1, 1])
   always wins;
2. otherwise `suggest` combines VADER with workplace cue phrases
   (`NEGATIVE_CUES`, `POSITIVE_CUES`) and returns a label only when it is
   confident; the explorer shows it as "suggested", never as fact;
3. consultant notes (the optional ``kind`` column, or, without it, an excerpt
   not wrapped in quotation marks in a file whose other excerpts are) are
   never quotes (`is_note`), and wrapping quotation marks are removed
   (`unquote`) so a quote is not shown in doubled marks.

Measured on ``tests/data/sentiment_excerpts.csv`` (160 workplace excerpts,
balanced over areas and labels): see ``tests/test_sentiment.py``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

Label = Literal["positive", "neutral", "negative"]
LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
SENTIMENT_COLUMN, KIND_COLUMN = "sentiment", "kind"
KINDS = ("quote", "note")
#: Cue and VADER scores combine into one score in [-1, 1]; a suggestion needs |score| >= this.
CONFIDENT = 0.35
NEUTRAL_BAND = 0.15

_NEG = [
    r"\bget(?:s)? flagged", r"depends? (?:entirely )?on (?:which|who)", r"beyond price", r"(?:could|can)(?:not|n't) "
    r"(?:name|explain|tell)", r"\bnobody (?:owns|knows|explains|could|else knows)", r"\bnot allowed\b",
    r"\bno (?:checklist|fallback|one owns)\b", r"passed around", r"\b(?:repeat|chase)\b", r"\brework",
    r"re-?enter", r"workaround", r"\bwaste", r"\bsilos?\b", r"micromanag", r"\bblame", r"\bafraid\b", r"rumou?r",
    r"stopped raising", r"nothing ever happens", r"give up", r"\blose\b|\bleft\b|\bleaving\b", r"\bignored\b",
    r"breaks? down", r"in inboxes", r"its own (?:way|spreadsheet)", r"(?:different|two different) (?:things|"
    r"companies|way)", r"separate company", r"only works in one", r"commodity", r"interchangeable", r"copied",
    r"cut first", r"\bdropped\b", r"discounts", r"too late", r"the same (?:problem|gaps)", r"everything stops",
    r"depends on who", r"robots?", r"\bqueue\b", r"signatures", r"without a supervisor", r"around your manager",
    r"never seen", r"shouts loudest", r"retired", r"only (?:hear|two people)", r"\bwaited\b", r"\bsays? we innovate",
    r"\bused to be\b", r"\bhabits\b", r"does not match", r"whoever (?:happens|is on)", r"depends on who",
    r"\bnever\b", r"\bfind out from\b", r"upstairs",
]
_POS = [
    r"backs? me", r"\btrusted\b", r"same (?:welcome|answer|result|way|procedure|signature|fair)", r"without help",
    r"held up", r"(?:worked|works) smoothly", r"\bclean\b", r"\bproud\b", r"\bthank", r"\bgrown\b", r"\btrust\b",
    r"ask for the same", r"on the spot", r"out of its way", r"given time", r"easy to", r"rarely have to",
    r"asks? for my view", r"admit their", r"honest feedback", r"in person", r"recognised", r"removes obstacles",
    r"stands in front", r"know what is expected", r"listens and acts", r"\bexplained\b", r"last thing they touch",
    r"cannot buy", r"nobody else can", r"keep investing", r"best in", r"ahead of", r"worth it", r"wins\b",
    r"\bclear\b", r"only we can", r"every site (?:applies|follows)", r"\bsaved\b", r"\bfast\b", r"simple enough",
    r"productive", r"at the root", r"in seconds", r"whoever packs", r"know(?:s)? (?:us|it)\b", r"know-how",
    r"get behind", r"calls back when", r"can explain",
]
NEGATIVE_CUES = [re.compile(p, re.IGNORECASE) for p in _NEG]
POSITIVE_CUES = [re.compile(p, re.IGNORECASE) for p in _POS]
_QUOTES = ("\"", "“", "”", "'", "‘", "’", "«", "»")


@dataclass(frozen=True)
class Suggestion:
    """An automatic reading: ``score`` in [-1, 1], its ``label`` and whether it is ``confident``."""

    score: float
    label: Label
    confident: bool


def vader_score(text: str) -> float:
    """The plain VADER compound score (the labeller before this module)."""
    from toolkit.voice import sentiment_score

    return sentiment_score(text)


def cue_score(text: str) -> float:
    """Workplace cues: +0.5 per positive cue, -0.5 per negative cue, clipped to [-1, 1]."""
    pos = sum(bool(p.search(text)) for p in POSITIVE_CUES)
    neg = sum(bool(p.search(text)) for p in NEGATIVE_CUES)
    return max(-1.0, min(1.0, 0.5 * (pos - neg)))


def suggest(text: str) -> Suggestion:
    """The automatic sentiment of one excerpt: cues first, VADER as a tie-breaker.

    Examples
    --------
    >>> suggest("If I spend time on a customer I get flagged.").label
    'negative'
    >>> suggest("My manager backs me when I make them.").label
    'positive'
    """
    if not isinstance(text, str) or not text.strip():
        return Suggestion(0.0, "neutral", False)
    cues, vader = cue_score(text), vader_score(text)
    score = max(-1.0, min(1.0, cues + 0.4 * vader)) if cues else 0.6 * vader
    label: Label = "positive" if score >= NEUTRAL_BAND else "negative" if score <= -NEUTRAL_BAND else "neutral"
    return Suggestion(score, label, abs(score) >= CONFIDENT)


def coded_label(value: object) -> Label | None:
    """A consultant's coding read as a label (None when blank); numbers in [-1, 1] by their sign band.

    Raises
    ------
    ValueError
        For anything else ("great", 7).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip().casefold()
    if not text or text == "nan":
        return None
    aliases = {"pos": "positive", "+": "positive", "neg": "negative", "-": "negative", "neu": "neutral",
               "0": "neutral"}
    text = aliases.get(text, text)
    if text in LABELS:
        return text  # type: ignore[return-value]
    number = float(text)  # ValueError for words
    if not -1.0 <= number <= 1.0:
        raise ValueError(f"{value!r} is outside [-1, 1]")
    return "positive" if number >= 0.05 else "negative" if number <= -0.05 else "neutral"


def is_quoted(text: str) -> bool:
    """True when the text is wrapped in quotation marks."""
    t = str(text).strip()
    return len(t) >= 2 and t[0] in _QUOTES and t[-1] in _QUOTES


def unquote(text: str) -> str:
    """The text without its wrapping quotation marks (the display adds its own)."""
    t = str(text).strip()
    while is_quoted(t):
        t = t[1:-1].strip()
    return t


def is_note(text: str, kind: object = None, *, file_quotes_speech: bool = False) -> bool:
    """True for a consultant's note: ``kind == "note"``, or (no kind) unquoted text in a file that quotes speech."""
    k = "" if kind is None or (isinstance(kind, float) and math.isnan(kind)) else str(kind).strip().casefold()
    if k in KINDS:
        return k == "note"
    return file_quotes_speech and not is_quoted(text)
