"""Interrupted, killed and concurrent runs: nothing keeps running, nothing half-done is published.

Each run goes through ``tests/reaper.py`` (a child subreaper), so a kernel or a
browser the run orphans stays among this test's own descendants and is
reported as a survivor; ``tests/phase_cli.py`` marks each phase of the report
as it starts (and can widen one), so the signal lands in the phase named.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from conftest import CLIENT_DATA, ROOT
from toolkit.report import run_report
from toolkit.run.processes import descendants

pytestmark = pytest.mark.notebook
CLIENT = "harbor-concierge"
HERE = Path(__file__).resolve().parent


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good(tmp_path_factory, chromium_path):
    """A client with one good published deck (html and pdf): what every interrupted run must leave as is."""
    client = tmp_path_factory.mktemp("clients") / CLIENT
    shutil.copytree(CLIENT_DATA / CLIENT, client)
    out = tmp_path_factory.mktemp("reports")
    result = run_report(client, out_dir=out, formats="html,pdf")
    assert result.status == "ok" and (result.out_dir / "deck.pdf").exists()
    return client, out, result.out_dir


class Run:
    """One ``alignment`` run under the reaper, with phase markers."""

    def __init__(self, tmp_path: Path, args: list[str], *, pause: str = "-", env: dict[str, str] | None = None,
                 name: str = "run") -> None:
        self.markers = tmp_path / f"{name}.markers"
        self.report = tmp_path / f"{name}.report.json"
        self.stderr = tmp_path / f"{name}.stderr"
        self.markers.write_text("")
        with open(self.stderr, "w") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(HERE / "reaper.py"), str(self.report), "--", sys.executable,
                 str(HERE / "phase_cli.py"), str(self.markers), pause, "--", *args],
                cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=err)

    def phases(self) -> list[str]:
        return self.markers.read_text().split()

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process.poll() is None, f"the run ended before {what}: {self.stderr.read_text()[-2000:]}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.05)

    def wait_phase(self, phase: str) -> None:
        self.wait_for(lambda: phase in self.phases(), f"phase {phase}")

    @property
    def pid(self) -> int:
        self.wait_for(lambda: "pid" in self.phases(), "the pid")
        words = self.phases()
        return int(words[words.index("pid") + 1])

    def has_child(self, text: str) -> bool:
        for pid in descendants(self.process.pid):
            try:
                if text in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                    return True
            except OSError:
                pass
        return False

    def finish(self, timeout: float = 300) -> dict:
        self.process.wait(timeout=timeout)
        return {**json.loads(self.report.read_text()), "stderr": self.stderr.read_text()}


def _left_over(final: Path) -> list[str]:
    return sorted(p.name for p in final.parent.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("phase", ["validate", "execute", "export", "publish"])
def test_signal_in_any_phase_stops_everything_and_publishes_nothing(good, tmp_path, phase, sig) -> None:
    client, out, final = good
    before = _digest(final)
    run = Run(tmp_path, ["report", str(client), "--out", str(out), "--formats", "html,pdf"],
              pause=phase if phase in ("validate", "publish") else "-")
    pid = run.pid
    run.wait_phase(phase)
    if phase == "execute":  # the kernel is up and running the notebook
        run.wait_for(lambda: run.has_child("kernel"), "the kernel")
        time.sleep(1.0)
    elif phase == "export":  # the browser is printing the PDF
        run.wait_for(lambda: run.has_child("chrom"), "the browser")
    os.kill(pid, sig)
    done = run.finish()
    assert done["rc"] == 128 + sig, done["stderr"][-2000:]
    assert done["survivors"] == []
    assert "nothing was published" in done["stderr"] and "Traceback" not in done["stderr"]
    assert _digest(final) == before
    assert _left_over(final) == []  # no staging, backup or lock file


def test_sigkill_of_the_cli_takes_a_busy_kernel_with_it(good, tmp_path) -> None:
    client, out, final = good
    before = _digest(final)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('client_dir = ""\nwave = ""\nbenchmark_path = ""\noutput_dir = ""\n'
                                          'formats = "html"\nseed = 1', metadata={"tags": ["parameters"]}),
                # one long C loop holding the GIL: ipykernel's own parent poller cannot run
                nbformat.v4.new_code_cell('print("busy", flush=True)\nsum(range(10**12))')]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = tmp_path / "busy.ipynb"
    nbformat.write(nb, notebook)
    run = Run(tmp_path, ["report", str(client), "--out", str(out), "--formats", "html"],
              env={"PHASE_NOTEBOOK": str(notebook)})
    pid = run.pid
    run.wait_phase("execute")
    run.wait_for(lambda: run.has_child("kernel"), "the kernel")
    time.sleep(2.0)
    os.kill(pid, signal.SIGKILL)
    done = run.finish()
    assert done["rc"] == -signal.SIGKILL
    assert done["survivors"] == []  # the kernel died with the CLI, mid-cell
    assert _digest(final) == before


def test_two_runs_of_one_client_one_waits_out_the_other_clients_run_alongside(good, tmp_path) -> None:
    client, out, final = good
    other = tmp_path / "clients" / "other-client"
    shutil.copytree(client, other)
    first = Run(tmp_path, ["report", str(client), "--out", str(out), "--formats", "html"], pause="publish",
                env={"PHASE_PAUSE_S": "20"}, name="first")
    first.wait_phase("publish")  # holds the lock, about to swap its deck in
    second = Run(tmp_path, ["report", str(client), "--out", str(out), "--formats", "html"], name="second")
    third = Run(tmp_path, ["report", str(other), "--out", str(out), "--formats", "html"], name="third")
    refused = second.finish()
    assert first.process.poll() is None  # the first run was still publishing when the second gave up
    assert refused["rc"] == 1 and refused["survivors"] == []
    lines = refused["stderr"].strip().splitlines()
    assert len(lines) == 1 and f"another run of {CLIENT} 2026-h1" in lines[0] and f"(pid {first.pid})" in lines[0]
    assert "execute" not in second.phases()  # no kernel was started for it
    assert first.finish()["rc"] == 0
    assert third.finish()["rc"] == 0
    assert json.loads((final / "run.json").read_text())["status"] == "ok"
    assert (out / "other-client" / "2026-h1" / "deck.html").exists()
    assert _left_over(final) == []
