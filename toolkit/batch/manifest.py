"""The batch manifest (``<out>/batch-<UTC timestamp>.json``) and the summary table.

The manifest is rewritten atomically every time a client finishes, so a batch
that is interrupted (or killed) leaves a manifest saying which clients
finished, how, and which were still pending (``complete: false``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.report import ReportResult
from toolkit.run.atomic import write_json_atomic

MANIFEST_SCHEMA_VERSION = "1.0"
STATUSES: tuple[str, ...] = ("ok", "unchanged", "failed", "invalid")


def utc_now() -> datetime:
    """Return the current UTC time, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def manifest_path(out_dir: Path, started: datetime) -> Path:
    """Return a fresh ``<out>/batch-<YYYYMMDDTHHMMSSZ>.json`` (suffixed ``-2``, ``-3``… if taken)."""
    stem = f"batch-{started.strftime('%Y%m%dT%H%M%SZ')}"
    path, n = Path(out_dir) / f"{stem}.json", 1
    while path.exists():
        n += 1
        path = Path(out_dir) / f"{stem}-{n}.json"
    return path


@dataclass
class Manifest:
    """The record of one batch, written to ``path`` after every change."""

    path: Path
    started: datetime
    workers: int
    formats: Sequence[str]
    clients: list[str]
    executor: str = ""
    results: dict[str, ReportResult] = field(default_factory=dict)
    finished: datetime | None = None
    complete: bool = False
    interrupted: bool = False
    phases: dict[str, float] = field(default_factory=dict)
    snapshot: str | None = None

    def record(self, result: ReportResult) -> None:
        """Add (or replace) one client's result and rewrite the file."""
        self.results[result.client_id] = result
        self.write()

    def as_dict(self) -> dict[str, Any]:
        """Return the manifest as JSON-ready data."""
        counts = {s: sum(r.status == s for r in self.results.values()) for s in STATUSES}
        return {
            "schema_version": MANIFEST_SCHEMA_VERSION, "toolkit_version": __version__,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat() if self.finished else None,
            "complete": self.complete, "interrupted": self.interrupted,
            "workers": self.workers, "executor": self.executor, "formats": list(self.formats),
            "snapshot": self.snapshot, "phases": {k: round(v, 2) for k, v in self.phases.items()},
            "counts": counts,
            "pending": [c for c in self.clients if c not in self.results],
            "results": [self.results[c].as_dict() for c in self.clients if c in self.results],
        }

    def write(self) -> None:
        """Write the manifest atomically (a reader never sees half a file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.path, self.as_dict())


def failure_reason(result: ReportResult) -> str:
    """Return one line saying why a client did not produce a deck ("" when it did).

    Invalid: the number of problems, their reason codes and the first one.
    Failed: the failing cell, the exception and where the notebook was kept.

    Examples
    --------
    >>> from toolkit.model import Problem
    >>> r = ReportResult("acme", "2026-Q1", "invalid", problems=[
    ...     Problem("interviews.csv", "out_of_range", "expected a rating 1-5, found 7", row=15, column="Q07")])
    >>> failure_reason(r)
    "1 problem [out_of_range]: interviews.csv row 15, column 'Q07': expected a rating 1-5, found 7"
    """
    if result.status == "invalid":
        errors = [p for p in result.problems if p.severity == "error"] or list(result.problems)
        if not errors:
            return result.message.splitlines()[0] if result.message else "invalid"
        codes = ", ".join(dict.fromkeys(p.reason for p in errors))
        first = errors[0]
        where = " ".join(x for x in (first.file, first.location()) if x)
        return f"{len(errors)} problem{'s' if len(errors) != 1 else ''} [{codes}]: {where}: {first.message}"
    if result.status == "failed":
        reason = " ".join(result.message.split())
        if result.failed_notebook and str(result.failed_notebook) not in reason:
            reason += f"; notebook kept at {result.failed_notebook}"
        return reason
    return ""


def _notes(result: ReportResult) -> str:
    return "; ".join(f"note: {' '.join(n.split())}" for n in result.notes)


#: Per-format time columns of the summary table, and the timing each one reads.
TIME_COLUMNS = (("html", "html"), ("pdf", "pdf"), ("pptx", "pptx"))


def _seconds(result: ReportResult, key: str) -> str:
    value = getattr(result, "timings", {}).get(key)
    return "-" if value is None else f"{value:.1f}"


def format_batch_table(results: Sequence[ReportResult]) -> str:
    """Render a batch's results as a fixed-width text table.

    Columns: client, status (ok / unchanged / failed / invalid), why it was
    rendered (``new``, ``data changed``, ``benchmark changed``…), seconds in
    all, seconds per format (html, pdf, pptx; ``-`` when not made) and the
    reason a client has no new deck (validation problems summary, or failing
    cell + exception + kept notebook path) or, for a deck made with a caveat,
    its note (e.g. no PDF without Chromium). Reasons are not truncated.

    Examples
    --------
    >>> print(format_batch_table([ReportResult("acme", "2026-Q1", "ok", seconds=3.21)]))
    client  status  why  seconds  html  pdf  pptx  reason
    ------  ------  ---  -------  ----  ---  ----  ------
    acme    ok               3.2     -    -     -
    """
    head = ("client", "status", "why", "seconds", *(c for c, _ in TIME_COLUMNS), "reason")
    rows = [head]
    rows += [(r.client_id, r.status, getattr(r, "why", ""), f"{r.seconds:.1f}",
              *(_seconds(r, key) for _, key in TIME_COLUMNS), failure_reason(r) or _notes(r)) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    left = {0, 1, 2}

    def line(row: Sequence[str]) -> str:
        cells = [c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))]  # row[-1] (reason) has no width
        return "  ".join([*cells, row[-1]]).rstrip()

    lines = [line(r) for r in rows]
    lines.insert(1, line([*("-" * w for w in widths), "------"]))
    return "\n".join(lines)


def format_phases(phases: dict[str, float], results: Sequence[ReportResult], snapshot: str | None) -> str:
    """One line per phase: scoring (and the snapshot), rendering, and total seconds per format.

    Examples
    --------
    >>> print(format_phases({"scoring": 0.5, "rendering": 9.0}, [], "benchmark-0123456789ab.json"))
    scoring:   0.5 s  -> benchmark-0123456789ab.json
    rendering: 9.0 s  (0 decks)
    """
    made = [r for r in results if r.status == "ok"]
    totals = {c: sum(getattr(r, "timings", {}).get(k, 0.0) for r in made) for c, k in TIME_COLUMNS}
    per_format = ", ".join(f"{c} {v:.1f} s" for c, v in totals.items() if v)
    lines = [f"scoring:   {phases.get('scoring', 0.0):.1f} s" + (f"  -> {snapshot}" if snapshot else ""),
             f"rendering: {phases.get('rendering', 0.0):.1f} s  ({len(made)} deck{'s' if len(made) != 1 else ''}"
             + (f"; worker time {per_format}" if per_format else "") + ")"]
    return "\n".join(lines)
