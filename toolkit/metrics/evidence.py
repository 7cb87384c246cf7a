"""Evidence ``E``: how often the operations KPIs meet their strategic targets (DESIGN 2.1)."""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np
import pandas as pd

from toolkit.config import AssessmentWindow, KpiDefinition
from toolkit.model import AREA, AREAS, DEPARTMENT, KPI, PERIOD_START, VALUE

KPI_COLUMNS = [KPI, "name", AREA, "better", "target", "unit", "n_obs", "attainment", "mean", "cv", "n_departments"]
KPI_DEPT_COLUMNS = [KPI, DEPARTMENT, "n_obs", "mean", "attainment"]
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")


def parse_period(text: str) -> pd.Timestamp:
    """First day of a period label: ``2026-03``, ``2026-Q1``, ``2026-03-15`` or ``2026``.

    Examples
    --------
    >>> parse_period("2026-Q2"), parse_period("2026-03")
    (Timestamp('2026-04-01 00:00:00'), Timestamp('2026-03-01 00:00:00'))
    """
    text = str(text).strip()
    q = _QUARTER.match(text)
    if q:
        return pd.Timestamp(year=int(q.group(1)), month=3 * int(q.group(2)) - 2, day=1)
    return pd.Timestamp(text)


def in_window(period_start: pd.Series, window: AssessmentWindow | None) -> np.ndarray:
    """Bool mask of observations whose ``period_start`` lies in the window (inclusive)."""
    starts = pd.to_datetime(period_start)
    keep = np.ones(len(starts), dtype=bool)
    if window is not None and window.start:
        keep &= (starts >= parse_period(window.start)).to_numpy()
    if window is not None and window.end:
        keep &= (starts <= parse_period(window.end)).to_numpy()
    return keep


def _cv(means: pd.Series) -> float:
    """Coefficient of variation (sample SD / |mean|) of department means; NaN below 2 departments."""
    m = means.dropna()
    if len(m) < 2 or m.mean() == 0:
        return float("nan")
    return float(m.std(ddof=1) / abs(m.mean()))


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
        n_departments`` and ``kpi_id, department, n_obs, mean, attainment``;
        attainment is the % of (department, period) observations meeting target.
    """
    defs = pd.DataFrame([{KPI: k.id, "name": k.name, AREA: k.area, "better": k.better,
                          "target": float(k.target), "unit": k.unit} for k in kpis],
                        columns=[KPI, "name", AREA, "better", "target", "unit"])
    ops = operations.loc[in_window(operations[PERIOD_START], window), [KPI, DEPARTMENT, VALUE]]
    ops = ops[ops[KPI].isin(defs[KPI])]
    value = ops[VALUE].to_numpy(dtype=float)
    kpi_ids = ops[KPI].to_numpy(dtype=object)
    target = pd.Series(defs["target"].to_numpy(), index=defs[KPI].to_numpy(dtype=object))
    lower = pd.Series((defs["better"] == "lower").to_numpy(), index=target.index)
    t = target.reindex(kpi_ids).to_numpy(dtype=float)
    lo = lower.reindex(kpi_ids).to_numpy(dtype=bool)
    ok = ~np.isnan(value)
    met = np.where(lo, value <= t, value >= t)
    frame = pd.DataFrame({KPI: kpi_ids[ok], DEPARTMENT: ops[DEPARTMENT].to_numpy(dtype=object)[ok],
                          VALUE: value[ok], "met": met[ok].astype(float)})

    by_dept = frame.groupby([KPI, DEPARTMENT], sort=True).agg(
        n_obs=(VALUE, "size"), mean=(VALUE, "mean"), attainment=("met", "mean")).reset_index()
    by_dept["attainment"] *= 100.0
    by_dept["n_obs"] = by_dept["n_obs"].astype(np.int64)

    overall = frame.groupby(KPI, sort=False).agg(n_obs=(VALUE, "size"), mean=(VALUE, "mean"),
                                                 attainment=("met", "mean"))
    cv = by_dept.groupby(KPI)["mean"].apply(_cv) if len(by_dept) else pd.Series(dtype=float)
    n_dep = by_dept.groupby(KPI)[DEPARTMENT].nunique() if len(by_dept) else pd.Series(dtype=float)
    out = defs.copy()
    ids = out[KPI].to_numpy(dtype=object)
    out["n_obs"] = overall["n_obs"].reindex(ids).fillna(0).to_numpy(dtype=np.int64)
    out["attainment"] = 100.0 * overall["attainment"].reindex(ids).to_numpy(dtype=float)
    out["mean"] = overall["mean"].reindex(ids).to_numpy(dtype=float)
    out["cv"] = cv.reindex(ids).to_numpy(dtype=float)
    out["n_departments"] = n_dep.reindex(ids).fillna(0).to_numpy(dtype=np.int64)
    return out[KPI_COLUMNS].reset_index(drop=True), by_dept[KPI_DEPT_COLUMNS]


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
