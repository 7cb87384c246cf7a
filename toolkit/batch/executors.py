"""Executors a batch runs on: a local process pool, or a Dask cluster's executor.

No home-made scheduler: a batch takes any `concurrent.futures.Executor`.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from toolkit.batch.worker import init_worker

#: Start method of local workers. Never "fork": the batch process has threads
#: (the pool's manager thread, logging handlers), and a forked child can inherit
#: a lock held by one of them.
START_METHOD = "spawn"


def default_workers() -> int:
    """Return one worker per core (at least 1)."""
    return os.cpu_count() or 1


def local_executor(workers: int, kernel_cwd: str | os.PathLike[str] | None = None, *,
                   browser: bool = False) -> ProcessPoolExecutor:
    """Return a process pool of ``workers`` spawned workers that die with the batch process.

    ``kernel_cwd`` is the folder the notebook's kernels run in (the notebook's
    own); each worker's kernel template is started there. With ``browser``
    (a batch making PDFs) each worker also launches its one Chromium as it starts.
    """
    return ProcessPoolExecutor(max_workers=max(1, workers), mp_context=multiprocessing.get_context(START_METHOD),
                               initializer=init_worker,
                               initargs=(os.getpid(), os.fspath(kernel_cwd) if kernel_cwd else None, browser))


def pool_pids(executor: ProcessPoolExecutor) -> list[int]:
    """Return the pids of a process pool's live workers (empty when none started)."""
    processes = getattr(executor, "_processes", None) or {}  # private, but stable since Python 3.2
    return [pid for pid in list(processes) if pid]


@contextmanager
def dask_executor(address: str) -> Iterator[Executor]:
    """Connect to a Dask distributed scheduler and yield its `concurrent.futures` executor.

    Parameters
    ----------
    address
        The scheduler's address, e.g. ``tcp://10.0.0.5:8786``.

    Yields
    ------
    concurrent.futures.Executor
        ``distributed.Client(address).get_executor()``; the client is closed on exit.
        Every Dask worker must have the same toolkit installed (checked by
        hash); it needs no access to the client folders or the reports
        folder: tasks carry their inputs and outputs as bytes
        (`toolkit.batch.task`).

    Examples
    --------
    >>> with dask_executor("tcp://127.0.0.1:8786") as ex:  # doctest: +SKIP
    ...     run_batch(Path("client_data"), executor=ex)
    """
    from distributed import Client

    connect: Callable[[str], Any] = Client  # distributed's Client is not annotated: typed as used here
    client = connect(address)
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
