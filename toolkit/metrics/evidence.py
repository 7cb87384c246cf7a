"""Evidence ``E``: how often the operations KPIs meet their strategic targets (DESIGN 2.1)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from toolkit.client_config import AssessmentWindow, KpiDefinition
from toolkit.intake.periods import PERIOD_EXPECTED, parse_period
from toolkit.model import AREA, AREAS, DEPARTMENT, KPI, PERIOD_START, VALUE

KPI_COLUMNS = [KPI, "name", AREA, "better", "target", "unit", "n_obs", "attainment", "mean", "cv", "n_departments",
               "change"]
KPI_DEPT_COLUMNS = [KPI, DEPARTMENT, "n_obs", "mean", "attainment", "change"]


def _period_bounds(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day and the day after the last day of a period label (any spelling intake accepts).

    Examples
    --------
    >>> _period_bounds("Q1 2026")
    (Timestamp('2026-01-01 00:00:00'), Timestamp('2026-04-01 00:00:00'))
    >>> _period_bounds("Mar-26")[1], _period_bounds("2026-03-15")[1]
    (Timestamp('2026-04-01 00:00:00'), Timestamp('2026-03-16 00:00:00'))
    """
    parsed = parse_period(text)
    if parsed is None:
        raise ValueError(f"assessment_window bound {text!r} is not {PERIOD_EXPECTED}")
    label, first = parsed
    if "Q" in label:
        return first, first + pd.DateOffset(months=3)
    if len(label) == len("2026-03"):
        return first, first + pd.DateOffset(months=1)
    return first, first + pd.Timedelta(days=1)


def in_window(period_start: pd.Series, window: AssessmentWindow | None) -> np.ndarray:
    """Bool mask of observations whose ``period_start`` lies in the window.

    Both bounds are inclusive of whole periods: ``start`` from the first day of
    its period, ``end`` through the last day of its period (``end: 2026-Q1``
    keeps 2026-03-31, ``end: 2026-03`` keeps 2026-03-15). Bounds are parsed by
    `toolkit.intake.periods.parse_period`, the parser that validated them.

    Examples
    --------
    >>> starts = pd.Series(pd.to_datetime(["2025-12-31", "2026-01-01", "2026-03-15", "2026-04-01"]))
    >>> in_window(starts, AssessmentWindow(start="2026-01", end="Q1 2026")).tolist()
    [False, True, True, False]
    """
    starts = pd.to_datetime(period_start)
    keep = np.ones(len(starts), dtype=bool)
    if window is not None and window.start:
        keep &= (starts >= _period_bounds(window.start)[0]).to_numpy()
    if window is not None and window.end:
        keep &= (starts < _period_bounds(window.end)[1]).to_numpy()
    return keep


def _cv(means: pd.Series) -> float:
    """Coefficient of variation (sample SD / |mean|) of department means; NaN below 2 departments."""
    m = means.dropna()
    if len(m) < 2 or m.mean() == 0:
        return float("nan")
    return float(m.std(ddof=1) / abs(m.mean()))


def _change(sxy: np.ndarray, sxx: np.ndarray, span: int) -> np.ndarray:
    """Slope ``sxy / sxx`` times ``span`` periods; NaN where the periods do not vary (one period)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sxx > 1e-12, sxy / np.where(sxx > 1e-12, sxx, 1.0) * span, np.nan)


def score_kpis(operations: pd.DataFrame, kpis: Sequence[KpiDefinition],
               window: AssessmentWindow | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attainment of each KPI overall and per department.

    Parameters
    ----------
    operations
        ``kpi_id, department, period, period_start, value``.
    kpis
        The client's KPI definitions (``better`` decides ``<=`` or ``>=`` target).
    window
        Assessment window on ``period_start`` (inclusive); default every period.

    Returns
    -------
    kpis, kpi_departments
        ``kpi_id, name, area, better, target, unit, n_obs, attainment, mean, cv,
        n_departments, change`` and ``kpi_id, department, n_obs, mean, attainment, change``;
        attainment is the % of (department, period) observations meeting target.
        ``change`` is the trend across the window, in the KPI's unit: the
        least-squares slope of the value on the period's rank, times the
        periods the window spans (first to last). A KPI's slope pools its
        departments' within-department slopes, so a department that reports
        only late does not read as a trend. NaN with a single period.
    """
    defs = pd.DataFrame([{KPI: k.id, "name": k.name, AREA: k.area, "better": k.better,
                          "target": float(k.target), "unit": k.unit} for k in kpis],
                        columns=[KPI, "name", AREA, "better", "target", "unit"])
    n_kpis = len(defs)
    keep = in_window(operations[PERIOD_START], window)
    kpi_code = pd.Index(defs[KPI].astype(object)).get_indexer(operations[KPI].to_numpy()[keep])
    value = operations[VALUE].to_numpy(dtype=float)[keep]
    dept_code, dept_names = pd.factorize(operations[DEPARTMENT].to_numpy()[keep])
    ok = (kpi_code >= 0) & ~np.isnan(value) & (dept_code >= 0)
    kpi_code, dept_code, value = kpi_code[ok], dept_code[ok], value[ok]
    target = defs["target"].to_numpy(dtype=float)[kpi_code]
    lower = (defs["better"] == "lower").to_numpy(dtype=bool)[kpi_code]
    met = np.where(lower, value <= target, value >= target).astype(float)

    # (KPI, department) cells via integer codes and bincount: fast on millions of rows.
    n_dept = len(dept_names)
    order = np.argsort(np.asarray(dept_names, dtype=str), kind="stable")  # departments by name
    rank = np.empty(n_dept, dtype=np.int64)
    rank[order] = np.arange(n_dept)
    cell = kpi_code * n_dept + rank[dept_code]
    size = n_kpis * n_dept
    cnt = np.bincount(cell, minlength=size)
    tot = np.bincount(cell, weights=value, minlength=size)
    hit = np.bincount(cell, weights=met, minlength=size)
    present = np.flatnonzero(cnt)
    # Trend: per cell, the sums of squares of the least-squares line of value on period rank.
    starts = np.asarray(operations[PERIOD_START].to_numpy()[keep])[ok]
    t_code, t_names = pd.factorize(starts, sort=True)
    t = t_code.astype(float)
    s_t = np.bincount(cell, weights=t, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        sxx = np.bincount(cell, weights=t * t, minlength=size) - s_t ** 2 / np.maximum(cnt, 1)
        sxy = np.bincount(cell, weights=t * value, minlength=size) - s_t * tot / np.maximum(cnt, 1)
    span = max(len(t_names) - 1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        by_dept = pd.DataFrame({
            KPI: defs[KPI].to_numpy(dtype=object)[present // max(n_dept, 1)],
            DEPARTMENT: np.asarray(dept_names, dtype=object)[order][present % max(n_dept, 1)],
            "n_obs": cnt[present].astype(np.int64),
            "mean": tot[present] / cnt[present],
            "attainment": 100.0 * hit[present] / cnt[present],
            "change": _change(sxy[present], sxx[present], span)})

    k_cnt = np.bincount(kpi_code, minlength=n_kpis)
    k_tot = np.bincount(kpi_code, weights=value, minlength=n_kpis)
    k_hit = np.bincount(kpi_code, weights=met, minlength=n_kpis)
    out = defs.copy()
    ids = out[KPI].to_numpy(dtype=object)
    cv = by_dept.groupby(KPI)["mean"].apply(_cv) if len(by_dept) else pd.Series(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["n_obs"] = k_cnt.astype(np.int64)
        out["attainment"] = np.where(k_cnt > 0, 100.0 * k_hit / np.maximum(k_cnt, 1), np.nan)
        out["mean"] = np.where(k_cnt > 0, k_tot / np.maximum(k_cnt, 1), np.nan)
    out["cv"] = cv.reindex(ids).to_numpy(dtype=float)
    out["n_departments"] = (cnt.reshape(n_kpis, n_dept) > 0).sum(axis=1).astype(np.int64) if n_dept else 0
    cells_of_kpi = np.repeat(np.arange(n_kpis), n_dept)
    out["change"] = _change(np.bincount(cells_of_kpi, weights=sxy, minlength=n_kpis),
                            np.bincount(cells_of_kpi, weights=sxx, minlength=n_kpis), span)
    return out[KPI_COLUMNS].reset_index(drop=True), by_dept[KPI_DEPT_COLUMNS]


def kpi_observations(operations: pd.DataFrame, kpis: Sequence[KpiDefinition],
                     window: AssessmentWindow | None = None) -> pd.DataFrame:
    """One row per (KPI, department, period) observation in the window: ``kpi_id, area, key, met``.

    ``key`` is ``department|period`` (what pairs an observation across waves);
    ``met`` is 1.0 when the observation meets its target. The bootstrap
    resamples these rows within each KPI.
    """
    area_of = {k.id: k.area for k in kpis}
    target = {k.id: float(k.target) for k in kpis}
    lower = {k.id: k.better == "lower" for k in kpis}
    keep = in_window(operations[PERIOD_START], window)
    ops = operations.loc[keep & operations[KPI].isin(list(area_of)).to_numpy()]
    ops = ops.loc[ops[VALUE].notna()]
    kpi_ids = ops[KPI].astype(str)
    value = ops[VALUE].to_numpy(dtype=float)
    tgt = kpi_ids.map(target).to_numpy(dtype=float)
    low = kpi_ids.map(lower).to_numpy(dtype=bool)
    met = np.where(low, value <= tgt, value >= tgt).astype(float)
    key = ops[DEPARTMENT].astype(str) + "|" + ops[PERIOD_START].astype(str)
    return pd.DataFrame({KPI: kpi_ids.to_numpy(), AREA: kpi_ids.map(area_of).to_numpy(),
                         "key": key.to_numpy(), "met": met})


def evidence_by_area(kpis: pd.DataFrame) -> pd.Series:
    """``E_a`` = mean attainment (%) over the area's KPIs with observations; NaN without any.

    Examples
    --------
    >>> k = pd.DataFrame({"area": ["customer_experience"] * 2, "attainment": [50.0, 100.0]})
    >>> evidence_by_area(k)["customer_experience"], bool(np.isnan(evidence_by_area(k)["proven_processes"]))
    (np.float64(75.0), True)
    """
    means = kpis.groupby(AREA)["attainment"].mean() if len(kpis) else pd.Series(dtype=float)
    return means.reindex(list(AREAS)).astype(float)
