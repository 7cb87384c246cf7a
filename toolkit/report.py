"""One client end to end: validate, run the assessment notebook, export, publish atomically.

The last good output of a client is never replaced by a failed run: every run
writes into a hidden staging folder next to its destination and is published
by renaming that folder into place only once every requested format exists.
A failed execution keeps its notebook in ``<client>/<wave>.failed/`` and the
error names the failing cell.
"""
from __future__ import annotations

import difflib
import json
import logging
import os
import platform
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from toolkit import __version__
from toolkit.errors import AlignmentError, ClientDataError, OutputError, RunError
from toolkit.model import Problem
from toolkit.reasons import Reason
from toolkit.run import resources
from toolkit.run.fingerprint import report_fingerprint
from toolkit.run.interrupts import raise_if_interrupted
from toolkit.run.publish import BACKUP, STAGING, recover_outputs
from toolkit.run.publish import keep_failed as _keep_failed
from toolkit.run.publish import publish as _publish

__all__ = ["run_report", "ReportResult", "parse_formats", "check_parameters", "report_dir", "is_current",
           "read_run_record", "recover_outputs", "STAGING", "BACKUP"]

log = logging.getLogger("toolkit")

NOTEBOOK = resources.assessment_notebook()
FORMATS: tuple[str, ...] = ("html", "pdf", "pptx")
DEFAULT_FORMATS: tuple[str, ...] = ("html", "pdf")
RUN_SCHEMA_VERSION = "1.0"
OUTPUT_FILES = {"html": "deck.html", "pdf": "deck.pdf", "pptx": "deck.pptx"}
EXECUTION_TIMEOUT_S = 600  # per cell: a hung cell fails the run instead of hanging a batch
# Parameters the report sets itself; a user may not override them.
RESERVED_PARAMETERS = frozenset({"client_dir", "wave", "benchmark_path", "output_dir", "formats"})


@dataclass
class ReportResult:
    """What happened to one client.

    Attributes
    ----------
    status
        ``ok`` (published), ``unchanged`` (skipped: nothing changed since the
        last good run), ``invalid`` (data or parameters rejected before any
        kernel started) or ``failed`` (execution or export failed).
    """

    client_id: str
    wave: str | None
    status: str
    out_dir: Path | None = None
    seconds: float = 0.0
    message: str = ""
    failed_notebook: Path | None = None
    failed_cell: int | None = None
    ename: str | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict for manifests, which are files in ``reports/`` too.

        Data problems keep where they are and why (file, row, column, reason,
        expected) but not the values found or the messages quoting them: those can
        hold respondent ids, and warnings state group sizes below the privacy
        threshold. ``alignment validate`` shows everything to the consultant.
        """
        errors = [p for p in self.problems if p.severity == "error"]
        message = self.message
        if self.status == "invalid":
            message = (f"{len(errors)} data problem{'s' if len(errors) != 1 else ''}; "
                       f"run `alignment validate` on the client folder for details")
        return {
            "client_id": self.client_id, "wave": self.wave, "status": self.status,
            "out_dir": str(self.out_dir) if self.out_dir else None,
            "seconds": round(self.seconds, 2), "message": message,
            "failed_notebook": str(self.failed_notebook) if self.failed_notebook else None,
            "failed_cell": self.failed_cell, "ename": self.ename,
            "problems": [{k: p.as_dict()[k] for k in ("file", "row", "column", "reason", "expected")}
                         for p in errors],
            "notes": self.notes,
        }


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """Parse ``"html,pdf"`` (or a sequence) into a validated tuple of formats.

    Raises
    ------
    ClientDataError
        When a format is unknown.
    """
    items = [f.strip().lower() for f in (formats.split(",") if isinstance(formats, str) else formats)]
    items = [f for f in items if f]
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise ClientDataError([Problem("--formats", Reason.unknown_format,
                                       f"expected a comma-separated list of {', '.join(FORMATS)}, found {','.join(bad) or 'nothing'}",
                                       found=",".join(bad), expected=",".join(FORMATS))], title="bad options")
    return tuple(dict.fromkeys(items))


def check_parameters(parameters: dict[str, Any], notebook: Path = NOTEBOOK) -> None:
    """Reject parameters the notebook does not declare (naming the closest one) or of the wrong type.

    Raises
    ------
    ClientDataError
        With one ``unknown_parameter`` problem per bad name and one
        ``bad_parameter`` per value of the wrong type (numbers and true/false
        are checked against the parameters cell's defaults).
    """
    import papermill

    cell = papermill.inspect_notebook(str(notebook))
    declared = list(cell)
    problems = []
    for name in parameters:
        if name in declared and name not in RESERVED_PARAMETERS:
            wrong = _wrong_type(parameters[name], cell[name].get("default"))
            if wrong:
                problems.append(Problem(notebook.name, Reason.bad_parameter, f"parameter {name!r}: expected {wrong}, "
                                        f"found {parameters[name]!r}", column=name, found=parameters[name],
                                        expected=wrong))
            continue
        if name in RESERVED_PARAMETERS:
            msg = f"parameter {name!r} is set by the report itself; use the command's options instead"
        else:
            close = difflib.get_close_matches(name, declared, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            msg = f"unknown parameter {name!r}{hint} parameters are {sorted(set(declared) - RESERVED_PARAMETERS)}"
        problems.append(Problem(notebook.name, Reason.unknown_parameter, msg, column=name, found=name,
                                expected="a parameter of the notebook's parameters cell"))
    if problems:
        raise ClientDataError(problems, title="bad parameters")


def _wrong_type(value: Any, default: str | None) -> str | None:
    """What a numeric or true/false parameter expects, when ``value`` is not that (else None).

    The type is the default's in the parameters cell (``seed = 20261126``: a
    whole number). Text parameters take any value.
    """
    import ast
    import numbers

    try:
        typed = ast.literal_eval(default or "")
    except (ValueError, SyntaxError):
        return None
    if isinstance(typed, bool):
        return None if isinstance(value, bool) else "true or false"
    number = not isinstance(value, bool)  # True is an int to Python, not to a reader
    if isinstance(typed, int):
        if typed >= 0:  # a seed or a count: numpy refuses negative seeds in the kernel
            ok = number and isinstance(value, numbers.Integral) and int(value) >= 0
            return None if ok else f"a whole number >= 0 (default {typed})"
        return None if number and isinstance(value, numbers.Integral) else f"a whole number (default {typed})"
    if isinstance(typed, float):
        return None if number and isinstance(value, numbers.Real) else f"a number (default {typed})"
    return None


def report_dir(out_dir: Path, client_id: str, wave: str) -> Path:
    """Return ``<out_dir>/<client_id>/<wave>``: where a client's published outputs live."""
    return Path(out_dir) / client_id / wave


def is_current(out: Path, input_hash: str, formats: Sequence[str]) -> bool:
    """Tell whether ``out`` holds a complete good run for exactly these inputs and formats.

    A run that could not produce a requested file (a PDF without Chromium, noted
    in ``run.json``) is not current: once the browser is there, it runs again.
    """
    record = read_run_record(out)
    return bool(record and record.get("status") == "ok" and record.get("input_hash") == input_hash
                and not record.get("notes") and all((out / OUTPUT_FILES[f]).exists() for f in formats))


def read_run_record(out: Path) -> dict[str, Any] | None:
    """Return the ``run.json`` of a published output folder, or None."""
    try:
        # run.json is written by this module, always as one JSON object
        return cast(dict[str, Any], json.loads((out / "run.json").read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def run_report(
    client_dir: str | Path,
    *,
    out_dir: str | Path = "reports",
    formats: str | Sequence[str] = DEFAULT_FORMATS,
    parameters: dict[str, Any] | None = None,
    wave: str | None = None,
    skip_unchanged: bool = False,
    notebook: Path = NOTEBOOK,
) -> ReportResult:
    """Produce one client's assessment outputs in ``<out_dir>/<client>/<wave>/``.

    Parameters
    ----------
    client_dir
        The client folder (``client_data/<id>``).
    out_dir
        Root of all reports; also where other clients' summaries are read for benchmarks.
    formats
        Any of ``html``, ``pdf``, ``pptx``; the executed notebook, ``summary.json``
        and ``run.json`` are always written.
    parameters
        Extra notebook parameters (validated against the notebook's parameters cell).
    wave
        An earlier wave under ``waves/`` to report instead of the current one.
    skip_unchanged
        Return status ``unchanged`` without running when the inputs, notebook,
        templates, toolkit, parameters and formats match the last good run.
    notebook
        The notebook to execute (tests use a deliberately failing one).

    Returns
    -------
    ReportResult
        Status ``ok`` or ``unchanged``; PDF problems when no browser exists are notes.

    Raises
    ------
    ClientDataError
        Invalid data, parameters or formats (nothing was started).
    RunError
        The notebook or an export failed; the last good output is untouched.
    """
    from toolkit.intake import load_client

    started = time.perf_counter()
    client_dir = Path(client_dir).resolve()
    out_dir = Path(out_dir).resolve()
    fmts = parse_formats(formats)
    params = dict(parameters or {})
    check_parameters(params, notebook)

    if wave and not (client_dir / "waves" / wave).is_dir() and load_client(client_dir).wave == wave:
        wave = None  # the current wave, named explicitly
    client = load_client(client_dir, wave=wave)  # raises ClientDataError before any kernel
    timings = {"validate": time.perf_counter() - started}
    raise_if_interrupted()
    final = report_dir(out_dir, client.client_id, client.wave)
    with _locked(final, out_dir):
        return _run_locked(client, client_dir, final, out_dir=out_dir, fmts=fmts, params=params, wave=wave,
                           skip_unchanged=skip_unchanged, notebook=notebook, started=started, timings=timings)


@contextmanager
def _locked(final: Path, out_dir: Path) -> Iterator[None]:
    """Hold the client-wave lock; an output folder that cannot be written is a bad option (exit 2)."""
    from toolkit.run.locks import client_wave_lock

    lock = client_wave_lock(final)
    try:
        lock.__enter__()
    except OSError as exc:
        raise OutputError(f"cannot write to the reports folder {out_dir}: {exc.strerror or exc}; "
                          f"choose a writable folder with --out") from None
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def _run_locked(client: Any, client_dir: Path, final: Path, *, out_dir: Path, fmts: tuple[str, ...],
                params: dict[str, Any], wave: str | None, skip_unchanged: bool, notebook: Path,
                started: float, timings: dict[str, float]) -> ReportResult:
    """The part of `run_report` that runs under the client-wave lock."""
    recover_outputs(final, locked=True)
    benchmark, benchmark_path = _benchmark_source(out_dir)
    fingerprint = report_fingerprint(client_dir, notebook=notebook, parameters=params, formats=fmts, wave=wave,
                                     benchmark=benchmark.get("hash", ""))
    if skip_unchanged and is_current(final, fingerprint["input_hash"], fmts):
        return ReportResult(client.client_id, client.wave, "unchanged", final,
                            time.perf_counter() - started, "inputs unchanged since the last good run",
                            problems=list(client.warnings))

    staging = final.parent / f"{STAGING.format(wave=client.wave)}{os.getpid()}@{uuid.uuid4().hex[:8]}"
    notes: list[str] = []
    try:
        staging.mkdir(parents=True)
        executed = staging / "assessment.ipynb"
        t = time.perf_counter()
        _execute(notebook, executed, {
            **params, "client_dir": str(client_dir), "wave": wave or "",
            "benchmark_path": benchmark_path, "output_dir": str(staging), "formats": ",".join(fmts)},
            final, client.wave)
        timings["execute"] = time.perf_counter() - t
        raise_if_interrupted()
        _check_summary(staging / "summary.json")
        notes += _export(executed, staging, fmts, client.config.name, client.wave, timings)
        raise_if_interrupted()  # a Ctrl-C that reached the browser too must not end in a publish
        _strip_stderr(executed)
        from toolkit.privacy.paths import relative_map, scrub_paths

        scrub_paths(executed, relative_map(client_dir, staging,  # no absolute path is published (DESIGN 2.2)
                                           {"benchmark_path": out_dir, "notebook": notebook.parent}))
        record = {
            "schema_version": RUN_SCHEMA_VERSION, "client_id": client.client_id, "wave": client.wave,
            "status": "ok", "toolkit_version": __version__, **fingerprint,
            "parameters": params, "formats": list(fmts),
            "timings": {k: round(v, 3) for k, v in timings.items()},
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": _versions(), "notes": notes, "benchmark": benchmark,
            "outputs": sorted(p.name for p in staging.iterdir()),
        }
        (staging / "run.json").write_text(json.dumps(record, indent=2, sort_keys=True), encoding="utf-8")
        _publish(staging, final)
    except OSError as exc:  # a full disk, a folder gone read-only: the run failed, the last deck stays
        shutil.rmtree(staging, ignore_errors=True)
        raise RunError(f"writing the outputs failed: {exc.strerror or exc} ({exc.filename or staging}); "
                       "free some space or choose another --out, then run again") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(final.parent / f"{client.wave}.failed", ignore_errors=True)
    seconds = time.perf_counter() - started
    log.info("%s %s: published %s in %.1f s", client.client_id, client.wave, final, seconds)
    return ReportResult(client.client_id, client.wave, "ok", final, seconds, "published", notes=notes,
                        problems=list(client.warnings))


def _benchmark_source(out_dir: Path) -> tuple[dict[str, Any], str]:
    """Where one client's benchmark comes from: the latest batch snapshot, else the published summaries.

    Returns the ``benchmark`` record for ``run.json`` and the notebook's ``benchmark_path``.
    """
    from toolkit.batch.snapshot import latest_snapshot

    snapshot = latest_snapshot(out_dir)
    if snapshot is None:
        return {"source": "portfolio", "folder": str(out_dir)}, str(out_dir)
    return {"source": "snapshot", "snapshot": snapshot.name, "hash": snapshot.hash}, str(snapshot.path)


def _execute(notebook: Path, output: Path, parameters: dict[str, Any], final: Path, wave: str) -> None:
    """Run the notebook with papermill in a fresh, isolated kernel; keep it on failure."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from toolkit.run.kernels import IsolatedKernelManager

    try:
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name="python3",
            progress_bar=False, cwd=str(notebook.parent), start_timeout=120,
            request_save_on_cell_execute=False,  # saved once at the end (and on failure), not after every cell
            kernel_manager_class=IsolatedKernelManager, execution_timeout=EXECUTION_TIMEOUT_S,
            shutdown_kernel="immediate",  # the kernel is thrown away: no need to wait for a clean exit
        )
    except PapermillExecutionError as exc:
        kept = _keep_failed(output, final.parent / f"{wave}.failed")
        first_line = (exc.source or "").strip().splitlines()[0] if exc.source else ""
        where = (f"the executed notebook is kept at {kept} (its red banner links to the failing cell)"
                 if kept else "the executed notebook could not be saved whole (is the disk full?)")
        raise RunError(f"cell {exc.cell_index} ({first_line!r}) raised {exc.ename}: {exc.evalue}; {where}",
                       notebook=kept, cell_index=exc.cell_index, ename=exc.ename) from None
    except AlignmentError:
        raise
    except Exception as exc:  # kernel died, timed out, could not start
        kept = _keep_failed(output, final.parent / f"{wave}.failed") if output.exists() else None
        lost = "; the partly executed notebook could not be kept whole" if output.exists() and not kept else ""
        raise RunError(f"the notebook could not be executed: {type(exc).__name__}: {exc}{lost}",
                       notebook=kept, ename=type(exc).__name__) from exc


def _check_summary(path: Path) -> None:
    """Refuse to publish a run whose ``summary.json`` is missing or breaks the schema."""
    from toolkit.summary import load_summary, validate_summary

    try:
        validate_summary(load_summary(path))
    except (OSError, ValueError, AlignmentError) as exc:
        raise RunError(f"summary.json was not written correctly: {exc}") from exc


def _export(executed: Path, staging: Path, fmts: Sequence[str], client_name: str, wave: str,
            timings: dict[str, float]) -> list[str]:
    """Write the requested deck formats next to the executed notebook; return notes."""
    try:
        return _export_formats(executed, staging, fmts, client_name, wave, timings)
    except AlignmentError as exc:  # a deck that would not export is a failed run (exit 1), not bad input
        raise RunError(f"exporting the deck failed: {exc}") from exc


def _export_formats(executed: Path, staging: Path, fmts: Sequence[str], client_name: str, wave: str,
                    timings: dict[str, float]) -> list[str]:
    import nbformat

    from toolkit import deck

    notes: list[str] = []
    nb = nbformat.read(executed, as_version=4)
    html = staging / "deck.html"
    if "html" in fmts or "pdf" in fmts:
        t = time.perf_counter()
        deck.export_html(nb, html, client_name=client_name, wave=wave)
        timings["export_html"] = time.perf_counter() - t
    if "pdf" in fmts:
        t = time.perf_counter()
        try:
            deck.export_pdf(html, staging / "deck.pdf")
        except deck.BrowserNotFound as exc:
            notes.append(str(exc))
        timings["export_pdf"] = time.perf_counter() - t
    if "pptx" in fmts and not (staging / "deck.pptx").exists():  # built by the kernel from the story
        raise RunError("deck.pptx was requested but the notebook did not write it")
    if "html" not in fmts and html.exists():
        html.unlink()
    return notes


def _strip_stderr(executed: Path) -> None:
    """Drop stderr streams (warnings, logs) from the notebook that will be published.

    Logs are for the analyst who runs the toolkit; the executed notebook goes to
    the client's folder. A failed run keeps its stderr (see `_keep_failed`).
    """
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.get("name") == "stderr")]
    nbformat.write(nb, executed)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("pandas", "numpy", "matplotlib", "papermill", "nbconvert", "playwright"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out
