"""Process trees: find a process's descendants and end them, so nothing is orphaned.

Uses psutil when it is installed, else reads ``/proc`` (Linux). On other
systems without psutil, only the processes named explicitly are signalled.
"""
from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path


def descendants(pid: int) -> list[int]:
    """Return the pids of every live descendant of ``pid`` (children first)."""
    try:
        import psutil
    except ImportError:
        return _proc_descendants(pid)
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


def _proc_descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def parent_pid(pid: int) -> int | None:
    """Return ``pid``'s parent pid, or None when there is no such process (Linux ``/proc``)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rfind(")") + 2:].split()[1])  # fields after "(comm)": state, ppid, ...


def alive(pid: int) -> bool:
    """Tell whether ``pid`` is a running (not zombie) process."""
    try:
        import psutil

        return psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except ImportError:
        pass
    except Exception:  # psutil.NoSuchProcess and friends
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
        return state[state.rfind(")") + 2] != "Z"
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # exists, but belongs to someone else
            return True
        return True


def terminate(pids: Iterable[int], *, grace: float = 3.0) -> list[int]:
    """Send SIGTERM to ``pids``, wait up to ``grace`` seconds, SIGKILL the survivors.

    Returns
    -------
    list of int
        The pids that had to be killed with SIGKILL.
    """
    pids = [p for p in dict.fromkeys(pids) if p != os.getpid()]
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    survivors = [p for p in pids if alive(p)]
    for pid in survivors:
        _signal(pid, signal.SIGKILL)
    return survivors


def kill_tree(pid: int, *, include_root: bool = True, grace: float = 3.0) -> list[int]:
    """End ``pid``'s descendants (deepest last seen first) and, optionally, ``pid`` itself.

    Returns
    -------
    list of int
        Every pid that was signalled.
    """
    pids = descendants(pid) + ([pid] if include_root else [])
    terminate(pids, grace=grace)
    return pids


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass



PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent ends (``prctl(PR_SET_PDEATHSIG)``).

    A kernel must not outlive the command that started it: not after SIGTERM,
    not after SIGKILL (which no handler sees), not while a cell holds the GIL
    in a long C loop (which stalls ipykernel's own parent poller). The kernel
    then dies with its parent, whatever the signal, and the cell time-out can
    never be outlived.

    Parameters
    ----------
    sig
        The signal to receive.
    parent
        The pid the parent should have; when it has already ended (our parent
        is now another process) ``sig`` is sent at once.

    Returns
    -------
    bool
        Whether the request was made (False off Linux).
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:  # it ended before the request was made
        os.kill(os.getpid(), sig)
    return True
