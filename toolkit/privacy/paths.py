"""Published notebooks without the consultant's machine in them (DESIGN 2.2).

papermill records the parameters it injected -- the absolute client folder,
the staging folder (with a process id and a random suffix), the reports
folder -- in the injected-parameters cell and in the notebook's metadata.
`scrub_paths` rewrites every such string relative to the client folder
(``client_dir = "."``), replaces the staging folder by the published one's
own ``"."``, and drops papermill's ``input_path``/``output_path``/``cwd``.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: Anything that still looks like an absolute POSIX or Windows path after the known folders are replaced.
_ABSOLUTE = re.compile(r"(?<![\w.:/])(?:/(?:home|root|Users|tmp|var|work|mnt|opt|srv|private)/[^\s'\",)\]}]*"
                       r"|[A-Za-z]:\\\\?[^\s'\",)\]}]*)")


def relative_map(client_dir: str | Path, staging: str | Path, extra: Mapping[str, str | Path] | None = None
                 ) -> dict[str, str]:
    """Absolute path -> what a published notebook shows instead (longest first when applied)."""
    client = Path(client_dir).resolve()
    out = {str(Path(staging).resolve()): ".", str(Path(staging)): ".", str(client): "."}
    for path in (extra or {}).values():
        p = Path(path).resolve()
        try:
            out[str(p)] = os.path.relpath(p, client)
        except ValueError:  # another drive
            out[str(p)] = p.name
    return out


def scrub_text(text: str, mapping: Mapping[str, str]) -> str:
    """Replace the known folders (longest first), then any other absolute path by ``<path>``.

    Examples
    --------
    >>> scrub_text('client_dir = "/home/ana/clients/acme"', {"/home/ana/clients/acme": "."})
    'client_dir = "."'
    >>> scrub_text("see /tmp/x/.staging-w@123@ab/out", {})
    'see <path>'
    """
    for old in sorted(mapping, key=len, reverse=True):
        if old and old not in (".", "/"):
            text = text.replace(old, mapping[old])
    return _ABSOLUTE.sub("<path>", text)


def _scrub(value: Any, mapping: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return scrub_text(value, mapping)
    if isinstance(value, list):
        return [_scrub(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: v if str(k).startswith("image/") else _scrub(v, mapping) for k, v in value.items()}
    return value


def scrub_paths(notebook: str | Path, mapping: Mapping[str, str]) -> None:
    """Rewrite an executed notebook in place: no absolute path in sources, outputs or metadata."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        cell.source = scrub_text(cell.source, mapping)
        if cell.cell_type == "code":
            cell.outputs = nbformat.from_dict(
                _scrub([dict(o) for o in cell.outputs], mapping))
    meta = dict(nb.metadata.get("papermill", {}))
    for key in ("input_path", "output_path", "cwd"):
        meta.pop(key, None)
    if meta:
        nb.metadata["papermill"] = nbformat.from_dict(
            _scrub(meta, mapping))
    nbformat.write(nb, str(notebook))
