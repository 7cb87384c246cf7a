"""Ratings as a respondent x item matrix, reverse keyed, with each respondent's groups.

Every metric of DESIGN 2.1 is computed from this one dense matrix, so the
bootstrap can resample respondents with matrix products instead of loops.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.model import (
    AREA,
    DEFAULT_SCALE,
    DEPARTMENT,
    LEVEL,
    OUTCOME,
    OUTCOME_AREA,
    QUESTION,
    RATING,
    RESPONDENT,
    REVERSE,
    SCALE_MAX,
    SCALE_MIN,
    TEXT,
    RatingScale,
)

log = logging.getLogger("toolkit")

FAVOURABLE_MIN = 4.0  # on a native 5-point scale a rating of 4 or 5 (after reverse keying) is favourable
POINTS = "points"  # items column: native number of answer points
FAVOURABLE_FLOOR = "favourable_min"  # items column: lowest favourable display rating (1-5)
_TRUE = {"true", "1", "yes", "y", "t"}
# Warning phrases that count ratings (privacy drops them when every result is hidden).
UNKNOWN_QUESTIONS_PHRASE = "ratings of questions not in the question bank were ignored"
DUPLICATE_RATINGS_PHRASE = "questions were rated more than once by the same respondent"
RATING_COUNT_PHRASES = (UNKNOWN_QUESTIONS_PHRASE, DUPLICATE_RATINGS_PHRASE)


def as_bool(values: pd.Series) -> np.ndarray:
    """Read a flag column (bool, 0/1 or ``"true"/"false"`` text) as a bool array.

    Examples
    --------
    >>> as_bool(pd.Series(["true", "False", "1", ""])).tolist()
    [True, False, True, False]
    """
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(values):
        return np.asarray(values.fillna(0).to_numpy(dtype=float) != 0)
    return np.array([str(v).strip().lower() in _TRUE for v in values], dtype=bool)


def reverse_key(rating: np.ndarray | float, reverse: np.ndarray | bool) -> np.ndarray:
    """Recode reverse-keyed ratings as ``6 - r`` (on the 1-5 scale); others unchanged.

    Examples
    --------
    >>> reverse_key(np.array([1.0, 2.0, 5.0]), np.array([True, False, True])).tolist()
    [5.0, 2.0, 1.0]
    """
    r = np.asarray(rating, dtype=float)
    return np.where(reverse, SCALE_MIN + SCALE_MAX - r, r)


@dataclass(frozen=True)
class RatingMatrix:
    """Keyed ratings of one wave as a dense matrix.

    Attributes
    ----------
    respondents
        ``respondent_id, department, level``, one row per matrix row.
    items
        ``question_id, area, text, reverse, outcome, points, favourable_min``,
        one row per matrix column (only questions that were rated, in
        question-bank order); ``points`` is the item's native scale.
    values
        ``(n_respondents, n_items)`` float array of ratings after reverse
        keying; NaN where a respondent did not rate an item.
    raw
        The same before reverse keying.
    """

    respondents: pd.DataFrame
    items: pd.DataFrame
    values: np.ndarray
    raw: np.ndarray

    @property
    def n(self) -> int:
        """Number of respondents (matrix rows)."""
        return int(self.values.shape[0])

    def sigma2(self, columns: np.ndarray | None = None) -> np.ndarray:
        """Random-answering variance of each item on the 1-5 display metric (its native scale's)."""
        from toolkit.metrics.consistency import display_sigma2

        out = np.asarray(display_sigma2(self.items[POINTS].to_numpy(dtype=float)), dtype=float).reshape(-1)
        return out if columns is None else out[columns]

    def favourable_min(self, columns: np.ndarray | None = None) -> np.ndarray:
        """Lowest favourable display rating of each item (the agreeing half of its native scale)."""
        out = self.items[FAVOURABLE_FLOOR].to_numpy(dtype=float)
        return out if columns is None else out[columns]

    def area_columns(self, area: str) -> np.ndarray:
        """Column indices of the items of ``area`` (``"outcome"`` for outcome items)."""
        return np.flatnonzero(self.items[AREA].to_numpy(dtype=object) == area)

    def codes(self, column: str) -> tuple[np.ndarray, list[str]]:
        """Integer group code per respondent for ``department`` or ``level``, and the names.

        Levels keep the method's order (executive, manager, frontline) first;
        departments are sorted by name.
        """
        from toolkit.model import LEVELS

        values = self.respondents[column].astype(str).to_numpy(dtype=object)
        present = sorted(set(values))
        if column == LEVEL:
            present = [lv for lv in LEVELS if lv in present] + [v for v in present if v not in LEVELS]
        index = pd.Index(present)
        return index.get_indexer(values).astype(np.int64), list(present)


def build_matrix(ratings: pd.DataFrame, questions: pd.DataFrame,
                 scale: RatingScale = DEFAULT_SCALE) -> tuple[RatingMatrix, list[str]]:
    """Pivot tidy ratings into a keyed respondent x item matrix.

    Parameters
    ----------
    ratings
        ``respondent_id, department, level, question_id, rating`` (1-5, raw).
    questions
        ``question_id, area, text, reverse, outcome``. Outcome items are given
        area ``"outcome"`` whatever their area column says.
    scale
        The export's native scale; every item carries its points and favourable threshold.

    Returns
    -------
    RatingMatrix, list of str
        The matrix and warnings (questions rated but not in the bank are
        dropped; a repeated rating of the same question by the same respondent
        is averaged).
    """
    warnings: list[str] = []
    bank = questions.drop_duplicates(QUESTION).reset_index(drop=True)
    q_ids = bank[QUESTION].astype(str).to_numpy(dtype=object)
    q_codes = pd.Index(q_ids).get_indexer(ratings[QUESTION].astype(str).to_numpy(dtype=object))
    unknown = q_codes < 0
    if unknown.any():
        names = sorted(set(ratings.loc[unknown, QUESTION].astype(str)))
        warnings.append(f"{int(unknown.sum())} {UNKNOWN_QUESTIONS_PHRASE} "
                        f"({', '.join(names[:5])}{', ...' if len(names) > 5 else ''}).")
    rating = ratings[RATING].to_numpy(dtype=float)
    keep = ~unknown & ~np.isnan(rating)
    r_codes, r_ids = pd.factorize(ratings[RESPONDENT].astype(str).to_numpy(dtype=object)[keep])
    q_codes, rating = q_codes[keep], rating[keep]
    used = np.unique(q_codes)
    col_of = np.full(len(q_ids), -1, dtype=np.int64)
    col_of[used] = np.arange(len(used))
    cols = col_of[q_codes]
    n, j = len(r_ids), len(used)

    items = bank.iloc[used].reset_index(drop=True)
    reverse = as_bool(items[REVERSE]) if REVERSE in items else np.zeros(j, dtype=bool)
    outcome = as_bool(items[OUTCOME]) if OUTCOME in items else np.zeros(j, dtype=bool)
    area = items[AREA].astype(str).to_numpy(dtype=object).copy()
    area[outcome] = OUTCOME_AREA
    items = pd.DataFrame({QUESTION: items[QUESTION].astype(str).to_numpy(dtype=object), AREA: area,
                          TEXT: items[TEXT].astype(str).to_numpy(dtype=object) if TEXT in items else "",
                          REVERSE: reverse, OUTCOME: outcome | (area == OUTCOME_AREA),
                          POINTS: np.full(j, int(scale.points), dtype=np.int64),
                          FAVOURABLE_FLOOR: np.full(j, float(scale.favourable_min))})

    flat = r_codes * j + cols
    total = np.bincount(flat, weights=rating, minlength=n * j)
    count = np.bincount(flat, minlength=n * j)
    if (count > 1).any():
        warnings.append(f"{int((count > 1).sum())} {DUPLICATE_RATINGS_PHRASE}; their ratings were averaged.")
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(count > 0, total / np.maximum(count, 1), np.nan).reshape(n, j)
    values = reverse_key(raw, reverse[None, :])

    first = np.flatnonzero(keep)[np.unique(r_codes, return_index=True)[1]]
    respondents = pd.DataFrame({
        RESPONDENT: np.asarray(r_ids, dtype=object),
        DEPARTMENT: ratings[DEPARTMENT].astype(str).to_numpy(dtype=object)[first],
        LEVEL: ratings[LEVEL].astype(str).to_numpy(dtype=object)[first],
    })
    return RatingMatrix(respondents=respondents, items=items, values=values, raw=raw), warnings


def respondent_means(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each respondent's mean over the items they rated, and whether they rated any.

    Parameters
    ----------
    values
        ``(n, J)`` keyed ratings of one area, NaN for missing.

    Returns
    -------
    means, rated
        ``means`` is NaN for respondents who rated none of the items.

    Examples
    --------
    >>> m, ok = respondent_means(np.array([[1.0, 3.0], [np.nan, 4.0], [np.nan, np.nan]]))
    >>> m.tolist()[:2], ok.tolist()
    ([2.0, 4.0], [True, True, False])
    """
    mask = ~np.isnan(values)
    count = mask.sum(axis=1)
    total = np.where(mask, values, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return means, count > 0


def item_table(matrix: RatingMatrix, rwg: np.ndarray) -> pd.DataFrame:
    """One row per rated question: ``question_id, area, text, reverse, points, n, mean, favourable, rwg, share_1..share_5``.

    ``mean`` and ``favourable`` are after reverse keying (favourable: the
    agreeing half of the item's native scale); the shares are of raw answers
    (rounded to the nearest 1-5 display point), in %.
    """
    mask = ~np.isnan(matrix.values)
    n = mask.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.where(mask, matrix.values, 0).sum(axis=0) / np.maximum(n, 1), np.nan)
        fav = np.where(n > 0, 100.0 * (np.where(mask, matrix.values, 0) >= matrix.favourable_min() - 1e-9)
                       .sum(axis=0) / np.maximum(n, 1), np.nan)
    out = matrix.items[[QUESTION, AREA, TEXT, REVERSE, POINTS]].copy()
    out["n"] = n.astype(np.int64)
    out["mean"] = mean
    out["favourable"] = fav
    out["rwg"] = rwg
    rounded = np.rint(matrix.raw)
    for point in range(SCALE_MIN, SCALE_MAX + 1):
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"share_{point}"] = np.where(n > 0, 100.0 * (rounded == point).sum(axis=0) / np.maximum(n, 1), np.nan)
    return out
