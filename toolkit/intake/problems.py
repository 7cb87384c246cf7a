"""Collecting `Problem`s: one log per validation run, vectorised builders and the cap.

Validation never stops at the first problem. Every check appends to a
`ProblemLog`; checks over many cells hand over whole arrays (rows, columns,
values found) and the log builds the `Problem`s, capping a flood of identical
problems (more than `CAP` of one reason in one column of one file) to a few
examples plus one summary line, so a wholly wrong file stays readable.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.model import Problem, Severity
from toolkit.reasons import Reason

CAP = 200        # more than this many identical problems get summarised ...
CAP_SHOWN = 10   # ... as this many examples plus one summary line


def show_value(value: object) -> str:
    """Return a value as a person reads it in a message: numbers bare, text quoted.

    Examples
    --------
    >>> show_value("7"), show_value("VP"), show_value(None)
    ('7', "'VP'", 'an empty cell')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "an empty cell"
    text = str(value)
    if text == "":
        return "an empty cell"
    try:
        float(text)
    except ValueError:
        return repr(text)
    return text


@dataclass
class ProblemLog:
    """An append-only list of problems found while validating one client.

    Attributes
    ----------
    problems
        Every problem so far, in the order found.
    """

    problems: list[Problem] = field(default_factory=list)

    def add(self, file: str, reason: str, message: str, *, row: int | None = None,
            column: str | None = None, found: object = None, expected: str | None = None,
            severity: Severity = "error", count: int = 1) -> None:
        """Append one problem (``count``: how many occurrences it stands for)."""
        self.problems.append(Problem(
            file=file, reason=Reason(reason), message=message, row=None if row is None else int(row),
            column=column, found=None if found is None else str(found),
            expected=expected, severity=severity, count=int(count)))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Append problems built elsewhere."""
        self.problems.extend(problems)

    def add_cells(self, file: str, reason: str, *, rows: Iterable[int], columns: Iterable[str] | str,
                  found: Iterable[object], expected: str, message: str | None = None,
                  severity: Severity = "error") -> None:
        """Append one problem per offending cell, capped per column.

        Parameters
        ----------
        file, reason, expected, severity
            As in `Problem`; the same for every cell.
        rows, columns, found
            Spreadsheet row, column name and value found of each cell (equal
            lengths; a single column name applies to all).
        message
            Template with ``{found}`` (shown: text quoted), ``{raw}`` (as is) and
            ``{expected}``; default
            ``"expected {expected}, found {found}"``.
        """
        rows = np.asarray(list(rows) if not isinstance(rows, (np.ndarray, pd.Index, pd.Series)) else rows)
        if len(rows) == 0:
            return
        if isinstance(columns, str):
            cols = np.full(len(rows), columns, dtype=object)
        else:
            cols = np.asarray(list(columns) if not isinstance(columns, (np.ndarray, pd.Index, pd.Series))
                              else columns, dtype=object)
        vals = np.asarray(list(found) if not isinstance(found, (np.ndarray, pd.Index, pd.Series))
                          else found, dtype=object)
        template = message or "expected {expected}, found {found}"
        # stable order: by column first appearance, then row
        frame = pd.DataFrame({"row": rows, "col": cols, "val": vals})
        for col, part in frame.groupby("col", sort=False):
            part = part.sort_values("row", kind="stable")
            shown = part if len(part) <= CAP else part.iloc[:CAP_SHOWN]
            for r, v in zip(shown["row"].tolist(), shown["val"].tolist(), strict=True):
                self.add(file, reason, template.format(found=show_value(v), raw=_as_found(v),
                                                                 expected=expected),
                         row=r, column=str(col), found=None if v is None else _as_found(v),
                         expected=expected, severity=severity)
            if len(part) > CAP:
                more = len(part) - CAP_SHOWN
                self.add(file, reason, f"... and {more:,} more rows in this column with the same "
                         f"problem (expected {expected})", column=str(col), expected=expected,
                         found=f"{more} more", severity=severity, count=more)

    @property
    def errors(self) -> list[Problem]:
        """Problems that block a run."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that are reported while the run goes on."""
        return [p for p in self.problems if p.severity == "warning"]


def _as_found(value: object) -> str | None:
    if isinstance(value, float) and np.isnan(value):
        return ""
    if value is pd.NA:
        return ""
    return str(value)


def count_by_reason(problems: Iterable[Problem], severity: Severity) -> dict[str, int]:
    """Return ``{reason: occurrences}`` of one severity, largest first (summary lines count in full)."""
    counts: dict[str, int] = {}
    for p in problems:
        if p.severity == severity:
            counts[p.reason] = counts.get(p.reason, 0) + p.count
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summarise(problems: Iterable[Problem], severity: Severity = "warning") -> str:
    """Return ``"13,239 warnings: low_completion 13,239"`` (empty text when there are none).

    Examples
    --------
    >>> summarise([Problem("a.csv", "low_completion", "m", severity="warning", count=13239),
    ...            Problem("a.csv", "small_group", "m", severity="warning")])
    '13,240 warnings: low_completion 13,239, small_group 1'
    """
    counts = count_by_reason(problems, severity)
    total = sum(counts.values())
    if not total:
        return ""
    noun = severity + ("s" if total != 1 else "")
    return f"{total:,} {noun}: " + ", ".join(f"{r} {n:,}" for r, n in counts.items())
