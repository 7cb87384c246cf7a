"""The question bank: the firm's ``templates/question_bank.csv`` or a client's ``questions.csv``.

Columns ``question_id, area, text, reverse, outcome``; ``area`` is an area id,
``outcome`` or ``unused`` (a question in the export left out on purpose);
``reverse`` and ``outcome`` are true/false. ``outcome: true`` makes an outcome
item whatever ``area`` says (blank is fine; a scoring area is warned about). A bad firm bank is
our error (`DefinitionError`); a bad client override is the client's
(problems, then `ClientDataError`).
"""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import DefinitionError
from toolkit.intake.columns import report_extra_columns, require_columns
from toolkit.intake.files import read_table, text_column
from toolkit.intake.problems import ProblemLog
from toolkit.model import (
    AREA,
    AREAS,
    OUTCOME,
    OUTCOME_AREA,
    QUESTION,
    QUESTIONS_COLUMNS,
    REVERSE,
    TEXT,
    format_problems,
)
from toolkit.run import resources

BANK = resources.question_bank_path()
UNUSED_AREA = "unused"  # questions.csv rows left out on purpose: recognised in the export, never scored
_BOOL = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False, "y": True, "n": False}


def check_questions(path: Path, root: Path, log_: ProblemLog) -> pd.DataFrame | None:
    """Read and check a question bank file; problems go to ``log_``; None when unusable."""
    table = read_table(path, root, log_)
    if table is None:
        return None
    frame, file = table.frame, table.file
    if not require_columns(frame, QUESTIONS_COLUMNS, file, log_):
        return None
    report_extra_columns(frame, QUESTIONS_COLUMNS, file, log_)
    rows = frame.index.to_numpy()
    out = {c: text_column(frame[c]) for c in QUESTIONS_COLUMNS}
    for col in (QUESTION, TEXT):
        blank = out[col].isna().to_numpy()
        log_.add_cells(file, "missing_value", rows=rows[blank], columns=col, found=[None] * int(blank.sum()),
                       expected=f"a {col.replace('_', ' ')}")
    dup = (out[QUESTION].duplicated() & out[QUESTION].notna()).to_numpy()
    log_.add_cells(file, "duplicate_key", rows=rows[dup], columns=QUESTION, found=out[QUESTION][dup].to_numpy(),
                   expected="each question id once", message="question {found} is listed twice; expected {expected}")
    flags = {}
    for col in (REVERSE, OUTCOME):
        low = out[col].map(lambda v: None if v is None else v.casefold())
        bad = ~low.isin(list(_BOOL)).to_numpy()
        log_.add_cells(file, "not_a_boolean", rows=rows[bad], columns=col, found=out[col][bad].to_numpy(),
                       expected="true or false")
        flags[col] = low.map(_BOOL).fillna(False).astype(bool)
    # outcome: true makes an outcome item whatever the area says (blank, outcome or a scoring area)
    is_outcome = flags[OUTCOME].to_numpy()
    named = (is_outcome & out[AREA].isin(list(AREAS)).to_numpy())
    log_.add_cells(file, "outcome_area", rows=rows[named], columns=AREA, found=out[AREA][named].to_numpy(),
                   expected="outcome (outcome items are not scored in an area)",
                   message="outcome is true, so this item is an outcome item and area {found} is not used; "
                           "expected {expected}", severity="warning")
    out[AREA] = out[AREA].where(~is_outcome, OUTCOME_AREA)
    allowed = list(AREAS) + [OUTCOME_AREA, UNUSED_AREA]
    bad_area = ~out[AREA].isin(allowed).to_numpy()
    log_.add_cells(file, "unknown_area", rows=rows[bad_area], columns=AREA, found=out[AREA][bad_area].to_numpy(),
                   expected="/".join(allowed))
    flags[OUTCOME] = flags[OUTCOME] | (out[AREA] == OUTCOME_AREA)
    return pd.DataFrame({
        QUESTION: out[QUESTION].astype("str"), AREA: out[AREA].astype("str"), TEXT: out[TEXT].astype("str"),
        REVERSE: flags[REVERSE].to_numpy(), OUTCOME: flags[OUTCOME].to_numpy(),
    }).loc[~np.asarray(dup)].reset_index(drop=True)


def drop_unused(ratings: pd.DataFrame, unused: list[str]) -> pd.DataFrame:
    """Return the ratings without answers to questions whose area is ``unused``."""
    if not unused:
        return ratings
    return ratings.loc[~ratings[QUESTION].isin(unused)].reset_index(drop=True)


def load_question_bank(path: str | Path | None = None) -> pd.DataFrame:
    """Return the firm's question bank (or the bank at ``path``) as a checked frame.

    Parameters
    ----------
    path
        A bank CSV; default ``templates/question_bank.csv``.

    Returns
    -------
    DataFrame
        ``question_id, area, text, reverse, outcome`` (``reverse``/``outcome`` bool).

    Raises
    ------
    DefinitionError
        When the bank is missing or fails any check.

    Examples
    --------
    >>> bank = load_question_bank()
    >>> sorted(bank["area"].unique())[:2]
    ['customer_experience', 'management_style']
    """
    path = Path(path) if path is not None else BANK
    if not path.is_file():
        raise DefinitionError(f"question bank {path} does not exist")
    stat = path.stat()
    return _load_bank(path.resolve(), stat.st_mtime_ns, stat.st_size).copy()


@functools.lru_cache(maxsize=8)
def _load_bank(path: Path, mtime_ns: int, size: int) -> pd.DataFrame:
    """Read and check a bank once per file version (the key holds mtime and size)."""
    log_ = ProblemLog()
    bank = check_questions(path, path.parent, log_)
    if log_.errors or bank is None:
        raise DefinitionError(format_problems(log_.errors or log_.problems, title="question bank problems"))
    return bank
