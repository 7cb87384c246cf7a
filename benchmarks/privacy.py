"""Benchmark: the linked-table audit on a 20,000-respondent client, 60 departments x 3 levels.

Every figure a run can publish is audited together: the overall figure, 60
departments, 3 levels and the 180 department x level cells (the explorer's
one-filter and two-filter views), for each of the four areas, plus the head
counts. Executives are rare (1 %), so many executive cells hold 0-5 people.

The audit is run with favourable audited beside perception (the default:
two tables per area) and with perception alone. The publication check
(`check_publication`: ratings re-audited and head counts re-checked over the
deck's summary plus *every* explorer view exported -- 60 department, 3 level
and every department x level view) is timed too.

Baselines measured in the same run: ``protect`` without the audit (primary
and sibling suppression only), and the audit with one HiGHS call per linear
programme (``BATCHED_LP = False``, the solver before the batching) against
the batched solver (all of an audit's programmes in one call), on this client
and on the three demo clients in ``client_data/``. SciPy's import is timed
apart (paid once per process). Target: the audit under 2 s.
Run: ``.venv/bin/python benchmarks/privacy.py``.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.client_config import ClientConfig, KpiDefinition  # noqa: E402
from toolkit.metrics import assess  # noqa: E402
from toolkit.model import ClientData  # noqa: E402
from toolkit.privacy import (  # noqa: E402
    SUPPRESSED,
    protect,
)
from toolkit.privacy import audit as audit_module  # noqa: E402
from toolkit.privacy.linked import PERCEPTION, Layout, audit_breakdowns, client_cells, measure_cells, verify  # noqa: E402
from toolkit.privacy.publication import check_publication, summary_of  # noqa: E402

T = TypeVar("T")

N_RESPONDENTS, N_DEPTS = 20_000, 60


def make_client(seed: int = 0) -> ClientData:
    """Synthetic ratings: 60 departments, levels 1 % / 24 % / 75 %, the firm's question bank."""
    rng = np.random.default_rng(seed)
    questions = pd.read_csv(ROOT / "templates" / "question_bank.csv")
    n_items = len(questions)
    depts = np.array([f"dept_{i:02d}" for i in range(N_DEPTS)], dtype=object)
    levels = np.array(["executive", "manager", "frontline"], dtype=object)
    resp_dept = depts[rng.integers(0, N_DEPTS, N_RESPONDENTS)]
    resp_level = levels[rng.choice(3, N_RESPONDENTS, p=[0.01, 0.24, 0.75])]
    latent = rng.normal(3.3, 0.6, size=(N_RESPONDENTS, 1))
    ratings = np.clip(np.rint(latent + rng.normal(0, 0.8, size=(N_RESPONDENTS, n_items))), 1, 5)
    r_idx, q_idx = np.nonzero(rng.random((N_RESPONDENTS, n_items)) > 0.05)
    tidy = pd.DataFrame({"respondent_id": np.char.add("r", r_idx.astype(str)).astype(object),
                         "department": resp_dept[r_idx], "level": resp_level[r_idx],
                         "question_id": questions["question_id"].to_numpy(dtype=object)[q_idx],
                         "rating": ratings[r_idx, q_idx]})
    ops = pd.DataFrame({"kpi_id": ["k1"], "department": [depts[0]], "period": ["2026-01"],
                        "period_start": pd.to_datetime(["2026-01-01"]), "value": [1.0]})
    config = ClientConfig(name="Bench Corp", wave="2026-h2", strategy="scale", customer_promise="value",
                          management_style="accountability",
                          kpis=[KpiDefinition(id="k1", name="k1", area="proven_processes", better="higher",
                                              target=1)])
    return ClientData("bench", ROOT, config, questions, tidy,
                      pd.DataFrame(columns=["respondent_id", "area", "theme", "text"]), ops)


def timed(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """Median wall time of ``fn()`` over ``repeat`` runs, and the last result."""
    assert repeat >= 1
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def main() -> None:
    client = make_client()
    raw = assess(client, n_boot=0)
    k = client.config.privacy.min_group_size
    t0 = time.perf_counter()
    import scipy.optimize  # noqa: F401
    t_import = time.perf_counter() - t0
    cells = client_cells(client)
    assert cells is not None  # the synthetic client always pivots
    layout = Layout.of(raw.coverage)
    small = int(((raw.coverage["n"] > 0) & (raw.coverage["n"] < k)).sum())
    print(f"client: {client.ratings['respondent_id'].nunique():,} respondents, {len(layout.departments)} departments "
          f"x {len(layout.levels)} levels = {len(raw.coverage)} non-empty cells ({small} below {k}); "
          f"{len(layout.keys)} publishable figures per area (overall, departments, levels, cells = every "
          "explorer view) x 4 areas")
    base, old = timed(lambda: protect(raw, client.config.privacy, linked_audit=False))
    t_cells, _ = timed(lambda: client_cells(client))
    flagged = raw.coverage.assign(**{SUPPRESSED: old.coverage[SUPPRESSED].to_numpy(dtype=bool)})
    t_audit, result = timed(lambda: audit_breakdowns(old.areas, old.departments, old.levels, flagged, k,
                                                     cells=cells))
    t_full, new = timed(lambda: protect(raw, client.config.privacy, cells=cells))
    final = raw.coverage.assign(**{SUPPRESSED: new.coverage[SUPPRESSED].to_numpy(dtype=bool)[:len(raw.coverage)]})
    t_verify, problems = timed(lambda: verify(new.areas, new.departments, new.levels, final, k, cells=cells))
    perception = measure_cells(cells, PERCEPTION)
    t_perc, _ = timed(lambda: audit_breakdowns(old.areas, old.departments, old.levels, flagged, k, cells=perception))
    t_fav, _ = timed(lambda: audit_breakdowns(old.areas, old.departments, old.levels, flagged, k, cells=cells))
    views = every_view(new)
    summary = summary_of(new)
    t_pub, pub_problems = timed(lambda: check_publication(summary, client, views))
    print(f"scipy.optimize import (once)      : {t_import:6.3f} s")
    print(f"baseline protect, no audit        : {base:6.3f} s")
    print(f"cell sums (client_cells)          : {t_cells:6.3f} s")
    print(f"linked-table audit + head counts  : {t_audit:6.3f} s  (x{t_audit / base:.1f} baseline)  target < 2 s")
    print(f"protect with the audit            : {t_full:6.3f} s  (x{t_full / base:.1f} baseline)")
    print(f"final re-audit (verify)           : {t_verify:6.3f} s  -> {len(problems)} problems")
    print(f"audit, perception + favourable    : {t_fav:6.3f} s  (x{t_fav / t_perc:.1f} perception only, {t_perc:.3f} s)")
    print(f"publication check, deck + {len(views)} views: {t_pub:6.3f} s  -> {len(pub_problems)} problems  "
          "target < 2 s")
    hidden = {f: (int(old.__dict__[f][SUPPRESSED].sum()), int(new.__dict__[f][SUPPRESSED].sum()))
              for f in ("departments", "levels", "coverage")}
    print("hidden before -> after: " + ", ".join(f"{f} {a} -> {b}" for f, (a, b) in hidden.items())
          + f"; audit chose {len(result.hidden)} figures, {len(result.cells_hidden)} cells, "
            f"{len(result.counts_hidden)} counts")


def every_view(full) -> list[dict]:
    """The scenario of every one- and two-filter explorer view, as `scenario_dict` writes them.

    A department (level) view publishes that group's per-area figures -- the
    deck's department (level) row -- and a cell view its cell; a view the
    full client hides is exported suppressed.
    """
    out = []
    for frame, col in ((full.departments, "department"), (full.levels, "level")):
        for name, rows in frame.groupby(col, sort=True):
            hidden = bool(rows[SUPPRESSED].any())
            out.append({"filters": {col: str(name)}, "suppressed": hidden,
                        "areas": [{"area": a, "n": None if hidden else n, "perception": None if hidden else p,
                                   "suppressed": hidden} for a, n, p in zip(rows["area"], rows["n"],
                                                                            rows["perception"], strict=True)]})
    cov = full.coverage
    for d, lv, s in zip(cov["department"], cov["level"], cov[SUPPRESSED], strict=True):
        out.append({"filters": {"department": str(d), "level": str(lv)}, "suppressed": bool(s), "areas": []})
    return out


def solver_ratio() -> None:
    """The audit per LP (before) and batched (after), on the demo clients and the large client."""
    from toolkit.intake import load_client

    rows = []
    for name in ("harbor-concierge", "northwind-logistics", "swiftmart"):
        client = load_client(ROOT / "client_data" / name)
        raw, cells = assess(client, n_boot=0), client_cells(client)
        rows.append((name, raw, cells, client.config.privacy))
    big = make_client()
    rows.append(("bench 20,000", assess(big, n_boot=0), client_cells(big), big.config.privacy))
    print("\naudit (protect with the linked-table audit), one LP per call vs batched:")
    for name, raw, cells, privacy in rows:
        times = {}
        for batched in (False, True):
            audit_module.BATCHED_LP = batched
            times[batched], out = timed(partial(protect, raw, privacy, cells=cells), repeat=3)
        audit_module.BATCHED_LP = True
        hidden = int(out.departments[SUPPRESSED].sum() + out.levels[SUPPRESSED].sum())
        print(f"  {name:20s}: per LP {times[False]:6.3f} s   batched {times[True]:6.3f} s   "
              f"ratio x{times[False] / times[True]:.1f}   ({hidden} department/level results hidden)")


if __name__ == "__main__":
    main()
    solver_ratio()
