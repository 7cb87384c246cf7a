"""`alignment report`: validation before any kernel, atomic publishing, failures that keep the last good deck."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import CLIENT_DATA
from toolkit.cli import main
from toolkit.errors import ClientDataError, RunError
from toolkit.report import NOTEBOOK, check_parameters, is_current, parse_formats, recover_outputs, run_report
from toolkit.run.publish import publish as _publish

pytestmark = pytest.mark.notebook
CLIENT = "harbor-concierge"


def _tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    """One real report of a demo client (html only), shared by the tests below."""
    out = tmp_path_factory.mktemp("reports")
    client = tmp_path_factory.mktemp("clients") / CLIENT
    shutil.copytree(CLIENT_DATA / CLIENT, client)
    result = run_report(client, out_dir=out, formats="html")
    assert result.status == "ok"
    assert result.out_dir is not None
    return client, result.out_dir


def test_report_publishes_every_output_with_a_run_record(published):
    client, out = published
    assert sorted(p.name for p in out.iterdir()) == ["assessment.ipynb", "deck.html", "run.json", "summary.json"]
    record = json.loads((out / "run.json").read_text())
    assert record["status"] == "ok"
    assert record["client_id"] == CLIENT
    assert set(record["inputs"]) >= {"client.yaml"}
    assert len(record["input_hash"]) == 64
    assert record["timings"]["execute"] > 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["schema_version"]
    # nothing half-written is left next to the published folder
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_misspelt_parameter_is_rejected_before_any_kernel_with_a_suggestion():
    with pytest.raises(ClientDataError) as info:
        check_parameters({"sead": 3})
    problem = info.value.problems[0]
    assert problem.reason == "unknown_parameter"
    assert "did you mean 'seed'?" in problem.message


def test_parameter_of_the_wrong_type_is_rejected_before_any_kernel():
    with pytest.raises(ClientDataError) as info:
        check_parameters({"seed": "abc"})
    (problem,) = info.value.problems
    assert (problem.reason, problem.column, problem.found) == ("bad_parameter", "seed", "abc")
    assert problem.message == "parameter 'seed': expected a whole number >= 0 (default 20261126), found 'abc'"
    check_parameters({"seed": 7})                                 # the right type passes
    import numpy as np

    check_parameters({"seed": np.int64(7)})                       # so does a NumPy integer
    with pytest.raises(ClientDataError):
        check_parameters({"seed": True})                          # True is no seed
    with pytest.raises(ClientDataError) as info:
        check_parameters({"seed": -1})                            # numpy refuses it in the kernel
    assert "expected a whole number >= 0" in info.value.problems[0].message


def test_reserved_parameter_cannot_be_overridden():
    with pytest.raises(ClientDataError) as info:
        check_parameters({"client_dir": "elsewhere"})
    assert "set by the report itself" in info.value.problems[0].message


def test_unknown_format_is_a_usage_error():
    with pytest.raises(ClientDataError) as info:
        parse_formats("html,docx")
    assert info.value.problems[0].found == "docx"
    assert parse_formats("pdf, html,pdf") == ("pdf", "html")


def test_cli_misspelt_parameter_exits_2_and_leaves_last_good_deck(published, capsys):
    client, out = published
    before = _tree_digest(out)
    code = main(["report", str(client), "--out", str(out.parents[1]), "--formats", "html", "-p", "sead", "3"])
    assert code == 2
    assert "unknown parameter 'sead'" in capsys.readouterr().err
    assert _tree_digest(out) == before


def test_cli_invalid_data_exits_2_and_leaves_last_good_deck(published, tmp_path, capsys):
    client, out = published
    before = _tree_digest(out)
    broken = tmp_path / CLIENT
    shutil.copytree(client, broken)
    interviews = next(broken.glob("interviews.*"))
    if interviews.suffix == ".csv":
        text = interviews.read_text(encoding="utf-8-sig").splitlines()
        cells = text[1].split(",")
        cells[-1] = "9"  # a rating off the 1-5 scale in the first data row
        text[1] = ",".join(cells)
        interviews.write_text("\n".join(text) + "\n", encoding="utf-8")
    else:
        pytest.skip("first demo client does not ship CSV interviews")
    code = main(["report", str(broken), "--out", str(out.parents[1]), "--formats", "html"])
    err = capsys.readouterr().err
    assert code == 2
    assert "row 2" in err and "out_of_range" in err
    assert _tree_digest(out) == before


def test_failing_cell_exits_1_names_the_cell_keeps_notebook_and_last_good_deck(published, tmp_path, capsys):
    client, out = published
    before = _tree_digest(out)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "build_story" in c.source and "import" not in c.source) + 1
    nb.cells.insert(index, nbformat.v4.new_code_cell('raise RuntimeError("planted failure")'))
    broken_nb = tmp_path / "assessment.ipynb"
    nbformat.write(nb, broken_nb)
    with pytest.raises(RunError) as info:
        run_report(client, out_dir=out.parents[1], formats="html", notebook=broken_nb)
    err = info.value
    # the index counts papermill's injected-parameters cell; the kept notebook marks the failing cell
    assert err.cell_index == index + 1
    kept = nbformat.read(err.notebook, as_version=4)
    marker = next(i for i, c in enumerate(kept.cells)
                  if "papermill-error-cell-tag" in c.metadata.get("tags", []) and i > 0)
    assert kept.cells[marker + 1].source == 'raise RuntimeError("planted failure")'
    assert err.ename == "RuntimeError"
    assert "planted failure" in str(err)
    assert err.notebook is not None and err.notebook.exists()
    assert err.notebook.parent.name.endswith(".failed")
    assert _tree_digest(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".staging")] == []


def test_publish_swaps_whole_folders_and_recover_restores_after_a_kill(tmp_path):
    final = tmp_path / "acme" / "2026-h1"
    final.mkdir(parents=True)
    (final / "deck.html").write_text("old")
    staging = tmp_path / "acme" / ".staging-2026-h1@999999@abc"
    staging.mkdir()
    (staging / "deck.html").write_text("new")
    _publish(staging, final)
    assert (final / "deck.html").read_text() == "new"
    assert not staging.exists()
    # a run killed between the two renames leaves only the backup: recover puts it back
    backup = tmp_path / "acme" / ".previous-2026-h1@deadbeef"
    final.rename(backup)
    stale = tmp_path / "acme" / ".staging-2026-h1@999999@def"
    stale.mkdir()
    (stale / "deck.html").write_text("half")
    recover_outputs(final)
    assert (final / "deck.html").read_text() == "new"
    assert not backup.exists() and not stale.exists()


def test_recovery_keeps_a_live_run_and_drops_one_whose_process_ended_but_is_not_reaped(tmp_path):
    import subprocess
    import time

    live = subprocess.Popen(["sleep", "30"])
    zombie = subprocess.Popen(["true"])
    deadline = time.monotonic() + 10                         # ended but not waited for: a zombie
    while Path(f"/proc/{zombie.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    try:
        running = tmp_path / "acme" / f".staging-2026-h1@{live.pid}@abc"
        stale = tmp_path / "acme" / f".staging-2026-h1@{zombie.pid}@def"
        running.mkdir(parents=True)
        stale.mkdir()
        recover_outputs(tmp_path / "acme" / "2026-h1")
        assert running.exists() and not stale.exists()
    finally:
        live.kill()
        live.wait()
        zombie.wait()


def test_recovery_never_touches_another_wave_whose_name_starts_alike(tmp_path):
    other = tmp_path / "acme" / ".staging-2026-q1@999999@abc"  # wave "2026-q1", not "2026"
    other.mkdir(parents=True)
    recover_outputs(tmp_path / "acme" / "2026")
    assert other.exists()


def test_publish_carries_explorer_exports_over(tmp_path):
    final = tmp_path / "acme" / "2026-h1"
    (final / "explore-20261126T120000Z").mkdir(parents=True)
    (final / "explore-20261126T120000Z" / "scenario.json").write_text("{}")
    staging = tmp_path / "acme" / ".staging-2026-h1@1@x"
    staging.mkdir()
    (staging / "deck.html").write_text("new")
    _publish(staging, final)
    assert (final / "explore-20261126T120000Z" / "scenario.json").read_text() == "{}"
    assert (final / "deck.html").read_text() == "new"


def test_a_run_missing_a_requested_output_is_not_current(tmp_path):
    out = tmp_path / "acme" / "2026-h1"
    out.mkdir(parents=True)
    (out / "deck.html").write_text("x")
    record = {"status": "ok", "input_hash": "h", "notes": []}
    (out / "run.json").write_text(json.dumps(record))
    assert is_current(out, "h", ("html",))
    assert not is_current(out, "h", ("html", "pdf"))  # no deck.pdf
    assert not is_current(out, "other", ("html",))
    (out / "run.json").write_text(json.dumps({**record, "notes": ["no Chromium: no PDF"]}))
    assert not is_current(out, "h", ("html",))


def test_pptx_format_is_built_by_the_kernel_and_published(tmp_path):
    pptx = pytest.importorskip("pptx")
    result = run_report(CLIENT_DATA / "swiftmart", out_dir=tmp_path, formats="pptx")
    names = sorted(p.name for p in result.out_dir.iterdir())
    assert names == ["assessment.ipynb", "deck.pptx", "run.json", "summary.json"]
    deck = pptx.Presentation(str(result.out_dir / "deck.pptx"))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Executives rate Management Style 31 points above the frontline: a blind spot" in titles
    assert json.loads((result.out_dir / "run.json").read_text())["formats"] == ["pptx"]


def test_manifest_dict_keeps_where_and_why_but_no_found_values_or_small_group_sizes():
    from toolkit.model import Problem
    from toolkit.report import ReportResult

    problems = [Problem("acme/interviews.csv", "duplicate_key", "respondent 'R017' answered Q1 twice",
                        row=9, column="respondent_id", found="R017", expected="one answer per question"),
                Problem("acme/interviews.csv", "small_group", "department 'Legal' has 2 respondents",
                        row=3, column="department", found="Legal", severity="warning")]
    result = ReportResult("acme", "2026-h1", "invalid", message="…R017…", problems=problems)
    text = json.dumps(result.as_dict())
    assert "R017" not in text and "2 respondents" not in text and "Legal" not in text
    assert result.as_dict()["problems"] == [{"file": "acme/interviews.csv", "row": 9, "column": "respondent_id",
                                            "reason": "duplicate_key", "expected": "one answer per question"}]


def test_earlier_wave_and_the_current_wave_named_explicitly(tmp_path):
    client = CLIENT_DATA / "northwind-logistics"
    earlier = run_report(client, out_dir=tmp_path, formats="html", wave="2025-h1")
    assert earlier.out_dir == tmp_path / "northwind-logistics" / "2025-h1"
    assert json.loads((earlier.out_dir / "summary.json").read_text())["wave"] == "2025-h1"
    current = run_report(client, out_dir=tmp_path, formats="html", wave="2026-h1", skip_unchanged=True)
    assert current.out_dir == tmp_path / "northwind-logistics" / "2026-h1" and current.status == "ok"
