"""The explorer's quotes: consultant notes left out, coded sentiment first, automatic only as a confident suggestion.

`toolkit.voice.analyse_voice` still chooses what may be quoted (quote-group
rule, redaction); this module decides what is a quote at all and how sure
its sentiment is (`toolkit.sentiment`):

- excerpts that are consultant notes (``kind: note``, or unquoted text in a
  file that quotes speech) are dropped before anything is chosen;
- wrapping quotation marks are removed (the panel adds its own);
- ``sentiment_label`` is the consultant's coding (``sentiment_source``
  "coded") or, without one, the automatic label only when it is confident
  (``suggested``); otherwise it is blank ("not coded").
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from toolkit.model import AREA, EXCERPTS_COLUMNS, TEXT, ClientData
from toolkit.privacy import redact_text
from toolkit.sentiment import KIND_COLUMN, SENTIMENT_COLUMN, is_note, is_quoted, suggest, unquote

LABEL, SOURCE = "sentiment_label", "sentiment_source"


def speech_only(client: ClientData) -> tuple[ClientData, dict[tuple[str, str], str]]:
    """The client with notes dropped and quotes unquoted, and ``{(area, redacted text): coded label}``."""
    ex = client.excerpts
    if ex is None or ex.empty or TEXT not in ex.columns:
        return client, {}
    texts = ex[TEXT].astype(str)
    quotes_speech = bool(any(is_quoted(t) for t in texts))
    kinds = ex[KIND_COLUMN] if KIND_COLUMN in ex.columns else pd.Series([None] * len(ex), index=ex.index)
    keep = [not is_note(t, k, file_quotes_speech=quotes_speech) for t, k in zip(texts, kinds, strict=True)]
    kept = ex.loc[keep].copy()
    kept[TEXT] = [unquote(t) for t in kept[TEXT].astype(str)]
    coded: dict[tuple[str, str], str] = {}
    if SENTIMENT_COLUMN in kept.columns:
        for area, text, label in zip(kept[AREA], kept[TEXT], kept[SENTIMENT_COLUMN], strict=True):
            if isinstance(label, str) and label:
                coded[(str(area), redact_text(str(text), client.roster))] = label
    return replace(client, excerpts=kept[EXCERPTS_COLUMNS].reset_index(drop=True)), coded


def label_quotes(quotes: pd.DataFrame, coded: dict[tuple[str, str], str]) -> pd.DataFrame:
    """``quotes`` with ``sentiment_label`` and ``sentiment_source`` (coded / suggested / "")."""
    labels, sources = [], []
    for area, text in zip(quotes[AREA], quotes[TEXT], strict=True):
        label = coded.get((str(area), str(text)))
        if label:
            labels.append(label)
            sources.append("coded")
            continue
        s = suggest(str(text))
        labels.append(s.label if s.confident else "")
        sources.append("suggested" if s.confident else "")
    return quotes.assign(**{LABEL: pd.Series(labels, index=quotes.index, dtype="object"),
                            SOURCE: pd.Series(sources, index=quotes.index, dtype="object")})
