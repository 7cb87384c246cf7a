"""Operations KPIs: ``kpi_id, department, period, value`` checked against ``client.yaml``.

Built for a million rows: text columns are handled as integer codes into
their distinct values, so every check is a numpy operation.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.intake.columns import report_extra_columns, require_columns
from toolkit.intake.files import Table, text_codes
from toolkit.intake.mapping import Mapping, TableMapping
from toolkit.intake.periods import PERIOD_EXPECTED, parse_period
from toolkit.intake.problems import ProblemLog
from toolkit.intake.shaping import shape_table
from toolkit.model import DEPARTMENT, KPI, OPERATIONS_COLUMNS, PERIOD, PERIOD_START, VALUE

EMPTY_OPERATIONS = pd.DataFrame({KPI: pd.Series(dtype="str"), DEPARTMENT: pd.Series(dtype="str"),
                                 PERIOD: pd.Series(dtype="str"), PERIOD_START: pd.Series(dtype="datetime64[ns]"),
                                 VALUE: pd.Series(dtype="float64")})


def to_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return (floats, mask of non-blank cells that are not numbers); accepts decimal commas (``3,5``).

    Examples
    --------
    >>> to_numbers(pd.Series(["1.5", "3,5", None, "x"], dtype=object))
    (array([1.5, 3.5, nan, nan]), array([False, False, False,  True]))
    """
    num = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan, copy=True)
    present = values.notna().to_numpy()
    bad = np.isnan(num) & present
    if bad.any():
        raw = values[bad].astype(str).str.strip()
        fixed = pd.to_numeric(raw.where(raw.str.fullmatch(r"-?\d+,\d+"), None).str.replace(",", ".", regex=False),
                              errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        num[bad] = fixed
        blank_text = (raw == "").to_numpy()
        bad_idx = np.flatnonzero(bad)
        bad[bad_idx[~np.isnan(fixed) | blank_text]] = False
    return num, bad


def _at(labels: np.ndarray, codes: np.ndarray) -> np.ndarray:
    return np.asarray(np.append(labels, np.array([None], dtype=object)).astype(object)[codes])


def read_operations(table: Table, mapping: TableMapping, kpi_ids: list[str] | None,
                    log_: ProblemLog, *, root_mapping: Mapping | None = None) -> pd.DataFrame | None:
    """Check and canonicalise the operations table; None when its columns are unusable.

    Parameters
    ----------
    kpi_ids
        KPI ids defined in ``client.yaml`` (None when it could not be read:
        ids are then not checked).

    Problems: ``missing_column``, ``unknown_column``, ``missing_value``,
    ``unknown_kpi``, ``bad_period``, ``not_a_number``, ``duplicate_key``, and
    the warnings ``kpi_without_data`` and ``missing_value`` (blank value: the
    row is left out).
    """
    file = table.file
    frame = shape_table(table.frame, mapping, "operations", OPERATIONS_COLUMNS, file, log_, root_mapping)
    if not require_columns(frame, OPERATIONS_COLUMNS, file, log_):
        return None
    report_extra_columns(frame, OPERATIONS_COLUMNS, file, log_)
    rows = frame.index.to_numpy()
    kc, kl = text_codes(frame[KPI])
    dc, dl = text_codes(frame[DEPARTMENT])
    for col, codes in ((KPI, kc), (DEPARTMENT, dc)):
        blank = codes < 0
        log_.add_cells(file, "missing_value", rows=rows[blank], columns=col, found=[None] * int(blank.sum()),
                       expected=f"a {col.replace('_', ' ')}")
    if kpi_ids is not None:
        unknown = np.append(~np.isin(kl, kpi_ids), False)[kc]
        log_.add_cells(file, "unknown_kpi", rows=rows[unknown], columns=KPI, found=_at(kl, kc[unknown]),
                       expected="a KPI id defined in client.yaml (" + ", ".join(kpi_ids) + ")")

    pc, pu = pd.factorize(frame[PERIOD].to_numpy(dtype=object), use_na_sentinel=True)
    parsed = [parse_period(u) for u in pu]
    bad_u = np.array([p is None for p in parsed] + [True])  # blank periods are bad too
    bad_period = bad_u[pc]
    log_.add_cells(file, "bad_period", rows=rows[bad_period], columns=PERIOD,
                   found=np.append(np.asarray(pu, dtype=object), np.array([None], dtype=object))[pc[bad_period]], expected=PERIOD_EXPECTED)
    label_codes, labels = pd.factorize(np.array([p[0] if p else None for p in parsed], dtype=object),
                                       use_na_sentinel=True)
    lc = np.append(label_codes, -1)[pc]  # canonical period code per row, -1 when bad
    starts = np.append(pd.DatetimeIndex([p[1] if p else pd.NaT for p in parsed]).to_numpy(dtype="datetime64[ns]"),
                       np.datetime64("NaT", "ns"))[pc]

    value, bad_value = to_numbers(frame[VALUE])
    log_.add_cells(file, "not_a_number", rows=rows[bad_value], columns=VALUE,
                   found=frame[VALUE].to_numpy(dtype=object)[bad_value], expected="a number")
    blank_value = np.isnan(value) & ~bad_value
    log_.add_cells(file, "missing_value", rows=rows[blank_value], columns=VALUE,
                   found=[None] * int(blank_value.sum()), expected="a number (the row is left out)",
                   severity="warning")

    keyed = (kc >= 0) & (dc >= 0) & (lc >= 0)
    key = (kc.astype(np.int64) * (len(dl) + 1) + dc) * (len(labels) + 1) + lc
    dup = pd.Series(key).duplicated(keep="first").to_numpy() & keyed
    log_.add_cells(file, "duplicate_key", rows=rows[dup], columns=PERIOD, found=_at(np.asarray(labels), lc[dup]),
                   expected="one value per KPI, department and period",
                   message="the KPI already has a value for this department and period {found}; expected {expected}")
    if kpi_ids is not None:
        present = set(kl[np.unique(kc[kc >= 0])])
        for k in kpi_ids:
            if k not in present:
                log_.add(file, "kpi_without_data", f"KPI {k!r} is defined in client.yaml but has no rows here; "
                         "its area's evidence will rest on the other KPIs", column=KPI, found=k,
                         expected="at least one row per KPI", severity="warning")
    keep = keyed & ~np.isnan(value)
    return pd.DataFrame({
        KPI: pd.Series(_at(kl, kc[keep]), dtype="str"),
        DEPARTMENT: pd.Series(_at(dl, dc[keep]), dtype="str"),
        PERIOD: pd.Series(_at(np.asarray(labels), lc[keep]), dtype="str"),
        PERIOD_START: pd.Series(starts[keep], dtype="datetime64[ns]"),
        VALUE: value[keep],
    })
