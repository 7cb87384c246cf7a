"""What runs inside a batch worker: one client's report, never an exception.

The toolkit's exceptions carry paths and problem lists and do not survive a
pickle round-trip between processes, so the worker turns every exception into
a plain `ReportResult` (status ``invalid`` or ``failed``) before it leaves the
process. Interrupts (``KeyboardInterrupt``, ``SystemExit``) still propagate.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import ClientDataError, RunError
from toolkit.report import ReportResult, run_report

log = logging.getLogger("toolkit")

#: Seconds between two checks that the batch process is still alive.
WATCH_INTERVAL = 0.25


def run_client(client_dir: str, *, wave: str | None, out_dir: str, formats: Sequence[str],
               parameters: dict[str, Any], force: bool, notebook: str) -> ReportResult:
    """Run one client's report and return its result, whatever happens.

    Module-level so that any executor (process pool, Dask) can ship it by name.

    Parameters
    ----------
    client_dir
        The client folder.
    wave
        The client's current wave as read by the batch (used when the report
        fails before it knows the wave).
    out_dir, formats, parameters, notebook
        Passed to `toolkit.report.run_report`.
    force
        Run even when nothing changed since the last good run.

    Returns
    -------
    ReportResult
        ``ok`` / ``unchanged`` from the report; ``invalid`` with the problems;
        ``failed`` with the message, failing cell and kept notebook.
    """
    started = time.perf_counter()
    client_id = Path(client_dir).name
    try:
        return run_report(client_dir, out_dir=out_dir, formats=tuple(formats), parameters=dict(parameters),
                          skip_unchanged=not force, notebook=Path(notebook))
    except ClientDataError as exc:
        return ReportResult(client_id, wave, "invalid", seconds=time.perf_counter() - started,
                            message=exc.render(), problems=list(exc.problems))
    except RunError as exc:
        return ReportResult(client_id, wave, "failed", seconds=time.perf_counter() - started,
                            message=str(exc), failed_notebook=exc.notebook, failed_cell=exc.cell_index,
                            ename=exc.ename)
    except Exception as exc:  # anything else: a bug or an environment problem, still one client only
        last = traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:]
        log.debug("%s failed unexpectedly:\n%s", client_id, "".join(last))
        return ReportResult(client_id, wave, "failed", seconds=time.perf_counter() - started,
                            message=f"{type(exc).__name__}: {exc}", ename=type(exc).__name__)


def ready() -> int:
    """A no-op task that makes a local pool start a worker (and run `init_worker`) ahead of its clients."""
    return os.getpid()


def init_worker(parent_pid: int, kernel_cwd: str | None = None, browser: bool = False) -> None:
    """Process-pool initializer: ignore Ctrl-C, die with the batch process, import the heavy parts.

    A batch killed with SIGKILL cannot clean up; without this its workers would
    finish their client and then wait forever. A daemon thread polls the parent
    pid; when the parent is gone it kills this worker's children (the kernel
    template and its kernels) and exits. The client's hidden staging folder is
    then removed by the next run of that client (`toolkit.report` checks the
    pid in its name).

    Parameters
    ----------
    parent_pid
        The batch process.
    kernel_cwd
        Where the notebook's kernels run; the kernel template starts there.
    browser
        Launch this worker's Chromium now (the batch makes PDFs): it stays open
        for every deck this worker prints (`toolkit.deck.pdf.warm_browser`).
    """
    # Ctrl-C in a terminal reaches the whole process group: the batch process
    # decides what to cancel and ends the workers itself (kernels run in their
    # own session and never see it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    thread = threading.Thread(target=_watch_parent, args=(parent_pid,), name="oat-parent-watch", daemon=True)
    thread.start()
    if os.environ.get("ALIGNMENT_KERNEL_TEMPLATE", "1") != "0":
        # Fresh kernels forked from a template that has done the imports: a second of
        # CPU saved per client (`toolkit.run.kernel_template`); it imports while we warm up.
        from toolkit.run.kernel_template import start_template

        start_template(cwd=kernel_cwd)
    _warm_up()
    if browser:
        from toolkit.deck.pdf import warm_browser

        warm_browser()


def _warm_up() -> None:
    """Import what every client needs once per worker, not once per client."""
    import importlib

    for name in ("papermill", "nbformat", "nbconvert", "toolkit.intake", "toolkit.run.kernels", "toolkit.deck"):
        try:
            importlib.import_module(name)
        except Exception as exc:  # the report will say what is wrong, for the client it concerns
            log.debug("worker warm-up: cannot import %s: %s", name, exc)


def _watch_parent(parent_pid: int) -> None:
    from toolkit.run.processes import kill_tree

    while True:
        time.sleep(WATCH_INTERVAL)
        if os.getppid() != parent_pid:
            kill_tree(os.getpid(), include_root=False, grace=0.5)
            os._exit(70)
