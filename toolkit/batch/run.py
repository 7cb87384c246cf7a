"""`run_batch`: decks for many clients in two phases, the same whatever the order they finish in.

Order of work:

1. discover the client folders (the whole portfolio under ``client_data``;
   ``only`` picks the ones to render);
2. **scoring**, in this process: validate and score every client of the
   portfolio (cached by inputs under ``<out>/.scores/``), then freeze one
   benchmark snapshot, ``<out>/benchmark-<hash>.json`` (`toolkit.batch.snapshot`);
   an invalid client never gets a worker or a kernel;
3. skip every chosen client whose last good run used the same inputs *and the
   same benchmark* (its own percentiles' hash is in the fingerprint); say why
   each of the others runs (``new``, ``data changed``, ``benchmark changed``…);
4. **rendering**: send each remaining client to the executor as a bytes-in,
   bytes-out task (`toolkit.batch.task`), at most ``workers`` at a time, and
   publish what comes back atomically from this process, rewriting the
   manifest as each one lands. Local pool and Dask take this one path.

A client that fails never stops the others and never replaces its last good
deck. On Ctrl-C the pending clients are cancelled, the local workers and their
kernels are ended, the partial manifest is written (``complete: false``) and
the interrupt is re-raised.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from toolkit.batch.discover import discover_clients, peek_wave
from toolkit.batch.executors import default_workers, local_executor, pool_pids
from toolkit.batch.manifest import Manifest, manifest_path, utc_now
from toolkit.batch.snapshot import ClientScore, Snapshot, build_snapshot, code_hash, freeze_snapshot
from toolkit.batch.task import ClientResult, ClientTask, TaskOutput, publish, read_inputs, run_task
from toolkit.metrics.score import DEFAULT_SEED
from toolkit.report import (
    DEFAULT_FORMATS,
    NOTEBOOK,
    OUTPUT_FILES,
    ReportResult,
    check_parameters,
    parse_formats,
    read_run_record,
    recover_outputs,
    report_dir,
)
from toolkit.run.fingerprint import report_fingerprint
from toolkit.run.processes import descendants, terminate

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.model import Problem

log = logging.getLogger("toolkit")

EventKind = Literal["scored", "skipped", "started", "finished"]


@dataclass(frozen=True)
class BatchEvent:
    """Something that happened to one client, for progress displays.

    Attributes
    ----------
    kind
        ``scored`` (phase 1, every client of the portfolio; ``result`` is None
        when valid, else status ``invalid``), ``skipped`` (unchanged; ``result``
        has status ``unchanged``), ``started`` (handed to a worker) or
        ``finished`` (``result`` set).
    """

    kind: EventKind
    client_id: str
    result: ReportResult | None = None


@dataclass
class BatchResult:
    """The outcome of a batch: one result per chosen client, in discovery order.

    ``phases`` holds the seconds of ``scoring`` and ``rendering``; ``snapshot``
    is the benchmark snapshot every deck was rendered against.
    """

    results: list[ReportResult]
    manifest_path: Path
    started: datetime
    finished: datetime
    seconds: float
    workers: int
    counts: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    snapshot: Path | None = None

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
    """Produce every chosen client's deck in parallel against one frozen benchmark snapshot.

    Parameters
    ----------
    client_data
        Folder of client folders (each with a ``client.yaml``): the portfolio.
    out_dir
        The reports folder: decks go to ``<out>/<client>/<wave>/``, the manifest
        to ``<out>/batch-<UTC timestamp>.json``, the snapshot to
        ``<out>/benchmark-<hash>.json``.
    workers
        Clients rendered at once. Default: one per core with the local pool;
        with a given ``executor``, every client is submitted at once unless set.
    formats
        Deck formats (``html``, ``pdf``, ``pptx``).
    only
        Client ids (folder names) to render; every client is still scored for
        the benchmark, so the decks do not depend on this choice.
    force
        Rerun clients even when nothing changed since their last good run.
    executor
        Any `concurrent.futures.Executor` (e.g. `dask_executor`); it is not shut
        down. Its workers need the same toolkit installed, not the files.
        Default: a spawned local process pool, shut down at the end.
    notebook
        The assessment notebook (sent to the workers as bytes).
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
    portfolio = [f.resolve() for f in discover_clients(Path(client_data))]
    folders = [f.resolve() for f in discover_clients(Path(client_data), only=only)]
    emit = on_event or (lambda event: None)
    n_workers = workers or default_workers()
    manifest = Manifest(manifest_path(out_dir, started), started, n_workers, fmts, [f.name for f in folders],
                        executor=type(executor).__name__ if executor else "ProcessPoolExecutor")
    manifest.write()

    # Phase 1: score the whole portfolio here, freeze the snapshot. When some chosen client will
    # surely be rendered, the local workers start (imports, kernel template) meanwhile.
    pool: ProcessPoolExecutor | None = None
    ready: list[Future[int]] = []
    if executor is None and (force or any(_surely_rendered(f, out_dir) for f in folders)):
        pool, ready = _start_pool(min(n_workers, len(folders)), notebook, browser="pdf" in fmts)
    code = code_hash()
    seed = int(params.get("seed", DEFAULT_SEED))
    chosen = {f.name for f in folders}
    scores: dict[str, ClientScore] = {}

    def scored(folder: Path, score: ClientScore | list[Problem]) -> None:  # called in portfolio order
        result: ClientResult | None = None
        if isinstance(score, ClientScore):
            scores[folder.name] = score
        else:
            result = _invalid(folder, score)
            if folder.name in chosen:
                manifest.results[folder.name] = result
        emit(BatchEvent("scored", folder.name, result))

    try:
        cached = score_portfolio(portfolio, out_dir, seed=seed, code=code, pool=pool, ready=ready,
                                 on_score=scored)
        snapshot = freeze_snapshot(build_snapshot(list(scores.values()), seed=seed), out_dir)
    except BaseException:
        if pool is not None:
            _end_pool(pool)
        raise
    manifest.phases["scoring"] = time.perf_counter() - t0
    manifest.snapshot = snapshot.name
    log.info("scored %d clients (%d from cache) in %.1f s; benchmark snapshot %s", len(portfolio), cached,
             manifest.phases["scoring"], snapshot.name)

    t1 = time.perf_counter()
    todo: list[tuple[Path, dict[str, Any], str]] = []
    for folder in folders:
        if folder.name in manifest.results:
            continue
        wave = scores[folder.name].wave
        final = report_dir(out_dir, folder.name, wave)
        recover_outputs(final)
        fingerprint = client_fingerprint(folder, notebook=notebook, formats=fmts, parameters=params,
                                         benchmark=snapshot.client_hash(folder.name))
        why = why_rerun(final, fingerprint, fmts, benchmark=snapshot.client_hash(folder.name), force=force)
        if why is None:
            result = ClientResult(folder.name, wave, "unchanged", final, why="unchanged",
                                  message="inputs and benchmark unchanged since the last good run")
            manifest.results[folder.name] = result
            emit(BatchEvent("skipped", folder.name, result))
        else:
            todo.append((folder, fingerprint, why))
    manifest.write()

    if todo:
        _run_all(todo, scores, snapshot, manifest, emit, executor=executor, pool=pool, workers=workers,
                 out_dir=out_dir, formats=fmts, parameters=params, notebook=notebook, code=code, seed=seed)
    elif pool is not None:
        pool.shutdown(wait=True)
    manifest.phases["rendering"] = time.perf_counter() - t1
    manifest.finished, manifest.complete = utc_now(), True
    manifest.write()
    results = [manifest.results[f.name] for f in folders]
    seconds = time.perf_counter() - t0
    counts = manifest.as_dict()["counts"]
    log.info("batch of %d clients in %.1f s: %s", len(results), seconds,
             ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    return BatchResult(results, manifest.path, started, manifest.finished, seconds, manifest.workers, counts,
                       dict(manifest.phases), snapshot.path)


def score_portfolio(portfolio: Sequence[Path], out_dir: Path, *, seed: int, code: str,
                    pool: Executor | None, on_score: Callable[[Path, Any], None],
                    ready: Sequence[Future[Any]] = ()) -> int:
    """Score every client (cached ones from ``<out>/.scores/``), sharing the work with a ready local pool.

    This process scores the clients from the first on. A local pool (its
    workers see the same files) takes clients from the last on, but only as
    its workers are ready (``ready``: one future per worker, done once it has
    started): a worker still importing or starting its kernel template never
    holds a client back, so this is never slower than scoring here alone,
    and the two meet in the middle. A worker that fails to score a client
    (it died) leaves that client to this process. Scores do not depend on who
    computes them. ``on_score(folder, score)`` is called in portfolio order.
    Returns how many scores came from the cache.
    """
    from toolkit.batch.snapshot import lookup_score, score_client, store_score

    done: dict[Path, Any] = {}
    keys: dict[Path, str] = {}
    for folder in portfolio:
        keys[folder], score = lookup_score(folder, out_dir, seed=seed, code=code)
        if score is not None:
            done[folder] = score
    hits = len(done)
    todo = [f for f in portfolio if f not in done]  # this process pops from the front, the pool from the back
    running: dict[Future[ClientScore | list[Problem]], Path] = {}
    reported = 0

    def report() -> None:  # every score known so far, in portfolio order
        nonlocal reported
        while reported < len(portfolio) and portfolio[reported] in done:
            on_score(portfolio[reported], done[portfolio[reported]])
            reported += 1

    def land(folder: Path, score: Any) -> None:
        if isinstance(score, ClientScore):  # remember which files it validated (`make_task`)
            score = replace(score, key=keys[folder])
        done[folder] = score
        store_score(folder, out_dir, keys[folder], score)
        report()

    def collect(block: bool) -> None:
        finished = wait(list(running), return_when=FIRST_COMPLETED)[0] if block else [f for f in running if f.done()]
        for future in finished:
            folder = running.pop(future)
            try:
                land(folder, future.result())
            except Exception as exc:  # a worker died: score it here
                log.debug("scoring %s on a worker failed (%s): scoring it here", folder.name, exc)
                land(folder, score_client(folder, seed=seed))

    report()
    try:
        while todo or running:
            collect(block=not todo)
            if pool is not None:
                workers_ready = sum(f.done() for f in ready) if ready else 1
                while pool is not None and len(todo) > 1 and len(running) < workers_ready:
                    try:
                        future = pool.submit(score_client, todo[-1], seed=seed)
                    except Exception as exc:  # a broken pool: score the rest here
                        log.debug("scoring on the workers stopped: %s", exc)
                        pool = None
                        break
                    running[future] = todo.pop()
            if todo:
                folder = todo.pop(0)
                land(folder, score_client(folder, seed=seed))
    except BaseException:
        for future in running:
            future.cancel()
        raise
    return hits


def client_fingerprint(folder: Path, *, notebook: Path, formats: Sequence[str], parameters: dict[str, Any],
                       benchmark: str) -> dict[str, Any]:
    """A client's fingerprint: its inputs, the notebook, templates, toolkit, options and its benchmark's hash.

    ``benchmark`` is "" for a client without a benchmark, which gives the same
    fingerprint as `toolkit.report.run_report` without a snapshot (and as
    `toolkit.batch.discover.is_unchanged`).
    """
    return report_fingerprint(folder, notebook=notebook, parameters=parameters, formats=formats, wave=None,
                              benchmark=benchmark)


def why_rerun(out: Path, fingerprint: dict[str, Any], formats: Sequence[str], *, benchmark: str,
              force: bool = False) -> str | None:
    """Why a client must be rendered again, or None when its published run is current.

    One of ``new``, ``forced``, ``data changed``, ``benchmark changed``,
    ``outputs missing``, ``last run had notes`` or ``toolkit, notebook or options changed``.
    """
    record = read_run_record(out)
    if record is None or record.get("status") != "ok":
        return "new"
    current = record.get("input_hash") == fingerprint["input_hash"]
    complete = all((out / OUTPUT_FILES[f]).exists() for f in formats)
    if current and complete and not record.get("notes"):
        return "forced" if force else None
    if force:
        return "forced"
    if record.get("inputs") != fingerprint["inputs"]:
        return "data changed"
    if ((record.get("benchmark") or {}).get("client_hash") or "") != benchmark:
        return "benchmark changed"
    if current and not complete:
        return "outputs missing"
    if current:
        return "last run had notes"
    return "toolkit, notebook or options changed"


def _invalid(folder: Path, problems: list[Problem]) -> ClientResult:
    """The ``invalid`` result of a client whose data has errors (found while scoring)."""
    from toolkit.model import format_problems
    from toolkit.reasons import Reason

    errors = [p for p in problems if p.severity == "error"] or [
        Problem(folder.name, Reason.unreadable_file, "no usable data")]
    return ClientResult(folder.name, peek_wave(folder), "invalid", why="invalid data",
                        message=format_problems(errors, title="invalid client data"), problems=list(problems))


def make_task(folder: Path, score: ClientScore, snapshot: Snapshot, *, notebook: Path, notebook_bytes: bytes,
              formats: Sequence[str], parameters: dict[str, Any], code: str, seed: int = DEFAULT_SEED) -> ClientTask:
    """Pack one client for a worker: its files, its peer view of the snapshot, the notebook.

    Phase 1 validated the client while scoring it. When the bytes read now are
    the very files it scored (same `toolkit.batch.snapshot.files_key`), the task
    says so (``validated``) and carries the client's wave and name: the worker
    then does not load the client again before starting its kernel. Otherwise
    (the files changed since), the worker validates them itself, as before.
    The kernel's own load of the client (`toolkit.story.build_story`) is unchanged.
    """
    from toolkit.batch.snapshot import files_key

    files = read_inputs(folder)
    validated = bool(score.key) and bool(score.name) and files_key(files, seed=seed, code=code) == score.key
    return ClientTask(folder.name, score.wave, files, snapshot.peers(folder.name), notebook_bytes,
                      str(notebook), hashlib.sha256(notebook_bytes).hexdigest(), code, tuple(formats),
                      dict(parameters), client_name=score.name if validated else "", validated=validated)


def _run_all(todo: list[tuple[Path, dict[str, Any], str]], scores: dict[str, ClientScore], snapshot: Snapshot,
             manifest: Manifest, emit: Callable[[BatchEvent], None], *, executor: Executor | None,
             pool: ProcessPoolExecutor | None, workers: int | None, out_dir: Path, formats: Sequence[str],
             parameters: dict[str, Any], notebook: Path, code: str, seed: int = DEFAULT_SEED) -> None:
    """Render ``todo`` on the executor, at most ``limit`` at a time; publish each result as it lands.

    ``pool`` is a local pool already started during scoring (used when no ``executor`` is given).
    """
    own = executor is None
    if own:
        limit = min(workers or default_workers(), len(todo))
        manifest.workers = limit
        # a pool started early is sized for every chosen client
        executor = pool or _start_pool(limit, notebook, browser="pdf" in formats)[0]
    else:
        limit = workers or len(todo)
    assert executor is not None  # narrowed: given, or the local pool just started
    notebook_bytes = notebook.read_bytes()
    queue = list(todo)
    running: dict[Future[TaskOutput], tuple[Path, dict[str, Any], str, float]] = {}
    interrupted = False
    try:
        while queue or running:
            while queue and len(running) < limit:
                folder, fingerprint, why = queue.pop(0)
                try:
                    task = make_task(folder, scores[folder.name], snapshot, notebook=notebook,
                                     notebook_bytes=notebook_bytes, formats=formats, parameters=parameters,
                                     code=code, seed=seed)
                except (OSError, ValueError) as exc:  # unreadable, or beyond the size limit
                    result = ClientResult(folder.name, scores[folder.name].wave, "failed", why=why,
                                          message=str(exc), ename=type(exc).__name__)
                    manifest.record(result)
                    emit(BatchEvent("finished", folder.name, result))
                    continue
                future = executor.submit(run_task, task)
                running[future] = (folder, fingerprint, why, time.perf_counter())
                emit(BatchEvent("started", folder.name))
            if not running:
                continue
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f][0].name):
                folder, fingerprint, why, t = running.pop(future)
                score = scores[folder.name]
                output = _output_of(future, folder, score.wave)
                benchmark = {"snapshot": snapshot.name, "hash": snapshot.hash,
                             "client_hash": snapshot.client_hash(folder.name),
                             "peers": len(snapshot.data["clients"]) - 1
                             if snapshot.peers(folder.name) is not None else 0}
                result = publish(output, out_dir=out_dir, fingerprint=fingerprint, formats=tuple(formats),
                                 parameters=parameters, benchmark=benchmark, why=why,
                                 seconds=time.perf_counter() - t)
                manifest.record(result)
                emit(BatchEvent("finished", folder.name, result))
    except BaseException:
        interrupted = True
        log.warning("batch interrupted: cancelling %d pending and %d running clients", len(queue), len(running))
        for future in running:
            future.cancel()
        if own:
            _end_pool(executor)  # type: ignore[arg-type]
        for folder, *_ in running.values():  # a publish cut short: drop its staging folder
            recover_outputs(report_dir(out_dir, folder.name, scores[folder.name].wave))
        manifest.finished, manifest.interrupted = utc_now(), True
        manifest.write()
        raise
    finally:
        if own and not interrupted:
            executor.shutdown(wait=True)


def _surely_rendered(folder: Path, out_dir: Path) -> bool:
    """True when a client has no good run yet, or its files changed since (it will be rendered)."""
    from toolkit.run.fingerprint import tree_hashes

    wave = peek_wave(folder)
    record = read_run_record(report_dir(out_dir, folder.name, wave)) if wave else None
    return record is None or record.get("status") != "ok" or record.get("inputs") != tree_hashes(folder)


def _start_pool(workers: int, notebook: Path, *,
                browser: bool = False) -> tuple[ProcessPoolExecutor, list[Future[int]]]:
    """A local pool of ``workers`` processes, started now: each imports, starts its kernel template (and Chromium).

    Returns the pool and one future per worker, done when a worker is ready.
    """
    from toolkit.batch.worker import ready

    pool = local_executor(workers, kernel_cwd=notebook.parent, browser=browser)  # papermill runs kernels there
    # a spawned pool starts one process per submit while none is idle; each future is done once a
    # worker has started (imports, kernel template)
    return pool, [pool.submit(ready) for _ in range(workers)]


def _output_of(future: Future[TaskOutput], folder: Path, wave: str | None) -> TaskOutput:
    """Return the worker's output; a crashed worker (or lost Dask task) is a failed client."""
    try:
        return future.result()
    except Exception as exc:  # BrokenProcessPool, a killed worker, a cancelled task
        return TaskOutput(folder.name, wave, "failed", message=f"the worker running this client died: "
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
