"""The explorer (toolkit.explore): widgets driven from Python, compared with assess + protect.

Every expected number comes from `assess` + `protect` on data filtered here by
hand (not through the explorer's own filter), so the explorer is checked
against the deck's path, not against itself.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from conftest import CLIENT_DATA, HOSTILE_NAME, HOSTILE_QUOTE, find_test_chromium, make_hostile_client
from toolkit.client_config import AreaWeights, ComponentWeights
from toolkit.explore import ExploreEngine, Explorer
from toolkit.explore import engine as engine_module
from toolkit.explore.panels import boot_note
from toolkit.explore.scenario import Filters
from toolkit.intake import load_client
from toolkit.metrics import assess
from toolkit.model import AREA_LABELS, AREAS
from toolkit.privacy import protect
from toolkit.privacy.audit import audit_reason
from toolkit.privacy.linked import client_cells
from toolkit.privacy.views import hide_cross_cells, hide_shares

NORTHWIND = "northwind-logistics"
DEMO_CLIENTS = ["harbor-concierge", NORTHWIND, "swiftmart"]


@pytest.fixture(scope="module")
def explorers(tmp_path_factory) -> dict[str, Explorer]:
    """One explorer per demo client (each test resets what it changes)."""
    reports = tmp_path_factory.mktemp("reports")
    return {c: Explorer(CLIENT_DATA, client=c, reports_dir=reports, prefetch=False) for c in DEMO_CLIENTS}


@pytest.fixture
def nw(explorers) -> Iterator[Explorer]:
    ex = explorers[NORTHWIND]
    yield ex
    ex.department_picker.value = ""
    ex.level_picker.value = ""
    ex.area_tabs.selected_index = 0
    ex.view_tabs.selected_index = 0
    ex.reset_weights()


def expected(client_id: str, *, department: str | None = None, level: str | None = None,
             area_weights: dict | None = None, component_weights: dict | None = None, n_boot: int = 1000):
    """assess + protect on the client's data filtered by hand, with optional what-if weights."""
    client = load_client(CLIENT_DATA / client_id)
    r, ops, ex = client.ratings, client.operations, client.excerpts
    if department is not None:
        r = r[r["department"] == department]
        ops = ops[ops["department"] == department]
    if level is not None:
        r = r[r["level"] == level]
    ex = ex[ex["respondent_id"].isin(set(r["respondent_id"]))]
    update: dict[str, AreaWeights | ComponentWeights] = {}
    if area_weights:
        update["area_weights"] = AreaWeights(**area_weights)
    if component_weights:
        update["component_weights"] = ComponentWeights(**component_weights)
    config = client.config.model_copy(update=update)
    sub = replace(client, config=config, ratings=r.reset_index(drop=True), operations=ops.reset_index(drop=True),
                  excerpts=ex.reset_index(drop=True))
    filtered = department is not None or level is not None  # the full client's audit covers filtered views
    out = protect(assess(sub, n_boot=n_boot), config.privacy, cells=None if filtered else client_cells(sub),
                  linked_audit=not filtered)
    if (department is None) != (level is None):  # a one-filter view hides what the full coverage hides
        full = protect(assess(client, n_boot=n_boot), client.config.privacy, cells=client_cells(client))
        out = hide_shares(hide_cross_cells(out, full, Filters(department=department, level=level)), full,
                          Filters(department=department, level=level))
    return out


def assert_same_scores(view, want) -> None:
    got = view.assessment
    cols = ["weight", "n", "perception", "perception_lo", "perception_hi", "consistency", "evidence",
            "alignment", "alignment_lo", "alignment_hi", "suppressed"]
    pd.testing.assert_frame_equal(got.areas[cols], want.areas[cols], check_exact=False, rtol=1e-12)
    assert list(got.areas["band"]) == list(want.areas["band"])
    for key in ("value", "lo", "hi"):
        a, b = got.oai[key], want.oai[key]
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)
    assert got.oai["band"] == want.oai["band"] and got.principal_gap == want.principal_gap
    pd.testing.assert_frame_equal(got.departments.reset_index(drop=True), want.departments.reset_index(drop=True))


@pytest.mark.parametrize("client_id", DEMO_CLIENTS)
def test_opening_view_is_the_decks_assess_plus_protect(explorers, client_id):
    ex = explorers[client_id]
    assert ex.view.assessment.protected
    assert_same_scores(ex.view, expected(client_id))
    # the live scorecard shows the OAI with its interval, one decimal
    oai = ex.view.assessment.oai
    assert f"OAI {oai['value']:.1f} [{oai['lo']:.1f}–{oai['hi']:.1f}]" in ex.scorecard.value


@pytest.mark.parametrize("client_id, department, level", [
    (NORTHWIND, "Linehaul", None),           # 10 respondents: shown
    ("swiftmart", None, "frontline"),
    ("harbor-concierge", "London Desk", None),
    ("swiftmart", "Stores North", None),
    (NORTHWIND, None, "frontline"),          # its department x level cells are hidden by the linked-table audit
])
def test_filters_score_the_filtered_data_with_the_same_functions(explorers, client_id, department, level):
    ex = explorers[client_id]
    try:
        ex.department_picker.value = department or ""
        ex.level_picker.value = level or ""
        assert not ex.view.hidden
        assert_same_scores(ex.view, expected(client_id, department=department, level=level))
        people = load_client(CLIENT_DATA / client_id).respondents
        if department:
            people = people[people["department"] == department]
        if level:
            people = people[people["level"] == level]
        assert ex.view.assessment.oai["n"] == len(people)
    finally:
        ex.department_picker.value = ""
        ex.level_picker.value = ""


@pytest.mark.parametrize("department, level, reason", [
    # Customs Brokerage has 2 respondents (< min_group_size 3): primary suppression.
    ("Customs Brokerage", "", "fewer than 3 respondents"),
    # Finance (5) is the smallest shown sibling of Customs Brokerage in the deck's department
    # breakdown, so it is hidden too (secondary suppression); the explorer must not show it either.
    ("Finance", "", "secondary suppression"),
    # Linehaul has 10 respondents but only 2 managers: the department x level cell is hidden.
    ("Linehaul", "manager", "fewer than 3 respondents"),
])
def test_department_filter_isolating_a_small_group_shows_suppressed(nw, department, level, reason):
    nw.department_picker.value = department
    nw.level_picker.value = level
    view = nw.view
    assert view.hidden and reason in view.reason
    assert math.isnan(view.assessment.oai["value"])
    assert view.assessment.areas["alignment"].isna().all()
    assert view.assessment.areas["suppressed"].all()
    html = nw.scorecard.value
    assert "OAI: suppressed" in html and html.count(">suppressed<") >= 4
    assert "respondents</div>" not in html  # no head count either
    ax = nw.figure("scorecard").axes[0]
    assert len(ax.patches) == 0                                          # no bar
    assert [t.get_text() for t in ax.texts if t.get_gid() == "suppressed"] == ["suppressed"] * 4
    assert not [t for t in ax.texts if t.get_gid() == "value"]          # no number drawn
    # quotes are withheld too
    nw.view_tabs.selected_index = 4
    assert "Quotes suppressed" in nw.quotes_panel.value


def test_what_if_strategic_weights_change_the_oai_as_the_formula_says(nw):
    base = nw.view.assessment
    alignment = base.areas["alignment"].to_dict()
    w = {"customer_experience": 0.1, "management_style": 0.2, "unique_capabilities": 0.3, "proven_processes": 0.9}
    for area, value in w.items():
        nw.area_sliders[area].value = value
    got = nw.view.assessment
    # OAI = sum w_a A_a / sum w_a with A_a unchanged by strategic weights
    by_hand = sum(w[a] * alignment[a] for a in AREAS) / sum(w.values())
    assert got.oai["value"] == pytest.approx(by_hand, rel=1e-12)
    assert got.areas["alignment"].to_dict() == pytest.approx(alignment)
    assert got.areas["weight"].to_dict() == pytest.approx({a: w[a] / 1.5 for a in AREAS})
    # ... and equals assess + protect with these weights in client.yaml, intervals included
    assert_same_scores(nw.view, expected(NORTHWIND, area_weights=w))
    assert "What-if weights" in nw.scorecard.value
    # only one area weighted: the OAI is that area's alignment
    for area in AREAS:
        nw.area_sliders[area].value = 1.0 if area == "management_style" else 0.0
    assert nw.view.assessment.oai["value"] == pytest.approx(alignment["management_style"])


def test_what_if_component_weights_recombine_p_c_e(nw):
    base = nw.view.assessment.areas
    nw.component_sliders["perception"].value = 1.0
    nw.component_sliders["consistency"].value = 0.0
    nw.component_sliders["evidence"].value = 0.0
    got = nw.view.assessment.areas
    # with weight on perception only, A_a = P_a (a weighted mean of one component)
    assert got["alignment"].to_dict() == pytest.approx(base["perception"].to_dict())
    cw = {"perception": 0.2, "consistency": 0.3, "evidence": 0.5}
    for c, v in cw.items():
        nw.component_sliders[c].value = v
    a = nw.view.assessment.areas.loc["proven_processes"]
    p, c, e = (base.loc["proven_processes", k] for k in ("perception", "consistency", "evidence"))
    assert a["alignment"] == pytest.approx((0.2 * p + 0.3 * c + 0.5 * e) / 1.0)
    assert_same_scores(nw.view, expected(NORTHWIND, component_weights=cw))


def test_weight_moves_reuse_the_bootstrap(nw, monkeypatch):
    calls = []
    real = engine_module.score_wave
    monkeypatch.setattr(engine_module, "score_wave", lambda *a, **k: calls.append(1) or real(*a, **k))
    for value in (0.5, 0.6, 0.7):
        nw.area_sliders["customer_experience"].value = value
    nw.component_sliders["evidence"].value = 0.4
    assert calls == []
    nw.department_picker.value = "Warehousing"      # a new filter is scored once ...
    nw.department_picker.value = ""
    nw.department_picker.value = "Warehousing"      # ... and then cached
    assert len(calls) == 1


def test_all_zero_component_weights_clear_the_scorecard_and_say_why(nw):
    nw.component_sliders["perception"].value = 0.0
    nw.component_sliders["consistency"].value = 0.0
    before = nw.view                                   # evidence alone still weighs
    assert "OAI" in nw.scorecard.value and nw.shares["evidence"].value == "100 %"
    nw.component_sliders["evidence"].value = 0.0
    assert nw.view is before                           # nothing rescored ...
    assert "every component weight is 0" in nw.status.value
    assert "No scores" in nw.scorecard.value and "OAI" not in nw.scorecard.value  # ... and nothing stale shown
    assert not re.search(r"\d+\.\d", nw.scorecard.value)


def test_all_zero_strategic_weights_clear_the_scorecard_until_one_returns(nw, tmp_path):
    for s in nw.area_sliders.values():
        s.value = 0.0
    assert "every strategic weight is 0" in nw.scorecard.value
    assert not re.search(r"\d+\.\d", nw.scorecard.value) and "aligned" not in nw.scorecard.value
    assert all(nw.shares[a].value == "—" for a in nw.area_sliders)
    assert all(img.value == b"" for img in nw.images.values())
    nw.reports_dir = tmp_path
    nw.export_button.click()                           # nothing to export while cleared
    assert not list(tmp_path.rglob("*.png")) and "Nothing to export" in nw.status.value
    nw.area_sliders["customer_experience"].value = 0.5
    assert "OAI" in nw.scorecard.value and nw.shares["customer_experience"].value == "100 %"
    assert "Principal gap: <b>" in nw.scorecard.value


def test_export_writes_pngs_and_the_scenario_atomically(nw, tmp_path):
    nw.reports_dir = tmp_path
    nw.department_picker.value = "Linehaul"
    nw.area_sliders["proven_processes"].value = 0.8
    nw.export_button.click()
    folder = nw.last_export
    assert folder.parent == tmp_path / NORTHWIND / "2026-h1" and folder.name.startswith("explore-")
    assert sorted(p.name for p in folder.iterdir()) == [
        "heatmap.png", "kpi_attainment.png", "perception_gap.png", "scenario.json", "scorecard.png", "view.html",
        *(["view.pdf"] if find_test_chromium() else [])]  # the PDF of the shared page needs Chromium
    if find_test_chromium():
        assert (folder / "view.pdf").read_bytes()[:5] == b"%PDF-"
    for png in folder.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    scenario = json.loads((folder / "scenario.json").read_text(encoding="utf-8"))
    assert scenario["filters"] == {"department": "Linehaul", "level": None}
    assert scenario["weights"]["area_weights"]["proven_processes"] == 0.8
    assert scenario["client_weights"]["area_weights"]["proven_processes"] == 0.45  # client.yaml
    assert scenario["oai"]["value"] == pytest.approx(nw.view.assessment.oai["value"])
    pp = next(a for a in scenario["areas"] if a["area"] == "proven_processes")
    assert pp["alignment"] == pytest.approx(nw.view.assessment.areas.loc["proven_processes", "alignment"])
    assert [p.name for p in (tmp_path / NORTHWIND / "2026-h1").iterdir()] == [folder.name]  # no temp left
    # a suppressed selection exports null, never the value
    nw.department_picker.value = "Customs Brokerage"
    scenario = json.loads((nw.export() / "scenario.json").read_text(encoding="utf-8"))
    assert scenario["suppressed"] and scenario["oai"]["value"] is None
    assert all(a["alignment"] is None and a["suppressed"] for a in scenario["areas"])


def test_failed_export_leaves_nothing(nw, tmp_path, monkeypatch):
    import toolkit.explore.figures as figures

    nw.reports_dir = tmp_path
    monkeypatch.setattr(figures, "render_png", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")))
    nw.export_button.click()
    assert "Export failed" in nw.status.value and "disk full" in nw.status.value
    assert list((tmp_path / NORTHWIND / "2026-h1").iterdir()) == []


def test_charts_show_the_view(nw):
    ax = nw.figure("scorecard").axes[0]
    areas = nw.view.assessment.areas
    assert [t.get_text() for t in ax.get_yticklabels()] == [AREA_LABELS[a] for a in AREAS]
    assert [p.get_width() for p in ax.patches] == pytest.approx(list(areas["alignment"]))
    # heatmap: the deck's suppression (Customs Brokerage and its secondary, Finance) reads "suppressed"
    # (the favourable audit blanks shares only, never a perception cell)
    heat = nw.figure("heatmap").axes[0]
    assert [t.get_text() for t in heat.texts].count("suppressed") == 8  # 2 departments x 4 areas
    assert len([p for p in heat.patches if p.get_gid() == "suppressed"]) == 8
    assert "Customs Brokerage" in [t.get_text() for t in heat.get_yticklabels()]
    # area focus: the KPI and gap charts show that area only
    nw.area_tabs.selected_index = 1 + AREAS.index("proven_processes")
    kpis = nw.view.assessment.kpis
    names = set(kpis.loc[kpis["area"] == "proven_processes", "name"])
    ticks = {t.get_text().replace("\n", " ") for t in nw.figure("kpi_attainment").axes[0].get_xticklabels()}
    assert ticks == names
    gap_ax = nw.figure("perception_gap").axes[0]
    assert "Proven Processes" in gap_ax.get_title(loc="left")
    gaps = nw.view.assessment.perception_gaps
    shown = gaps[(gaps["area"] == "proven_processes") & ~gaps["suppressed"]]
    assert sorted(p.get_width() for p in gap_ax.patches) == pytest.approx(sorted(shown["gap"]))
    assert "Proven Processes" in nw.area_panels[1 + AREAS.index("proven_processes")].value


def test_only_the_visible_chart_is_redrawn(nw):
    nw.view_tabs.selected_index = 0
    nw.figure("heatmap")
    heat_before = nw.figures["heatmap"]
    nw.department_picker.value = "Linehaul"
    assert nw.figures["heatmap"] is heat_before and "heatmap" in nw._stale
    nw.view_tabs.selected_index = 1
    assert nw.figures["heatmap"] is not heat_before and "heatmap" not in nw._stale


def test_quotes_filter_by_area_theme_sentiment(nw):
    nw.view_tabs.selected_index = 4
    nw.area_tabs.selected_index = 1 + AREAS.index("customer_experience")
    quotes = nw.engine.quotes(nw.view)
    cx = quotes[quotes["area"] == "customer_experience"]
    assert nw.quotes_panel.value.count("<li>") == len(cx) > 0
    nw.sentiment_picker.value = "negative"
    n_neg = int((cx["sentiment"] <= -0.05).sum())
    assert nw.quotes_panel.value.count("<li>") == n_neg
    assert nw.quotes_panel.value.count("· negative</span>") == n_neg
    nw.sentiment_picker.value = "all"
    theme = nw.theme_picker.options[1][1]
    nw.theme_picker.value = theme
    assert nw.quotes_panel.value.count("<li>") == int((cx["theme"] == theme).sum())
    ids = load_client(CLIENT_DATA / NORTHWIND).respondents["respondent_id"]
    assert not [i for i in ids if i in nw.quotes_panel.value]       # attributed by level only


def test_wave_and_client_pickers(nw, explorers):
    nw.department_picker.value = "Linehaul"
    nw.wave_picker.value = "2025-h1"
    try:
        assert nw.view.assessment.wave == "2025-h1" and nw.department_picker.value == ""
        client = load_client(CLIENT_DATA / NORTHWIND, wave="2025-h1")
        want = protect(assess(client), client.config.privacy)
        assert nw.view.assessment.oai["value"] == pytest.approx(want.oai["value"])
    finally:
        nw.wave_picker.value = ""
    assert nw.view.assessment.wave == "2026-h1"
    nw.client_picker.value = "swiftmart"
    try:
        cfg = load_client(CLIENT_DATA / "swiftmart").config
        assert {a: s.value for a, s in nw.area_sliders.items()} == cfg.area_weights.as_dict()
        assert nw.view.assessment.client_id == "swiftmart"
        assert "Customs Brokerage" not in [o[0] for o in nw.department_picker.options]
    finally:
        nw.client_picker.value = NORTHWIND


def test_client_text_is_escaped(tmp_path):
    make_hostile_client(tmp_path)
    ex = Explorer(tmp_path, reports_dir=tmp_path / "reports", prefetch=False)
    assert HOSTILE_NAME not in ex.scorecard.value and "Acme &lt;img src=x onerror=alert(1)&gt; &amp; Sons" in ex.scorecard.value
    ex.view_tabs.selected_index = 4
    assert "<script>" not in ex.quotes_panel.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ex.quotes_panel.value  # the quote is shown, escaped
    assert HOSTILE_QUOTE.split(":")[0] in ex.quotes_panel.value


def test_large_clients_use_a_smaller_bootstrap_and_say_so(explorers):
    client = load_client(CLIENT_DATA / "swiftmart")
    many = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(5001)], "department": "x", "level": "frontline",
                         "question_id": "q", "rating": 3.0})
    engine = ExploreEngine()
    assert engine.n_boot_for(client) == 1000
    assert engine.n_boot_for(replace(client, ratings=many)) == 200
    view = replace(explorers["swiftmart"].view, n_boot=200)
    assert "200 bootstrap resamples while exploring" in boot_note(view)
    assert np.isfinite(explorers["swiftmart"].view.assessment.oai["lo"])


def test_background_prefetch_scores_every_department_and_level(tmp_path, monkeypatch):
    ex = Explorer(CLIENT_DATA, client=NORTHWIND, reports_dir=tmp_path)
    ex.prefetcher.join(timeout=60)
    assert not ex.prefetcher.is_alive()
    calls = []
    real = engine_module.score_wave
    monkeypatch.setattr(engine_module, "score_wave", lambda *a, **k: calls.append(1) or real(*a, **k))
    # 6 departments + 3 levels were scored in the background: a first click scores nothing
    for dept in ["Customer Service", "Customs Brokerage", "Finance", "Fleet Maintenance", "Linehaul", "Warehousing"]:
        ex.department_picker.value = dept
    ex.department_picker.value = ""
    for level in ["executive", "manager", "frontline"]:
        ex.level_picker.value = level
    assert calls == []
    assert ex.view.filters.level == "frontline" and not ex.view.hidden


def test_a_client_with_bad_data_does_not_stop_the_explorer(tmp_path):
    import shutil

    bad = tmp_path / "aaa-broken"
    bad.mkdir()
    (bad / "client.yaml").write_text("name: <b>Broken</b>\n", encoding="utf-8")   # no wave, strategy, ...
    shutil.copytree(CLIENT_DATA / "swiftmart", tmp_path / "swiftmart")
    ex = Explorer(tmp_path, reports_dir=tmp_path / "reports", prefetch=False)
    assert ex.client_picker.value == "swiftmart" and ex.view.assessment.client_id == "swiftmart"
    ex.client_picker.value = "aaa-broken"                     # picking it shows its problems, keeps the view
    assert "client.yaml" in ex.status.value and "<b>Broken" not in ex.status.value
    assert ex.view.assessment.client_id == "swiftmart" and ex.client_picker.value == "swiftmart"
    with pytest.raises(ValueError, match="no client"):
        Explorer(tmp_path / "nowhere")


def test_notebook_is_thin_output_free_and_says_how_to_open_it():
    import nbformat

    nb = nbformat.read(CLIENT_DATA.parent / "notebooks" / "explore.ipynb", as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "make lab" in first.source
    assert ".venv/bin/jupyter lab notebooks/explore.ipynb" in first.source
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert all(len(c.source.strip().splitlines()) == 1 and "def " not in c.source for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and params[0].source.startswith('client_data = "../client_data"')
    assert code[-1].source == "explorer = Explorer.open(client_data)"   # no hard-coded path
    assert nb.metadata.kernelspec.name == "python3"


def test_notebook_client_data_is_a_papermill_parameter():
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(CLIENT_DATA.parent / "notebooks" / "explore.ipynb"))
    nb = parameterize_notebook(nb, {"client_data": "/elsewhere/client_data"})
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'client_data = "/elsewhere/client_data"' in injected[0].source
    # the injected cell follows the parameters cell and precedes the cell that opens the explorer
    at = sources.index(injected[0].source)
    assert 'client_data = "../client_data"' in sources[at - 1]
    assert sources[at + 1:] == ["explorer = Explorer.open(client_data)"]


# --- one-filter views cannot be subtracted to recover a department x level cell ------------------

# D: 1 executive, 5 managers, 5 frontline; E: 4 / 6 / 6; F: 4 / 7 / 7 (min_group_size 3).
# Full protected coverage, by hand (toolkit.privacy: smallest shown sibling, ties broken by name):
# D x executive (1) is below 3. Row D then has one hidden cell, so its smallest shown sibling is hidden
# too (manager 5 and frontline 5 tie: "frontline" < "manager"). Column executive has one hidden cell:
# its smallest shown sibling, E x executive (4; tie with F, "E" < "F"). Column frontline has one hidden
# cell (D): its smallest shown sibling, E x frontline (6 < 7). Row E now has two, column manager none:
# stop. Hidden: D x executive, D x frontline, E x executive, E x frontline.
CRAFTED = {"D": (1, 5, 5), "E": (4, 6, 6), "F": (4, 7, 7)}
HIDDEN_CELLS = {("D", "executive"), ("D", "frontline"), ("E", "executive"), ("E", "frontline")}


@pytest.fixture(scope="module")
def crafted():
    base = load_client(CLIENT_DATA / NORTHWIND)
    rated = set(base.ratings["question_id"])
    qs = base.questions.loc[base.questions["question_id"].isin(rated)]
    questions = [q for area in AREAS for q in qs.loc[qs["area"] == area, "question_id"].head(2)]  # 2 per area
    rows, i = [], 0
    for dept, counts in CRAFTED.items():
        for level, count in zip(("executive", "manager", "frontline"), counts, strict=True):
            for _ in range(count):
                i += 1
                rows += [{"respondent_id": f"P{i:03d}", "department": dept, "level": level, "question_id": q,
                          "rating": float(1 + (i + j) % 5)} for j, q in enumerate(questions)]
    ratings = pd.DataFrame(rows).astype({"respondent_id": base.ratings["respondent_id"].dtype,
                                         "department": base.ratings["department"].dtype,
                                         "level": base.ratings["level"].dtype,
                                         "question_id": base.ratings["question_id"].dtype})
    client = replace(base, ratings=ratings, excerpts=base.excerpts.iloc[0:0])
    engine = ExploreEngine(n_boot=50)
    from toolkit.explore import Filters

    views = {"full": engine.view(client, Filters())}
    views |= {f"level={lv}": engine.view(client, Filters(level=lv)) for lv in ("executive", "manager", "frontline")}
    views |= {f"department={d}": engine.view(client, Filters(department=d)) for d in CRAFTED}
    views["D x executive"] = engine.view(client, Filters(department="D", level="executive"))
    return views


def _visible_cells(views) -> dict[tuple[str, str], set[str]]:
    """Every department x level cell some view shows a value or count for, and which views."""
    seen: dict[tuple[str, str], set[str]] = {}
    for name, view in views.items():
        if view.hidden or name == "full":
            continue
        a, f = view.assessment, view.filters
        if f.level is not None:
            for _, r in a.departments.iterrows():
                if not r["suppressed"] or not math.isnan(float(r["n"])):
                    seen.setdefault((r["department"], f.level), set()).add(name)
        else:
            for _, r in a.levels.iterrows():
                if not r["suppressed"] or not math.isnan(float(r["n"])):
                    seen.setdefault((f.department, r["level"]), set()).add(name)
        for _, r in a.coverage.iterrows():
            if not r["suppressed"] or not math.isnan(float(r["n"])):
                seen.setdefault((r["department"], r["level"]), set()).add(name)
    return seen


def test_full_coverage_hides_the_cells_worked_out_by_hand(crafted):
    cov = crafted["full"].assessment.coverage
    hidden = {(d, lv) for d, lv, s in zip(cov["department"], cov["level"], cov["suppressed"], strict=True) if s}
    assert hidden == HIDDEN_CELLS
    # ... while the full view shows department D as a whole (11 respondents) in every area
    depts = crafted["full"].assessment.departments
    d = depts.loc[depts["department"] == "D"]
    assert len(d) == 4 and not d["suppressed"].any() and (d["n"] == 11).all()


def test_no_view_shows_a_cell_the_full_coverage_hides(crafted):
    visible = _visible_cells(crafted)
    leaked = {cell: views for cell, views in visible.items() if cell in HIDDEN_CELLS}
    assert leaked == {}
    # D's executive: D (11) is shown, so D x manager and D x frontline must not both be shown anywhere.
    d_shown = {lv for (dept, lv) in visible if dept == "D"}
    assert d_shown == {"manager"}
    # every shown breakdown cell is one the full coverage shows too
    assert set(visible) <= {(d, lv) for d in CRAFTED for lv in ("executive", "manager", "frontline")} - HIDDEN_CELLS


@pytest.mark.parametrize("view_name, column, cross, own", [
    # cross: cells the full coverage hides; own: also hidden by the view's own protect
    ("level=frontline", "department", {"D", "E"}, set()),   # D x frontline, E x frontline
    ("level=manager", "department", set(), set()),
    # D's own level breakdown hides executive (1) and its smallest shown sibling (manager, first of
    # the 5/5 tie in that frame): with the full coverage's frontline, none of D's levels is shown.
    ("department=D", "level", {"executive", "frontline"}, {"manager"}),
    ("department=E", "level", {"executive", "frontline"}, set()),
    ("department=F", "level", set(), set()),
])
def test_one_filter_breakdowns_follow_the_full_coverage(crafted, view_name, column, cross, own):
    view = crafted[view_name]
    assert not view.hidden
    frame = view.assessment.departments if column == "department" else view.assessment.levels
    hidden = set(frame.loc[frame["suppressed"].to_numpy(dtype=bool), column])
    assert hidden == cross | own
    rows = frame.loc[frame[column].isin(cross)]
    assert rows["perception"].isna().all() and rows["n"].isna().all()
    assert set(rows["suppressed_reason"]) <= {"fewer than 3 respondents",
                                              "hidden with a group of fewer than 3 respondents (secondary suppression)",
                                              audit_reason(3)}
    cov = view.assessment.coverage
    assert set(cov.loc[cov["suppressed"].to_numpy(dtype=bool), column]) >= cross
    assert cov.loc[cov[column].isin(cross), "n"].isna().all()


def test_executive_level_view_is_suppressed_as_in_the_full_levels(crafted):
    # The executive level (9 people) is shown in the full client's level breakdown, but its
    # department breakdown has D (1) and E (4) hidden by the coverage; F x executive (4) shows.
    view = crafted["level=executive"]
    full_levels = crafted["full"].assessment.levels
    shown_in_full = not full_levels.loc[full_levels["level"] == "executive", "suppressed"].any()
    assert view.hidden is (not shown_in_full)
    d = view.assessment.departments
    assert d.loc[d["department"].isin(["D", "E"]), "perception"].isna().all()
    assert d.loc[d["department"].isin(["D", "E"]), "n"].isna().all()


def test_level_view_spread_of_departments_uses_shown_departments_only(crafted):
    # frontline view: only F is shown per area, so the SD of department means is undefined (NaN), not
    # the SD over D, E, F (which, with F's shown mean, would pin down the hidden ones).
    areas = crafted["level=frontline"].assessment.areas
    assert areas["between_dept_sd"].isna().all() and areas["within_dept_consistency"].isna().all()
    # manager view: D, E, F all shown -> the sample SD of their perceptions
    view = crafted["level=manager"].assessment
    for area in AREAS:
        shown = view.departments.loc[view.departments["area"] == area, "perception"].to_numpy(dtype=float)
        if len(shown) >= 2 and not view.areas.loc[area, "suppressed"]:
            assert view.areas.loc[area, "between_dept_sd"] == pytest.approx(np.std(shown, ddof=1))


def test_export_never_writes_an_n_for_a_suppressed_group(crafted, tmp_path):
    from toolkit.explore import export_view

    # D x executive is one person: the whole selection is suppressed, its head count included
    view = crafted["D x executive"]
    assert view.hidden
    scenario = json.loads((export_view(view, {}, tmp_path / "a") / "scenario.json").read_text(encoding="utf-8"))
    assert scenario["suppressed"] is True
    assert scenario["oai"]["n"] is None and scenario["oai"]["value"] is None
    assert [(a["suppressed"], a["n"]) for a in scenario["areas"]] == [(True, None)] * 4
    assert '"n": 1' not in json.dumps(scenario)
    # a shown selection keeps its counts (department D: 11 respondents, every area rated by all)
    shown = json.loads((export_view(crafted["department=D"], {}, tmp_path / "b") / "scenario.json")
                       .read_text(encoding="utf-8"))
    assert shown["oai"]["n"] == 11 and [a["n"] for a in shown["areas"]] == [11] * 4


def test_scenario_drops_counts_of_suppressed_groups_even_if_the_assessment_kept_them(crafted):
    from toolkit.explore import scenario_dict

    # A protect that left the head counts in (as it once did) must still export none of them.
    view = crafted["D x executive"]
    leaky = replace(view, assessment=replace(view.assessment, oai={**view.assessment.oai, "n": 1},
                                             areas=view.assessment.areas.assign(n=1.0)))
    d = scenario_dict(leaky)
    assert d["oai"]["n"] is None and [a["n"] for a in d["areas"]] == [None] * 4
    # one suppressed area in a shown view: only that area's n goes
    shown = crafted["department=F"]
    areas = shown.assessment.areas.copy()
    areas.loc["proven_processes", "suppressed"] = True
    d = scenario_dict(replace(shown, assessment=replace(shown.assessment, areas=areas)))
    assert [a["n"] for a in d["areas"]] == [18, 18, 18, None]   # F: 4 + 7 + 7 respondents
