"""Run a command as the child of a subreaper and report what it left running.

``python tests/reaper.py REPORT.json -- CMD ...``: this process becomes a child
subreaper (``prctl(PR_SET_CHILD_SUBREAPER)``), so anything the command starts
and orphans (a kernel, a browser) is re-parented here instead of to init, and
stays among the test's own descendants. When the command ends, it waits up to
`SETTLE_S` seconds for such orphans to end, writes ``{"rc": ..., "survivors":
[command lines]}`` to REPORT.json, then kills the survivors.
"""
from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time

from toolkit.run.processes import alive as is_alive
from toolkit.run.processes import descendants

PR_SET_CHILD_SUBREAPER = 36
SETTLE_S = 5.0


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace").strip()[:200]
    except OSError:
        return str(pid)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main() -> None:
    report, command = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # signals are for the command, sent by pid
    child = subprocess.Popen(command, start_new_session=True)
    rc = child.wait()
    deadline = time.monotonic() + SETTLE_S
    while True:
        _reap()
        alive = [p for p in descendants(os.getpid()) if is_alive(p)]
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    survivors = [_cmdline(p) for p in alive]
    with open(report, "w") as handle:
        json.dump({"rc": rc, "survivors": survivors}, handle)
    for pid in alive:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.2)
    _reap()


if __name__ == "__main__":
    main()
