"""Voice of the organisation: themes, sentiment and quotable excerpts.

Themes come from the consultant's coding (the excerpt's ``theme``); an uncoded
excerpt falls back to the keyword lexicon in ``templates/theme_lexicon.yaml``.
Sentiment is VADER's compound score (Hutto & Gilbert 2014) with the usual
cut-offs (>= 0.05 positive, <= -0.05 negative). Quotes come only from groups
that clear ``min_quote_group`` (`toolkit.privacy.quote_groups_allowed`), are
redacted (`toolkit.privacy.redact_text`) and attributed by level only; no
respondent id leaves this module. Theme counts and mean sentiments are built
from the same quotable excerpts only, a theme needs at least
``min_group_size`` distinct respondents, and coded theme labels are redacted
too (they are client text). Texts stay raw here: HTML escaping is the
renderer's job.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from toolkit.client_config import Privacy
from toolkit.errors import DefinitionError
from toolkit.model import AREA, AREAS, LEVEL, RESPONDENT, TEXT, THEME, ClientData
from toolkit.privacy import quote_groups_allowed, redact_text
from toolkit.run import resources

log = logging.getLogger("toolkit")

DEFAULT_LEXICON = resources.template("theme_lexicon.yaml")
OTHER_THEME = "other"
POSITIVE, NEGATIVE = 0.05, -0.05
SENTIMENT = "sentiment"
THEMES_COLUMNS = [AREA, THEME, "n_excerpts", "mean_sentiment"]
QUOTES_COLUMNS = [AREA, THEME, LEVEL, TEXT, SENTIMENT]
Label = Literal["positive", "neutral", "negative"]


class Lexicon(BaseModel):
    """``areas -> area id -> theme id -> keywords`` (validated on load)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = 1
    areas: dict[Literal["customer_experience", "management_style", "unique_capabilities",
                        "proven_processes"], dict[str, list[str]]] = Field(min_length=1)


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    """Read and validate the theme lexicon (default ``templates/theme_lexicon.yaml``).

    Raises
    ------
    DefinitionError
        Naming the file and the key at fault.
    """
    path = Path(path) if path is not None else DEFAULT_LEXICON
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Lexicon.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(f"{path}: cannot read the theme lexicon: {exc}") from exc
    except ValidationError as exc:
        keys = "; ".join(f"key {'.'.join(map(str, e['loc']))!r}: {e['msg']}" for e in exc.errors())
        raise DefinitionError(f"{path}: invalid theme lexicon: {keys}") from exc


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def sentiment_score(text: str) -> float:
    """VADER compound score of one text, in [-1, 1] (0 for empty text).

    Examples
    --------
    >>> sentiment_score("Great team, I love working here") > 0.05
    True
    """
    if not isinstance(text, str) or not text.strip():
        return 0.0
    return float(_analyzer().polarity_scores(text)["compound"])


def sentiment_label(score: float) -> Label:
    """``positive`` (>= 0.05), ``negative`` (<= -0.05) or ``neutral``."""
    return "positive" if score >= POSITIVE else "negative" if score <= NEGATIVE else "neutral"


Patterns = dict[str, list[tuple[str, re.Pattern[str]]]]


def compile_lexicon(lexicon: Lexicon) -> Patterns:
    """One case-insensitive whole-word pattern per theme, by area."""
    out: Patterns = {}
    for area, themes in lexicon.areas.items():
        out[area] = [(theme, re.compile(r"(?<!\w)(?:" + "|".join(
            r"\s+".join(map(re.escape, k.split())) for k in sorted(words, key=len, reverse=True))
            + r")(?!\w)", re.IGNORECASE)) for theme, words in themes.items() if words]
    return out


def match_theme(text: str, area: str, patterns: Patterns) -> tuple[str, str]:
    """``(area, theme)`` of an uncoded excerpt by keyword hits (``other`` when none).

    An excerpt whose area is not one of the four is matched against every area
    and takes the area of its best theme.
    """
    pats = patterns
    areas = [area] if area in pats else list(pats)
    best: tuple[int, str, str] = (0, area, OTHER_THEME)
    for a in areas:
        for theme, pattern in pats[a]:
            hits = len(pattern.findall(text or ""))
            if hits > best[0]:
                best = (hits, a, theme)
    return best[1], best[2]


@dataclass
class Voice:
    """What people said, by area and theme.

    Attributes
    ----------
    themes
        ``area, theme, n_excerpts, mean_sentiment`` over the excerpts of quotable
        respondents (the ``min_quote_group`` rule), coded or matched; a theme
        backed by fewer than ``min_group_size`` distinct respondents is left
        out, and coded labels are redacted.
    quotes
        ``area, theme, level, text, sentiment``: redacted, from allowed groups only.
    n_excerpts, n_coded
        Excerpts analysed (every excerpt with text), and how many the consultant had coded.
    """

    themes: pd.DataFrame
    quotes: pd.DataFrame
    n_excerpts: int = 0
    n_coded: int = 0


def _coded(theme: object) -> bool:
    return isinstance(theme, str) and bool(theme.strip())


def _themed(excerpts: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """Excerpts with text, each with a resolved area and theme and a sentiment score."""
    ex = excerpts.loc[excerpts[TEXT].notna()].copy()
    ex = ex.loc[ex[TEXT].astype(str).str.strip() != ""]
    themes = ex[THEME].tolist() if THEME in ex.columns else [""] * len(ex)
    patterns = compile_lexicon(lexicon)
    areas, resolved = [], []
    for text, area, theme in zip(ex[TEXT].astype(str), ex[AREA].fillna("").astype(str), themes, strict=True):
        if _coded(theme):
            areas.append(area)
            resolved.append(str(theme).strip())
        else:
            a, t = match_theme(text, area, patterns)
            areas.append(a)
            resolved.append(t)
    ex[AREA] = pd.Series(areas, index=ex.index, dtype="object")
    ex[THEME] = pd.Series(resolved, index=ex.index, dtype="object")
    ex[SENTIMENT] = [sentiment_score(t) for t in ex[TEXT].astype(str)]
    return ex


def _area_order(frame: pd.DataFrame) -> pd.Series:
    order = {a: i for i, a in enumerate(AREAS)}
    return frame[AREA].map(lambda a: order.get(a, len(order)))


def _pick_quotes(allowed: pd.DataFrame, n_negative: int, n_positive: int) -> pd.DataFrame:
    """Per area: the most negative, then the most positive, topped up by the most extreme."""
    picked = []
    for _, grp in allowed.groupby(AREA, sort=False):
        grp = grp.drop_duplicates(TEXT)
        neg = grp.loc[grp[SENTIMENT] <= NEGATIVE].sort_values(SENTIMENT, kind="mergesort").head(n_negative)
        pos = grp.loc[grp[SENTIMENT] >= POSITIVE].sort_values(SENTIMENT, ascending=False,
                                                              kind="mergesort").head(n_positive)
        chosen = pd.concat([neg, pos])
        rest = grp.drop(chosen.index)
        top_up = rest.loc[rest[SENTIMENT].abs().sort_values(ascending=False, kind="mergesort").index]
        picked.append(pd.concat([chosen, top_up.head(n_negative + n_positive - len(chosen))]))
    if not picked:
        return allowed.iloc[0:0]
    return pd.concat(picked)


def _quotable_respondents(excerpts: pd.DataFrame, respondents: pd.DataFrame, min_quote_group: int) -> set[str]:
    """Ids of the excerpts' respondents whose level and department groups clear ``min_quote_group``.

    The rule is `toolkit.privacy.quote_groups_allowed` itself, applied to one
    probe row per respondent (the id travels in the text column, which that
    function keeps), so themes and quotes cannot drift apart.
    """
    ids = pd.Series(sorted({str(r) for r in excerpts[RESPONDENT].dropna()}), dtype="object")
    probe = pd.DataFrame({RESPONDENT: ids, AREA: "", THEME: "", TEXT: ids})
    return set(quote_groups_allowed(probe, respondents, min_quote_group)[TEXT].astype(str))


def _theme_table(ex: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """``area, theme, n_excerpts, mean_sentiment``: themes backed by >= ``min_group_size`` respondents."""
    if ex.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in THEMES_COLUMNS})
    themes = (ex.groupby([AREA, THEME], sort=False)
              .agg(n_excerpts=(TEXT, "size"), mean_sentiment=(SENTIMENT, "mean"),
                   n_respondents=(RESPONDENT, "nunique")).reset_index())
    themes = themes.loc[themes["n_respondents"] >= min_group_size]
    themes = themes.assign(_o=_area_order(themes)).sort_values(
        ["_o", "n_excerpts", THEME], ascending=[True, False, True], kind="mergesort")
    themes = themes[THEMES_COLUMNS].reset_index(drop=True)
    themes["n_excerpts"] = themes["n_excerpts"].astype("int64")
    return themes


def analyse_voice(client: ClientData, *, privacy: Privacy | None = None, lexicon: Lexicon | None = None,
                  n_negative: int = 2, n_positive: int = 1) -> Voice:
    """Themes, sentiment and representative quotes from a client's excerpts.

    Parameters
    ----------
    client
        The client's data; ``excerpts`` may be empty.
    privacy
        Thresholds; ``client.config.privacy`` by default. Quotes come only from
        excerpts whose respondent's level and department groups each have at
        least ``min_quote_group`` respondents; themes come from the same
        excerpts and need ``min_group_size`` distinct respondents each.
    lexicon
        Keyword lexicon for uncoded excerpts; ``templates/theme_lexicon.yaml`` by default.
    n_negative, n_positive
        Quotes per area: the most negative and most positive excerpts.

    Returns
    -------
    Voice
        ``themes`` and ``quotes`` frames; no respondent id anywhere.
    """
    privacy = privacy or client.config.privacy
    lexicon = lexicon or load_lexicon()
    excerpts = client.excerpts
    empty = Voice(themes=pd.DataFrame({c: pd.Series(dtype="object") for c in THEMES_COLUMNS}),
                  quotes=pd.DataFrame({c: pd.Series(dtype="object") for c in QUOTES_COLUMNS}))
    if excerpts is None or excerpts.empty or TEXT not in excerpts.columns:
        return empty
    ex = _themed(excerpts, lexicon)
    if ex.empty:
        return empty
    n_coded = int(sum(_coded(t) for t in excerpts.loc[ex.index, THEME])) if THEME in excerpts.columns else 0

    n_all = len(ex)
    # Coded theme labels are client text: redact them like the quotes (names, e-mails, phones).
    ex[THEME] = pd.Series([redact_text(str(t), client.roster) for t in ex[THEME]], index=ex.index, dtype="object")
    # Themes and quotes both come only from respondents whose groups clear ``min_quote_group``.
    ex = ex.loc[ex[RESPONDENT].isin(_quotable_respondents(ex, client.respondents, privacy.min_quote_group))]
    themes = _theme_table(ex, int(privacy.min_group_size))

    allowed = quote_groups_allowed(ex[[RESPONDENT, AREA, THEME, TEXT]], client.respondents,
                                   privacy.min_quote_group)
    allowed = allowed.loc[allowed[AREA].isin(AREAS)].copy()
    allowed[TEXT] = [redact_text(str(t), client.roster) for t in allowed[TEXT]]
    allowed[SENTIMENT] = [sentiment_score(t) for t in allowed[TEXT]]
    quotes = _pick_quotes(allowed.reset_index(drop=True), n_negative, n_positive)
    quotes = quotes.assign(_o=_area_order(quotes)).sort_values(["_o", SENTIMENT], kind="mergesort")
    quotes = quotes[QUOTES_COLUMNS].reset_index(drop=True)
    log.info("voice: %d excerpts (%d coded), %d themes, %d quotes", n_all, n_coded, len(themes), len(quotes))
    return Voice(themes=themes, quotes=quotes, n_excerpts=n_all, n_coded=n_coded)
