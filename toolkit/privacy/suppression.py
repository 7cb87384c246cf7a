"""Suppression of small groups (DESIGN 2.2).

`protect` returns a new `Assessment` in which every ratings
  aggregate over fewer than ``min_group_size`` respondents is NaN and flagged,
  with *secondary suppression* so that no suppressed group can be recovered by
  subtracting its shown siblings from a shown total.

Secondary suppression rule
--------------------------
A *breakdown* is a set of sibling groups that partition a parent total shown
elsewhere: the departments within one area (``departments``), the levels within
one area (``levels``), the levels within one department and the departments
within one level (``coverage``). Within each breakdown, primary suppression
hides every group with ``n < min_group_size``. If that hides exactly one group
(and the breakdown has other groups), the smallest shown sibling (fewest
respondents; ties broken by name) is hidden too, so at least two groups are
hidden and neither can be derived from the total minus the rest. For
``coverage`` the rule is applied to rows and columns repeatedly until no
department row or level column has exactly one hidden cell among several.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from toolkit.client_config import Privacy
from toolkit.metrics.alignment import band, principal_gap, weighted_present
from toolkit.metrics.assessment import Assessment
from toolkit.metrics.consistency import within_group_consistency
from toolkit.metrics.perception import between_group_sd
from toolkit.model import AREA, DEPARTMENT, LEVEL, Problem
from toolkit.privacy.audit import audit_reason
from toolkit.privacy.notices import (
    FAVOURABLE_BLANK,
    HIDDEN_GROUPS,
    LINKED_AUDIT,
    METRIC_RATING_COUNT,
    TOTAL_SMALL,
    Notice,
    as_notice,
    without,
)
from toolkit.reasons import Reason

log = logging.getLogger("toolkit")

SUPPRESSED = "suppressed"
SUPPRESSED_REASON = "suppressed_reason"

# --- suppression of small groups --------------------------------------------------------------

def primary_reason(min_group_size: int) -> str:
    """The ``suppressed_reason`` of a group below the threshold."""
    return f"fewer than {min_group_size} respondents"


def secondary_reason(min_group_size: int) -> str:
    """The ``suppressed_reason`` of a sibling hidden so a small group cannot be derived."""
    return f"hidden with a group of fewer than {min_group_size} respondents (secondary suppression)"


def secondary_suppression(n: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Siblings to hide so that no hidden group is recoverable from the total.

    Parameters
    ----------
    n
        Respondents per sibling group (in a stable order; ties go to the first).
    hidden
        Groups already hidden.

    Returns
    -------
    numpy.ndarray
        Bool mask of the *additional* groups to hide: the smallest shown
        sibling when exactly one group is hidden and there are others.

    Examples
    --------
    >>> secondary_suppression(np.array([2, 9, 5, 5]), np.array([True, False, False, False])).tolist()
    [False, False, True, False]
    >>> secondary_suppression(np.array([2, 2, 9]), np.array([True, True, False])).tolist()
    [False, False, False]
    """
    n = np.asarray(n, dtype=float)
    hidden = np.asarray(hidden, dtype=bool)
    extra = np.zeros(len(n), dtype=bool)
    if hidden.sum() == 1 and len(n) > 1:
        shown = np.flatnonzero(~hidden)
        extra[shown[np.argmin(n[shown])]] = True
    return extra


def mark(frame: pd.DataFrame, primary: np.ndarray, secondary: np.ndarray, value_cols: list[str],
          k: int) -> pd.DataFrame:
    """Copy of ``frame`` with ``value_cols`` NaN where hidden, plus the privacy columns."""
    out = frame.copy()
    hidden = primary | secondary
    for col in value_cols:
        if col in out.columns:
            out[col] = out[col].astype(float).where(~hidden, np.nan)
    out[SUPPRESSED] = hidden
    out[SUPPRESSED_REASON] = np.where(primary, primary_reason(k), np.where(secondary, secondary_reason(k), ""))
    out[SUPPRESSED_REASON] = out[SUPPRESSED_REASON].astype(object)
    return out


def hide_rows(frame: pd.DataFrame, mask: np.ndarray, reasons: list[str], value_cols: list[str]) -> pd.DataFrame:
    """Copy of ``frame`` with the ``mask`` rows suppressed: values and counts NaN, flag and reason set."""
    out = frame.copy()
    if not mask.any():
        return out
    for col in value_cols:
        if col in out.columns:
            out[col] = out[col].astype(float).where(~mask, np.nan)
    was = out[SUPPRESSED].to_numpy(dtype=bool)
    old = out[SUPPRESSED_REASON].astype(object).to_numpy()
    out[SUPPRESSED] = was | mask
    out[SUPPRESSED_REASON] = np.array([r if w or not m else why for r, w, m, why in zip(old, was, mask, reasons, strict=True)],
                                      dtype=object)
    return out


def _protect_breakdown(frame: pd.DataFrame, by: str, value_cols: list[str], k: int) -> pd.DataFrame:
    """Primary and secondary suppression within each ``by`` group (e.g. per area)."""
    n = frame["n"].to_numpy(dtype=float)
    primary = n < k
    secondary = np.zeros(len(frame), dtype=bool)
    for _, idx in frame.groupby(by, sort=False).indices.items():
        secondary[idx] = secondary_suppression(n[idx], primary[idx])
    return mark(frame, primary, secondary, value_cols, k)


def _protect_coverage(coverage: pd.DataFrame, k: int) -> pd.DataFrame:
    """Suppress department x level counts below ``k``; repeat secondary suppression over rows and columns."""
    n = coverage["n"].to_numpy(dtype=float)
    primary = n < k
    hidden = primary.copy()
    groups = [coverage.groupby(col, sort=False).indices for col in (DEPARTMENT, LEVEL)]
    changed = True
    while changed:
        changed = False
        for by in groups:
            for idx in by.values():
                extra = secondary_suppression(n[idx], hidden[idx])
                if extra.any():
                    hidden[idx] |= extra
                    changed = True
    return mark(coverage, primary, hidden & ~primary, ["n"], k)


def department_spread(areas: pd.DataFrame, departments: pd.DataFrame, hidden: np.ndarray) -> pd.DataFrame:
    """``within_dept_consistency`` and ``between_dept_sd`` recomputed over the shown departments.

    Computed by metrics over every department, they would let a reader solve a
    hidden department's mean from its shown siblings; here each uses only the
    departments still shown (NaN below two, or when the area itself is
    ``hidden``), with the metrics' own helpers.
    """
    out = areas.copy()
    shown = departments.loc[~departments[SUPPRESSED].to_numpy(dtype=bool)]
    within, between = [], []
    for area, area_hidden in zip(out.index, np.asarray(hidden, dtype=bool), strict=True):
        rows = shown.loc[shown[AREA] == area]
        if area_hidden or len(rows) < 2:
            within.append(float("nan"))
            between.append(float("nan"))
            continue
        within.append(within_group_consistency(rows["consistency"].to_numpy(dtype=float), min_groups=2))
        between.append(between_group_sd(rows["perception"].to_numpy(dtype=float)))
    out["within_dept_consistency"] = within
    out["between_dept_sd"] = between
    return out


def _protect_areas(assessment: Assessment, departments: pd.DataFrame, k: int
                   ) -> tuple[pd.DataFrame, dict[str, Any], str]:
    """Hide areas rated by fewer than ``k`` (or all when the total is below ``k``), their ``n`` included."""
    areas = assessment.areas
    value_cols = [c for c in areas.columns if c not in ("label", "weight", "n_items", "band", "alpha_warning")]
    total_n = assessment.oai.get("n", 0)
    total_small = total_n is None or float(total_n) < k
    n = areas["n"].to_numpy(dtype=float)
    primary = ((n > 0) & (n < k)) | total_small  # n = 0: nothing rated, nothing to hide
    out = mark(areas, primary, np.zeros(len(areas), dtype=bool), value_cols, k)
    out = department_spread(out, departments, primary)
    out["band"] = np.where(primary, "", out["band"].astype(object)).astype(object)
    out["alpha_warning"] = np.where(primary, "", out["alpha_warning"].astype(object)).astype(object)
    oai: dict[str, Any] = dict(assessment.oai)
    gap = assessment.principal_gap
    if total_small:
        oai.update(value=float("nan"), lo=float("nan"), hi=float("nan"), band="", n=None)
        gap = ""
    elif primary.any():
        # An area rated by too few people must not leak through the OAI: re-weight the shown areas.
        shown = out.loc[~primary]
        alignment = {str(a): float(v) for a, v in shown["alignment"].items()}
        weights = {str(a): float(v) for a, v in shown["weight"].items()}
        value = float(weighted_present(alignment, weights))
        oai.update(value=value, lo=float("nan"), hi=float("nan"), band=band(value))
        gap = principal_gap(alignment, weights)
    oai[SUPPRESSED] = bool(total_small)
    oai[SUPPRESSED_REASON] = primary_reason(k) if total_small else ""
    return out, oai, gap


def _shown_warnings(assessment: Assessment, areas: pd.DataFrame, total_small: bool) -> list[str]:
    """The assessment's warnings, structured (`as_notice`), minus those about a suppressed area.

    A warning about a hidden area may state a number computed from its few
    respondents, so it goes; so do the rating counts of a hidden total.
    """
    labels = {str(a): str(lb) for a, lb in zip(assessment.areas.index, assessment.areas["label"], strict=True)}
    alpha = {str(a): str(w) for a, w in zip(assessment.areas.index, assessment.areas["alpha_warning"], strict=True)}
    hidden = [str(a) for a in areas.index[areas[SUPPRESSED].to_numpy(dtype=bool)]]
    notices = [as_notice(w, labels, alpha) for w in assessment.warnings]
    return without(notices, codes=[METRIC_RATING_COUNT] if total_small else [], areas=hidden)


def _protect_gaps(gaps: pd.DataFrame, levels: pd.DataFrame, k: int) -> pd.DataFrame:
    hidden_levels = {(a, lv) for a, lv, s in zip(levels[AREA], levels[LEVEL], levels[SUPPRESSED], strict=True) if s}
    small = (gaps["n_a"].to_numpy(dtype=float) < k) | (gaps["n_b"].to_numpy(dtype=float) < k)
    linked = np.array([(a, ga) in hidden_levels or (a, gb) in hidden_levels
                       for a, ga, gb in zip(gaps[AREA], gaps["group_a"], gaps["group_b"], strict=True)], dtype=bool)
    out = mark(gaps, small, linked & ~small, ["gap", "p_value", "lo", "hi", "p_holm"], k)
    out["flagged"] = out["flagged"].to_numpy(dtype=bool) & ~out[SUPPRESSED].to_numpy(dtype=bool)
    return out


def _protect_drift(drift: pd.DataFrame | None, areas: pd.DataFrame, oai: dict[str, Any], k: int) -> pd.DataFrame | None:
    if drift is None:
        return None
    prev_n = drift.attrs.get("previous_n", {})
    current_hidden = {a: bool(s) for a, s in zip(areas.index, areas[SUPPRESSED], strict=False)}
    current_hidden["overall"] = bool(oai.get(SUPPRESSED, False))
    # Each wave's OAI in the overall row is the one its own deck shows, re-weighted over the areas that
    # wave shows (`toolkit.metrics.score`), so it carries no hidden area's score and stays shown.
    primary = np.array([current_hidden.get(a, False) or float(prev_n.get(a, k)) < k for a in drift[AREA]],
                       dtype=bool)
    out = mark(drift, primary, np.zeros(len(drift), dtype=bool),
                ["previous", "current", "difference", "lo", "hi"], k)
    out["significant"] = out["significant"].to_numpy(dtype=bool) & ~primary
    return out


def _protect_units(units: pd.DataFrame | None, departments: pd.DataFrame, k: int) -> pd.DataFrame | None:
    """The outlier unit (method v2) is named only when its department's result is shown in that area."""
    if units is None:
        return None
    shown = {(a, d) for a, d, s in zip(departments[AREA], departments["department"], departments[SUPPRESSED], strict=True) if not s}
    out = units.copy()
    hidden = np.array([bool(o) and (a, o) not in shown for a, o in zip(out[AREA], out["outlier"], strict=True)], dtype=bool)
    out.loc[hidden, "outlier"] = ""
    out.loc[hidden, "outlier_n"] = 0
    for col in ("outlier_gap", "outlier_lo", "outlier_hi"):
        out.loc[hidden, col] = np.nan
    return out


def _siblings_again(frame: pd.DataFrame, by: list[str], cols: list[str], k: int) -> pd.DataFrame:
    """Hide the smallest shown sibling wherever a breakdown has exactly one hidden group (repeated)."""
    n = frame["n"].to_numpy(dtype=float)
    size = np.where(np.isnan(n), np.inf, n)
    groups = [frame.groupby(col, sort=False).indices for col in by]
    hidden = frame[SUPPRESSED].to_numpy(dtype=bool).copy()
    extra = np.zeros(len(frame), dtype=bool)
    changed = True
    while changed:
        changed = False
        for g in groups:
            for idx in g.values():
                more = secondary_suppression(size[idx], hidden[idx])
                if more.any():
                    hidden[idx] |= more
                    extra[idx] |= more
                    changed = True
    return hide_rows(frame, extra, [secondary_reason(k)] * len(frame), cols)


def _without_bands(coverage: pd.DataFrame, k: int) -> pd.DataFrame:
    """Coverage whose hidden counts all read alike and that lists every department x level combination.

    Used when "fewer than k" bands would let the shown totals pin a hidden
    count (`toolkit.privacy.counts.choose_counts`): the empty combinations
    are listed as hidden too (appended after the assessment's own rows), so a
    hidden count may be anything from 0.
    """
    from toolkit.privacy.linked import count_withheld_reason

    reason = count_withheld_reason(k)
    out = coverage.copy()
    have = set(zip(out[DEPARTMENT].astype(str), out[LEVEL].astype(str), strict=False))
    missing = [(d, lv) for d in sorted(set(out[DEPARTMENT].astype(str))) for lv in sorted(set(out[LEVEL].astype(str)))
               if (d, lv) not in have]
    if missing:
        extra = pd.DataFrame({DEPARTMENT: [d for d, _ in missing], LEVEL: [lv for _, lv in missing]})
        extra = extra.astype({DEPARTMENT: out[DEPARTMENT].dtype, LEVEL: out[LEVEL].dtype})
        extra["n"], extra[SUPPRESSED] = np.nan, True
        out = pd.concat([out.assign(n=out["n"].astype(float)), extra], ignore_index=True)  # appended: rows
        # of the assessment's own coverage keep their positions
    hidden = out[SUPPRESSED].to_numpy(dtype=bool)
    out[SUPPRESSED_REASON] = np.where(hidden, reason, "").astype(object)
    return out


def _apply_audit(areas: pd.DataFrame, departments: pd.DataFrame, levels: pd.DataFrame, coverage: pd.DataFrame,
                 raw_coverage: pd.DataFrame, k: int, cells: pd.DataFrame | None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int, set[str], dict[tuple[str, str, str], str]]:
    """Run the linked-table audit and hide what it chooses.

    Returns the frames, the number hidden, the areas whose *overall*
    figure the audit had to hide (only when nothing else frees a small group:
    e.g. three respondents in all, one of whom rated fewer items) and the
    favourable shares it blanks (`toolkit.privacy.linked.AuditResult`; the
    department and level ones are already blank in the frames).
    """
    from toolkit.privacy.linked import audit_breakdowns, counts_reason

    flagged = raw_coverage.assign(**{SUPPRESSED: coverage[SUPPRESSED].to_numpy(dtype=bool)})
    result = audit_breakdowns(areas, departments, levels, flagged, k, cells=cells)
    for area, breach in result.unresolved:  # only when hiding all but the total was not enough
        log.warning("privacy audit: area %s keeps a pinned group of %d cells", area, len(breach.cells))
    out = []
    for frame, kind, col, cols in ((departments, "department", DEPARTMENT, ["perception", "favourable", "consistency"]),
                                   (levels, "level", LEVEL, ["perception", "favourable"])):
        reasons = [result.hidden.get((kind, str(g), str(a)), "") for g, a in zip(frame[col], frame[AREA], strict=True)]
        out.append(hide_rows(frame, np.array([bool(r) for r in reasons], dtype=bool), reasons, cols))
    cell_reason = {c: audit_reason(k) for c in result.cells_hidden}
    cell_reason.update({c: counts_reason(k) for c in result.counts_hidden if c not in cell_reason})
    reasons = [cell_reason.get((str(d), str(lv)), "") for d, lv in zip(coverage[DEPARTMENT], coverage[LEVEL], strict=True)]
    cov = hide_rows(coverage, np.array([bool(r) for r in reasons], dtype=bool), reasons, ["n"])
    # within one breakdown the next-smallest sibling rule still applies to what the audit hid
    out = [_siblings_again(f, [AREA], cols, k) for f, cols in
           ((out[0], ["perception", "favourable", "consistency"]), (out[1], ["perception", "favourable"]))]
    cov = _siblings_again(cov, [DEPARTMENT, LEVEL], ["n"], k)
    if not result.count_bands:
        cov = _without_bands(cov, k)
    n_hidden = len(result.hidden) + len(result.cells_hidden | result.counts_hidden)
    whole = {area for kind, _, area in result.hidden if kind == "overall"}
    shares = result.favourable_hidden
    out = [_blank_shares(frame, kind, col, shares) for frame, kind, col in
           ((out[0], "department", DEPARTMENT), (out[1], "level", LEVEL))]
    return out[0], out[1], cov, n_hidden, whole, shares


def _blank_shares(frame: pd.DataFrame, kind: str, column: str, shares: Mapping[tuple[str, str, str], str]
                  ) -> pd.DataFrame:
    """``frame`` with the favourable share blank on the shown rows the audit names (perception stays)."""
    blank = np.array([(kind, str(g), str(a)) in shares for g, a in zip(frame[column], frame[AREA], strict=True)],
                     dtype=bool) & ~frame[SUPPRESSED].to_numpy(dtype=bool)
    if not blank.any():
        return frame
    out = frame.copy()
    out["favourable"] = np.where(blank, np.nan, out["favourable"].to_numpy(dtype=float))
    return out


def count_blank_shares(frame: pd.DataFrame) -> int:
    """Shown results whose favourable share is blank: a share exists wherever perception does, so a blank
    one beside a shown perception is the audit's."""
    shown = ~frame[SUPPRESSED].to_numpy(dtype=bool) & frame["perception"].notna().to_numpy(dtype=bool)
    return int((shown & frame["favourable"].isna().to_numpy(dtype=bool)).sum())


def _hide_areas(areas: pd.DataFrame, oai: dict[str, Any], gap: str, departments: pd.DataFrame,
                levels: pd.DataFrame, hide: set[str], k: int
                ) -> tuple[pd.DataFrame, dict[str, Any], str, pd.DataFrame, pd.DataFrame]:
    """Hide whole areas (their overall, department and level figures) and re-weight the OAI over the rest."""
    reason = [audit_reason(k)] * len(areas)
    value_cols = [c for c in areas.columns if c not in ("label", "weight", "n_items", SUPPRESSED)
                  and pd.api.types.is_numeric_dtype(areas[c])]
    mask = np.array([str(a) in hide for a in areas.index], dtype=bool)
    out = hide_rows(areas, mask & ~areas[SUPPRESSED].to_numpy(dtype=bool), reason, value_cols)
    out["band"] = np.where(mask, "", out["band"].astype(object)).astype(object)
    out["alpha_warning"] = np.where(mask, "", out["alpha_warning"].astype(object)).astype(object)
    frames = []
    for frame, cols in ((departments, ["perception", "favourable", "consistency"]), (levels, ["perception", "favourable"])):
        rows = np.array([str(a) in hide for a in frame[AREA]], dtype=bool)
        frames.append(hide_rows(frame, rows, [audit_reason(k)] * len(frame), cols))
    shown = out.loc[~out[SUPPRESSED].to_numpy(dtype=bool)]
    oai = dict(oai)
    if len(shown):
        alignment = {str(a): float(v) for a, v in shown["alignment"].items()}
        weights = {str(a): float(v) for a, v in shown["weight"].items()}
        value = float(weighted_present(alignment, weights))
        oai.update(value=value, lo=float("nan"), hi=float("nan"), band=band(value))
        gap = principal_gap(alignment, weights)
    return out, oai, gap, frames[0], frames[1]


def wave_reason(min_group_size: int) -> str:
    """The ``suppressed_reason`` of a group whose membership changed by fewer than the threshold."""
    return (f"its membership changed by fewer than {min_group_size} people since the previous wave, so the "
            "two waves' figures would tell the newcomers' answers apart")


def protect(assessment: Assessment, privacy: Privacy, *, cells: pd.DataFrame | None = None,
            linked_audit: bool = True, wave_changes: Sequence[tuple[str, str]] = ()) -> Assessment:
    """Return a new, protected `Assessment`: small groups suppressed (DESIGN 2.2).

    Every ratings aggregate over fewer than ``privacy.min_group_size``
    respondents becomes NaN with ``suppressed=True`` and a
    ``suppressed_reason``; siblings are hidden by the secondary-suppression
    rule of this module's docstring. The input is not modified.

    Parameters
    ----------
    assessment
        The output of `toolkit.metrics.score`.
    privacy
        The client's thresholds.

    Returns
    -------
    Assessment
        With ``protected=True``. ``departments``, ``levels``, ``coverage``,
        ``items``, ``areas``, ``perception_gaps`` (and ``drift``,
        ``benchmark`` when present) gain ``suppressed`` and
        ``suppressed_reason``; a suppressed coverage cell or area has ``n``
        NaN. ``oai`` gains the same two keys; its ``n`` is None when the
        total is below the threshold. ``areas.within_dept_consistency`` and
        ``between_dept_sd`` are recomputed over the shown departments only
        (NaN below two). Warnings about a suppressed area are dropped.
        With ``linked_audit`` (`toolkit.privacy.linked`) further departments,
        levels and cells are hidden until no group below the threshold can be
        pinned from everything published together; ``cells`` (`client_cells`)
        gives the audit the true cell sums. ``wave_changes`` (from
        `toolkit.privacy.linked.membership_changes`) hides departments and
        levels whose membership changed by fewer than the threshold since the
        previous wave. ``drivers`` is dropped when fewer
        than ``min_group_size`` respondents (it already needs 30).
    """
    k = int(privacy.min_group_size)
    departments = _protect_breakdown(assessment.departments, AREA, ["perception", "favourable", "consistency"], k)
    areas, oai, gap = _protect_areas(assessment, departments, k)
    items = assessment.items
    n_items = items["n"].to_numpy(dtype=float)
    item_cols = ["mean", "favourable", "rwg"] + [c for c in items.columns if c.startswith("share_")]
    items = mark(items, n_items < k, np.zeros(len(items), dtype=bool), item_cols, k)
    levels = _protect_breakdown(assessment.levels, AREA, ["perception", "favourable"], k)
    coverage = _protect_coverage(assessment.coverage, k)
    if wave_changes:
        changed = set(wave_changes)
        for name, kind, col, cols in (("departments", "department", DEPARTMENT,
                                       ["perception", "favourable", "consistency"]),
                                      ("levels", "level", LEVEL, ["perception", "favourable"])):
            frame = departments if name == "departments" else levels
            mask = np.array([(kind, str(g)) in changed for g in frame[col]], dtype=bool)
            frame = hide_rows(frame, mask, [wave_reason(k)] * len(frame), cols)
            if name == "departments":
                departments = frame
            else:
                levels = frame
        areas = department_spread(areas, departments, areas[SUPPRESSED].to_numpy(dtype=bool))
    n_audit = n_shares = 0
    if linked_audit and not oai[SUPPRESSED]:
        departments, levels, coverage, n_audit, whole, shares = _apply_audit(areas, departments, levels, coverage,
                                                                             assessment.coverage, k, cells)
        if whole:
            areas, oai, gap, departments, levels = _hide_areas(areas, oai, gap, departments, levels, whole, k)
        blank_overall = {a for kind, _, a in shares if kind == "overall"}
        if blank_overall:
            areas = areas.copy()
            areas.loc[[a for a in areas.index if str(a) in blank_overall], "favourable"] = np.nan
        n_shares = count_blank_shares(areas) + count_blank_shares(departments) + count_blank_shares(levels)
        areas = department_spread(areas, departments, areas[SUPPRESSED].to_numpy(dtype=bool))
    gaps = _protect_gaps(assessment.perception_gaps, levels, k)
    drift = _protect_drift(assessment.drift, areas, oai, k)
    benchmark = assessment.benchmark
    if benchmark is not None:
        hidden = benchmark[AREA].map(areas[SUPPRESSED]).fillna(False).to_numpy(dtype=bool)
        benchmark = mark(benchmark, hidden, np.zeros(len(benchmark), dtype=bool), ["percentile"], k)
    drivers = assessment.drivers
    if drivers is not None and (drivers.attrs.get("n", 0) < k or oai[SUPPRESSED]):
        drivers = None
    warnings = _shown_warnings(assessment, areas, bool(oai[SUPPRESSED]))
    hidden_groups = int(departments[SUPPRESSED].sum() + levels[SUPPRESSED].sum())
    if hidden_groups:
        warnings.append(Notice(f"{hidden_groups} department or level results are hidden to protect groups of "
                               f"fewer than {k} respondents.", HIDDEN_GROUPS))
    if n_audit:
        warnings.append(Notice(f"{n_audit} of the hidden figure{'s are' if n_audit != 1 else ' is'} hidden so that no "
                               f"group of fewer than {k} respondents can be derived by combining published "
                               "figures.", LINKED_AUDIT))
    if n_shares:
        warnings.append(Notice(f"{n_shares} favourable share{'s are' if n_shares != 1 else ' is'} left blank (the "
                               f"result's perception is shown) so that no group of fewer than {k} respondents can "
                               "be derived from the published shares.", FAVOURABLE_BLANK))
    if oai[SUPPRESSED]:
        warnings.append(Notice(f"Fewer than {k} respondents in total: every ratings result is hidden.", TOTAL_SMALL))
    log.debug("protected %s: %d groups suppressed", assessment.client_id, hidden_groups)
    return replace(assessment, areas=areas, oai=oai, principal_gap=gap, items=items, departments=departments,
                   levels=levels, coverage=coverage, perception_gaps=gaps, drift=drift, benchmark=benchmark,
                   drivers=drivers.copy() if drivers is not None else None, warnings=warnings, protected=True,
                   between_units=_protect_units(getattr(assessment, "between_units", None), departments, k),
                   kpis=assessment.kpis.copy(), kpi_departments=assessment.kpi_departments.copy())


# Intake warnings whose message names no person, row or small-group size.
_SAFE_WARNING_REASONS = frozenset({Reason.kpi_without_data, Reason.missing_value})


def client_safe_warnings(problems: Sequence[Problem], privacy: Privacy) -> list[str]:
    """Intake warnings rewritten for a client audience.

    The consultant sees intake warnings in full (``alignment validate``); a deck
    must not: a ``small_group`` warning states a group size below the
    threshold and ``low_completion`` points at individual respondents. Those
    become threshold-level sentences; other warnings pass only when their
    reason is known to carry no personal detail, the rest are counted.

    Examples
    --------
    >>> from toolkit.client_config import Privacy
    >>> from toolkit.model import Problem
    >>> client_safe_warnings([Problem("a/interviews.csv", "small_group", "department 'Legal' has 2 respondents",
    ...                               found="Legal", severity="warning")], Privacy())
    ["Department 'Legal' has fewer than 3 respondents: its results are suppressed."]
    """
    k = privacy.min_group_size
    warnings = [p for p in problems if p.severity == "warning"]
    out = [f"Department {name!r} has fewer than {k} respondents: its results are suppressed."
           for name in sorted({str(p.found) for p in warnings if p.reason == Reason.small_group})]
    low = sum(p.reason == Reason.low_completion for p in warnings)
    if low:
        out.append(f"{low} respondent{'s' if low != 1 else ''} answered fewer than half of the items; "
                   "their answers are included.")
    out += [p.message for p in warnings if p.reason in _SAFE_WARNING_REASONS]
    other = sum(p.reason not in _SAFE_WARNING_REASONS | {Reason.small_group, Reason.low_completion} for p in warnings)
    if other:
        out.append(f"{other} further intake warning{'s' if other != 1 else ''} (see `alignment validate`).")
    return out
