"""The bad-input corpus: each case is the good mini client with exactly one thing wrong.

Every case must yield errors of exactly one reason, one of them at the
expected row and column, raise `ClientDataError` from `load_client`, and leave
every input file byte-for-byte unchanged. Cases are built by
``tests/data/make_bad_cases.py`` and committed.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from toolkit.errors import ClientDataError
from toolkit.intake import load_client, validate_client

BAD = Path(__file__).resolve().parent / "data" / "bad"

# case -> (reason, row as the spreadsheet/YAML shows it, column or key path, file name)
# Rows: header = row 1, so R03 (third respondent) is row 4; YAML rows are lines.
EXPECTED: dict[str, tuple[str, int | None, str | None, str]] = {
    "missing-interviews": ("missing_file", None, None, "interviews.csv"),
    "missing-client-yaml": ("missing_file", None, None, "client.yaml"),
    "missing-operations": ("missing_file", None, None, "operations.csv"),
    "empty-interviews": ("empty_file", None, None, "interviews.csv"),
    "unreadable-xlsx": ("unreadable_file", None, None, "interviews.xlsx"),
    "misspelt-department-column": ("missing_column", 1, "department", "interviews.csv"),
    "missing-value-column": ("missing_column", 1, "value", "operations.csv"),
    "roster-without-name": ("missing_column", 1, "name", "roster.csv"),
    "unknown-column-tidy": ("unknown_column", 1, "notes", "interviews.csv"),
    "unknown-column-operations": ("unknown_column", 1, "comment", "operations.csv"),
    "rating-out-of-range": ("out_of_range", 4, "CX02", "interviews.csv"),          # R03 is data row 3 -> row 4
    "rating-zero": ("out_of_range", 7, "MS02", "interviews.csv"),                  # R06 -> row 7
    "rating-not-a-number": ("not_a_number", 6, "UC01", "interviews.csv"),          # R05 -> row 6
    "rating-not-a-number-tidy": ("not_a_number", 17, "rating", "interviews.csv"),  # R02's 7th answer: 1 + 9 + 7
    "unknown-question-wide": ("unknown_question", 1, "CX99", "interviews.csv"),
    "unknown-question-tidy": ("unknown_question", 34, "question_id", "interviews.csv"),  # R04 UC02: 1 + 27 + 6
    "unknown-level": ("unknown_level", 3, "level", "interviews.csv"),
    "missing-respondent-id": ("missing_value", 6, "respondent_id", "interviews.csv"),
    "duplicate-respondent-wide": ("duplicate_key", 8, "respondent_id", "interviews.csv"),
    "duplicate-answer-tidy": ("duplicate_key", 4, "question_id", "interviews.csv"),  # inserted after row 3
    "inconsistent-respondent": ("inconsistent_respondent", 6, "department", "interviews.csv"),  # R01 UC01: 1 + 5
    "no-ratings": ("no_ratings", None, None, "interviews.csv"),
    "unknown-kpi": ("unknown_kpi", 7, "kpi_id", "operations.csv"),
    "bad-period": ("bad_period", 5, "period", "operations.csv"),
    "kpi-value-not-a-number": ("not_a_number", 8, "value", "operations.csv"),
    "duplicate-kpi-period": ("duplicate_key", 10, "period", "operations.csv"),     # 'Feb 2026' == '2026-02'
    "unknown-area-excerpt": ("unknown_area", 4, "area", "excerpts.csv"),
    "unknown-respondent-excerpt": ("unknown_respondent", 3, "respondent_id", "excerpts.csv"),
    "config-target-not-number": ("invalid_config", 25, "kpis[1].target", "client.yaml"),
    "config-negative-weight": ("invalid_config", 11, "area_weights.management_style", "client.yaml"),
    "config-zero-component-weights": ("invalid_config", 27, "component_weights", "client.yaml"),
    "config-all-zero-area-weights": ("invalid_config", 9, "area_weights", "client.yaml"),
    "config-bad-promise": ("invalid_config", 5, "customer_promise", "client.yaml"),
    "config-missing-strategy": ("invalid_config", None, "strategy", "client.yaml"),
    "config-unknown-key": ("invalid_config", 4, "owner", "client.yaml"),
    "config-bad-yaml": ("invalid_config", 9, None, "client.yaml"),
    "config-bad-wave": ("invalid_config", 2, "wave", "client.yaml"),
    "config-bad-window": ("bad_period", 28, "assessment_window.start", "client.yaml"),
    "bad-mapping-scale": ("bad_mapping", 2, "interviews.scale", "mapping.yaml"),
    "bad-mapping-level": ("bad_mapping", 3, "interviews.levels.default", "mapping.yaml"),
    "questions-unknown-area": ("unknown_area", 4, "area", "questions.csv"),
    "Unsafe_Client": ("unsafe_client_id", None, None, "Unsafe_Client"),
    "xlsx-far-cell": ("xlsx_too_many_cells", None, None, "interviews.xlsx"),
    "xlsx-zip-bomb": ("xlsx_too_large", None, None, "interviews.xlsx"),
    "xlsx-formula-without-value": ("formula_without_value", 4, "E", "interviews.xlsx"),   # cell E4
    "yaml-billion-laughs-client": ("yaml_too_large", None, None, "client.yaml"),
    "yaml-billion-laughs-mapping": ("yaml_too_large", None, None, "mapping.yaml"),
    "excerpt-too-long": ("text_too_long", 3, "text", "excerpts.csv"),
    "file-over-limit": ("file_too_large", None, None, "operations.csv"),
    "symlink-outside": ("symlink_outside", None, None, "excerpts.csv"),
    "unsafe-wave-folder": ("unsafe_wave", None, None, "2025 H2"),
}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 51


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_case_reports_one_reason_where_it_is(case: str) -> None:
    reason, row, column, file_name = EXPECTED[case]
    folder = BAD / case
    before = _hashes(folder)

    problems = validate_client(folder)
    errors = [p for p in problems if p.severity == "error"]
    assert {p.reason for p in errors} == {reason}, [p.message for p in errors]
    assert any(p.row == row and p.column == column for p in errors), [(p.row, p.column) for p in errors]
    hit = next(p for p in errors if p.row == row and p.column == column)
    assert hit.file.startswith(case) and hit.file.endswith(file_name)  # relative to the client folder's parent
    assert hit.message  # every problem says what was expected and found

    with pytest.raises(ClientDataError) as info:
        load_client(folder)
    assert [p.reason for p in info.value.problems if p.severity == "error"] == [p.reason for p in errors]
    assert _hashes(folder) == before  # input files are never written


@pytest.mark.parametrize("case, text", [
    ("misspelt-department-column", "column 'department' is missing; did you mean 'departement'? columns are ["),
    ("rating-out-of-range", "expected a rating 1-5, found 7"),
    ("unknown-level", "expected executive/manager/frontline, found 'VP'"),
    ("config-target-not-number", "expected a number, found 'tbd'"),
    ("config-negative-weight", "expected a number >= 0, found -1"),
    ("config-zero-component-weights", "component weights are all zero"),
])
def test_messages_read_like_the_style_guide(case: str, text: str) -> None:
    messages = [p.message for p in validate_client(BAD / case)]
    assert any(text in m for m in messages), messages


def test_rendered_error_groups_by_file() -> None:
    with pytest.raises(ClientDataError) as info:
        load_client(BAD / "rating-out-of-range")
    assert str(info.value).splitlines() == [
        "rating-out-of-range/interviews.csv: 1 problem",
        "  row 4, column 'CX02': expected a rating 1-5, found 7 [out_of_range]",
    ]
