"""A kernel manager that cannot collide with its neighbours under parallel load.

Kernels started over TCP pick random ports; with several papermill workers
starting kernels at once two can race for the same port (``ZMQError: Address
already in use``, measured at about 1 in 192 starts here). Over the IPC
transport each kernel talks through Unix sockets named after a path prefix;
giving every kernel its *own* prefix removes both the race and the shared-path
trap (the default prefix ``kernel-ipc`` is the same for every kernel).
"""
from __future__ import annotations

import glob
import os
import sys
import tempfile
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager


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
