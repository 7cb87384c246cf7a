"""Ctrl-C and SIGTERM, in any phase: the run stops, nothing is published, nothing keeps running.

Inside `signals_interrupt` (the CLI wraps every command in it) SIGINT and
SIGTERM raise `Interrupted` in the main thread, so the ``finally`` blocks
of a run clean up (staging removed, kernel shut down). A library may catch
that exception on its way out (a browser whose process group also got the
Ctrl-C fails "normally"), so the signal is also remembered: `raise_if_interrupted`
before publishing makes sure an interrupted run is never published.
A second signal during clean-up is recorded but does not break the clean-up.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_received: list[int] = []


class Interrupted(KeyboardInterrupt):
    """The run was interrupted by a signal.

    Attributes
    ----------
    signum
        The signal (``signal.SIGINT`` or ``signal.SIGTERM``).
    """

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM)."""
        return 128 + int(self.signum)


def _handler(signum: int, frame: object) -> None:
    first = not _received
    _received.append(signum)
    if first:
        raise Interrupted(signum)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into `Interrupted` inside the block (main thread only; else a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    previous = {s: signal.signal(s, _handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def interrupted() -> int | None:
    """Return the first signal received inside `signals_interrupt`, or None."""
    return _received[0] if _received else None


def raise_if_interrupted() -> None:
    """Raise `Interrupted` when a signal arrived, even if its exception was swallowed on the way."""
    if _received:
        raise Interrupted(_received[0])


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for a few renames that must not be split; a signal already here stops first.

    A signal that arrives inside the block is delivered (and raises) right after it.
    """
    stop = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, stop)
    except (AttributeError, OSError, ValueError):  # no POSIX signal masks here
        raise_if_interrupted()
        yield
        return
    try:
        pending = signal.sigpending() & stop
        if pending or _received:
            raise Interrupted(_received[0] if _received else min(pending))
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
