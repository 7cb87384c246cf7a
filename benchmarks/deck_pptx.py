"""Benchmark: what the PowerPoint deck adds to a client's report, against the HTML-only report.

For every demo client, in one run:

(a) baseline: ``alignment report CLIENT --formats html`` (``run_report``), wall time;
(b) the same with ``--formats html,pptx``, wall time; (b - a) is what the PPTX adds;
(c) in-process: ``build_pptx`` on the client's story, after one warm-up build
    (the kernel has pandas, matplotlib and the slides imported already), as
    wall and CPU seconds (CPU time is steadier on a shared machine).

Prints one row per client, wall and CPU seconds (this process plus its
finished children, i.e. the kernels), and the median of (b - a) against the
target (<= 0.5 s per client). Wall times on a busy machine are noisy: the CPU
columns and a few repeats (``--repeat``) tell more.

Run: ``.venv/bin/python benchmarks/deck_pptx.py [--repeat 1] [--clients a,b]``
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.report import run_report  # noqa: E402

CLIENTS = ("harbor-concierge", "northwind-logistics", "swiftmart")
TARGET_ADDED = 0.5


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the kernels)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _report(client: str, out: Path, formats: str) -> tuple[float, float]:
    started, cpu = time.perf_counter(), _cpu()
    result = run_report(ROOT / "client_data" / client, out_dir=out, formats=formats)
    if result.status != "ok":
        raise SystemExit(f"{client}: report failed: {result.message}")
    return time.perf_counter() - started, _cpu() - cpu


def _build(client: str, out: Path) -> tuple[float, float]:
    from toolkit.pptx import build_pptx
    from toolkit.story import build_story

    story = build_story(ROOT / "client_data" / client)
    build_pptx(story, out / "warm.pptx")
    wall, cpu = time.perf_counter(), time.process_time()
    build_pptx(story, out / f"{client}.pptx")
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="report pairs per client (median is shown)")
    parser.add_argument("--clients", default=",".join(CLIENTS))
    args = parser.parse_args(argv)
    added, added_cpu = [], []
    print(f"{'client':22} {'(a) html s':>10} {'cpu':>6} {'(b) +pptx s':>11} {'cpu':>6} {'b - a':>7} {'cpu':>6}"
          f" {'(c) build s':>11} {'cpu':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for client in args.clients.split(","):
            html = [_report(client, out / "a", "html") for _ in range(args.repeat)]
            both = [_report(client, out / "b", "html,pptx") for _ in range(args.repeat)]
            a, ac = (statistics.median(x) for x in zip(*html, strict=True))
            b, bc = (statistics.median(x) for x in zip(*both, strict=True))
            wall, cpu = _build(client, out)
            added.append(b - a)
            added_cpu.append(bc - ac)
            print(f"{client:22} {a:10.2f} {ac:6.2f} {b:11.2f} {bc:6.2f} {b - a:7.2f} {bc - ac:6.2f}"
                  f" {wall:11.2f} {cpu:6.2f}")
    print(f"PPTX adds {statistics.median(added):.2f} s wall, {statistics.median(added_cpu):.2f} s CPU per client "
          f"(median; target <= {TARGET_ADDED} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
