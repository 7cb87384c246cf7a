"""Interview ratings: tidy or wide (auto-detected), mapped onto 1-5 and validated.

Tidy: ``respondent_id, department, level, question_id, rating``, one row per
answer. Wide: ``respondent_id, department, level`` and one column per
question id (the firm's intake workbook). A one-row-per-answer export with
other column names is handled by ``mapping.yaml`` (``long:``).

All checks are vectorised; each distinct answer text is parsed once.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.intake.columns import report_extra_columns, require_columns
from toolkit.intake.files import Table, cell_text, text_column
from toolkit.intake.mapping import InterviewsMapping, Mapping, normalise_label
from toolkit.intake.problems import ProblemLog
from toolkit.intake.shaping import shape_interviews
from toolkit.model import (
    DEFAULT_SCALE,
    DEPARTMENT,
    LEVEL,
    LEVELS,
    QUESTION,
    RATING,
    RATINGS_COLUMNS,
    RESPONDENT,
    RatingScale,
)
from toolkit.rules import MIN_GROUP_SIZE

DEFAULT_NOT_APPLICABLE = frozenset({"na", "n/a", "n.a.", "not applicable", "-"})
_OK, _NA, _NAN, _RANGE = 0, 1, 2, 3
PERSON_COLUMNS = [RESPONDENT, DEPARTMENT, LEVEL]


@dataclass
class RatingsResult:
    """Tidy ratings plus what later checks need (first row of each respondent)."""

    ratings: pd.DataFrame
    first_rows: pd.Series  # respondent_id -> spreadsheet row of their first appearance
    departments: pd.Series  # respondent_id -> department
    scale: RatingScale = DEFAULT_SCALE  # the native answer scale of the export


def _to_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        if text.count(",") == 1 and text.replace(",", "", 1).lstrip("-").isdigit():
            return float(text.replace(",", "."))  # decimal comma
        return None


def parse_answers(raw: np.ndarray, mapping: InterviewsMapping) -> tuple[np.ndarray, np.ndarray]:
    """Return (rating on 1-5 or NaN, status code) for every answer cell.

    Labels and numbers are read on the native scale (``mapping.scale``) and
    stored on 1-5 for display.

    Status: 0 a rating, 1 missing or not applicable, 2 not a number/label, 3 off the scale.
    Each distinct cell value is parsed once.
    """
    scale = mapping.scale
    labels = scale.label_values()
    na_codes = set(DEFAULT_NOT_APPLICABLE) | {normalise_label(cell_text(v) or "") for v in mapping.not_applicable}
    codes, uniques = pd.factorize(pd.Series(raw, dtype=object), use_na_sentinel=True)
    values = np.full(len(uniques) + 1, np.nan)
    status = np.full(len(uniques) + 1, _NA, dtype=np.int8)
    for i, u in enumerate(uniques):
        text = cell_text(u)
        if text is None:
            continue
        norm = normalise_label(text)
        if norm in na_codes:
            continue
        if norm in labels:
            values[i], status[i] = scale.rescale(np.array([labels[norm]]))[0], _OK
            continue
        x = _to_float(text)
        if x is None or not np.isfinite(x):
            status[i] = _NAN
        elif scale.min <= x <= scale.high:
            values[i], status[i] = scale.rescale(np.array([x]))[0], _OK
        else:
            status[i] = _RANGE
    return values[codes], status[codes]


def _expected_rating(mapping: InterviewsMapping) -> str:
    s = mapping.scale
    text = f"a rating {s.min:g}-{s.high:g}"
    return text + " or a scale label" if s.label_values() else text


def read_ratings(table: Table, mapping: InterviewsMapping, question_ids: list[str], log_: ProblemLog,
                 *, min_group_size: int = MIN_GROUP_SIZE, root_mapping: Mapping | None = None) -> RatingsResult | None:
    """Map, check and tidy the interviews table; None when its columns are unusable.

    Problems recorded: ``missing_column``, ``unknown_column``, ``unknown_question``,
    ``out_of_range``, ``not_a_number``, ``missing_value``, ``unknown_level``,
    ``duplicate_key``, ``inconsistent_respondent``, ``no_ratings`` and the
    warnings ``low_completion``, ``small_group``.
    """
    file = table.file
    frame = shape_interviews(table.frame, mapping, file, log_, root_mapping or Mapping(interviews=mapping))
    long = mapping.long is not None
    tidy = long or (QUESTION in frame.columns and RATING in frame.columns)
    known = set(question_ids)
    if tidy:
        if not require_columns(frame, RATINGS_COLUMNS, file, log_):
            return None
        report_extra_columns(frame, RATINGS_COLUMNS, file, log_)
        people = frame[PERSON_COLUMNS]
        question = text_column(frame[QUESTION])
        raw = frame[RATING].to_numpy(dtype=object)
        rows = frame.index.to_numpy()
        cols: np.ndarray | str = RATING
        bad_q = question.notna() & ~question.isin(known)
        log_.add_cells(file, "unknown_question", rows=rows[bad_q.to_numpy()], columns=QUESTION,
                       found=question[bad_q].to_numpy(), expected="a question id of the question bank")
        q_valid = (~bad_q & question.notna()).to_numpy()
        q_ids = question.to_numpy(dtype=object)
    else:
        if not require_columns(frame, PERSON_COLUMNS, file, log_):
            return None
        by_fold = {q.casefold(): q for q in question_ids}
        frame = frame.rename(columns={c: by_fold[c.casefold()] for c in frame.columns
                                      if c not in known and c.casefold() in by_fold})
        qcols = [c for c in frame.columns if c not in PERSON_COLUMNS]
        for c in qcols:
            if c not in known:
                close = difflib.get_close_matches(c, question_ids, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                log_.add(file, "unknown_question", f"column {c!r} is not a question id of the question "
                         f"bank{hint} (rename it, drop it, or list it under ignore: in mapping.yaml)", row=1, column=c, found=c,
                         expected="a question id of the question bank")
        qcols = [c for c in qcols if c in known]
        people = frame[PERSON_COLUMNS]
        n, k = len(frame), len(qcols)
        raw = frame[qcols].to_numpy(dtype=object).ravel()
        rows = np.repeat(frame.index.to_numpy(), k)
        cols = np.tile(np.asarray(qcols, dtype=object), n)
        q_ids = cols
        q_valid = np.ones(n * k, dtype=bool)

    # --- respondent fields -------------------------------------------------
    resp = text_column(people[RESPONDENT])
    dept = text_column(people[DEPARTMENT])
    level = text_column(people[LEVEL])
    prow = people.index.to_numpy()
    for col, series in ((RESPONDENT, resp), (DEPARTMENT, dept)):
        blank = series.isna().to_numpy()
        log_.add_cells(file, "missing_value", rows=prow[blank], columns=col, found=[None] * int(blank.sum()),
                       expected=f"a {col.replace('_', ' ')}")
    bad_level = ~level.isin(LEVELS).to_numpy()
    log_.add_cells(file, "unknown_level", rows=prow[bad_level], columns=LEVEL, found=level[bad_level].to_numpy(),
                   expected="/".join(LEVELS))
    if tidy:
        key = pd.DataFrame({"r": resp.to_numpy(), "q": question.to_numpy()})
        dup = (key.duplicated(keep="first") & resp.notna().to_numpy() & question.notna().to_numpy()).to_numpy()
        log_.add_cells(file, "duplicate_key", rows=prow[dup], columns=QUESTION, found=question[dup].to_numpy(),
                       expected="one answer per respondent and question",
                       message="{found} is answered twice by the same respondent; expected {expected}")
        for col, series in ((DEPARTMENT, dept), (LEVEL, level)):
            first = series.groupby(resp.to_numpy(), sort=False).transform("first")
            differs = (series.notna() & first.notna() & (series != first)).to_numpy()
            hit = pd.DataFrame({"r": resp.to_numpy()[differs], "row": prow[differs]}).drop_duplicates("r")
            mask = np.isin(prow, hit["row"].to_numpy())
            log_.add_cells(file, "inconsistent_respondent", rows=prow[mask], columns=col,
                           found=series[mask].to_numpy(), expected=f"the respondent's first {col}",
                           message="respondent has two values of " + col + ": expected {expected}, found {found}")
    else:
        dup = (resp.duplicated(keep="first") & resp.notna()).to_numpy()
        log_.add_cells(file, "duplicate_key", rows=prow[dup], columns=RESPONDENT, found=resp[dup].to_numpy(),
                       expected="one row per respondent",
                       message="respondent {found} has more than one row; expected {expected}")

    # --- answers -------------------------------------------------------------
    value, status = parse_answers(raw, mapping)
    expected = _expected_rating(mapping)
    for code, reason in ((_RANGE, "out_of_range"), (_NAN, "not_a_number")):
        m = (status == code) & q_valid
        log_.add_cells(file, reason, rows=rows[m], columns=cols if isinstance(cols, str) else cols[m],
                       found=raw[m], expected=expected)
    n_bad = int((((status == _RANGE) | (status == _NAN)) & q_valid).sum())
    good = (status == _OK) & q_valid
    if tidy:
        r_arr, d_arr, l_arr = resp.to_numpy(), dept.to_numpy(), level.to_numpy()
    else:
        k = len(qcols)
        r_arr, d_arr, l_arr = (np.repeat(s.to_numpy(), k) for s in (resp, dept, level))
    ratings = pd.DataFrame({
        RESPONDENT: pd.Series(r_arr[good], dtype="str"), DEPARTMENT: pd.Series(d_arr[good], dtype="str"),
        LEVEL: pd.Series(l_arr[good], dtype="str"), QUESTION: pd.Series(q_ids[good], dtype="str"),
        RATING: value[good].astype("float64")})
    if len(ratings) == 0 and n_bad == 0:
        log_.add(file, "no_ratings", "the file holds no ratings; expected at least one answer on the scale",
                 expected="at least one rating")

    first_rows = pd.Series(prow, index=resp.to_numpy()).loc[lambda s: ~s.index.duplicated()]
    departments = pd.Series(dept.to_numpy(), index=resp.to_numpy()).loc[lambda s: ~s.index.duplicated()]
    _completion_and_groups(ratings, q_ids[q_valid], first_rows, departments, file, log_, min_group_size)
    return RatingsResult(ratings=ratings, first_rows=first_rows, departments=departments,
                         scale=mapping.scale.rating_scale())


def _completion_and_groups(ratings: pd.DataFrame, asked: np.ndarray, first_rows: pd.Series,
                           departments: pd.Series, file: str, log_: ProblemLog, min_group_size: int) -> None:
    n_items = len(pd.unique(asked))
    respondents = first_rows.index[first_rows.index.notna()]
    answered = ratings.groupby(RESPONDENT, sort=False)[QUESTION].nunique().reindex(respondents, fill_value=0)
    low = answered[answered * 2 < n_items]
    log_.add_cells(file, "low_completion", rows=first_rows.loc[low.index].to_numpy(), columns=RESPONDENT,
                   found=[f"{int(a)} of {n_items}" for a in low.to_numpy()],
                   expected=f"at least half of the {n_items} items answered",
                   message="respondent answered {raw} items; expected {expected}", severity="warning")
    per_dept = departments[departments.notna().to_numpy() & np.asarray(departments.index.notna())]
    sizes = per_dept.groupby(per_dept.to_numpy(), sort=False).size()
    for dept_name, size in sizes[sizes < min_group_size].items():
        row = first_rows.loc[per_dept.index[per_dept.to_numpy() == dept_name][0]]
        log_.add(file, "small_group",
                 f"department {dept_name!r} has {size} respondent{'s' if size != 1 else ''}; its results "
                 f"will be suppressed (privacy.min_group_size is {min_group_size})",
                 row=int(row), column=DEPARTMENT, found=str(dept_name),
                 expected=f"at least {min_group_size} respondents", severity="warning")
