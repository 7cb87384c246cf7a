"""Drift between two waves, with a bootstrap interval on each difference (DESIGN 2.1)."""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from toolkit.metrics.bootstrap import interval
from toolkit.model import AREA

DRIFT_COLUMNS = [AREA, "metric", "previous", "current", "difference", "lo", "hi", "significant"]
OVERALL = "overall"  # the ``area`` of the OAI row


def drift_table(previous: Mapping[tuple[str, str], tuple[float, np.ndarray]],
                current: Mapping[tuple[str, str], tuple[float, np.ndarray]]) -> pd.DataFrame:
    """Differences ``current - previous`` with a 90 % interval from independent bootstraps.

    Parameters
    ----------
    previous, current
        ``{(area, metric): (point, draws)}`` of each wave; the draws come from
        independent bootstraps of the two waves with the same B, so draw ``b``
        of the difference is ``current_draws[b] - previous_draws[b]``.

    Returns
    -------
    pandas.DataFrame
        ``area, metric, previous, current, difference, lo, hi, significant``;
        ``significant`` when the interval excludes 0.

    Examples
    --------
    >>> prev = {("x", "alignment"): (50.0, np.array([48.0, 50.0, 52.0]))}
    >>> cur = {("x", "alignment"): (60.0, np.array([59.0, 60.0, 61.0]))}
    >>> row = drift_table(prev, cur).iloc[0]
    >>> float(row["difference"]), bool(row["significant"])
    (10.0, True)
    """
    rows = []
    for key, (cur_point, cur_draws) in current.items():
        if key not in previous:
            continue
        prev_point, prev_draws = previous[key]
        m = min(len(cur_draws), len(prev_draws))
        lo, hi = interval(np.asarray(cur_draws[:m]) - np.asarray(prev_draws[:m]))
        diff = cur_point - prev_point
        significant = bool(not np.isnan(lo) and not np.isnan(diff) and (lo > 0 or hi < 0))
        rows.append({AREA: key[0], "metric": key[1], "previous": prev_point, "current": cur_point,
                     "difference": diff, "lo": lo, "hi": hi, "significant": significant})
    return pd.DataFrame(rows, columns=DRIFT_COLUMNS).astype({"significant": bool})
