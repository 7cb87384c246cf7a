"""Confidentiality (DESIGN 2.2): redaction of quotes and suppression of small groups.

Two jobs, applied before anything reaches a reader:

* **Quotes** — `redact_text` replaces roster names, e-mail addresses and phone
  numbers; `quote_groups_allowed` keeps only excerpts whose respondent's level
  group and department group each have at least ``min_quote_group``
  respondents, and attributes them by level only (no respondent id, no
  department).
* **Aggregates** — `protect` returns a new `Assessment` in which every ratings
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
import re
from dataclasses import replace
from typing import Sequence

import numpy as np
import pandas as pd

from toolkit.config import Privacy
from toolkit.metrics.alignment import band, principal_gap, weighted_present
from toolkit.metrics.assessment import Assessment
from toolkit.metrics.consistency import within_group_consistency
from toolkit.metrics.items import RATING_COUNT_PHRASES
from toolkit.metrics.perception import between_group_sd
from toolkit.model import AREA, DEPARTMENT, LEVEL, RESPONDENT, TEXT, THEME, Problem

log = logging.getLogger("toolkit")

SUPPRESSED = "suppressed"
SUPPRESSED_REASON = "suppressed_reason"

NAME_TOKEN = "[name]"
EMAIL_TOKEN = "[email]"
PHONE_TOKEN = "[phone]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Candidate phone numbers: optional +country, digits with space . - / or (area) separators.
_PHONE = re.compile(r"(?<![\w+])(?:\+\s?)?(?:\(\d{1,5}\)\s?)?\d(?:[\s.\-/]?(?:\(\d{1,5}\)|\d)){5,}(?!\w)")
_ISO_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")
_MIN_PHONE_DIGITS = 7
_MIN_NAME_PART = 2  # "Li", "Wu", "Ng": short name parts are names too


def _phone_or_keep(match: re.Match[str]) -> str:
    """Replace a candidate phone number, unless it is a date or too short."""
    found = match.group(0)
    digits = sum(ch.isdigit() for ch in found)
    if digits < _MIN_PHONE_DIGITS or _ISO_DATE.match(found.strip()):
        return found
    has_separator = any(ch in " .-/()" for ch in found.strip())
    if not has_separator and not found.startswith("+") and digits < 10:
        return found  # a bare 7-9 digit number is more likely an amount or an order number
    return PHONE_TOKEN


def _name_patterns(roster: Sequence[str]) -> list[re.Pattern[str]]:
    """Patterns for roster names: full names (any case) then capitalised name parts."""
    names = sorted({" ".join(str(n).split()) for n in roster if str(n).strip()}, key=len, reverse=True)
    patterns: list[re.Pattern[str]] = []
    for name in names:
        words = [re.escape(w) for w in name.split(" ")]
        if len(words) > 1:
            patterns.append(re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE))
    parts = sorted({w for n in names for w in re.split(r"[\s\-']+", n) if len(w) >= _MIN_NAME_PART},
                   key=len, reverse=True)
    for part in parts:
        head, rest = part[0], part[1:]
        # The first letter must be a capital in the text ("Mark" is a name, "mark" a verb).
        patterns.append(re.compile(r"(?<!\w)" + re.escape(head.upper()) + r"(?i:" + re.escape(rest) + r")(?!\w)"))
    return patterns


def redact_text(text: str, roster: Sequence[str]) -> str:
    """Redact roster names, e-mail addresses and phone numbers from one text.

    Parameters
    ----------
    text
        An excerpt (note or quote) from client data.
    roster
        Names of people (e.g. ``"Jane Doe"``). Full names match in any case;
        each part of a name with at least 2 letters matches on its own, as a
        whole word, when it is capitalised in the text (``"Jane"``, ``"Doe"``,
        ``"Li"`` but not ``"doe"`` or ``"li"``).

    Returns
    -------
    str
        The text with ``[name]``, ``[email]`` and ``[phone]`` in place of what
        was found. Phone numbers are runs of at least 7 digits with separators
        (spaces, dots, hyphens, slashes, brackets) or a leading ``+``; ISO dates
        are kept.

    Examples
    --------
    >>> redact_text("Ask Jane Doe (jane.doe@acme.com, +44 20 7946 0958).", ["Jane Doe"])
    'Ask [name] ([email], [phone]).'
    >>> redact_text("Jane said the doe ran", ["Jane Doe"])
    '[name] said the doe ran'
    >>> redact_text("Li said so, li-ion too", ["Li Wu"])
    '[name] said so, li-ion too'
    """
    if not isinstance(text, str) or not text:
        return text
    out = _EMAIL.sub(EMAIL_TOKEN, text)
    out = _PHONE.sub(_phone_or_keep, out)
    for pattern in _name_patterns(roster):
        out = pattern.sub(NAME_TOKEN, out)
    return out


def quote_groups_allowed(excerpts: pd.DataFrame, respondents: pd.DataFrame, min_quote_group: int,
                         *, roster: Sequence[str] | None = None) -> pd.DataFrame:
    """Keep the excerpts that may be quoted, attributed by level only.

    Parameters
    ----------
    excerpts
        ``respondent_id, area, theme, text``.
    respondents
        ``respondent_id, department, level`` (one row per respondent, e.g.
        `ClientData.respondents`).
    min_quote_group
        An excerpt is kept only when its respondent's level group *and*
        department group each have at least this many respondents.
    roster
        When given, the kept texts are also passed through `redact_text`.

    Returns
    -------
    pandas.DataFrame
        ``area, theme, text, level`` — no respondent id and no department.
        Excerpts of unknown respondents are dropped.

    Examples
    --------
    >>> ex = pd.DataFrame({"respondent_id": ["r1"], "area": ["customer_experience"],
    ...                    "theme": [""], "text": ["fine"]})
    >>> rs = pd.DataFrame({"respondent_id": ["r1", "r2"], "department": ["ops", "ops"],
    ...                    "level": ["frontline", "frontline"]})
    >>> len(quote_groups_allowed(ex, rs, 2)), len(quote_groups_allowed(ex, rs, 3))
    (1, 0)
    """
    out_cols = [AREA, THEME, TEXT, LEVEL]
    people = respondents[[RESPONDENT, DEPARTMENT, LEVEL]].drop_duplicates(RESPONDENT)
    level_n = people[LEVEL].value_counts()
    dept_n = people[DEPARTMENT].value_counts()
    joined = excerpts.merge(people, on=RESPONDENT, how="inner")
    if joined.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in out_cols})
    ok = (joined[LEVEL].map(level_n).fillna(0).to_numpy() >= min_quote_group) & (
        joined[DEPARTMENT].map(dept_n).fillna(0).to_numpy() >= min_quote_group)
    kept = joined.loc[ok, [c for c in out_cols if c in joined.columns]].reset_index(drop=True)
    if THEME not in kept.columns:
        kept.insert(1, THEME, "")
    if roster:
        kept[TEXT] = [redact_text(t, roster) for t in kept[TEXT]]
    return kept[out_cols]


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


def _mark(frame: pd.DataFrame, primary: np.ndarray, secondary: np.ndarray, value_cols: list[str],
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


def _protect_breakdown(frame: pd.DataFrame, by: str, value_cols: list[str], k: int) -> pd.DataFrame:
    """Primary and secondary suppression within each ``by`` group (e.g. per area)."""
    n = frame["n"].to_numpy(dtype=float)
    primary = n < k
    secondary = np.zeros(len(frame), dtype=bool)
    for _, idx in frame.groupby(by, sort=False).indices.items():
        secondary[idx] = secondary_suppression(n[idx], primary[idx])
    return _mark(frame, primary, secondary, value_cols, k)


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
    return _mark(coverage, primary, hidden & ~primary, ["n"], k)


def _shown_department_spread(areas: pd.DataFrame, departments: pd.DataFrame, hidden: np.ndarray) -> pd.DataFrame:
    """``within_dept_consistency`` and ``between_dept_sd`` recomputed over the shown departments.

    Computed by metrics over every department, they would let a reader solve a
    hidden department's mean from its shown siblings; here each uses only the
    departments still shown (NaN below two), with the metrics' own helpers.
    """
    out = areas.copy()
    shown = departments.loc[~departments[SUPPRESSED].to_numpy(dtype=bool)]
    within, between = [], []
    for area, area_hidden in zip(out.index, hidden):
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


def _protect_areas(assessment: Assessment, departments: pd.DataFrame, k: int) -> tuple[pd.DataFrame, dict, str]:
    """Hide areas rated by fewer than ``k`` (or all when the total is below ``k``), their ``n`` included."""
    areas = assessment.areas
    value_cols = [c for c in areas.columns if c not in ("label", "weight", "n_items", "band", "alpha_warning")]
    total_n = assessment.oai.get("n", 0)
    total_small = total_n is None or float(total_n) < k
    n = areas["n"].to_numpy(dtype=float)
    primary = ((n > 0) & (n < k)) | total_small  # n = 0: nothing rated, nothing to hide
    out = _mark(areas, primary, np.zeros(len(areas), dtype=bool), value_cols, k)
    out = _shown_department_spread(out, departments, primary)
    out["band"] = np.where(primary, "", out["band"].astype(object)).astype(object)
    out["alpha_warning"] = np.where(primary, "", out["alpha_warning"].astype(object)).astype(object)
    oai = dict(assessment.oai)
    gap = assessment.principal_gap
    if total_small:
        oai.update(value=float("nan"), lo=float("nan"), hi=float("nan"), band="", n=None)
        gap = ""
    elif primary.any():
        # An area rated by too few people must not leak through the OAI: re-weight the shown areas.
        shown = out.loc[~primary]
        value = weighted_present(shown["alignment"].to_dict(), shown["weight"].to_dict())
        oai.update(value=value, lo=float("nan"), hi=float("nan"), band=band(value))
        gap = principal_gap(shown["alignment"].to_dict(), shown["weight"].to_dict())
    oai[SUPPRESSED] = bool(total_small)
    oai[SUPPRESSED_REASON] = primary_reason(k) if total_small else ""
    return out, oai, gap


def _shown_warnings(assessment: Assessment, areas: pd.DataFrame, total_small: bool) -> list[str]:
    """The assessment's warnings minus those about a suppressed area (or counting ratings of a hidden total).

    Area warnings are the sentences metrics start with the area's label (the
    alpha warning among them); one about a hidden area may state a number
    computed from its few respondents, so it goes.
    """
    hidden = areas.loc[areas[SUPPRESSED].to_numpy(dtype=bool)]
    prefixes = tuple(f"{label}:" for label in hidden["label"].astype(str))
    hidden_alpha = set(assessment.areas.loc[hidden.index, "alpha_warning"].astype(str)) - {""}
    out = []
    for w in assessment.warnings:
        if w.startswith(prefixes) or w in hidden_alpha:
            continue
        if total_small and any(phrase in w for phrase in RATING_COUNT_PHRASES):
            continue
        out.append(w)
    return out


def _protect_gaps(gaps: pd.DataFrame, levels: pd.DataFrame, k: int) -> pd.DataFrame:
    hidden_levels = {(a, lv) for a, lv, s in zip(levels[AREA], levels[LEVEL], levels[SUPPRESSED]) if s}
    small = (gaps["n_a"].to_numpy(dtype=float) < k) | (gaps["n_b"].to_numpy(dtype=float) < k)
    linked = np.array([(a, ga) in hidden_levels or (a, gb) in hidden_levels
                       for a, ga, gb in zip(gaps[AREA], gaps["group_a"], gaps["group_b"])], dtype=bool)
    out = _mark(gaps, small, linked & ~small, ["gap", "p_value", "lo", "hi", "p_holm"], k)
    out["flagged"] = out["flagged"].to_numpy(dtype=bool) & ~out[SUPPRESSED].to_numpy(dtype=bool)
    return out


def _protect_drift(drift: pd.DataFrame | None, areas: pd.DataFrame, oai: dict, k: int) -> pd.DataFrame | None:
    if drift is None:
        return None
    prev_n = drift.attrs.get("previous_n", {})
    current_hidden = {a: bool(s) for a, s in zip(areas.index, areas[SUPPRESSED])}
    current_hidden["overall"] = bool(oai.get(SUPPRESSED, False)) or bool(np.isnan(oai.get("lo", np.nan)))
    primary = np.array([current_hidden.get(a, False) or float(prev_n.get(a, k)) < k for a in drift[AREA]], dtype=bool)
    out = _mark(drift, primary, np.zeros(len(drift), dtype=bool),
                ["previous", "current", "difference", "lo", "hi"], k)
    out["significant"] = out["significant"].to_numpy(dtype=bool) & ~primary
    return out


def _protect_units(units: pd.DataFrame | None, departments: pd.DataFrame, k: int) -> pd.DataFrame | None:
    """The outlier unit (method v2) is named only when its department's result is shown in that area."""
    if units is None:
        return None
    shown = {(a, d) for a, d, s in zip(departments[AREA], departments["department"], departments[SUPPRESSED]) if not s}
    out = units.copy()
    hidden = np.array([bool(o) and (a, o) not in shown for a, o in zip(out[AREA], out["outlier"])], dtype=bool)
    out.loc[hidden, "outlier"] = ""
    out.loc[hidden, "outlier_n"] = 0
    for col in ("outlier_gap", "outlier_lo", "outlier_hi"):
        out.loc[hidden, col] = np.nan
    return out


def protect(assessment: Assessment, privacy: Privacy) -> Assessment:
    """Return a new, protected `Assessment`: small groups suppressed (DESIGN 2.2).

    Every ratings aggregate over fewer than ``privacy.min_group_size``
    respondents becomes NaN with ``suppressed=True`` and a
    ``suppressed_reason``; siblings are hidden by the secondary-suppression
    rule of this module's docstring. The input is not modified.

    Parameters
    ----------
    assessment
        The output of `toolkit.metrics.assess`.
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
        (NaN below two). Warnings about a suppressed area are dropped. ``drivers`` is dropped when fewer
        than ``min_group_size`` respondents (it already needs 30).
    """
    k = int(privacy.min_group_size)
    departments = _protect_breakdown(assessment.departments, AREA, ["perception", "favourable", "consistency"], k)
    areas, oai, gap = _protect_areas(assessment, departments, k)
    items = assessment.items
    n_items = items["n"].to_numpy(dtype=float)
    item_cols = ["mean", "favourable", "rwg"] + [c for c in items.columns if c.startswith("share_")]
    items = _mark(items, n_items < k, np.zeros(len(items), dtype=bool), item_cols, k)
    levels = _protect_breakdown(assessment.levels, AREA, ["perception", "favourable"], k)
    coverage = _protect_coverage(assessment.coverage, k)
    gaps = _protect_gaps(assessment.perception_gaps, levels, k)
    drift = _protect_drift(assessment.drift, areas, oai, k)
    benchmark = assessment.benchmark
    if benchmark is not None:
        hidden = benchmark[AREA].map(areas[SUPPRESSED]).fillna(False).to_numpy(dtype=bool)
        benchmark = _mark(benchmark, hidden, np.zeros(len(benchmark), dtype=bool), ["percentile"], k)
    drivers = assessment.drivers
    if drivers is not None and (drivers.attrs.get("n", 0) < k or oai[SUPPRESSED]):
        drivers = None
    warnings = _shown_warnings(assessment, areas, bool(oai[SUPPRESSED]))
    hidden_groups = int(departments[SUPPRESSED].sum() + levels[SUPPRESSED].sum())
    if hidden_groups:
        warnings.append(f"{hidden_groups} department or level results are hidden to protect groups of fewer "
                        f"than {k} respondents.")
    if oai[SUPPRESSED]:
        warnings.append(f"Fewer than {k} respondents in total: every ratings result is hidden.")
    log.debug("protected %s: %d groups suppressed", assessment.client_id, hidden_groups)
    return replace(assessment, areas=areas, oai=oai, principal_gap=gap, items=items, departments=departments,
                   levels=levels, coverage=coverage, perception_gaps=gaps, drift=drift, benchmark=benchmark,
                   drivers=drivers.copy() if drivers is not None else None, warnings=warnings, protected=True,
                   between_units=_protect_units(getattr(assessment, "between_units", None), departments, k),
                   kpis=assessment.kpis.copy(), kpi_departments=assessment.kpi_departments.copy())


# Intake warnings whose message names no person, row or small-group size.
_SAFE_WARNING_REASONS = frozenset({"kpi_without_data", "missing_value"})


def client_safe_warnings(problems: Sequence[Problem], privacy: Privacy) -> list[str]:
    """Intake warnings rewritten for a client audience.

    The consultant sees intake warnings in full (``alignment validate``); a deck
    must not: a ``small_group`` warning states a group size below the
    threshold and ``low_completion`` points at individual respondents. Those
    become threshold-level sentences; other warnings pass only when their
    reason is known to carry no personal detail, the rest are counted.

    Examples
    --------
    >>> from toolkit.config import Privacy
    >>> from toolkit.model import Problem
    >>> client_safe_warnings([Problem("a/interviews.csv", "small_group", "department 'Legal' has 2 respondents",
    ...                               found="Legal", severity="warning")], Privacy())
    ["Department 'Legal' has fewer than 3 respondents: its results are suppressed."]
    """
    k = privacy.min_group_size
    warnings = [p for p in problems if p.severity == "warning"]
    out = [f"Department {name!r} has fewer than {k} respondents: its results are suppressed."
           for name in sorted({str(p.found) for p in warnings if p.reason == "small_group"})]
    low = sum(p.reason == "low_completion" for p in warnings)
    if low:
        out.append(f"{low} respondent{'s' if low != 1 else ''} answered fewer than half of the items; "
                   "their answers are included.")
    out += [p.message for p in warnings if p.reason in _SAFE_WARNING_REASONS]
    other = sum(p.reason not in _SAFE_WARNING_REASONS | {"small_group", "low_completion"} for p in warnings)
    if other:
        out.append(f"{other} further intake warning{'s' if other != 1 else ''} (see `alignment validate`).")
    return out
