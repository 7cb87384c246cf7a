"""Survey-tool exports onboarded by ``mapping.yaml`` alone (fixtures in ``tests/data/mapping/``)."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from toolkit.intake import load_client, validate_client
from toolkit.intake.mapping import Mapping, Scale, normalise_label
from toolkit.model import RATINGS_COLUMNS

MAPPING = Path(__file__).resolve().parent / "data" / "mapping"


def _ratings(folder: Path) -> dict[tuple[str, str], float]:
    r = load_client(folder).ratings
    return dict(zip(zip(r["respondent_id"], r["question_id"], strict=True), r["rating"], strict=True))


def _copy(name: str, tmp_path: Path) -> Path:
    dest = tmp_path / name
    shutil.copytree(MAPPING / name, dest)
    return dest


def test_likert_labels_any_case_and_spacing() -> None:
    data = load_client(MAPPING / "likert")
    assert data.warnings == []
    got = _ratings(MAPPING / "likert")
    # L2: '  AGREE ' -> 4, 'Neither agree nor disagree' -> 3, 'N' -> 3, 'd' -> 2
    assert [got[("L2", q)] for q in ("CX01", "MS01", "UC01", "PP01")] == [4, 3, 3, 2]
    # L3: 'Strongly  Disagree' (two spaces) -> 1, 'SD' -> 1
    assert got[("L3", "MS01")] == 1 and got[("L3", "UC01")] == 1
    # levels 'Executive', 'front-line' are recognised
    assert data.respondents.set_index("respondent_id")["level"].to_dict() == {
        "L1": "executive", "L2": "manager", "L3": "frontline",
        "L4": "executive", "L5": "manager", "L6": "frontline"}
    assert data.ratings["rating"].sum() == 78  # 18 + 12 + 6 + 16 + 16 + 10, row by row


def test_unknown_label_is_not_a_number(tmp_path: Path) -> None:
    folder = _copy("likert", tmp_path)
    p = folder / "interviews.csv"
    p.write_text(p.read_text().replace("L5,Service,manager,Agree,", "L5,Service,manager,Somewhat,"))
    (prob,) = validate_client(folder)
    assert (prob.reason, prob.row, prob.column, prob.found) == ("not_a_number", 6, "CX01", "Somewhat")
    assert prob.expected == "a rating 1-5 or a scale label"


def test_zero_to_four_with_not_applicable_codes() -> None:
    got = _ratings(MAPPING / "zero-four")
    # 0..4 -> 1..5 linearly: 4->5, 3->4, 2->3, 1->2, 0->1
    assert got[("Z1", "CX01")] == 5 and got[("Z1", "MS01")] == 4 and got[("Z3", "CX01")] == 1
    assert got[("Z2", "PP01")] == 2 and got[("Z6", "PP01")] == 4
    # 9 (Z1 PP01, Z5 MS01) and "Don't know" (Z2 MS01) are missing, never a rating
    for key in [("Z1", "PP01"), ("Z5", "MS01"), ("Z2", "MS01")]:
        assert key not in got
    assert len(got) == 18 - 3


def test_zero_to_four_reports_off_scale_against_the_source_scale(tmp_path: Path) -> None:
    folder = _copy("zero-four", tmp_path)
    p = folder / "interviews.csv"
    p.write_text(p.read_text().replace("Z4,South,executive,3,4,2", "Z4,South,executive,3,5,2"))
    (prob,) = [x for x in validate_client(folder) if x.severity == "error"]
    assert (prob.reason, prob.row, prob.column, prob.expected) == ("out_of_range", 5, "MS01", "a rating 0-4")


def test_seven_point_scale_maps_linearly() -> None:
    scale = Scale(min=1, max=7)
    # 1 -> 1, 4 -> 3, 7 -> 5, 2.5 -> 1 + 1.5 * 4/6 = 2
    assert scale.rescale(__import__("numpy").array([1.0, 4.0, 7.0, 2.5])).tolist() == [1.0, 3.0, 5.0, 2.0]


def test_long_export_with_role_flags() -> None:
    data = load_client(MAPPING / "long-flags")
    assert data.warnings == []
    assert list(data.ratings.columns) == RATINGS_COLUMNS
    people = data.respondents.set_index("respondent_id")
    assert people["level"].to_dict() == {"P1": "executive", "P2": "manager", "P3": "frontline",
                                         "P4": "executive", "P5": "manager", "P6": "frontline"}
    assert people["department"].to_dict() == {"P1": "Finance", "P2": "Finance", "P3": "Finance",
                                              "P4": "IT", "P5": "IT", "P6": "IT"}
    got = _ratings(MAPPING / "long-flags")
    assert len(got) == 12 and got[("P4", "CX01")] == 4 and got[("P3", "PP01")] == 1


def test_long_export_problems_name_the_answer_row(tmp_path: Path) -> None:
    folder = _copy("long-flags", tmp_path)
    p = folder / "interviews.csv"
    p.write_text(p.read_text().replace("P5,Q2,3,no,yes", "P5,Q2,8,no,yes"))
    (prob,) = validate_client(folder)
    assert (prob.reason, prob.row, prob.column) == ("out_of_range", 16, "rating")  # 16th line of the file


def test_qualtrics_export_skips_two_header_rows_and_drops_identifying_columns() -> None:
    folder = MAPPING / "qualtrics"
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    data = load_client(folder)
    assert data.warnings == []
    assert list(data.ratings.columns) == RATINGS_COLUMNS
    frames = [data.ratings, data.excerpts, data.operations]
    text = " ".join(f.astype(str).to_csv() for f in frames)
    for leaked in ("@example.com", "203.0.113", "Ann,", "51.5", "2026-02-01 09:00"):
        assert leaked not in text
    people = data.respondents.set_index("respondent_id")["level"].to_dict()
    # 'Chief Commercial Officer', 'VP Support' -> executive; '... Lead', '... Manager' -> manager; rest frontline
    assert people == {"R_1a": "executive", "R_2b": "manager", "R_3c": "frontline",
                      "R_4d": "executive", "R_5e": "manager", "R_6f": "frontline"}
    got = _ratings(folder)
    assert got[("R_1a", "PP01")] == 5 and got[("R_5e", "PP01")] == 1 and len(got) == 18
    assert before == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_qualtrics_rows_count_the_skipped_header_rows(tmp_path: Path) -> None:
    folder = _copy("qualtrics", tmp_path)
    p = folder / "interviews.csv"
    p.write_text(p.read_text().replace("Support Manager,Strongly disagree", "Support Manager,Maybe"))
    (prob,) = validate_client(folder)
    # header row 1, two skipped rows (2, 3), R_5e is the 5th respondent -> row 8
    assert (prob.reason, prob.row, prob.column, prob.found) == ("not_a_number", 8, "PP01", "Maybe")


def test_without_mapping_extra_columns_are_reported(tmp_path: Path) -> None:
    folder = _copy("qualtrics", tmp_path)
    (folder / "mapping.yaml").unlink()
    problems = validate_client(folder)
    assert {p.reason for p in problems} == {"missing_column"}  # respondent_id, department, level


@pytest.mark.parametrize("yaml_text, column", [
    ("interviews:\n  skip_rows: -1\n", "interviews.skip_rows"),
    ("interviews:\n  levels:\n    patterns: {'(': manager}\n", "interviews.levels.patterns"),
    ("interviews:\n  scale:\n    labels: {Agree: 6}\n", "interviews.scale.labels"),
    ("interviews:\n  long: {respondent: id}\n", "interviews.long.question"),
    ("survey:\n  rename: {}\n", "survey"),
])
def test_bad_mappings_name_the_key(tmp_path: Path, yaml_text: str, column: str) -> None:
    folder = _copy("likert", tmp_path)
    (folder / "mapping.yaml").write_text(yaml_text)
    problems = validate_client(folder)
    assert {p.reason for p in problems} == {"bad_mapping"}
    assert column in {p.column for p in problems}


def test_mapping_schema_defaults_and_labels() -> None:
    m = Mapping()
    assert m.interviews.skip_rows == 0 and m.interviews.long is None
    assert Scale(preset="agreement", labels={"Tend to agree": 4}).label_values()["tend to agree"] == 4
    assert normalise_label(" Strongly\tAgree ") == "strongly agree"
