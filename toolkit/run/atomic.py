"""Atomic file writes: a failed write never replaces a good file (decks, summaries, manifests)."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``.

    The temporary file lives in the same folder (same file system), is flushed
    and fsynced, then renamed over ``path``; on any error it is removed and
    ``path`` is left as it was.

    Parameters
    ----------
    path
        Destination; its folder is created when missing.
    data
        The complete file content.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; see :func:`write_bytes_atomic`."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, data: Any) -> Path:
    """Write ``data`` as indented JSON (UTF-8) to ``path`` atomically; see :func:`write_bytes_atomic`."""
    return write_text_atomic(path, json.dumps(data, indent=2, default=str))
