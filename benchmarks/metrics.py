"""Benchmark: `assess` (bootstrap B = 1000) and `protect` on a large synthetic client.

20,000 respondents x 30 items (600,000 ratings) and 1,000,000 KPI rows, built
directly as a `ClientData` (no intake). Baselines measured in the same run:

* ``groupby``: a plain pandas groupby of respondent area means (the floor of
  any ratings aggregation);
* ``points``: `assess` with ``n_boot=0`` (every metric, no bootstrap).

Targets: `assess` with B = 1000 under 3 s, peak memory under 2 GB.
Run: ``.venv/bin/python benchmarks/metrics.py``.
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.client_config import AreaId, ClientConfig, KpiDefinition  # noqa: E402
from toolkit.metrics import assess  # noqa: E402
from toolkit.model import ClientData  # noqa: E402
from toolkit.privacy import protect  # noqa: E402

N_RESPONDENTS, N_KPI_ROWS, N_BOOT = 20_000, 1_000_000, 1000


def make_client(seed: int = 0) -> ClientData:
    """A synthetic client: 40 departments, 3 levels, the firm's 28 area items + 2 outcome items."""
    rng = np.random.default_rng(seed)
    questions = pd.read_csv(ROOT / "templates" / "question_bank.csv")
    n_items = len(questions)
    depts = np.array([f"dept_{i:02d}" for i in range(40)], dtype=object)
    levels = np.array(["executive", "manager", "frontline"], dtype=object)
    resp_dept = depts[rng.integers(0, len(depts), N_RESPONDENTS)]
    resp_level = levels[rng.choice(3, N_RESPONDENTS, p=[0.05, 0.25, 0.70])]
    latent = rng.normal(3.3, 0.6, size=(N_RESPONDENTS, 1))
    ratings = np.clip(np.rint(latent + rng.normal(0, 0.8, size=(N_RESPONDENTS, n_items))), 1, 5)
    answered = rng.random((N_RESPONDENTS, n_items)) > 0.05
    r_idx, q_idx = np.nonzero(answered)
    tidy = pd.DataFrame({
        "respondent_id": np.char.add("r", r_idx.astype(str)).astype(object),
        "department": resp_dept[r_idx], "level": resp_level[r_idx],
        "question_id": questions["question_id"].to_numpy(dtype=object)[q_idx],
        "rating": ratings[r_idx, q_idx]})
    kpi_ids = [f"kpi_{i}" for i in range(8)]
    areas: list[AreaId] = ["customer_experience", "management_style", "unique_capabilities", "proven_processes"] * 2
    periods = pd.period_range("2024-01", periods=36, freq="M")
    k = rng.integers(0, len(kpi_ids), N_KPI_ROWS)
    p = rng.integers(0, len(periods), N_KPI_ROWS)
    ops = pd.DataFrame({"kpi_id": np.array(kpi_ids, dtype=object)[k],
                        "department": depts[rng.integers(0, len(depts), N_KPI_ROWS)],
                        "period": periods.astype(str).to_numpy(dtype=object)[p],
                        "period_start": periods.to_timestamp()[p],
                        "value": rng.normal(50, 10, N_KPI_ROWS)})
    config = ClientConfig(
        name="Bench Corp", wave="2026-h2", strategy="scale", customer_promise="value",
        management_style="accountability",
        kpis=[KpiDefinition(id=kid, name=kid, area=a, better="higher" if i % 2 else "lower", target=50)
              for i, (kid, a) in enumerate(zip(kpi_ids, areas, strict=True))])
    return ClientData("bench", ROOT, config, questions, tidy,
                      pd.DataFrame(columns=["respondent_id", "area", "theme", "text"]), ops)


def timed(fn, repeat: int = 3) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def groupby_baseline(client: ClientData) -> pd.Series:
    """Respondent area means with a plain pandas merge + groupby (no keying, no metrics)."""
    merged = client.ratings.merge(client.questions[["question_id", "area"]], on="question_id")
    return merged.groupby(["area", "respondent_id"])["rating"].mean().groupby("area").mean()


def main() -> None:
    t0 = time.perf_counter()
    client = make_client()
    build = time.perf_counter() - t0
    print(f"synthetic client: {client.ratings['respondent_id'].nunique():,} respondents, "
          f"{len(client.ratings):,} ratings, {len(client.operations):,} KPI rows (built in {build:.1f} s)")
    base_groupby = timed(lambda: groupby_baseline(client))
    base_points = timed(lambda: assess(client, n_boot=0))
    full = timed(lambda: assess(client, n_boot=N_BOOT))
    result = assess(client, n_boot=N_BOOT)
    prot = timed(lambda: protect(result, client.config.privacy))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"baseline groupby of area means : {base_groupby:6.3f} s")
    print(f"baseline assess, no bootstrap  : {base_points:6.3f} s")
    print(f"assess, bootstrap B={N_BOOT}     : {full:6.3f} s  "
          f"(x{full / base_groupby:.1f} groupby, x{full / base_points:.1f} no-bootstrap)  target < 3 s")
    print(f"protect                        : {prot:6.3f} s  (x{prot / base_groupby:.2f} groupby)")
    print(f"peak memory (ru_maxrss)        : {peak_mb:6.0f} MB  target < 2048 MB")
    print(f"OAI {result.oai['value']:.1f} [{result.oai['lo']:.1f}, {result.oai['hi']:.1f}]")


if __name__ == "__main__":
    main()
