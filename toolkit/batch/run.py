"""`run_batch`: decks for many clients, validated first, skipped when unchanged, run in parallel.

Order of work:

1. discover the client folders;
2. in this process, skip every client whose last good run used the same inputs
   (one fingerprint each: a batch where nothing changed takes well under a second);
3. validate every other client; an invalid one never gets a worker or a kernel;
4. run the rest on the executor, one fresh kernel per client (`toolkit.report`),
   at most ``workers`` at a time, rewriting the manifest as each one finishes.

A client that fails never stops the others and never replaces its last good
deck (`toolkit.report` publishes atomically). On Ctrl-C the pending clients
are cancelled, the local workers and their kernels are ended, the partial
manifest is written (``complete: false``) and the interrupt is re-raised.
"""
from __future__ import annotations

import logging
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Literal, Sequence

from toolkit.batch.discover import discover_clients, is_unchanged, peek_wave
from toolkit.batch.executors import default_workers, local_executor, pool_pids
from toolkit.batch.manifest import Manifest, manifest_path, utc_now
from toolkit.processes import descendants, terminate
from toolkit.batch.worker import run_client
from toolkit.report import (DEFAULT_FORMATS, NOTEBOOK, ReportResult, check_parameters, parse_formats,
                            recover_outputs, report_dir)

log = logging.getLogger("toolkit")

EventKind = Literal["validated", "skipped", "started", "finished"]


@dataclass(frozen=True)
class BatchEvent:
    """Something that happened to one client, for progress displays.

    Attributes
    ----------
    kind
        ``skipped`` (unchanged; ``result`` has status ``unchanged``),
        ``validated`` (``result`` is None when valid, else status ``invalid``),
        ``started`` (handed to a worker) or ``finished`` (``result`` set).
    """

    kind: EventKind
    client_id: str
    result: ReportResult | None = None


@dataclass
class BatchResult:
    """The outcome of a batch: one `ReportResult` per client, in discovery order."""

    results: list[ReportResult]
    manifest_path: Path
    started: datetime
    finished: datetime
    seconds: float
    workers: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no client failed or was invalid (the CLI's exit status 0)."""
        return all(r.status in ("ok", "unchanged") for r in self.results)

    def by_status(self, status: str) -> list[ReportResult]:
        """Return the results with the given status."""
        return [r for r in self.results if r.status == status]


def run_batch(
    client_data: Path,
    *,
    out_dir: Path = Path("reports"),
    workers: int | None = None,
    formats: str | Sequence[str] = DEFAULT_FORMATS,
    only: Sequence[str] | None = None,
    force: bool = False,
    executor: Executor | None = None,
    notebook: Path = NOTEBOOK,
    on_event: Callable[[BatchEvent], None] | None = None,
    parameters: dict[str, Any] | None = None,
) -> BatchResult:
    """Produce every client's deck in parallel, skipping the unchanged and the invalid.

    Parameters
    ----------
    client_data
        Folder of client folders (each with a ``client.yaml``).
    out_dir
        The reports folder: decks go to ``<out>/<client>/<wave>/``, the manifest
        to ``<out>/batch-<UTC timestamp>.json``.
    workers
        Clients run at once. Default: one per core with the local pool; with a
        given ``executor``, every client is submitted at once unless set.
    formats
        Deck formats (``html``, ``pdf``, ``pptx``).
    only
        Client ids (folder names) to run; others are ignored.
    force
        Rerun clients even when nothing changed since their last good run.
    executor
        Any `concurrent.futures.Executor` (e.g. `dask_executor`); it is not shut
        down. Default: a spawned local process pool, shut down at the end.
    notebook
        The assessment notebook.
    on_event
        Called in this process with a `BatchEvent` as clients progress.
    parameters
        Extra notebook parameters, the same for every client.

    Returns
    -------
    BatchResult
        ``ok`` is False when any client failed or was invalid.

    Raises
    ------
    ClientDataError
        Bad options: unknown format or parameter, missing folder, unknown ``only`` id.
    KeyboardInterrupt
        Re-raised after cancelling, ending the workers and writing the partial manifest.
    """
    t0 = time.perf_counter()
    started = utc_now()
    out_dir = Path(out_dir).resolve()
    notebook = Path(notebook).resolve()
    fmts = parse_formats(formats)
    params = dict(parameters or {})
    if params:
        check_parameters(params, notebook)
    folders = [f.resolve() for f in discover_clients(Path(client_data), only=only)]
    emit = on_event or (lambda event: None)
    n_workers = workers or default_workers()
    manifest = Manifest(manifest_path(out_dir, started), started, n_workers, fmts, [f.name for f in folders],
                        executor=type(executor).__name__ if executor else "ProcessPoolExecutor")
    manifest.write()

    waves = {f.name: peek_wave(f) for f in folders}
    todo: list[Path] = []
    for folder in folders:
        wave = waves[folder.name]
        if wave:
            recover_outputs(report_dir(out_dir, folder.name, wave))
        if not force and wave and is_unchanged(folder, wave, out_dir=out_dir, notebook=notebook,
                                               formats=fmts, parameters=params):
            result = ReportResult(folder.name, wave, "unchanged", report_dir(out_dir, folder.name, wave),
                                  message="inputs unchanged since the last good run")
            manifest.results[folder.name] = result
            emit(BatchEvent("skipped", folder.name, result))
        else:
            todo.append(folder)
    for folder in todo:
        result = _validate(folder, waves[folder.name])
        if result is not None:
            manifest.results[folder.name] = result
        emit(BatchEvent("validated", folder.name, result))
    todo = [f for f in todo if f.name not in manifest.results]
    manifest.write()

    if todo:
        _run_all(todo, waves, manifest, emit, executor=executor, workers=workers, out_dir=out_dir,
                 formats=fmts, parameters=params, force=force, notebook=notebook)
    manifest.finished, manifest.complete = utc_now(), True
    manifest.write()
    results = [manifest.results[f.name] for f in folders]
    seconds = time.perf_counter() - t0
    counts = manifest.as_dict()["counts"]
    log.info("batch of %d clients in %.1f s: %s", len(results), seconds,
             ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    return BatchResult(results, manifest.path, started, manifest.finished, seconds, manifest.workers, counts)


def _validate(folder: Path, wave: str | None) -> ReportResult | None:
    """Return an ``invalid`` result when the client's data has errors, else None."""
    from toolkit.errors import ClientDataError
    from toolkit.intake import validate_client

    t = time.perf_counter()
    try:
        problems = validate_client(folder)
    except ClientDataError as exc:  # defensive: validation reports, it should not raise
        problems = exc.problems
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        return None
    from toolkit.model import format_problems

    return ReportResult(folder.name, wave, "invalid", seconds=time.perf_counter() - t,
                        message=format_problems(errors, title="invalid client data"), problems=list(problems))


def _run_all(todo: list[Path], waves: dict[str, str | None], manifest: Manifest,
             emit: Callable[[BatchEvent], None], *, executor: Executor | None, workers: int | None,
             out_dir: Path, formats: Sequence[str], parameters: dict[str, Any], force: bool,
             notebook: Path) -> None:
    """Run ``todo`` on the executor, at most ``limit`` at a time; record each result as it lands."""
    own = executor is None
    if own:
        limit = min(workers or default_workers(), len(todo))
        manifest.workers = limit
        executor = local_executor(limit, kernel_cwd=notebook.parent)  # papermill runs kernels there
    else:
        limit = workers or len(todo)
    queue = list(todo)
    running: dict[Future, Path] = {}
    interrupted = False
    try:
        while queue or running:
            while queue and len(running) < limit:
                folder = queue.pop(0)
                future = executor.submit(run_client, str(folder), wave=waves[folder.name], out_dir=str(out_dir),
                                         formats=tuple(formats), parameters=parameters, force=force,
                                         notebook=str(notebook))
                running[future] = folder
                emit(BatchEvent("started", folder.name))
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in done:
                folder = running.pop(future)
                result = _result_of(future, folder, waves[folder.name])
                manifest.record(result)
                emit(BatchEvent("finished", folder.name, result))
    except BaseException:
        interrupted = True
        log.warning("batch interrupted: cancelling %d pending and %d running clients", len(queue), len(running))
        for future in running:
            future.cancel()
        if own:
            _end_pool(executor)  # type: ignore[arg-type]
        for folder in running.values():  # their workers are gone: drop what they left half-done
            wave = waves[folder.name]
            if wave:
                recover_outputs(report_dir(out_dir, folder.name, wave))
        manifest.finished, manifest.interrupted = utc_now(), True
        manifest.write()
        raise
    finally:
        if own and not interrupted:
            executor.shutdown(wait=True)


def _result_of(future: Future, folder: Path, wave: str | None) -> ReportResult:
    """Return the worker's result; a crashed worker (or lost Dask task) is a failed client."""
    try:
        return future.result()
    except Exception as exc:  # BrokenProcessPool, a killed worker, a cancelled task
        return ReportResult(folder.name, wave, "failed", message=f"the worker running this client died: "
                            f"{type(exc).__name__}: {exc}", ename=type(exc).__name__)


def _end_pool(executor: ProcessPoolExecutor) -> None:
    """Stop a local pool now: cancel what is queued, end every worker and kernel it started."""
    workers = pool_pids(executor)
    # shutdown() forgets the pool's processes, so keep them to reap after ending them
    processes = list((getattr(executor, "_processes", None) or {}).values())
    tree = [pid for w in workers for pid in descendants(w)] + workers
    executor.shutdown(wait=False, cancel_futures=True)
    survivors = terminate(tree, grace=3.0)
    if survivors:
        log.warning("batch: %d worker processes had to be killed", len(survivors))
    for process in processes:
        process.join(3.0)  # reap, so nothing is left as a zombie when the batch recovers outputs
