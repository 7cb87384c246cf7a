"""The kernel manager used for every client run."""
from __future__ import annotations

import sys

from toolkit.run.kernels import IsolatedKernelManager


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
