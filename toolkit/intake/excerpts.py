"""Coded interview excerpts (``respondent_id, area, theme, text``) and the roster of names."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.intake.columns import report_extra_columns, require_columns
from toolkit.intake.files import Table, read_table, text_column
from toolkit.intake.mapping import TableMapping, rename_columns
from toolkit.intake.problems import ProblemLog
from toolkit.intake.shaping import shape_table
from toolkit.model import AREA, AREA_LABELS, AREAS, EXCERPTS_COLUMNS, RESPONDENT, TEXT, THEME

EMPTY_EXCERPTS = pd.DataFrame({c: pd.Series(dtype="str") for c in EXCERPTS_COLUMNS})
_AREA_ALIASES = {**{a: a for a in AREAS},
                 **{re.sub(r"[^a-z]", "", label.lower()): a for a, label in AREA_LABELS.items()}}


def area_id(text: str | None) -> str | None:
    """Return the area id of an id or label in any case/spacing, else None.

    Examples
    --------
    >>> area_id("Customer Experience"), area_id("proven_processes"), area_id("pricing")
    ('customer_experience', 'proven_processes', None)
    """
    if text is None:
        return None
    return _AREA_ALIASES.get(text) or _AREA_ALIASES.get(re.sub(r"[^a-z]", "", text.lower()))


def read_excerpts(table: Table, mapping: TableMapping, respondents: set[str] | None,
                  log_: ProblemLog) -> pd.DataFrame | None:
    """Check the excerpts table; ``theme`` may be blank or absent.

    Problems: ``missing_column``, ``unknown_column``, ``missing_value``,
    ``unknown_area``, ``unknown_respondent`` (when ``respondents`` is known).
    """
    file = table.file
    frame = shape_table(table.frame, mapping, "excerpts", EXCERPTS_COLUMNS, file, log_, None)
    if THEME not in frame.columns:
        frame = frame.assign(**{THEME: np.nan})
    if not require_columns(frame, EXCERPTS_COLUMNS, file, log_):
        return None
    report_extra_columns(frame, EXCERPTS_COLUMNS + list(OPTIONAL_COLUMNS), file, log_)
    rows = frame.index.to_numpy()
    resp, text = text_column(frame[RESPONDENT]), text_column(frame[TEXT])
    raw_area = text_column(frame[AREA])
    area = raw_area.map(area_id)
    for col, series in ((RESPONDENT, resp), (TEXT, text)):
        blank = series.isna().to_numpy()
        log_.add_cells(file, "missing_value", rows=rows[blank], columns=col, found=[None] * int(blank.sum()),
                       expected=f"a {col.replace('_', ' ')}")
    bad = area.isna().to_numpy()
    log_.add_cells(file, "unknown_area", rows=rows[bad], columns=AREA, found=raw_area[bad].to_numpy(),
                   expected="/".join(AREAS))
    if respondents is not None:
        stray = (resp.notna() & ~resp.isin(respondents)).to_numpy()
        log_.add_cells(file, "unknown_respondent", rows=rows[stray], columns=RESPONDENT,
                       found=resp[stray].to_numpy(), expected="a respondent_id of the interviews file")
    theme = text_column(frame[THEME]).fillna("")
    out = pd.DataFrame({RESPONDENT: resp.astype("str"), AREA: area.astype("str"), THEME: theme.astype("str"),
                        TEXT: text.astype("str")})
    for col in OPTIONAL_COLUMNS:
        if col in frame.columns:
            out[col] = _optional_column(frame, col, file, log_)
    return out.reset_index(drop=True)


#: Optional consultant coding: ``sentiment`` (positive / neutral / negative or a number in [-1, 1]; it wins
#: over the automatic score) and ``kind`` (quote / note; a note is never shown as a quote).
OPTIONAL_COLUMNS = ("sentiment", "kind")


def _optional_column(frame: pd.DataFrame, col: str, file: str, log_: ProblemLog) -> pd.Series:
    """The normalised ``sentiment`` or ``kind`` column ("" when blank); bad values are problems."""
    from toolkit.sentiment import KINDS, coded_label

    raw = text_column(frame[col])
    values, bad = [], []
    for v in raw:
        if v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip():
            values.append("")
            bad.append(False)
            continue
        try:
            norm = coded_label(v) if col == "sentiment" else str(v).strip().casefold()
            ok = norm is not None and (col == "sentiment" or norm in KINDS)
        except ValueError:
            norm, ok = "", False
        values.append(norm if ok and norm is not None else "")
        bad.append(not ok)
    mask = np.array(bad, dtype=bool)
    rows = frame.index.to_numpy()
    expected = ("positive, neutral, negative or a number in [-1, 1]" if col == "sentiment"
                else "quote or note")
    log_.add_cells(file, "invalid_value", rows=rows[mask], columns=col, found=raw[mask].to_numpy(),
                   expected=expected)
    return pd.Series(values, index=frame.index, dtype="object")


def read_roster(path: Path, root: Path, log_: ProblemLog) -> list[str]:
    """Return the names in ``roster.csv`` (column ``name``; identifying columns are wanted here)."""
    table = read_table(path, root, log_)
    if table is None:
        return []
    frame = rename_columns(table.frame, {}, ["name"])
    if not require_columns(frame, ["name"], table.file, log_):
        return []
    names = text_column(frame["name"]).dropna()
    return list(dict.fromkeys(names.tolist()))
