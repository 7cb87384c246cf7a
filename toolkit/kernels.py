"""A kernel manager that cannot collide with its neighbours under parallel load.

Kernels started over TCP pick random ports; with several papermill workers
starting kernels at once two can race for the same port (``ZMQError: Address
already in use``, measured at about 1 in 192 starts here). Over the IPC
transport each kernel talks through Unix sockets named after a path prefix;
giving every kernel its *own* prefix removes both the race and the shared-path
trap (the default prefix ``kernel-ipc`` is the same for every kernel).

When the process has started a kernel template (`toolkit.kernel_template`,
done by batch workers), kernels are forked from it instead of started from
scratch: still a fresh process per kernel, minus a second of imports.
"""
from __future__ import annotations

import glob
import os
import signal
import sys
import tempfile
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from toolkit.kernel_template import current_template
from toolkit.processes import alive


class IsolatedKernelManager(AsyncKernelManager):
    """`AsyncKernelManager` on the IPC transport with a unique socket path per kernel."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.transport = "ipc"
        # Unix socket paths are limited to ~107 bytes: keep the prefix short.
        self.ip = os.path.join(tempfile.gettempdir(), f"oat-{uuid.uuid4().hex[:16]}")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """Always start the toolkit's own interpreter.

        A user-level ``python3`` kernelspec (``~/.local/share/jupyter/kernels``) may
        point at another Python without the toolkit; the assessment must not depend on it.
        """
        return [sys.executable, "-m", "ipykernel_launcher", "-f", os.path.realpath(self.connection_file),
                *(extra_arguments or [])]

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        """Remove this kernel's socket files as well as its connection file."""
        await super()._async_cleanup_resources(restart=restart)
        for path in glob.glob(glob.escape(self.ip) + "-*"):
            try:
                os.remove(path)
            except OSError:
                pass

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        """Fork the kernel from this process's template when there is one, else start it as usual."""
        template = current_template()
        provisioner = self.provisioner
        pid = None
        if template is not None and provisioner is not None and kernel_cmd[1:3] == ["-m", "ipykernel_launcher"]:
            env = kw.get("env") or dict(os.environ)
            pid = template.fork(kernel_cmd[3:], cwd=kw.get("cwd"), env=env)
        if pid is None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        provisioner.process = ForkedKernel(pid)  # type: ignore[attr-defined]
        provisioner.pid, provisioner.pgid = pid, pid  # type: ignore[attr-defined]
        provisioner.cwd = kw.get("cwd")  # type: ignore[attr-defined]
        self._reconcile_connection_info(provisioner.connection_info)


class ForkedKernel:
    """The `subprocess.Popen` subset jupyter_client uses, for a kernel that is not our child.

    The template is its parent and reaps it; here it is known by pid only.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """None while the kernel runs, then 0 (its exit status belongs to the template)."""
        if self.returncode is None and not alive(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to end (jupyter_client only calls this once it has)."""
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"kernel {self.pid} still running")
            time.sleep(0.05)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        """Signal the kernel; a kernel that has already ended is not an error."""
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)
