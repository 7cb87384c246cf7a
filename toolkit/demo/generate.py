"""The seeded generator behind every synthetic client: specs in, frames out.

A `ClientSpec` declares a client (strategy, KPIs, and one `WaveSpec` per
wave); `generate_wave` turns one wave into frames with an explicit
`numpy.random.Generator`. The model, per respondent ``i`` and area ``a``::

    latent[i, a] = mean_a + dept_shift[d, a] + level_shift[l, a] + N(0, person_sd[d, a])
    answer[i, j] = clip(round(latent[i, a(j)] + item_offset[j] + N(0, item_sd[d, a])), 1, 5)

``latent`` is the respondent's *aligned* score (5 = fully aligned); a
reverse-keyed item is written as the raw answer ``6 - answer``, so an aligned
respondent answers it low. The outcome items follow
``3.2 + sum_a beta_a * (latent[i, a] - 3) + noise``, which gives key-driver
analysis real signal. Nothing here touches the file system.
"""
from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from toolkit.demo import text
from toolkit.model import (
    AREA,
    AREAS,
    DEPARTMENT,
    KPI,
    LEVEL,
    LEVELS,
    PERIOD,
    RESPONDENT,
    SCALE_MAX,
    SCALE_MIN,
    TEXT,
    THEME,
    VALUE,
)
from toolkit.scaffold import BankItem, read_question_bank

_T = TypeVar("_T")

InterviewFormat = Literal["tidy", "wide", "xlsx"]

PROMISE_PHRASES: dict[str, str] = {
    "personalized": "a personal service",
    "speed": "fast and easy",
    "value": "the best value",
    "innovation": "always something new",
}
STYLE_PHRASES: dict[str, str] = {
    "collaborative": "collaborative",
    "autonomous": "autonomy",
    "accountability": "accountability",
}


@dataclass(frozen=True)
class AreaSpec:
    """How one area's latent alignment is distributed (1-5 scale, aligned direction)."""

    mean: float = 3.4
    person_sd: float = 0.45
    item_sd: float = 0.6
    dept_shift: Mapping[str, float] = field(default_factory=dict)
    dept_person_sd: Mapping[str, float] = field(default_factory=dict)
    dept_item_sd: Mapping[str, float] = field(default_factory=dict)
    level_shift: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class DeptSpec:
    """A department and how many respondents it has at each level."""

    name: str
    executive: int
    manager: int
    frontline: int

    @property
    def size(self) -> int:
        """Number of respondents."""
        return self.executive + self.manager + self.frontline


@dataclass(frozen=True)
class KpiSpec:
    """A KPI as declared in ``client.yaml`` plus how its values are generated."""

    id: str
    name: str
    area: str
    better: Literal["higher", "lower"]
    target: float
    unit: str
    mean: float
    dept_sd: float
    noise_sd: float
    departments: tuple[str, ...] = ()  # empty: every department of the wave
    trend: float = 0.0  # change per month
    dept_shift: Mapping[str, float] = field(default_factory=dict)
    dept_noise: Mapping[str, float] = field(default_factory=dict)  # noise multiplier
    decimals: int = 1
    bounds: tuple[float, float] = (0.0, float("inf"))

    def definition(self) -> dict[str, object]:
        """Return the ``client.yaml`` entry."""
        return {"id": self.id, "name": self.name, "area": self.area, "better": self.better,
                "target": self.target, "unit": self.unit}


@dataclass(frozen=True)
class WaveSpec:
    """One assessment wave of a client."""

    wave: str
    departments: tuple[DeptSpec, ...]
    areas: Mapping[str, AreaSpec]
    first_period: str  # "2025-07"
    n_periods: int = 12
    interviews: InterviewFormat = "tidy"
    missing_share: float = 0.01
    n_excerpts: int = 24
    n_name_mentions: int = 2
    n_emails: int = 1
    n_phones: int = 1
    markup: bool = False
    kpi_shift: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientSpec:
    """A synthetic client: identity, strategy, KPIs and its waves (oldest first)."""

    client_id: str
    name: str
    sector: str
    strategy: str
    customer_promise: str
    management_style: str
    unique_capabilities: tuple[str, ...]
    area_weights: Mapping[str, float]
    kpis: tuple[KpiSpec, ...]
    waves: tuple[WaveSpec, ...]
    outcome_betas: Mapping[str, float]
    email_domain: str
    roster_size: int = 10


@dataclass
class GeneratedWave:
    """The frames of one generated wave, ready to be written.

    Attributes
    ----------
    respondents
        ``respondent_id, department, level`` in file order.
    answers
        Raw answers (respondents x ``question_ids``), NaN where not answered.
    latent
        Latent aligned score per respondent and area (columns in `AREAS` order).
    """

    respondents: pd.DataFrame
    question_ids: list[str]
    answers: np.ndarray
    latent: np.ndarray
    excerpts: pd.DataFrame
    operations: pd.DataFrame


def client_rngs(seed: int, client_id: str, n: int) -> list[np.random.Generator]:
    """Return ``n`` independent generators for a client, stable across Python runs.

    The client id enters through CRC-32 (not ``hash``, which is salted per
    process), so a client's data does not depend on which other clients are
    generated alongside it.
    """
    seq = np.random.SeedSequence([seed, zlib.crc32(client_id.encode("utf-8"))])
    return [np.random.default_rng(child) for child in seq.spawn(n)]


def month_labels(first: str, n: int) -> list[str]:
    """Return ``n`` consecutive ``YYYY-MM`` labels from ``first``.

    Examples
    --------
    >>> month_labels("2025-11", 3)
    ['2025-11', '2025-12', '2026-01']
    """
    year, month = (int(p) for p in first.split("-"))
    start = year * 12 + month - 1
    return [f"{k // 12:04d}-{k % 12 + 1:02d}" for k in range(start, start + n)]


def make_roster(rng: np.random.Generator, size: int) -> list[str]:
    """Return ``size`` distinct fictional full names."""
    firsts = rng.permutation(len(text.FIRST_NAMES))[:size]
    lasts = rng.permutation(len(text.LAST_NAMES))[:size]
    return [f"{text.FIRST_NAMES[f]} {text.LAST_NAMES[l]}" for f, l in zip(firsts, lasts, strict=True)]


def make_respondents(wave: WaveSpec, rng: np.random.Generator) -> pd.DataFrame:
    """Lay out respondents by department and level, in a shuffled file order."""
    depts: list[str] = []
    levels: list[str] = []
    for d in wave.departments:
        for level, k in zip(LEVELS, (d.executive, d.manager, d.frontline), strict=True):
            depts += [d.name] * k
            levels += [level] * k
    order = rng.permutation(len(depts))
    width = max(3, len(str(len(depts))))
    return pd.DataFrame({
        RESPONDENT: [f"R{i + 1:0{width}d}" for i in range(len(depts))],
        DEPARTMENT: [depts[i] for i in order],
        LEVEL: [levels[i] for i in order],
    })


def simulate_answers(respondents: pd.DataFrame, areas: Mapping[str, AreaSpec],
                     betas: Mapping[str, float], bank: list[BankItem],
                     rng: np.random.Generator, missing_share: float = 0.0,
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Draw latent alignment and raw 1-5 answers for every respondent and bank item.

    Returns
    -------
    answers, latent
        ``answers`` is respondents x items (raw, reverse-keyed items written
        reversed; NaN = not answered); ``latent`` is respondents x `AREAS`.
    """
    n = len(respondents)
    dept = respondents[DEPARTMENT].to_numpy(dtype=object)
    level = respondents[LEVEL].to_numpy(dtype=object)
    latent = np.empty((n, len(AREAS)))
    item_sd = np.empty((n, len(AREAS)))
    for a, area in enumerate(AREAS):
        s = areas[area]
        centre = s.mean + _lookup(s.dept_shift, dept, 0.0) + _lookup(s.level_shift, level, 0.0)
        person_sd = _lookup(s.dept_person_sd, dept, s.person_sd)
        latent[:, a] = centre + person_sd * rng.standard_normal(n)
        item_sd[:, a] = _lookup(s.dept_item_sd, dept, s.item_sd)
    area_index = {area: a for a, area in enumerate(AREAS)}
    noise = rng.standard_normal((n, len(bank)))
    offsets = rng.normal(0.0, 0.2, len(bank))
    outcome_latent = 3.2 + sum(b * (latent[:, area_index[a]] - 3.0) for a, b in betas.items())
    outcome_latent = outcome_latent + 0.2 * rng.standard_normal(n)
    answers = np.empty((n, len(bank)))
    for j, item in enumerate(bank):
        if item.outcome:
            score = outcome_latent + offsets[j] + 0.3 * noise[:, j]
        else:
            a = area_index[item.area]
            score = latent[:, a] + offsets[j] + item_sd[:, a] * noise[:, j]
        score = np.clip(np.rint(score), SCALE_MIN, SCALE_MAX)
        answers[:, j] = (SCALE_MIN + SCALE_MAX) - score if item.reverse else score
    if missing_share > 0:
        answers[rng.random(answers.shape) < missing_share] = np.nan
    return answers, latent


def _lookup(table: Mapping[str, float], keys: np.ndarray, default: float) -> np.ndarray:
    """Map each key through ``table`` (``default`` when absent), as floats."""
    if not table:
        return np.full(len(keys), default)
    return np.array([table.get(k, default) for k in keys], dtype=float)


def simulate_operations(client: ClientSpec, wave: WaveSpec,
                        rng: np.random.Generator) -> pd.DataFrame:
    """Draw monthly KPI values per department: ``kpi_id, department, period, value``."""
    periods = month_labels(wave.first_period, wave.n_periods)
    t = np.arange(wave.n_periods)
    all_depts = tuple(d.name for d in wave.departments)
    frames = []
    for kpi in client.kpis:
        depts = [d for d in (kpi.departments or all_depts) if d in all_depts]
        shift = np.array([kpi.dept_shift.get(d, 0.0) for d in depts])
        noise_mult = np.array([kpi.dept_noise.get(d, 1.0) for d in depts])
        centre = kpi.mean + wave.kpi_shift.get(kpi.id, 0.0) + shift + rng.normal(0, kpi.dept_sd, len(depts))
        values: np.ndarray = (centre[:, None] + kpi.trend * t[None, :]
                  + kpi.noise_sd * noise_mult[:, None] * rng.standard_normal((len(depts), len(t))))
        values = np.round(np.clip(values, *kpi.bounds), kpi.decimals)
        frames.append(pd.DataFrame({
            KPI: kpi.id,
            DEPARTMENT: np.repeat(depts, len(t)),
            PERIOD: np.tile(periods, len(depts)),
            VALUE: values.ravel(),
        }))
    return pd.concat(frames, ignore_index=True)


def simulate_excerpts(client: ClientSpec, wave: WaveSpec, respondents: pd.DataFrame,
                      latent: np.ndarray, roster: list[str],
                      rng: np.random.Generator) -> pd.DataFrame:
    """Write coded interview notes whose tone follows each respondent's latent scores.

    Adds the planted redaction work (roster names, an e-mail, a phone number)
    and, when the wave asks for it, one excerpt carrying HTML markup.
    """
    n = len(respondents)
    rows: list[tuple[int, str, str, str]] = []
    used: set[str] = set()
    chosen = rng.choice(n, size=min(wave.n_excerpts, n), replace=False)
    for i in chosen:
        for _attempt in range(6):
            a = int(rng.integers(len(AREAS)))
            p_positive = 1.0 / (1.0 + np.exp(-3.0 * (latent[i, a] - 3.3)))
            tone = "positive" if rng.random() < p_positive else "negative"
            options = text.EXCERPT_TEMPLATES[AREAS[a]][tone]
            theme, template = options[int(rng.integers(len(options)))]
            body = _fill(template, client, respondents, i, rng)
            if body not in used:
                break
        used.add(body)
        rows.append((int(i), AREAS[a], theme, body))
    specials: list[tuple[str, str, str]] = []
    specials += _pick(text.NAME_TEMPLATES, wave.n_name_mentions, rng)
    specials += _pick(text.EMAIL_TEMPLATES, wave.n_emails, rng)
    specials += _pick(text.PHONE_TEMPLATES, wave.n_phones, rng)
    if wave.markup:
        specials.append(text.MARKUP_TEMPLATE)
    # Planted excerpts come from frontline respondents (the largest level group), so a deck can
    # show them once redacted and escaped.
    frontline = np.flatnonzero(respondents[LEVEL].to_numpy(dtype=object) == "frontline")
    pool = frontline if len(frontline) else np.arange(n)
    for area, theme, template in specials:
        i = int(pool[int(rng.integers(len(pool)))])
        extra = {"name": roster[int(rng.integers(len(roster)))],
                 "email": _email(roster[int(rng.integers(len(roster)))], client.email_domain),
                 "phone": _phone(rng)}
        rows.append((i, area, theme, _fill(template, client, respondents, i, rng, extra)))
    rows.sort(key=lambda r: r[0])  # stable: file order follows respondent order
    ids = respondents[RESPONDENT].to_numpy(dtype=object)
    return pd.DataFrame({
        RESPONDENT: [ids[r[0]] for r in rows],
        AREA: [r[1] for r in rows],
        THEME: [r[2] for r in rows],
        TEXT: [r[3] for r in rows],
    })


def _pick(options: tuple[_T, ...], k: int, rng: np.random.Generator) -> list[_T]:
    """Pick ``k`` options without replacement (with replacement beyond their number)."""
    idx = [int(x) for x in rng.permutation(len(options))]
    return [options[idx[m % len(idx)]] for m in range(k)]


def _fill(template: str, client: ClientSpec, respondents: pd.DataFrame, i: int,
          rng: np.random.Generator, extra: Mapping[str, str] | None = None) -> str:
    caps = client.unique_capabilities or ("our service",)
    values = {
        "dept": respondents[DEPARTMENT].iat[i],
        "promise": PROMISE_PHRASES[client.customer_promise],
        "style": STYLE_PHRASES[client.management_style],
        "capability": caps[int(rng.integers(len(caps)))],
        "company": client.name,
        **(extra or {}),
    }
    return template.format(**values)


def _email(name: str, domain: str) -> str:
    first, last = name.lower().split(" ", 1)
    return f"{first}.{last.replace(' ', '')}@{domain}"


def _phone(rng: np.random.Generator) -> str:
    """A number from the ranges reserved for fiction (Ofcom 020 7946 0xxx, 07700 900xxx; US 555-01xx)."""
    k = int(rng.integers(3))
    if k == 0:
        return f"+44 20 7946 0{int(rng.integers(100, 1000))}"
    if k == 1:
        return f"07700 900{int(rng.integers(100, 1000))}"
    return f"(202) 555-01{int(rng.integers(10, 100))}"


def generate_wave(client: ClientSpec, wave: WaveSpec, rng: np.random.Generator,
                  roster: list[str]) -> GeneratedWave:
    """Generate every frame of one wave of ``client``.

    Parameters
    ----------
    client, wave
        What to generate.
    rng
        The only source of randomness; the same state gives the same frames.
    roster
        Names that excerpts may mention (the client's ``roster.csv``).
    """
    bank = read_question_bank()
    respondents = make_respondents(wave, rng)
    answers, latent = simulate_answers(respondents, wave.areas, client.outcome_betas, bank,
                                       rng, wave.missing_share)
    excerpts = simulate_excerpts(client, wave, respondents, latent, roster, rng)
    operations = simulate_operations(client, wave, rng)
    return GeneratedWave(respondents, [q.question_id for q in bank], answers, latent,
                         excerpts, operations)
