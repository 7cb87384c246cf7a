"""Compare mode, drift and benchmark in the explorer: through the privacy engine, with the deck's rules."""
from __future__ import annotations

import re

import pytest

from conftest import CLIENT_DATA
from toolkit.explore import Explorer
from toolkit.explore.compare import compare_html, compare_views, drift_html, group_filters, group_options
from toolkit.metrics import assess
from toolkit.privacy import protect

NORTHWIND = "northwind-logistics"


@pytest.fixture(scope="module")
def ex(tmp_path_factory):
    ex = Explorer(CLIENT_DATA, client=NORTHWIND, reports_dir=tmp_path_factory.mktemp("r"), prefetch=False)
    ex.view_tabs.selected_index = [t for t, _ in __import__("toolkit.explore.widgets", fromlist=["VIEW_TABS"])
                                   .VIEW_TABS].index("compare")
    return ex


def test_group_options_cover_departments_and_levels(ex):
    keys = [k for _, k in group_options(ex.client)]
    assert "department:Linehaul" in keys and "level:manager" in keys
    assert group_filters("level:manager").level == "manager" and group_filters("department:Finance").department == "Finance"


def test_two_groups_side_by_side_match_their_own_views(ex):
    ex.compare_a.value, ex.compare_b.value = "department:Linehaul", "level:manager"
    a, b = compare_views(ex.engine, ex.client, "department:Linehaul", "level:manager")
    assert a.assessment.areas.loc["customer_experience", "alignment"] == \
        ex.engine.view(ex.client, group_filters("department:Linehaul")).assessment.areas.loc["customer_experience", "alignment"]
    page = ex.compare_panel.value
    ca = f'{a.assessment.areas.loc["customer_experience", "alignment"]:.1f}'
    cb = f'{b.assessment.areas.loc["customer_experience", "alignment"]:.1f}'
    diff = float(cb) - float(ca)
    assert ca in page and cb in page and "department Linehaul" in page and "level manager" in page
    assert f"{b.assessment.areas.loc['customer_experience', 'alignment'] - a.assessment.areas.loc['customer_experience', 'alignment']:.1f}" in page
    assert abs(diff) < 100


def test_a_suppressed_side_shows_no_number_and_no_difference(ex):
    a, b = compare_views(ex.engine, ex.client, "department:Linehaul", "department:Customs Brokerage")
    assert b.hidden
    page = compare_html(a, b)
    rows = re.findall(r"<tr><td>[^<]*</td><td>(\w+)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page)
    assert len(rows) == 12 and all(r[2] == "suppressed" and r[3] == "suppressed" for r in rows)
    assert "Customs Brokerage: suppressed" in page.replace("department ", "")


def test_drift_uses_the_decks_rule(ex):
    folder = CLIENT_DATA / NORTHWIND
    previous = ex.engine.load(folder, "2025-h1")
    full = protect(assess(ex.client, previous=previous, seed=ex.engine.seed), ex.client.config.privacy)
    page = ex.drift_panel.value
    assert "Drift since 2025-h1" in page
    d = full.drift
    assert page.count(">changed<") == int(d["significant"].sum())
    assert page.count(">no clear change<") == int((~d["significant"].astype(bool)).sum())
    assert "Benchmark" in page


def test_no_earlier_wave_is_not_applicable():
    assert "not applicable" in drift_html(None)
