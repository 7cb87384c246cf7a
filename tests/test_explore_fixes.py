"""Explorer fixes from a consultant's workshop preparation: honest intervals, a cleared scorecard,
explained numbers, "not applicable" apart from "suppressed", stamped exports, a download link,
and a notebook that stays clean in git.
"""
from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from datetime import UTC, datetime

import nbformat
import pytest
from PIL import Image

from conftest import CLIENT_DATA, ROOT
from toolkit.explore import ExploreEngine, Explorer, Filters
from toolkit.explore.export import export_stamp
from toolkit.explore.figures import CHARTS, render_png
from toolkit.explore.lab import scrub_on_save
from toolkit.explore.panels import LEGEND, area_html, scorecard_html, with_interval
from toolkit.model import AREAS

NORTHWIND = "northwind-logistics"
INTERVAL = re.compile(r"(\d+\.\d) \[(\d+\.\d)–(\d+\.\d)\]")


@pytest.fixture(scope="module")
def engine():
    return ExploreEngine()


@pytest.fixture(scope="module")
def northwind_h1(engine):
    return engine.load(CLIENT_DATA / NORTHWIND, "2025-h1")


@pytest.fixture(scope="module")
def ex(tmp_path_factory):
    return Explorer(CLIENT_DATA, client=NORTHWIND, reports_dir=tmp_path_factory.mktemp("reports"), prefetch=False)


def test_interval_display_never_excludes_its_estimate():
    assert with_interval(40.0, 42.1, 70.7) == "40.0 [40.0–70.7]"
    assert with_interval(75.0, 60.0, 70.0) == "75.0 [60.0–75.0]"
    assert with_interval(50.0, 45.0, 55.0) == "50.0 [45.0–55.0]"


@pytest.mark.parametrize("filters", [Filters(department="Finance"), Filters(level="manager")])
def test_every_shown_interval_contains_its_value(engine, northwind_h1, filters):
    """The reported cases: northwind 2025-h1 Finance ("40.0 [42.1–70.7]") and managers ("29.8 [30.2–48.6]")."""
    view = engine.view(northwind_h1, filters)
    raw = view.assessment.areas
    excluded = [(a, c) for a in AREAS for c in ("consistency", "perception", "alignment")
                if raw.loc[a, f"{c}_lo"] > raw.loc[a, c] or raw.loc[a, f"{c}_hi"] < raw.loc[a, c]]
    pages = [scorecard_html(view)] + [area_html(view, a) for a in AREAS]
    found = [m for page in pages for m in INTERVAL.findall(page)]
    assert found
    for value, lo, hi in found:
        assert float(lo) <= float(value) <= float(hi), (value, lo, hi)
    print("raw intervals excluding their estimate:", excluded)


def test_principal_gap_is_shown_at_the_clients_own_weights(ex):
    assert ex.view.weights == ex.baseline.weights
    assert re.search(r"Principal gap: <b>[A-Z][a-z]+ [A-Z][a-z]+</b>", ex.scorecard.value)


def test_every_number_is_explained(ex):
    page = ex.scorecard.value
    for term in ("OAI", "Perception", "Consistency", "Evidence", "Cronbach's α", "Within-department consistency",
                 "—", "suppressed", "not applicable", "Principal gap"):
        assert f"<b>{term.replace(chr(39), '&#x27;')}</b>: " in page, term
    assert "docs/method.md" in page
    assert 'title="' + LEGEND["Consistency"][:20] in page      # tooltips on the headings
    ex.area_tabs.selected_index = 1
    try:
        assert "What the numbers mean" in ex.area_panels[1].value
    finally:
        ex.area_tabs.selected_index = 0


def test_sliders_share_one_layout_and_show_their_share(ex):
    sliders = [*ex.area_sliders.values(), *ex.component_sliders.values()]
    assert {s.layout.width for s in sliders} == {"360px"}
    assert {s.style.description_width for s in sliders} == {"170px"}
    assert not any(s.readout for s in sliders)
    raw = {a: s.value for a, s in ex.area_sliders.items()}
    total = sum(raw.values())
    for a, v in raw.items():
        assert ex.shares[a].value == f"{100 * v / total:.0f} %"
    assert "renormalised" in ex.widget.children[2].children[0].children[0].value


def test_level_view_gap_is_not_applicable_not_suppressed(ex):
    ex.level_picker.value = "manager"
    try:
        fig = CHARTS["perception_gap"](ex.view, None)
        texts = " ".join(t.get_text() for t in fig.texts)
        assert "Not applicable" in texts and "suppressed" not in texts.replace("Nothing is suppressed", "")
    finally:
        ex.level_picker.value = ""


def test_department_view_spread_is_not_applicable(ex):
    ex.department_picker.value = "Linehaul"
    try:
        page = area_html(ex.view, "customer_experience")
        assert re.search(r"Within-department consistency</td><td><b>not applicable", page)
    finally:
        ex.department_picker.value = ""


def test_suppressed_view_has_no_interval_note(ex):
    ex.department_picker.value = "Customs Brokerage"
    try:
        assert ex.view.hidden and "OAI: suppressed" in ex.scorecard.value
        assert "intervals from" not in ex.scorecard.value
    finally:
        ex.department_picker.value = ""


def test_client_picker_shows_names():
    ex = Explorer(CLIENT_DATA, client=NORTHWIND, prefetch=False)
    labels = dict((v, k) for k, v in ex.client_picker.options)
    assert labels[NORTHWIND] == f"{ex.client.config.name} ({NORTHWIND})"
    assert ex.client.config.name not in (NORTHWIND, "")


def test_export_stamps_pngs_and_offers_a_download(ex, tmp_path):
    ex.reports_dir = tmp_path
    before = render_png(ex.figure("scorecard"))
    ex.area_sliders["proven_processes"].value = 0.9
    try:
        ex.export_button.click()
        folder = ex.last_export
        scenario = json.loads((folder / "scenario.json").read_text(encoding="utf-8"))
        stamp = scenario["stamp"]
        assert ex.client.config.name in stamp and "wave 2026-h1" in stamp and "WHAT-IF" in stamp
        assert re.search(r"exported \d{4}-\d{2}-\d{2}", stamp)
        for name in CHARTS:
            png = Image.open(folder / f"{name}.png")
            fig = ex.figure(name)
            assert png.height > fig.get_figheight() * 150  # the stamp's strip is added at the bottom
        link = ex.download.value
        assert 'download="' in link and "data:application/zip;base64," in link
        data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", link).group(1))
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert f"{folder.name}/scenario.json" in names and f"{folder.name}/scorecard.png" in names
        assert str(tmp_path) not in link                  # no server path in the page
    finally:
        ex.reset_weights()
    assert render_png(ex.figure("scorecard")) == before or ex.figure("scorecard").texts == []


def test_stamp_says_client_weights_when_not_what_if(ex):
    stamp = export_stamp(ex.baseline, ex.baseline, datetime(2026, 11, 30, 9, 5, tzinfo=UTC))
    assert stamp.endswith("client's own weights") and "2026-11-30 09:05 UTC" in stamp


def test_save_hook_keeps_the_shipped_notebook_bytes():
    path = ROOT / "notebooks" / "explore.ipynb"
    shipped = path.read_text(encoding="utf-8")
    nb = nbformat.reads(shipped, as_version=4)
    used = json.loads(nbformat.writes(nb))
    for cell in used["cells"]:
        if cell["cell_type"] == "code":
            cell["execution_count"] = 3
            cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                "data": {"application/vnd.jupyter.widget-view+json":
                                         {"model_id": "abc", "version_major": 2, "version_minor": 0},
                                         "text/plain": "VBox(...)"}}]
            cell["metadata"]["scrolled"] = True
    used["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    used["metadata"]["language_info"] = {"name": "python", "version": "3.11.2", "mimetype": "text/x-python"}
    model = {"type": "notebook", "content": used}
    scrub_on_save(model, path="notebooks/explore.ipynb")
    saved = nbformat.writes(nbformat.from_dict(model["content"])) + "\n"
    assert saved == shipped


def test_save_hook_leaves_other_notebooks_alone():
    nb = {"metadata": {}, "cells": [{"cell_type": "code", "outputs": [{"x": 1}], "execution_count": 1,
                                     "metadata": {}, "source": ""}]}
    scrub_on_save({"type": "notebook", "content": nb})
    assert nb["cells"][0]["outputs"] == [{"x": 1}]
