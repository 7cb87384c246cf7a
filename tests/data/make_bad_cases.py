"""Regenerate ``tests/data/bad/<case>/``: the good mini client with exactly one thing wrong.

Run from the repository root: ``.venv/bin/python tests/data/make_bad_cases.py``.
The cases are committed; this script only documents how each was made.
Expected reason, row and column live in ``tests/test_intake_bad.py``.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import hostile  # noqa: E402

GOOD = HERE / "good" / "mini"
BAD = HERE / "bad"


def _tidy(text: str) -> str:
    lines = text.strip().splitlines()
    head = lines[0].split(",")
    out = ["respondent_id,department,level,question_id,rating"]
    for line in lines[1:]:
        cells = line.split(",")
        out += [",".join(cells[:3] + [q, v]) for q, v in zip(head[3:], cells[3:], strict=True)]
    return "\n".join(out) + "\n"


def _sub(name: str, old: str, new: str, count: int = 1):
    def edit(folder: Path) -> None:
        p = folder / name
        text = p.read_text()
        assert old in text, (name, old)
        p.write_text(text.replace(old, new, count))
    return edit


def _write(name: str, text: str):
    def edit(folder: Path) -> None:
        (folder / name).write_text(text)
    return edit


def _delete(name: str):
    def edit(folder: Path) -> None:
        (folder / name).unlink()
    return edit


def _extra_column(name: str, header: str):
    """A column more: its name in the header, an empty field on every data row."""
    def edit(folder: Path) -> None:
        p = folder / name
        lines = p.read_text().splitlines()
        p.write_text("\n".join([lines[0] + "," + header] + [line + "," for line in lines[1:]]) + "\n")
    return edit


def _tidy_then(*edits):
    def edit(folder: Path) -> None:
        p = folder / "interviews.csv"
        p.write_text(_tidy(p.read_text()))
        for e in edits:
            e(folder)
    return edit


def _all(*edits):
    def edit(folder: Path) -> None:
        for e in edits:
            e(folder)
    return edit


CASES = {
    "missing-interviews": _delete("interviews.csv"),
    "missing-client-yaml": _delete("client.yaml"),
    "missing-operations": _delete("operations.csv"),
    "empty-interviews": _write("interviews.csv", ""),
    "unreadable-xlsx": _all(_delete("interviews.csv"), _write("interviews.xlsx", "this is not a workbook\n")),
    "misspelt-department-column": _sub("interviews.csv", "respondent_id,department,", "respondent_id,departement,"),
    "missing-value-column": _sub("operations.csv", "period,value", "period,val"),
    "roster-without-name": _write("roster.csv", "person\nAnn Smith\n"),
    "unknown-column-tidy": _tidy_then(_extra_column("interviews.csv", "notes")),
    "unknown-column-operations": _extra_column("operations.csv", "comment"),
    "rating-out-of-range": _sub("interviews.csv", "R03,Sales,frontline,3,2,", "R03,Sales,frontline,3,7,"),
    "rating-zero": _sub("interviews.csv", "R06,Operations,frontline,2,3,2,1,", "R06,Operations,frontline,2,3,2,0,"),
    "rating-not-a-number": _sub("interviews.csv", "R05,Operations,manager,4,4,3,3,4,", "R05,Operations,manager,4,4,3,3,four,"),
    "rating-not-a-number-tidy": _tidy_then(_sub("interviews.csv", "R02,Sales,manager,PP01,3", "R02,Sales,manager,PP01,3+")),
    "unknown-question-wide": _extra_column("interviews.csv", "CX99"),
    "unknown-question-tidy": _tidy_then(_sub("interviews.csv", "R04,Operations,executive,UC02", "R04,Operations,executive,UC2")),
    "unknown-level": _sub("interviews.csv", "R02,Sales,manager,", "R02,Sales,VP,"),
    "missing-respondent-id": _sub("interviews.csv", "R05,Operations,manager,", ",Operations,manager,"),
    "duplicate-respondent-wide": _sub("interviews.csv", "R06,Operations,frontline,2,3,2,1,3,2,3,1,2\n",
                                      "R06,Operations,frontline,2,3,2,1,3,2,3,1,2\nR02,Sales,manager,4,3,4,2,3,3,3,2,3\n"),
    "duplicate-answer-tidy": _tidy_then(_sub("interviews.csv", "R01,Sales,executive,CX02,4\n",
                                             "R01,Sales,executive,CX02,4\nR01,Sales,executive,CX02,5\n")),
    "inconsistent-respondent": _tidy_then(_sub("interviews.csv", "R01,Sales,executive,UC01,5", "R01,Operations,executive,UC01,5")),
    "no-ratings": _all(_write("interviews.csv", "respondent_id,department,level,CX01,CX02\n"), _delete("excerpts.csv")),
    "unknown-kpi": _sub("operations.csv", "order_cycle_days,Sales,2026-02", "order_cycle_time,Sales,2026-02"),
    "bad-period": _sub("operations.csv", "first_contact_resolution,Operations,2026-02", "first_contact_resolution,Operations,Febuary 2026"),
    "kpi-value-not-a-number": _sub("operations.csv", "order_cycle_days,Operations,2026-01,2.8", "order_cycle_days,Operations,2026-01,2.8 days"),
    "duplicate-kpi-period": _sub("operations.csv", "order_cycle_days,Operations,2026-02,2.9\n",
                                 "order_cycle_days,Operations,2026-02,2.9\norder_cycle_days,Operations,Feb 2026,3.1\n"),
    "unknown-area-excerpt": _sub("excerpts.csv", "R06,management_style,", "R06,pricing,"),
    "unknown-respondent-excerpt": _sub("excerpts.csv", "R03,proven_processes", "R33,proven_processes"),
    "config-target-not-number": _sub("client.yaml", "target: 3\n", "target: tbd\n"),
    "config-negative-weight": _sub("client.yaml", "  management_style: 1\n", "  management_style: -1\n"),
    "config-zero-component-weights": _sub("client.yaml", "privacy:", "component_weights:\n  perception: 0\n  consistency: 0\n  evidence: 0\nprivacy:"),
    "config-all-zero-area-weights": _sub("client.yaml", "  customer_experience: 2\n  management_style: 1\n  unique_capabilities: 1\n  proven_processes: 1\n",
                                         "  customer_experience: 0\n  management_style: 0\n  unique_capabilities: 0\n  proven_processes: 0\n"),
    "config-bad-promise": _sub("client.yaml", "customer_promise: speed", "customer_promise: cheapest"),
    "config-missing-strategy": _sub("client.yaml", "strategy: Win on speed of service for busy professionals\n", ""),
    "config-unknown-key": _sub("client.yaml", "sector: retail\n", "sector: retail\nowner: Jane\n"),
    "config-bad-yaml": _sub("client.yaml", "  - same-day delivery network\n", "  - same-day delivery network\n bad: [unclosed\n"),
    "config-bad-wave": _sub("client.yaml", "wave: 2026-Q1", "wave: 2026 Q1"),
    "config-bad-window": _sub("client.yaml", "privacy:", "assessment_window:\n  start: someday\nprivacy:"),
    "bad-mapping-scale": _write("mapping.yaml", "interviews:\n  scale:\n    min: 5\n    max: 1\n"),
    "bad-mapping-level": _write("mapping.yaml", "interviews:\n  levels:\n    default: boss\n"),
    "questions-unknown-area": None,  # built below: an override bank with one bad area
    "Unsafe_Client": lambda folder: None,
    # hostile and careless files (tests/hostile.py builds them; tests/test_hardening.py attacks with bigger ones)
    "xlsx-far-cell": _all(_delete("interviews.csv"), lambda f: hostile.far_cell_xlsx(f / "interviews.xlsx")),
    "xlsx-zip-bomb": _all(_delete("interviews.csv"), lambda f: hostile.bomb_xlsx(f / "interviews.xlsx", 2)),
    "xlsx-formula-without-value": _all(_delete("interviews.csv"), lambda f: _formula_workbook(f)),
    "yaml-billion-laughs-client": _write("client.yaml", hostile.billion_laughs()),
    "yaml-billion-laughs-mapping": _write("mapping.yaml", hostile.billion_laughs()),
    "excerpt-too-long": _sub("excerpts.csv", "Everyone has their own checklist", "Everyone has their own checklist "
                             + "and " * 5100),
    "file-over-limit": _sub("client.yaml", "privacy:", "limits:\n  file_max_mb: 0.00033\nprivacy:"),
    "symlink-outside": _all(_delete("excerpts.csv"),
                            lambda f: (f / "excerpts.csv").symlink_to("../../good/mini/excerpts.csv")),
    "unsafe-wave-folder": lambda f: shutil.copytree(GOOD, f / "waves" / "2025 H2"),
}


def _formula_workbook(folder: Path) -> None:
    """The interviews as a workbook in which two ratings are formulas: E4 never calculated, F6 with its value."""
    rows = hostile.csv_to_rows((GOOD / "interviews.csv").read_text())
    rows[3][4] = ("=3+1", None)  # what openpyxl writes: the formula, no saved value
    rows[5][5] = ("=1+2", 3)     # what Excel writes: the formula and its value (read as 3)
    hostile.write_xlsx(folder / "interviews.xlsx", hostile.sheet_xml(rows))


def _questions_override(folder: Path) -> None:
    bank = (HERE.parents[1] / "templates" / "question_bank.csv").read_text().splitlines()
    keep = [bank[0]] + [l for l in bank[1:] if l.split(",")[0] in
                        {"CX01", "CX02", "MS01", "MS02", "UC01", "UC02", "PP01", "PP02", "OUT01"}]
    keep[3] = keep[3].replace(",management_style,", ",leadership,")
    (folder / "questions.csv").write_text("\n".join(keep) + "\n")


CASES["questions-unknown-area"] = _questions_override


def main() -> None:
    """Rebuild every case folder from the good mini client."""
    if BAD.exists():
        shutil.rmtree(BAD)
    for name, edit in CASES.items():
        folder = BAD / name
        shutil.copytree(GOOD, folder)
        edit(folder)


if __name__ == "__main__":
    main()
