"""`toolkit.scaffold.new_client`: the new-client folder and its Excel intake workbook."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from openpyxl import load_workbook

from toolkit.client_config import ClientConfig
from toolkit.errors import AlignmentError, ClientDataError
from toolkit.scaffold import build_intake_workbook, current_wave, new_client, read_question_bank, save_workbook

BANK = read_question_bank()
QIDS = [q.question_id for q in BANK]


@pytest.fixture
def client(tmp_path):
    return new_client(tmp_path / "client_data", "acme-foods", 'Acme "Foods": Ltd', wave="2026-h2")


def test_writes_exactly_the_three_files(client, tmp_path):
    assert client == tmp_path / "client_data" / "acme-foods"
    assert sorted(p.name for p in client.iterdir()) == ["client.yaml", "interviews.xlsx", "operations.csv"]
    assert (client / "operations.csv").read_text() == "kpi_id,department,period,value\n"
    # No staging folder is left behind.
    assert [p.name for p in client.parent.iterdir()] == ["acme-foods"]


def test_client_yaml_validates_and_explains_every_key(client):
    text = (client / "client.yaml").read_text()
    config = ClientConfig.model_validate(yaml.safe_load(text))
    assert (config.name, config.wave, config.kpis) == ('Acme "Foods": Ltd', "2026-h2", [])
    lines = text.splitlines()
    top_keys = [i for i, line in enumerate(lines) if re.match(r"^[a-z_]+:", line)]
    assert {lines[i].split(":")[0] for i in top_keys} == set(ClientConfig.model_fields)
    for i in top_keys:  # the line above every top-level key is a comment explaining it
        assert lines[i - 1].startswith("#"), lines[i]


def test_validation_warns_about_every_placeholder_left_in_client_yaml(client):
    from toolkit.intake import validate_client

    lines = (client / "client.yaml").read_text().splitlines()
    todo = [p for p in validate_client(client) if p.reason == "placeholder_text"]
    assert [(p.column, p.severity) for p in todo] == [
        ("strategy", "warning"), ("unique_capabilities[0]", "warning"), ("unique_capabilities[1]", "warning")]
    assert all("TODO" in lines[p.row - 1] and p.found.startswith("TODO") for p in todo)


def test_the_client_folder_is_readable_by_colleagues(client):
    import os

    umask = os.umask(0)
    os.umask(umask)
    assert client.stat().st_mode & 0o777 == 0o777 & ~umask  # as mkdir would make it, not mkdtemp's 0700


def test_default_wave_is_the_current_half_year(tmp_path):
    path = new_client(tmp_path, "beta", "Beta")
    assert yaml.safe_load((path / "client.yaml").read_text())["wave"] == current_wave()


@pytest.mark.parametrize("day, wave", [(dt.date(2026, 1, 1), "2026-h1"), (dt.date(2026, 6, 30), "2026-h1"),
                                       (dt.date(2026, 7, 1), "2026-h2"), (dt.date(2027, 12, 31), "2027-h2")])
def test_current_wave(day, wave):
    assert current_wave(day) == wave


def test_workbook_sheets_header_and_notes(client):
    wb = load_workbook(client / "interviews.xlsx")
    assert wb.sheetnames == ["Interviews", "Questions", "How to fill in"]
    ws = wb["Interviews"]
    header = [c.value for c in ws[1]]
    assert header == ["respondent_id", "department", "level"] + QIDS  # 3 + 30 columns
    assert ws.max_row == 1  # empty, ready to fill
    assert ws["D1"].comment.text == f"customer_experience: {BANK[0].text}"
    cx04 = ws.cell(row=1, column=3 + QIDS.index("CX04") + 1).comment.text
    assert "reverse-keyed" in cx04  # CX04 is reverse-keyed in the bank
    questions = [list(r) for r in wb["Questions"].iter_rows(values_only=True)]
    assert questions[0] == ["question_id", "area", "text", "reverse", "outcome"]
    assert [r[0] for r in questions[1:]] == QIDS
    assert questions[1 + QIDS.index("PP03")][3] is True and questions[-1][4] is True  # PP03 reverse, OUT02 outcome
    howto = [r[0] for r in wb["How to fill in"].iter_rows(values_only=True) if r[0]]
    assert len(howto) >= 8 and any("1 (strongly disagree) to 5" in line for line in howto)


def test_workbook_has_level_and_rating_dropdowns(client):
    ws = load_workbook(client / "interviews.xlsx")["Interviews"]
    rules = {str(dv.sqref): (dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}
    # 30 question columns D..AG, 500 data rows (2..501).
    assert rules == {"C2:C501": ("list", '"executive,manager,frontline"'),
                     "D2:AG501": ("list", '"1,2,3,4,5"')}


@pytest.mark.parametrize("bad_id", ["Acme", "acme_foods", "-acme", "acme/x", "../acme", "", "acme foods", "é"])
def test_refuses_unsafe_ids(tmp_path, bad_id):
    with pytest.raises(ClientDataError) as err:
        new_client(tmp_path, bad_id, "Acme")
    assert err.value.problems[0].reason == "invalid_client_id"
    assert "lowercase letters, digits and hyphens" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_never_overwrites_an_existing_folder(client):
    (client / "client.yaml").write_text("name: edited by hand\n")
    with pytest.raises(AlignmentError, match="already exists") as err:
        new_client(client.parent, "acme-foods", "Other")
    assert err.value.problems[0].reason == "client_exists"
    assert (client / "client.yaml").read_text() == "name: edited by hand\n"


@pytest.mark.parametrize("name, wave, column", [("   ", None, "name"), ("Acme", "2026 h1", "wave"),
                                                ("Acme", "h1: x", "wave")])
def test_refuses_blank_name_or_bad_wave(tmp_path, name, wave, column):
    with pytest.raises(ClientDataError) as err:
        new_client(tmp_path, "acme", name, wave=wave)
    assert err.value.problems[0].column == column
    assert not (tmp_path / "acme").exists()


def test_saved_workbooks_are_byte_identical(tmp_path):
    rows = [["R1", "Sales", "manager", *([3] * len(QIDS))]]
    save_workbook(build_intake_workbook(rows=rows), tmp_path / "a.xlsx")
    save_workbook(build_intake_workbook(rows=rows), tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_filled_workbook_round_trips_through_intake(client):
    from toolkit import intake
    wb = load_workbook(client / "interviews.xlsx")
    ws = wb["Interviews"]
    departments, levels = ["Sales", "Operations", "Finance"], ["executive", "manager", "frontline"]
    for r in range(9):
        answers = [(r + j) % 5 + 1 for j in range(len(QIDS))]
        answers[0] = None if r == 0 else answers[0]  # R01 left CX01 blank: not a rating
        ws.append([f"R{r + 1:02d}", departments[r % 3], levels[r // 3], *answers])
    wb.save(client / "interviews.xlsx")
    data = intake.load_client(client)
    assert len(data.ratings) == 9 * 30 - 1
    assert data.respondents.groupby("department").size().to_dict() == {"Finance": 3, "Operations": 3, "Sales": 3}
    r02 = data.ratings.query("respondent_id == 'R02'").set_index("question_id")["rating"]
    assert r02["CX01"] == 2 and r02["CX02"] == 3 and r02["OUT02"] == (1 + 29) % 5 + 1  # raw, not reversed
    assert data.config.name == 'Acme "Foods": Ltd' and len(data.operations) == 0
