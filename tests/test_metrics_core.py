"""Known-answer tests of DESIGN 2.1's metrics on a tiny hand-computed client."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.client_config import AssessmentWindow, ClientConfig
from toolkit.metrics import assess
from toolkit.metrics.assessment import Assessment
from toolkit.metrics.consistency import consistency, item_rwg, rwg_from_variance
from toolkit.metrics.evidence import in_window
from toolkit.model import ClientData

QUESTIONS = pd.DataFrame({
    "question_id": ["CX1", "CX2", "MS1", "PP1", "OUT1"],
    "area": ["customer_experience", "customer_experience", "management_style", "proven_processes", "outcome"],
    "text": ["cx one", "cx two (reversed)", "ms one", "pp one", "outcome"],
    "reverse": [False, True, False, False, False],
    "outcome": [False, False, False, False, True],
})

# respondent, department, level, {question: raw rating}
TINY = [
    ("r1", "A", "executive", {"CX1": 5, "CX2": 1, "MS1": 4, "PP1": 3, "OUT1": 4}),
    ("r2", "A", "frontline", {"CX1": 4, "CX2": 2, "MS1": 4, "PP1": 3, "OUT1": 3}),
    ("r3", "B", "frontline", {"CX1": 3, "CX2": 3, "MS1": 4, "OUT1": 2}),
    ("r4", "B", "frontline", {"CX1": 4, "MS1": 4, "PP1": 5}),
]
KPIS = [
    {"id": "wait", "name": "Wait", "area": "customer_experience", "better": "lower", "target": 10},
    {"id": "csat", "name": "CSAT", "area": "customer_experience", "better": "higher", "target": 80},
    {"id": "cycle", "name": "Cycle", "area": "proven_processes", "better": "higher", "target": 5},
]
OPS = [  # kpi, department, period, value
    ("wait", "A", "2026-01", 8), ("wait", "B", "2026-01", 12), ("wait", "A", "2026-02", 10), ("wait", "B", "2026-02", 9),
    ("csat", "A", "2026-01", 80), ("csat", "B", "2026-01", 70), ("csat", "A", "2026-03", 50),
    ("cycle", "A", "2026-01", 6), ("cycle", "B", "2026-01", 4),
]


def make_client(people=TINY, ops=OPS, kpis=KPIS, questions=QUESTIONS, **config) -> ClientData:
    """Build a ClientData straight from small Python lists (no intake)."""
    ratings = pd.DataFrame([(r, d, lv, q, float(v)) for r, d, lv, answers in people for q, v in answers.items()],
                           columns=["respondent_id", "department", "level", "question_id", "rating"])
    operations = pd.DataFrame(list(ops), columns=["kpi_id", "department", "period", "value"])
    operations["value"] = operations["value"].astype(float)
    operations["period_start"] = pd.to_datetime(operations["period"])
    settings = {"name": "Tiny Co", "wave": "2026-h2", "strategy": "be fast", "customer_promise": "speed",
                "management_style": "collaborative", "kpis": kpis,
                "area_weights": {"customer_experience": 2, "management_style": 1, "unique_capabilities": 1,
                                 "proven_processes": 1},
                "assessment_window": {"end": "2026-02"}} | config
    return ClientData("tiny", Path("."), ClientConfig(**settings), questions.copy(), ratings,
                      pd.DataFrame(columns=["respondent_id", "area", "theme", "text"]), operations)


@pytest.fixture(scope="module")
def tiny() -> Assessment:
    # min_consistency_group 2: the known answers below include department consistency of 2 people
    return assess(make_client(min_consistency_group=2), n_boot=200)


@pytest.mark.parametrize("area, column, expected", [
    # CX respondent means (CX2 reversed 6-r): r1 (5+5)/2=5, r2 (4+4)/2=4, r3 (3+3)/2=3, r4 4 -> mean 4 -> P=75
    ("customer_experience", "perception", 75.0),
    # CX keyed ratings 5,5,4,4,3,3,4: five of seven are 4/5
    ("customer_experience", "favourable", 500 / 7),
    # CX1 5,4,3,4: s2=(1+0+1+0)/3=2/3 -> rwg 2/3; CX2 keyed 5,4,3: s2=1 -> rwg 1/2; C=100*(2/3+1/2)/2
    ("customer_experience", "consistency", 100 * (2 / 3 + 1 / 2) / 2),
    # E: wait 8<=10 ok, 12 no, 10 ok, 9 ok -> 75 %; csat 80>=80 ok, 70 no (March outside window) -> 50 %; E=62.5
    ("customer_experience", "evidence", 62.5),
    # A = .5*75 + .25*58.333 + .25*62.5
    ("customer_experience", "alignment", 0.5 * 75 + 0.25 * 175 / 3 + 0.25 * 62.5),
    # dept A: CX1 5,4 and CX2 5,4 -> s2=.5 -> rwg .75 each -> 75; dept B: CX1 3,4 -> .75, CX2 n=1 skipped -> 75
    ("customer_experience", "within_dept_consistency", 75.0),
    # dept P: A (5+4)/2=4.5 -> 87.5, B (3+4)/2=3.5 -> 62.5; SD (ddof 1) = 25/sqrt(2)
    ("customer_experience", "between_dept_sd", 25 / np.sqrt(2)),
    # CX complete cases r1..r3: items identical (5,4,3 twice) -> alpha = 2*(1 - 2/4) = 1
    # pairwise-complete covariances: var CX1 2/3 (4 people), var CX2 1 (3), cov 1 (r1-r3):
    # alpha = 2 * (1 - (2/3 + 1) / (2/3 + 1 + 2)) = 12/11 (above 1 is possible with pairwise data)
    ("customer_experience", "alpha", 12 / 11),
    ("management_style", "perception", 75.0),       # all 4
    ("management_style", "consistency", 100.0),     # identical ratings: s2=0 -> rwg 1
    ("management_style", "alignment", (0.5 * 75 + 0.25 * 100) / 0.75),  # no KPI: renormalised over P, C
    # PP: 3,3,5 -> mean 11/3 -> P = 100*(8/3)/4; s2 = (4/9+4/9+16/9)/2 = 4/3 -> rwg 1/3
    ("proven_processes", "perception", 200 / 3),
    ("proven_processes", "favourable", 100 / 3),
    ("proven_processes", "consistency", 100 / 3),
    ("proven_processes", "evidence", 50.0),          # cycle: 6>=5 ok, 4 no
    ("proven_processes", "alignment", 0.5 * 200 / 3 + 0.25 * 100 / 3 + 0.25 * 50),
])
def test_area_known_answers(tiny, area, column, expected):
    assert tiny.areas.loc[area, column] == pytest.approx(expected)


def test_area_without_items_or_kpis_is_absent(tiny):
    uc = tiny.areas.loc["unique_capabilities"]
    assert np.isnan(uc["perception"]) and np.isnan(uc["consistency"]) and np.isnan(uc["evidence"])
    assert np.isnan(uc["alignment"]) and uc["band"] == "" and uc["n"] == 0 and uc["n_items"] == 0


def test_oai_band_and_principal_gap(tiny):
    a = tiny.areas["alignment"]
    # weights 2:1:1:1, UC absent -> renormalised over CX (2), MS (1), PP (1)
    expected = (2 * a["customer_experience"] + a["management_style"] + a["proven_processes"]) / 4
    assert expected == pytest.approx(68.2291667, abs=1e-6)
    assert tiny.oai["value"] == pytest.approx(expected)
    assert tiny.oai["band"] == "partly aligned" and tiny.oai["n"] == 4
    # UC is not scored (weight 0); among areas below 75, w(75-A): CX .5*7.29=3.6, PP .25*20.8=5.2;
    # MS (83.3) is aligned and never the principal gap
    assert tiny.principal_gap == "proven_processes"
    assert tiny.not_scored == ["unique_capabilities"]
    assert tiny.areas["band"].tolist() == ["partly aligned", "aligned", "", "misaligned"]
    assert tiny.areas["weight"].sum() == pytest.approx(1.0)
    assert tiny.areas.loc["customer_experience", "weight"] == pytest.approx(0.5)  # 2 / (2 + 1 + 1): UC not scored
    assert tiny.areas.loc["unique_capabilities", "weight"] == 0.0


def test_contract_columns(tiny):
    assert list(tiny.areas.index) == ["customer_experience", "management_style", "unique_capabilities",
                                      "proven_processes"]
    assert tiny.areas.columns.tolist() == [
        "label", "weight", "n", "n_items", "perception", "perception_lo", "perception_hi", "favourable",
        "consistency", "consistency_lo", "consistency_hi", "within_dept_consistency", "between_dept_sd",
        "evidence", "evidence_lo", "evidence_hi", "alignment", "alignment_lo", "alignment_hi", "band",
        "alpha", "alpha_n", "alpha_lo", "alpha_hi", "alpha_warning"]
    assert tiny.items.columns.tolist() == ["question_id", "area", "text", "reverse", "points", "n", "mean", "favourable",
                                           "rwg"] + [f"share_{i}" for i in range(1, 6)]
    assert tiny.departments.columns.tolist() == ["department", "area", "n", "perception", "favourable",
                                                 "consistency", "consistency_note"]
    assert tiny.levels.columns.tolist() == ["level", "area", "n", "perception", "favourable"]
    assert tiny.perception_gaps.columns.tolist() == ["area", "group_a", "group_b", "gap", "p_value", "n_a",
                                                     "n_b", "flagged", "lo", "hi", "p_holm"]
    assert tiny.coverage.columns.tolist() == ["department", "level", "n"]
    assert tiny.kpis.columns.tolist() == ["kpi_id", "name", "area", "better", "target", "unit", "n_obs",
                                         "attainment", "mean", "cv", "n_departments", "change"]
    assert tiny.kpi_departments.columns.tolist() == ["kpi_id", "department", "n_obs", "mean", "attainment", "change"]
    assert set(tiny.oai) == {"value", "lo", "hi", "band", "n"}
    assert tiny.drift is None and tiny.benchmark is None and tiny.protected is False


def test_items_table(tiny):
    cx2 = tiny.items.set_index("question_id").loc["CX2"]
    # raw 1,2,3 -> shares 33.3 each of 1..3; keyed 5,4,3 -> mean 4, favourable 2/3, rwg 1 - 1/2
    assert cx2["n"] == 3 and cx2["mean"] == pytest.approx(4.0) and cx2["favourable"] == pytest.approx(200 / 3)
    assert cx2["rwg"] == pytest.approx(0.5)
    assert [cx2[f"share_{i}"] for i in range(1, 6)] == pytest.approx([100 / 3] * 3 + [0, 0])
    assert tiny.items.set_index("question_id").loc["OUT1", "area"] == "outcome"


def test_departments_levels_coverage(tiny):
    d = tiny.departments.set_index(["department", "area"])
    assert d.loc[("A", "customer_experience"), "perception"] == pytest.approx(87.5)
    assert d.loc[("B", "customer_experience"), "perception"] == pytest.approx(62.5)
    assert d.loc[("A", "customer_experience"), "consistency"] == pytest.approx(75.0)
    assert d.loc[("B", "proven_processes"), "n"] == 1  # only r4 rated PP in B
    lv = tiny.levels.set_index(["level", "area"])
    # executive r1: x=5 -> 100; frontline r2,r3,r4: 4,3,4 -> 11/3 -> 66.67
    assert lv.loc[("executive", "customer_experience"), "perception"] == pytest.approx(100.0)
    assert lv.loc[("frontline", "customer_experience"), "perception"] == pytest.approx(200 / 3)
    assert tiny.coverage.set_index(["department", "level"])["n"].to_dict() == {
        ("A", "executive"): 1, ("A", "frontline"): 1, ("B", "frontline"): 2}


def test_perception_gap_small_group_not_flagged(tiny):
    g = tiny.perception_gaps.set_index(["area", "group_b"]).loc[("customer_experience", "frontline")]
    assert g["gap"] == pytest.approx(100 - 200 / 3)   # 33.3 points, but n_a = 1
    assert g["n_a"] == 1 and g["n_b"] == 3 and not g["flagged"] and np.isnan(g["p_value"])


def test_kpi_tables(tiny):
    k = tiny.kpis.set_index("kpi_id")
    assert k.loc["wait", "attainment"] == pytest.approx(75.0) and k.loc["wait", "n_obs"] == 4
    assert k.loc["csat", "n_obs"] == 2  # the March row lies outside the window
    # wait department means: A (8+10)/2=9, B (12+9)/2=10.5 -> mean 9.75, SD 1.5/sqrt(2)
    assert k.loc["wait", "cv"] == pytest.approx((1.5 / np.sqrt(2)) / 9.75)
    assert k.loc["wait", "mean"] == pytest.approx(9.75) and k.loc["wait", "n_departments"] == 2
    kd = tiny.kpi_departments.set_index(["kpi_id", "department"])
    assert kd.loc[("wait", "B"), "attainment"] == pytest.approx(50.0)


def test_kpi_change_is_the_least_squares_trend_across_the_window(tiny):
    # wait: A 8 -> 10 (+2), B 12 -> 9 (-3) over January-February (one period apart). Pooled within
    # departments: sum of Sxy / sum of Sxx = (1 - 1.5) / (0.5 + 0.5) = -0.5 per period, one period spanned.
    kd = tiny.kpi_departments.set_index(["kpi_id", "department"])
    assert kd.loc[("wait", "A"), "change"] == pytest.approx(2.0)
    assert kd.loc[("wait", "B"), "change"] == pytest.approx(-3.0)
    k = tiny.kpis.set_index("kpi_id")
    assert k.loc["wait", "change"] == pytest.approx(-0.5)
    # one observation per department in the window (March lies outside): no trend, not a zero
    assert np.isnan(k.loc["csat", "change"]) and np.isnan(kd.loc[("csat", "A"), "change"])
    assert np.isnan(k.loc["cycle", "change"])


def test_default_window_uses_every_period():
    a = assess(make_client(assessment_window={}), n_boot=0)
    # csat: 80 ok, 70 no, 50 no -> 33.3 %; E_CX = (75 + 33.3) / 2
    assert a.kpis.set_index("kpi_id").loc["csat", "attainment"] == pytest.approx(100 / 3)
    assert a.areas.loc["customer_experience", "evidence"] == pytest.approx((75 + 100 / 3) / 2)


WINDOW_DAYS = ["2025-12-31", "2026-01-01", "2026-02-10", "2026-03-15", "2026-03-31", "2026-04-01"]


@pytest.mark.parametrize("window, expected", [
    ({"end": "2026-Q1"}, [1, 1, 1, 1, 1, 0]),          # a quarter end runs through 31 March
    ({"end": "Q1 2026"}, [1, 1, 1, 1, 1, 0]),          # every spelling intake accepts
    ({"end": "2026-03"}, [1, 1, 1, 1, 1, 0]),          # a month end runs through its last day
    ({"end": "Mar 2026"}, [1, 1, 1, 1, 1, 0]),
    ({"end": "Mar-26"}, [1, 1, 1, 1, 1, 0]),           # 2026, not year 1 or 26 March
    ({"end": "2026-03-15"}, [1, 1, 1, 1, 0, 0]),       # a day end includes that day
    ({"start": "Q1 2026"}, [0, 1, 1, 1, 1, 1]),
    ({"start": "2026-02", "end": "2026-02"}, [0, 0, 1, 0, 0, 0]),
    ({"start": "2026-03-31", "end": "2026-Q2"}, [0, 0, 0, 0, 1, 1]),
])
def test_window_bounds_are_whole_periods(window, expected):
    starts = pd.Series(pd.to_datetime(WINDOW_DAYS))
    assert in_window(starts, AssessmentWindow(**window)).tolist() == [bool(e) for e in expected]


def test_window_bound_that_is_no_period_is_refused():
    with pytest.raises(ValueError, match="not a month"):
        in_window(pd.Series(pd.to_datetime(WINDOW_DAYS)), AssessmentWindow(end="sometime"))


@pytest.mark.parametrize("end, n_obs, attainment", [
    ("2026-03", 3, 100 / 3),    # daily rows of 10 Jan, 20 Feb and 15 Mar: 80 ok, 70 no, 50 no
    ("Q1 2026", 3, 100 / 3),
    ("2026-02", 2, 50.0),       # 15 March is after February
])
def test_daily_operations_in_window(end, n_obs, attainment):
    ops = [("csat", "A", "2026-01-10", 80), ("csat", "B", "2026-02-20", 70), ("csat", "A", "2026-03-15", 50),
           ("csat", "A", "2026-04-01", 99)]
    a = assess(make_client(ops=ops, assessment_window={"end": end}), n_boot=0)
    k = a.kpis.set_index("kpi_id").loc["csat"]
    assert k["n_obs"] == n_obs and k["attainment"] == pytest.approx(attainment)


def test_warnings_are_sentences(tiny):
    text = " ".join(tiny.warnings)
    assert "Unique Capabilities: not scored" in text and "left out of the Overall Alignment Index" in text
    assert "Management Style: only 1 item answered" in text
    assert "Management Style: no KPI evidence" in text


def test_component_weights_are_configurable():
    a = assess(make_client(component_weights={"perception": 1, "consistency": 0, "evidence": 0}), n_boot=0)
    assert a.areas.loc["customer_experience", "alignment"] == pytest.approx(75.0)


def test_inputs_not_mutated():
    client = make_client()
    before = (client.ratings.copy(), client.questions.copy(), client.operations.copy())
    assess(client, n_boot=20)
    for now, then in zip((client.ratings, client.questions, client.operations), before, strict=True):
        pd.testing.assert_frame_equal(now, then)


@pytest.mark.parametrize("variance, expected", [
    (0.5, 0.75),   # James, Demaree & Wolf (1984) style example: s2 = .5 on 5 points -> 1 - .5/2
    (0.0, 1.0),    # perfect agreement
    (2.0, 0.0),    # as varied as uniform random answering
    (3.2, 0.0),    # more than random: floored at 0
])
def test_rwg_published_values(variance, expected):
    assert float(rwg_from_variance(variance)) == pytest.approx(expected)


def test_rwg_from_ratings():
    # ratings 3,3,4,4 -> mean 3.5, s2 = 4*.25/3 = 1/3 -> rwg = 1 - 1/6
    assert item_rwg(np.array([[3.0], [3.0], [4.0], [4.0]]))[0] == pytest.approx(5 / 6)


def test_one_respondent_has_no_consistency():
    one = [("r1", "A", "executive", {"CX1": 4, "CX2": 2, "MS1": 5, "PP1": 3})]
    a = assess(make_client(people=one), n_boot=50)
    cx = a.areas.loc["customer_experience"]
    assert np.isnan(cx["consistency"])                       # r_wg undefined with n < 2
    assert cx["perception"] == pytest.approx(75.0)           # (4 + 4) / 2 -> 75
    # A renormalised over P and E: (.5*75 + .25*62.5) / .75
    assert cx["alignment"] == pytest.approx((0.5 * 75 + 0.25 * 62.5) / 0.75)
    assert consistency(np.array([[4.0, 2.0]])) != consistency(np.array([[4.0, 2.0]]))  # NaN


def test_all_identical_ratings_are_fully_consistent():
    same = [(f"r{i}", "A", "frontline", {"CX1": 2, "CX2": 4, "MS1": 3, "PP1": 5}) for i in range(5)]
    a = assess(make_client(people=same), n_boot=50)
    assert a.areas["consistency"].dropna().tolist() == [100.0, 100.0, 100.0]
    assert (a.items.set_index("question_id").loc[["CX1", "CX2", "MS1", "PP1"], "rwg"] == 1.0).all()
    assert np.isnan(a.areas.loc["customer_experience", "consistency_lo"])  # no interval for C under 20 people
    same = [(f"r{i}", "A", "frontline", {"CX1": 2, "CX2": 4, "MS1": 3, "PP1": 5}) for i in range(20)]
    a = assess(make_client(people=same), n_boot=50)
    assert a.areas.loc["customer_experience", "consistency_lo"] == 100.0
