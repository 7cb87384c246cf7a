"""A batch at firm scale: the same decks whatever the order, exact incremental reruns, no shared filesystem.

One real portfolio (six generated clients, so every client has the five
others a benchmark needs) is rendered with ``tests/files/benchmark_assessment.ipynb``:
the toolkit's own story (scores, privacy, benchmark, summary.json) and a deck
slide listing the client's benchmark percentiles, without the full deck's
charts. Then:

- the same portfolio again, clients submitted in reverse and made to finish in
  another order: byte-identical summary.json and deck text for every client;
- one client's ratings changed: exactly that client and the clients whose
  benchmark percentiles moved are rendered again, each saying why;
- a real ``dask scheduler`` and two ``dask worker`` processes, each worker in
  its own mount namespace with an empty tmpfs over the test's folders (so no
  worker can see the client data, the notebook or the reports): the batch
  completes and its outputs equal the local pool's.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from toolkit.batch import format_batch_table, run_batch
from toolkit.batch.run import BatchEvent
from toolkit.batch.snapshot import SNAPSHOT_PREFIX, latest_snapshot, snapshot_others
from toolkit.batch.task import MAX_TASK_BYTES, ClientTask, TaskOutput, _safe_relpath, publish, read_inputs, run_task

pytestmark = pytest.mark.slow  # runs real batches: worker processes and kernels

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "tests" / "files" / "benchmark_assessment.ipynb"
BIN = Path(sys.executable).parent
CHANGED = "quarry-bank-02"


def _waves(out: Path) -> dict[str, Path]:
    return {d.name: next(p for p in d.iterdir() if p.is_dir() and not p.name.startswith(".")
                         and not p.name.endswith(".failed"))
            for d in sorted(out.iterdir()) if d.is_dir() and not d.name.startswith(".")}


def _deck_text(html: Path) -> str:
    """The text a reader sees in a deck (markup, scripts and styles dropped)."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html.read_text(encoding="utf-8"))
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _outputs(out: Path) -> dict[str, tuple[bytes, str]]:
    return {c: ((w / "summary.json").read_bytes(), _deck_text(w / "deck.html")) for c, w in _waves(out).items()}


def _finish_order(events: list[BatchEvent]) -> list[str]:
    return [e.client_id for e in events if e.kind == "finished"]


class ReleasingInOrder(Executor):
    """A process pool whose results reach the batch in a prescribed order, one a second.

    Every task runs as usual on two workers; its result is handed over only
    once every client before it in ``order`` has been, so the batch sees the
    clients finish in exactly that order.
    """

    def __init__(self, order: list[str], max_workers: int = 2) -> None:
        self.pool = ProcessPoolExecutor(max_workers=max_workers)
        self.order = order
        self.pending: dict[str, tuple[Future, Future]] = {}

    def submit(self, fn, /, *args, **kwargs) -> Future:
        inner = self.pool.submit(fn, *args, **kwargs)
        outer: Future[Any] = Future()
        self.pending[args[0].client_id] = (inner, outer)
        if len(self.pending) == len(self.order):
            threading.Thread(target=self._release, daemon=True).start()
        return outer

    def _release(self) -> None:
        for client in self.order:
            inner, outer = self.pending[client]
            try:
                outer.set_result(inner.result())
            except Exception as exc:  # pragma: no cover (a failed task is reported by the batch)
                outer.set_exception(exc)
            time.sleep(1.0)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    from toolkit.demo import write_portfolio

    root = tmp_path_factory.mktemp("scale")
    data, out = root / "client_data", root / "reports"
    clients = [p.name for p in write_portfolio(data, 6, seed=7)]
    events: list[BatchEvent] = []
    result = run_batch(data, out_dir=out, workers=2, formats=("html",), notebook=NOTEBOOK, only=sorted(clients),
                       on_event=events.append)
    assert [r.status for r in result.results] == ["ok"] * 6, [r.message for r in result.results]
    return {"root": root, "data": data, "out": out, "clients": sorted(clients), "result": result, "events": events}


def test_every_deck_is_benchmarked_against_the_one_snapshot(portfolio):
    out = portfolio["out"]
    (snap_path,) = out.glob(f"{SNAPSHOT_PREFIX}*.json")
    assert portfolio["result"].snapshot == snap_path
    snap = json.loads(snap_path.read_text())
    assert [c["client_id"] for c in snap["clients"]] == portfolio["clients"]
    for client, wave in _waves(out).items():
        summary = json.loads((wave / "summary.json").read_text())
        # the kernel's percentiles (from its anonymous peers) are the snapshot's
        assert [(b["area"], b["percentile"], b["n_clients"]) for b in summary["benchmark"]] == [
            (b["area"], b["percentile"], b["n_clients"]) for b in snap["percentiles"][client]]
        assert {b["n_clients"] for b in summary["benchmark"]} == {5}
        # the values others are compared with are what this client's own summary shows
        shown = {a["area"]: None if a["suppressed"] else a["alignment"] for a in summary["areas"]}
        entry = next(c for c in snap["clients"] if c["client_id"] == client)
        assert entry["areas"] == shown
        record = json.loads((wave / "run.json").read_text())
        assert record["benchmark"]["snapshot"] == snap_path.name and record["benchmark"]["peers"] == 5
    assert "percentiles" in snap and snap["hash"].startswith(snap_path.stem.removeprefix(SNAPSHOT_PREFIX))


def test_same_portfolio_in_another_order_gives_byte_identical_outputs(portfolio, tmp_path):
    out = tmp_path / "reports"
    events: list[BatchEvent] = []
    backwards = list(reversed(portfolio["clients"]))
    first = _finish_order(portfolio["events"])
    order = first[3:] + first[:3][::-1]                                 # another finishing order
    with ReleasingInOrder(order) as executor:
        result = run_batch(portfolio["data"], out_dir=out, formats=("html",), notebook=NOTEBOOK, only=backwards,
                           executor=executor, on_event=events.append)
    assert [r.status for r in result.results] == ["ok"] * 6
    assert [r.client_id for r in result.results] == backwards          # results follow `only`
    assert [e.client_id for e in events if e.kind == "started"] == backwards
    assert _finish_order(events) == order != first
    assert result.snapshot.name == portfolio["result"].snapshot.name   # the same frozen snapshot
    assert _outputs(out) == _outputs(portfolio["out"])
    summary = json.loads(result.manifest_path.read_text())
    assert summary["snapshot"] == result.snapshot.name and set(summary["phases"]) == {"scoring", "rendering"}


def _lower_ratings(client: Path, prefix: str = "UC", rows: int = 20) -> None:
    """Lower one area's ratings by one point for the first ``rows`` respondents (wide interviews.csv)."""
    path = client / "interviews.csv"
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    columns = [i for i, name in enumerate(table[0]) if name.startswith(prefix)]
    for row in table[1:1 + rows]:
        for i in columns:
            if row[i]:
                row[i] = str(max(1, int(row[i]) - 1))
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(table)
    path.write_text(text.getvalue(), encoding="utf-8")


def test_changing_one_client_reruns_exactly_the_clients_whose_benchmark_moved(portfolio, tmp_path):
    data, out = tmp_path / "client_data", tmp_path / "reports"
    shutil.copytree(portfolio["data"], data)
    shutil.copytree(portfolio["out"], out)
    before = json.loads(portfolio["result"].snapshot.read_text())
    _lower_ratings(data / CHANGED)
    result = run_batch(data, out_dir=out, workers=2, formats=("html",), notebook=NOTEBOOK)
    after = json.loads(result.snapshot.read_text())
    assert result.snapshot.name != portfolio["result"].snapshot.name
    moved = {c for c in after["percentiles"] if after["percentiles"][c] != before["percentiles"][c]} - {CHANGED}
    why = {r.client_id: (r.status, r.why) for r in result.results}
    expected = {c: ("unchanged", "unchanged") for c in portfolio["clients"]}
    expected |= {c: ("ok", "benchmark changed") for c in moved} | {CHANGED: ("ok", "data changed")}
    assert why == expected
    # this change moves the client below another in one area: that one's benchmark moved, others did not
    assert moved and len(moved) < len(portfolio["clients"]) - 1
    table = format_batch_table(result.results)
    assert "benchmark changed" in table and "data changed" in table
    # a deck that was not rerun still matches the snapshot it was made with: its benchmark did not move
    for client in set(portfolio["clients"]) - moved - {CHANGED}:
        assert after["percentiles"][client] == before["percentiles"][client]
    again = run_batch(data, out_dir=out, workers=2, formats=("html",), notebook=NOTEBOOK)
    assert {r.status for r in again.results} == {"unchanged"}


def test_one_client_report_uses_the_latest_snapshot_and_says_so(portfolio, tmp_path):
    from toolkit.report import run_report

    out = tmp_path / "reports"
    shutil.copytree(portfolio["out"], out)
    client = portfolio["clients"][0]
    result = run_report(portfolio["data"] / client, out_dir=out, formats=("html",), notebook=NOTEBOOK)
    record = json.loads((result.out_dir / "run.json").read_text())
    snap = latest_snapshot(out)
    assert record["benchmark"] == {"source": "snapshot", "snapshot": snap.name, "hash": snap.hash}
    assert (result.out_dir / "summary.json").read_bytes() == (_waves(portfolio["out"])[client] / "summary.json").read_bytes()

    lone = tmp_path / "alone"
    result = run_report(portfolio["data"] / client, out_dir=lone, formats=("html",), notebook=NOTEBOOK)
    record = json.loads((result.out_dir / "run.json").read_text())
    assert record["benchmark"] == {"source": "portfolio", "folder": str(lone.resolve())}
    assert json.loads((result.out_dir / "summary.json").read_text())["benchmark"] is None  # nobody to compare with


def test_snapshot_others_reads_a_snapshot_like_load_portfolio(portfolio):
    frame = snapshot_others(portfolio["result"].snapshot, exclude=portfolio["clients"][0])
    assert sorted(frame["client_id"].unique()) == portfolio["clients"][1:]
    assert list(frame.columns) == ["client_id", "area", "alignment"] and len(frame) == 5 * 4
    assert str(frame["alignment"].dtype) == "float64"


# --- no shared filesystem ---------------------------------------------------------------------------

def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hidden_worker(address: str, hide: Path, log: Path) -> subprocess.Popen:
    """A ``dask worker`` in its own mount namespace, with an empty tmpfs over ``hide``."""
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--mount", "--map-root-user"]
    script = (f"mount -t tmpfs tmpfs {hide} && exec {BIN / 'dask'} worker {address} --nthreads 1 "
              "--nworkers 1 --no-dashboard --death-timeout 60")
    return subprocess.Popen([*unshare, "bash", "-c", script], stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def test_dask_workers_that_cannot_see_the_files_give_the_local_pools_outputs(portfolio, tmp_path_factory):
    distributed = pytest.importorskip("distributed")
    from toolkit.batch import dask_executor

    hidden = tmp_path_factory.mktemp("hidden")          # client data, notebook and reports live here
    data, out = hidden / "client_data", hidden / "reports"
    shutil.copytree(portfolio["data"], data)
    notebook = hidden / "assessment.ipynb"
    shutil.copy(NOTEBOOK, notebook)
    logs = tmp_path_factory.mktemp("dask-logs")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=(logs / "scheduler.log").open("wb"),
                              stderr=subprocess.STDOUT, start_new_session=True)]
    try:
        procs += [_hidden_worker(address, hidden, logs / f"worker-{i}.log") for i in range(2)]
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            seen = client.run(os.path.exists, str(data / portfolio["clients"][0] / "client.yaml"))
            assert list(seen.values()) == [False, False]   # no worker can see the client data
            assert os.path.exists(data / portfolio["clients"][0] / "client.yaml")
        with dask_executor(address) as executor:
            result = run_batch(data, out_dir=out, formats=("html",), notebook=notebook, executor=executor)
        assert [r.status for r in result.results] == ["ok"] * 6, [r.message for r in result.results]
        assert _outputs(out) == _outputs(portfolio["out"])
        records = [json.loads((w / "run.json").read_text()) for w in _waves(out).values()]
        assert {r["benchmark"]["snapshot"] for r in records} == {portfolio["result"].snapshot.name}
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
        for proc in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(5)


# --- the task's contract, without kernels --------------------------------------------------------------

def test_read_inputs_sends_the_fingerprinted_files_and_refuses_unsafe_names(tmp_path):
    folder = tmp_path / "acme"
    (folder / "waves" / "w1").mkdir(parents=True)
    (folder / "client.yaml").write_text("name: A\n")
    (folder / "waves" / "w1" / "client.yaml").write_text("name: A\n")
    (folder / ".hidden").write_text("x")
    assert read_inputs(folder) == {"client.yaml": b"name: A\n", "waves/w1/client.yaml": b"name: A\n"}
    for bad in ("../x", "/etc/passwd", "a/../../b", ""):
        with pytest.raises(ValueError, match="unsafe"):
            _safe_relpath(bad)
    assert MAX_TASK_BYTES >= 2 ** 20


def _ok_output(files: dict[str, bytes]) -> TaskOutput:
    return TaskOutput("acme", "w1", "ok", files=files)


def test_publish_refuses_outputs_it_did_not_ask_for_and_keeps_the_last_good_deck(tmp_path):
    final = tmp_path / "acme" / "w1"
    final.mkdir(parents=True)
    (final / "deck.html").write_text("last good")
    kwargs = dict(out_dir=tmp_path, fingerprint={"input_hash": "h", "inputs": {}}, formats=("html",),
                  parameters={}, benchmark={}, why="new", seconds=1.0)
    result = publish(_ok_output({"deck.html": b"new", "summary.json": b"{}", "../evil": b"x"}), **kwargs)
    assert result.status == "failed" and result.ename == "BadTaskOutput"
    assert "unexpected output '../evil'" in result.message and "summary.json breaks the schema" in result.message
    result = publish(_ok_output({"summary.json": b"{}"}), **kwargs)
    assert "missing deck.html" in result.message
    assert (final / "deck.html").read_text() == "last good" and not (tmp_path / "evil").exists()
    failed = publish(TaskOutput("acme", "w1", "failed", message="cell 3 raised", failed_notebook=b"{nb}",
                                failed_cell=3, ename="ValueError"), **kwargs)
    assert failed.failed_notebook == tmp_path / "acme" / "w1.failed" / "assessment.ipynb"
    assert failed.failed_notebook.read_bytes() == b"{nb}" and (final / "deck.html").read_text() == "last good"


def test_a_worker_with_another_toolkit_refuses_the_task(tmp_path):
    task = ClientTask("acme", "w1", {"client.yaml": b"name: A\n"}, None, b"{}", str(tmp_path / "nb.ipynb"),
                      "0" * 64, "not-this-toolkit", ("html",), {})
    output = run_task(task)
    assert (output.status, output.ename) == ("failed", "ToolkitMismatch")
    assert "same toolkit version on every worker" in output.message
