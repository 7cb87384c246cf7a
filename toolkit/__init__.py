"""Operational Alignment Toolkit: score how far operations carry out strategy.

The public API, one import away (each name loads its module on first use, so
``import toolkit`` stays light for kernels and the command line):

>>> import toolkit                                                   # doctest: +SKIP
>>> client = toolkit.load_client("client_data/harbor-concierge")    # validated ClientData
>>> story = toolkit.build_story("client_data/harbor-concierge")     # assessed, protected, narrated
>>> toolkit.run_report("client_data/harbor-concierge", out_dir="reports", formats="html")
>>> toolkit.run_batch("client_data", out_dir="reports")
>>> toolkit.Explorer.open("client_data")                            # in JupyterLab
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_HOMES = {
    "load_client": "toolkit.intake", "validate_client": "toolkit.intake", "list_waves": "toolkit.intake",
    "build_story": "toolkit.story", "Story": "toolkit.story",
    "run_report": "toolkit.report", "ReportResult": "toolkit.report",
    "run_batch": "toolkit.batch", "Explorer": "toolkit.explore", "new_client": "toolkit.scaffold",
    "Problem": "toolkit.model", "Reason": "toolkit.reasons", "AlignmentError": "toolkit.errors",
    "ClientDataError": "toolkit.errors",
}

__all__ = ["__version__", *sorted(_HOMES)]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
