"""The explorer's model: load, filter, score, re-weight and protect, with caches.

`ExploreEngine` holds no widget. Scoring a (client, wave, filters) runs
``score_wave`` (the bootstrap) once and caches it; a what-if weight change
then costs a `reweight` and a `toolkit.privacy.protect`. Every `View` the
explorer shows has passed through ``protect``.

Confidentiality of filters (DESIGN 2.2): a filtered view is a group of the
full client's breakdowns, so it is shown only when the deck would show that
group. If the department (in any area), the level, or the department x level
cell is suppressed in the protected full assessment -- below the threshold
*or* hidden by secondary suppression -- the whole view is suppressed, so two
views can never be subtracted to recover a small group.

A one-filter view shows a breakdown over the other dimension: a level view
breaks its results down by department, a department view by level. Each of
those cells is a department x level cell of the full client, so it is shown
only when the full protected ``coverage`` shows that cell
(`cross_hidden_cells`); otherwise (e.g. department D with 1 executive, 5
managers and 5 frontline staff) the "manager" and "frontline" views would
show D x manager and D x frontline, and the full view's D minus both would
be the executive. The spread of department means is then recomputed over the
departments still shown.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from toolkit.metrics import ScoredWave, score_wave
from toolkit.metrics.assess import DEFAULT_BOOT, DEFAULT_SEED
from toolkit.metrics.assessment import Assessment
from toolkit.metrics.consistency import within_group_consistency
from toolkit.metrics.perception import between_group_sd
from toolkit.model import AREA, DEPARTMENT, LEVEL, ClientData
from toolkit.privacy import SUPPRESSED, SUPPRESSED_REASON, protect
from toolkit.explore.scenario import Filters, Weights, filter_client, reweight

log = logging.getLogger("toolkit")

#: Above this many respondents the explorer uses `INTERACTIVE_BOOT` resamples so a change stays under 1 s.
LARGE_CLIENT = 5_000
INTERACTIVE_BOOT = 200
QUOTES_PER_AREA = 1_000  # every allowed quote; analyse_voice still applies the quote-group rule


@dataclass
class View:
    """One protected scenario, ready to show.

    Attributes
    ----------
    client
        The filtered data the view was scored on.
    filters, weights
        The scenario.
    n_boot
        Bootstrap resamples behind the intervals.
    assessment
        Protected (`toolkit.privacy.protect`) assessment.
    hidden_reason
        Why the whole view is suppressed ("" when it is shown).
    """

    client: ClientData
    filters: Filters
    weights: Weights
    n_boot: int
    assessment: Assessment
    hidden_reason: str = ""

    @property
    def hidden(self) -> bool:
        """True when every ratings result of the view is suppressed."""
        return bool(self.hidden_reason) or bool(self.assessment.oai.get(SUPPRESSED, False))

    @property
    def reason(self) -> str:
        """The sentence shown in place of the numbers ("" when shown)."""
        return self.hidden_reason or str(self.assessment.oai.get(SUPPRESSED_REASON, ""))


def _first_reason(rows: pd.DataFrame) -> str:
    hidden = rows.loc[rows[SUPPRESSED].to_numpy(dtype=bool)]
    return str(hidden[SUPPRESSED_REASON].iloc[0]) if len(hidden) else ""


def group_hidden_reason(full: Assessment, filters: Filters) -> str:
    """Why the filtered group may not be shown, judged on the protected full assessment ("" = shown).

    Parameters
    ----------
    full
        The client's unfiltered, protected assessment.
    filters
        The group asked for.

    Returns
    -------
    str
        The ``suppressed_reason`` of the department, level or department x level
        cell that is suppressed, or a sentence when the group has no respondent.
    """
    if not full.protected:
        raise ValueError("group_hidden_reason needs a protected assessment")
    if bool(full.oai.get(SUPPRESSED, False)):
        return str(full.oai.get(SUPPRESSED_REASON, ""))
    checks: list[tuple[pd.DataFrame, np.ndarray]] = []
    if filters.department is not None:
        d = full.departments
        checks.append((d, (d[DEPARTMENT] == filters.department).to_numpy(dtype=bool, na_value=False)))
    if filters.level is not None:
        lv = full.levels
        checks.append((lv, (lv[LEVEL] == filters.level).to_numpy(dtype=bool, na_value=False)))
    if filters.department is not None and filters.level is not None:
        c = full.coverage
        checks.append((c, ((c[DEPARTMENT] == filters.department) & (c[LEVEL] == filters.level))
                       .to_numpy(dtype=bool, na_value=False)))
    for frame, mask in checks:
        if not mask.any():
            return "no respondent in this group"
        reason = _first_reason(frame.loc[mask])
        if reason:
            return reason
    return ""


def cross_hidden_cells(full: Assessment, filters: Filters) -> dict[str, str]:
    """Groups of a one-filter view's breakdown that the full client's coverage hides.

    Parameters
    ----------
    full
        The client's unfiltered, protected assessment.
    filters
        A view with exactly one of department or level set.

    Returns
    -------
    dict
        For a level filter, ``{department: reason}``; for a department filter,
        ``{level: reason}``: every department x level cell of the filtered group
        that ``full.coverage`` suppresses (below the threshold or by secondary
        suppression), with that cell's ``suppressed_reason``. Empty for no
        filter or both filters (then the cell itself decides the whole view).
    """
    if not full.protected:
        raise ValueError("cross_hidden_cells needs a protected assessment")
    if (filters.department is None) == (filters.level is None):
        return {}
    c = full.coverage
    if filters.level is not None:
        own, other, value = LEVEL, DEPARTMENT, filters.level
    else:
        own, other, value = DEPARTMENT, LEVEL, filters.department
    rows = c.loc[(c[own] == value).to_numpy(dtype=bool, na_value=False) & c[SUPPRESSED].to_numpy(dtype=bool)]
    return {str(g): str(r) or "suppressed in the full client's department x level breakdown"
            for g, r in zip(rows[other], rows[SUPPRESSED_REASON])}


def _hide_rows(frame: pd.DataFrame, mask: np.ndarray, reasons: list[str], value_cols: list[str]) -> pd.DataFrame:
    """Copy of ``frame`` with the ``mask`` rows suppressed: values and counts NaN, flag and reason set."""
    out = frame.copy()
    if not mask.any():
        return out
    for col in value_cols:
        if col in out.columns:
            out[col] = out[col].astype(float).where(~mask, np.nan)
    was = out[SUPPRESSED].to_numpy(dtype=bool)
    old = out[SUPPRESSED_REASON].astype(object).to_numpy()
    out[SUPPRESSED] = was | mask
    out[SUPPRESSED_REASON] = np.array([r if w or not m else why for r, w, m, why in zip(old, was, mask, reasons)],
                                      dtype=object)
    return out


def hide_cross_cells(view: Assessment, full: Assessment, filters: Filters) -> Assessment:
    """A one-filter view with its breakdown cells hidden where the full coverage hides them.

    A level view hides those department rows (``departments`` and
    ``coverage``); a department view those level rows (``levels``,
    ``coverage`` and the ``perception_gaps`` that involve them). A hidden
    row's ``n`` is NaN too. ``within_dept_consistency`` and ``between_dept_sd``
    are recomputed over the departments still shown. The inputs are not modified.
    """
    hidden = cross_hidden_cells(full, filters)
    if not hidden:
        return view
    by = DEPARTMENT if filters.level is not None else LEVEL

    def mask_of(frame: pd.DataFrame, col: str) -> tuple[np.ndarray, list[str]]:
        groups = frame[col].astype(object).to_numpy()
        return (np.array([str(g) in hidden for g in groups], dtype=bool),
                [hidden.get(str(g), "") for g in groups])

    changes: dict[str, object] = {}
    m, why = mask_of(view.coverage, by)
    changes["coverage"] = _hide_rows(view.coverage, m, why, ["n"])
    if by == DEPARTMENT:
        m, why = mask_of(view.departments, DEPARTMENT)
        depts = _hide_rows(view.departments, m, why, ["n", "perception", "favourable", "consistency"])
        changes["departments"] = depts
        changes["areas"] = _department_spread(view.areas, depts)
    else:
        m, why = mask_of(view.levels, LEVEL)
        changes["levels"] = _hide_rows(view.levels, m, why, ["n", "perception", "favourable"])
        gaps = view.perception_gaps
        ma, wa = mask_of(gaps, "group_a")
        mb, wb = mask_of(gaps, "group_b")
        gaps = _hide_rows(gaps, ma | mb, [a or b for a, b in zip(wa, wb)], ["gap", "p_value", "n_a", "n_b"])
        if "flagged" in gaps.columns:
            gaps["flagged"] = gaps["flagged"].to_numpy(dtype=bool) & ~gaps[SUPPRESSED].to_numpy(dtype=bool)
        changes["perception_gaps"] = gaps
    n_hidden = len(hidden)
    warnings = list(view.warnings) + [
        f"{n_hidden} {'department' if by == DEPARTMENT else 'level'} result{'s are' if n_hidden != 1 else ' is'} "
        "hidden in this selection because the full client's department x level breakdown hides "
        f"{'them' if n_hidden != 1 else 'it'}."]
    return replace(view, warnings=warnings, **changes)  # type: ignore[arg-type]


def _department_spread(areas: pd.DataFrame, departments: pd.DataFrame) -> pd.DataFrame:
    """``within_dept_consistency`` and ``between_dept_sd`` over the shown departments (NaN below two)."""
    out = areas.copy()
    shown = departments.loc[~departments[SUPPRESSED].to_numpy(dtype=bool)]
    within, between = [], []
    for area, area_hidden in zip(out.index, out[SUPPRESSED].to_numpy(dtype=bool)):
        rows = shown.loc[shown[AREA] == area]
        ok = not area_hidden and len(rows) >= 2
        within.append(within_group_consistency(rows["consistency"].to_numpy(dtype=float), min_groups=2)
                      if ok else float("nan"))
        between.append(between_group_sd(rows["perception"].to_numpy(dtype=float)) if ok else float("nan"))
    out["within_dept_consistency"] = within
    out["between_dept_sd"] = between
    return out


def _suppress_all(raw: Assessment, client: ClientData, reason: str) -> Assessment:
    """Protect with a threshold above the group's size, so `protect` hides every ratings result."""
    privacy = client.config.privacy
    above = max(int(privacy.min_group_size), int(raw.oai.get("n", 0)) + 1)
    out = protect(raw, privacy.model_copy(update={"min_group_size": above}))
    for name in ("areas", "items", "departments", "levels", "coverage", "perception_gaps"):
        frame = getattr(out, name).copy()
        if SUPPRESSED_REASON in frame.columns:
            frame[SUPPRESSED_REASON] = np.where(frame[SUPPRESSED].to_numpy(dtype=bool), reason, "").astype(object)
        out = replace(out, **{name: frame})
    out.oai = {**out.oai, SUPPRESSED: True, SUPPRESSED_REASON: reason}
    out.warnings = [w for w in out.warnings if "respondents in total" not in w]
    out.warnings.append(f"This selection is suppressed: {reason}.")
    return out


class ExploreEngine:
    """Scores scenarios of one client at a time, caching what a widget change can reuse.

    Parameters
    ----------
    seed
        Seed of the bootstrap (the deck's by default, so unfiltered intervals match it).
    n_boot
        Bootstrap resamples; default 1000, or `INTERACTIVE_BOOT` for clients
        with more than `LARGE_CLIENT` respondents.
    """

    def __init__(self, *, seed: int = DEFAULT_SEED, n_boot: int | None = None) -> None:
        self.seed = seed
        self._n_boot = n_boot
        self._clients: dict[tuple[str, str | None], ClientData] = {}
        self._waves: dict[tuple, tuple[ClientData, ScoredWave]] = {}
        self._views: OrderedDict[tuple, View] = OrderedDict()
        self._quotes: dict[tuple, pd.DataFrame] = {}
        self._lock = threading.Lock()  # guards the LRU of views (prefetch runs in a thread)

    # --- data -------------------------------------------------------------------------------
    def load(self, folder: str | Path, wave: str | None = None) -> ClientData:
        """Load (once) a client's wave; ``wave`` None is the current wave."""
        from toolkit.intake import load_client

        key = (str(Path(folder).resolve()), wave)
        if key not in self._clients:
            self._clients[key] = load_client(folder, wave=wave)
        return self._clients[key]

    def n_boot_for(self, client: ClientData) -> int:
        """Bootstrap resamples used for this client's views."""
        if self._n_boot is not None:
            return int(self._n_boot)
        n = int(client.ratings["respondent_id"].nunique())
        return INTERACTIVE_BOOT if n > LARGE_CLIENT else DEFAULT_BOOT

    @staticmethod
    def _key(client: ClientData) -> tuple[str, str, str]:
        return (client.client_id, client.wave, str(client.root))

    def scored(self, client: ClientData, filters: Filters) -> tuple[ClientData, ScoredWave]:
        """The filtered data and its ``score_wave`` result (bootstrap run once per filters)."""
        key = (self._key(client), filters)
        if key not in self._waves:
            sub = filter_client(client, filters)
            self._waves[key] = (sub, score_wave(sub, seed=self.seed, n_boot=self.n_boot_for(client)))
            log.debug("explore: scored %s %s (%s)", client.client_id, client.wave, filters.describe())
        return self._waves[key]

    def full(self, client: ClientData) -> Assessment:
        """The unfiltered assessment at the client's own weights, protected (the deck's view)."""
        return self.view(client, Filters()).assessment

    def view(self, client: ClientData, filters: Filters, weights: Weights | None = None) -> View:
        """The protected view of a scenario (cached; weights alone never redo the bootstrap)."""
        weights = weights or Weights.of(client.config)
        key = (self._key(client), filters, weights.key())
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
        full = self.full(client) if filters.active else None
        reason = group_hidden_reason(full, filters) if full is not None else ""
        sub, wave = self.scored(client, filters)
        raw = reweight(wave, weights)
        if reason:
            assessment = _suppress_all(raw, client, reason)
        else:
            assessment = protect(raw, client.config.privacy)
            if full is not None:
                assessment = hide_cross_cells(assessment, full, filters)
        view = View(sub, filters, weights, self.n_boot_for(client), assessment, reason)
        with self._lock:
            self._views[key] = view
            while len(self._views) > 64:
                self._views.popitem(last=False)
        return view

    def prefetch(self, client: ClientData, stop: Callable[[], bool] = lambda: False) -> int:
        """Score every single-department and single-level view ahead of the first click.

        Meant for a background thread while the consultant reads the first view;
        ``stop()`` is checked between groups (e.g. the client was switched).
        Returns the number of groups scored.
        """
        people = client.respondents
        groups = [Filters(department=str(d)) for d in sorted(set(people[DEPARTMENT]))]
        groups += [Filters(level=str(lv)) for lv in sorted(set(people[LEVEL]))]
        done = 0
        for filters in groups:
            if stop():
                break
            self.view(client, filters)
            done += 1
        log.debug("explore: prefetched %d groups of %s", done, client.client_id)
        return done

    def quotes(self, view: View) -> pd.DataFrame:
        """Quotable excerpts of the view (``area, theme, level, text, sentiment``), via `analyse_voice`.

        Empty when the view is suppressed. Within a filter, the quote-group rule
        applies to the filtered group (stricter than for the whole client).
        """
        from toolkit.explore.quotes import LABEL, SOURCE, label_quotes, speech_only
        from toolkit.voice import QUOTES_COLUMNS, analyse_voice

        if view.hidden:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in [*QUOTES_COLUMNS, LABEL, SOURCE]})
        key = (self._key(view.client), view.filters)
        if key not in self._quotes:
            speech, coded = speech_only(view.client)  # notes are never quotes; coded sentiment wins
            voice = analyse_voice(speech, privacy=view.client.config.privacy,
                                  n_negative=QUOTES_PER_AREA, n_positive=QUOTES_PER_AREA)
            self._quotes[key] = label_quotes(voice.quotes, coded)
        return self._quotes[key]
