"""Module 6, capstone: a full deck written to a scratch folder, and the twist found in the data."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.model import AREA, DEPARTMENT, KPI
from toolkit.run import resources
from toolkit.training.context import TrainingData
from toolkit.training.registry import exercise
from toolkit.training.result import CheckResult

TWIST_AREA = "customer_experience"


def twist_table(data: TrainingData) -> pd.DataFrame:
    """Per department: shown perception and KPI attainment of the twist area, and how far they disagree."""
    deps = data.protected.departments
    perception = deps[(deps[AREA] == TWIST_AREA) & ~deps["suppressed"]].set_index(DEPARTMENT)["perception"]
    kpis = data.assessment.kpis
    area_kpis = set(kpis.loc[kpis[AREA] == TWIST_AREA, KPI])
    kd = data.assessment.kpi_departments
    attainment = kd[kd[KPI].isin(area_kpis)].groupby(DEPARTMENT)["attainment"].mean()
    out = pd.DataFrame({"perception": perception, "attainment": attainment}).dropna()
    out["disagreement"] = out["perception"] - out["attainment"]
    return out.sort_values("disagreement", ascending=False)


@exercise("6-twist", "the department whose KPI evidence contradicts its interviews, as its name")
def judge_twist(answer: Any, data: TrainingData) -> CheckResult:
    table = twist_table(data)
    right = str(table.index[0])
    chosen = str(answer).strip()
    if chosen.casefold() == right.casefold():
        r = table.iloc[0]
        return CheckResult("6-twist", "passed", f"{right} rates Customer Experience at {r['perception']:.0f} but "
                           f"meets its customer KPI targets only {r['attainment']:.0f}% of the time: belief is "
                           "running ahead of delivery. Say so in the deck; do not average it away.")
    if chosen not in table.index:
        return CheckResult("6-twist", "failed", f"{chosen!r} has no visible perception and customer KPIs to compare.",
                           f"candidates: {', '.join(table.index)}.")
    if chosen == table["perception"].idxmin():
        attainment = table["attainment"].loc[chosen]
        return CheckResult("6-twist", "failed", f"{chosen} rates itself lowest while meeting its customer KPI "
                           f"targets {attainment:.0f}% of the time: staff are harder on themselves than the "
                           "evidence, which is worth a remark but is not the twist.",
                           "look for a department that rates itself high while its KPIs miss target.")
    return CheckResult("6-twist", "failed", f"in {chosen}, interviews and KPIs tell much the same story.",
                       "put each department's perception next to its customer KPI attainment (kpi_departments).")


@exercise("6-deck", "the result of run_report (or the path of the deck.html it wrote)")
def judge_deck(answer: Any, data: TrainingData) -> CheckResult:
    out_dir = getattr(answer, "out_dir", None)
    status = getattr(answer, "status", None)
    if status is not None and status != "ok":
        return CheckResult("6-deck", "failed", f"the report's status is {status!r}: {getattr(answer, 'message', '')}",
                           "read the message; the failed notebook names the failing cell.")
    path = Path(out_dir) if out_dir is not None else Path(str(answer))
    folder = path.parent if path.suffix == ".html" else path
    deck = folder / "deck.html"
    if not deck.is_file():
        return CheckResult("6-deck", "failed", f"no deck.html in {folder}.",
                           "pass what run_report(...) returned, or the folder it wrote.")
    if folder.resolve().is_relative_to(resources.source_root() or resources.package_dir()):
        return CheckResult("6-deck", "failed", "the deck was written inside the repository.",
                           "write training decks to a scratch folder (the reports_dir parameter).")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    if summary.get("client_id") != data.client.client_id:
        return CheckResult("6-deck", "failed", f"that deck is for {summary.get('client_id')!r}, not the training "
                           "client.", "run_report(paths.client_dir, ...).")
    oai = float(data.protected.oai["value"])
    if abs(float(summary["oai"]["value"]) - oai) > 0.05:
        return CheckResult("6-deck", "failed", "the deck's index differs from the toolkit's on the shipped data: "
                           "was the data edited?", "report the shipped training client, unedited.")
    return CheckResult("6-deck", "passed", f"deck.html and summary.json written to a scratch folder; OAI {oai:.1f}. "
                       "Now critique it.")
