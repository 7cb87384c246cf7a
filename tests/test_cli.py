"""The `alignment` command: what it prints and the exit codes it sets (0 ok, 1 failed, 2 invalid)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import CLIENT_DATA, TEST_DATA
from toolkit.cli import main


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("validate", "report", "batch", "portfolio", "demo-data", "new-client"):
        assert command in out


def test_console_script_is_installed():
    exe = shutil.which("alignment", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert exe is not None
    done = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("alignment ")


@pytest.mark.slow
def test_validate_demo_clients_exits_0_and_prints_a_summary(capsys):
    assert main(["validate", str(CLIENT_DATA)]) == 0
    out = capsys.readouterr().out
    assert "swiftmart: ok" in out
    assert "respondents" in out and "northwind-logistics" in out


def test_validate_bad_client_exits_2_with_a_table_naming_row_and_column(capsys):
    bad = TEST_DATA / "bad" / "rating-out-of-range"
    assert bad.exists(), "committed bad-input corpus case missing"
    assert main(["validate", str(bad)]) == 2
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("file"))
    assert header.split()[:4] == ["file", "row", "column", "reason"]
    assert "out_of_range" in out


def test_validate_json_lists_problems_with_reason_codes(capsys):
    bad = TEST_DATA / "bad" / "rating-out-of-range"
    assert bad.exists(), "committed bad-input corpus case missing"
    assert main(["validate", "--json", str(bad)]) == 2
    problems = json.loads(capsys.readouterr().out)[bad.name]
    assert {p["reason"] for p in problems if p["severity"] == "error"} == {"out_of_range"}
    assert all({"file", "row", "column", "found", "expected"} <= set(p) for p in problems)


def test_validate_nothing_found_exits_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path)]) == 2
    assert "no client folders" in capsys.readouterr().err


def test_new_client_then_validate_names_the_empty_files(tmp_path, capsys):
    assert main(["new-client", "acme-retail", "--name", "Acme <Retail>", "--client-data", str(tmp_path)]) == 0
    assert (tmp_path / "acme-retail" / "interviews.xlsx").exists()
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "acme-retail")]) == 2
    assert "acme-retail: INVALID" in capsys.readouterr().out
    # a second scaffold never overwrites
    assert main(["new-client", "acme-retail", "--name", "Again", "--client-data", str(tmp_path)]) == 2


def test_new_client_refuses_an_unsafe_id(tmp_path, capsys):
    assert main(["new-client", "../evil", "--name", "Evil", "--client-data", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_demo_data_regenerates_the_shipped_clients(tmp_path, capsys):
    assert main(["demo-data", "--out", str(tmp_path)]) == 0
    shipped = sorted(p.name for p in CLIENT_DATA.iterdir() if (p / "client.yaml").exists())
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == shipped


@pytest.mark.slow
def test_demo_data_portfolio_of_n_clients(tmp_path, capsys):
    assert main(["demo-data", "--clients", "6", "--out", str(tmp_path)]) == 0
    assert len([p for p in tmp_path.iterdir() if (p / "client.yaml").exists()]) == 6
    assert main(["validate", str(tmp_path)]) == 0


def test_report_unknown_format_exits_2(capsys):
    assert main(["report", str(CLIENT_DATA / "swiftmart"), "--formats", "docx"]) == 2
    assert "docx" in capsys.readouterr().err


@pytest.mark.parametrize("value, why", [("0", "expected at least 1, found 0"),
                                        ("two", "expected a whole number, found 'two'")])
def test_batch_refuses_a_worker_count_below_one(value, why, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["batch", str(CLIENT_DATA), "--out", str(tmp_path), "--workers", value])
    assert info.value.code == 2 and why in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []                  # nothing ran, nothing written
