"""``alignment batch``: progress bar, summary table and exit code around `toolkit.batch.run_batch`."""
from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

EXIT_OK, EXIT_FAILED = 0, 1


def run_batch_command(args: argparse.Namespace) -> int:
    """Run a batch with a tqdm progress bar; print the summary table; return the exit code."""
    from tqdm import tqdm

    from toolkit.batch import dask_executor, format_batch_table, run_batch
    from toolkit.report import parse_formats

    formats = parse_formats(args.formats)
    bar = None

    def on_event(event) -> None:
        if bar is None:
            return
        if event.kind in ("finished", "skipped") or (event.kind == "validated" and event.result is not None
                                                      and event.result.status == "invalid"):
            status = event.result.status if event.result is not None else event.kind
            bar.update(1)
            bar.set_postfix_str(f"{event.client_id}: {status}")
        elif event.kind == "started":
            bar.set_postfix_str(f"{event.client_id}: running")

    from toolkit.batch import discover_clients

    clients = discover_clients(Path(args.client_data), only=args.only)
    bar = tqdm(total=len(clients), unit="client", desc="decks", disable=args.no_progress, file=sys.stderr)
    context = dask_executor(args.scheduler) if args.scheduler else nullcontext(None)
    try:
        with context as executor:
            result = run_batch(Path(args.client_data), out_dir=Path(args.out), workers=args.workers,
                               formats=formats, only=args.only, force=args.force,
                               executor=executor, on_event=on_event)
    finally:
        bar.close()
    print(format_batch_table(result.results))
    print(f"\nmanifest: {result.manifest_path}")
    return EXIT_OK if result.ok else EXIT_FAILED
