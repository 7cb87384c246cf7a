"""Sentiment a consultant can trust: coded first, automatic only as a confident suggestion, notes never quotes.

The labelled set ``tests/data/sentiment_excerpts.csv`` (160 workplace excerpts written for
these tests, 40 per area, 52-56 per label) measures the automatic labeller before (plain
VADER) and after (`toolkit.sentiment.suggest`). The workplace cues were written with that
set in view, so its "after" figure is in-sample; ``sentiment_holdout.csv`` (45 excerpts
written afterwards, the cues not changed since) is the honest estimate.
"""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import CLIENT_DATA, ROOT
from toolkit.explore import ExploreEngine, Filters
from toolkit.explore.panels import filter_quotes, quotes_html
from toolkit.intake import load_client, validate_client
from toolkit.sentiment import coded_label, is_note, suggest, unquote, vader_score
from toolkit.voice import sentiment_label

DATA = ROOT / "tests" / "data"
NORTHWIND = "northwind-logistics"


def _measure(path) -> dict[str, float]:
    d = pd.read_csv(path)
    before = [sentiment_label(vader_score(t)) for t in d["text"]]
    after = [suggest(t) for t in d["text"]]
    confident = [(s.label, truth) for s, truth in zip(after, d["sentiment"], strict=True) if s.confident]
    return {"n": len(d), "before": sum(b == t for b, t in zip(before, d["sentiment"], strict=True)) / len(d),
            "after": sum(s.label == t for s, t in zip(after, d["sentiment"], strict=True)) / len(d),
            "coverage": len(confident) / len(d),
            "confident_accuracy": sum(a == t for a, t in confident) / max(len(confident), 1)}


def test_labelled_set_is_large_and_balanced():
    d = pd.read_csv(DATA / "sentiment_excerpts.csv")
    assert len(d) >= 150 and d["text"].is_unique
    counts = d.groupby(["area", "sentiment"]).size()
    assert len(counts) == 12 and counts.min() >= 13 and counts.max() <= 14


def test_accuracy_before_and_after_on_the_labelled_set():
    m = _measure(DATA / "sentiment_excerpts.csv")
    print(f"labelled set (in-sample): {m}")
    assert m["before"] == pytest.approx(81 / 160)           # plain VADER: 50.6 %
    assert m["after"] >= 0.90 and m["confident_accuracy"] >= 0.95


def test_holdout_shows_the_cues_do_not_generalise_so_suggestions_stay_rare():
    m = _measure(DATA / "sentiment_holdout.csv")
    print(f"holdout: {m}")
    assert m["n"] == 45
    assert m["after"] >= m["before"] - 1e-9                 # no worse than plain VADER on new text ...
    assert m["coverage"] <= 0.2                               # ... and it rarely claims to be sure


@pytest.mark.parametrize("text, label", [
    ("I know which calls are mine to make. My manager backs me when I make them.", "positive"),
    ("Could not name anything that sets us apart beyond price.", "negative"),
    ("It depends entirely on which manager you got.", "negative"),
    ("If I spend time on a customer I get flagged.", "negative"),
])
def test_the_reported_misreadings(text, label):
    assert sentiment_label(vader_score(text)) != label      # what the consultant saw
    s = suggest(text)
    assert s.label == label and s.confident


def test_coded_labels_and_notes():
    assert coded_label("Negative") == "negative" and coded_label(" pos ") == "positive"
    assert coded_label(-0.4) == "negative" and coded_label("") is None and coded_label(float("nan")) is None
    with pytest.raises(ValueError):
        coded_label("great")
    assert unquote('""I know which calls are mine.""') == "I know which calls are mine."
    assert is_note("Observed two shifts.", None, file_quotes_speech=True)
    assert not is_note('"We get flagged."', None, file_quotes_speech=True)
    assert is_note('"quoted but coded"', "note") and not is_note("plain", "quote", file_quotes_speech=True)


@pytest.fixture
def coded_client(tmp_path):
    folder = tmp_path / NORTHWIND
    shutil.copytree(CLIENT_DATA / NORTHWIND, folder)
    ex = pd.read_csv(folder / "excerpts.csv", dtype=str, keep_default_na=False)
    ex["sentiment"] = ""
    ex["kind"] = ""
    flagged = ex["text"].str.contains("backs me", regex=False)
    ex.loc[flagged, "sentiment"] = "negative"               # the consultant's coding wins, even against cues
    ex.loc[ex["text"].str.startswith('"'), "kind"] = "quote"
    ex.loc[ex["text"].str.startswith("Observed"), "kind"] = "note"
    ex.to_csv(folder / "excerpts.csv", index=False)
    return folder


@pytest.mark.slow
def test_coded_sentiment_wins_and_notes_are_never_quotes(coded_client):
    engine = ExploreEngine(n_boot=20)
    view = engine.view(engine.load(coded_client), Filters())
    quotes = engine.quotes(view)
    backs = quotes.loc[quotes["text"].str.contains("backs me", regex=False)]
    assert len(backs) == 1 and backs["sentiment_label"].iloc[0] == "negative"
    assert backs["sentiment_source"].iloc[0] == "coded"
    assert not quotes["text"].str.startswith("Observed").any()
    assert not quotes["text"].str.startswith('"').any()     # no doubled quotation marks
    page = quotes_html(quotes, view)
    assert "“\"" not in page and "&quot;&quot;" not in page
    shown = filter_quotes(quotes, sentiment="negative")
    assert backs.index[0] in shown.index
    uncoded = quotes.loc[quotes["sentiment_source"] != "coded"]
    assert set(uncoded["sentiment_source"]) <= {"suggested", ""}
    assert "suggested: " in page or "sentiment not coded" in page


@pytest.mark.slow
def test_notes_are_dropped_by_rule_without_a_kind_column():
    engine = ExploreEngine(n_boot=20)
    view = engine.view(engine.load(CLIENT_DATA / NORTHWIND), Filters())
    quotes = engine.quotes(view)
    raw = load_client(CLIENT_DATA / NORTHWIND).excerpts
    assert raw["text"].str.startswith("Observed").any()     # the demo data holds notes ...
    assert not quotes["text"].str.startswith("Observed").any()  # ... never shown as quotes


def test_bad_coding_is_a_validation_problem(coded_client):
    ex = pd.read_csv(coded_client / "excerpts.csv", dtype=str, keep_default_na=False)
    ex.loc[0, "sentiment"] = "great"
    ex.loc[1, "kind"] = "summary"
    ex.to_csv(coded_client / "excerpts.csv", index=False)
    problems = [p for p in validate_client(coded_client) if p.reason == "invalid_value"]
    assert {p.column for p in problems} == {"sentiment", "kind"}
    assert {str(p.found) for p in problems} == {"great", "summary"}
