"""Length limits on free text cells (excerpts): a gigabyte-long quote is refused, not processed.

Excerpts go through redaction, theme matching and quote choice in the kernel,
each pass over every character; one enormous cell would keep the kernel busy
for minutes after validation said "ok".
"""
from __future__ import annotations

import numpy as np

from toolkit.intake.files import Table
from toolkit.intake.problems import ProblemLog
from toolkit.run.limits import Limits, current, how_to_raise


def check_text_lengths(table: Table, log_: ProblemLog, *, limits: Limits | None = None) -> bool:
    """Record a ``text_too_long`` problem per cell longer than ``excerpt_max_chars``; False if any.

    Parameters
    ----------
    table
        The excerpts table as read (every column is checked: the text column may
        have any name before mapping).
    log_
        Where problems go.
    limits
        Default: the limits in force.
    """
    limits = limits or current()
    cap = limits.excerpt_max_chars
    ok = True
    for column in table.frame.columns:
        values = table.frame[column].to_numpy(dtype=object)
        lengths = np.fromiter((len(v) if isinstance(v, str) else 0 for v in values), dtype=np.int64,
                              count=len(values))
        long_rows = np.flatnonzero(lengths > cap)
        if len(long_rows):
            ok = False
            log_.add_cells(table.file, "text_too_long", rows=table.frame.index[long_rows], columns=str(column),
                           found=[f"{n:,} characters" for n in lengths[long_rows]],
                           expected=f"at most {cap:,} characters",
                           message="the text is {raw} long, more than an excerpt needs (split it, or keep the "
                                   "quote itself); " + how_to_raise("excerpt_max_chars", cap).replace("{", "{{")
                                   .replace("}", "}}"))
    return ok
