"""Column checks shared by every table: required columns (with a suggestion) and extras."""
from __future__ import annotations

import difflib

import pandas as pd

from toolkit.intake.problems import ProblemLog


def require_columns(frame: pd.DataFrame, required: list[str], file: str, log_: ProblemLog) -> bool:
    """Record ``missing_column`` for each absent column; return True when all are there.

    The message suggests the closest present column (difflib), e.g. ``column
    'department' is missing; did you mean 'departement'? columns are [...]``.
    """
    present = [str(c) for c in frame.columns]
    ok = True
    for col in required:
        if col in present:
            continue
        ok = False
        close = difflib.get_close_matches(col, [c for c in present if c not in required], n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}? columns are" if close else "; columns are"
        log_.add(file, "missing_column", f"column {col!r} is missing{hint} {present}",
                 row=1, column=col, expected=col, found=close[0] if close else None)
    return ok


def report_extra_columns(frame: pd.DataFrame, allowed: list[str], file: str, log_: ProblemLog) -> None:
    """Record ``unknown_column`` for each column outside ``allowed`` (data must not be lost silently)."""
    for col in frame.columns:
        if col not in allowed:
            close = difflib.get_close_matches(str(col), allowed, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ";"
            log_.add(file, "unknown_column",
                     f"column {col!r} is not expected here{hint} expected columns are {allowed} "
                     "(drop, rename or, for a question, ignore it in mapping.yaml)",
                     row=1, column=str(col), found=str(col), expected=", ".join(allowed))
