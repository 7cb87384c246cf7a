"""Kernels forked from a template: fresh per run, nothing shared, same results, clean ends."""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from toolkit import kernel_template
from toolkit.kernel_template import current_template, start_template, stop_template
from toolkit.kernels import IsolatedKernelManager
from toolkit.processes import alive, descendants

pytestmark = [pytest.mark.notebook, pytest.mark.skipif(not sys.platform.startswith("linux"),
                                                          reason="the kernel template is Linux only")]

PROBE = [
    "import os, sys\nprint(os.getpid(), os.getppid(), os.getsid(0), os.getcwd())",
    "print('secret' in globals(), 'pandas' in sys.modules)\nsecret = 'client A data'",
    "import json\nprint(json.dumps(sorted(k for k in os.environ if k.startswith('OAT_TEST'))))",
    "print(os.path.basename(sys.argv[0]), sys.argv[1], sys.argv[2].endswith('.json'))",
]


def _notebook(tmp_path: Path) -> Path:
    nb = new_notebook(cells=[new_code_cell(src) for src in PROBE])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def _run(notebook: Path, cwd: Path) -> list[str]:
    out = pm.execute_notebook(str(notebook), str(cwd / "out.ipynb"), kernel_manager_class=IsolatedKernelManager,
                              progress_bar=False, cwd=str(cwd))
    return [o["text"].strip() for cell in out.cells for o in cell.outputs]


@pytest.fixture
def template():
    stop_template()
    made = start_template(preload=("ipykernel.kernelapp", "pandas"))
    yield made
    stop_template()


def test_each_run_gets_a_fresh_kernel_forked_from_the_template(template, tmp_path, monkeypatch):
    notebook = _notebook(tmp_path)
    before = set(descendants(os.getpid()))                # the template, and whatever earlier tests left
    monkeypatch.setenv("OAT_TEST_ONLY_IN_THIS_RUN", "1")  # the manager's env reaches the kernel
    first = _run(notebook, tmp_path)
    monkeypatch.delenv("OAT_TEST_ONLY_IN_THIS_RUN")
    second = _run(notebook, tmp_path)

    pid1, ppid1, sid1, cwd1 = first[0].split()
    pid2, ppid2, _, _ = second[0].split()
    assert int(ppid1) == int(ppid2) == template.pid      # forked by the template, not started from scratch
    assert pid1 != pid2 and int(sid1) == int(pid1)       # a new process, leading its own session
    assert Path(cwd1) == tmp_path                        # in the directory papermill asked for
    # nothing from the first run survives into the second; the template's imports do
    assert first[1] == second[1] == "False True"
    assert first[2] == '["OAT_TEST_ONLY_IN_THIS_RUN"]' and second[2] == "[]"
    assert first[3] == "ipykernel_launcher.py -f True"     # as if started by ipykernel_launcher
    # both kernels have ended and been reaped: nothing new remains below us
    assert template.pid in before
    deadline = time.monotonic() + 5
    while set(descendants(os.getpid())) != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(descendants(os.getpid())) == before
    assert not alive(int(pid1)) and not alive(int(pid2))


def test_forked_and_ordinary_kernels_give_the_same_outputs(template, tmp_path):
    notebook = new_notebook(cells=[new_code_cell("import numpy as np, pandas as pd\n"
                                                 "rng = np.random.default_rng(7)\n"
                                                 "print(pd.Series(rng.normal(size=50)).describe().round(6).to_json())")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "same.ipynb"
    nbformat.write(notebook, path)
    forked = _run(path, tmp_path)
    stop_template()
    assert current_template() is None
    ordinary = _run(path, tmp_path)
    assert forked == ordinary and forked[0].startswith('{"count":50.0')


def test_a_dead_template_falls_back_to_ordinary_kernels(template, tmp_path):
    notebook = _notebook(tmp_path)
    template.process.kill()
    template.process.wait()
    pid, ppid, _, _ = _run(notebook, tmp_path)[0].split()
    assert int(ppid) == os.getpid()                      # started the usual way, by this process
    assert template.fork(["-f", "unused.json"], cwd=tmp_path, env={}) is None


def test_interrupt_and_kill_reach_a_forked_kernel(template, tmp_path):
    import asyncio

    async def scenario() -> tuple[bool, bool]:
        km = IsolatedKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        kc.start_channels()
        try:
            pid = km.provisioner.pid
            was_forked = _parent(pid) == template.pid
            await kc.wait_for_ready(timeout=60)
            kc.execute("import time; time.sleep(30)")
            await asyncio.sleep(0.5)
            await km.interrupt_kernel()                  # SIGINT to its process group: the cell stops
            reply = await kc.get_shell_msg(timeout=10)
            interrupted = reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
            interrupted = interrupted and await km.is_alive()
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
        return was_forked, interrupted and not alive(pid)

    assert asyncio.run(scenario()) == (True, True)


def test_template_ends_when_closed_and_never_keeps_zombies(tmp_path):
    stop_template()
    made = start_template(preload=())
    pid = made.pid
    kernel = made.fork(["--version"], cwd=tmp_path, env=dict(os.environ))  # ipykernel prints and exits
    assert kernel is not None and _parent(kernel) in (pid, None)
    deadline = time.monotonic() + 10
    while alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(kernel) and descendants(pid) == []  # reaped by the system: no zombie left
    stop_template()
    assert made.process is None and not alive(pid)


def test_the_template_refuses_to_fork_once_it_has_threads(tmp_path):
    import io
    import json
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    replies = io.StringIO()
    try:
        kernel_template.serve((), io.StringIO(json.dumps({"argv": [], "cwd": str(tmp_path), "env": {}}) + "\n"),
                              replies)
    finally:
        stop.set()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    lines = [json.loads(line) for line in replies.getvalue().splitlines()]
    assert lines == [{"ready": True}, {"error": "the template has started threads"}]


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rfind(")") + 2:].split()[1])
