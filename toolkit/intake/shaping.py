"""Row-level mapping steps: exact duplicates, questions left out, aliases, row filters, value recodes.

Each step takes a frame (index = spreadsheet row) and returns a new one; the
input is never mutated. Column keys in ``filter`` and ``recode`` may name the
export's column (``Dept``) or the contract column it becomes
(``department``), including a long export's attribute rows.

Order in the interviews table (see `toolkit.intake.ratings.read_ratings`):
duplicates -> ignore -> aliases -> (long pivot) -> rename -> filter -> recode
-> drop -> levels.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Callable

import numpy as np
import pandas as pd

from toolkit.intake.files import cell_text, text_column
from toolkit.intake.mapping import InterviewsMapping, Mapping, RowFilter, TableMapping, normalise_label
from toolkit.intake.problems import ProblemLog

SHOWN_ROWS = 8


def _fold(value: object) -> str:
    return normalise_label(cell_text(value) or "")


def drop_duplicate_rows(frame: pd.DataFrame, mapping: TableMapping, file: str, log_: ProblemLog,
                        key: str) -> pd.DataFrame:
    """Drop rows identical in every cell to an earlier row, with one counted warning.

    Only when ``drop_duplicates: true``; otherwise duplicates reach the key checks
    (``duplicate_key``), whose message points here.
    """
    if not mapping.drop_duplicates or frame.empty:
        return frame
    dup = frame.astype(object).where(frame.notna(), None).map(cell_text).duplicated(keep="first").to_numpy()
    n = int(dup.sum())
    if n:
        rows = frame.index[dup].tolist()
        shown = ", ".join(str(r) for r in rows[:SHOWN_ROWS]) + (" ..." if n > SHOWN_ROWS else "")
        log_.add(file, "duplicate_rows_dropped",
                 f"{n:,} exact duplicate row{'s' if n != 1 else ''} dropped ({key}: true): rows {shown}",
                 row=rows[0], found=f"{n} rows", expected="each row once", severity="warning", count=n)
    return frame.loc[~dup]


def ignore_questions(frame: pd.DataFrame, mapping: InterviewsMapping) -> pd.DataFrame:
    """Leave out the questions listed in ``ignore`` (wide: columns; long: question rows)."""
    if not mapping.ignore:
        return frame
    ignored = {normalise_label(q) for q in mapping.ignore}
    if mapping.long is not None:
        if mapping.long.question not in frame.columns:
            return frame
        keep = ~frame[mapping.long.question].map(_fold).isin(ignored).to_numpy()
        return frame.loc[keep]
    return frame.drop(columns=[c for c in frame.columns if normalise_label(c) in ignored])


def apply_aliases(frame: pd.DataFrame, mapping: InterviewsMapping, file: str, log_: ProblemLog) -> pd.DataFrame:
    """Spell every alias of a question as its one name (``aliases: {other spelling: name}``).

    Long exports: question labels are replaced. Wide exports: the alias column is
    merged into the named column; a row answering both is a ``duplicate_key`` error.
    """
    if not mapping.aliases:
        return frame
    folded = {normalise_label(k): v for k, v in mapping.aliases.items()}
    if mapping.long is not None:
        q = mapping.long.question
        if q not in frame.columns:
            return frame
        labels = text_column(frame[q])
        return frame.assign(**{q: labels.map(lambda t: folded.get(normalise_label(t), t) if t else t)})
    out = frame
    for col in list(frame.columns):
        target = folded.get(normalise_label(col))
        if target is None or target == col:
            continue
        if target not in out.columns:
            out = out.rename(columns={col: target})
            continue
        a, b = out[target], out[col]
        both = (a.notna() & b.notna()).to_numpy()
        log_.add_cells(file, "duplicate_key", rows=out.index[both], columns=col, found=b[both].to_numpy(),
                       expected=f"one answer to {target!r} (aliases.{col} names the same question)",
                       message="{found} answers a question already answered in its other spelling; "
                               "expected {expected}")
        out = out.assign(**{target: a.where(a.notna(), b)}).drop(columns=[col])
    return out


def resolve_column(frame: pd.DataFrame, key: str, mapping: TableMapping) -> str | None:
    """Return the frame column a ``filter``/``recode`` key names (export or contract name), or None."""
    if key in frame.columns:
        return key
    candidates = [mapping.rename.get(key)]
    long = getattr(mapping, "long", None)
    if long is not None:
        attr = long.attributes.get(key)
        candidates += [attr, mapping.rename.get(attr or "")]
    folded = {c.casefold(): c for c in frame.columns}
    for c in candidates:
        if c and c in frame.columns:
            return c
    return folded.get(key.casefold())


def _matcher(values: list[str | float]) -> Callable[[object], bool]:
    pats = [_fold(v) for v in values]

    def hit(text: object) -> bool:
        t = _fold(text)
        return any(fnmatch.fnmatchcase(t, p) for p in pats)
    return hit


def filter_rows(frame: pd.DataFrame, mapping: TableMapping, table_key: str, m: Mapping,
                log_: ProblemLog) -> tuple[pd.DataFrame, list[str]]:
    """Keep and drop rows as ``filter`` says; return the frame and the filter columns used.

    A key naming no column is a ``bad_mapping`` error at its key path.
    """
    filt: RowFilter = mapping.filter
    keep = np.ones(len(frame), dtype=bool)
    used: list[str] = []
    for kind, rules in (("keep", filt.keep), ("drop", filt.drop)):
        for key, values in rules.items():
            col = resolve_column(frame, key, mapping)
            if col is None:
                _missing_key(log_, m, f"{table_key}.filter.{kind}.{key}", key, frame)
                continue
            used.append(col)
            codes, uniques = pd.factorize(frame[col].to_numpy(dtype=object), use_na_sentinel=True)
            hit = _matcher(values)
            per = np.array([hit(u) for u in uniques] + [hit(None)], dtype=bool)[codes]
            keep &= per if kind == "keep" else ~per
    return frame.loc[keep], used


def recode_values(frame: pd.DataFrame, mapping: TableMapping, table_key: str, m: Mapping,
                  log_: ProblemLog) -> pd.DataFrame:
    """Replace values per column (``recode: {department: {"Not Stated": null, Ops: Operations}}``).

    Matching ignores case and spacing; ``null`` makes the cell blank.
    """
    out = frame
    for key, table in mapping.recode.items():
        col = resolve_column(out, key, mapping)
        if col is None:
            _missing_key(log_, m, f"{table_key}.recode.{key}", key, frame)
            continue
        folded = {_fold(k): (None if v is None else cell_text(v)) for k, v in table.items()}
        codes, uniques = pd.factorize(out[col].to_numpy(dtype=object), use_na_sentinel=True)
        new = np.array([folded.get(_fold(u), u) if _fold(u) in folded else u for u in uniques] + [None],
                       dtype=object)[codes]
        out = out.assign(**{col: pd.Series(new, index=out.index, dtype=object)})
    return out


def _missing_key(log_: ProblemLog, m: Mapping, path: str, key: str, frame: pd.DataFrame) -> None:
    import difflib

    file, line = m.where(path)
    cols = [str(c) for c in frame.columns]
    close = difflib.get_close_matches(key, cols, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    log_.add(file, "bad_mapping", f"{path} names column {key!r}, which the table does not have{hint} "
             f"columns are {cols}", row=line, column=path, found=key, expected="a column of the export")


def shape_interviews(frame: pd.DataFrame, mapping: InterviewsMapping, file: str, log_: ProblemLog,
                     m: Mapping) -> pd.DataFrame:
    """Apply every mapping step to the raw interviews frame, up to contract columns and levels."""
    from toolkit.intake.mapping import assign_levels, drop_columns, pivot_long, rename_columns
    from toolkit.model import RATINGS_COLUMNS

    frame = drop_duplicate_rows(frame, mapping, file, log_, "interviews.drop_duplicates")
    frame = drop_columns(frame, (), identifying=True)
    frame = ignore_questions(frame, mapping)
    frame = apply_aliases(frame, mapping, file, log_)
    if mapping.long is not None:
        frame = pivot_long(frame, mapping.long, mapping.rename)
    frame = rename_columns(frame, mapping.rename, RATINGS_COLUMNS)
    frame, used = filter_rows(frame, mapping, "interviews", m, log_)
    frame = recode_values(frame, mapping, "interviews", m, log_)
    frame = drop_columns(frame, mapping.drop, identifying=False)
    frame = frame.drop(columns=[c for c in set(used) if c in frame.columns and c not in RATINGS_COLUMNS])
    return assign_levels(frame, mapping.levels)


def shape_table(frame: pd.DataFrame, mapping: TableMapping, table_key: str, canonical: list[str], file: str,
                log_: ProblemLog, m: Mapping | None) -> pd.DataFrame:
    """Apply duplicates, drop, rename, filter and recode to an operations or excerpts frame."""
    from toolkit.intake.mapping import drop_columns, rename_columns

    m = m or Mapping()
    frame = drop_duplicate_rows(frame, mapping, file, log_, f"{table_key}.drop_duplicates")
    frame = rename_columns(drop_columns(frame, mapping.drop), mapping.rename, canonical)
    frame, used = filter_rows(frame, mapping, table_key, m, log_)
    frame = recode_values(frame, mapping, table_key, m, log_)
    return frame.drop(columns=[c for c in set(used) if c in frame.columns and c not in canonical])
