"""Many clients in parallel, on any `concurrent.futures.Executor`, in two phases.

`run_batch` discovers the clients, scores all of them and freezes one benchmark
snapshot (`toolkit.batch.snapshot`), skips the unchanged, then renders the rest
as bytes-in/bytes-out tasks (`toolkit.batch.task`) and publishes what they
return; `format_batch_table` and the manifest report what happened;
`portfolio_table` reads the results back.

Names are imported lazily: a kernel that reads a benchmark snapshot imports
`toolkit.batch.snapshot` without the batch machinery.
"""
from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "discover_clients": "toolkit.batch.discover", "dask_executor": "toolkit.batch.executors",
    "format_batch_table": "toolkit.batch.manifest", "portfolio_table": "toolkit.batch.portfolio",
    "write_portfolio_csv": "toolkit.batch.portfolio", "BatchEvent": "toolkit.batch.run",
    "BatchResult": "toolkit.batch.run", "run_batch": "toolkit.batch.run", "run_client": "toolkit.batch.worker",
    "ClientResult": "toolkit.batch.task", "latest_snapshot": "toolkit.batch.snapshot",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'toolkit.batch' has no attribute {name!r}")
