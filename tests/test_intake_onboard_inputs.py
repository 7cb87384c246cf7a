"""New mapping features and new bad inputs, one test each, on copies of the good mini client."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.intake import load_client, validate_client
from toolkit.intake.periods import parse_period
from toolkit.model import Problem
from toolkit.reasons import Reason
from toolkit.report import ReportResult

MINI = Path(__file__).resolve().parent / "data" / "good" / "mini"


@pytest.fixture
def client(tmp_path: Path) -> Path:
    dest = tmp_path / "acme"
    shutil.copytree(MINI, dest)
    (dest / "excerpts.csv").unlink(missing_ok=True)
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_ragged_row_is_an_error_naming_row_and_field_counts(client: Path) -> None:
    p = client / "interviews.csv"
    lines = p.read_text().splitlines()
    lines[3] = ",".join(lines[3].split(",")[:5])  # row 4 cut short after 5 of 12 fields
    p.write_text("\n".join(lines) + "\n")
    errs = [x for x in validate_client(client) if x.severity == "error"]
    assert [(e.reason, e.file, e.row, e.found, e.expected) for e in errs] == [
        ("ragged_row", "acme/interviews.csv", 4, "5 fields", "12 fields, as the header")]


def test_utf16_csv_is_read(client: Path) -> None:
    p = client / "interviews.csv"
    p.write_bytes(p.read_text().replace("Sales", "Ventes Générales").encode("utf-16"))
    data = load_client(client)
    assert "Ventes Générales" in set(data.ratings["department"])


def test_shift_jis_is_never_read_as_cp1252(client: Path) -> None:
    p = client / "interviews.csv"
    p.write_bytes(p.read_text().replace("Sales", "営業部").replace("Operations", "サービス部").encode("shift_jis"))
    (err,) = validate_client(client)
    assert (err.reason, err.file) == ("unknown_encoding", "acme/interviews.csv")
    assert "Shift-JIS" in err.message and "encoding: shift_jis" in err.message
    (client / "mapping.yaml").write_text("interviews:\n  encoding: shift_jis\n")
    assert set(load_client(client).ratings["department"]) == {"営業部", "サービス部"}


def test_unmatched_kpi_department_is_a_counted_warning(client: Path) -> None:
    _edit(client / "operations.csv", "first_contact_resolution,Sales,2026-01", "first_contact_resolution,Sale,2026-01")
    (w,) = [x for x in validate_client(client) if x.reason == "unmatched_department"]
    assert (w.severity, w.found, w.count, w.file) == ("warning", "Sale", 1, "acme/operations.csv")
    assert "did you mean 'Sales'" in w.message


def test_far_away_period_is_a_warning(client: Path) -> None:
    _edit(client / "operations.csv", "first_contact_resolution,Sales,2026-01", "first_contact_resolution,Sales,1999-W05")
    (w,) = [x for x in validate_client(client) if x.reason == "period_outside_wave"]
    assert (w.severity, w.found, w.count) == ("warning", "1999-W05", 1)
    assert "2025-01-01 to 2027-12-31" in w.message


def test_iso_week_periods() -> None:
    w05, w1, w01 = parse_period("1999-W05"), parse_period("2026W1"), parse_period("2026-W01")
    assert w05 is not None and w1 is not None and w01 is not None
    assert w05[0] == "1999-W05" and w1[0] == "2026-W01"
    assert str(w01[1].date()) == "2025-12-29"  # ISO week 1 starts on the Monday
    assert parse_period("2026-W54") is None


def test_recode_filter_and_duplicates(client: Path) -> None:
    p = client / "interviews.csv"
    lines = p.read_text().splitlines()
    header = lines[0] + ",Status"
    body = [line + ",Complete" for line in lines[1:]]
    body[0] = body[0].replace("Sales", "Sales Dept")
    body.append(body[1])  # an exact duplicate row
    body.append("T99,Sales,frontline,1,1,1,1,1,1,1,1,1,Preview")
    p.write_text("\n".join([header] + body) + "\n")
    (client / "mapping.yaml").write_text(
        "interviews:\n  drop_duplicates: true\n  filter:\n    keep: {Status: [complete]}\n"
        "  recode:\n    department: {\"sales  dept\": Sales}\n")
    data = load_client(client)
    assert "T99" not in set(data.ratings["respondent_id"])
    assert set(data.ratings["department"]) == {"Sales", "Operations"}
    assert [(w.reason, w.count) for w in data.warnings] == [("duplicate_rows_dropped", 1)]


def test_recode_key_naming_no_column_points_at_the_mapping(client: Path) -> None:
    (client / "mapping.yaml").write_text("interviews:\n  recode:\n    departmnt: {x: y}\n")
    (err,) = validate_client(client)
    assert (err.file, err.reason, err.column, err.row) == ("acme/mapping.yaml", "bad_mapping",
                                                           "interviews.recode.departmnt", 3)


def test_ignore_and_aliases_in_a_wide_export(client: Path) -> None:
    p = client / "interviews.csv"
    text = p.read_text().splitlines()
    text[0] = text[0].replace(",PP02,", ",PP 2,") + ",Comments"
    p.write_text("\n".join([text[0]] + [line + ",fine" for line in text[1:]]) + "\n")
    (client / "mapping.yaml").write_text("interviews:\n  ignore: [comments]\n  aliases: {\"PP 2\": PP02}\n")
    data = load_client(client)
    assert "PP02" in set(data.ratings["question_id"])


def test_area_unused_and_outcome_without_area(client: Path) -> None:
    bank = (MINI.parents[2].parent / "templates" / "question_bank.csv").read_text().splitlines()
    keep = [bank[0]] + [line for line in bank[1:] if line.split(",")[0] in
                        {"CX01", "CX02", "MS01", "MS02", "UC01", "UC02", "PP01", "PP02", "OUT01"}]
    keep = [line.replace("PP02,proven_processes", "PP02,unused").replace("OUT01,outcome", "OUT01,")
            for line in keep]
    (client / "questions.csv").write_text("\n".join(keep) + "\n")
    data = load_client(client)
    assert "PP02" not in set(data.ratings["question_id"]) and "PP02" not in set(data.questions["question_id"])
    assert data.questions.set_index("question_id").loc["OUT01", "area"] == "outcome"


def test_validate_prints_full_warning_totals_and_the_client_name(client: Path, capsys, monkeypatch) -> None:
    p = client / "interviews.csv"
    lines = p.read_text().splitlines()
    extra = [f"X{i:04d},Sales,frontline,5,4,,,,,,," for i in range(300)]
    p.write_text("\n".join(lines + extra) + "\n")
    monkeypatch.chdir(client)
    assert main(["validate", "."]) == 0
    out = capsys.readouterr().out
    assert out.startswith("acme: ok (0 errors, 300 warnings)")
    assert "300 warnings: low_completion 300" in out
    assert "... and 290 more rows" in out


def test_report_prints_warning_totals(monkeypatch, capsys, tmp_path: Path) -> None:
    warnings = [Problem("acme/interviews.csv", Reason.low_completion, "respondent answered 1 of 9 items", row=2,
                        severity="warning"),
                Problem("acme/interviews.csv", Reason.low_completion, "... and 13,238 more rows", severity="warning",
                        count=13238)]
    monkeypatch.setattr("toolkit.report.run_report", lambda *a, **k: ReportResult(
        "acme", "2026-Q1", "ok", tmp_path, 1.0, "published", problems=warnings))
    assert main(["report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "13,239 warnings: low_completion 13,239" in out and "respondent answered 1 of 9 items" in out
