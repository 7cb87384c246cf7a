"""``mapping.yaml``: how a survey tool's export maps onto the client folder contract.

A new survey tool is onboarded by writing a mapping file, not code. Every key
is optional; a folder without ``mapping.yaml`` must already follow the
contract (DESIGN 3). Identifying columns (e-mail, IP address, names, phone,
location; see `IDENTIFYING`) are dropped from every table at intake even
without a mapping, so they never reach `ClientData`.

Full example (a Qualtrics export with a job-title column)::

    interviews:
      sheet: Responses            # XLSX sheet (default "Interviews", else the first)
      skip_rows: 2                # extra header rows under the header (Qualtrics: 2)
      drop: [StartDate, EndDate, Status, Progress, "Duration*", Finished,
             RecordedDate, DistributionChannel, UserLanguage]   # fnmatch, any case
      rename:                     # export column (or long-export question) -> contract name
        ResponseId: respondent_id
        Dept: department
        Q1_1: CX01
        Q1_2: CX02
      scale:                      # the NATIVE scale (DESIGN 2.1); ratings are shown on 1-5
        preset: agreement         # "Strongly agree".."Strongly disagree" and SA/A/N/D/SD
                                  # (agreement4: the 4-point forced-choice labels, 1-4)
        labels: {"Tend to agree": 4}   # more labels, onto the native numbers min..max
        min: 0                    # numeric answers min..max: 0-4 is a 5-point scale
        max: 4
        # points: 7               # or the number of points from min (1-7); default max - min + 1
        # favourable: ["Agree", "Strongly agree"]   # default: the agreeing half of the scale
      not_applicable: ["N/A", "Don't know", 9]   # become missing, never a rating
      levels:
        column: JobTitle          # where the level comes from (default: level)
        values: {"Chief Executive": executive, "Team Lead": manager}
        patterns: {"chief|director|vp": executive, "manager|lead": manager}  # regex, in order
        flags: {IsExecutive: executive, IsManager: manager}  # role-flag columns (1/yes/true/x)
        default: frontline        # when no value, pattern or flag matched
      long:                       # one row per answer: pivoted onto respondents
        respondent: ResponseId
        question: Item
        answer: Answer
        attributes: {Dept: department, Role: JobTitle}   # question rows holding respondent facts
    operations:
      sheet: KPIs
      skip_rows: 0
      rename: {Metric: kpi_id, Unit: department, Month: period, Actual: value}
      drop: [Comment]
    excerpts:
      rename: {Respondent: respondent_id, Note: text}

Label matching ignores case and surrounding or repeated whitespace.
"""
from __future__ import annotations

import codecs
import fnmatch
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from toolkit.intake.files import display_path, text_column
from toolkit.intake.problems import ProblemLog
from toolkit.intake.read_config import read_yaml, validate_model
from toolkit.model import LEVEL, LEVELS, QUESTION, RATING, RESPONDENT, SCALE_MAX, SCALE_MIN, RatingScale

Level = Literal["executive", "manager", "frontline"]

# normalised (lower case, no blanks/_/-) names of columns that identify a person
IDENTIFYING = frozenset({
    "email", "emailaddress", "ipaddress", "name", "fullname", "firstname", "lastname",
    "recipientfirstname", "recipientlastname", "recipientemail", "phone", "phonenumber",
    "locationlatitude", "locationlongitude",
})
TRUTHY = frozenset({"1", "true", "yes", "y", "x", "ja", "oui", "si", "✓"})
PRESETS: dict[str, dict[str, float]] = {
    "agreement": {
        "strongly agree": 5, "agree": 4, "neither agree nor disagree": 3, "neutral": 3,
        "disagree": 2, "strongly disagree": 1,
        "sa": 5, "a": 4, "n": 3, "d": 2, "sd": 1,
    },
    "agreement4": {  # a forced-choice 4-point scale: no midpoint
        "strongly agree": 4, "agree": 3, "tend to agree": 3, "disagree": 2, "tend to disagree": 2,
        "strongly disagree": 1, "sa": 4, "a": 3, "d": 2, "sd": 1,
    },
}
PRESET_POINTS = {"agreement": 5, "agreement4": 4}


def normalise_label(text: str) -> str:
    """Return a label folded for matching: lower case, single inner spaces, stripped.

    Examples
    --------
    >>> normalise_label("  Strongly   AGREE ")
    'strongly agree'
    """
    return " ".join(str(text).split()).casefold()


def _header_key(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).casefold()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    """How answers become ratings: the native scale, its labels and which answers are favourable.

    ``points`` is the native number of answer points (default: ``max - min + 1``,
    so ``min: 0, max: 4`` is 5 points and ``points: 4`` alone is 1-4). Labels
    map onto the native numbers ``min..max``; ratings are then stored on 1-5
    for display. ``favourable`` names the labels that count as favourable
    (default: the agreeing half of the native scale, DESIGN 2.1).
    """

    preset: Literal["agreement", "agreement4"] | None = None
    points: int | None = Field(default=None, ge=2, le=11)
    min: float = SCALE_MIN
    max: float = SCALE_MAX
    labels: dict[str, float] = Field(default_factory=dict)
    favourable: list[str] = Field(default_factory=list)

    @field_validator("labels")
    @classmethod
    def _labels_on_scale(cls, labels: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        low = info.data.get("min", SCALE_MIN)
        high = _native_high(low, info.data.get("max", SCALE_MAX), info.data.get("points"),
                            info.data.get("preset"))
        for k, v in labels.items():
            if not low <= v <= high:
                raise ValueError(f"label {k!r} maps to {v:g}; labels map onto the native scale {low:g}-{high:g}")
        return labels

    @model_validator(mode="after")
    def _range(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max:g}) must be above min ({self.min:g})")
        span = self.high - self.min
        if self.points is not None and (self.min, self.max) != (SCALE_MIN, SCALE_MAX) \
                and self.points != span + 1:
            raise ValueError(f"scale points ({self.points}) do not match min {self.min:g} .. max {self.max:g}")
        if not float(span).is_integer() or not 2 <= span + 1 <= 11:
            raise ValueError(f"scale min {self.min:g} .. max {self.max:g} is not a scale of 2-11 whole points")
        known = set(self.label_values())
        unknown = [f for f in self.favourable if normalise_label(f) not in known]
        if unknown:
            raise ValueError(f"favourable labels {unknown} are not scale labels; labels are {sorted(known)}")
        return self

    @property
    def high(self) -> float:
        """The native number of the highest answer (``max``, or ``min + points - 1``)."""
        return _native_high(self.min, self.max, self.points, self.preset)

    def label_values(self) -> dict[str, float]:
        """Return ``{normalised label: native value}``, preset first then own labels."""
        out = dict(PRESETS.get(self.preset or "", {}))
        out.update({normalise_label(k): float(v) for k, v in self.labels.items()})
        return out

    def rating_scale(self) -> RatingScale:
        """The `RatingScale` the metrics use: native points and the favourable threshold."""
        points = int(round(self.high - self.min)) + 1
        labels = self.label_values()
        fav_min = min(labels[normalise_label(f)] for f in self.favourable) if self.favourable else None
        return RatingScale.native(points, low=self.min, favourable_labels_min=fav_min,
                                  favourable_labels=tuple(self.favourable))

    def rescale(self, values: np.ndarray) -> np.ndarray:
        """Map native numbers on ``min..high`` linearly onto 1-5 for display (``0..4``: 2 -> 3)."""
        if (self.min, self.high) == (SCALE_MIN, SCALE_MAX):
            return values
        return SCALE_MIN + (values - self.min) * (SCALE_MAX - SCALE_MIN) / (self.high - self.min)


def _native_high(low: float, high: float, points: int | None, preset: str | None) -> float:
    """The highest native number: ``max`` unless ``points`` (or a 4-point preset) sets it from ``min``."""
    if (low, high) == (SCALE_MIN, SCALE_MAX):
        if points is not None:
            return low + points - 1
        if preset in PRESET_POINTS:
            return low + PRESET_POINTS[preset] - 1
    return high


class Levels(_Strict):
    """Where each respondent's level comes from."""

    column: str | None = None
    values: dict[str, Level] = Field(default_factory=dict)
    patterns: dict[str, Level] = Field(default_factory=dict)
    flags: dict[str, Level] = Field(default_factory=dict)
    default: Level | None = None

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: dict[str, str]) -> dict[str, str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} is not a valid regular expression: {exc}") from exc
        return patterns


class Long(_Strict):
    """A one-row-per-answer export: which columns hold respondent, question and answer."""

    respondent: str = Field(min_length=1)
    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    attributes: dict[str, str] = Field(default_factory=dict)


class RowFilter(_Strict):
    """Which rows to keep: ``keep`` rows whose column holds a listed value, ``drop`` the others listed.

    Values match any case and spacing; ``*`` and ``?`` are wildcards (``"*@example.com"``).
    """

    keep: dict[str, list[str | float]] = Field(default_factory=dict)
    drop: dict[str, list[str | float]] = Field(default_factory=dict)


class TableMapping(_Strict):
    """Options shared by every table."""

    sheet: str | None = None
    skip_rows: int = Field(default=0, ge=0)
    encoding: str | None = None
    rename: dict[str, str] = Field(default_factory=dict)
    drop: list[str] = Field(default_factory=list)
    filter: RowFilter = Field(default_factory=RowFilter)
    recode: dict[str, dict[str, str | float | None]] = Field(default_factory=dict)
    drop_duplicates: bool = False

    @field_validator("encoding")
    @classmethod
    def _known_codec(cls, encoding: str | None) -> str | None:
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise ValueError(f"unknown encoding {encoding!r}; e.g. utf-8, utf-16, cp1252, "
                                 "shift_jis, latin-1") from None
        return encoding


class InterviewsMapping(TableMapping):
    """Options of the interviews export."""

    scale: Scale = Field(default_factory=Scale)
    not_applicable: list[str | float] = Field(default_factory=list)
    levels: Levels = Field(default_factory=Levels)
    long: Long | None = None
    ignore: list[str] = Field(default_factory=list)
    aliases: dict[str, str] = Field(default_factory=dict)


class Mapping(_Strict):
    """The whole ``mapping.yaml``."""

    interviews: InterviewsMapping = Field(default_factory=InterviewsMapping)
    operations: TableMapping = Field(default_factory=TableMapping)
    excerpts: TableMapping = Field(default_factory=TableMapping)
    _file: str = PrivateAttr(default="mapping.yaml")
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    def where(self, key: str) -> tuple[str, int | None]:
        """Return ``(mapping file, line)`` of a key path such as ``interviews.long.answer``."""
        line = self._lines.get(key)
        while line is None and "." in key:
            key = key.rsplit(".", 1)[0]
            line = self._lines.get(key)
        return self._file, line


def load_mapping(folder: Path, root: Path, log_: ProblemLog) -> Mapping | None:
    """Read ``<folder>/mapping.yaml``: the default `Mapping` when absent, None when invalid."""
    path = folder / "mapping.yaml"
    if not path.is_file():
        return Mapping()
    data, lines = read_yaml(path, root, log_, reason="bad_mapping")
    if data is None:
        return None
    mapping = validate_model(Mapping, data, display_path(path, root), log_, lines, reason="bad_mapping")
    if mapping is not None:
        mapping._file, mapping._lines = display_path(path, root), lines
    return mapping


def drop_columns(frame: pd.DataFrame, patterns: Sequence[str] = (), *, identifying: bool = True) -> pd.DataFrame:
    """Drop identifying columns (always) and those matching the ``drop`` patterns (any case)."""
    pats = [p.casefold() for p in patterns]
    gone = [c for c in frame.columns
            if (identifying and _header_key(c) in IDENTIFYING)
            or any(fnmatch.fnmatchcase(c.casefold(), p) for p in pats)]
    return frame.drop(columns=gone)


def rename_columns(frame: pd.DataFrame, rename: dict[str, str], canonical: list[str]) -> pd.DataFrame:
    """Apply the mapping's renames, then spell contract columns canonically (``Respondent_ID``)."""
    frame = frame.rename(columns={k.strip(): v for k, v in rename.items()})
    lookup = {_header_key(c): c for c in canonical}
    return frame.rename(columns={c: lookup[_header_key(c)] for c in frame.columns
                                 if _header_key(c) in lookup and c not in canonical})


def pivot_long(frame: pd.DataFrame, long: Long, rename: dict[str, str]) -> pd.DataFrame:
    """Turn a one-row-per-answer export into tidy rows, keeping each answer's row number.

    Question rows named in ``long.attributes`` (e.g. ``Dept``) become respondent
    columns (first answer wins) joined onto every rating row.
    """
    frame = frame.rename(columns={long.respondent: RESPONDENT, long.question: QUESTION,
                                  long.answer: RATING})
    if not {RESPONDENT, QUESTION, RATING} <= set(frame.columns):
        return frame  # the missing columns are reported by the ratings check
    question = text_column(frame[QUESTION])
    is_attr = question.isin(list(long.attributes))
    attrs = frame.loc[is_attr, [RESPONDENT, RATING]].assign(_attr=question[is_attr].map(long.attributes))
    wide = (attrs.drop_duplicates([RESPONDENT, "_attr"]).pivot(index=RESPONDENT, columns="_attr", values=RATING)
            if len(attrs) else pd.DataFrame(index=pd.Index([], name=RESPONDENT)))
    ratings = frame.loc[~is_attr].assign(**{QUESTION: question[~is_attr].map(lambda q: rename.get(q, q))})
    ratings = ratings.drop(columns=[c for c in wide.columns if c in ratings.columns])
    rows = ratings.index
    out = ratings.merge(wide, left_on=RESPONDENT, right_index=True, how="left")
    out.index = rows
    return out


def assign_levels(frame: pd.DataFrame, levels: Levels) -> pd.DataFrame:
    """Derive the ``level`` column from role flags and/or a title column (see `Levels`).

    Unmatched values are kept as found so validation can report them.
    """
    source = levels.column or LEVEL
    out = frame
    flag_level = None
    if levels.flags:
        present = [c for c in levels.flags if c in frame.columns]
        masks = [text_column(frame[c]).map(lambda v: v is not None and v.casefold() in TRUTHY)
                 .to_numpy(dtype=bool) for c in present]
        flag_level = pd.Series(np.select(masks, [levels.flags[c] for c in present], default=np.array(None, dtype=object))
                               if masks else None, index=frame.index, dtype=object)
        out = out.drop(columns=present)
    if source in out.columns:
        values = {normalise_label(k): v for k, v in levels.values.items()}
        patterns = [(re.compile(p, re.IGNORECASE), v) for p, v in levels.patterns.items()]

        def to_level(text: str | None) -> str | None:
            if text is None:
                return levels.default
            norm = normalise_label(text)
            if norm in values:
                return values[norm]
            for pat, v in patterns:
                if pat.search(text):
                    return v
            squashed = re.sub(r"[^a-z]", "", norm)
            if squashed in LEVELS:
                return squashed
            return levels.default or text

        col = text_column(out[source])
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        mapped = np.array([to_level(u) for u in uniques] + [to_level(None)], dtype=object)
        level = pd.Series(mapped[codes], index=out.index, dtype=object)
        if source != LEVEL:
            out = out.drop(columns=[source])
        if flag_level is not None:
            level = flag_level.where(flag_level.notna(), level)
        out = out.assign(**{LEVEL: level})
    elif flag_level is not None:
        out = out.assign(**{LEVEL: flag_level.fillna(levels.default) if levels.default else flag_level})
    return out
