"""Checks that point at what the user wrote: mapping keys naming columns the export lacks,
and cross-table checks (a respondent key that identifies answers, KPI departments and
periods that match nothing in the survey or the wave).

Every problem caused by a ``mapping.yaml`` key names the key path
(``interviews.long.answer``) and its line in the mapping file.
"""
from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd

from toolkit.intake.mapping import Mapping, drop_columns
from toolkit.intake.problems import ProblemLog
from toolkit.model import DEPARTMENT, PERIOD, PERIOD_START, QUESTION, RESPONDENT
from toolkit.reasons import Reason

SHOWN = 5


def _key_problem(log_: ProblemLog, m: Mapping, path: str, name: str, columns: list[str], what: str) -> None:
    file, line = m.where(path)
    close = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    log_.add(file, "bad_mapping", f"{path} names {what} {name!r}, which the export does not have{hint} "
             f"columns are {columns}", row=line, column=path, found=name, expected="a column of the export")


def check_interview_keys(frame: pd.DataFrame, m: Mapping, log_: ProblemLog) -> bool:
    """Check that interview mapping keys name real export columns; False when the table cannot be read.

    Checked: ``interviews.long.respondent/question/answer`` (fatal when absent),
    ``interviews.levels.column`` and each ``interviews.levels.flags`` key.
    """
    im = m.interviews
    columns = [str(c) for c in drop_columns(frame, im.drop).columns]
    ok = True
    if im.long is not None:
        for key in ("respondent", "question", "answer"):
            name = getattr(im.long, key)
            if name not in columns:
                _key_problem(log_, m, f"interviews.long.{key}", name, columns, "column")
                ok = False
        if not ok:
            return False
    renamed = {v: k for k, v in im.rename.items()}
    attributes = set(im.long.attributes.values()) if im.long is not None else set()
    lv = im.levels
    if lv.column is not None and lv.column not in columns and lv.column not in attributes \
            and renamed.get(lv.column) not in columns:
        _key_problem(log_, m, "interviews.levels.column", lv.column, columns, "column")
    for flag in lv.flags:
        if flag not in columns and flag not in attributes:
            _key_problem(log_, m, f"interviews.levels.flags.{flag}", flag, columns, "role-flag column")
    return True


def check_respondent_key(ratings: pd.DataFrame, file: str, m: Mapping, log_: ProblemLog) -> None:
    """Error ``answer_key_as_respondent`` when most respondents answer exactly one question.

    Such a key identifies answers, not people: every answer would count as a
    person (interview counts, privacy thresholds). The ``low_completion`` flood
    it causes is removed, the one error says why and how to fix it.
    """
    if ratings is None or ratings.empty:
        return
    n_items = ratings[QUESTION].nunique()
    per = ratings.groupby(RESPONDENT, sort=False)[QUESTION].nunique()
    if n_items < 3 or len(per) < 10:
        return
    single = int((per == 1).sum())
    if single < 0.8 * len(per):
        return
    im = m.interviews
    key: str | None
    if im.long is not None:
        key, source = "interviews.long.respondent", im.long.respondent
    else:
        source = next((k for k, v in im.rename.items() if v == RESPONDENT), RESPONDENT)
        key = f"interviews.rename.{source}" if source != RESPONDENT else None
    where = f" ({key})" if key else ""
    log_.problems[:] = [p for p in log_.problems if not (p.file == file and p.reason == Reason.low_completion)]
    log_.add(file, "answer_key_as_respondent",
             f"{single:,} of {len(per):,} respondent ids answer exactly one of the {n_items} questions: column "
             f"{source!r}{where} identifies answers, not people, so every answer would count as a person "
             "(interview counts, privacy thresholds). Map the respondent to the column that identifies a "
             "person (a respondent, session or employee id); if the export has none, ask the survey owner "
             "for one", column=RESPONDENT, found=f"{single} single-answer ids",
             expected="respondents who answer most questions")


def check_operations_fit(ops: pd.DataFrame | None, ratings: pd.DataFrame | None, wave: str | None,
                         window: tuple[str | None, str | None], file: str, log_: ProblemLog,
                         rows: pd.Series | None = None) -> None:
    """Warn about KPI departments no respondent belongs to and periods outside the wave's window.

    The window runs from the year before the wave's year (a 4-digit year in the
    wave name) to the year after; with ``assessment_window`` set, that window
    already picks the evidence and periods are not warned about.
    """
    if ops is None or ops.empty:
        return
    if ratings is not None and not ratings.empty:
        survey = set(ratings[DEPARTMENT].unique())
        fold = {d.casefold(): d for d in survey}
        for dept_key, part in ops.groupby(DEPARTMENT, sort=True):
            dept = str(dept_key)
            if dept in survey:
                continue
            close = fold.get(dept.casefold()) or next(iter(difflib.get_close_matches(dept, sorted(survey), n=1)), None)
            hint = f"; did you mean {close!r}? (merge spellings with operations.recode)" if close else ""
            log_.add(file, "unmatched_department",
                     f"KPI department {dept!r} ({len(part):,} rows) matches no survey department{hint}; "
                     "its KPIs will not be compared with any team's ratings", column=DEPARTMENT, found=dept,
                     expected="a department of interviews", severity="warning", count=len(part))
    start, end = _window(wave, window)
    if start is None and end is None:
        return
    ps = ops[PERIOD_START]
    outside = np.zeros(len(ops), dtype=bool)
    if start is not None:
        outside |= (ps < start).to_numpy()
    if end is not None:
        outside |= (ps > end).to_numpy()
    n = int(outside.sum())
    if n:
        periods = sorted(pd.unique(ops.loc[outside, PERIOD]))
        shown = ", ".join(periods[:SHOWN]) + (" ..." if len(periods) > SHOWN else "")
        span = f"{start.date() if start is not None else '...'} to {end.date() if end is not None else '...'}"
        log_.add(file, "period_outside_wave",
                 f"{n:,} KPI rows have periods outside the wave's window ({span}): {shown}; check the "
                 "export's dates, or set assessment_window in client.yaml", column=PERIOD, found=periods[0],
                 expected=f"periods from {span}", severity="warning", count=n)


def _window(wave: str | None, window: tuple[str | None, str | None]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The wave's window: none when ``assessment_window`` is set (it already picks the evidence), else
    1 January of the year before the wave's year to 31 December of the year after."""
    if any(window):
        return None, None
    m = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", wave or "")
    if not m:
        return None, None
    year = int(m.group(0))
    return pd.Timestamp(year - 1, 1, 1), pd.Timestamp(year + 1, 12, 31)
