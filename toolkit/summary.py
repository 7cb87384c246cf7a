"""``summary.json``: every metric of one client and wave, versioned and validated.

The summary is the machine-readable twin of the deck: each metric carries its
``n`` and suppression flag (a suppressed value is ``null`` with
``suppressed: true`` and a ``reason``), plus the findings and the ranked
recommendations. Its schema is ``templates/summary.schema.json`` (JSON Schema
2020-12, ``schema_version`` "1.0"). Other clients' summaries feed the
benchmark (`load_portfolio`).
"""
from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from toolkit.errors import AlignmentError
from toolkit.findings import Findings
from toolkit.metrics.assessment import Assessment
from toolkit.model import AREA, AREAS
from toolkit.run import resources
from toolkit.run.atomic import write_text_atomic

log = logging.getLogger("toolkit")

SCHEMA_VERSION = "1.1"
SCHEMA_PATH = resources.template("summary.schema.json")
SUMMARY_FILE = "summary.json"
#: Columns that name a group rather than measure it: kept when a row is suppressed.
KEY_COLUMNS = frozenset({"area", "label", "department", "level", "question_id", "text", "reverse",
                         "kpi_id", "name", "better", "target", "unit", "group_a", "group_b",
                         "metric", "theme", "points"})
FRAMES = ("items", "departments", "levels", "perception_gaps", "kpis", "kpi_departments", "coverage")
OPTIONAL_FRAMES = ("drift", "benchmark")


class SummaryError(AlignmentError):
    """A summary does not match ``templates/summary.schema.json``."""


def _plain(x: Any) -> Any:
    """A JSON-ready Python value: numpy scalars unwrapped, NaN/NA/inf -> None."""
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, pd.Timestamp):
        return x.isoformat()
    if isinstance(x, (str, bool, int, float)):
        return x
    return str(x)


def _count(key: str, x: Any) -> Any:
    """``n`` and ``n_*`` values as integers when whole."""
    if (key == "n" or key.startswith("n_")) and isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Rows as dicts with ``suppressed`` and ``reason``; a suppressed row's measures are null."""
    if frame is None or frame.empty:
        return []
    if frame.index.name == AREA and AREA not in frame.columns:
        frame = frame.reset_index()
    out = []
    for row in frame.to_dict("records"):
        hidden = bool(_plain(row.pop("suppressed", False)) or False)
        reason = _plain(row.pop("suppressed_reason", "")) or ""
        rec: dict[str, Any] = {}
        for k, v in row.items():
            if k == "respondent_id":
                continue  # never leaves the toolkit
            k = str(k)
            rec[k] = None if hidden and k not in KEY_COLUMNS else _count(k, _plain(v))
        rec["suppressed"], rec["reason"] = hidden, str(reason) if hidden else ""
        out.append(rec)
    return out


def _oai(assessment: Assessment) -> dict[str, Any]:
    oai = dict(assessment.oai or {})
    value = _plain(oai.get("value"))
    hidden = bool(oai.get("suppressed", False)) or value is None
    reason = str(oai.get("suppressed_reason") or oai.get("reason") or
                 ("too few respondents" if hidden else ""))
    keys = ("value", "lo", "hi", "band", "n")
    rec = {k: None if hidden else _count(k, _plain(oai.get(k))) for k in keys}
    if rec["band"] == "":
        rec["band"] = None
    rec.update(suppressed=hidden, reason=reason if hidden else "")
    return rec


def _drivers(frame: pd.DataFrame | None) -> dict[str, Any] | None:
    if frame is None:
        return None
    return {"r_squared": _plain(frame.attrs.get("r_squared")), "rows": _records(frame),
            "top": frame.attrs.get("top") or None, "n": _plain(frame.attrs.get("n")),
            "condition": _plain(frame.attrs.get("condition"))}


def _plain_frame(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _count(str(k), _plain(v)) for k, v in r.items()} for r in frame.to_dict("records")]


def build_summary(assessment: Assessment, findings: Findings, voice: Any = None, *,
                  toolkit_version: str) -> dict[str, Any]:
    """Assemble the JSON-ready summary of one client and wave.

    Parameters
    ----------
    assessment
        The protected assessment (after `toolkit.privacy.protect`).
    findings
        From `toolkit.findings.build_findings`.
    voice
        From `toolkit.voice.analyse_voice`, or None.
    toolkit_version
        Written as ``toolkit_version``.

    Returns
    -------
    dict
        Matches ``templates/summary.schema.json``; NaN already turned into None.
    """
    areas = _records(assessment.areas)
    for rec in areas:
        if rec.get("band") == "":
            rec["band"] = None
    hidden_areas = {r[AREA] for r in areas if r["suppressed"]}
    gap = assessment.principal_gap if assessment.principal_gap in AREAS else None
    recs = findings.recommendations
    d: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "toolkit_version": toolkit_version,
        "client_id": assessment.client_id,
        "client_name": assessment.client_name,
        "wave": assessment.wave,
        "protected": bool(assessment.protected),
        "oai": _oai(assessment),
        "principal_gap": None if gap in hidden_areas else gap,
        "areas": areas,
        **{name: _records(getattr(assessment, name)) for name in FRAMES},
        "drivers": _drivers(assessment.drivers),
        **{name: (None if getattr(assessment, name) is None else _records(getattr(assessment, name)))
           for name in OPTIONAL_FRAMES},
        "warnings": [str(w) for w in assessment.warnings],
        "scale": {str(k): _plain(v) if not isinstance(v, list) else [str(x) for x in v]
                  for k, v in (assessment.scale or {}).items()} or None,
        "not_scored": [str(a) for a in assessment.not_scored],
        "between_units": None if assessment.between_units is None else _records(assessment.between_units),
        "findings": {
            "summary_sentences": list(findings.summary_sentences),
            "principal_gap_sentence": findings.principal_gap_sentence,
            "oai_sentence": findings.oai_sentence,
            "drift_sentences": list(findings.drift_sentences),
            "costs": [asdict(c) for c in findings.costs],
        },
        "recommendations": _plain_frame(recs) if recs is not None else [],
        "voice": None if voice is None else {
            "n_excerpts": int(voice.n_excerpts), "n_coded": int(voice.n_coded),
            "themes": _plain_frame(voice.themes.drop(columns=["respondent_id"], errors="ignore")),
            "quotes": _plain_frame(voice.quotes.drop(columns=["respondent_id"], errors="ignore")),
        },
    }
    return d


def _import_jsonschema() -> Any:
    """``jsonschema``, imported without its optional ``iri`` format check when nothing loaded it yet.

    On import jsonschema registers an ``iri`` format check if ``rfc3987_syntax``
    is installed, and that package compiles a Lark grammar on import (~1.2 s CPU).
    Formats are never asserted here (no format checker; the schema has no
    ``format``), and nbformat and papermill use no format checker either, so
    the batch coordinator, which validates every deck's summary but runs no
    notebook itself, skips that import. A process that imported jsonschema
    before (nbformat in `toolkit.report`) keeps its full set of format checks.
    """
    import sys

    if "jsonschema" in sys.modules:
        return sys.modules["jsonschema"]
    skip = "rfc3987_syntax" not in sys.modules
    if skip:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # documented: import raises ImportError
    try:
        import jsonschema
    finally:
        if skip:
            del sys.modules["rfc3987_syntax"]  # a later, explicit import of it still works
    return jsonschema


@lru_cache(maxsize=1)
def _validator() -> Any:
    jsonschema = _import_jsonschema()  # deferred: importing it costs time (see there)

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_summary(d: dict[str, Any]) -> None:
    """Check a summary against ``templates/summary.schema.json``.

    Raises
    ------
    SummaryError
        Listing every violation with its JSON path.
    """
    errors = sorted(_validator().iter_errors(d), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        lines = [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors]
        raise SummaryError(f"summary does not match schema {SCHEMA_VERSION}: {len(errors)} "
                           f"problem{'s' if len(errors) > 1 else ''}\n  " + "\n  ".join(lines))


def _normalise(x: Any) -> Any:
    """Floats rounded to 2 dp, NaN/inf -> None, recursively."""
    if isinstance(x, dict):
        return {str(k): _normalise(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_normalise(v) for v in x]
    x = _plain(x)
    if isinstance(x, float):
        r = round(x, 2)
        return 0.0 if r == 0 else r  # no "-0.0"
    return x


def dumps_summary(d: dict[str, Any]) -> str:
    """The summary as deterministic JSON text (sorted keys, 2 dp, null for NaN)."""
    return json.dumps(_normalise(d), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_summary(d: dict[str, Any], path: Path | str, *, validate: bool = True) -> Path:
    """Validate and write a summary atomically (temp file in the same folder, then ``os.replace``).

    A summary that fails validation is never written, so it cannot replace the
    last good one. ``validate=False`` leaves the check to the caller: the
    assessment kernel skips it (importing jsonschema costs ~1 s per kernel) and
    `toolkit.report` validates the staged file before publishing it.

    Raises
    ------
    SummaryError
        When ``d`` does not match the schema.
    """
    path = Path(path)
    text = dumps_summary(d)
    if validate:
        validate_summary(json.loads(text))
    return write_text_atomic(path, text)


def load_summary(path: Path | str) -> dict[str, Any]:
    """Read a summary written by `write_summary`."""
    return cast(dict[str, Any], json.loads(Path(path).read_text(encoding="utf-8")))  # an object, by `write_summary`


def _natural(name: str) -> list[tuple[int, int | str]]:
    """Sort key in which ``wave10`` follows ``wave9``."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name) if p]


def _published(folder: Path) -> bool:
    """A folder a reader may look at: not hidden (staging, backups) and not ``<wave>.failed``."""
    return folder.is_dir() and not folder.name.startswith(".") and not folder.name.endswith(".failed")


def latest_summary(client_dir: Path) -> Path | None:
    """The client's latest published wave summary: by wave name (natural order), then file mtime.

    Hidden folders (another run's in-flight ``.staging-*`` or ``.previous-*``)
    and ``<wave>.failed`` folders are never read.
    """
    client_dir = Path(client_dir)
    if not client_dir.is_dir():
        return None
    found = [w / SUMMARY_FILE for w in client_dir.iterdir() if _published(w) and (w / SUMMARY_FILE).is_file()]
    if not found:
        return None
    return max(found, key=lambda p: (_natural(p.parent.name), p.stat().st_mtime))


def latest_summaries(reports_dir: Path) -> dict[str, Path]:
    """``{client folder name: its latest summary}`` for every published client folder, sorted by name.

    Hidden client folders are skipped; each client's summary is `latest_summary`.
    """
    root = Path(reports_dir)
    if not root.is_dir():
        return {}
    out: dict[str, Path] = {}
    for client_dir in sorted(p for p in root.iterdir() if _published(p)):
        path = latest_summary(client_dir)
        if path is not None:
            out[client_dir.name] = path
    return out


def load_portfolio(reports_dir: Path, *, exclude: str | None = None) -> pd.DataFrame:
    """Other clients' area alignment from their latest ``reports/<client>/<wave>/summary.json``.

    Parameters
    ----------
    reports_dir
        The reports root.
    exclude
        A client id to leave out (the client being benchmarked).

    Returns
    -------
    pandas.DataFrame
        ``client_id, area, alignment`` (NaN for a suppressed area), sorted by
        client and area. Hidden and ``*.failed`` folders are never read
        (`latest_summaries`); unreadable or other-major-version summaries are
        skipped, logged at debug level without naming the client.
    """
    rows: list[dict[str, Any]] = []
    order = {a: i for i, a in enumerate(AREAS)}
    # This runs inside one client's assessment kernel, whose log lands in that client's
    # notebook: never name another client there (debug level, no path).
    for folder, path in latest_summaries(Path(reports_dir)).items():
        try:
            d = load_summary(path)
        except (OSError, ValueError) as exc:
            log.debug("benchmark: skipped an unreadable summary (%s)", type(exc).__name__)
            continue
        if not isinstance(d, dict):
            log.debug("benchmark: skipped a summary that is not a JSON object")
            continue
        if str(d.get("schema_version", "")).split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            log.debug("benchmark: skipped a summary of another schema version")
            continue
        client_id = str(d.get("client_id") or folder)
        if client_id == exclude or folder == exclude:
            continue
        for rec in d.get("areas", []):
            if rec.get(AREA) in order:
                value = rec.get("alignment")
                rows.append({"client_id": client_id, AREA: rec[AREA],
                             "alignment": float(value) if value is not None and not rec.get("suppressed")
                             else float("nan")})
    frame = pd.DataFrame(rows, columns=["client_id", AREA, "alignment"]).astype({"alignment": "float64"})
    if frame.empty:
        return frame
    frame = frame.assign(_o=frame[AREA].map(order)).sort_values(["client_id", "_o"], kind="mergesort")
    return frame.drop(columns="_o").reset_index(drop=True)
