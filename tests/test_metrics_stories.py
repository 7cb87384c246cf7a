"""The demo clients' planted stories (client_data/README.md) come out of the metrics."""
from __future__ import annotations

import pytest

from conftest import CLIENT_DATA
from toolkit import intake
from toolkit.metrics import assess
from toolkit.privacy import protect

assert (CLIENT_DATA / "swiftmart").exists(), "the committed demo clients are missing from client_data/"


@pytest.fixture(scope="module")
def swiftmart():
    return assess(intake.load_client(CLIENT_DATA / "swiftmart"), n_boot=300)


@pytest.fixture(scope="module")
def harbor():
    return assess(intake.load_client(CLIENT_DATA / "harbor-concierge"), n_boot=300)


@pytest.fixture(scope="module")
def northwind():
    folder = CLIENT_DATA / "northwind-logistics"
    client = intake.load_client(folder)
    return client, assess(client, previous=intake.load_client(folder, wave="2025-h1"), n_boot=500)


def test_swiftmart_leadership_blind_spot(swiftmart):
    gaps = swiftmart.perception_gaps.set_index(["area", "group_a", "group_b"])
    ms = gaps.loc[("management_style", "executive", "frontline")]
    assert ms["gap"] == pytest.approx(30.6, abs=0.1) and ms["flagged"] and ms["p_value"] < 1e-4
    assert ms["n_a"] == 8 and ms["n_b"] == 28
    frontline = swiftmart.perception_gaps[swiftmart.perception_gaps["group_b"] == "frontline"]
    assert frontline.loc[frontline["flagged"], "area"].tolist() == ["management_style"]          # no other area has a 10-point exec-frontline gap
    assert swiftmart.areas["consistency"].idxmax() == "proven_processes"
    assert swiftmart.areas.loc["proven_processes", "consistency"] == pytest.approx(82.2, abs=0.1)


def test_harbor_customer_experience_is_inconsistent_across_regions(harbor):
    assert harbor.areas["between_dept_sd"].idxmax() == "customer_experience"
    assert harbor.areas.loc["customer_experience", "perception"] == pytest.approx(67.2, abs=0.1)
    cx = harbor.departments[harbor.departments["area"] == "customer_experience"].set_index("department")
    assert cx["perception"].idxmin() == "Dubai Desk" and cx.loc["Dubai Desk", "perception"] == pytest.approx(46.9, abs=0.1)
    # method v2: no desk has 10 respondents, so department consistency is "too few to judge agreement"
    assert cx["consistency"].isna().all() and (cx["consistency_note"] == "too few to judge agreement").all()
    units = harbor.between_units.set_index("area").loc["customer_experience"]
    assert units["departments_differ"] and units["icc_p_value"] < 0.05
    assert units["outlier"] == "Dubai Desk" and units["outlier_gap"] <= -10 and units["outlier_hi"] < 0
    assert harbor.areas["perception"].idxmax() == "unique_capabilities"
    assert harbor.areas.loc["unique_capabilities", "perception"] == pytest.approx(83.1, abs=0.1)
    assert "management_style" not in set(harbor.kpis["area"])
    assert harbor.areas["evidence"].isna().tolist() == [False, True, False, False]


def test_northwind_processes_improved_significantly(northwind):
    _, result = northwind
    d = result.drift.set_index(["area", "metric"])
    pp = d.loc[("proven_processes", "perception")]
    assert pp["previous"] == pytest.approx(50.7, abs=0.1) and pp["current"] == pytest.approx(75.7, abs=0.1)
    assert d.loc[("proven_processes", "alignment"), "significant"] and d.loc[("proven_processes", "alignment"), "lo"] > 0
    assert d.loc[("proven_processes", "consistency"), "significant"]
    assert not d.loc[("customer_experience", "perception"), "significant"]
    uc = d.loc[("unique_capabilities", "perception")]
    assert uc["difference"] < 0 and uc["significant"]          # the secondary story: differentiation slips


def test_northwind_small_department_suppressed(northwind):
    client, result = northwind
    safe = protect(result, client.config.privacy)
    for _area, part in safe.departments.groupby("area"):
        rows = part.set_index("department")
        assert rows.loc["Customs Brokerage", "suppressed"] and rows.loc["Customs Brokerage", "n"] == 2
        assert rows.loc["Customs Brokerage", "perception"] != rows.loc["Customs Brokerage", "perception"]  # NaN
        assert rows.loc["Finance", "suppressed"]             # next-smallest sibling (5)
        assert rows["suppressed"].sum() == 2
    assert not safe.areas["suppressed"].any()
    cov = safe.coverage[safe.coverage["department"] == "Customs Brokerage"]
    assert cov["suppressed"].all() and cov["n"].isna().all()
