"""Benchmark: how long a widget change takes to redraw the explorer, without a browser.

The explorer is driven as JupyterLab drives it -- by setting widget values,
which fires the same observers -- and each change is timed until its
scorecard text and its visible chart (PNG bytes) are updated.

Clients: the demo client northwind-logistics (42 respondents) and a generated
20,000-respondent client with 1,000,000 KPI rows (`toolkit.demo.write_large_client`),
explored with 200 bootstrap resamples (the UI says so).

Baseline, measured in the same run: ``build_story`` of the same client (load,
assess with B = 1000, protect, findings, voice, summary): what one change
would cost without the explorer's caches.

Targets: a change redraws in under 200 ms on a demo client and under 1 s on
the large client, judged on the median of several changes of each kind (the
machine is shared; the maximum is printed too and flagged when over). "cold" = a department/level never shown before, with the background warm-up
switched off (the bootstrap runs on the click); "warm" = shown before, or
warmed up by the explorer's default background prefetch (cached). Run: ``.venv/bin/python benchmarks/explore.py``.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.demo import write_large_client  # noqa: E402
from toolkit.explore import Explorer, Filters, group_hidden_reason  # noqa: E402
from toolkit.story import build_story  # noqa: E402


def timed(fn: Callable[[], object]) -> float:
    """Wall time of ``fn()`` in ms."""
    start = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - start)


def setter(widget, value, trait: str = "value") -> Callable[[], None]:
    """A change of one widget trait, as the browser would make it."""
    return lambda: setattr(widget, trait, value)


def drive(ex: Explorer) -> list[tuple[str, list[float]]]:
    """Time each kind of widget change (several values each); return (label, times in ms)."""
    depts = [v for _, v in ex.department_picker.options if v]
    full = ex.engine.full(ex.client)  # the deck's view, already scored at open: judging a group costs no scoring
    shown = [d for d in depts if not group_hidden_reason(full, Filters(department=d))][:4]
    levels = [v for _, v in ex.level_picker.options if v]
    rows: list[tuple[str, list[float]]] = []
    ex.view_tabs.selected_index = 0  # scorecard chart visible: it redraws on every change below
    slider = ex.area_sliders["proven_processes"]
    rows.append(("strategic weight slider", [timed(setter(slider, v)) for v in (0.31, 0.52, 0.73, 0.94, 0.45)]))
    comp = ex.component_sliders["perception"]
    rows.append(("component weight slider", [timed(setter(comp, v)) for v in (0.3, 0.4, 0.6, 0.7, 0.5)]))
    cold = []
    for d in shown:
        cold.append(timed(setter(ex.department_picker, d)))
    cold.append(timed(setter(ex.department_picker, "")))
    rows.append(("department filter (cold)", cold))
    rows.append(("department filter (warm)", [timed(setter(ex.department_picker, d)) for d in shown + [""]]))
    rows.append(("level filter (cold)", [timed(setter(ex.level_picker, lv)) for lv in levels] +
                 [timed(setter(ex.level_picker, ""))]))
    ex.department_picker.value = shown[0]
    rows.append(("weight slider with a filter", [timed(setter(slider, v)) for v in (0.2, 0.3, 0.4)]))
    ex.department_picker.value = ""
    rows.append(("area tab", [timed(setter(ex.area_tabs, i, "selected_index")) for i in (1, 2, 3, 4, 0)]))
    views = []
    for i in (1, 2, 3):
        ex.view_tabs.selected_index = 0
        ex._stale.update({"heatmap", "perception_gap", "kpi_attainment"})  # force a fresh draw of each
        views.append(timed(setter(ex.view_tabs, i, "selected_index")))
    rows.append(("view tab (draws its chart)", views))
    ex.view_tabs.selected_index = 4
    rows.append(("quotes sentiment filter", [timed(setter(ex.sentiment_picker, s))
                                             for s in ("negative", "positive", "neutral", "all")]))
    ex.view_tabs.selected_index = 0
    return rows


def report(name: str, target_ms: float, baseline_ms: float, open_ms: float,
           rows: list[tuple[str, list[float]]]) -> bool:
    print(f"\n## {name}")
    print(f"baseline build_story: {baseline_ms:8.0f} ms    Explorer open: {open_ms:6.0f} ms    target per change: "
          f"< {target_ms:.0f} ms")
    print(f"{'widget change':32s} {'n':>3s} {'median ms':>10s} {'max ms':>8s} {'baseline / median':>18s}  "
          "median < target")
    ok = True
    for label, times in rows:
        med, worst = statistics.median(times), max(times)
        good = med < target_ms
        ok &= good
        print(f"{label:32s} {len(times):3d} {med:10.1f} {worst:8.1f} {baseline_ms / med:17.0f}x  "
              f"{'yes' if good else 'NO'}{'' if worst < target_ms else '  (max over target)'}")
    return ok


def bench(client_dir: Path, data_dir: Path, target_ms: float, name: str, reports: Path) -> bool:
    baseline = timed(lambda: build_story(client_dir))
    # the default background warm-up: how long until every department and level is cached
    start = time.perf_counter()
    warmed = Explorer(data_dir, client=client_dir.name, reports_dir=reports)
    assert warmed.prefetcher is not None  # the background warm-up is on by default
    warmed.prefetcher.join()
    warm_up_ms = 1000 * (time.perf_counter() - start)
    del warmed
    # measured without it, so "cold" really scores the group on the click
    holder: dict[str, Explorer] = {}
    open_ms = timed(lambda: holder.setdefault("ex", Explorer(data_dir, client=client_dir.name, reports_dir=reports,
                                                             prefetch=False)))
    ex = holder["ex"]
    print(f"\n{name}: n_boot while exploring = {ex.view.n_boot}, respondents = {int(ex.view.assessment.oai['n'])}")
    print(f"open + background warm-up of every department and level (default): {warm_up_ms:.0f} ms; "
          "after it, a first filter click costs the 'warm' row")
    return report(name, target_ms, baseline, open_ms, drive(ex))


def main() -> int:
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
          "(other processes slow every figure below alike; the ratios to the baseline hold up better)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        ok = bench(ROOT / "client_data" / "northwind-logistics", ROOT / "client_data", 200.0,
                   "demo client northwind-logistics", tmp_path / "reports")
        big = tmp_path / "big"
        start = time.perf_counter()
        write_large_client(big)
        print(f"\n(generated the 20,000-respondent client in {time.perf_counter() - start:.1f} s)")
        ok &= bench(big / "large-client", big, 1000.0, "large client (20,000 respondents, 1,000,000 KPI rows)",
                    tmp_path / "reports")
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
