"""Many clients in parallel via `toolkit.report`, on any `concurrent.futures.Executor`.

`run_batch` discovers, skips the unchanged, validates and runs; `format_batch_table`
and the manifest report what happened; `portfolio_table` reads the results back.

The batch calls `toolkit.report.recover_outputs` to drop what a killed run
left behind next to a client's outputs before deciding whether it is unchanged.
"""
from toolkit.batch.discover import discover_clients
from toolkit.batch.executors import dask_executor
from toolkit.batch.manifest import format_batch_table
from toolkit.batch.portfolio import portfolio_table, write_portfolio_csv
from toolkit.batch.run import BatchEvent, BatchResult, run_batch
from toolkit.batch.worker import run_client

__all__ = ["BatchEvent", "BatchResult", "dask_executor", "discover_clients", "format_batch_table",
           "portfolio_table", "run_batch", "run_client", "write_portfolio_csv"]
