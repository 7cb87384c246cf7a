"""`assess`: every metric of DESIGN 2.1 for one client and wave, as an `Assessment`."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.metrics.alignment import band, principal_gap, weighted_present
from toolkit.metrics.assessment import Assessment
from toolkit.metrics.benchmark import benchmark_percentiles
from toolkit.metrics.bootstrap import bootstrap_areas, interval
from toolkit.metrics.consistency import consistency, group_consistency, item_rwg, within_group_consistency
from toolkit.metrics.drift import OVERALL, drift_table
from toolkit.metrics.drivers import MIN_DRIVER_N, key_drivers
from toolkit.metrics.evidence import evidence_by_area, score_kpis
from toolkit.metrics.gaps import level_gaps
from toolkit.metrics.items import RatingMatrix, build_matrix, item_table, respondent_means
from toolkit.metrics.perception import between_group_sd, favourable, group_perception, perception, to_points
from toolkit.metrics.reliability import alpha_warning, cronbach_alpha
from toolkit.model import AREA, AREA_LABELS, AREAS, DEPARTMENT, KPI, LEVEL, OUTCOME_AREA, ClientData

log = logging.getLogger("toolkit")

DEFAULT_SEED = 20261126
DEFAULT_BOOT = 1000
MIN_AREA_ITEMS = 3
AREA_COLUMNS = ["label", "weight", "n", "n_items", "perception", "perception_lo", "perception_hi",
                "favourable", "consistency", "consistency_lo", "consistency_hi",
                "within_dept_consistency", "between_dept_sd", "evidence", "alignment",
                "alignment_lo", "alignment_hi", "band", "alpha", "alpha_warning"]
DEPARTMENT_COLUMNS = [DEPARTMENT, AREA, "n", "perception", "favourable", "consistency"]
LEVEL_COLUMNS = [LEVEL, AREA, "n", "perception", "favourable"]
COVERAGE_COLUMNS = [DEPARTMENT, LEVEL, "n"]

Draws = dict[tuple[str, str], tuple[float, np.ndarray]]


@dataclass
class ScoredWave:
    """One wave scored: the assessment (without drift and benchmark) and its bootstrap draws."""

    assessment: Assessment
    draws: Draws


def _breakdown(matrix: RatingMatrix, column: str, area_values: dict[str, np.ndarray],
               with_consistency: bool) -> pd.DataFrame:
    """Group x area table of n, perception, favourable (and consistency) for groups that rated the area."""
    codes, names = matrix.codes(column)
    frames = []
    for area in AREAS:
        values = area_values[area]
        cols = matrix.area_columns(area)
        n, p, f = group_perception(values, codes, len(names), matrix.favourable_min(cols))
        frame = pd.DataFrame({column: names, AREA: area, "n": n, "perception": p, "favourable": f})
        if with_consistency:
            frame["consistency"] = group_consistency(values, codes, len(names), matrix.sigma2(cols))
        frames.append(frame[frame["n"] > 0])
    cols = DEPARTMENT_COLUMNS if with_consistency else LEVEL_COLUMNS
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    return out[cols].reset_index(drop=True)


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


def score_wave(client: ClientData, *, seed: int | np.random.SeedSequence = DEFAULT_SEED,
               n_boot: int = DEFAULT_BOOT) -> ScoredWave:
    """Score one wave: point estimates, intervals and the draws drift needs."""
    cfg = client.config
    matrix, warnings = build_matrix(client.ratings, client.questions, client.scale)
    area_values = {a: matrix.values[:, matrix.area_columns(a)] for a in AREAS}
    weights_raw = cfg.area_weights.as_dict()
    total_w = sum(weights_raw.values())
    weights = {a: w / total_w for a, w in weights_raw.items()}
    cw = {"perception": cfg.component_weights.perception, "consistency": cfg.component_weights.consistency,
          "evidence": cfg.component_weights.evidence}

    kpis, kpi_departments = score_kpis(client.operations, cfg.kpis, cfg.assessment_window)
    evidence = evidence_by_area(kpis)
    departments = _breakdown(matrix, DEPARTMENT, area_values, with_consistency=True)
    levels = _breakdown(matrix, LEVEL, area_values, with_consistency=False)
    rng = np.random.default_rng(seed)
    sigma2 = {a: matrix.sigma2(matrix.area_columns(a)) for a in AREAS}
    boot = bootstrap_areas(area_values, n_boot, rng, sigma2)

    rows, draws, respondent_points = [], {}, {}
    for area in AREAS:
        values = area_values[area]
        label = AREA_LABELS[area]
        x, rated = respondent_means(values)
        respondent_points[area] = np.asarray(to_points(x))
        cols = matrix.area_columns(area)
        p, c, e = perception(values), consistency(values, sigma2[area]), float(evidence[area])
        a = weighted_present({"perception": p, "consistency": c, "evidence": e}, cw)
        p_draws, c_draws = boot[area]
        a_draws = np.asarray(weighted_present({"perception": p_draws, "consistency": c_draws,
                                               "evidence": np.full(len(p_draws), e)}, cw), dtype=float)
        draws[(area, "perception")] = (p, p_draws)
        draws[(area, "consistency")] = (c, c_draws)
        draws[(area, "alignment")] = (a, a_draws)
        dept = departments[departments[AREA] == area]
        alpha, _ = cronbach_alpha(values)
        alpha_msg = alpha_warning(label, alpha)
        n_items = int(values.shape[1])
        if n_items == 0:
            warnings.append(f"{label}: no item was answered; perception and consistency are absent.")
        elif n_items < MIN_AREA_ITEMS:
            warnings.append(f"{label}: only {n_items} item{'s' if n_items != 1 else ''} answered "
                            f"(at least {MIN_AREA_ITEMS} are needed for a robust score).")
        if alpha_msg:
            warnings.append(alpha_msg)
        if np.isnan(e):
            warnings.append(f"{label}: no KPI evidence; alignment rests on perception and consistency only.")
        rows.append({
            AREA: area, "label": label, "weight": weights[area], "n": int(rated.sum()), "n_items": n_items,
            "perception": p, "perception_lo": interval(p_draws)[0], "perception_hi": interval(p_draws)[1],
            "favourable": favourable(values, matrix.favourable_min(cols)),
            "consistency": c, "consistency_lo": interval(c_draws)[0], "consistency_hi": interval(c_draws)[1],
            "within_dept_consistency": within_group_consistency(dept["consistency"].to_numpy(dtype=float)),
            "between_dept_sd": between_group_sd(dept["perception"].to_numpy(dtype=float)),
            "evidence": e, "alignment": a,
            "alignment_lo": interval(a_draws)[0], "alignment_hi": interval(a_draws)[1],
            "band": band(a), "alpha": alpha, "alpha_warning": alpha_msg,
        })
    areas = pd.DataFrame(rows).set_index(AREA)[AREA_COLUMNS]

    alignment = areas["alignment"].to_dict()
    oai_value = weighted_present(alignment, weights)
    oai_draws = np.asarray(weighted_present({a: draws[(a, "alignment")][1] for a in AREAS}, weights), dtype=float)
    draws[(OVERALL, "oai")] = (oai_value, oai_draws)
    lo, hi = interval(oai_draws)
    oai = {"value": oai_value, "lo": lo, "hi": hi, "band": band(oai_value), "n": matrix.n}

    drivers = None
    outcome_cols = matrix.area_columns(OUTCOME_AREA)
    if outcome_cols.size:
        outcome, _ = respondent_means(matrix.values[:, outcome_cols])
        means = pd.DataFrame({a: respondent_means(area_values[a])[0] for a in AREAS if area_values[a].shape[1]})
        drivers = key_drivers(means, pd.Series(outcome))
        if drivers is None:
            warnings.append(f"Key drivers are not shown: they need at least {MIN_DRIVER_N} respondents who "
                            "answered every area and the outcome items.")

    known = {k.id for k in cfg.kpis}
    unknown_kpis = sorted({str(k) for k in client.operations[KPI].unique()} - known)
    if unknown_kpis:
        warnings.append(f"Operations rows of KPIs not defined in client.yaml were ignored: {', '.join(unknown_kpis)}.")
    for kpi_id in kpis.loc[kpis["n_obs"] == 0, KPI]:
        warnings.append(f"KPI {kpi_id} has no observation in the assessment window.")

    rwg = item_rwg(matrix.values, matrix.sigma2())
    assessment = Assessment(
        client_id=client.client_id, client_name=cfg.name, wave=client.wave,
        areas=areas, oai=oai, principal_gap=principal_gap(alignment, weights),
        items=item_table(matrix, rwg), departments=departments, levels=levels,
        perception_gaps=level_gaps(respondent_points, matrix.respondents[LEVEL].to_numpy(dtype=object),
                                   cfg.privacy.min_group_size),
        kpis=kpis, kpi_departments=kpi_departments, coverage=_coverage(matrix),
        drivers=drivers, warnings=warnings, scale=client.scale.as_dict())
    return ScoredWave(assessment=assessment, draws=draws)


def assess(client: ClientData, *, previous: ClientData | None = None, others: pd.DataFrame | None = None,
           seed: int = DEFAULT_SEED, n_boot: int = DEFAULT_BOOT) -> Assessment:
    """Compute every metric of DESIGN 2.1 for one client and wave.

    Parameters
    ----------
    client
        The wave to assess.
    previous
        The client's earlier wave; fills ``drift`` (A, P and C per area and
        the OAI, each difference with a 90 % interval from independent
        bootstraps of the two waves with the same B: the previous wave's
        generator is an independent stream derived from ``seed``, see
        `previous_wave_seed`).
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
    wave = score_wave(client, seed=seed, n_boot=n_boot)
    result = wave.assessment
    if previous is not None:
        before = score_wave(previous, seed=previous_wave_seed(seed), n_boot=n_boot)
        drift = drift_table(before.draws, wave.draws)
        prev_n = before.assessment.areas["n"].to_dict() | {OVERALL: int(before.assessment.oai["n"])}
        drift.attrs["previous_wave"] = previous.wave
        drift.attrs["previous_n"] = {k: int(v) for k, v in prev_n.items()}
        result.drift = drift
    result.benchmark = benchmark_percentiles(result.areas, others, client_id=client.client_id)
    log.debug("assessed %s wave %s: OAI %.1f", client.client_id, client.wave, result.oai["value"])
    return result
