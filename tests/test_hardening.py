"""Hostile and careless client files end in a clear problem (exit 2), never a crash or silent loss.

The big attacks run the real CLI in a subprocess under a memory limit
(`resource.setrlimit`): before the safe readers, the far cell aborted the
process (rc 134) and the YAML bombs took most of a minute and gigabytes.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import hostile
from conftest import ROOT, TEST_DATA
from toolkit.intake import load_client, validate_client
from toolkit.intake.safe_yaml import YamlLimitError, expanded_size, safe_load
from toolkit.run.limits import Limits

GOOD = TEST_DATA / "good" / "mini"
MEMORY_LIMIT = 3 << 30  # bytes of address space for the attacked process
ALIGNMENT = [sys.executable, "-m", "toolkit.cli"]


def _client(tmp_path: Path, name: str = "acme") -> Path:
    folder = tmp_path / name
    shutil.copytree(GOOD, folder)
    return folder


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _validate_limited(folder: Path) -> subprocess.CompletedProcess:
    """`alignment validate` in a subprocess with at most `MEMORY_LIMIT` of memory; fails the test after 120 s."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "RUST_BACKTRACE": "0"}
    return subprocess.run([*ALIGNMENT, "validate", str(folder)], capture_output=True, text=True, cwd=ROOT,
                          env=env, preexec_fn=_limited, timeout=120)


def test_far_cell_workbook_is_refused_under_a_memory_limit(tmp_path) -> None:
    client = _client(tmp_path)
    (client / "interviews.csv").unlink()
    hostile.far_cell_xlsx(client / "interviews.xlsx")
    done = _validate_limited(client)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "xlsx_too_many_cells" in done.stdout
    assert "1,048,576 rows x 16,384 columns" in done.stdout and "xlsx_max_cells" in done.stdout


def test_zip_bomb_is_refused_from_the_zip_directory_under_a_memory_limit(tmp_path) -> None:
    client = _client(tmp_path)
    (client / "interviews.csv").unlink()
    book = hostile.bomb_xlsx(client / "interviews.xlsx", 100)
    assert book.stat().st_size < 1 << 20  # under a megabyte on disk, 100 MB unzipped
    done = _validate_limited(client)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "xlsx_too_large" in done.stdout and "zip bomb" in done.stdout


def test_zip_bomb_over_the_total_unzipped_size_names_that_limit(tmp_path) -> None:
    client = _client(tmp_path)
    (client / "interviews.csv").unlink()
    hostile.bomb_xlsx(client / "interviews.xlsx", 2)
    (client / "client.yaml").write_text((client / "client.yaml").read_text()
                                        + "limits:\n  xlsx_max_uncompressed_mb: 1\n  xlsx_max_ratio: 100000\n")
    (problem,) = [p for p in validate_client(client) if p.severity == "error"]
    assert problem.reason == "xlsx_too_large"
    assert "the limit is xlsx_max_uncompressed_mb = 1" in problem.message


@pytest.mark.parametrize("file", ["client.yaml", "mapping.yaml"])
def test_billion_laughs_is_refused_at_once_under_a_memory_limit(tmp_path, file: str) -> None:
    client = _client(tmp_path)
    (client / file).write_text(hostile.billion_laughs())
    assert len(hostile.billion_laughs()) < 600
    done = _validate_limited(client)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "yaml_too_large" in done.stdout and "Traceback" not in done.stderr
    assert "ALIGNMENT_LIMIT_YAML_MAX_NODES" in done.stdout


def test_yaml_aliases_within_the_limit_still_load() -> None:
    text = "base: &b {min: 1, max: 5}\nother: *b\n"
    assert safe_load(text) == {"base": {"min": 1, "max": 5}, "other": {"min": 1, "max": 5}}
    assert expanded_size(text) == 13
    with pytest.raises(YamlLimitError):
        safe_load(text, Limits(yaml_max_nodes=12))
    with pytest.raises(YamlLimitError, match="nested more than"):
        safe_load("a: " + "[" * 500 + "]" * 500)
    with pytest.raises(YamlLimitError, match="yaml_max_kb"):
        safe_load("a: " + "x" * 3000, Limits(yaml_max_kb=1))


def test_formula_without_a_saved_value_is_an_error_naming_sheet_and_cell(tmp_path) -> None:
    folder = TEST_DATA / "bad" / "xlsx-formula-without-value"
    (problem,) = [p for p in validate_client(folder) if p.severity == "error"]
    assert (problem.row, problem.column) == (4, "E")
    assert "cell E4 of sheet 'Interviews'" in problem.message
    assert "open the workbook in Excel and save it, or paste values" in problem.message


def test_formula_with_a_saved_value_reads_that_value(tmp_path) -> None:
    client = _client(tmp_path)
    rows = hostile.csv_to_rows((GOOD / "interviews.csv").read_text())
    rows[3][4] = ("=4+1", 5)                           # R03 CX02: 2 in the CSV
    rows[5][5] = (f"={rows[5][5]}", rows[5][5])         # R05 MS01: the same value, as a formula
    (client / "interviews.csv").unlink()
    hostile.write_xlsx(client / "interviews.xlsx", hostile.sheet_xml(rows))
    data = load_client(client)
    expected = load_client(GOOD).ratings
    merged = data.ratings.merge(expected, on=["respondent_id", "question_id"], suffixes=("", "_csv"))
    changed = merged[merged["rating"] != merged["rating_csv"]]
    assert len(data.ratings) == len(expected)
    assert changed[["respondent_id", "question_id", "rating"]].values.tolist() == [["R03", "CX02", 5.0]]


def test_many_formulas_without_values_are_capped_and_counted(tmp_path) -> None:
    client = _client(tmp_path)
    rows = hostile.csv_to_rows((GOOD / "interviews.csv").read_text())
    for row in rows[1:]:
        for c in range(3, len(row)):
            row[c] = ("=1+2", None)
    (client / "interviews.csv").unlink()
    hostile.write_xlsx(client / "interviews.xlsx", hostile.sheet_xml(rows))
    errors = [p for p in validate_client(client) if p.severity == "error"]
    assert {p.reason for p in errors} == {"formula_without_value"}
    assert len(errors) == 11 and errors[-1].found == f"{(len(rows) - 1) * (len(rows[0]) - 3) - 10} more"


def test_long_excerpt_is_refused_and_the_limit_can_be_raised_in_client_yaml(tmp_path) -> None:
    client = _client(tmp_path)
    excerpts = pd.read_csv(client / "excerpts.csv", dtype=str)
    excerpts.loc[0, "text"] = "word " * 50_000
    excerpts.to_csv(client / "excerpts.csv", index=False)
    (problem,) = [p for p in validate_client(client) if p.severity == "error"]
    assert (problem.reason, problem.row, problem.column) == ("text_too_long", 2, "text")
    assert "250,000 characters" in problem.message and "excerpt_max_chars" in problem.message
    (client / "client.yaml").write_text((client / "client.yaml").read_text()
                                        + "limits:\n  excerpt_max_chars: 300000\n")
    assert [p for p in validate_client(client) if p.severity == "error"] == []


def test_environment_raises_a_limit_for_every_client(tmp_path, monkeypatch) -> None:
    client = _client(tmp_path)
    (client / "interviews.csv").unlink()
    hostile.write_xlsx(client / "interviews.xlsx",
                       hostile.sheet_xml(hostile.csv_to_rows((GOOD / "interviews.csv").read_text())))
    monkeypatch.setenv("ALIGNMENT_LIMIT_XLSX_MAX_CELLS", "20")
    assert [p.reason for p in validate_client(client) if p.severity == "error"] == ["xlsx_too_many_cells"]
    monkeypatch.delenv("ALIGNMENT_LIMIT_XLSX_MAX_CELLS")
    assert [p for p in validate_client(client) if p.severity == "error"] == []


def test_symlink_out_of_the_client_folder_is_refused_and_nothing_is_read(tmp_path) -> None:
    client = _client(tmp_path)
    (client / "interviews.csv").unlink()
    (client / "interviews.csv").symlink_to("/etc/passwd")
    other = _client(tmp_path, "other-client")
    (client / "excerpts.csv").unlink()
    (client / "excerpts.csv").symlink_to(other / "excerpts.csv")
    errors = [p for p in validate_client(client) if p.severity == "error"]
    assert sorted((p.reason, p.file) for p in errors) == [("symlink_outside", "acme/excerpts.csv"),
                                                          ("symlink_outside", "acme/interviews.csv")]
    assert all("copy the file in instead of linking" in p.message for p in errors)
    assert not any("passwd" in p.message and p.reason != "symlink_outside" for p in errors)


def test_symlink_inside_the_client_folder_is_followed(tmp_path) -> None:
    client = _client(tmp_path)
    (client / "shared").mkdir()
    (client / "interviews.csv").rename(client / "shared" / "interviews.csv")
    (client / "interviews.csv").symlink_to("shared/interviews.csv")
    assert len(load_client(client).ratings) == len(load_client(GOOD).ratings)


def test_wave_folder_with_a_space_is_bad_input_before_any_kernel(tmp_path) -> None:
    client = _client(tmp_path)
    shutil.copytree(GOOD, client / "waves" / "2025 H2")
    done = subprocess.run([*ALIGNMENT, "report", str(client), "--out", str(tmp_path / "reports")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2
    assert "wave folder '2025 H2' is not a safe wave name" in done.stderr and "'2025-H2'" in done.stderr
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("value, text", [("[1", "parameter 'seed': cannot read the value '[1'"),
                                         ("-1", "parameter 'seed': expected a whole number >= 0")])
def test_bad_parameter_values_are_bad_input_before_any_kernel(tmp_path, capsys, value: str, text: str) -> None:
    from toolkit.cli import main

    code = main(["report", str(GOOD), "--out", str(tmp_path / "reports"), "-p", "seed", value])
    err = capsys.readouterr().err
    assert code == 2 and text in err and "Traceback" not in err
    assert not (tmp_path / "reports").exists()


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys) -> None:
    from toolkit import cli

    def broken(args):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(cli, "cmd_validate", broken)
    assert cli.main(["validate", str(GOOD)]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ["internal error: ZeroDivisionError: planted; rerun with --debug for the "
                                        "traceback and report it"]
    assert cli.main(["--debug", "validate", str(GOOD)]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err
