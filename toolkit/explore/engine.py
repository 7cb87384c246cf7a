"""The explorer's model: load, filter, score, re-weight and protect, with caches.

`ExploreEngine` holds no widget. Scoring a (client, wave, filters) runs
``score_wave`` (the bootstrap) once and caches it; a what-if weight change
then costs a `reweight` and a `toolkit.privacy.protect`. Every `View` the
explorer shows has passed through ``protect``.

Confidentiality of filters (DESIGN 2.2) is decided by the privacy engine,
`toolkit.privacy.views`: a view of a group the full client hides is wholly
suppressed (`suppress_all`), and a one-filter view hides the department x level
cells the full client hides (`hide_cross_cells`) and favourable shares its audit blanks (`hide_shares`).
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.explore.scenario import Filters, Weights, filter_client, reweight
from toolkit.metrics import ScoredWave, score_wave
from toolkit.metrics.assessment import Assessment
from toolkit.metrics.score import DEFAULT_BOOT, DEFAULT_SEED
from toolkit.model import DEPARTMENT, LEVEL, ClientData
from toolkit.privacy import SUPPRESSED, SUPPRESSED_REASON, protect
from toolkit.privacy.views import cross_hidden_cells, group_hidden_reason, hide_cross_cells, hide_shares, suppress_all

log = logging.getLogger("toolkit")

__all__ = ["ExploreEngine", "View", "cross_hidden_cells", "group_hidden_reason", "hide_cross_cells"]

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
    source
        The unfiltered client the view was cut from (None: ``client`` itself).
    full
        The unfiltered client's protected assessment at its own weights (the
        deck's figures; None: ``assessment`` itself, for an unfiltered view).
        `toolkit.explore.export.export_view` audits an export against it.
    """

    client: ClientData
    filters: Filters
    weights: Weights
    n_boot: int
    assessment: Assessment
    hidden_reason: str = ""
    source: ClientData | None = None
    full: Assessment | None = None

    @property
    def hidden(self) -> bool:
        """True when every ratings result of the view is suppressed."""
        return bool(self.hidden_reason) or bool(self.assessment.oai.get(SUPPRESSED, False))

    @property
    def reason(self) -> str:
        """The sentence shown in place of the numbers ("" when shown)."""
        return self.hidden_reason or str(self.assessment.oai.get(SUPPRESSED_REASON, ""))


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
        self._waves: dict[tuple[tuple[str, str, str], Filters], tuple[ClientData, ScoredWave]] = {}
        self._views: OrderedDict[tuple[tuple[str, str, str], Filters, tuple[float, ...]], View] = OrderedDict()
        self._quotes: dict[tuple[tuple[str, str, str], Filters], pd.DataFrame] = {}
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
            assessment = suppress_all(raw, client.config.privacy, reason)
        else:
            from toolkit.privacy.linked import client_cells
            from toolkit.story import deck_wave_changes

            # The full client's audit covers every view (each is a union of its cells): a filtered view
            # applies the threshold and the sibling rule, then hides what the full coverage hides.
            # The unfiltered view hides what the deck hides, wave changes included.
            changes = deck_wave_changes(client, lambda w: self.load(client.root, w)) if full is None else []
            assessment = protect(raw, client.config.privacy, cells=client_cells(sub) if full is None else None,
                                 linked_audit=full is None, wave_changes=changes)
            if full is not None:
                assessment = hide_shares(hide_cross_cells(assessment, full, filters), full, filters)
        view = View(sub, filters, weights, self.n_boot_for(client), assessment, reason, source=client, full=full)
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
