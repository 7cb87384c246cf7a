"""Read, map and validate one client's folder into `ClientData` (DESIGN 3).

>>> problems = validate_client("client_data/acme")        # doctest: +SKIP
>>> data = load_client("client_data/acme")                # doctest: +SKIP
"""
from __future__ import annotations

import re
from pathlib import Path

from toolkit.errors import ClientDataError
from toolkit.intake.questions import load_question_bank
from toolkit.intake.validate import collect
from toolkit.model import ClientData, Problem
from toolkit.reasons import Reason

__all__ = ["validate_client", "load_client", "list_waves", "load_question_bank"]


def validate_client(path: str | Path, wave: str | None = None) -> list[Problem]:
    """Return every problem with a client's data (errors and warnings), never raising for bad data.

    Parameters
    ----------
    path
        The client folder (``client_data/<client-id>``).
    wave
        An earlier wave (``waves/<wave>/``); default the current one.

    Returns
    -------
    list of Problem
        Empty when the data is clean.
    """
    return list(collect(path, wave).log.problems)


def load_client(path: str | Path, wave: str | None = None) -> ClientData:
    """Read and validate a client's data for one wave.

    Parameters
    ----------
    path
        The client folder (``client_data/<client-id>``).
    wave
        An earlier wave (``waves/<wave>/``); default the current one.

    Returns
    -------
    ClientData
        Tidy frames; warnings in ``ClientData.warnings``.

    Raises
    ------
    ClientDataError
        When any error-severity problem exists; it carries every problem.
    """
    c = collect(path, wave)
    if (c.log.errors or c.config is None or c.ratings is None or c.questions is None or c.excerpts is None
            or c.operations is None):
        raise ClientDataError(c.log.problems or [Problem(str(path), Reason.unreadable_file, "no usable data")],
                              title=f"invalid client data in {path}")
    return ClientData(
        client_id=c.client_id, root=c.folder, config=c.config, questions=c.questions,
        ratings=c.ratings, excerpts=c.excerpts, operations=c.operations, roster=c.roster,
        warnings=c.log.warnings, sources=c.sources, scale=c.scale)


def _wave_key(name: str) -> list[object]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def list_waves(path: str | Path) -> list[str]:
    """Return the earlier waves under ``<client>/waves/`` (each with a client.yaml), oldest first.

    Waves sort naturally by folder name (``2025-Q4`` before ``2026-Q1``, ``w2`` before ``w10``).
    """
    waves = Path(path) / "waves"
    if not waves.is_dir():
        return []
    return sorted((p.name for p in waves.iterdir() if (p / "client.yaml").is_file()), key=_wave_key)
