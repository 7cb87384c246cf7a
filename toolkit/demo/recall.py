"""Story recall: does the executive summary name each planted story among its top three findings?"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.demo.files import write_client
from toolkit.demo.planted import PLANTED_KINDS, PlantedStory, planted_client
from toolkit.model import AREA_LABELS

if TYPE_CHECKING:
    from toolkit.findings import Findings

DIRECTION_WORDS = {"up": "rose", "down": "fell"}


def recalled(story: PlantedStory, findings: Findings) -> bool:
    """True when a top-three finding has the planted kind and area, and its sentence names the area
    (and the unit, and the direction of a change) in words."""
    for f in findings.top:
        if f.kind != story.kind or f.area != story.area:
            continue
        words = f.sentence
        if AREA_LABELS[story.area] not in words:
            continue
        if story.unit and story.unit not in words:
            continue
        if story.direction and DIRECTION_WORDS[story.direction] not in words:
            continue
        return True
    return False


def story_recall(seeds: range, kinds: tuple[str, ...] = PLANTED_KINDS,
                 out_dir: Path | None = None) -> list[tuple[PlantedStory, bool, list[str]]]:
    """Generate one client per (kind, seed), build its story, and check recall.

    Returns
    -------
    list of (planted story, recalled?, the summary sentences)
    """
    from toolkit.story import build_story

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(out_dir or tmp)
        for seed in seeds:
            for kind in kinds:
                spec, planted = planted_client(kind, seed)
                folder = write_client(spec, root, seed=seed)
                built = build_story(folder)
                results.append((planted, recalled(planted, built.findings), list(built.findings.summary_sentences)))
    return results
