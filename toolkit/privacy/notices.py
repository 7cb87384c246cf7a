"""Structured warnings: a sentence that also carries a code, an area and a group.

A `Notice` *is* a ``str`` (the sentence a reader sees), so every list of
warnings, JSON writer and template keeps working; code that must decide about
a warning (drop the ones about a suppressed area, replace one) reads
``code``, ``area`` and ``group`` instead of matching the sentence.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from toolkit.metrics.items import RATING_COUNT_PHRASES

#: Privacy's own notices.
HIDDEN_GROUPS = "privacy.hidden_groups"
TOTAL_SMALL = "privacy.total_small"
VIEW_SUPPRESSED = "privacy.view_suppressed"
CROSS_CELLS = "privacy.cross_cells"
LINKED_AUDIT = "privacy.linked_audit"
FAVOURABLE_BLANK = "privacy.favourable_blank"
#: Codes given to metric sentences that arrive as plain strings.
METRIC = "metric"
METRIC_AREA = "metric.area"
METRIC_RATING_COUNT = "metric.rating_count"


class Notice(str):
    """A warning sentence with ``code``, ``area`` ("" = client-wide) and ``group`` ("" = everyone).

    Examples
    --------
    >>> w = Notice("Culture: alpha is low.", "metric.area", area="culture")
    >>> w == "Culture: alpha is low.", w.code, w.area
    (True, 'metric.area', 'culture')
    """

    code: str
    area: str
    group: str

    def __new__(cls, text: str, code: str, *, area: str = "", group: str = "") -> Notice:
        self = super().__new__(cls, text)
        self.code, self.area, self.group = code, area, group
        return self

    def __reduce__(self) -> tuple[Callable[[str, str, str, str], Notice], tuple[str, str, str, str]]:  # keep the fields through pickling (explorer caches, Dask)
        return (_rebuild, (str(self), self.code, self.area, self.group))

    def as_dict(self) -> dict[str, str]:
        """``{"code", "area", "group", "text"}``."""
        return {"code": self.code, "area": self.area, "group": self.group, "text": str(self)}


def _rebuild(text: str, code: str, area: str, group: str) -> Notice:
    return Notice(text, code, area=area, group=group)


def as_notice(warning: str, labels: Mapping[str, str], alpha: Mapping[str, str] | None = None) -> Notice:
    """Structure one metric warning (a `Notice` passes unchanged).

    Parameters
    ----------
    warning
        A sentence from `toolkit.metrics`.
    labels
        Area id -> label; a sentence starting ``"<label>:"`` is about that area.
    alpha
        Area id -> that area's ``alpha_warning`` sentence.

    Returns
    -------
    Notice
        Code `METRIC_AREA` with the area, `METRIC_RATING_COUNT` for sentences
        counting ratings of the whole client, else `METRIC`.
    """
    if isinstance(warning, Notice):
        return warning
    text = str(warning)
    for area, label in labels.items():
        if text.startswith(f"{label}:") or (alpha and alpha.get(area) and text == alpha[area]):
            return Notice(text, METRIC_AREA, area=str(area))
    if any(phrase in text for phrase in RATING_COUNT_PHRASES):
        return Notice(text, METRIC_RATING_COUNT)
    return Notice(text, METRIC)


def without(warnings: Iterable[str], codes: Iterable[str] = (), areas: Iterable[str] = ()) -> list[str]:
    """The warnings whose code is not in ``codes`` and whose area is not in ``areas``."""
    codes, areas = set(codes), set(areas)
    return [w for w in warnings
            if getattr(w, "code", "") not in codes and not (getattr(w, "area", "") and getattr(w, "area", "") in areas)]
