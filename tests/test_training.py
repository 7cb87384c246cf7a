"""`toolkit.training.check`: right answers pass, typical wrong answers get their own feedback.

Right and wrong values are recomputed here from the shipped training data with the
toolkit's functions, the same way a learner's pandas code would get them.
"""
from __future__ import annotations

import copy
import filecmp
import math

import numpy as np
import pandas as pd
import pytest

from toolkit import training
from toolkit.metrics.consistency import item_variance
from toolkit.metrics.perception import favourable, perception
from toolkit.training.datasets import write_training_data
from toolkit.training.ex2_intake import REFERENCE_MAPPING
from toolkit.training.ex6_capstone import twist_table
from toolkit.training.result import CheckResult
from toolkit.training.workspace import scratch_copy

AREA = "customer_experience"


@pytest.fixture(scope="module")
def data():
    return training.training_data()


def right_answers(d) -> dict[str, object]:
    """The right answer to every exercise except those needing files (2-fix, 6-deck)."""
    areas = d.protected.areas
    deps = d.protected.departments
    shown = deps[(deps["area"] == AREA) & ~deps["suppressed"]]
    gaps = d.protected.perception_gaps
    drift = d.protected.drift
    recs = d.findings.recommendations
    oai = d.protected.oai
    return {
        "1-areas": ["customer_experience", "management_style", "unique_capabilities", "proven_processes"],
        "1-costs": ["inconsistent customer experience", "internal inefficiency", "blurred differentiation"],
        "1-principal-gap": "customer_experience",  # 0.45 * 32 = 14.4 beats 0.30 * 30 = 9.0
        "2-problems": {"invalid_config", "out_of_range", "not_a_number", "unknown_level", "unknown_kpi"},
        "2-mapping": REFERENCE_MAPPING,
        "3-perception": areas.loc[AREA, "perception"],
        "3-favourable": areas.loc[AREA, "favourable"],
        "3-rwg": d.assessment.items.set_index("question_id").loc["CX04", "rwg"],
        "3-consistency": areas.loc[AREA, "consistency"],
        "3-evidence": areas.loc[AREA, "evidence"],
        "4-department-perception": dict(zip(shown["department"], shown["perception"], strict=True)),
        "4-gap": gaps.query("area == 'management_style' and group_b == 'frontline'")["gap"].iloc[0],
        "4-changes": set(drift.query("metric == 'alignment' and significant")["area"]),
        "5-principal-gap": d.protected.principal_gap,
        "5-actions": list(recs.loc[recs["area"] == d.protected.principal_gap, "rule_id"]),
        "5-summary": (f"Larkspur Clinics scores {oai['value']:.0f} on the Overall Alignment Index and is "
                      f"{oai['band']}. The principal gap is Customer Experience: staff believe in the promise "
                      "but deliver it unevenly across clinics, and customer KPIs miss target too often. Start "
                      "by codifying the promise into service standards audited monthly."),
        "6-twist": "Riverside Clinic",
    }


@pytest.mark.slow
def test_every_exercise_has_a_right_answer_here():
    assert set(training.list_exercises()) - {"2-fix", "6-deck"} == set(right_answers(training.training_data()))


@pytest.mark.parametrize("exercise_id", sorted(set(training.list_exercises()) - {"2-fix", "6-deck"}))
def test_right_answer_passes(data, exercise_id):
    result = training.check(exercise_id, right_answers(data)[exercise_id])
    assert result.passed, str(result)
    assert result.status == "passed" and result.hint == ""


def test_planted_story_holds(data):
    # The course's narrative depends on these: principal gap is not the lowest-alignment area,
    # Pharmacy (n = 2) is suppressed and Operations hidden by secondary suppression.
    areas = data.protected.areas
    assert data.protected.principal_gap == "customer_experience"
    assert areas["alignment"].idxmin() == "unique_capabilities"
    deps = data.protected.departments.query("area == @AREA").set_index("department")
    assert deps.loc["Pharmacy", "n"] == 2 and deps.loc["Pharmacy", "suppressed"]
    assert deps.loc["Operations", "suppressed_reason"].endswith("(secondary suppression)")
    assert twist_table(data).index[0] == "Riverside Clinic"


# --- typical wrong answers get specific feedback ----------------------------------------------

def _values(d, keyed=True):
    return d.area_values(AREA, keyed=keyed)


@pytest.mark.parametrize("exercise_id, wrong, expected", [
    ("3-perception", lambda d: perception(_values(d, keyed=False)), "reverse-key"),
    ("3-favourable", lambda d: favourable(_values(d, keyed=False)), "reverse-key"),
    # mean rating 3.5988 on 1-5 is 64.97 points; mean / 5 gives 71.98
    ("3-perception", lambda d: 100 * np.nanmean(np.nanmean(_values(d), axis=1)) / 5, "starts at 1"),
    ("3-perception", lambda d: 1 + 4 * d.area_row(AREA)["perception"] / 100, "mean rating on the 1-5 scale"),
    ("3-favourable", lambda d: d.area_row(AREA)["favourable"] / 100, "fraction"),
    ("3-rwg", lambda d: 1 - np.var(d.item_values("CX04"), ddof=0) / 2, "population variance (ddof=0)"),
    ("3-rwg", lambda d: 1 - np.var(d.item_values("CX04"), ddof=1) / 4, "sigma^2 = 4"),
    ("3-rwg", lambda d: 100 * d.assessment.items.set_index("question_id").loc["CX04", "rwg"], "on 0-1"),
    ("3-consistency", lambda d: 100 * np.mean(np.maximum(0, 1 - np.array(
        [np.var(c[~np.isnan(c)], ddof=0) for c in _values(d).T]) / 2)), "population variance (ddof=0)"),
    ("3-consistency", lambda d: 100 * np.mean(np.maximum(0, 1 - item_variance(_values(d))[0] / (16 / 12))),
     "sigma^2 = 16/12"),
    ("3-consistency", lambda d: _rwg_j(_values(d)), "r_wg(J)"),
    ("3-evidence", lambda d: _pooled_evidence(d), "pooled all observations"),
    ("4-gap", lambda d: -d.protected.perception_gaps.query(
        "area == 'management_style' and group_b == 'frontline'")["gap"].iloc[0], "sign is reversed"),
])
def test_typical_wrong_number_gets_specific_feedback(data, exercise_id, wrong, expected):
    result = training.check(exercise_id, float(wrong(data)))
    assert result.status == "failed"
    assert expected in result.message + " " + result.hint, str(result)
    assert result.hint  # always a hint, never just "wrong"


def _rwg_j(values: np.ndarray) -> float:
    # r_wg(J) = J (1 - s̄²/2) / (J (1 - s̄²/2) + s̄²/2), s̄² the mean item variance
    ratio = float(np.mean(item_variance(values)[0])) / 2
    j = values.shape[1]
    return 100 * j * (1 - ratio) / (j * (1 - ratio) + ratio)


def _pooled_evidence(d) -> float:
    k = d.assessment.kpis.query("area == @AREA").set_index("kpi_id")
    # attainment is % per KPI; pooling weights each KPI by its number of observations
    return float((k["attainment"] * k["n_obs"]).sum() / k["n_obs"].sum())


def test_pooled_evidence_really_differs(data):
    # 58.33 vs 58.68: apart by more than the 0.05 tolerance, so the slip is recognisable
    assert abs(_pooled_evidence(data) - data.area_row(AREA)["evidence"]) > 0.1


def test_included_suppressed_group_is_named(data):
    right = right_answers(data)["4-department-perception"]
    result = training.check("4-department-perception", {**right, "Pharmacy": 71.0})
    assert not result.passed
    assert "Pharmacy" in result.message and "only 2 respondents" in result.message and "suppressed" in result.message


def test_included_secondary_suppressed_group_explains_subtraction(data):
    right = right_answers(data)["4-department-perception"]
    result = training.check("4-department-perception", {**right, "Operations": 60.0})
    assert "secondary suppression" in result.message and "subtraction" in result.message


def test_suppressed_group_set_to_none_is_fine(data):
    right = right_answers(data)["4-department-perception"]
    assert training.check("4-department-perception", {**right, "Pharmacy": None, "Operations": float("nan")}).passed


@pytest.mark.parametrize("exercise_id, answer, expected", [
    ("1-principal-gap", "management_style", "lowest alignment"),
    ("5-principal-gap", "unique_capabilities", "lowest alignment"),
    ("2-problems", {"invalid_config", "out_of_range", "not_a_number", "unknown_level", "unknown_kpi", "small_group"},
     "small_group is a warning"),
    ("4-changes", {"management_style", "proven_processes", "customer_experience"}, "includes 0"),
    # method v2: with KPI noise and Holm's adjustment only Management Style's rise is beyond doubt
    ("4-changes", set(), "one change is missing"),
    ("5-actions", ["cx_belief_ahead_of_delivery"], "did not fire"),
    ("5-actions", ["ms_leadership_blind_spot"], "not the principal gap"),
    ("5-summary", "Short.", "words"),
    ("6-twist", "South Clinic", "not the twist"),
    ("3-perception", pd.Series([1.0, 2.0]), "one number"),
    ("3-perception", "65", "expected a number"),
])
def test_other_typical_mistakes(data, exercise_id, answer, expected):
    result = training.check(exercise_id, answer)
    assert result.status == "failed"
    assert expected in result.message + " " + result.hint, str(result)


def test_summary_naming_a_suppressed_group_fails(data):
    text = right_answers(data)["5-summary"] + " Pharmacy staff were the most negative."
    assert "suppressed" in training.check("5-summary", text).message


def test_mapping_without_not_applicable_hints_at_it(data):
    mapping = copy.deepcopy(REFERENCE_MAPPING)
    del mapping["interviews"]["not_applicable"]
    result = training.check("2-mapping", mapping)
    assert not result.passed and "not_applicable" in result.hint and "Don't know" in result.message


def test_mapping_upside_down_scale_is_recognised(data):
    mapping = copy.deepcopy(REFERENCE_MAPPING)
    labels = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]
    mapping["interviews"]["scale"] = {"labels": {lab: i + 1 for i, lab in enumerate(labels)}}
    assert "upside down" in training.check("2-mapping", mapping).message


def test_fix_refuses_the_shipped_folder_and_reports_remaining_errors(data, tmp_path):
    assert "shipped" in training.check("2-fix", data.broken_dir).message
    copy_dir = scratch_copy(data.broken_dir, tmp_path)
    result = training.check("2-fix", copy_dir)
    assert not result.passed and "error(s) remain" in result.message and "unknown_level" in result.message
    assert filecmp.cmp(copy_dir / "interviews.csv", data.broken_dir / "interviews.csv", shallow=False)


# --- unanswered, unknown ids, display ---------------------------------------------------------

@pytest.mark.parametrize("answer", [None, ..., {...}, [...], {"a": ...}])
@pytest.mark.parametrize("exercise_id", ["3-perception", "2-mapping", "6-deck"])
def test_unanswered_is_not_a_failure(exercise_id, answer):
    result = training.check(exercise_id, answer)
    assert result.status == "unanswered" and not result.passed
    assert "NOT YET ANSWERED" in str(result) and "the task:" in result.message
    assert "not yet answered" not in str(result).casefold().replace("not yet answered", "", 1)


def test_unknown_exercise_is_a_readable_result_not_a_traceback():
    result = training.check("3-perceptoin", 50)
    assert result.status == "failed" and not result.passed
    assert "Did you mean '3-perception'?" in result.message
    assert all(i in result.message for i in training.list_exercises())
    assert "training.list_exercises()" in result.hint


def test_get_exercise_still_raises_for_code():
    from toolkit.training.registry import get_exercise

    with pytest.raises(training.UnknownExerciseError) as err:
        get_exercise("3-perceptoin")
    assert isinstance(err.value, LookupError)


def test_result_html_is_escaped():
    result = CheckResult("x-<b>", "failed", "found <script>alert(1)</script>", "a & b")
    page = result._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "a &amp; b" in page
    assert 'data-status="failed"' in page


def test_ids_are_in_course_order():
    ids = training.list_exercises()
    assert [int(i.split("-")[0]) for i in ids] == sorted(int(i.split("-")[0]) for i in ids)
    assert training.list_exercises(3) == ["3-perception", "3-favourable", "3-rwg", "3-consistency", "3-evidence"]


def test_shipped_training_data_is_regenerated_byte_for_byte(tmp_path, data):
    paths = write_training_data(tmp_path)
    for path in paths.values():
        shipped = data.data_dir / path.relative_to(tmp_path)
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            assert filecmp.cmp(f, shipped / f.relative_to(path) if path.is_dir() else shipped, shallow=False), f
    assert not math.isnan(data.protected.oai["value"])
