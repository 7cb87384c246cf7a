"""Phase 2 of a batch: one client's deck as a bytes-in, bytes-out task.

A worker (a local process or a Dask worker on another machine) needs no shared
filesystem: `run_task` receives the client's input files as bytes, the
client's peer view of the benchmark snapshot, and the notebook (its bytes and
hash; a worker that has the very same file at the same path runs it from
there, others cache it by hash). The toolkit and templates are the worker's
own installed ones, checked against the batch's hash. The worker writes all of
it to a private temporary folder, runs the notebook in a fresh kernel, exports
the decks and returns every output as bytes in a `TaskOutput`. It never
touches the batch's folders.

The batch process then checks what came back (only the expected file names,
a ``summary.json`` that passes the schema, every requested format, the size
limit) and publishes it atomically: the same staging folder and renames as
`toolkit.report`, so a failed or partial result never replaces a good deck.

Size limits: a client's inputs and a task's outputs may each be up to
`MAX_TASK_BYTES` (256 MiB; ``ALIGNMENT_TASK_MAX_BYTES`` changes it); a larger
client fails with a message saying so before anything is sent. Dask sends a
task's arguments through the scheduler, warns above 10 MB ("Sending large
graph", ``distributed.admin.large-graph-warning-threshold``) and splits
messages into 64 MiB shards; the local pool pickles them through a pipe.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from toolkit.report import OUTPUT_FILES, ReportResult

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.model import Problem

#: Largest total of a client's input files, or of one task's outputs, in bytes.
MAX_TASK_BYTES = int(os.environ.get("ALIGNMENT_TASK_MAX_BYTES", 256 * 2 ** 20))
#: Files a task may return (anything else is refused by the batch process).
TASK_OUTPUTS = frozenset({"assessment.ipynb", "summary.json", *OUTPUT_FILES.values()})


@dataclass
class ClientResult(ReportResult):
    """A `ReportResult` with why the client ran and how long each part took.

    Attributes
    ----------
    why
        Why it was rendered (``new``, ``data changed``, ``benchmark changed``,
        ``toolkit or options changed``, ``forced``) or skipped.
    timings
        Seconds per part: ``validate`` (only when the worker had to validate
        the client itself: files changed since the batch scored them),
        ``execute`` (the notebook, including ``pptx`` when asked), ``pptx``,
        ``html``, ``pdf``, ``total``.
    """

    why: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, with ``why`` and ``timings`` added."""
        return {**super().as_dict(), "why": self.why,
                "timings": {k: round(v, 3) for k, v in self.timings.items()}}


@dataclass(frozen=True)
class ClientTask:
    """Everything a worker needs to render one client, as plain picklable data."""

    client_id: str
    wave: str | None
    files: dict[str, bytes]
    benchmark: bytes | None
    notebook: bytes
    notebook_path: str
    notebook_hash: str
    code_hash: str
    formats: tuple[str, ...]
    parameters: dict[str, Any]
    #: The client's display name; set with ``validated``.
    client_name: str = ""
    #: True when the batch validated exactly these files while scoring them (phase 1): the
    #: worker trusts ``wave`` and ``client_name`` and does not load the client again.
    validated: bool = False


@dataclass
class TaskOutput:
    """What a worker sends back: the outputs as bytes, or why there are none."""

    client_id: str
    wave: str | None
    status: str  # ok / invalid / failed
    files: dict[str, bytes] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    message: str = ""
    failed_notebook: bytes | None = None
    failed_cell: int | None = None
    ename: str | None = None
    problems: list[Problem] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    worker: str = ""


def read_inputs(folder: Path) -> dict[str, bytes]:
    """Return a client's input files as ``{relative posix path: bytes}``: the files its fingerprint covers.

    Raises
    ------
    ValueError
        When they add up to more than `MAX_TASK_BYTES`.
    """
    from toolkit.run.fingerprint import tree_hashes

    files, total = {}, 0
    for rel in tree_hashes(Path(folder)):
        data = (Path(folder) / rel).read_bytes()
        total += len(data)
        if total > MAX_TASK_BYTES:
            raise ValueError(f"the client's files exceed the task size limit of {MAX_TASK_BYTES // 2 ** 20} MiB "
                             "(set ALIGNMENT_TASK_MAX_BYTES to raise it)")
        files[rel] = data
    return files


def _safe_relpath(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        raise ValueError(f"refusing an unsafe file name in a task: {rel!r}")
    return path


@lru_cache(maxsize=1)
def _worker_code_hash() -> str:
    from toolkit.batch.snapshot import code_hash

    return code_hash()


def _notebook_here(task: ClientTask, cache: Path) -> Path:
    """The notebook to run: the task's path when this machine has those very bytes, else a cached copy."""
    local = Path(task.notebook_path)
    try:
        if local.is_file() and hashlib.sha256(local.read_bytes()).hexdigest() == task.notebook_hash:
            return local
    except OSError:
        pass
    folder = cache / task.notebook_hash[:16]
    path = folder / "assessment.ipynb"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{uuid.uuid4().hex[:8]}.tmp"
        tmp.write_bytes(task.notebook)
        os.replace(tmp, path)
    return path


def run_task(task: ClientTask) -> TaskOutput:
    """Render one client from bytes and return its outputs as bytes, whatever happens.

    Module-level so that any executor (process pool, Dask) ships it by name.
    Exceptions become a ``failed`` or ``invalid`` `TaskOutput` (the toolkit's
    exceptions carry paths and do not survive a pickle between processes);
    interrupts still propagate.
    """
    import platform

    from toolkit.errors import ClientDataError, RunError

    started = time.perf_counter()
    base: dict[str, Any] = dict(client_id=task.client_id, wave=task.wave, worker=platform.node())
    if task.code_hash != _worker_code_hash():
        return TaskOutput(**base, status="failed", ename="ToolkitMismatch",
                          message="this worker's toolkit or templates differ from the batch's: install the "
                                  "same toolkit version on every worker")
    if "pdf" in task.formats:
        from toolkit.deck.pdf import keep_browser_open

        keep_browser_open()  # one Chromium per worker (thread), a fresh context per deck
    tmp = Path(tempfile.mkdtemp(prefix=f"oat-task-{task.client_id}-"))
    try:
        client_dir = tmp / "in" / task.client_id
        for rel, data in task.files.items():
            target = client_dir / _safe_relpath(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        bench = ""
        if task.benchmark is not None:
            (tmp / "in" / "benchmark.json").write_bytes(task.benchmark)
            bench = str(tmp / "in" / "benchmark.json")
        notebook = _notebook_here(task, Path(tempfile.gettempdir()) / "oat-notebooks")
        output = _render(client_dir, bench, notebook, tmp, task)
        output.timings["total"] = time.perf_counter() - started
        return output
    except ClientDataError as exc:
        return TaskOutput(**base, status="invalid", message=exc.render(), problems=list(exc.problems))
    except RunError as exc:
        failed = exc.notebook.read_bytes() if exc.notebook and Path(exc.notebook).exists() else None
        return TaskOutput(**base, status="failed", message=str(exc), failed_notebook=failed,
                          failed_cell=exc.cell_index, ename=exc.ename)
    except Exception as exc:  # a bug or an environment problem: still one client only
        last = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:])
        return TaskOutput(**base, status="failed", message=f"{type(exc).__name__}: {exc}",
                          ename=type(exc).__name__, notes=[last] if os.environ.get("ALIGNMENT_DEBUG") else [])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _render(client_dir: Path, bench: str, notebook: Path, tmp: Path, task: ClientTask) -> TaskOutput:
    """Validate (unless the batch already did, `ClientTask.validated`), execute and export inside ``tmp``.

    Returns every output read back as bytes.
    """
    import platform

    from toolkit import report
    from toolkit.intake import load_client

    timings: dict[str, float] = {}
    if task.validated and task.wave and task.client_name:
        wave, name = task.wave, task.client_name  # the batch validated these very bytes (phase 1)
    else:  # files that changed since scoring, or a task from elsewhere: validate before any kernel
        t = time.perf_counter()
        client = load_client(client_dir)  # ClientDataError
        timings["validate"] = time.perf_counter() - t
        wave, name = client.wave, client.config.name
    staging = tmp / "out"
    staging.mkdir()
    executed = staging / "assessment.ipynb"
    final = tmp / "failed" / wave  # a failed run's notebook is kept beside it, then sent back
    t = time.perf_counter()
    report._execute(notebook, executed, {
        **task.parameters, "client_dir": str(client_dir), "wave": "", "benchmark_path": bench,
        "output_dir": str(staging), "formats": ",".join(task.formats)}, final, wave)
    timings["execute"] = time.perf_counter() - t
    report._check_summary(staging / "summary.json")
    export: dict[str, float] = {}
    notes = report._export(executed, staging, task.formats, name, wave, export)
    timings.update({k.replace("export_", ""): v for k, v in export.items()})
    pptx = _cell_seconds(executed, "save_outputs(") if "pptx" in task.formats else None
    if pptx is not None:
        timings["pptx"] = pptx
    report._strip_stderr(executed)
    files, total = {}, 0
    for path in sorted(staging.iterdir()):
        if path.is_file():
            files[path.name] = path.read_bytes()
            total += len(files[path.name])
    if total > MAX_TASK_BYTES:
        raise ValueError(f"the outputs exceed the task size limit of {MAX_TASK_BYTES // 2 ** 20} MiB")
    return TaskOutput(task.client_id, wave, "ok", files=files, timings=timings, notes=notes,
                      versions=report._versions(), worker=platform.node())


def _cell_seconds(executed: Path, marker: str) -> float | None:
    """Seconds papermill recorded for the first code cell containing ``marker`` (None when absent)."""
    nb = json.loads(executed.read_text(encoding="utf-8"))  # nbformat 4 as papermill wrote it
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") == "code" and marker in source:
            duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
            return float(duration) if duration is not None else None
    return None


# --- the batch process's side -------------------------------------------------------------------------

def publish(output: TaskOutput, *, out_dir: Path, fingerprint: dict[str, Any], formats: tuple[str, ...],
            parameters: dict[str, Any], benchmark: dict[str, Any], why: str, seconds: float) -> ClientResult:
    """Check a task's outputs and publish them atomically into ``<out>/<client>/<wave>/``.

    A failed task's notebook is written to ``<client>/<wave>.failed/``; nothing
    else is touched, so the last good deck stays.
    """
    from toolkit import __version__, report
    from toolkit.errors import AlignmentError
    from toolkit.run.publish import publish as publish_staging
    from toolkit.summary import validate_summary

    def result(status: str, **extra: Any) -> ClientResult:
        return ClientResult(output.client_id, output.wave, status, seconds=seconds, why=why,
                            timings=output.timings, **extra)

    if output.status == "invalid":
        return result("invalid", message=output.message, problems=list(output.problems))
    if output.status != "ok" or not output.wave:
        kept = None
        if output.failed_notebook is not None and output.wave:
            kept = _write_failed(out_dir, output.client_id, output.wave, output.failed_notebook)
        return result("failed", message=output.message, failed_notebook=kept,
                            failed_cell=output.failed_cell, ename=output.ename, notes=list(output.notes))
    problems = [f"unexpected output {name!r}" for name in output.files if name not in TASK_OUTPUTS]
    problems += [f"missing {OUTPUT_FILES[f]}" for f in formats
                 if OUTPUT_FILES[f] not in output.files and not (f == "pdf" and output.notes)]
    try:
        validate_summary(json.loads(output.files.get("summary.json", b"null")))
    except (ValueError, AlignmentError) as exc:
        problems.append(f"summary.json breaks the schema: {exc}")
    if sum(len(b) for b in output.files.values()) > MAX_TASK_BYTES:
        problems.append(f"outputs exceed {MAX_TASK_BYTES // 2 ** 20} MiB")
    if problems:
        return result("failed", ename="BadTaskOutput",
                            message="the worker's outputs were refused: " + "; ".join(problems))
    final = report.report_dir(out_dir, output.client_id, output.wave)
    report.recover_outputs(final)
    staging = final.parent / f"{report.STAGING.format(wave=output.wave)}{os.getpid()}@{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    try:
        for name, data in output.files.items():
            (staging / name).write_bytes(data)
        record = {
            "schema_version": report.RUN_SCHEMA_VERSION, "client_id": output.client_id, "wave": output.wave,
            "status": "ok", "toolkit_version": __version__, **fingerprint, "parameters": parameters,
            "formats": list(formats), "timings": {k: round(v, 3) for k, v in output.timings.items()},
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": output.versions, "notes": output.notes, "benchmark": benchmark, "worker": output.worker,
            "outputs": sorted([*output.files, "run.json"]),
        }
        (staging / "run.json").write_text(json.dumps(record, indent=2, sort_keys=True), encoding="utf-8")
        publish_staging(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(final.parent / f"{output.wave}.failed", ignore_errors=True)
    return result("ok", out_dir=final, message="published", notes=list(output.notes))


def _write_failed(out_dir: Path, client_id: str, wave: str, notebook: bytes) -> Path:
    """Write a failed run's notebook to ``<client>/<wave>.failed/assessment.ipynb`` (replacing an older one)."""
    where = Path(out_dir) / client_id / f"{wave}.failed"
    tmp = where.parent / f".{wave}.failed-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    (tmp / "assessment.ipynb").write_bytes(notebook)
    shutil.rmtree(where, ignore_errors=True)
    os.replace(tmp, where)
    return where / "assessment.ipynb"
