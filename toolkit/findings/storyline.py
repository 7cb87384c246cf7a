"""The executive summary's argument: the top finding first, then the top three distinct ones.

Findings are taken in priority order; one is skipped when it repeats a
chosen one (same kind and area, or a strength that restates a rise) or when
the consistency check says it contradicts one (`toolkit.findings.consistency`).
"""
from __future__ import annotations

from toolkit.findings.candidates import DRIFT, STRENGTH, Finding
from toolkit.findings.consistency import conflicts

SUMMARY_SIZE = 3


def repeats(f: Finding, chosen: list[Finding]) -> bool:
    """True when ``f`` says again what a chosen finding says."""
    for c in chosen:
        if c.area != f.area:
            continue
        if c.kind == f.kind and c.unit == f.unit:
            return True
        if {c.kind, f.kind} == {DRIFT, STRENGTH} and "up" in (c.direction, f.direction):
            return True
    return False


def top_findings(candidates: list[Finding], n: int = SUMMARY_SIZE) -> list[Finding]:
    """Up to ``n`` distinct, mutually consistent findings, highest priority first."""
    chosen: list[Finding] = []
    for f in candidates:
        if len(chosen) >= n:
            break
        if repeats(f, chosen) or conflicts(f, chosen):
            continue
        chosen.append(f)
    return chosen


def all_aligned_sentence(candidates: list[Finding], scored_labels: list[str]) -> str:
    """What the deck says when every scored area is aligned: the strategy is carried out; protect ..."""
    protect = [f.label for f in candidates if f.kind == STRENGTH]
    names = protect or scored_labels
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (f"Every scored area is aligned (75 or more): the strategy is carried out in daily operations; "
            f"protect {listed}.")
