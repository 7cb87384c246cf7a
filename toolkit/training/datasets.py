"""The course's extra files: a deliberately broken copy of the training client and a survey export.

Both are derived from the training client's current wave, so an exercise's
right answer can always be recomputed from the clean data:

- ``<client>-broken/`` holds the current wave with five planted mistakes (see
  `BROKEN_EDITS`); each one is fixable without guessing a value.
- ``survey_export.csv`` is the current wave's interviews as a survey tool
  exports them: answer labels instead of numbers, a job title instead of a
  level, extra columns, "Don't know" answers and an e-mail column.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.demo.files import write_csv
from toolkit.model import DEPARTMENT, KPI, LEVEL, RESPONDENT
from toolkit.training.client import CLIENT_ID, write_training_client

BROKEN_ID = f"{CLIENT_ID}-broken"
SURVEY_EXPORT = "survey_export.csv"
LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree", 5: "Strongly agree"}
DONT_KNOW = "Don't know"
JOB_TITLES = {"executive": ("Clinical Director", "Chief Operating Officer"),
              "manager": ("Practice Manager", "Team Lead"),
              "frontline": ("Nurse", "Receptionist", "Care Coordinator")}
#: The mistakes planted in the broken copy: (file, what was changed, reason code intake gives).
BROKEN_EDITS: tuple[tuple[str, str, str], ...] = (
    ("client.yaml", "customer_promise spelt 'personalised' (British) instead of 'personalized'", "invalid_config"),
    ("interviews.csv", "one answer typed twice (e.g. '44' for 4)", "out_of_range"),
    ("interviews.csv", "one answer written as the label 'Agree' instead of 4", "not_a_number"),
    ("interviews.csv", "one level written as the job title 'Team Lead' instead of 'manager'", "unknown_level"),
    ("operations.csv", "one department's KPI id misspelt 'patient_satisfation'", "unknown_kpi"),
)


def write_broken_copy(client_dir: Path, out_dir: Path) -> Path:
    """Write ``out_dir/<client>-broken/``: the current wave of ``client_dir`` with `BROKEN_EDITS` applied."""
    target = Path(out_dir) / BROKEN_ID
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("excerpts.csv", "roster.csv"):
        shutil.copyfile(client_dir / name, target / name)

    config = (client_dir / "client.yaml").read_text(encoding="utf-8")
    config = config.replace("customer_promise: personalized", "customer_promise: personalised")
    (target / "client.yaml").write_text(config, encoding="utf-8")

    wide = pd.read_csv(client_dir / "interviews.csv", dtype=str, keep_default_na=False)
    cx02 = str(wide["CX02"].loc[3])
    wide.loc[3, "CX02"] = cx02 * 2 if cx02 else "44"
    fours = wide.index[wide["PP02"] == "4"]
    wide.loc[fours[1], "PP02"] = "Agree"
    managers = wide.index[wide[LEVEL] == "manager"]
    wide.loc[managers[2], LEVEL] = "Team Lead"
    write_csv(wide, target / "interviews.csv")

    ops = pd.read_csv(client_dir / "operations.csv", dtype=str, keep_default_na=False)
    typo = (ops[KPI] == "patient_satisfaction") & (ops[DEPARTMENT] == "South Clinic")
    ops.loc[typo, KPI] = "patient_satisfation"
    write_csv(ops, target / "operations.csv")
    return target


def write_survey_export(client_dir: Path, path: Path, *, seed: int = 2026) -> Path:
    """Write the current wave's interviews as a survey tool's export (labels, job titles, extras)."""
    rng = np.random.default_rng(seed)
    wide = pd.read_csv(client_dir / "interviews.csv", dtype=str, keep_default_na=False)
    questions = [c for c in wide.columns if c not in (RESPONDENT, DEPARTMENT, LEVEL)]
    out = pd.DataFrame({
        "ResponseId": wide[RESPONDENT],
        "StartDate": [f"2026-03-{2 + i % 20:02d} 09:{i % 60:02d}" for i in range(len(wide))],
        "Email": [f"respondent{i + 1}@larkspur-clinics.example" for i in range(len(wide))],
        "Dept": wide[DEPARTMENT],
        "JobTitle": [JOB_TITLES[lv][int(rng.integers(len(JOB_TITLES[lv])))] for lv in wide[LEVEL]],
    })
    for q in questions:
        out[q] = [LABELS[int(v)] if v else "" for v in wide[q]]
    cells = rng.choice(len(wide) * len(questions), size=8, replace=False)
    for cell in cells:
        r, c = divmod(int(cell), len(questions))
        out.loc[r, questions[c]] = DONT_KNOW
    write_csv(out, Path(path))
    return Path(path)


def write_training_data(out_dir: Path, *, seed: int = 2026) -> dict[str, Path]:
    """Write every file of the course into ``out_dir`` (usually ``notebooks/training/data``).

    Returns
    -------
    dict
        ``client``, ``broken`` and ``survey_export`` paths.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    client = write_training_client(out_dir, seed=seed)
    broken = write_broken_copy(client, out_dir)
    export = write_survey_export(client, out_dir / SURVEY_EXPORT, seed=seed)
    return {"client": client, "broken": broken, "survey_export": export}
