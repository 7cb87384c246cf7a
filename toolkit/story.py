"""One client's assessment story: load, score, protect, interpret — ready to show.

`build_story` is the single call the assessment notebook, the explorer and the
PowerPoint export start from, so every surface shows the same protected numbers.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.metrics.score import DEFAULT_SEED
from toolkit.model import ClientData
from toolkit.run.resources import resolve_client_dir

if TYPE_CHECKING:  # pragma: no cover  (the kernel imports these lazily, in build_story)
    from toolkit.findings import Findings
    from toolkit.metrics.assessment import Assessment
    from toolkit.voice import Voice

log = logging.getLogger("toolkit")

@dataclass
class Story:
    """Everything a deck shows about one client and wave (privacy already applied)."""

    client: ClientData
    assessment: Assessment  # protected
    findings: Findings
    voice: Voice
    summary: dict
    previous_wave: str | None = None


def previous_wave_of(client_dir: Path, wave: str | None, current_wave: str) -> str | None:
    """Return the wave assessed just before ``wave`` (or the current wave), if any."""
    from toolkit.intake import list_waves

    earlier = [w for w in list_waves(client_dir) if w != current_wave]  # oldest first, natural order
    if wave and wave != current_wave:
        earlier = earlier[: earlier.index(wave)] if wave in earlier else []
    return earlier[-1] if earlier else None


def build_story(client_dir: str | Path, *, wave: str | None = None,
                portfolio_dir: str | Path | None = None, seed: int = DEFAULT_SEED) -> Story:
    """Load a client and compute everything its deck shows.

    Parameters
    ----------
    client_dir
        The client folder.
    wave
        An earlier wave to assess instead of the current one ("" or None: current).
    portfolio_dir
        The reports folder holding other clients' ``summary.json`` (for benchmarks),
        or a benchmark snapshot file (``benchmark-<hash>.json`` or a client's peer view).
    seed
        Seed of the bootstrap.

    Returns
    -------
    Story
        Protected assessment, findings, voice and the summary dict.
    """
    from toolkit.findings import build_findings
    from toolkit.intake import load_client
    from toolkit.metrics import assess
    from toolkit.privacy import protect
    from toolkit.summary import build_summary, load_portfolio
    from toolkit.voice import analyse_voice

    folder = resolve_client_dir(client_dir)
    client = load_client(folder)
    current = client.wave
    if wave and wave != current:
        client = load_client(folder, wave=wave)
    prev_wave = previous_wave_of(folder, wave or None, current)
    previous = load_client(folder, wave=prev_wave) if prev_wave else None
    others = None
    if portfolio_dir and Path(portfolio_dir).is_file():  # a frozen benchmark snapshot (toolkit.batch.snapshot)
        from toolkit.batch.snapshot import snapshot_others

        others = snapshot_others(Path(portfolio_dir), exclude=client.client_id)
    elif portfolio_dir and Path(portfolio_dir).exists():
        others = load_portfolio(Path(portfolio_dir), exclude=client.client_id)
    raw = assess(client, previous=previous, others=others, seed=seed)
    from toolkit.privacy.linked import client_cells, membership_changes

    k = client.config.privacy.min_group_size
    changes = membership_changes(client, previous, k) if previous is not None else []
    assessment = protect(raw, client.config.privacy, cells=client_cells(client), wave_changes=changes)
    findings = build_findings(assessment, client.config, client=client, previous_wave=prev_wave)
    voice = analyse_voice(client, privacy=client.config.privacy)
    summary = build_summary(assessment, findings, voice, toolkit_version=__version__)
    return Story(client, assessment, findings, voice, summary, prev_wave)
