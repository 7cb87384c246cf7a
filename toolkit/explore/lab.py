"""Keep the explorer notebook clean in git: a JupyterLab pre-save hook that saves it as shipped.

Using the explorer runs its cells; JupyterLab then autosaves the notebook
with widget outputs (which show "Error displaying widget: model not found"
when it is reopened, as their models live only in the kernel) and leaves
the tracked ``notebooks/explore.ipynb`` modified in git. `make lab` starts
JupyterLab with this hook::

    --ContentsManager.pre_save_hook=toolkit.explore.lab.scrub_on_save

For every notebook whose metadata says ``"toolkit": {"scrub_on_save": true}``
it drops outputs, execution counts, saved widget state and per-cell UI
metadata before the file is written, so the saved bytes equal the shipped
file unless the user edited a cell's source. Other notebooks are untouched.
"""
from __future__ import annotations

from typing import Any

#: Notebook metadata that asks for scrubbing.
FLAG = ("toolkit", "scrub_on_save")
#: Notebook metadata kept as shipped (JupyterLab adds versions to ``language_info``).
LANGUAGE_INFO = {"name": "python"}
#: Cell metadata kept (everything else is UI state: scrolled, collapsed, execution timings).
KEEP_CELL_METADATA = ("tags",)


def wants_scrub(nb: dict[str, Any]) -> bool:
    """True when the notebook's metadata carries the `FLAG`."""
    meta = nb.get("metadata") or {}
    return bool((meta.get(FLAG[0]) or {}).get(FLAG[1], False))


def scrub(nb: dict[str, Any]) -> dict[str, Any]:
    """Strip outputs, counts, widget state and UI metadata from a notebook dict, in place; return it."""
    meta = nb.setdefault("metadata", {})
    meta.pop("widgets", None)
    if "language_info" in meta:
        meta["language_info"] = dict(LANGUAGE_INFO)
    for cell in nb.get("cells", []):
        cell["metadata"] = {k: v for k, v in (cell.get("metadata") or {}).items() if k in KEEP_CELL_METADATA}
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def scrub_on_save(model: dict[str, Any], path: str = "", contents_manager: Any = None, **kwargs: Any) -> None:
    """Jupyter server pre-save hook: scrub flagged notebooks before they are written."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict) and wants_scrub(model["content"]):
        scrub(model["content"])
