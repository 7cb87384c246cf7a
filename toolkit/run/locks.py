"""One run at a time per client and wave: a file lock next to the published outputs.

Two runs of the same client into the same reports folder would race on the
staging/backup/publish renames (one run's start-up recovery could move the
other's in-flight backup back into place). `client_wave_lock` takes an
exclusive ``fcntl.flock`` on ``<out>/<client>/.<wave>.lock`` for the whole
run; a second run fails at once with a clear message, while runs of other
clients or waves hold other locks and go on in parallel. The kernel releases
the lock when the holder dies, however it dies.
"""
from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.errors import RunError


class RunLocked(RunError):
    """Another run holds the lock of this client and wave."""


def lock_path(final: Path) -> Path:
    """Return the lock file of the output folder ``final`` (``<out>/<client>/<wave>``)."""
    return final.parent / f".{final.name}.lock"


@contextmanager
def client_wave_lock(final: Path) -> Iterator[Path]:
    """Hold the exclusive lock of ``final`` for the ``with`` block, or raise `RunLocked` at once.

    Raises
    ------
    RunLocked
        Another live run holds it (its pid is named).
    OSError
        The folder cannot be created or written (read-only, full).
    """
    path = lock_path(final)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_pid(fd)
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            who = f" (pid {holder})" if holder else ""
            raise RunLocked(f"another run of {final.parent.name} {final.name} into {final.parent.parent} is in "
                            f"progress{who}; wait for it to finish, or write to another --out folder") from None
        try:  # the holder before us may have removed the file: then lock the new one
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield path
    finally:
        try:
            os.unlink(path)  # while still locked: a waiter re-checks the inode above
        except OSError:
            pass
        os.close(fd)


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
