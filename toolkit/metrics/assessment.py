"""`Assessment`: every number about one client, as frames, before and after privacy.

This dataclass is the contract between metrics (which fill it), privacy (which
suppresses it), findings, summary, plots, the deck and the explorer (which
read it). Column names are listed per field; every frame that aggregates
ratings carries ``n`` (respondents) and, after `toolkit.privacy.protect`,
``suppressed`` (bool) and ``suppressed_reason`` (str, "" when shown). A
suppressed value is NaN (absent), never zero.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Assessment:
    """All metrics of one client and wave (DESIGN 2.1).

    Attributes
    ----------
    client_id, client_name, wave
        Who and when.
    areas
        One row per area (index ``area``, the four area ids in method order):
        ``label, weight, n, n_items, perception, perception_lo, perception_hi,
        favourable, consistency, consistency_lo, consistency_hi,
        within_dept_consistency, between_dept_sd, evidence, evidence_lo,
        evidence_hi, alignment, alignment_lo, alignment_hi, band, alpha,
        alpha_n, alpha_lo, alpha_hi, alpha_warning`` (intervals 90 % bootstrap
        over respondents and KPI observations; no consistency interval under 20
        respondents; alpha on pairwise-complete covariances with Feldt's 95 %
        interval).
        ``evidence`` is NaN when the area has no KPI; ``weight`` is the client's
        strategic weight normalised to sum 1.
    oai
        ``{"value", "lo", "hi", "band", "n"}``: the Overall Alignment Index.
    principal_gap
        Among areas below 75, the area id with the largest ``weight * (75 - alignment)`` ("" when every area is aligned).
    items
        One row per rated question: ``question_id, area, text, reverse, n, mean,
        favourable, rwg, share_1 .. share_5`` (shares of raw answers, in %, before
        reverse keying; ``mean`` after reverse keying).
    departments
        Department x area: ``department, area, n, perception, favourable,
        consistency, consistency_note`` (+ privacy columns); consistency is NaN
        with the note "too few to judge agreement" below ``min_consistency_group``.
    levels
        Level x area: ``level, area, n, perception, favourable`` (+ privacy columns).
    perception_gaps
        ``area, group_a, group_b, gap, p_value, n_a, n_b, flagged, lo, hi,
        p_holm``: gap = P(group_a) - P(group_b) in points, Welch test on
        respondent means; ``lo, hi`` its 95 % interval Holm-adjusted over the
        client's level-pair x area tests; ``flagged`` (a blind spot) when gap
        >= 10, ``lo > 0`` and both groups clear the threshold.
    kpis
        One row per KPI: ``kpi_id, name, area, better, target, unit, n_obs,
        attainment`` (share of observations meeting target, in %), ``mean``,
        ``cv`` (coefficient of variation of department means), ``n_departments``.
    kpi_departments
        ``kpi_id, department, n_obs, mean, attainment``.
    coverage
        ``department, level, n`` respondents (+ privacy columns).
    drivers
        ``area, raw_weight, relative_weight, relative_lo, relative_hi,
        first_share`` (relative weights, % of R^2, 90 % bootstrap intervals)
        and ``r_squared, n, condition, top`` in ``attrs``; ``None`` when n <
        30, no outcome item, or the areas are too collinear (a warning says so).
    drift
        ``area, metric, previous, current, difference, lo, hi, significant,
        p_value, p_holm`` (95 % intervals Holm-adjusted over every comparison);
        ``None`` when there is no earlier wave.
    benchmark
        ``area, percentile, n_clients``; ``None`` when fewer than 5 other clients.
    warnings
        Data-quality and method warnings in plain sentences.
    scale
        The interviews' native answer scale (`toolkit.model.RatingScale.as_dict`):
        ``points, low, high, favourable_min, favourable_labels, description``.
    between_units
        One row per area: ``area, n_departments, icc1, icc_p_value,
        departments_differ, outlier, outlier_n, outlier_gap, outlier_lo,
        outlier_hi`` (ICC(1) of respondent area means across departments with
        a seeded permutation p-value; the outlier unit of DESIGN 2.1, "" when none).
    not_scored
        Area ids with no answered item and no KPI: left out of the OAI (DESIGN 2.1).
    """

    client_id: str
    client_name: str
    wave: str
    areas: pd.DataFrame
    oai: dict[str, float | str | int]
    principal_gap: str
    items: pd.DataFrame
    departments: pd.DataFrame
    levels: pd.DataFrame
    perception_gaps: pd.DataFrame
    kpis: pd.DataFrame
    kpi_departments: pd.DataFrame
    coverage: pd.DataFrame
    drivers: pd.DataFrame | None = None
    drift: pd.DataFrame | None = None
    benchmark: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)
    scale: dict[str, object] = field(default_factory=dict)
    between_units: pd.DataFrame | None = None
    not_scored: list[str] = field(default_factory=list)
    protected: bool = False  # set by toolkit.privacy.protect
