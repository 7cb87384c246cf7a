"""Tests of `toolkit.batch`: parallel decks, skipping, failure isolation, interrupts, Dask, portfolio.

The batch layer is tested against the stand-in notebooks in ``tests/files``
(``tiny_assessment.ipynb`` has the real notebook's parameters, reads the
client's ``client.yaml`` and ``interviews.csv``, writes a small ``summary.json``
and shows one HTML output; it raises ``ValueError`` in its cell 3 when the
client's sector is ``explode``; ``failing_assessment.ipynb`` raises
``RuntimeError`` in its cell 2) and against small clients written here, so the
tests do not depend on the real assessment notebook. Papermill inserts the
``injected-parameters`` cell after the parameters cell, so in the executed
notebook those cells are 4 and 3.
"""
from __future__ import annotations

import ctypes
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC
from pathlib import Path

import pandas as pd
import pytest

from toolkit.batch import (
    BatchEvent,
    BatchResult,
    discover_clients,
    format_batch_table,
    portfolio_table,
    run_batch,
    run_client,
    write_portfolio_csv,
)
from toolkit.batch.discover import is_unchanged, peek_wave
from toolkit.batch.manifest import failure_reason
from toolkit.errors import ClientDataError
from toolkit.model import Problem
from toolkit.report import ReportResult
from toolkit.run.processes import alive, descendants, parent_pid

pytestmark = pytest.mark.slow  # runs real batches: worker processes and kernels

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "files" / "tiny_assessment.ipynb"
FAILING = ROOT / "tests" / "files" / "failing_assessment.ipynb"
WAVE = "2026-q1"
PYTHON = sys.executable
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h

CLIENT_YAML = """\
name: {name}
wave: {wave}
sector: {sector}
strategy: Be the easiest firm to deal with.
customer_promise: speed
management_style: autonomous
kpis:
- id: wait_time
  name: Wait time
  area: customer_experience
  better: lower
  target: 5.0
  unit: minutes
"""
QUESTIONS = ("CX01", "MS01", "UC01", "PP01")


def make_client(root: Path, client_id: str, *, base: int = 4, sector: str = "test", bad_rating: bool = False,
                name: str | None = None, wave: str = WAVE) -> Path:
    """Write a small valid client: 6 respondents x 4 items rated ``base + (i + j) % 2``.

    Half of the 24 ratings are ``base`` and half ``base + 1``, so the mean is
    ``base + 0.5`` and the tiny notebook's OAI is ``100 * (base - 0.5) / 4``.
    """
    folder = root / client_id
    folder.mkdir(parents=True)
    (folder / "client.yaml").write_text(CLIENT_YAML.format(name=name or client_id.title(), wave=wave, sector=sector),
                                        encoding="utf-8")
    rows = ["respondent_id,department,level,question_id,rating"]
    for i in range(6):
        for j, question in enumerate(QUESTIONS):
            rating = 7 if bad_rating and i == j == 0 else base + (i + j) % 2
            rows.append(f"R{i + 1:02d},{'Sales' if i % 2 else 'Ops'},{('executive', 'manager', 'frontline')[i % 3]},"
                        f"{question},{rating}")
    (folder / "interviews.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ops = ["kpi_id,department,period,value"] + [f"wait_time,{dep},2026-0{m},{3 + m}"
                                               for dep in ("Sales", "Ops") for m in (1, 2, 3)]
    (folder / "operations.csv").write_text("\n".join(ops) + "\n", encoding="utf-8")
    return folder


def staging_left(out: Path) -> list[Path]:
    return sorted(out.rglob(".staging-*")) + sorted(out.rglob(".previous-*"))


def assert_whole(out: Path) -> None:
    """Every published wave folder is complete: nothing half-written is visible."""
    for wave_dir in out.glob(f"*/{WAVE}"):
        assert sorted(p.name for p in wave_dir.iterdir()) == ["assessment.ipynb", "deck.html", "run.json",
                                                              "summary.json"], wave_dir


# --- one real batch, shared by the tests that read it ---------------------------------------------

@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """alpha, bravo good; charlie invalid (a rating of 7); delta fails in cell 3 (sector 'explode')."""
    root = tmp_path_factory.mktemp("batch")
    data, out = root / "client_data", root / "reports"
    make_client(data, "alpha", base=4)                      # mean 4.5 -> OAI 100 * 3.5 / 4 = 87.5
    make_client(data, "bravo", base=2)                      # mean 2.5 -> OAI 100 * 1.5 / 4 = 37.5
    make_client(data, "charlie", bad_rating=True)
    make_client(data, "delta", sector="explode")
    (data / "notes").mkdir()                                # not a client: no client.yaml
    events: list[BatchEvent] = []
    # Only this test's own processes count: as a child subreaper, anything the batch orphans (a kernel whose
    # worker ended) is adopted by this process rather than by init, so it stays among our descendants.
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0, os.strerror(ctypes.get_errno())
    before = set(descendants(os.getpid()))
    result = run_batch(data, out_dir=out, workers=2, formats=("html",), notebook=TINY, on_event=events.append)
    deadline = time.monotonic() + 10                        # workers exit as the pool shuts down

    def left() -> set[int]:
        return {p for p in set(descendants(os.getpid())) - before if alive(p)}

    while left() and time.monotonic() < deadline:
        time.sleep(0.1)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
    return {"data": data, "out": out, "result": result, "events": events, "left": {p: _cmdline(p) for p in left()}}


def test_a_finished_batch_leaves_no_worker_template_or_kernel_behind(batch):
    # multiprocessing's resource tracker serves this (test) process for its whole life, by design
    assert {p: c for p, c in batch["left"].items() if "resource_tracker" not in c} == {}


def test_good_clients_get_decks_and_broken_ones_exact_reasons(batch):
    result: BatchResult = batch["result"]
    out: Path = batch["out"]
    assert [(r.client_id, r.status) for r in result.results] == [
        ("alpha", "ok"), ("bravo", "ok"), ("charlie", "invalid"), ("delta", "failed")]
    assert result.ok is False
    assert result.counts == {"ok": 2, "unchanged": 0, "failed": 1, "invalid": 1}
    assert_whole(out)
    assert sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")) == [
        "alpha", "bravo", "delta"]
    assert (out / ".scores").is_dir()                       # phase-1 scores, cached by inputs (hidden)

    charlie = result.results[2]
    assert [(p.reason, p.row, p.column, p.found) for p in charlie.problems if p.severity == "error"] == [
        ("out_of_range", 2, "rating", "7")]                 # first data row is spreadsheet row 2

    delta = result.results[3]
    kept = out / "delta" / f"{WAVE}.failed" / "assessment.ipynb"
    assert delta.failed_cell == 4                           # tiny cell 3, shifted by the injected cell
    assert delta.ename == "ValueError"
    assert delta.failed_notebook == kept and kept.exists()
    assert not (out / "delta" / WAVE).exists()              # a failure publishes nothing

    table = format_batch_table(result.results).splitlines()
    assert table[0].split() == ["client", "status", "why", "seconds", "html", "pdf", "pptx", "reason"]
    assert "1 problem [out_of_range]: " in table[4] and "expected a rating 1-5, found 7" in table[4]
    assert "cell 4" in table[5] and "ValueError" in table[5] and str(kept) in table[5]


def test_events_and_manifest_tell_the_whole_story(batch):
    kinds = {}
    for e in batch["events"]:
        kinds.setdefault(e.client_id, []).append(e.kind)
    assert kinds == {"alpha": ["scored", "started", "finished"], "bravo": ["scored", "started", "finished"],
                     "charlie": ["scored"], "delta": ["scored", "started", "finished"]}
    scored = [e.client_id for e in batch["events"] if e.kind == "scored"]
    assert scored == ["alpha", "bravo", "charlie", "delta"]  # phase 1 ends before any client starts
    assert [e.kind for e in batch["events"]][:4] == ["scored"] * 4
    invalid = [e for e in batch["events"] if e.kind == "scored" and e.result is not None]
    assert [(e.client_id, e.result.status) for e in invalid] == [("charlie", "invalid")]

    path: Path = batch["result"].manifest_path
    assert path.parent == batch["out"] and path.name.startswith("batch-") and path.name.endswith("Z.json")
    manifest = json.loads(path.read_text())
    assert manifest["complete"] is True and manifest["interrupted"] is False
    assert manifest["workers"] == 2 and manifest["formats"] == ["html"] and manifest["pending"] == []
    assert [(r["client_id"], r["status"]) for r in manifest["results"]] == [
        ("alpha", "ok"), ("bravo", "ok"), ("charlie", "invalid"), ("delta", "failed")]
    assert manifest["results"][3]["failed_cell"] == 4


def test_portfolio_reads_the_published_summaries(batch):
    table = portfolio_table(batch["out"])
    assert table["client_id"].tolist() == ["alpha", "bravo"]
    assert table["name"].tolist() == ["Alpha", "Bravo"]
    assert table["wave"].tolist() == [WAVE, WAVE]
    assert table["oai"].tolist() == [87.5, 37.5]            # see make_client
    assert table["band"].tolist() == ["aligned", "misaligned"]
    path = write_portfolio_csv(batch["out"])
    assert path == batch["out"] / "portfolio.csv"
    assert path.read_text().splitlines()[1] == "alpha,Alpha,2026-q1,87.5,aligned,proven_processes"


def _mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))}


def test_rerun_with_nothing_changed_is_all_unchanged_and_touches_nothing(batch):
    kwargs = dict(out_dir=batch["out"], formats=("html",), notebook=TINY, only=["alpha", "bravo"])
    # The fingerprint covers the toolkit's own source: when someone edits it while the
    # module fixture runs (a shared working tree), this first call catches up; in CI
    # it already skips both clients. (Speed is measured by the benchmarks, not asserted here.)
    run_batch(batch["data"], **kwargs)
    before = {c: _mtimes(batch["out"] / c) for c in ("alpha", "bravo")}
    events: list[BatchEvent] = []
    result = run_batch(batch["data"], on_event=events.append, **kwargs)
    assert [(r.client_id, r.status) for r in result.results] == [("alpha", "unchanged"), ("bravo", "unchanged")]
    assert result.ok is True and result.counts["unchanged"] == 2
    assert not [e for e in events if e.kind in ("started", "finished")]   # no kernel was started
    assert {e.client_id for e in events if e.kind != "scored"} == {"alpha", "bravo"}
    # the whole portfolio is scored for the benchmark, whatever `only` picks
    assert [e.client_id for e in events if e.kind == "scored"] == ["alpha", "bravo", "charlie", "delta"]
    after = {c: _mtimes(batch["out"] / c) for c in ("alpha", "bravo")}
    assert after == before and before["alpha"]                           # every output untouched


def _skip_if_toolkit_changed(client: Path, out: Path) -> None:
    """Skip when the toolkit's own source changed since ``client`` was run (shared working trees only)."""
    if not is_unchanged(client, WAVE, out_dir=out, notebook=TINY, formats=("html",), parameters={}):
        pytest.skip("the toolkit's source or templates changed during the test session")


def _copy(batch, tmp_path: Path) -> tuple[Path, Path]:
    data, out = tmp_path / "client_data", tmp_path / "reports"
    shutil.copytree(batch["data"], data)
    shutil.copytree(batch["out"], out)
    return data, out


def test_touching_one_client_reruns_only_that_client(batch, tmp_path):
    data, out = _copy(batch, tmp_path)
    _skip_if_toolkit_changed(data / "bravo", out)
    yaml_path = data / "alpha" / "client.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("name: Alpha", "name: Alpha Renamed"))
    result = run_batch(data, out_dir=out, workers=1, formats=("html",), notebook=TINY, only=["alpha", "bravo"])
    assert [(r.client_id, r.status) for r in result.results] == [("alpha", "ok"), ("bravo", "unchanged")]
    assert json.loads((out / "alpha" / WAVE / "summary.json").read_text())["client_name"] == "Alpha Renamed"
    assert staging_left(out) == []


def test_a_failing_run_never_replaces_the_last_good_deck(batch, tmp_path):
    data, out = _copy(batch, tmp_path)
    good = {name: (out / "bravo" / WAVE / name).read_bytes() for name in ("deck.html", "summary.json", "run.json")}
    result = run_batch(data, out_dir=out, workers=1, formats=("html",), notebook=FAILING, only=["bravo"])
    (bravo,) = result.results
    assert (bravo.status, bravo.failed_cell, bravo.ename) == ("failed", 3, "RuntimeError")
    assert bravo.failed_notebook == out / "bravo" / f"{WAVE}.failed" / "assessment.ipynb"
    assert {name: (out / "bravo" / WAVE / name).read_bytes() for name in good} == good
    assert staging_left(out) == []


def test_dask_executor_gives_byte_identical_summaries(batch, tmp_path):
    distributed = pytest.importorskip("distributed")
    from toolkit.batch import dask_executor

    out = tmp_path / "reports"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            dask_executor(cluster.scheduler_address) as executor:
        result = run_batch(batch["data"], out_dir=out, formats=("html",), notebook=TINY, only=["alpha", "bravo"],
                           executor=executor)
    assert [r.status for r in result.results] == ["ok", "ok"]
    for client in ("alpha", "bravo"):
        local = (batch["out"] / client / WAVE / "summary.json").read_bytes()
        assert (out / client / WAVE / "summary.json").read_bytes() == local
    assert json.loads(result.manifest_path.read_text())["executor"] == "ClientExecutor"


# --- interruptions ---------------------------------------------------------------------------------

def _start_batch(data: Path, out: Path) -> subprocess.Popen:
    code = textwrap.dedent(f"""
        from pathlib import Path
        from toolkit.batch import run_batch
        run_batch(Path({str(data)!r}), out_dir=Path({str(out)!r}), workers=2, formats=("html",),
                  notebook=Path({str(TINY)!r}))
    """)
    return subprocess.Popen([PYTHON, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_until_running(proc: subprocess.Popen, out: Path, timeout: float = 180) -> list[int]:
    """Wait for a client to be mid-run (a worker runs a kernel); return the batch's process tree."""
    deadline = time.monotonic() + timeout
    assert proc.stderr is not None  # _start_batch pipes it
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        tree = descendants(proc.pid)
        if any(_is_kernel(p) for p in tree):  # a worker and its kernel at least
            return tree
        time.sleep(0.05)
    raise AssertionError("the batch never started a client")


def _is_kernel(pid: int) -> bool:
    """A kernel started as usual (``ipykernel_launcher``) or forked by a worker's kernel template."""
    cmdline = _cmdline(pid)
    return "ipykernel_launcher" in cmdline or "toolkit.run.kernel_launch" in cmdline or _is_forked_kernel(pid)


def _is_forked_kernel(pid: int) -> bool:
    parent = parent_pid(pid)
    return parent is not None and "toolkit.run.kernel_template" in _cmdline(parent)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _wait_dead(pids: list[int], timeout: float = 15) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


def test_a_killed_batch_leaves_nothing_half_written_and_a_rerun_finishes(tmp_path):
    data, out = tmp_path / "client_data", tmp_path / "reports"
    for i, client in enumerate(("echo", "foxtrot", "golf")):
        make_client(data, client, base=2 + i)
    proc = _start_batch(data, out)
    tree = _wait_until_running(proc, out)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert _wait_dead(tree) == []                            # workers notice and take their kernels along
    assert_whole(out)                                        # a published folder is whole, or absent
    (manifest,) = out.glob("batch-*.json")
    partial = json.loads(manifest.read_text())
    assert partial["complete"] is False and len(partial["pending"]) >= 1

    finished_before = {r["client_id"] for r in partial["results"] if r["status"] == "ok"}
    for client in finished_before:
        _skip_if_toolkit_changed(data / client, out)
    result = run_batch(data, out_dir=out, workers=2, formats=("html",), notebook=TINY)
    assert {r.client_id: r.status for r in result.results} == {
        c: "unchanged" if c in finished_before else "ok" for c in ("echo", "foxtrot", "golf")}
    assert staging_left(out) == []
    assert_whole(out)


def test_ctrl_c_ends_workers_and_kernels_and_writes_a_partial_manifest(tmp_path):
    data, out = tmp_path / "client_data", tmp_path / "reports"
    for client in ("hotel", "india", "juliet"):
        make_client(data, client)
    proc = _start_batch(data, out)
    tree = _wait_until_running(proc, out)
    assert any(_is_forked_kernel(p) for p in tree)           # workers fork kernels from their template
    proc.send_signal(signal.SIGINT)                          # only the batch process, as a cautious test
    _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0 and b"KeyboardInterrupt" in err
    # Workers and kernels are ended as the batch process exits (a process caught mid-exit
    # has an empty cmdline for a moment, so give them a few seconds); multiprocessing's
    # resource tracker leaves by itself once its parent is gone.
    left = {p: _cmdline(p) for p in tree if alive(p)}
    assert _wait_dead([p for p, c in left.items() if "resource_tracker" not in c], timeout=10) == []
    assert _wait_dead(list(left)) == []
    (manifest,) = out.glob("batch-*.json")
    partial = json.loads(manifest.read_text())
    assert partial["complete"] is False and partial["interrupted"] is True and partial["finished"]
    assert len(partial["results"]) + len(partial["pending"]) == 3 and partial["pending"]
    assert staging_left(out) == []
    assert_whole(out)


# --- pieces, without kernels -----------------------------------------------------------------------

def test_discover_clients_finds_folders_with_client_yaml_and_names_unknown_ids(tmp_path):
    make_client(tmp_path, "b-client")
    make_client(tmp_path, "a-client")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "not-a-client").mkdir()
    assert [p.name for p in discover_clients(tmp_path)] == ["a-client", "b-client"]
    assert [p.name for p in discover_clients(tmp_path, only=["b-client"])] == ["b-client"]
    assert [p.name for p in discover_clients(tmp_path / "a-client")] == ["a-client"]  # one client folder
    with pytest.raises(ClientDataError) as info:
        discover_clients(tmp_path, only=["a-clinet"])
    (problem,) = info.value.problems
    assert problem.reason == "unknown_client" and "did you mean 'a-client'" in problem.message


@pytest.mark.parametrize("text, wave", [
    (f"name: X\nwave: {WAVE}\n", WAVE),
    ("name: X\nwave: ../../etc\n", None),                    # not a wave id: never used as a path
    ("name: X\n", None),
    ("- just\n- a list\n", None),
    ("wave: [unclosed\n", None),
])
def test_peek_wave(tmp_path, text, wave):
    (tmp_path / "client.yaml").write_text(text)
    assert peek_wave(tmp_path) == wave


def test_run_client_turns_invalid_data_into_a_picklable_result(tmp_path):
    folder = make_client(tmp_path / "data", "kilo", bad_rating=True)
    result = run_client(str(folder), wave=WAVE, out_dir=str(tmp_path / "out"), formats=("html",), parameters={},
                        force=False, notebook=str(TINY))
    again = pickle.loads(pickle.dumps(result))
    assert (again.client_id, again.wave, again.status) == ("kilo", WAVE, "invalid")
    assert [p.reason for p in again.problems if p.severity == "error"] == ["out_of_range"]
    assert not (tmp_path / "out" / "kilo").exists()          # no kernel, no output


def test_is_unchanged_needs_an_ok_run_with_the_same_fingerprint(tmp_path):
    folder = make_client(tmp_path / "data", "lima")
    out = tmp_path / "out"
    kwargs = dict(out_dir=out, notebook=TINY, formats=("html",), parameters={})
    assert is_unchanged(folder, WAVE, **kwargs) is False    # never run
    from toolkit.run.fingerprint import input_fingerprint
    fp = input_fingerprint(folder, notebook=TINY, extra={"parameters": {}, "formats": ["html"], "wave": ""})
    (out / "lima" / WAVE).mkdir(parents=True)
    run_json = out / "lima" / WAVE / "run.json"
    run_json.write_text(json.dumps({"status": "ok", "input_hash": fp["input_hash"]}))
    assert is_unchanged(folder, WAVE, **kwargs) is False    # the deck it claims is missing
    (out / "lima" / WAVE / "deck.html").write_text("deck")
    assert is_unchanged(folder, WAVE, **kwargs) is True
    assert is_unchanged(folder, WAVE, **{**kwargs, "formats": ("html", "pdf")}) is False
    run_json.write_text(json.dumps({"status": "failed", "input_hash": fp["input_hash"]}))
    assert is_unchanged(folder, WAVE, **kwargs) is False


@pytest.mark.parametrize("statuses, ok", [
    (["ok", "unchanged"], True), (["ok", "failed"], False), (["invalid"], False), ([], True)])
def test_batch_result_ok(statuses, ok):
    from datetime import datetime

    now = datetime.now(UTC)
    results = [ReportResult(f"c{i}", WAVE, s) for i, s in enumerate(statuses)]
    assert BatchResult(results, Path("m.json"), now, now, 0.0, 1).ok is ok


def test_failure_reason_summarises_problems_and_failures():
    problems = [Problem("acme/interviews.csv", "out_of_range", "expected a rating 1-5, found 7", row=15, column="Q07"),
                Problem("acme/interviews.csv", "missing_column", "column 'department' is missing"),
                Problem("acme/client.yaml", "unknown_column", "a warning", severity="warning")]
    invalid = ReportResult("acme", WAVE, "invalid", problems=problems)
    assert failure_reason(invalid) == ("2 problems [out_of_range, missing_column]: acme/interviews.csv row 15, "
                                       "column 'Q07': expected a rating 1-5, found 7")
    failed = ReportResult("acme", WAVE, "failed", message="cell 4 ('x') raised KeyError: 'a'",
                          failed_notebook=Path("/r/acme/w.failed/assessment.ipynb"), failed_cell=4)
    assert failure_reason(failed) == ("cell 4 ('x') raised KeyError: 'a'; "
                                      "notebook kept at /r/acme/w.failed/assessment.ipynb")
    assert failure_reason(ReportResult("acme", WAVE, "ok")) == ""


def test_batch_table_shows_the_note_of_a_deck_made_with_a_caveat():
    made = ReportResult("acme", WAVE, "ok", seconds=2.0, notes=["no Chromium found to make PDFs:\n  install it"])
    rows = format_batch_table([made, ReportResult("beta", WAVE, "ok", seconds=1.0)]).splitlines()
    assert rows[2].split(None, 6) == ["acme", "ok", "2.0", "-", "-", "-",
                                      "note: no Chromium found to make PDFs: install it"]
    assert rows[3].split() == ["beta", "ok", "1.0", "-", "-", "-"]


@pytest.mark.parametrize("summary, expected", [
    ({"schema_version": "1.0", "client_id": "x", "client_name": "X Ltd", "wave": "w2",    # toolkit.summary 1.0
      "oai": {"value": 61.25, "lo": 55.0, "hi": 66.0, "band": "partly aligned", "n": 40, "suppressed": False,
              "reason": ""}, "principal_gap": "management_style"},
     ("x", "X Ltd", "w2", 61.25, "partly aligned", "management_style")),
    ({"client_id": "x", "client_name": "X Ltd", "wave": "w2", "principal_gap": None,     # suppressed OAI: NA
      "oai": {"value": None, "lo": None, "hi": None, "band": None, "n": None, "suppressed": True,
              "reason": "fewer than 3 respondents"}}, ("x", "X Ltd", "w2", None, None, None)),
    ({"client": {"id": "x", "name": "X Ltd", "wave": "w2"}, "oai": {"value": 61.25, "band": "partly aligned"},
      "principal_gap": "management_style"}, ("x", "X Ltd", "w2", 61.25, "partly aligned", "management_style")),
    ({"client_id": "x", "client_name": "X Ltd", "wave": "w2", "oai": 80, "band": "aligned",
      "principal_gap": {"area": "proven_processes", "gap": 9.1}},
     ("x", "X Ltd", "w2", 80.0, "aligned", "proven_processes")),
    ({"schema_version": "9"}, ("x", None, "w2", None, None, None)),   # nothing known: folder names, NA
])
def test_portfolio_table_reads_summaries_defensively(tmp_path, summary, expected):
    for wave, body in (("w1", {"oai": {"value": 1.0}}), ("w2", summary)):   # w2 is the latest
        (tmp_path / "x" / wave).mkdir(parents=True)
        (tmp_path / "x" / wave / "summary.json").write_text(json.dumps(body))
    (tmp_path / "x" / "w3.failed").mkdir()                    # failures and staging are never read
    (tmp_path / "x" / "w3.failed" / "summary.json").write_text("{}")
    (tmp_path / "y" / "w1").mkdir(parents=True)
    (tmp_path / "y" / "w1" / "summary.json").write_text("not json")
    table = portfolio_table(tmp_path)
    row = tuple(None if v is pd.NA else v for v in table.iloc[0].tolist())
    assert len(table) == 1 and row == expected


def test_portfolio_table_of_an_empty_folder_is_empty_with_columns(tmp_path):
    table = portfolio_table(tmp_path / "nothing")
    assert table.empty and table.columns.tolist() == ["client_id", "name", "wave", "oai", "band", "principal_gap"]


def test_portfolio_takes_the_latest_wave_in_natural_order(tmp_path):
    for wave, oai in (("wave9", 50.0), ("wave10", 70.0)):    # "wave10" < "wave9" as plain text
        (tmp_path / "x" / wave).mkdir(parents=True)
        (tmp_path / "x" / wave / "summary.json").write_text(json.dumps({"oai": {"value": oai}}))
    table = portfolio_table(tmp_path)
    assert table[["wave", "oai"]].values.tolist() == [["wave10", 70.0]]


def test_portfolio_and_benchmark_share_one_latest_summary_rule(tmp_path):
    import toolkit.batch.portfolio as portfolio
    import toolkit.summary as summary

    assert portfolio.latest_summaries is summary.latest_summaries     # one implementation
    # wave "2026-03" is published; an in-flight staging folder, a backup and a failed wave all sort
    # after it in natural order ("(1, '.')" > "(0, 2026)"; "2026-04.failed" > "2026-03") and must lose.
    for wave, oai in (("2026-03", 61.0), (".staging-2026-04@1@ab12cd34", 99.0),
                      (".previous-2026-03@1@ab12cd34", 98.0), ("2026-04.failed", 97.0)):
        (tmp_path / "x" / wave).mkdir(parents=True)
        (tmp_path / "x" / wave / "summary.json").write_text(json.dumps({"oai": {"value": oai}}))
    assert portfolio_table(tmp_path)[["wave", "oai"]].values.tolist() == [["2026-03", 61.0]]
    assert summary.latest_summary(tmp_path / "x") == tmp_path / "x" / "2026-03" / "summary.json"
