"""``alignment batch``: a progress bar per phase, the summary table and exit code around `toolkit.batch.run_batch`."""
from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.rules import ExitCode

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.batch.run import BatchEvent


def run_batch_command(args: argparse.Namespace) -> int:
    """Run a batch with one tqdm bar per phase (scoring, rendering); print the table; return the exit code."""
    from tqdm import tqdm

    from toolkit.batch import dask_executor, discover_clients, format_batch_table, run_batch
    from toolkit.batch.manifest import format_phases
    from toolkit.report import parse_formats

    formats = parse_formats(args.formats)
    portfolio = discover_clients(Path(args.client_data))
    chosen = discover_clients(Path(args.client_data), only=args.only)
    chosen_ids = {c.name for c in chosen}
    bars: dict[str, Any] = {}
    invalid: set[str] = set()

    def bar(phase: str) -> Any:
        if phase not in bars:
            if phase == "rendering":
                bar("scoring").close()
                total = len(chosen_ids - invalid)  # invalid clients never reach a worker
            else:
                total = len(portfolio)
            bars[phase] = tqdm(total=total, unit="client", desc=f"{phase:9}", disable=args.no_progress,
                               file=sys.stderr)
        return bars[phase]

    def on_event(event: BatchEvent) -> None:
        if event.kind == "scored":
            b = bar("scoring")
            b.update(1)
            if event.result is not None:
                invalid.add(event.client_id)
            b.set_postfix_str(f"{event.client_id}{': invalid' if event.result is not None else ''}")
            return
        b = bar("rendering")
        if event.kind in ("finished", "skipped"):
            b.update(1)
            b.set_postfix_str(f"{event.client_id}: {event.result.status if event.result else event.kind}")
        elif event.kind == "started":
            b.set_postfix_str(f"{event.client_id}: running")

    context = dask_executor(args.scheduler) if args.scheduler else nullcontext(None)
    try:
        with context as executor:
            result = run_batch(Path(args.client_data), out_dir=Path(args.out), workers=args.workers,
                               formats=formats, only=args.only, force=args.force,
                               executor=executor, on_event=on_event)
    finally:
        for b in bars.values():
            b.close()
    print(format_batch_table(result.results))
    print()
    print(format_phases(result.phases, result.results, result.snapshot.name if result.snapshot else None))
    print(f"manifest: {result.manifest_path}")
    return ExitCode.OK if result.ok else ExitCode.FAILED
