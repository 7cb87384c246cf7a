"""The executive summary's argument: the top finding first, then the top three distinct ones.

Findings are taken in priority order; one is skipped when it repeats a
chosen one (same kind and area, or a strength that restates a rise) or when
the consistency check says it contradicts one (`toolkit.findings.consistency`).
"""
from __future__ import annotations

from toolkit.findings.candidates import BLIND_SPOT, DRIFT, OUTLIER_UNIT, STRENGTH, Finding
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


def all_aligned_sentence(candidates: list[Finding], scored_labels: list[str],
                         told: list[Finding] | None = None) -> str:
    """What the deck says when every scored area is aligned: the strategy is carried out; protect ...

    Names the strengths to protect (else the scored areas no finding calls uneven), unless a
    strength sentence in ``told`` already says so: the summary never says "protect" twice.
    """
    head = "Every scored area is aligned (75 or more): the strategy is carried out in daily operations"
    if any(f.kind == STRENGTH for f in told or []):
        return head + "."
    uneven = {f.label for f in candidates if f.kind in (BLIND_SPOT, OUTLIER_UNIT)}
    protect = [f.label for f in candidates if f.kind == STRENGTH]
    names = protect or [label for label in scored_labels if label not in uneven]
    if not names:
        return head + "; the findings below say where it is carried out unevenly."
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{head}; protect {listed}."
