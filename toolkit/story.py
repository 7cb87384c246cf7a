"""One client's assessment story: load, score, protect, interpret — ready to show.

`build_story` is the single call the assessment notebook, the explorer, the
training checks and the PowerPoint export start from (or its steps:
`load_waves`, `assess_waves`, `protect_waves`, `find`), so every surface shows
the same protected numbers.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.metrics.score import DEFAULT_BOOT, DEFAULT_SEED
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
    summary: dict[str, Any]
    previous_wave: str | None = None


def previous_wave_of(client_dir: Path, wave: str | None, current_wave: str) -> str | None:
    """Return the wave assessed just before ``wave`` (or the current wave), if any."""
    from toolkit.intake import list_waves

    earlier = [w for w in list_waves(client_dir) if w != current_wave]  # oldest first, natural order
    if wave and wave != current_wave:
        earlier = earlier[: earlier.index(wave)] if wave in earlier else []
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class Waves:
    """One client's wave to assess and the wave before it (the input of every pipeline step)."""

    folder: Path
    client: ClientData
    previous: ClientData | None = None
    previous_wave: str | None = None


def load_waves(client_dir: str | Path, wave: str | None = None) -> Waves:
    """Load (and validate) a client's wave and the wave before it: the one place that chooses the previous wave.

    Parameters
    ----------
    client_dir
        The client folder (absolute, relative to the cwd, or to the repository).
    wave
        An earlier wave to assess instead of the current one ("" or None: current).

    Raises
    ------
    ClientDataError
        The data of either wave is invalid.
    """
    from toolkit.intake import load_client

    folder = resolve_client_dir(client_dir)
    client = load_client(folder)
    current = client.wave
    if wave and wave != current:
        client = load_client(folder, wave=wave)
    prev_wave = previous_wave_of(folder, wave or None, current)
    previous = load_client(folder, wave=prev_wave) if prev_wave else None
    return Waves(folder, client, previous, prev_wave)


def deck_wave_changes(client: ClientData,
                      load: Callable[[str], ClientData] | None = None) -> list[tuple[str, str]]:
    """`toolkit.privacy.linked.membership_changes` against the wave before ``client``'s, as the deck computes them.

    The explorer's unfiltered view must hide what the deck hides (everything
    published together), so it asks for the same wave changes.

    Parameters
    ----------
    client
        A `toolkit.model.ClientData` (current or earlier wave).
    load
        ``load(wave) -> ClientData`` of the same folder (default: `toolkit.intake.load_client`).
    """
    from toolkit.intake import list_waves, load_client
    from toolkit.privacy.linked import membership_changes

    waves = list_waves(client.root)
    earlier = waves[: waves.index(client.wave)] if client.wave in waves else waves
    if not earlier:
        return []
    previous = (load or (lambda wave: load_client(client.root, wave=wave)))(earlier[-1])
    return membership_changes(client, previous, int(client.config.privacy.min_group_size))


def load_others(benchmark_path: str | Path | None, *, exclude: str) -> Any:
    """Other clients' results for benchmark percentiles, or None.

    ``benchmark_path`` is a reports folder of published ``summary.json`` files or
    a frozen benchmark snapshot file (`toolkit.batch.snapshot`).
    """
    from toolkit.summary import load_portfolio

    if benchmark_path and Path(benchmark_path).is_file():
        from toolkit.batch.snapshot import snapshot_others

        return snapshot_others(Path(benchmark_path), exclude=exclude)
    if benchmark_path and Path(benchmark_path).exists():
        return load_portfolio(Path(benchmark_path), exclude=exclude)
    return None


def assess_waves(waves: Waves, *, others: Any = None, seed: int = DEFAULT_SEED,
                 n_boot: int = DEFAULT_BOOT) -> Assessment:
    """Every metric of the wave, with drift from the previous wave (raw: nothing hidden yet)."""
    from toolkit.metrics import assess

    return assess(waves.client, previous=waves.previous, others=others, seed=seed, n_boot=n_boot)


def protect_waves(raw: Assessment, waves: Waves) -> Assessment:
    """Apply the privacy engine to a raw assessment: the one wiring of `toolkit.privacy.protect` for a client.

    The linked-table audit covers the client's own cells, and groups whose
    membership changed since the previous wave (DESIGN 2.2).
    """
    from toolkit.privacy import protect
    from toolkit.privacy.linked import client_cells, membership_changes

    client = waves.client
    k = client.config.privacy.min_group_size
    changes = membership_changes(client, waves.previous, k) if waves.previous is not None else []
    return protect(raw, client.config.privacy, cells=client_cells(client), wave_changes=changes)


def find(protected: Assessment, waves: Waves) -> Findings:
    """Findings, priorities and narrative of a protected assessment."""
    from toolkit.findings import build_findings

    return build_findings(protected, waves.client.config, client=waves.client, previous_wave=waves.previous_wave)


def build_story(client_dir: str | Path, *, wave: str | None = None,
                benchmark_path: str | Path | None = None, seed: int = DEFAULT_SEED,
                n_boot: int = DEFAULT_BOOT) -> Story:
    """Load a client and compute everything its deck shows.

    The one pipeline (load -> assess -> protect -> find -> voice -> summary):
    the assessment notebook, the explorer, the training checks and the
    PowerPoint export all build their numbers with it or its steps above.

    Parameters
    ----------
    client_dir
        The client folder.
    wave
        An earlier wave to assess instead of the current one ("" or None: current).
    benchmark_path
        The reports folder holding other clients' ``summary.json`` (for benchmarks),
        or a benchmark snapshot file (``benchmark-<hash>.json`` or a client's peer view).
    seed
        Seed of the bootstrap.
    n_boot
        Bootstrap resamples.

    Returns
    -------
    Story
        Protected assessment, findings, voice and the summary dict.
    """
    from toolkit.summary import build_summary
    from toolkit.voice import analyse_voice

    waves = load_waves(client_dir, wave)
    client = waves.client
    others = load_others(benchmark_path, exclude=client.client_id)
    assessment = protect_waves(assess_waves(waves, others=others, seed=seed, n_boot=n_boot), waves)
    findings = find(assessment, waves)
    voice = analyse_voice(client, privacy=client.config.privacy)
    summary = build_summary(assessment, findings, voice, toolkit_version=__version__)
    return Story(client, assessment, findings, voice, summary, waves.previous_wave)
