"""Everything published together: the deck's summary and every explorer export, audited as one set."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from toolkit.explore.engine import ExploreEngine
from toolkit.explore.export import scenario_dict
from toolkit.explore.scenario import Filters
from toolkit.privacy import protect
from toolkit.privacy.publication import check_publication, merge_views
from toolkit.summary import _records

ROOT = Path(__file__).resolve().parents[1]
WHEN = datetime(2026, 12, 1, tzinfo=UTC)


def _summary(assessment) -> dict:
    return {"areas": _records(assessment.areas), "oai": {"suppressed": bool(assessment.oai.get("suppressed"))},
            "departments": _records(assessment.departments), "levels": _records(assessment.levels),
            "coverage": _records(assessment.coverage)}


def _every_view(engine, client) -> list[dict]:
    people = client.respondents
    filters = [Filters(department=str(d)) for d in sorted(set(people["department"]))]
    filters += [Filters(level=str(lv)) for lv in sorted(set(people["level"]))]
    filters += [Filters(department=str(d), level=str(lv))
                for d, lv in sorted(set(zip(people["department"], people["level"], strict=False)))]
    return [scenario_dict(engine.view(client, f), created=WHEN) for f in filters]


@pytest.fixture(scope="module")
def northwind():
    engine = ExploreEngine(n_boot=5)
    client = engine.load(ROOT / "client_data" / "northwind-logistics")
    return engine, client, engine.full(client)


def test_the_deck_and_every_explorer_export_together_pin_no_small_group(northwind):
    engine, client, full = northwind
    from toolkit.metrics import assess
    from toolkit.privacy.linked import client_cells
    from toolkit.story import deck_wave_changes

    # the explorer's unfiltered view hides what the deck hides (wave changes included)
    deck = protect(assess(client, n_boot=5), client.config.privacy, cells=client_cells(client),
                   wave_changes=deck_wave_changes(client))
    assert (deck.departments["suppressed"].to_numpy() == full.departments["suppressed"].to_numpy()).all()
    assert (deck.levels["suppressed"].to_numpy() == full.levels["suppressed"].to_numpy()).all()
    views = _every_view(engine, client)
    shown = [v for v in views if not v["suppressed"]]
    assert shown and len(shown) < len(views)  # some views are exported, some are withheld
    assert check_publication(_summary(deck), client, views) == []


def test_an_export_of_a_view_the_deck_hides_is_caught_naming_the_group_not_its_value(northwind):
    engine, client, full = northwind
    views = _every_view(engine, client)
    hidden = full.departments.loc[full.departments["suppressed"].astype(bool)
                                  & full.departments["suppressed_reason"].str.contains("secondary")]
    name = str(hidden["department"].iloc[0])
    # a renderer that exported the raw view of the sibling hidden with a small department
    raw = engine.scored(client, Filters(department=name))[1].assessment
    leaked = scenario_dict(engine.view(client, Filters(department=name)), created=WHEN)
    assert leaked["suppressed"]
    leaked["suppressed"] = False
    for area in leaked["areas"]:
        area.update(suppressed=False, perception=float(raw.areas.loc[area["area"], "perception"]),
                    n=int(raw.areas.loc[area["area"], "n"]))
    problems = check_publication(_summary(full), client, views + [leaked])
    assert problems and all("fewer than 3" in p for p in problems)
    small = full.departments.loc[full.departments["suppressed_reason"].str.startswith("fewer than"), "department"]
    assert any(str(s) in p for p in problems for s in set(small))
    for area in leaked["areas"]:
        assert f"{area['perception']:.1f}" not in "\n".join(problems)


def test_merge_views_adds_shown_views_only():
    summary = {"departments": [{"department": "A", "area": "x", "perception": None, "suppressed": True},
                               {"department": "B", "area": "x", "perception": 70.0, "favourable": None,
                                "n": 9, "suppressed": False}],
               "levels": [], "coverage": [{"department": "A", "level": "m", "suppressed": True}]}
    views = [{"suppressed": False, "filters": {"department": "A", "level": None},
              "areas": [{"area": "x", "perception": 61.0, "favourable": 75.0, "n": 4, "suppressed": False}]},
             {"suppressed": False, "filters": {"department": "B", "level": None},  # a share the deck left blank
              "areas": [{"area": "x", "perception": 70.0, "favourable": 80.0, "n": 9, "suppressed": False}]},
             {"suppressed": False, "filters": {"department": "A", "level": "m"}, "areas": []},
             {"suppressed": True, "filters": {"department": None, "level": "f"},
              "areas": [{"area": "x", "perception": None, "suppressed": True}]}]
    out = merge_views(summary, views)
    assert out["departments"] == [
        {"department": "A", "area": "x", "perception": 61.0, "favourable": 75.0, "n": 4, "suppressed": False},
        {"department": "B", "area": "x", "perception": 70.0, "favourable": 80.0, "n": 9, "suppressed": False}]
    assert out["coverage"] == [{"department": "A", "level": "m", "suppressed": False}]
    assert out["levels"] == [] and summary["departments"][0]["suppressed"]  # the input is not modified
    assert summary["departments"][1]["favourable"] is None


def _deck_text(story, tmp_path) -> tuple[list[str], list[str]]:
    """Every slide's HTML (charts' image bytes dropped) and every PPTX text frame and note."""
    import re

    from pptx import Presentation

    from toolkit.pptx import build_pptx
    from toolkit.slides.deck import deck_slides

    html = [re.sub(r'data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+', "data:image", s.html) for s in deck_slides(story)]
    path = build_pptx(story, tmp_path / "deck.pptx")
    texts = []
    for slide in Presentation(str(path)).slides:
        texts += [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        texts += [" | ".join(c.text for c in row.cells) for sh in slide.shapes if sh.has_table
                  for row in sh.table.rows]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return html, texts


def test_the_deck_draws_only_on_the_audited_assessment_not_on_raw_ratings(tmp_path):
    """By construction: once protected, scrambling every raw rating changes no word or number of the deck.

    Every figure of the HTML and PPTX decks then comes from the protected
    assessment (whose figures ``summary.json`` records and the final audit
    checks); a renderer that computed a figure from ``story.client.ratings``
    would change here.
    """
    from dataclasses import replace

    import numpy as np

    from toolkit.story import build_story

    story = build_story(ROOT / "client_data" / "harbor-concierge")
    before = _deck_text(story, tmp_path)
    ratings = story.client.ratings.copy()
    rng = np.random.default_rng(0)
    assert "rating" in ratings.columns
    ratings["rating"] = np.where(rng.random(len(ratings)) < 0.5, 1.0, 5.0)  # none of the real answers any more
    scrambled = replace(story, client=replace(story.client, ratings=ratings))
    (tmp_path / "b").mkdir()
    assert _deck_text(scrambled, tmp_path / "b") == before
