"""The consistency check: no two sentences of a deck may contradict each other.

Two levels: findings carry *claims* (area, stance) and `conflicts` refuses a
finding whose claim contradicts one already chosen; `contradictions` reads
finished sentences (titles, bullets) and names every contradictory pair, so a
test can check a whole deck's text.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations

from toolkit.findings.candidates import (
    BLIND_SPOT,
    DRIFT,
    KPI_CONTRADICTION,
    LOW_AGREEMENT,
    OUTLIER_UNIT,
    PRINCIPAL_GAP,
    STRENGTH,
    Finding,
)
from toolkit.model import AREA_LABELS

#: Stances that cannot both hold for one area.
OPPOSITES: tuple[frozenset[str], ...] = (
    frozenset({"short", "strong"}), frozenset({"agreed", "divided"}),
    frozenset({"alignment:up", "alignment:down"}), frozenset({"perception:up", "perception:down"}),
    frozenset({"consistency:up", "consistency:down"}),
)
_STANCE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("agreed", re.compile(r"\bstaff agree\b|\bagreed at every level\b|\bevery level agrees\b", re.I)),
    ("divided", re.compile(r"blind spot|points (?:higher|above|below|lower) than|below the other departments"
                           r"|\bdisagree\b|do not share one standard", re.I)),
    ("short", re.compile(r"principal gap|short of aligned|\bmisaligned\b", re.I)),
    ("strong", re.compile(r"strength to protect|\(aligned\)|\bis aligned at\b", re.I)),
)
_MOVE = re.compile(r"\b(alignment|perception|consistency) (rose|fell)\b", re.I)


def claims(f: Finding) -> set[tuple[str, str]]:
    """What a finding asserts about its area, as ``(area, stance)`` pairs."""
    stance = {PRINCIPAL_GAP: "short", STRENGTH: "strong", BLIND_SPOT: "divided", OUTLIER_UNIT: "divided",
              LOW_AGREEMENT: "divided", KPI_CONTRADICTION: "contested"}.get(f.kind)
    if f.kind == DRIFT:
        stance = f"{f.evidence.get('metric', 'alignment')}:{f.direction}"
    return {(f.area, stance)} if stance else set()


def _opposed(a: str, b: str) -> bool:
    return any({a, b} == pair for pair in OPPOSITES)


def conflicts(f: Finding, chosen: Iterable[Finding]) -> bool:
    """True when ``f`` claims the opposite of a chosen finding about the same area."""
    mine = claims(f)
    for other in chosen:
        for (area_a, s_a) in mine:
            for (area_b, s_b) in claims(other):
                if area_a == area_b and _opposed(s_a, s_b):
                    return True
    return False


def sentence_claims(sentence: str) -> set[tuple[str, str]]:
    """``(area label, stance)`` read from one sentence that names exactly one area."""
    labels = [lab for lab in AREA_LABELS.values() if lab.lower() in sentence.lower()]
    if len(labels) != 1:
        return set()
    out = {(labels[0], stance) for stance, pat in _STANCE_PATTERNS if pat.search(sentence)}
    out |= {(labels[0], f"{m.group(1).lower()}:{'up' if m.group(2).lower() == 'rose' else 'down'}")
            for m in _MOVE.finditer(sentence)}
    return out


def contradictions(sentences: Iterable[str]) -> list[tuple[str, str]]:
    """Every pair of sentences that contradict each other about one area.

    Examples
    --------
    >>> contradictions(["Management Style scores 52: staff agree that it falls short.",
    ...                 "Executives rate Management Style 31 points higher than the frontline: a blind spot."])[0][0][:16]
    'Management Style'
    """
    read = [(s, sentence_claims(s)) for s in dict.fromkeys(sentences)]
    out = []
    for (s1, c1), (s2, c2) in combinations(read, 2):
        if any(a1 == a2 and _opposed(x1, x2) for a1, x1 in c1 for a2, x2 in c2):
            out.append((s1, s2))
    return out
