"""Content hashes of everything a report depends on, for incremental batch runs."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.run import resources


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_hashes(folder: Path, *, suffixes: tuple[str, ...] | None = None) -> dict[str, str]:
    """Return ``{relative path: sha256}`` for the files under ``folder``.

    Hidden files and ``__pycache__`` are ignored; ``suffixes`` filters by file ending.
    """
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if suffixes and not path.name.endswith(suffixes):
            continue
        out[rel.as_posix()] = _file_hash(path)
    return out


def code_hashes() -> dict[str, Any]:
    """What every score and deck depends on besides the client's files: the toolkit's version, source and templates."""
    return {"version": __version__, "toolkit": tree_hashes(resources.package_dir(), suffixes=(".py",)),
            "templates": tree_hashes(resources.templates_dir())}


def input_fingerprint(client_dir: Path, *, notebook: Path, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Hash a client's inputs together with the notebook, templates and toolkit.

    Returns
    -------
    dict
        ``inputs`` (per client file), ``input_hash`` (one hash over all of it,
        including the toolkit version and source, templates, notebook and ``extra``).
    """
    inputs = tree_hashes(Path(client_dir))
    code = code_hashes()
    combined = {
        "inputs": inputs,
        "notebook": _file_hash(notebook),
        "templates": code["templates"],
        "toolkit": {"version": code["version"], **code["toolkit"]},
        "extra": extra or {},
    }
    blob = json.dumps(combined, sort_keys=True, default=str).encode()
    return {"inputs": inputs, "input_hash": hashlib.sha256(blob).hexdigest()}


def report_fingerprint(client_dir: Path, *, notebook: Path, parameters: dict[str, Any], formats: Sequence[str],
                       wave: str | None, benchmark: str = "") -> dict[str, Any]:
    """The fingerprint of one report run, as `toolkit.report.run_report` records it in ``run.json``.

    The one place that says what a report depends on: the client's files, the
    notebook, the toolkit and templates, the parameters, the formats, the wave
    asked for ("" for the current one) and the benchmark's hash ("" when there
    is no snapshot). The batch's unchanged check calls this same function.
    """
    extra: dict[str, Any] = {"parameters": dict(parameters), "formats": list(formats), "wave": wave or ""}
    if benchmark:
        extra["benchmark"] = benchmark
    return input_fingerprint(Path(client_dir), notebook=notebook, extra=extra)
