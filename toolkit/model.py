"""The types intake produces and metrics read: `ClientData`, `Problem` and column names.

Every frame in the toolkit uses the snake_case column constants below, so a
column is spelt once.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from toolkit.client_config import ClientConfig
from toolkit.reasons import Reason

# --- column names (tidy frames) -------------------------------------------
RESPONDENT = "respondent_id"
DEPARTMENT = "department"
LEVEL = "level"
QUESTION = "question_id"
RATING = "rating"
AREA = "area"
THEME = "theme"
TEXT = "text"
REVERSE = "reverse"
OUTCOME = "outcome"
KPI = "kpi_id"
PERIOD = "period"
PERIOD_START = "period_start"
VALUE = "value"

# --- the method's vocabulary ----------------------------------------------
AREAS: tuple[str, ...] = (
    "customer_experience",
    "management_style",
    "unique_capabilities",
    "proven_processes",
)
AREA_LABELS: dict[str, str] = {
    "customer_experience": "Customer Experience",
    "management_style": "Management Style",
    "unique_capabilities": "Unique Capabilities",
    "proven_processes": "Proven Processes",
}
OUTCOME_AREA = "outcome"  # area of the question bank's outcome items
LEVELS: tuple[str, ...] = ("executive", "manager", "frontline")
SCALE_MIN, SCALE_MAX = 1, 5

RATINGS_COLUMNS = [RESPONDENT, DEPARTMENT, LEVEL, QUESTION, RATING]
QUESTIONS_COLUMNS = [QUESTION, AREA, TEXT, REVERSE, OUTCOME]
EXCERPTS_COLUMNS = [RESPONDENT, AREA, THEME, TEXT]
OPERATIONS_COLUMNS = [KPI, DEPARTMENT, PERIOD, VALUE]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class RatingScale:
    """The native answer scale of an interviews export (DESIGN 2.1).

    Ratings are stored on 1-5 for display (``1 + 4 (r - low) / (high - low)``);
    the metrics need the native number of points (for the random-answering
    variance of r_wg) and the favourable threshold on the agreeing half of the
    native scale (or the labels the mapping names).

    Attributes
    ----------
    points
        Native number of answer points ``A`` (5 by default; 0-4 is 5 points).
    low, high
        The native numbers of the lowest and highest answers.
    favourable_min
        Lowest *display* rating (1-5, after reverse keying) that counts as favourable.
    favourable_labels
        The labels the mapping names as favourable (empty: the agreeing half).

    Examples
    --------
    >>> s = RatingScale.native(4)
    >>> s.points, round(s.favourable_min, 4), s.describe()
    (4, 3.6667, '4-point scale (1-4); favourable = 3-4')
    """

    points: int = SCALE_MAX - SCALE_MIN + 1
    low: float = SCALE_MIN
    high: float = SCALE_MAX
    favourable_min: float = 4.0
    favourable_labels: tuple[str, ...] = ()

    @classmethod
    def native(cls, points: int, low: float = 1.0, favourable_labels_min: float | None = None,
               favourable_labels: tuple[str, ...] = ()) -> RatingScale:
        """The scale of ``points`` answers from ``low``; favourable = the agreeing half unless labels say.

        ``favourable_labels_min`` is the lowest native value among the named
        favourable labels.
        """
        high = low + points - 1
        first = low + (points + 1) // 2 if favourable_labels_min is None else favourable_labels_min  # above the midpoint
        return cls(points=int(points), low=float(low), high=float(high),
                   favourable_min=float(SCALE_MIN + (SCALE_MAX - SCALE_MIN) * (first - low) / max(high - low, 1)),
                   favourable_labels=tuple(favourable_labels))

    @property
    def sigma2_display(self) -> float:
        """Variance of uniform random answering, on the 1-5 display metric: ``(A^2-1)/12 (4/(A-1))^2``."""
        a = self.points
        return (a * a - 1) / 12.0 * ((SCALE_MAX - SCALE_MIN) / (a - 1)) ** 2

    def describe(self) -> str:
        """One phrase for the deck and summary: ``5-point scale (1-5); favourable = 4-5``."""
        lo, hi = f"{self.low:g}", f"{self.high:g}"
        if self.favourable_labels:
            fav = " or ".join(f'"{x}"' for x in self.favourable_labels)
        else:
            native_min = self.low + (self.favourable_min - SCALE_MIN) * (self.high - self.low) / (SCALE_MAX - SCALE_MIN)
            fav = f"{round(native_min):g}-{hi}"
        return f"{self.points}-point scale ({lo}-{hi}); favourable = {fav}"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready description (summary.json ``scale``)."""
        return {"points": self.points, "low": self.low, "high": self.high,
                "favourable_min": self.favourable_min, "favourable_labels": list(self.favourable_labels),
                "description": self.describe()}


DEFAULT_SCALE = RatingScale()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, precise enough to fix without asking.

    Attributes
    ----------
    file
        Path of the file, as the user passed it (relative when possible).
    reason
        Stable reason code, a `toolkit.reasons.Reason` (plain text is converted; an unknown code is refused).
    message
        What was expected and what was found, in plain words.
    row
        Row number as the spreadsheet shows it (header is row 1), if any.
    column
        Column name (or key path for YAML, e.g. ``kpis[2].target``), if any.
    found, expected
        The offending value and what would have been accepted.
    severity
        ``"error"`` blocks a run; ``"warning"`` is reported and the run goes on.
    count
        How many occurrences this one problem stands for (a summary line such
        as "... and 13,029 more rows" or "15 duplicate rows dropped"); totals
        are the sum of counts, never the number of lines.
    """

    file: str
    reason: Reason
    message: str
    row: int | None = None
    column: str | None = None
    found: str | None = None
    expected: str | None = None
    severity: Severity = "error"
    count: int = 1

    def __post_init__(self) -> None:
        # One home for reason codes: a code that is not a `Reason` fails here, where it is written.
        object.__setattr__(self, "reason", Reason(self.reason))

    def location(self) -> str:
        """Return ``row 15, column 'Q07'`` style text (empty when neither is known)."""
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        """Return the problem as a JSON-ready dict."""
        return {
            "file": self.file, "row": self.row, "column": self.column,
            "reason": self.reason.value, "expected": self.expected, "found": self.found,
            "severity": self.severity, "message": self.message, "count": self.count,
        }


def format_problems(problems: list[Problem], title: str = "problems") -> str:
    """Render problems grouped by file, one indented line each.

    Examples
    --------
    >>> print(format_problems([Problem("a.csv", "out_of_range", "expected a rating 1-5, found 7", row=3, column="Q1")]))
    a.csv: 1 problem
      row 3, column 'Q1': expected a rating 1-5, found 7 [out_of_range]
    """
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_file[p.file].append(p)
    lines = []
    for file, items in by_file.items():
        lines.append(f"{file}: {len(items)} problem{'s' if len(items) != 1 else ''}")
        for p in items:
            where = p.location()
            tag = "warning: " if p.severity == "warning" else ""
            lines.append(f"  {tag}{where + ': ' if where else ''}{p.message} [{p.reason}]")
    return "\n".join(lines) if lines else f"no {title}"


@dataclass
class ClientData:
    """One client's validated data for one wave, as tidy frames.

    Attributes
    ----------
    client_id
        The folder name, a lowercase slug.
    root
        The client folder (``client_data/<id>``); for an earlier wave, its wave folder.
    config
        The validated ``client.yaml``.
    questions
        Question bank in force: ``question_id, area, text, reverse, outcome``
        (outcome items have area ``"outcome"``).
    ratings
        Tidy ratings on 1-5, *before* reverse keying:
        ``respondent_id, department, level, question_id, rating`` (float; NA
        answers are dropped, never kept as a rating).
    excerpts
        ``respondent_id, area, theme, text`` (may be empty; ``theme`` may be "").
    operations
        ``kpi_id, department, period, period_start, value``: ``period`` is a
        canonical label (``2026-03``, ``2026-Q1`` or ``2026-03-15``) and
        ``period_start`` its first day as a Timestamp.
    roster
        Names of people to redact from excerpts.
    warnings
        Soft problems found at intake (the run goes on).
    scale
        The interviews' native answer scale (`RatingScale`; 5 points by default).
    sources
        Input files read, by role (``interviews``, ``operations``, ...).
    """

    client_id: str
    root: Path
    config: ClientConfig
    questions: pd.DataFrame
    ratings: pd.DataFrame
    excerpts: pd.DataFrame
    operations: pd.DataFrame
    roster: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)
    scale: RatingScale = DEFAULT_SCALE

    @property
    def wave(self) -> str:
        """The assessment wave (from ``client.yaml``)."""
        return self.config.wave

    @property
    def respondents(self) -> pd.DataFrame:
        """One row per respondent: ``respondent_id, department, level``."""
        cols = [RESPONDENT, DEPARTMENT, LEVEL]
        return self.ratings[cols].drop_duplicates(RESPONDENT).reset_index(drop=True)
