"""The kernel manager used for every client run."""
from __future__ import annotations

import asyncio
import os
import sys
import time

import pytest

from toolkit.run.kernels import IsolatedKernelManager
from toolkit.run.processes import alive, descendants


def test_each_kernel_gets_its_own_ipc_socket_path():
    a, b = IsolatedKernelManager(kernel_name="python3"), IsolatedKernelManager(kernel_name="python3")
    assert a.transport == b.transport == "ipc"
    assert a.ip != b.ip and len(a.ip) < 100  # unique, and short enough for a Unix socket path


def test_kernel_always_runs_the_toolkits_own_interpreter(tmp_path):
    km = IsolatedKernelManager(kernel_name="python3")
    km.connection_file = str(tmp_path / "kernel.json")
    cmd = km.format_kernel_cmd()
    assert cmd[:3] == [sys.executable, "-m", "toolkit.run.kernel_launch"]  # ipykernel_launcher that dies with its parent
    assert cmd[-1].endswith("kernel.json")


@pytest.mark.slow
def test_the_manager_starts_a_real_kernel_that_runs_code_and_stops():
    """A manager that never started a kernel would fail here: the reply comes from a live child process."""

    async def run() -> tuple[int, str, bool]:
        km = IsolatedKernelManager(kernel_name="python3")
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            out: list[str] = []
            reply = await kc.execute_interactive(
                "import os, sys; print(os.getpid(), sys.executable)", timeout=60,
                output_hook=lambda m: out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
            assert reply["content"]["status"] == "ok"
            pid_text, executable = "".join(out).split()
            pid = int(pid_text)
            running = alive(pid) and pid in descendants(os.getpid())
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
        return pid, executable, running

    pid, executable, running = asyncio.run(run())
    assert running and pid != os.getpid()
    assert executable == sys.executable
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)
