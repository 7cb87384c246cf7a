"""`assess`: every metric of DESIGN 2.1 (method v2) for one client and wave, as an `Assessment`."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.metrics.alignment import band, principal_gap, weighted_present
from toolkit.metrics.assessment import Assessment
from toolkit.metrics.benchmark import benchmark_percentiles
from toolkit.metrics.bootstrap import bootstrap_areas, bootstrap_evidence, interval, paired_counts, paired_evidence
from toolkit.metrics.consistency import consistency, group_consistency, item_rwg, within_group_consistency
from toolkit.metrics.drift import OVERALL, drift_table
from toolkit.metrics.drivers import MAX_CONDITION, MIN_DRIVER_N, REFUSED_COLLINEAR, key_drivers
from toolkit.metrics.evidence import evidence_by_area, kpi_observations, score_kpis
from toolkit.metrics.gaps import level_gaps
from toolkit.metrics.items import RatingMatrix, build_matrix, item_table, respondent_means
from toolkit.metrics.perception import between_group_sd, favourable, group_perception, perception, to_points
from toolkit.metrics.reliability import alpha_warning, cronbach_alpha
from toolkit.metrics.units import between_units
from toolkit.model import AREA, AREA_LABELS, AREAS, DEPARTMENT, KPI, LEVEL, OUTCOME_AREA, RESPONDENT, ClientData

log = logging.getLogger("toolkit")

DEFAULT_SEED = 20261126
DEFAULT_BOOT = 1000
MIN_AREA_ITEMS = 3
MIN_C_INTERVAL_N = 20  # DESIGN 2.1: no interval for a C of fewer than 20 respondents
TOO_FEW_TO_JUDGE = "too few to judge agreement"
AREA_COLUMNS = ["label", "weight", "n", "n_items", "perception", "perception_lo", "perception_hi",
                "favourable", "consistency", "consistency_lo", "consistency_hi",
                "within_dept_consistency", "between_dept_sd", "evidence", "evidence_lo", "evidence_hi",
                "alignment", "alignment_lo", "alignment_hi", "band", "alpha", "alpha_n", "alpha_lo", "alpha_hi",
                "alpha_warning"]
DEPARTMENT_COLUMNS = [DEPARTMENT, AREA, "n", "perception", "favourable", "consistency", "consistency_note"]
LEVEL_COLUMNS = [LEVEL, AREA, "n", "perception", "favourable"]
COVERAGE_COLUMNS = [DEPARTMENT, LEVEL, "n"]
# Independent random streams derived from the seed (the respondent stream is the seed itself).
_KPI_STREAM, _UNIT_STREAM, _DRIVER_STREAM, _PAIR_STREAM = 1, 2, 3, 4

Draws = dict[tuple[str, str], tuple[float, np.ndarray]]
CountsFor = Callable[[np.ndarray], np.ndarray]


@dataclass
class ScoredWave:
    """One wave scored: the assessment (without drift and benchmark) and its bootstrap draws.

    ``draws`` holds what drift compares (P, C, A per area and the OAI);
    ``evidence_draws`` the draws of ``E_a`` (KPI noise), for re-weighting.
    """

    assessment: Assessment
    draws: Draws
    evidence_draws: dict[str, np.ndarray] = field(default_factory=dict)


def _stream(seed: int | np.random.SeedSequence, key: int) -> np.random.Generator:
    """A generator on an independent stream ``key`` of ``seed`` (deterministic, no spawn state)."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.default_rng(np.random.SeedSequence(ss.entropy, spawn_key=tuple(ss.spawn_key) + (key,)))


def _breakdown(matrix: RatingMatrix, column: str, area_values: dict[str, np.ndarray],
               min_consistency: int | None) -> pd.DataFrame:
    """Group x area table of n, perception, favourable (and consistency) for groups that rated the area.

    With ``min_consistency`` set, consistency is computed and shown only for
    groups of at least that many respondents; the others get NaN and the note
    "too few to judge agreement" (random answering reads C ~ 32 at n = 3).
    """
    codes, names = matrix.codes(column)
    frames = []
    for area in AREAS:
        values = area_values[area]
        cols = matrix.area_columns(area)
        n, p, f = group_perception(values, codes, len(names), matrix.favourable_min(cols))
        frame = pd.DataFrame({column: names, AREA: area, "n": n, "perception": p, "favourable": f})
        if min_consistency is not None:
            c = group_consistency(values, codes, len(names), matrix.sigma2(cols))
            few = n < min_consistency
            frame["consistency"] = np.where(few, np.nan, c)
            frame["consistency_note"] = np.where(few, TOO_FEW_TO_JUDGE, "").astype(object)
        frames.append(frame[frame["n"] > 0])
    columns = DEPARTMENT_COLUMNS if min_consistency is not None else LEVEL_COLUMNS
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return out[columns].reset_index(drop=True)


def _coverage(matrix: RatingMatrix) -> pd.DataFrame:
    counts = matrix.respondents.groupby([DEPARTMENT, LEVEL], sort=True).size().rename("n").reset_index()
    counts["n"] = counts["n"].astype(np.int64)
    return counts[COVERAGE_COLUMNS]


def previous_wave_seed(seed: int) -> np.random.SeedSequence:
    """Seed of the previous wave's bootstrap: a stream independent of the current wave's.

    The current wave is bootstrapped with ``seed`` itself (so `assess` and
    `score_wave` agree); the previous wave with a child spawned from
    ``SeedSequence(seed)``, so the two waves' resamples are independent (not
    paired index for index) yet reproducible for a given seed.
    """
    return np.random.SeedSequence(seed).spawn(1)[0]


def _drivers(matrix: RatingMatrix, area_values: dict[str, np.ndarray], rng: np.random.Generator,
             n_boot: int, warnings: list[str]) -> pd.DataFrame | None:
    outcome_cols = matrix.area_columns(OUTCOME_AREA)
    if not outcome_cols.size:
        return None
    outcome, _ = respondent_means(matrix.values[:, outcome_cols])
    means = pd.DataFrame({a: respondent_means(area_values[a])[0] for a in AREAS if area_values[a].shape[1]})
    drivers = key_drivers(means, pd.Series(outcome), rng=rng, n_boot=n_boot)
    if drivers is None:
        return None
    refused = drivers.attrs.get("refused", "")
    if refused == REFUSED_COLLINEAR:
        warnings.append(f"Key drivers are not shown: the area scores are too collinear to separate "
                        f"(condition number above {MAX_CONDITION:.0e}).")
        return None
    if refused:
        warnings.append(f"Key drivers are not shown: they need at least {MIN_DRIVER_N} respondents who "
                        "answered every area and the outcome items.")
        return None
    return drivers


def score_wave(client: ClientData, *, seed: int | np.random.SeedSequence = DEFAULT_SEED,
               n_boot: int = DEFAULT_BOOT, counts_for: CountsFor | None = None,
               evidence_draws: dict[str, np.ndarray] | None = None) -> ScoredWave:
    """Score one wave: point estimates, intervals and the draws drift needs.

    ``counts_for`` maps the wave's respondent ids to a ``(n_boot, n)`` matrix of
    draw counts, and ``evidence_draws`` gives the draws of ``E_a`` (paired
    resampling across waves, see `assess`); default: both drawn from ``seed``.
    """
    cfg = client.config
    matrix, warnings = build_matrix(client.ratings, client.questions, client.scale)
    area_values = {a: matrix.values[:, matrix.area_columns(a)] for a in AREAS}
    cw = {"perception": cfg.component_weights.perception, "consistency": cfg.component_weights.consistency,
          "evidence": cfg.component_weights.evidence}

    kpis, kpi_departments = score_kpis(client.operations, cfg.kpis, cfg.assessment_window)
    evidence = evidence_by_area(kpis)
    not_scored = [a for a in AREAS if area_values[a].shape[1] == 0 and np.isnan(evidence[a])]
    weights_raw = {a: (0.0 if a in not_scored else w) for a, w in cfg.area_weights.as_dict().items()}
    total_w = sum(weights_raw.values())
    weights = {a: (w / total_w if total_w > 0 else 0.0) for a, w in weights_raw.items()}
    departments = _breakdown(matrix, DEPARTMENT, area_values, cfg.min_consistency_group)
    levels = _breakdown(matrix, LEVEL, area_values, None)
    sigma2 = {a: matrix.sigma2(matrix.area_columns(a)) for a in AREAS}
    counts = None if counts_for is None else counts_for(matrix.respondents[RESPONDENT].to_numpy(dtype=object))
    boot = bootstrap_areas(area_values, n_boot, np.random.default_rng(seed), sigma2, counts)
    e_boot = bootstrap_evidence(kpis, n_boot, _stream(seed, _KPI_STREAM)) if evidence_draws is None \
        else evidence_draws

    rows, draws, respondent_points = [], {}, {}
    for area in AREAS:
        values = area_values[area]
        cols = matrix.area_columns(area)
        label = AREA_LABELS[area]
        x, rated = respondent_means(values)
        n = int(rated.sum())
        respondent_points[area] = np.asarray(to_points(x))
        p, c, e = perception(values), consistency(values, sigma2[area]), float(evidence[area])
        a = weighted_present({"perception": p, "consistency": c, "evidence": e}, cw)
        p_draws, c_draws = boot[area]
        e_draws = e_boot.get(area, np.full(len(p_draws), np.nan))
        a_draws = np.asarray(weighted_present({"perception": p_draws, "consistency": c_draws,
                                               "evidence": e_draws}, cw), dtype=float)
        draws[(area, "perception")] = (p, p_draws)
        draws[(area, "consistency")] = (c, c_draws)
        draws[(area, "alignment")] = (a, a_draws)
        dept = departments[departments[AREA] == area]
        rel = cronbach_alpha(values)
        alpha_msg = alpha_warning(label, rel.alpha)
        n_items = int(values.shape[1])
        if area in not_scored:
            warnings.append(f"{label}: not scored: no item of this area was answered and it has no KPI; "
                            "it is left out of the Overall Alignment Index.")
        elif n_items == 0:
            warnings.append(f"{label}: no item was answered; perception and consistency are absent.")
        elif n_items < MIN_AREA_ITEMS:
            warnings.append(f"{label}: only {n_items} item{'s' if n_items != 1 else ''} answered "
                            f"(at least {MIN_AREA_ITEMS} are needed for a robust score).")
        if alpha_msg:
            warnings.append(alpha_msg)
        if np.isnan(e) and area not in not_scored:
            warnings.append(f"{label}: no KPI evidence; alignment rests on perception and consistency only.")
        c_lo, c_hi = interval(c_draws) if n >= MIN_C_INTERVAL_N else (float("nan"), float("nan"))
        rows.append({
            AREA: area, "label": label, "weight": weights[area], "n": n, "n_items": n_items,
            "perception": p, "perception_lo": interval(p_draws)[0], "perception_hi": interval(p_draws)[1],
            "favourable": favourable(values, matrix.favourable_min(cols)),
            "consistency": c, "consistency_lo": c_lo, "consistency_hi": c_hi,
            "within_dept_consistency": within_group_consistency(dept["consistency"].to_numpy(dtype=float)),
            "between_dept_sd": between_group_sd(dept["perception"].to_numpy(dtype=float)),
            "evidence": e, "evidence_lo": interval(e_draws)[0], "evidence_hi": interval(e_draws)[1],
            "alignment": a, "alignment_lo": interval(a_draws)[0], "alignment_hi": interval(a_draws)[1],
            "band": band(a), "alpha": rel.alpha, "alpha_n": rel.n, "alpha_lo": rel.lo, "alpha_hi": rel.hi,
            "alpha_warning": alpha_msg,
        })
    areas = pd.DataFrame(rows).set_index(AREA)[AREA_COLUMNS]

    alignment = {str(a): float(v) for a, v in areas["alignment"].items()}
    oai_value = weighted_present(alignment, weights)
    oai_draws = np.asarray(weighted_present({a: draws[(a, "alignment")][1] for a in AREAS}, weights), dtype=float)
    draws[(OVERALL, "oai")] = (oai_value, oai_draws)
    lo, hi = interval(oai_draws)
    oai: dict[str, float | str | int] = {"value": oai_value, "lo": lo, "hi": hi, "band": band(oai_value), "n": matrix.n}

    drivers = _drivers(matrix, area_values, _stream(seed, _DRIVER_STREAM), n_boot, warnings)

    known = {k.id for k in cfg.kpis}
    unknown_kpis = sorted({str(k) for k in client.operations[KPI].unique()} - known)
    if unknown_kpis:
        warnings.append(f"Operations rows of KPIs not defined in client.yaml were ignored: {', '.join(unknown_kpis)}.")
    for kpi_id in kpis.loc[kpis["n_obs"] == 0, KPI]:
        warnings.append(f"KPI {kpi_id} has no observation in the assessment window.")

    rwg = item_rwg(matrix.values, matrix.sigma2())
    dept_of = matrix.respondents[DEPARTMENT].to_numpy(dtype=object)
    assessment = Assessment(
        client_id=client.client_id, client_name=cfg.name, wave=client.wave,
        areas=areas, oai=oai, principal_gap=principal_gap(alignment, weights),
        items=item_table(matrix, rwg), departments=departments, levels=levels,
        perception_gaps=level_gaps(respondent_points, matrix.respondents[LEVEL].to_numpy(dtype=object),
                                   cfg.privacy.min_group_size),
        kpis=kpis, kpi_departments=kpi_departments, coverage=_coverage(matrix),
        drivers=drivers, warnings=warnings, scale=client.scale.as_dict(),
        between_units=between_units(respondent_points, dept_of, cfg.privacy.min_group_size,
                                    _stream(seed, _UNIT_STREAM)),
        not_scored=not_scored)
    return ScoredWave(assessment=assessment, draws=draws, evidence_draws=dict(e_boot))


def _paired(previous: ClientData, client: ClientData, seed: int,
            n_boot: int) -> tuple[CountsFor | None, CountsFor | None]:
    """Count matrices for both waves when respondent ids recur (None, None when no id recurs)."""
    prev_ids = np.asarray(pd.unique(previous.ratings[RESPONDENT].astype(str)))
    cur_ids = np.asarray(pd.unique(client.ratings[RESPONDENT].astype(str)))
    if not set(prev_ids) & set(cur_ids):
        return None, None
    prev_counts, cur_counts = paired_counts(prev_ids, cur_ids, n_boot, _stream(seed, _PAIR_STREAM))
    return (lambda ids: prev_counts[list(ids)].to_numpy()), (lambda ids: cur_counts[list(ids)].to_numpy())


def _published_oai(wave: ScoredWave, k: int) -> Draws:
    """The wave's draws with the OAI re-weighted over the areas rated by at least ``k`` (DESIGN 2.2).

    An area rated by fewer than ``k`` people is hidden in that wave's deck,
    whose OAI then re-weights the shown areas (`toolkit.privacy.protect`);
    drift compares the OAIs the decks show, so an OAI never carries a hidden
    area's score (solvable from it with the weights).
    """
    areas = wave.assessment.areas
    small = {a for a, n in areas["n"].items() if 0 < float(n) < k}
    if not small:
        return wave.draws
    weights = {str(a): float(w) for a, w in areas["weight"].items()}
    shown = [a for a in AREAS if a not in small]
    out = dict(wave.draws)
    out[(OVERALL, "oai")] = (weighted_present({a: float(areas["alignment"].loc[a]) for a in shown}, weights),
                             np.asarray(weighted_present({a: wave.draws[(a, "alignment")][1] for a in shown},
                                                         weights), dtype=float))
    return out


def assess(client: ClientData, *, previous: ClientData | None = None, others: pd.DataFrame | None = None,
           seed: int = DEFAULT_SEED, n_boot: int = DEFAULT_BOOT) -> Assessment:
    """Compute every metric of DESIGN 2.1 for one client and wave.

    Parameters
    ----------
    client
        The wave to assess.
    previous
        The client's earlier wave; fills ``drift`` (A, P and C per area and
        the OAI, each difference with a 95 % interval Holm-adjusted over all
        of them). The two waves' bootstraps are independent streams derived
        from ``seed`` (`previous_wave_seed`); when respondent ids recur across
        the waves, those respondents are resampled as pairs instead, and so
        are KPI observations of the same (KPI, department, period).
    others
        Other clients' latest alignment, ``client_id, area, alignment``;
        fills ``benchmark`` when at least 5 other clients exist.
    seed
        Seed of the bootstrap's generator (results are reproducible).
    n_boot
        Bootstrap resamples B.

    Returns
    -------
    Assessment
        Unprotected: pass it through `toolkit.privacy.protect` before showing it.
    """
    prev_counts = cur_counts = None
    prev_e = cur_e = None
    if previous is not None:
        prev_counts, cur_counts = _paired(previous, client, seed, n_boot)
        prev_e, cur_e = paired_evidence(
            kpi_observations(previous.operations, previous.config.kpis, previous.config.assessment_window),
            kpi_observations(client.operations, client.config.kpis, client.config.assessment_window),
            n_boot, _stream(seed, _KPI_STREAM))
    wave = score_wave(client, seed=seed, n_boot=n_boot, counts_for=cur_counts, evidence_draws=cur_e)
    result = wave.assessment
    if previous is not None:
        before = score_wave(previous, seed=previous_wave_seed(seed), n_boot=n_boot, counts_for=prev_counts,
                            evidence_draws=prev_e)
        # Each wave's OAI as its own deck publishes it: re-weighted over the areas its privacy rule shows.
        drift = drift_table(_published_oai(before, previous.config.privacy.min_group_size),
                            _published_oai(wave, client.config.privacy.min_group_size))
        prev_n = before.assessment.areas["n"].to_dict() | {OVERALL: int(before.assessment.oai["n"])}
        drift.attrs["previous_wave"] = previous.wave
        drift.attrs["previous_n"] = {k: int(v) for k, v in prev_n.items()}
        drift.attrs["paired"] = prev_counts is not None
        result.drift = drift
    result.benchmark = benchmark_percentiles(result.areas, others, client_id=client.client_id)
    log.debug("assessed %s wave %s: OAI %.1f", client.client_id, client.wave, result.oai["value"])
    return result
