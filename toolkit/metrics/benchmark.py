"""Benchmark: percentile of each area's alignment among the firm's other clients (DESIGN 2.1)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.model import AREA

MIN_OTHER_CLIENTS = 5
BENCHMARK_COLUMNS = [AREA, "percentile", "n_clients"]


def benchmark_percentiles(current_areas: pd.DataFrame, others: pd.DataFrame | None,
                          *, client_id: str | None = None) -> pd.DataFrame | None:
    """Percentile of each area's alignment among other clients (ties count half).

    Parameters
    ----------
    current_areas
        The client's areas: column (or index) ``area`` and column ``alignment``.
    others
        Other clients' latest alignment: ``client_id, area, alignment``.
    client_id
        Rows of this client in ``others`` are ignored.

    Returns
    -------
    pandas.DataFrame or None
        ``area, percentile, n_clients`` (percentile = % of other clients
        below, plus half of those tied); None when fewer than 5 other clients.

    Examples
    --------
    >>> cur = pd.DataFrame({"area": ["x"], "alignment": [60.0]})
    >>> oth = pd.DataFrame({"client_id": list("abcde"), "area": ["x"] * 5,
    ...                     "alignment": [50.0, 55.0, 60.0, 70.0, 80.0]})
    >>> float(benchmark_percentiles(cur, oth)["percentile"].iloc[0])  # (2 + 0.5) / 5
    50.0
    """
    if others is None or others.empty:
        return None
    pool = others if client_id is None else others[others["client_id"] != client_id]
    if pool["client_id"].nunique() < MIN_OTHER_CLIENTS:
        return None
    areas = current_areas.reset_index() if AREA not in current_areas.columns else current_areas
    rows = []
    for area, value in zip(areas[AREA], areas["alignment"].to_numpy(dtype=float), strict=True):
        peers = pool.loc[pool[AREA] == area].drop_duplicates("client_id", keep="last")["alignment"]
        peers = peers.to_numpy(dtype=float)
        peers = peers[~np.isnan(peers)]
        if np.isnan(value) or peers.size < MIN_OTHER_CLIENTS:
            pct = float("nan")
        else:
            pct = float(100.0 * ((peers < value).sum() + 0.5 * (peers == value).sum()) / peers.size)
        rows.append({AREA: area, "percentile": pct, "n_clients": int(peers.size)})
    return pd.DataFrame(rows, columns=BENCHMARK_COLUMNS)
