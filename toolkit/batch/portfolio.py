"""The cross-client table: each client's latest OAI, band and principal gap.

Read from the published ``<out>/<client>/<wave>/summary.json`` files. The
summary schema belongs to `toolkit.summary`; this module reads it
defensively, accepting the places a value is likely to live (first match wins):

============== ==============================================================
column          keys tried in ``summary.json``
============== ==============================================================
client_id       ``client_id``, ``client.id``, ``client.client_id``; else the folder name
name            ``client_name``, ``name``, ``client.name``
wave            ``wave``, ``client.wave``; else the folder name
oai             ``oai.value``, ``oai`` (a number), ``overall.oai.value``, ``overall.oai``
band            ``oai.band``, ``band``, ``overall.band``
principal_gap   ``principal_gap.area``, ``principal_gap`` (an area id), ``overall.principal_gap``
============== ==============================================================

The first key of each row is where `toolkit.summary` (schema 1.0) puts it; the
others keep older or hand-made summaries readable. A suppressed OAI
(``oai.value`` null) stays missing.

A client's *latest* summary is the one of its greatest wave id in natural
order (``2025-h2`` < ``2026-h1``, ``wave9`` < ``wave10``): the one
`toolkit.summary.latest_summaries` picks (the benchmark reads the same
function), so hidden folders (``.staging-*``, ``.previous-*``) and
``<wave>.failed`` folders are never read; unreadable summaries are skipped.
"""
from __future__ import annotations

import json
import logging
import math
import os
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.summary import latest_summaries

log = logging.getLogger("toolkit")

__all__ = ["PORTFOLIO_COLUMNS", "PORTFOLIO_FILE", "latest_summaries", "portfolio_table", "write_portfolio_csv"]

PORTFOLIO_COLUMNS = ["client_id", "name", "wave", "oai", "band", "principal_gap"]
PORTFOLIO_FILE = "portfolio.csv"

_KEYS: dict[str, tuple[str, ...]] = {
    "client_id": ("client_id", "client.id", "client.client_id"),
    "name": ("client_name", "name", "client.name"),
    "wave": ("wave", "client.wave"),
    "oai": ("oai.value", "oai", "overall.oai.value", "overall.oai"),
    "band": ("oai.band", "band", "overall.band"),
    "principal_gap": ("principal_gap.area", "principal_gap", "overall.principal_gap"),
}


def _lookup(data: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _first(data: dict[str, Any], column: str) -> Any:
    for path in _KEYS[column]:
        value = _lookup(data, path)
        if value is None or isinstance(value, (dict, list)):
            continue
        if column == "oai":
            try:
                value = float(value)
            except (TypeError, ValueError):
                continue
            if math.isnan(value):
                continue
        return value
    return None


def portfolio_table(out_dir: Path) -> pd.DataFrame:
    """Return one row per client with a published summary: its latest OAI, band and principal gap.

    Parameters
    ----------
    out_dir
        The reports folder (``<out>/<client>/<wave>/summary.json``).

    Returns
    -------
    pandas.DataFrame
        Columns ``client_id, name, wave, oai, band, principal_gap`` (see the
        module docstring for where each is read), sorted by ``client_id``;
        empty (with those columns) when there is no summary. A value the
        summary does not hold is missing (NA), never invented.

    Examples
    --------
    >>> portfolio_table(Path("reports")).columns.tolist()  # doctest: +SKIP
    ['client_id', 'name', 'wave', 'oai', 'band', 'principal_gap']
    """
    rows = []
    for folder, path in latest_summaries(out_dir).items():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("portfolio: skipping %s (%s)", path, exc)
            continue
        if not isinstance(data, dict):
            log.warning("portfolio: skipping %s (not a JSON object)", path)
            continue
        row = {column: _first(data, column) for column in PORTFOLIO_COLUMNS}
        row["client_id"] = row["client_id"] or folder
        row["wave"] = row["wave"] or path.parent.name
        rows.append(row)
    table = pd.DataFrame(rows, columns=PORTFOLIO_COLUMNS)
    table["oai"] = pd.to_numeric(table["oai"], errors="coerce").astype("Float64")
    for column in ("client_id", "name", "wave", "band", "principal_gap"):
        table[column] = table[column].astype("string")
    return table.sort_values("client_id", ignore_index=True)


def write_portfolio_csv(out_dir: Path) -> Path:
    """Write `portfolio_table` to ``<out>/portfolio.csv`` (atomically) and return its path."""
    from toolkit.privacy.safe_csv import write_csv

    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    path = root / PORTFOLIO_FILE
    tmp = root / f".{PORTFOLIO_FILE}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        write_csv(portfolio_table(root), tmp)  # formula prefixes neutralised (DESIGN 2.2)
        os.replace(tmp, path)
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # a read-only folder: the write's own error is the one to report
            pass
    return path
