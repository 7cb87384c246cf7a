"""Good client folders: tidy and wide CSV, the XLSX intake workbook, encodings, periods, waves."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.errors import ClientDataError, DefinitionError
from toolkit.intake import list_waves, load_client, load_question_bank, validate_client
from toolkit.intake.periods import parse_period
from toolkit.intake.problems import CAP_SHOWN
from toolkit.model import RATINGS_COLUMNS

MINI = Path(__file__).resolve().parent / "data" / "good" / "mini"
ITEMS = ["CX01", "CX02", "MS01", "MS02", "UC01", "UC02", "PP01", "PP02", "OUT01"]


@pytest.fixture
def client(tmp_path: Path) -> Path:
    """A writable copy of the good mini client, named ``acme``."""
    dest = tmp_path / "acme"
    shutil.copytree(MINI, dest)
    return dest


def _tidy_text(wide_csv: str) -> str:
    lines = wide_csv.strip().splitlines()
    head = lines[0].split(",")
    out = [",".join(RATINGS_COLUMNS)]
    for line in lines[1:]:
        c = line.split(",")
        out += [",".join(c[:3] + [q, v]) for q, v in zip(head[3:], c[3:], strict=True)]
    return "\n".join(out) + "\n"


def test_mini_wide_csv_loads_known_values() -> None:
    data = load_client(MINI)
    assert data.client_id == "mini" and data.wave == "2026-Q1"
    assert data.warnings == []
    # 6 respondents x 9 items, none blank
    assert len(data.ratings) == 54
    assert list(data.ratings.columns) == RATINGS_COLUMNS
    assert data.ratings["rating"].dtype == np.float64
    r03 = data.ratings.set_index(["respondent_id", "question_id"])["rating"]
    assert r03[("R03", "CX02")] == 2.0 and r03[("R06", "MS02")] == 1.0
    # R01 row sums to 5+4+4+4+5+3+4+4+4 = 37
    assert data.ratings.loc[data.ratings["respondent_id"] == "R01", "rating"].sum() == 37
    assert data.respondents["department"].value_counts().to_dict() == {"Sales": 3, "Operations": 3}
    assert len(data.operations) == 8 and data.operations["value"].sum() == pytest.approx(
        0.82 + 0.78 + 0.71 + 0.75 + 2.5 + 3.5 + 2.8 + 2.9)
    assert data.operations["period_start"].min() == pd.Timestamp("2026-01-01")
    text = data.excerpts.loc[1, "text"]
    assert data.excerpts.loc[2, "theme"] == "" and isinstance(text, str) and text.startswith("Everyone has")
    assert data.roster == ["Ann Smith", "Bob Jones"]
    assert set(data.sources) == {"interviews", "operations", "excerpts", "roster"}
    assert len(data.questions) == 30  # the firm's bank


def test_tidy_csv_gives_the_same_ratings_as_wide(client: Path) -> None:
    wide = load_client(MINI).ratings
    (client / "interviews.csv").write_text(_tidy_text((MINI / "interviews.csv").read_text()))
    tidy = load_client(client).ratings
    pd.testing.assert_frame_equal(tidy, wide)


def _write_workbook(path: Path, rows: list[list[object]], *, first_sheet_is_help: bool = True) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    help_sheet = book.active
    help_sheet.title = "How to fill in"
    help_sheet.append(["One row per respondent; ratings 1-5."])
    sheet = book.create_sheet("Interviews")
    for r in rows:
        sheet.append(r)
    questions = book.create_sheet("Questions")
    questions.append(["question_id", "text"])
    if not first_sheet_is_help:
        book.move_sheet("Interviews", offset=-1)
    book.save(path)


def test_xlsx_intake_workbook_reads_the_interviews_sheet(client: Path) -> None:
    lines = [l.split(",") for l in (MINI / "interviews.csv").read_text().strip().splitlines()]
    rows: list[list[object]] = [[*lines[0]], *([*l[:3], *(int(v) for v in l[3:])] for l in lines[1:])]
    rows[3][4] = None  # R03 skipped CX02 -> that answer is missing, not a rating
    (client / "interviews.csv").unlink()
    _write_workbook(client / "interviews.xlsx", rows)
    data = load_client(client)
    assert data.sources["interviews"].name == "interviews.xlsx"
    assert len(data.ratings) == 53
    assert data.ratings["rating"].sum() == load_client(MINI).ratings["rating"].sum() - 2


def test_xlsx_rows_are_numbered_as_excel_shows_them(client: Path) -> None:
    lines = [l.split(",") for l in (MINI / "interviews.csv").read_text().strip().splitlines()]
    rows: list[list[object]] = [[*lines[0]], *([*l[:3], *(int(v) for v in l[3:])] for l in lines[1:])]
    rows[5][5] = 9  # R05 (Excel row 6), MS01
    (client / "interviews.csv").unlink()
    _write_workbook(client / "interviews.xlsx", rows)
    (p,) = validate_client(client)
    assert (p.reason, p.row, p.column, p.found, p.file) == ("out_of_range", 6, "MS01", "9", "acme/interviews.xlsx")


def test_xlsx_operations_with_excel_dates(client: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kpi_id", "department", "period", "value"])
    for dept in ("Sales", "Operations"):
        sheet.append(["first_contact_resolution", dept, dt.datetime(2026, 3, 15), 0.8])
        sheet.append(["order_cycle_days", dept, "Q1 2026", 2.5])
    (client / "operations.csv").unlink()
    book.save(client / "operations.xlsx")
    ops = load_client(client).operations
    assert sorted(set(ops["period"])) == ["2026-03-15", "2026-Q1"]
    assert set(ops["period_start"]) == {pd.Timestamp("2026-03-15"), pd.Timestamp("2026-01-01")}


@pytest.mark.parametrize("encoding, bom, sep", [
    ("utf-8", True, ","), ("cp1252", False, ","), ("cp1252", False, ";"), ("utf-8", False, ";"),
    ("utf-8", False, "\t"),
])
def test_encodings_and_delimiters(client: Path, encoding: str, bom: bool, sep: str) -> None:
    wide = (MINI / "interviews.csv").read_text().replace("Sales", "Ventes Générales").replace(",", sep)
    (client / "interviews.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + wide.encode(encoding))
    ops = (MINI / "operations.csv").read_text()
    if sep == ";":  # European: semicolons and decimal commas
        ops = ops.replace(",", ";").replace(".", ",")
    else:
        ops = ops.replace(",", sep)
    (client / "operations.csv").write_bytes(ops.encode(encoding))
    data = load_client(client)
    assert set(data.ratings["department"]) == {"Ventes Générales", "Operations"}
    assert list(data.ratings.columns) == RATINGS_COLUMNS  # the BOM is not part of 'respondent_id'
    assert data.operations["value"].tolist()[:2] == [0.82, 0.78]


@pytest.mark.parametrize("text, label, start", [
    ("2026-03", "2026-03", "2026-03-01"), ("Mar 2026", "2026-03", "2026-03-01"),
    ("March 2026", "2026-03", "2026-03-01"), ("03/2026", "2026-03", "2026-03-01"),
    ("2026Q1", "2026-Q1", "2026-01-01"), ("2026-Q2", "2026-Q2", "2026-04-01"),
    ("Q3 2026", "2026-Q3", "2026-07-01"), ("q4-2026", "2026-Q4", "2026-10-01"),
    ("2026-03-15", "2026-03-15", "2026-03-15"), ("2026-03-15 00:00:00", "2026-03-15", "2026-03-15"),
    (46096, "2026-03-15", "2026-03-15"),  # Excel serial day number
])
def test_period_formats(text: object, label: str, start: str) -> None:
    assert parse_period(text) == (label, pd.Timestamp(start))


@pytest.mark.parametrize("text", ["2026-13", "Q5 2026", "Febuary 2026", "2026-02-30", "soon", "15/03/2026"])
def test_bad_periods(text: str) -> None:
    assert parse_period(text) is None


def test_period_formats_in_a_file_become_canonical(client: Path) -> None:
    (client / "operations.csv").write_text(
        "kpi_id,department,period,value\n"
        "first_contact_resolution,Sales,Mar 2026,0.8\n"
        "first_contact_resolution,Sales,2026Q1,0.7\n"
        "order_cycle_days,Sales,2026-03-15,3\n")
    ops = load_client(client).operations
    assert ops["period"].tolist() == ["2026-03", "2026-Q1", "2026-03-15"]


def test_warnings_do_not_block_a_run(client: Path) -> None:
    text = (MINI / "interviews.csv").read_text()
    # R06 moves to a department of its own (small group) and answers 4 of 9 items (< half)
    text = text.replace("R06,Operations,frontline,2,3,2,1,3,2,3,1,2", "R06,Legal,frontline,2,3,2,1,,,,,")
    (client / "interviews.csv").write_text(text)
    (client / "operations.csv").write_text(
        "\n".join(l for l in (MINI / "operations.csv").read_text().splitlines() if "order_cycle" not in l) + "\n")
    data = load_client(client)
    found = {(p.reason, p.row, p.column, p.found) for p in data.warnings}
    assert found == {
        ("small_group", 7, "department", "Legal"),
        ("small_group", 5, "department", "Operations"),
        ("low_completion", 7, "respondent_id", "4 of 9"),
        ("kpi_without_data", None, "kpi_id", "order_cycle_days"),
    }
    assert all(p.severity == "warning" for p in data.warnings)


def test_every_problem_of_every_file_at_once(client: Path) -> None:
    text = (MINI / "interviews.csv").read_text()
    text = text.replace("R01,Sales,executive,5,", "R01,Sales,boss,5,").replace("R04,Operations,executive,5,5",
                                                                           "R04,Operations,executive,5,55")
    (client / "interviews.csv").write_text(text)
    (client / "operations.csv").write_text((MINI / "operations.csv").read_text().replace("2026-02,0.78", "2026-02,x"))
    (client / "client.yaml").write_text((MINI / "client.yaml").read_text().replace("target: 0.8", "target: high"))
    got = sorted((p.file, p.reason, p.row, p.column) for p in validate_client(client) if p.severity == "error")
    assert got == [
        ("acme/client.yaml", "invalid_config", 19, "kpis[0].target"),
        ("acme/interviews.csv", "out_of_range", 5, "CX02"),
        ("acme/interviews.csv", "unknown_level", 2, "level"),
        ("acme/operations.csv", "not_a_number", 3, "value"),
    ]


def test_a_wholly_wrong_column_is_summarised(client: Path) -> None:
    n = 300
    rows = [f"R{i:03d},Sales,frontline," + ",".join(["7"] * 3 + ["4"] * 6) for i in range(n)]
    (client / "interviews.csv").write_text("respondent_id,department,level," + ",".join(ITEMS) + "\n"
                                           + "\n".join(rows) + "\n")
    (client / "excerpts.csv").unlink()
    problems = validate_client(client)
    cx01 = [p for p in problems if p.column == "CX01"]
    assert len(cx01) == CAP_SHOWN + 1
    assert [p.row for p in cx01[:CAP_SHOWN]] == list(range(2, 2 + CAP_SHOWN))
    assert cx01[-1].row is None and f"{n - CAP_SHOWN} more rows" in cx01[-1].message
    assert {p.column for p in problems if p.reason != "unmatched_department"} == {"CX01", "CX02", "MS01"}


def test_two_hundred_identical_problems_are_all_listed(client: Path) -> None:
    rows = [f"R{i:03d},Sales,frontline,7," + ",".join(["4"] * 8) for i in range(200)]
    (client / "interviews.csv").write_text("respondent_id,department,level," + ",".join(ITEMS) + "\n"
                                           + "\n".join(rows) + "\n")
    (client / "excerpts.csv").unlink()
    assert len([p for p in validate_client(client) if p.reason == "out_of_range"]) == 200


def test_identifying_columns_never_reach_client_data(client: Path) -> None:
    text = (MINI / "interviews.csv").read_text().splitlines()
    text = ["Email,respondent_id,IP_Address,department,Phone,level," + text[0].split(",", 3)[3]] + [
        f"p{i}@example.com,{l.split(',')[0]},10.0.0.{i},{l.split(',')[1]},555-01{i},{l.split(',', 2)[2]}"
        for i, l in enumerate(text[1:])]
    (client / "interviews.csv").write_text("\n".join(text) + "\n")
    data = load_client(client)
    assert list(data.ratings.columns) == RATINGS_COLUMNS
    assert not data.ratings.astype(str).apply(lambda c: c.str.contains("@|555-01|10\\.0\\.0")).any().any()


def test_unsafe_client_id_with_dots(tmp_path: Path) -> None:
    dest = tmp_path / "acme..corp"
    shutil.copytree(MINI, dest)
    assert [p.reason for p in validate_client(dest)] == ["unsafe_client_id"]


def test_waves(client: Path) -> None:
    for wave in ("2025-Q4", "2025-Q2", "2024-Q10"):
        w = client / "waves" / wave
        shutil.copytree(MINI, w)
        (w / "client.yaml").write_text((MINI / "client.yaml").read_text().replace("wave: 2026-Q1", f"wave: {wave}"))
    (client / "waves" / "notes").mkdir()  # no client.yaml: not a wave
    assert list_waves(client) == ["2024-Q10", "2025-Q2", "2025-Q4"]
    old = load_client(client, wave="2025-Q4")
    assert old.wave == "2025-Q4" and old.client_id == "acme" and old.root == client / "waves" / "2025-Q4"
    assert load_client(client, wave="2026-Q1").root == client  # the current wave
    (p,) = validate_client(client, wave="2019")
    assert (p.reason, p.found) == ("missing_file", "2019")


def test_wave_problems_name_the_wave_folder(client: Path) -> None:
    w = client / "waves" / "2025-Q4"
    shutil.copytree(MINI, w)
    (w / "interviews.csv").write_text((MINI / "interviews.csv").read_text().replace("R02,Sales,manager", "R02,Sales,intern"))
    (p,) = validate_client(client, wave="2025-Q4")
    assert (p.file, p.reason, p.row) == ("acme/waves/2025-Q4/interviews.csv", "unknown_level", 3)


def test_question_bank_is_checked(tmp_path: Path) -> None:
    bank = load_question_bank()
    assert len(bank) == 30 and bank["reverse"].sum() == 8 and bank["outcome"].sum() == 2
    bad = tmp_path / "bank.csv"
    bad.write_text("question_id,area,text,reverse,outcome\nX1,pricing,Some text,false,false\n")
    with pytest.raises(DefinitionError, match="pricing"):
        load_question_bank(bad)


def test_client_questions_override_the_bank(client: Path) -> None:
    (client / "questions.csv").write_text(
        "question_id,area,text,reverse,outcome\n"
        + "\n".join(f"{q},{'outcome' if q == 'OUT01' else 'proven_processes'},Item {q},false,{str(q == 'OUT01').lower()}"
                    for q in ITEMS) + "\n")
    data = load_client(client)
    assert len(data.questions) == 9 and data.sources["questions"].name == "questions.csv"


def test_load_client_raises_with_every_problem(client: Path) -> None:
    (client / "interviews.csv").write_text((MINI / "interviews.csv").read_text().replace(",4,", ",x,"))
    with pytest.raises(ClientDataError) as info:
        load_client(client)
    assert info.value.problems and all(p.reason == "not_a_number" for p in info.value.problems)
    assert "not_a_number" in str(info.value)


@pytest.mark.parametrize("wave", ["../mini", "a/b", "..", ".hidden"])
def test_wave_names_cannot_leave_the_client_folder(client: Path, wave: str) -> None:
    (p,) = validate_client(client, wave=wave)
    assert (p.reason, p.found) == ("unsafe_wave", wave)


def test_trailing_delimiters_are_harmless(client: Path) -> None:
    text = (MINI / "interviews.csv").read_text().replace("\n", ",\n")
    (client / "interviews.csv").write_text(text)
    assert validate_client(client) == []


@pytest.mark.parametrize("content", [b"\x00\x01\x02garbage", b"\n\n\n", b"a\n\"unclosed,\n", "é;ü\n1;2\n".encode("cp1252")])
def test_garbage_never_raises(client: Path, content: bytes) -> None:
    for name in ("interviews.csv", "operations.csv", "excerpts.csv", "roster.csv"):
        (client / name).write_bytes(content)
    problems = validate_client(client)
    assert problems and all(p.severity in ("error", "warning") for p in problems)
    with pytest.raises(ClientDataError):
        load_client(client)
