"""Clients with one planted story each, for the story-recall test (DESIGN 2.3).

`planted_client(kind, seed)` builds a `ClientSpec` whose data carry one story
of the given finding kind (principal gap, drift, blind spot, outlier unit,
KPI contradiction, low agreement, strength to protect) on an otherwise
aligned organisation; `PlantedStory` says what a partner should read in the
executive summary: the kind, the area, the unit, the direction.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from toolkit.demo.generate import AreaSpec, ClientSpec, DeptSpec, KpiSpec, WaveSpec
from toolkit.model import AREAS

PLANTED_KINDS = ("principal_gap", "drift", "blind_spot", "outlier_unit", "kpi_contradiction",
                 "low_agreement", "strength")
UNITS = ("Operations", "Sales", "Field Service", "Support", "Logistics")
KPI_NAMES = {"customer_experience": ("customer_rating", "Customer rating", "score", 80.0),
             "management_style": ("decision_time", "Decision lead time", "days", 5.0),
             "unique_capabilities": ("premium_share", "Premium product share", "%", 30.0),
             "proven_processes": ("first_time_right", "First-time-right rate", "%", 90.0)}


@dataclass(frozen=True)
class PlantedStory:
    """What was planted: the finding kind, its area, the unit (outlier) and direction (drift)."""

    kind: str
    area: str
    unit: str | None = None
    direction: str | None = None


def _kpi(area: str, *, miss: bool) -> KpiSpec:
    kpi_id, name, unit, target = KPI_NAMES[area]
    lower = area == "management_style"
    gap = 0.25 * target * (1 if miss else -1)  # a miss: a quarter of the target on the wrong side
    mean = target + gap if lower else target - gap
    return KpiSpec(kpi_id, name, area, "lower" if lower else "higher", target, unit, mean=mean,
                   dept_sd=0.01 * target, noise_sd=0.02 * target)


def planted_client(kind: str, seed: int) -> tuple[ClientSpec, PlantedStory]:
    """A client with one planted story of ``kind``; ``seed`` draws the area, unit and direction.

    Examples
    --------
    >>> spec, story = planted_client("outlier_unit", 3)
    >>> story.kind, story.unit in [d.name for d in spec.waves[-1].departments]
    ('outlier_unit', True)
    """
    if kind not in PLANTED_KINDS:
        raise ValueError(f"unknown story kind {kind!r}; known: {', '.join(PLANTED_KINDS)}")
    rng = np.random.default_rng(seed)
    area = str(rng.choice(AREAS))
    unit = str(rng.choice(UNITS[:4]))
    depts = tuple(DeptSpec(name, 2, 3, 7) for name in UNITS[:4])
    base = AreaSpec(mean=4.05, person_sd=0.3, item_sd=0.45)
    areas = {a: base for a in AREAS}
    weights = {a: 0.2 for a in AREAS}
    weights[area] = 0.4
    kpis = {a: _kpi(a, miss=False) for a in AREAS}
    direction = None
    waves: tuple[WaveSpec, ...]
    if kind == "principal_gap":
        areas[area] = replace(base, mean=3.1)
        kpis[area] = _kpi(area, miss=True)
    elif kind == "blind_spot":
        # About 22 points between executives (4.3 of 5) and the frontline (3.4). A larger shift puts the
        # eight executives' mean so near the top of the scale that one department's two executives are
        # pinned within less than half the scale, and the linked-table audit (DESIGN 2.2) rightly hides
        # the level rows: a story the deck may not tell.
        areas[area] = replace(base, mean=3.7, level_shift={"executive": 0.6, "manager": 0.0, "frontline": -0.3})
    elif kind == "outlier_unit":
        areas[area] = replace(base, dept_shift={unit: -1.2})
    elif kind == "kpi_contradiction":
        kpis[area] = _kpi(area, miss=True)
    elif kind == "low_agreement":
        areas[area] = replace(base, mean=3.6, person_sd=0.9, item_sd=1.2)
    elif kind == "strength":
        areas[area] = replace(base, mean=4.5, person_sd=0.2, item_sd=0.35)
    first = WaveSpec("2026-h1", depts, dict(areas), first_period="2025-07", n_excerpts=12)
    if kind == "drift":
        direction = str(rng.choice(["up", "down"]))
        low, high = dict(areas), dict(areas)
        low[area] = replace(base, mean=3.0, item_sd=0.8)
        before, after = (low, high) if direction == "up" else (high, low)
        waves = (WaveSpec("2025-h1", depts, before, first_period="2024-07", n_excerpts=12),
                 replace(first, areas=after))
    else:
        waves = (first,)
    client_id = f"planted-{kind.replace('_', '-')}-{seed}"
    spec = ClientSpec(
        client_id=client_id, name=f"Planted {kind.replace('_', ' ')} {seed}", sector="Synthetic",
        strategy="Serve every customer the same way, everywhere, on proven processes.",
        customer_promise="speed", management_style="autonomous",
        unique_capabilities=("same-day repair network",), area_weights=weights,
        kpis=tuple(kpis.values()), waves=waves,
        outcome_betas={a: 0.3 for a in AREAS}, email_domain="planted.example")
    return spec, PlantedStory(kind, area, unit if kind == "outlier_unit" else None, direction)
