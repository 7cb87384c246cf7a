"""Module 2, intake: name the problems of the broken copy, fix them on a scratch copy, map a survey export."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import ClientDataError
from toolkit.intake import load_client, validate_client
from toolkit.model import DEPARTMENT, LEVEL, QUESTION, RATING, RESPONDENT, format_problems
from toolkit.reasons import Reason
from toolkit.training.context import TrainingData
from toolkit.training.datasets import DONT_KNOW
from toolkit.training.registry import exercise
from toolkit.training.result import CheckResult
from toolkit.training.workspace import mapping_folder

#: The mapping that reads ``survey_export.csv`` correctly (the solution, used to check answers).
REFERENCE_MAPPING: dict[str, Any] = {"interviews": {
    "drop": ["StartDate"],
    "rename": {"ResponseId": "respondent_id", "Dept": "department"},
    "scale": {"preset": "agreement"},
    "not_applicable": [DONT_KNOW],
    "levels": {"column": "JobTitle", "patterns": {"director|chief": "executive", "manager|lead": "manager"},
               "default": "frontline"},
}}
_SHOWN = 6


def _reasons(answer: Any) -> set[str]:
    items = [answer] if isinstance(answer, str) else list(answer)
    return {re.sub(r"[\s\-]+", "_", str(a).strip().strip("[]").casefold()) for a in items}


@exercise("2-problems", "the reason codes of every error in the broken copy, as a set of strings")
def judge_problems(answer: Any, data: TrainingData) -> CheckResult:
    problems = validate_client(data.broken_dir)
    errors = {p.reason for p in problems if p.severity == "error"}
    warnings = {p.reason for p in problems if p.severity == "warning"} - errors
    given = _reasons(answer)
    if given == errors:
        return CheckResult("2-problems", "passed", f"all {len(errors)} kinds of error: {', '.join(sorted(errors))}.")
    as_warning = sorted(given & warnings)
    if as_warning:
        return CheckResult("2-problems", "failed", f"{', '.join(as_warning)} is a warning, not an error: the "
                           "run goes on and the deck says so.", "keep only problems whose severity is 'error'.")
    extra, missing = sorted(given - errors), sorted(errors - given)
    if extra:
        return CheckResult("2-problems", "failed", f"{', '.join(extra)} is not among the errors intake reports.",
                           "copy the reason codes in [brackets] at the end of each line of the report.")
    files = sorted({p.file.split("/")[-1] for p in problems if p.reason in missing})
    return CheckResult("2-problems", "failed", f"{len(missing)} kind(s) of error missing.",
                       f"read the problems reported for {', '.join(files)} again.")


@exercise("2-fix", "the path of your fixed scratch copy of the broken data")
def judge_fix(answer: Any, data: TrainingData) -> CheckResult:
    folder = Path(str(answer))
    if folder.resolve() == data.broken_dir.resolve():
        return CheckResult("2-fix", "failed", "that is the shipped broken folder itself; shipped files are "
                           "never edited.", "training.scratch_copy(paths.broken_dir) gives you a copy to fix.")
    if not (folder / "client.yaml").is_file():
        return CheckResult("2-fix", "failed", f"{folder} is not a client folder (no client.yaml).",
                           "pass the folder returned by training.scratch_copy(...).")
    errors = [p for p in validate_client(folder) if p.severity == "error"]
    if errors:
        text = format_problems(errors[:_SHOWN])
        return CheckResult("2-fix", "failed", f"{len(errors)} error(s) remain, e.g.\n{text}",
                           "fix each value in place; do not delete rows.")
    fixed = load_client(folder)
    clean = data.client
    lost = sorted(set(clean.respondents[RESPONDENT]) - set(fixed.respondents[RESPONDENT]))
    if lost:
        return CheckResult("2-fix", "failed", f"{len(lost)} respondent(s) were dropped: the data is valid but "
                           "incomplete.", "repair the bad value instead of deleting the row.")
    key = [RESPONDENT, QUESTION]
    merged = clean.ratings.merge(fixed.ratings, on=key, how="left", suffixes=("", "_fixed"))
    wrong = merged[merged[f"{RATING}_fixed"].isna() | (merged[RATING] != merged[f"{RATING}_fixed"])]
    if len(wrong):
        r = wrong.iloc[0]
        return CheckResult("2-fix", "failed", f"{len(wrong)} rating(s) differ from what the respondent meant, "
                           f"e.g. {r[RESPONDENT]} {r[QUESTION]}.", "'44' is a 4 typed twice; 'Agree' is 4.")
    levels = clean.respondents.merge(fixed.respondents, on=RESPONDENT, suffixes=("", "_fixed"))
    bad_level = levels[levels[LEVEL] != levels[f"{LEVEL}_fixed"]]
    if len(bad_level):
        return CheckResult("2-fix", "failed", f"{len(bad_level)} respondent(s) have the wrong level.",
                           "a Team Lead manages a team: level 'manager'.")
    if len(fixed.operations) != len(clean.operations):
        return CheckResult("2-fix", "failed", f"operations has {len(fixed.operations)} rows, expected "
                           f"{len(clean.operations)}: KPI rows were lost.", "rename the misspelt KPI id; keep the rows.")
    return CheckResult("2-fix", "passed", "the copy validates and nothing was lost: every respondent, rating and "
                       "KPI row is there.")


def mapped_ratings(mapping: Any, data: TrainingData, scratch: Path | None = None) -> pd.DataFrame:
    """Ratings of the survey export read through ``mapping`` (raises ClientDataError when invalid)."""
    folder = mapping_folder(mapping, data.client_dir, data.survey_export, scratch or "")
    return load_client(folder).ratings


@exercise("2-mapping", "a mapping (dict or YAML text) that reads survey_export.csv")
def judge_mapping(answer: Any, data: TrainingData) -> CheckResult:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="alignment-mapping-") as tmp:
        try:
            got = mapped_ratings(answer, data, Path(tmp) / "learner")
        except ClientDataError as exc:
            errors = [p for p in exc.problems if p.severity == "error"]
            found = {str(p.found) for p in errors}
            if DONT_KNOW in found:
                hint = f"answers like {DONT_KNOW!r} mean 'no answer': list them under not_applicable."
            elif any(p.reason == Reason.unknown_level for p in errors):
                hint = "job titles are not levels: map them under levels (column, values or patterns, default)."
            elif any(p.reason == Reason.missing_column for p in errors):
                hint = "rename the export's columns onto respondent_id and department."
            elif any(p.reason == Reason.unknown_question for p in errors):
                hint = "columns that are neither people nor questions must be dropped."
            elif any(p.reason == Reason.not_a_number for p in errors):
                hint = "the answers are labels: scale: {preset: agreement} turns them into 1-5."
            else:
                hint = "read the first problem and change the mapping key it names."
            return CheckResult("2-mapping", "failed", f"intake rejects the export with this mapping "
                               f"({len(errors)} errors), e.g.\n{format_problems(errors[:_SHOWN])}", hint)
        expected = mapped_ratings(REFERENCE_MAPPING, data, Path(tmp) / "reference")
    people = [RESPONDENT, DEPARTMENT, LEVEL]
    exp_people = expected[people].drop_duplicates(RESPONDENT).set_index(RESPONDENT)
    got_people = got[people].drop_duplicates(RESPONDENT).set_index(RESPONDENT).reindex(exp_people.index)
    wrong_level = exp_people.index[(got_people[LEVEL] != exp_people[LEVEL]).to_numpy()]
    if len(wrong_level):
        return CheckResult("2-mapping", "failed", f"{len(wrong_level)} respondents get the wrong level.",
                           "check your level patterns: directors and chiefs are executives; managers and team "
                           "leads are managers; everyone else is frontline (default).")
    merged = expected.merge(got, on=[RESPONDENT, QUESTION], how="outer", suffixes=("", "_got"))
    if merged[RATING].isna().any() or merged[f"{RATING}_got"].isna().any():
        n = int(merged[RATING].isna().sum() + merged[f"{RATING}_got"].isna().sum())
        return CheckResult("2-mapping", "failed", f"{n} answers are present in one reading and missing in the "
                           "other.", f"only {DONT_KNOW!r} (and blanks) should become missing.")
    diff = merged[RATING].to_numpy() != merged[f"{RATING}_got"].to_numpy()
    if diff.any():
        flipped = np.allclose(merged[RATING], 6 - merged[f"{RATING}_got"])
        return CheckResult("2-mapping", "failed", f"{int(diff.sum())} ratings differ"
                           + (": your scale is upside down." if flipped else "."),
                           "'Strongly agree' is 5 and 'Strongly disagree' is 1 (the agreement preset).")
    return CheckResult("2-mapping", "passed", f"the export reads as {got[RESPONDENT].nunique()} respondents and "
                       f"{len(got)} ratings, with every level and answer right.")
