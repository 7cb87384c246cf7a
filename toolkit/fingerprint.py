"""Content hashes of everything a report depends on, for incremental batch runs."""
from __future__ import annotations

import hashlib
import json
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


def input_fingerprint(client_dir: Path, *, notebook: Path, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Hash a client's inputs together with the notebook, templates and toolkit.

    Returns
    -------
    dict
        ``inputs`` (per client file), ``input_hash`` (one hash over all of it,
        including the toolkit version and source, templates, notebook and ``extra``).
    """
    inputs = tree_hashes(Path(client_dir))
    combined = {
        "inputs": inputs,
        "notebook": _file_hash(notebook),
        "templates": tree_hashes(resources.templates_dir()),
        "toolkit": {"version": __version__, **tree_hashes(resources.package_dir(), suffixes=(".py",))},
        "extra": extra or {},
    }
    blob = json.dumps(combined, sort_keys=True, default=str).encode()
    return {"inputs": inputs, "input_hash": hashlib.sha256(blob).hexdigest()}
