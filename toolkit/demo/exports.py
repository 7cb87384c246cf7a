"""Synthetic survey-tool exports: the same answers in the contract format and in a tool's shape.

Used to test onboarding (`alignment map` then ``alignment validate``): for
each shape the export and the contract folder hold the same people and
answers, so scores must be equal. Shapes: ``qualtrics``, ``surveymonkey``,
``microsoft-forms``, ``google-forms`` and ``hr-long`` (one row per answer,
role flags, 0 = not applicable on a 1-4 scale, exact duplicate rows, an
unwanted question and two spellings of one question).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.intake.questions import load_question_bank

SHAPES = ("qualtrics", "surveymonkey", "microsoft-forms", "google-forms", "hr-long")
ITEMS = ["CX01", "CX02", "MS01", "MS02", "UC01", "UC02", "PP01", "PP02", "OUT01"]
DEPARTMENTS = ["Finance", "Operations", "Sales"]
LABELS = {5: "Strongly agree", 4: "Agree", 3: "Neither agree nor disagree", 2: "Disagree", 1: "Strongly disagree"}
TITLES = {"executive": "Director of {d}", "manager": "{d} Team Manager", "frontline": "{d} Associate"}
UNWANTED = "How did you hear about this survey?"
CLIENT_YAML = """name: Export Test Ltd
wave: 2026-Q1
strategy: Win on speed of service for busy professionals
customer_promise: speed
management_style: accountability
privacy:
  min_group_size: 3
  min_quote_group: 5
"""


def _people(n: int, rng: np.random.Generator) -> pd.DataFrame:
    levels = np.where(np.arange(n) % 10 == 0, "executive", np.where(np.arange(n) % 3 == 0, "manager", "frontline"))
    return pd.DataFrame({"department": [DEPARTMENTS[i % 3] for i in range(n)], "level": levels})


def write_export_pair(shape: str, folder: Path, *, n: int = 36, seed: int = 7) -> tuple[Path, Path]:
    """Write ``folder/contract/`` and ``folder/export/`` (client.yaml + interviews) for one shape.

    Returns
    -------
    contract, export
        The two client folders; the export folder has no mapping.yaml yet.
    """
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; shapes are {SHAPES}")
    rng = np.random.default_rng(seed)
    people = _people(n, rng)
    top = 4 if shape == "hr-long" else 5
    answers = rng.integers(1, top + 1, size=(n, len(ITEMS))).astype(float)
    answers[rng.random(answers.shape) < 0.05] = np.nan  # skipped or not applicable
    ids = _ids(shape, n)
    contract, export = folder / "contract", folder / "export"
    for f in (contract, export):
        f.mkdir(parents=True, exist_ok=True)
        (f / "client.yaml").write_text(CLIENT_YAML, encoding="utf-8")
    rating = answers if top == 5 else 1 + (answers - 1) * 4 / 3  # 1-4 mapped linearly onto 1-5
    wide = pd.DataFrame(rating, columns=ITEMS)
    wide.insert(0, "level", people["level"])
    wide.insert(0, "department", people["department"])
    wide.insert(0, "respondent_id", ids)
    wide.to_csv(contract / "interviews.csv", index=False, float_format="%.15g")
    bank = load_question_bank().set_index("question_id")["text"]
    texts = [bank[q] for q in ITEMS]
    WRITERS[shape](export, ids, people, answers, texts, rng)
    return contract, export


def _ids(shape: str, n: int) -> list[str]:
    if shape == "google-forms":
        t0 = dt.datetime(2026, 2, 2, 9, 0, 0)
        return [(t0 + dt.timedelta(minutes=7 * i)).strftime("%Y/%m/%d %I:%M:%S %p") for i in range(n)]
    if shape == "qualtrics":
        return [f"R_{i:04d}abc" for i in range(n)]
    return [str(100 + i) for i in range(n)]


def _label(x: float) -> str:
    return "" if np.isnan(x) else LABELS[int(x)]


def _title(p: pd.Series) -> str:
    return TITLES[p["level"]].format(d=p["department"])


def _write_csv(path: Path, rows: Sequence[Sequence[object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def _qualtrics(folder: Path, ids: list[str], people: pd.DataFrame, answers: np.ndarray, texts: list[str],
               rng: np.random.Generator) -> None:
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
            "RecordedDate", "ResponseId", "RecipientEmail", "Q_Dept", "Q_Role"]
    qs = [f"Q1_{j + 1}" for j in range(len(texts))]
    row2 = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
            "Finished", "Recorded Date", "Response ID", "Recipient Email", "Which department do you work in?",
            "What is your job title?"] + [f"How we work - {t}" for t in texts]
    row3 = [json.dumps({"ImportId": k}) for k in meta[:10]] + [json.dumps({"ImportId": "QID1"}),
                                                                 json.dumps({"ImportId": "QID2"})]
    row3 += [json.dumps({"ImportId": f"QID3_{j + 1}"}) for j in range(len(texts))]
    rows = [meta + qs, row2, row3]
    for i, rid in enumerate(ids):
        p = people.iloc[i]
        rows.append(["2026-02-02 09:00:00", "2026-02-02 09:07:00", "IP Address", f"10.0.0.{i}", "100", "420",
                     "True", "2026-02-02 09:07:01", rid, f"p{i}@example.com", p["department"], _title(p)]
                    + [_label(x) for x in answers[i]])
    _write_csv(folder / "interviews.csv", rows)


def _surveymonkey(folder: Path, ids: list[str], people: pd.DataFrame, answers: np.ndarray, texts: list[str],
                  rng: np.random.Generator) -> None:
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
            "First Name", "Last Name", "What is your department?", "What is your job title?"]
    rows = [meta + texts, [""] * 8 + ["Response"] * (2 + len(texts))]
    for i, rid in enumerate(ids):
        p = people.iloc[i]
        rows.append([rid, "4001", "02/02/2026 09:00:00 AM", "02/02/2026 09:07:00 AM", f"10.0.0.{i}",
                     f"p{i}@example.com", f"First{i}", f"Last{i}", p["department"], _title(p)]
                    + [_label(x) for x in answers[i]])
    _write_csv(folder / "interviews.csv", rows)


def _msforms(folder: Path, ids: list[str], people: pd.DataFrame, answers: np.ndarray, texts: list[str],
             rng: np.random.Generator) -> None:
    rows = []
    for i, rid in enumerate(ids):
        p = people.iloc[i]
        rows.append([int(rid), dt.datetime(2026, 2, 2, 9, 0), dt.datetime(2026, 2, 2, 9, 7),
                     f"p{i}@example.com", f"Person {i}", p["department"], _title(p)]
                    + [_label(x) or None for x in answers[i]])
    frame = pd.DataFrame(rows, columns=["ID", "Start time", "Completion time", "Email", "Name", "Department",
                                        "Job title"] + texts)
    frame.to_excel(folder / "interviews.xlsx", index=False, sheet_name="Sheet1")


def _google(folder: Path, ids: list[str], people: pd.DataFrame, answers: np.ndarray, texts: list[str],
            rng: np.random.Generator) -> None:
    rows = [["Timestamp", "Email address", "Which team are you in?", "Your role"] + texts]
    for i, rid in enumerate(ids):
        p = people.iloc[i]
        rows.append([rid, f"p{i}@example.com", p["department"], _title(p)]
                    + ["" if np.isnan(x) else str(int(x)) for x in answers[i]])
    _write_csv(folder / "interviews.csv", rows)


def _hr_long(folder: Path, ids: list[str], people: pd.DataFrame, answers: np.ndarray, texts: list[str],
             rng: np.random.Generator) -> None:
    spelling_b = texts[0].replace("customers", "clients")  # a second spelling of CX01
    rows, answer_id = [], 5000
    for i, rid in enumerate(ids):
        p = people.iloc[i]
        flags = {"Director": int(p["level"] == "executive"), "Manager": int(p["level"] == "manager"),
                 "Supervisor": 0, "Staff": int(p["level"] == "frontline")}
        for j, text in enumerate(texts + [UNWANTED]):
            x = answers[i, j] if j < len(texts) else float(rng.integers(1, 5))
            if j == 0 and i % 2:
                text = spelling_b
            answer_id += 1
            rows.append({"Response ID": answer_id, "Employee ID": rid, "Department": p["department"], **flags,
                         "Question": text, "Answer": 0 if np.isnan(x) else int(x)})  # 0 = not applicable
    frame = pd.DataFrame(rows)
    frame = pd.concat([frame, frame.iloc[[3, 40, 77]]]).sort_index(kind="stable")  # exact duplicates
    frame.to_excel(folder / "interviews.xlsx", index=False, sheet_name="Responses")


WRITERS = {"qualtrics": _qualtrics, "surveymonkey": _surveymonkey, "microsoft-forms": _msforms,
           "google-forms": _google, "hr-long": _hr_long}
