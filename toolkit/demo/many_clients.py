"""Many varied synthetic clients (batch runs, benchmark percentiles) and one very large client.

`write_portfolio` draws every client's spec from one seeded generator, then
generates it with the same machinery as the shipped demo clients.
`write_large_client` is vectorised end to end: it exists to measure intake
and metrics at scale (20,000 respondents, 1,000,000 KPI rows by default).
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml

from toolkit.demo import text
from toolkit.demo.files import HEADER, client_config, wide_ratings, write_client, write_csv
from toolkit.demo.generate import (
    AreaSpec,
    ClientSpec,
    DeptSpec,
    GeneratedWave,
    KpiSpec,
    WaveSpec,
    client_rngs,
    make_roster,
    simulate_answers,
    simulate_excerpts,
)
from toolkit.model import AREAS, DEPARTMENT, KPI, LEVEL, LEVELS, PERIOD, RESPONDENT, VALUE
from toolkit.scaffold import INTERVIEWS_SHEET, read_question_bank

PROMISES = ("personalized", "speed", "value", "innovation")
STYLES = ("collaborative", "autonomous", "accountability")
# Generic KPIs a portfolio client may track: (id, name, area, better, target, unit, decimals, bounds).
GENERIC_KPIS: tuple[tuple[str, str, str, Literal["higher", "lower"], float, str, int, tuple[float, float]], ...] = (
    ("customer_satisfaction", "Customer satisfaction", "customer_experience", "higher", 80.0, "score", 1, (0, 100)),
    ("complaint_rate", "Complaints per 1,000 orders", "customer_experience", "lower", 2.0, "per 1,000", 2, (0, 1e9)),
    ("staff_turnover", "Monthly staff turnover", "management_style", "lower", 2.5, "%", 2, (0, 100)),
    ("engagement_index", "Engagement pulse", "management_style", "higher", 70.0, "score", 1, (0, 100)),
    ("signature_share", "Revenue from signature offers", "unique_capabilities", "higher", 30.0, "%", 1, (0, 100)),
    ("first_time_right", "First-time-right rate", "proven_processes", "higher", 92.0, "%", 1, (0, 100)),
    ("rework_rate", "Rework rate", "proven_processes", "lower", 4.0, "%", 2, (0, 100)),
)


def _split(total: int, parts: int, rng: np.random.Generator, minimum: int = 3) -> list[int]:
    """Split ``total`` into ``parts`` random sizes, each at least ``minimum``."""
    base = [minimum] * parts
    extra = rng.multinomial(total - minimum * parts, rng.dirichlet(np.full(parts, 2.0)))
    return [b + int(e) for b, e in zip(base, extra, strict=True)]


def _levels(size: int, rng: np.random.Generator) -> tuple[int, int, int]:
    executive = int(rng.integers(0, 2)) + (size >= 12)
    manager = max(1, round(size * rng.uniform(0.15, 0.3)))
    return executive, manager, size - executive - manager


def portfolio_spec(index: int, rng: np.random.Generator,
                   respondents: tuple[int, int] = (20, 60), word: str | None = None) -> ClientSpec:
    """Draw one varied synthetic client (the ``index``-th of a portfolio).

    Every fourth client (index 3, 7, ...) also gets an earlier wave ``2025-h1``
    whose area means differ at random, so portfolio runs exercise drift.
    """
    sector = list(text.SECTOR_DEPARTMENTS)[int(rng.integers(len(text.SECTOR_DEPARTMENTS)))]
    word = word or text.COMPANY_WORDS[int(rng.integers(len(text.COMPANY_WORDS)))]
    client_id = f"{word.lower()}-{sector.lower()}-{index + 1:02d}"
    pool = text.SECTOR_DEPARTMENTS[sector]
    total = int(rng.integers(respondents[0], respondents[1] + 1))
    n_depts = min(len(pool), max(2, total // 8), int(rng.integers(3, 7)))
    names = [pool[i] for i in sorted(rng.choice(len(pool), n_depts, replace=False))]
    departments = tuple(DeptSpec(name, *_levels(size, rng))
                        for name, size in zip(names, _split(total, n_depts, rng), strict=True))
    areas = {}
    for area in AREAS:
        areas[area] = AreaSpec(
            mean=float(rng.uniform(2.6, 4.3)), person_sd=float(rng.uniform(0.25, 0.6)),
            item_sd=float(rng.uniform(0.4, 1.0)),
            dept_shift={d: float(rng.normal(0, 0.3)) for d in names},
            level_shift={"executive": float(rng.uniform(0, 0.7)), "frontline": float(-rng.uniform(0, 0.4))},
        )
    picked = sorted(rng.choice(len(GENERIC_KPIS), int(rng.integers(3, 6)), replace=False))
    kpis = []
    for i in picked:
        kid, kname, area, better, target, unit, decimals, bounds = GENERIC_KPIS[i]
        scale = abs(target) * 0.08
        sign = 1.0 if better == "higher" else -1.0
        # Evidence follows the area's perception, so KPIs and interviews tell one story.
        mean = target + sign * scale * (areas[area].mean - 3.3) * 1.5
        kpis.append(KpiSpec(kid, kname, area, better, target, unit, mean=mean, dept_sd=scale * 0.6,
                            noise_sd=scale * 0.8, decimals=decimals, bounds=(float(bounds[0]), float(bounds[1]))))
    wave = WaveSpec("2026-h1", departments, areas, first_period="2025-07",
                    interviews="wide" if index % 2 else "tidy", n_excerpts=max(8, total // 2))
    waves: tuple[WaveSpec, ...] = (wave,)
    if index % 4 == 3:
        before = {a: AreaSpec(**{**s.__dict__, "mean": s.mean + float(rng.normal(0, 0.3))})
                  for a, s in areas.items()}
        waves = (WaveSpec("2025-h1", departments, before, first_period="2024-07", interviews="tidy",
                          n_excerpts=wave.n_excerpts), wave)
    weights = rng.dirichlet(np.full(4, 4.0))
    return ClientSpec(
        client_id=client_id, name=f"{word} {sector}", sector=sector,
        strategy=f"Synthetic strategy of portfolio client {index + 1}.",
        customer_promise=PROMISES[int(rng.integers(4))], management_style=STYLES[int(rng.integers(3))],
        unique_capabilities=(f"{word} operating model", f"{sector.lower()} know-how"),
        area_weights={a: round(float(w), 3) for a, w in zip(AREAS, weights, strict=True)},
        kpis=tuple(kpis), waves=waves,
        outcome_betas={a: float(b) for a, b in zip(AREAS, rng.dirichlet(np.ones(4)) * 1.2, strict=True)},
        email_domain=f"{client_id}.example",
    )


def write_portfolio(out_dir: Path, n_clients: int, *, seed: int = 7,
                    respondents: tuple[int, int] = (20, 60)) -> list[Path]:
    """Write ``n_clients`` varied synthetic clients into ``out_dir``.

    Parameters
    ----------
    out_dir
        Folder to hold the client folders (created if missing).
    n_clients
        How many clients.
    seed
        Same seed, same clients, byte for byte.
    respondents
        Inclusive range of respondents per client.

    Returns
    -------
    list of Path
        The client folders, in generation order (ids end in ``-01``, ``-02``...).
    """
    if n_clients < 0 or respondents[0] < 6 or respondents[1] < respondents[0]:
        raise ValueError(f"need n_clients >= 0 and 6 <= min <= max respondents; got {n_clients}, {respondents}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 0x9E3779B9])
    words = [str(w) for w in rng.permutation(text.COMPANY_WORDS)]
    specs = [portfolio_spec(i, rng, respondents, words[i % len(words)]) for i in range(n_clients)]
    return [write_client(spec, out_dir, seed=seed) for spec in specs]


def write_large_client(out_dir: Path, *, n_respondents: int = 20_000, n_kpi_rows: int = 1_000_000,
                       fmt: str = "csv", seed: int = 0) -> Path:
    """Write one very large client, ``out_dir/large-client/``, for scale tests.

    Interviews are wide (``interviews.csv``, or ``interviews.xlsx`` written in
    openpyxl's write-only mode when ``fmt="xlsx"``); operations hold exactly
    ``n_kpi_rows`` daily observations of 8 KPIs over 40 departments.

    Returns
    -------
    Path
        The client folder.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"fmt must be 'csv' or 'xlsx', got {fmt!r}")
    rng_spec, rng_data, rng_ops = client_rngs(seed, "large-client", 3)
    n_depts = 40
    sizes = _split(n_respondents, n_depts, rng_spec, minimum=max(1, min(3, n_respondents // n_depts)))
    departments = tuple(DeptSpec(f"Unit {k + 1:02d}", *_levels(s, rng_spec)) for k, s in enumerate(sizes))
    names = [d.name for d in departments]
    areas = {area: AreaSpec(mean=float(rng_spec.uniform(2.8, 4.0)), person_sd=0.45, item_sd=0.7,
                            dept_shift={d: float(rng_spec.normal(0, 0.3)) for d in names},
                            level_shift={"executive": 0.3, "frontline": -0.1})
             for area in AREAS}
    kpis = tuple(KpiSpec(f"kpi_{k + 1}", f"KPI {k + 1}", AREAS[k % 4], "higher" if k % 2 else "lower",
                         50.0, "score", mean=50.0, dept_sd=4.0, noise_sd=6.0) for k in range(8))
    wave = WaveSpec("2026-h1", departments, areas, first_period="2026-01", n_excerpts=200)
    spec = ClientSpec(
        client_id="large-client", name="Large Client", sector="Synthetic (scale test)",
        strategy="Synthetic strategy of a very large client, for scale measurements.",
        customer_promise="value", management_style="accountability",
        unique_capabilities=("scale operations",), area_weights={a: 1.0 for a in AREAS},
        kpis=kpis, waves=(wave,), outcome_betas={a: 0.2 for a in AREAS},
        email_domain="large-client.example")
    root = Path(out_dir) / spec.client_id
    root.mkdir(parents=True, exist_ok=True)
    for stale in ("interviews.csv", "interviews.xlsx"):
        (root / stale).unlink(missing_ok=True)

    depts = np.repeat([d.name for d in departments], [d.size for d in departments])
    levels = np.concatenate([np.repeat(LEVELS, [d.executive, d.manager, d.frontline]) for d in departments])
    order = rng_data.permutation(len(depts))
    respondents = pd.DataFrame({RESPONDENT: [f"R{i + 1:06d}" for i in range(len(depts))],
                                DEPARTMENT: depts[order], LEVEL: levels[order]})
    bank = read_question_bank()
    answers, latent = simulate_answers(respondents, wave.areas, spec.outcome_betas, bank, rng_data, 0.01)
    roster = make_roster(rng_data, 10)
    excerpts = simulate_excerpts(spec, wave, respondents, latent, roster, rng_data)
    generated = GeneratedWave(respondents, [q.question_id for q in bank], answers, latent, excerpts,
                              pd.DataFrame())
    if fmt == "csv":
        write_csv(wide_ratings(generated), root / "interviews.csv")
    else:
        _write_wide_xlsx(generated, root / "interviews.xlsx")
    write_csv(excerpts, root / "excerpts.csv")
    write_csv(pd.DataFrame({"name": roster}), root / "roster.csv")
    _large_operations(kpis, [d.name for d in departments], n_kpi_rows, rng_ops).to_csv(
        root / "operations.csv", index=False, lineterminator="\n", float_format="%.2f")
    config = client_config(spec, wave)
    (root / "client.yaml").write_text(HEADER.format(seed=seed) + yaml.safe_dump(config, sort_keys=False),
                                      encoding="utf-8")
    return root


def _large_operations(kpis: tuple[KpiSpec, ...], depts: list[str], n_rows: int,
                      rng: np.random.Generator) -> pd.DataFrame:
    """``n_rows`` daily KPI observations up to 2026-06-30, ordered KPI, department, day."""
    n_series = len(kpis) * len(depts)
    n_days = max(1, math.ceil(n_rows / n_series))
    days = pd.date_range(end="2026-06-30", periods=n_days, freq="D").strftime("%Y-%m-%d").to_numpy(dtype=object)
    centre = np.repeat([k.mean for k in kpis], len(depts)) + rng.normal(0, 4.0, n_series)
    values = centre[:, None] + 6.0 * rng.standard_normal((n_series, n_days))
    frame = pd.DataFrame({
        KPI: np.repeat(np.array([k.id for k in kpis], dtype=object), len(depts) * n_days),
        DEPARTMENT: np.tile(np.repeat(np.array(depts, dtype=object), n_days), len(kpis)),
        PERIOD: np.tile(days, n_series),
        VALUE: values.ravel(),
    })
    return frame.iloc[:n_rows]


def _write_wide_xlsx(generated: GeneratedWave, path: Path) -> None:
    """Write the wide interviews into an ``Interviews`` sheet, in write-only mode (fast, flat memory)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(INTERVIEWS_SHEET)
    ws.append([RESPONDENT, DEPARTMENT, LEVEL, *generated.question_ids])
    resp = generated.respondents
    ids, depts, levels = (resp[c].to_numpy(dtype=object) for c in (RESPONDENT, DEPARTMENT, LEVEL))
    as_objects = np.where(np.isnan(generated.answers), np.array(None, dtype=object), generated.answers.astype(object))
    for i in range(len(resp)):
        ws.append([ids[i], depts[i], levels[i], *(None if v is None else int(v) for v in as_objects[i])])
    wb.save(path)
