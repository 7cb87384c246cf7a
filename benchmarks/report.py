"""One client end to end (`run_report`, HTML deck) against the floor and the naive route.

Measured in one run, on the same demo client:

* floor     a bare kernel start + the imports the notebook needs + shutdown
            (jupyter_client's blocking kernel manager);
* compute   the notebook's work done in-process in a warm interpreter
            (build_story + every slide), i.e. what a kernel must compute anyway;
* naive     ``papermill`` CLI then ``jupyter nbconvert --to slides`` CLI;
* ours      ``run_report(..., formats="html")`` in this (warm) process, and the
            same with ``html,pdf``.

Target: ours (html) within 1.5x of floor + compute. Run:
``.venv/bin/python benchmarks/report.py [--client harbor-concierge] [--repeat 3]``.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
NOTEBOOK_IMPORTS = ("from toolkit import slides\nfrom toolkit.deck.outputs import save_outputs\n"
                    "from toolkit.story import build_story")


def floor_once() -> float:
    """Kernel start, the notebook's imports, shutdown."""
    from jupyter_client.manager import start_new_kernel

    t = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        reply = kc.execute_interactive(NOTEBOOK_IMPORTS, timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    return time.perf_counter() - t


def compute_once(client: Path) -> float:
    """The notebook's cells, run in this warm process."""
    from toolkit import slides
    from toolkit.story import build_story

    t = time.perf_counter()
    story = build_story(client, benchmark_path=None)
    slides.deck_slides(story)  # every slide of the deck plan, as the notebook's one slide cell draws them
    return time.perf_counter() - t


def naive_once(client: Path, work: Path) -> float:
    """papermill CLI, then nbconvert CLI, as a person would type them."""
    out_nb = work / "naive.ipynb"
    t = time.perf_counter()
    subprocess.run([str(BIN / "papermill"), str(ROOT / "notebooks" / "assessment.ipynb"), str(out_nb),
                    "-p", "client_dir", str(client), "-p", "benchmark_path", "", "--cwd", str(ROOT / "notebooks")],
                   check=True, capture_output=True)
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "slides", "--no-input", str(out_nb)],
                   check=True, capture_output=True)
    return time.perf_counter() - t


def ours_once(client: Path, work: Path, formats: str) -> float:
    from toolkit.report import run_report

    t = time.perf_counter()
    result = run_report(client, out_dir=work / "reports", formats=formats)
    assert result.status == "ok"
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--client", default="harbor-concierge")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    client = ROOT / "client_data" / args.client
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ours_once(client, work, "html")  # warm-up: imports, deck template, fonts
        compute_once(client)
        runs: dict[str, list[float]] = {"floor": [], "compute": [], "naive": [], "ours_html": [], "ours_html_pdf": []}
        for _ in range(args.repeat):
            runs["floor"].append(floor_once())
            runs["compute"].append(compute_once(client))
            runs["naive"].append(naive_once(client, work))
            runs["ours_html"].append(ours_once(client, work, "html"))
            runs["ours_html_pdf"].append(ours_once(client, work, "html,pdf"))
    med = {k: statistics.median(v) for k, v in runs.items()}
    budget = med["floor"] + med["compute"]
    print(f"client: {args.client}, repeats: {args.repeat} (medians, seconds)")
    for key, label in (("floor", "floor: kernel start + notebook imports + shutdown"),
                       ("compute", "in-process compute (build_story + all slides)"),
                       ("naive", "naive: papermill CLI + nbconvert --to slides CLI"),
                       ("ours_html", "alignment report --formats html"),
                       ("ours_html_pdf", "alignment report --formats html,pdf")):
        print(f"  {label:<52} {med[key]:6.2f}")
    print(f"  floor + compute {budget:.2f} s; ours/(floor+compute) = {med['ours_html'] / budget:.2f} (target <= 1.5)")
    print(f"  naive/ours = {med['naive'] / med['ours_html']:.2f}x")


if __name__ == "__main__":
    main()
