"""Voice: coded themes are counted, uncoded excerpts fall back to the lexicon, VADER
gives the sentiment sign, and quotes come only from allowed groups, redacted, by level."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.client_config import ClientConfig, Privacy
from toolkit.errors import DefinitionError
from toolkit.model import ClientData
from toolkit.voice import analyse_voice, compile_lexicon, load_lexicon, match_theme, sentiment_label, sentiment_score

CONFIG = ClientConfig(name="Acme", wave="2026-Q1", strategy="Fastest service in the region.",
                      customer_promise="speed", management_style="collaborative")

# Sales: R01-R04 frontline, R05-R06 manager; Ops: R07-R10 frontline, R11 manager, R12 executive;
# Board: R13 executive. Levels: frontline 8, manager 3, executive 2; departments 6, 6, 1.
# With min_quote_group 5 only frontline staff of Sales and Ops may be quoted.
PEOPLE = ([("R01", "Sales", "frontline"), ("R02", "Sales", "frontline"), ("R03", "Sales", "frontline"),
           ("R04", "Sales", "frontline"), ("R05", "Sales", "manager"), ("R06", "Sales", "manager")]
          + [("R07", "Ops", "frontline"), ("R08", "Ops", "frontline"), ("R09", "Ops", "frontline"),
             ("R10", "Ops", "frontline"), ("R11", "Ops", "manager"), ("R12", "Ops", "executive")]
          + [("R13", "Board", "executive")])
EXCERPTS = [
    ("R01", "customer_experience", "service_variability",
     "Honestly the service is terrible and inconsistent, customers are furious."),          # -0.59
    ("R02", "customer_experience", "service_variability",
     "It depends who picks up the phone; call Jane Doe on +44 20 7946 0958 or jane.doe@acme.com."),  # 0
    ("R03", "customer_experience", "",
     "Customers keep complaining that nobody owns the escalation and they have to chase us."),  # -0.20
    ("R07", "customer_experience", "promise_clarity",
     "I love that we know exactly what we promise, great clarity."),                         # +0.92
    ("R05", "customer_experience", "service_variability", "Awful, horrible chaos every day."),  # manager
    ("R13", "management_style", "decision_rights", "Terrible leadership, Jane never decides."),  # executive
    ("R99", "customer_experience", "service_variability", "Dreadful, I hate it."),           # unknown person
    ("R08", "proven_processes", "", "We use spreadsheets as a workaround because the system is broken."),
    ("R09", "proven_processes", "", "Nothing to add."),
    ("R10", "management_style", "", "My manager gives clear feedback and I feel trusted."),
]


def make_client(excerpts=EXCERPTS, roster=("Jane Doe",)) -> ClientData:
    ratings = pd.DataFrame([{"respondent_id": r, "department": d, "level": lv, "question_id": "CX01",
                             "rating": 4.0} for r, d, lv in PEOPLE])
    ex = pd.DataFrame(list(excerpts), columns=["respondent_id", "area", "theme", "text"])
    return ClientData(client_id="acme", root=Path("client_data/acme"), config=CONFIG,
                      questions=pd.DataFrame(), ratings=ratings, excerpts=ex,
                      operations=pd.DataFrame(), roster=list(roster))


@pytest.fixture(scope="module")
def voice():
    return analyse_voice(make_client(), privacy=Privacy(min_group_size=3, min_quote_group=5))


# Extra excerpts for the theme table (same people, min_group_size 3, min_quote_group 5).
THEME_EXTRA = [
    ("R04", "customer_experience", "service_variability", "Service quality is a lottery."),
    ("R08", "proven_processes", "workarounds", "Another workaround for the broken tool."),
    ("R08", "proven_processes", "workarounds", "Yet another workaround."),
    ("R01", "management_style", "Jane Doe bottleneck", "Decisions wait for her."),
    ("R02", "management_style", "Jane Doe bottleneck", "Everything waits."),
    ("R09", "management_style", "Jane Doe bottleneck", "Approvals are slow."),
]


@pytest.fixture(scope="module")
def theme_voice():
    return analyse_voice(make_client(EXCERPTS + THEME_EXTRA), privacy=Privacy(min_group_size=3, min_quote_group=5))


def test_themes_count_only_quotable_groups_of_enough_respondents(theme_voice):
    t = theme_voice.themes
    assert list(t.columns) == ["area", "theme", "n_excerpts", "mean_sentiment"]
    # Quotable respondents (min_quote_group 5): the frontline of Sales and Ops (R01-R04, R07-R10).
    # service_variability: R01, R02, R04 (R05 is a manager, R99 unknown) -> 3 excerpts, 3 people: kept.
    # "Jane Doe bottleneck": R01, R02, R09 -> kept, label redacted.
    # workarounds: 3 excerpts but all R08 -> one person: dropped. Every other theme has < 3 people
    # (promise_clarity R07, ownership R03, other R09, leader_consistency R10) or none quotable
    # (decision_rights R13, an executive).
    assert list(zip(t["area"], t["theme"], t["n_excerpts"], strict=True)) == [
        ("customer_experience", "service_variability", 3),
        ("management_style", "[name] bottleneck", 3)]
    texts = {"customer_experience": [EXCERPTS[0][3], EXCERPTS[1][3], THEME_EXTRA[0][3]],
             "management_style": [x[3] for x in THEME_EXTRA[3:]]}
    for area, group in texts.items():
        want = sum(sentiment_score(x) for x in group) / 3
        assert t.loc[t["area"] == area, "mean_sentiment"].item() == pytest.approx(want)
    assert not t["theme"].str.contains("Jane|Doe").any()
    assert (theme_voice.n_excerpts, theme_voice.n_coded) == (16, 12)  # totals over every excerpt


def test_theme_labels_in_quotes_are_redacted_too(theme_voice):
    themes = set(theme_voice.quotes["theme"])
    assert "[name] bottleneck" in themes and not any("Jane" in x for x in themes)


@pytest.mark.parametrize("min_group_size, want", [
    (2, {"service_variability", "[name] bottleneck"}),   # no theme has exactly 2 people
    (3, {"service_variability", "[name] bottleneck"}),
    (4, set()),                                          # none has 4 people
])
def test_theme_threshold_is_min_group_size(min_group_size, want):
    v = analyse_voice(make_client(EXCERPTS + THEME_EXTRA),
                      privacy=Privacy(min_group_size=min_group_size, min_quote_group=5))
    assert set(v.themes["theme"]) == want


def test_counts_without_enough_people_give_no_theme(voice):
    # In EXCERPTS alone no theme has 3 quotable respondents: nothing is counted.
    assert voice.themes.empty and list(voice.themes.columns) == ["area", "theme", "n_excerpts", "mean_sentiment"]
    assert (voice.n_excerpts, voice.n_coded) == (10, 6)


@pytest.mark.parametrize("prefix, area, theme", [
    ("Customers keep", "customer_experience", "ownership_and_escalation"),  # "escalation", "chase"
    ("We use spreadsheets", "proven_processes", "workarounds"),           # "spreadsheets", "workaround"
    ("Nothing to add", "proven_processes", "other"),                      # no keyword
    # "my manager" (leader_consistency) and "feedback" (feedback_and_recognition) hit once each:
    # the tie goes to the theme listed first in the lexicon
    ("My manager gives", "management_style", "leader_consistency"),
])
def test_uncoded_excerpts_fall_back_to_the_lexicon(prefix, area, theme):
    v = analyse_voice(make_client(), privacy=Privacy(min_group_size=3, min_quote_group=5),
                      n_negative=5, n_positive=5)
    row = v.quotes.loc[v.quotes["text"].str.startswith(prefix)]
    assert list(zip(row["area"], row["theme"], strict=True)) == [(area, theme)]


def test_match_theme_counts_hits_and_handles_unknown_area():
    pats = compile_lexicon(load_lexicon())
    # "feedback" twice (feedback_and_recognition: 2 hits) beats "my manager" (leader_consistency: 1)
    assert match_theme("Feedback, feedback and my manager", "management_style", pats) == (
        "management_style", "feedback_and_recognition")
    assert match_theme("We work around the process daily", "", pats) == ("proven_processes", "workarounds")
    assert match_theme("nothing here", "customer_experience", pats) == ("customer_experience", "other")
    # whole words only: "promised" is a keyword, "compromised" is not a hit
    assert match_theme("compromised", "customer_experience", pats)[1] == "other"


@pytest.mark.parametrize("text, sign, label", [
    ("Honestly the service is terrible and inconsistent, customers are furious.", -1, "negative"),
    ("I love that we know exactly what we promise, great clarity.", 1, "positive"),
    ("Nothing to add.", 0, "neutral"),
])
def test_vader_sentiment_sign(text, sign, label):
    s = sentiment_score(text)
    assert (s > 0.05) - (s < -0.05) == sign
    assert sentiment_label(s) == label


def test_quotes_only_from_allowed_groups_by_level(voice):
    q = voice.quotes
    assert list(q.columns) == ["area", "theme", "level", "text", "sentiment"]
    assert set(q["level"]) == {"frontline"}
    joined = " ".join(q["text"])
    for barred in ("Awful, horrible chaos", "Terrible leadership", "Dreadful"):
        assert barred not in joined


def test_quotes_pick_most_negative_then_most_positive_per_area(voice):
    cx = voice.quotes.loc[voice.quotes["area"] == "customer_experience"]
    # allowed CX: R01 -0.59, R03 -0.20, R02 0.00, R07 +0.92 -> two most negative and the most positive
    assert list(cx["text"].str[:10]) == ["Honestly t", "Customers ", "I love tha"]
    assert list(cx["sentiment"]) == sorted(cx["sentiment"])
    # PP: one negative (-0.48) and one neutral (top-up): two quotes
    pp = voice.quotes.loc[voice.quotes["area"] == "proven_processes"]
    assert list(pp["text"]) == ["We use spreadsheets as a workaround because the system is broken.",
                                "Nothing to add."]


def test_quotes_are_redacted():
    v = analyse_voice(make_client(), privacy=Privacy(min_quote_group=5), n_negative=5, n_positive=5)
    text = v.quotes.set_index("theme").loc["service_variability", "text"]
    texts = [text] if isinstance(text, str) else list(text)
    redacted = [t for t in texts if t.startswith("It depends")]
    assert redacted == ["It depends who picks up the phone; call [name] on [phone] or [email]."]
    assert not v.quotes["text"].str.contains("Jane|acme.com|7946").any()


def test_no_respondent_id_anywhere(voice):
    ids = {r for r, _, _ in PEOPLE} | {"R99"}
    for frame in (voice.themes, voice.quotes):
        assert "respondent_id" not in frame.columns
        cells = {str(v) for v in frame.to_numpy().ravel()}
        assert not any(i in c for c in cells for i in ids)


def test_lower_threshold_admits_managers():
    v = analyse_voice(make_client(), privacy=Privacy(min_group_size=3, min_quote_group=3))
    assert "manager" in set(v.quotes["level"])
    assert "Awful, horrible chaos every day." in set(v.quotes["text"])


def test_no_excerpts_gives_empty_frames():
    v = analyse_voice(make_client(excerpts=[]))
    assert v.themes.empty and v.quotes.empty
    assert list(v.quotes.columns) == ["area", "theme", "level", "text", "sentiment"]


def test_bad_lexicon_raises_definition_error(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("areas:\n  finance:\n    cost: [cost]\n")
    with pytest.raises(DefinitionError, match=r"lex.yaml: invalid theme lexicon: key 'areas.finance"):
        load_lexicon(path)


def test_inputs_are_not_mutated():
    client = make_client()
    before = client.excerpts.copy()
    analyse_voice(client, privacy=Privacy(min_quote_group=5))
    pd.testing.assert_frame_equal(client.excerpts, before)
