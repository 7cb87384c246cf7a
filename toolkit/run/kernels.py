"""A kernel manager that cannot collide with its neighbours under parallel load.

Kernels started over TCP pick random ports; with several papermill workers
starting kernels at once two can race for the same port (``ZMQError: Address
already in use``, measured at about 1 in 192 starts here). Over the IPC
transport each kernel talks through Unix sockets named after a path prefix;
giving every kernel its *own* prefix removes both the race and the shared-path
trap (the default prefix ``kernel-ipc`` is the same for every kernel).

When the process has started a kernel template (`toolkit.run.kernel_template`,
done by batch workers), kernels are forked from it instead of started from
scratch: still a fresh process per kernel, minus a second of imports.
"""
from __future__ import annotations

import glob
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from toolkit.run.kernel_template import current_template
from toolkit.run.processes import alive

LAUNCHER = "toolkit.run.kernel_launch"


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
        # toolkit.run.kernel_launch is ipykernel_launcher plus prctl(PR_SET_PDEATHSIG): the kernel
        # dies with this process, even when it is killed with SIGKILL mid-cell.
        return [sys.executable, "-m", LAUNCHER, "-f", os.path.realpath(self.connection_file),
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
        # Only the plain case: a kernelspec `env` or a custom provisioner may set up the
        # interpreter itself (PYTHONPATH, thread counts...), which a fork cannot honour.
        if (template is not None and type(provisioner) is LocalProvisioner
                and not (self.kernel_spec is not None and self.kernel_spec.env)
                and kernel_cmd[1:3] in (["-m", LAUNCHER], ["-m", "ipykernel_launcher"])):
            env = kw.get("env")
            pid = template.fork(kernel_cmd[3:], cwd=kw.get("cwd"), env=dict(os.environ) if env is None else env)
        if pid is None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        provisioner.process = ForkedKernel(pid)  # type: ignore[union-attr]
        # No pgid: signals go through ForkedKernel, which checks the kernel still runs first.
        provisioner.pid, provisioner.pgid = pid, None  # type: ignore[union-attr]
        provisioner.cwd = kw.get("cwd")  # type: ignore[union-attr]
        self._reconcile_connection_info(provisioner.connection_info)  # type: ignore[union-attr]


class ForkedKernel:
    """The `subprocess.Popen` subset jupyter_client uses, for a kernel that is not our child.

    The template is its parent and reaps it at once, so its exit status is not
    ours to read (`poll` reports 0), and its pid may be reused soon after: the
    kernel is held by a pidfd where Linux offers one, and signals are only sent
    while it still runs.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.args = ["kernel", str(pid)]
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):  # older kernels, or it has already ended
            self._pidfd = None

    def poll(self) -> int | None:
        """None while the kernel runs, then 0."""
        if self.returncode is None:
            if self._pidfd is not None:
                ended = bool(select.select([self._pidfd], [], [], 0)[0])  # readable once it has exited
            else:
                ended = not alive(self.pid)
            if ended:
                self.returncode = 0
                self._close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to end (jupyter_client only calls this once it has)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            time.sleep(0.05)
        return 0

    def send_signal(self, signum: int) -> None:
        """Signal the kernel's process group (as jupyter_client does), only while it runs."""
        if self.poll() is not None:
            return
        try:
            os.killpg(self.pid, signum)  # the kernel leads its own session and group
        except OSError:  # not yet a group leader (just forked): the kernel alone
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _close(self) -> None:
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None

    def __del__(self) -> None:
        self._close()
