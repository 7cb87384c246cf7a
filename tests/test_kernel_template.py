"""Kernels forked from a template: fresh per run, nothing shared, same results, clean ends."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from queue import Empty

import nbformat
import papermill as pm
import pytest
from jupyter_client.provisioning import LocalProvisioner
from nbformat.v4 import new_code_cell, new_notebook

from toolkit.run.kernel_template import current_template, start_template, stop_template
from toolkit.run.kernels import IsolatedKernelManager
from toolkit.run.processes import alive, descendants, parent_pid

pytestmark = [pytest.mark.notebook, pytest.mark.skipif(not sys.platform.startswith("linux"),
                                                          reason="the kernel template is Linux only")]

PROBE = [
    "import os, sys\nprint(os.getpid(), os.getppid(), os.getsid(0), os.getcwd())",
    "print('secret' in globals(), 'pandas' in sys.modules)\nsecret = 'client A data'",
    "import json\nprint(json.dumps(sorted(k for k in os.environ if k.startswith('OAT_TEST'))))",
    "print(os.path.basename(sys.argv[0]), sys.argv[1], sys.argv[2].endswith('.json'))",
    "import gc\nprint(gc.get_freeze_count() > 0, 'scipy.optimize' in sys.modules)",
]
CHART = [
    "import os\nprint(os.getppid())",
    "import hashlib, io\nfrom toolkit.slides.html_parts import chart\n"
    "html = chart(lambda ax: ax.bar(['a', 'b', 'c'], [3, 1, 2]), alt='probe')\n"
    "print(hashlib.sha256(html.encode()).hexdigest())",
    "import numpy as np\nprint(repr(float(np.random.rand())))",
]


def _notebook(folder: Path, cells: list[str], name: str = "probe.ipynb") -> Path:
    nb = new_notebook(cells=[new_code_cell(src) for src in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(nb, path)
    return path


def _run(notebook: Path, cwd: Path) -> list[str]:
    out = pm.execute_notebook(str(notebook), str(notebook.with_suffix(".out.ipynb")), progress_bar=False,
                              kernel_manager_class=IsolatedKernelManager, cwd=str(cwd))
    return [o["text"].strip() for cell in out.cells for o in cell.outputs]


@pytest.fixture
def template(tmp_path):
    """A template whose kernels run in ``tmp_path`` (all of PRELOAD imported, as in a batch)."""
    stop_template()
    made = start_template(cwd=tmp_path)
    yield made
    stop_template()


def test_each_run_gets_a_fresh_kernel_forked_from_the_template(template, tmp_path, monkeypatch):
    notebook = _notebook(tmp_path, PROBE)
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
    # the template's heap is frozen (kernels' collections skip it) and the audit's SciPy is preloaded
    assert first[4] == second[4] == "True True"
    # both kernels have ended and been reaped: nothing new remains below us
    assert template.pid in before
    deadline = time.monotonic() + 5
    while set(descendants(os.getpid())) != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(descendants(os.getpid())) == before
    assert not alive(int(pid1)) and not alive(int(pid2))


def test_forked_kernels_draw_the_same_charts_as_ordinary_ones_with_their_own_randomness(template, tmp_path):
    notebook = _notebook(tmp_path, CHART)
    template_pid = template.pid
    forked = [_run(notebook, tmp_path) for _ in range(2)]
    stop_template()
    assert current_template() is None
    ordinary = _run(notebook, tmp_path)

    assert int(forked[0][0]) == int(forked[1][0]) == template_pid and int(ordinary[0]) == os.getpid()
    assert forked[0][1] == forked[1][1] == ordinary[1]    # the same SVG chart, byte for byte
    assert forked[0][2] != forked[1][2]                   # NumPy's global state is reseeded per kernel


def test_kernels_read_the_working_directory_they_run_in(tmp_path):
    (tmp_path / "matplotlibrc").write_text("lines.linewidth: 7.5\n")  # read by matplotlib at import
    stop_template()
    start_template(cwd=tmp_path)
    try:
        notebook = _notebook(tmp_path, ["import os, matplotlib\nprint(os.getppid(), matplotlib.rcParams['lines.linewidth'])"])
        ppid, width = _run(notebook, tmp_path)[0].split()
        assert int(ppid) == current_template().pid and float(width) == 7.5
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        ppid, width = _run(notebook, elsewhere)[0].split()  # not the template's folder: started as usual
        assert int(ppid) == os.getpid() and float(width) != 7.5
    finally:
        stop_template()


def test_a_dead_template_falls_back_to_ordinary_kernels(template, tmp_path):
    notebook = _notebook(tmp_path, PROBE)
    template.process.kill()
    template.process.wait()
    pid, ppid, _, _ = _run(notebook, tmp_path)[0].split()
    assert int(ppid) == os.getpid()                      # started the usual way, by this process
    assert template.fork(["-f", "unused.json"], cwd=tmp_path, env={}) is None


def test_interrupt_reaches_a_forked_kernel_and_shutdown_ends_it(template, tmp_path):
    import asyncio

    async def scenario() -> tuple[bool, bool, bool]:
        km = IsolatedKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        kc.start_channels()
        try:
            assert isinstance(km.provisioner, LocalProvisioner)  # python3's kernelspec: the plain provisioner
            pid = km.provisioner.pid
            assert pid is not None  # the kernel has started
            was_forked = parent_pid(pid) == template.pid
            await kc.wait_for_ready(timeout=60)
            msg_id = kc.execute("import time\nprint('running', flush=True)\ntime.sleep(60)")
            while True:  # the cell's own code is running (not just announced): SIGINT now interrupts it
                msg = await kc.get_iopub_msg(timeout=60)
                if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream"
                        and "running" in msg["content"]["text"]):
                    break
            reply = None
            for _ in range(5):  # a SIGINT landing between two bytecodes of the kernel's own loop is lost
                await km.interrupt_kernel()
                try:
                    reply = await kc.get_shell_msg(timeout=5)
                    break
                except Empty:
                    continue
            interrupted = (reply is not None and reply["content"]["status"] == "error"
                           and reply["content"]["ename"] == "KeyboardInterrupt")
            survived = await km.is_alive()
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
        return was_forked, interrupted and survived, not alive(pid)

    assert asyncio.run(scenario()) == (True, True, True)


def test_template_ends_when_closed_and_never_keeps_zombies(tmp_path):
    stop_template()
    made = start_template(preload=(), cwd=tmp_path)
    pid = made.pid
    kernel = made.fork(["--version"], cwd=tmp_path, env=dict(os.environ))  # ipykernel prints and exits
    assert kernel is not None and parent_pid(kernel) in (pid, None)
    deadline = time.monotonic() + 10
    while alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(kernel) and descendants(pid) == []  # reaped by the system: no zombie left
    stop_template()
    assert made.process is None and not alive(pid)


def test_the_template_refuses_to_fork_once_it_has_threads(tmp_path):
    # In a process of its own, so that a regression forks that process, not pytest.
    code = textwrap.dedent("""
        import io, json, sys, threading
        from toolkit.run.kernel_template import serve
        threading.Thread(target=threading.Event().wait, daemon=True).start()
        replies = io.StringIO()
        serve((), io.StringIO(json.dumps({"argv": [], "cwd": ".", "env": {}}) + "\\n"), replies)
        sys.stdout.write(replies.getvalue())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == [
        {"ready": True}, {"error": "the template has started threads"}]


def test_a_template_that_cannot_start_is_not_an_error(tmp_path):
    stop_template()
    assert start_template(cwd=tmp_path / "missing") is None and current_template() is None
