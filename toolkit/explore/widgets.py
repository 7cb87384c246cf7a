"""`Explorer`: the consultant's ipywidgets tool over the same metrics, privacy and plots as the deck.

Layout (top to bottom): client, wave, department and level pickers; what-if
sliders for the strategic area weights and the component weights; the live
scorecard (OAI and areas with 90 % intervals); area tabs (all areas, then one
per area: its detail, and the focus of the charts and quotes below); view
tabs with the scorecard chart, the department x area heatmap, the perception
gap, KPI attainment and the quotes panel; export and reset buttons.

Only the visible chart is redrawn on a change (the others are marked stale
and drawn when their tab is opened), so a change costs one chart at most.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure
from pydantic import ValidationError

from toolkit.errors import AlignmentError
from toolkit.explore.engine import ExploreEngine, View
from toolkit.explore.export import export_view, zip_bytes
from toolkit.explore.figures import CHARTS, render_png
from toolkit.explore.panels import (
    ALL,
    area_html,
    cleared_html,
    esc,
    filter_quotes,
    quote_themes,
    quotes_html,
    scorecard_html,
)
from toolkit.explore.scenario import COMPONENTS, Filters, Weights
from toolkit.metrics.score import DEFAULT_SEED
from toolkit.model import AREA_LABELS, AREAS, DEPARTMENT, LEVEL, LEVELS, ClientData

log = logging.getLogger("toolkit")

VIEW_TABS: tuple[tuple[str, str], ...] = (
    ("scorecard", "Scorecard"), ("heatmap", "Departments × areas"), ("perception_gap", "Perception gap"),
    ("kpi_attainment", "KPI attainment"), ("quotes", "Quotes"), ("compare", "Compare, drift, benchmark"))
#: Picker value for "all departments", "all levels" and "the current wave" (None would show as no selection).
EVERYONE = ""
SENTIMENTS = (("All sentiments", ALL), ("Negative", "negative"), ("Neutral", "neutral"), ("Positive", "positive"))
CSS = """<style>
.oat-table td, .oat-table th {padding: 2px 10px; text-align: left;}
.oat-oai {font-size: 1.25em; margin: 4px 0;}
.oat-note, .oat-attr {color: #555; font-size: 0.9em;}
.oat-whatif {color: #A04000;}
.oat-share {font-variant-numeric: tabular-nums; color: #333; min-width: 4em;}
.oat-legend summary {cursor: pointer; color: #1f4e79;}
.oat-explorer .lm-TabBar-tab {flex: 0 0 auto !important; min-width: max-content !important;
                              max-width: none !important;}
.oat-explorer .lm-TabBar-tabLabel {overflow: visible !important; text-overflow: ellipsis;}
</style>"""
#: Every slider row has the same label width and track width, so equal drags move equal amounts.
LABEL_WIDTH = "170px"
SLIDER_WIDTH = "360px"
ZERO_WEIGHTS = ("every strategic weight is 0, so there is nothing to weigh the areas by. Move at least one "
                "strategic slider above 0, or click \"Client's weights\".")
ZERO_COMPONENTS = ("every component weight is 0, so alignment cannot be computed. Move at least one component "
                   "slider above 0, or click \"Client's weights\".")


def client_names(data_dir: Path, clients: list[str]) -> dict[str, str]:
    """``{client id: display name}`` from each ``client.yaml``'s ``name`` (the id when unreadable)."""
    import yaml

    names = {}
    for cid in clients:
        try:
            doc = yaml.safe_load((data_dir / cid / "client.yaml").read_text(encoding="utf-8")[:200_000])
            name = str(doc.get("name") or cid) if isinstance(doc, dict) else cid
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            name = cid
        names[cid] = name
    return names


def list_clients(data_dir: str | Path) -> list[str]:
    """Client ids (folders with a ``client.yaml``) in ``data_dir``, sorted."""
    root = Path(data_dir)
    return sorted(p.name for p in root.iterdir() if (p / "client.yaml").is_file()) if root.is_dir() else []


class Explorer:
    """Interactive explorer of one client at a time (JupyterLab, ipywidgets).

    Parameters
    ----------
    data_dir
        Folder of client folders (``client_data``).
    client
        Client id to open; the first one (sorted) by default.
    reports_dir
        Where exports go; default ``<data_dir>/../reports``.
    seed
        Bootstrap seed (the deck's by default).
    n_boot
        Bootstrap resamples; default 1000, or 200 for clients with more than
        5,000 respondents (the scorecard says so).
    prefetch
        Score every single department and level in a background thread after a
        client opens, so the first click on a filter is as quick as a revisit.

    Raises
    ------
    ValueError
        When ``data_dir`` holds no client folder, or none whose data loads.

    Examples
    --------
    >>> ex = Explorer("client_data")                       # doctest: +SKIP
    >>> ex.department_picker.value = "Finance"             # doctest: +SKIP
    >>> ex.view.assessment.oai["value"]                    # doctest: +SKIP
    """

    client: ClientData  # the client and wave shown
    current: ClientData  # the client's current wave

    def __init__(self, data_dir: str | Path = "client_data", *, client: str | None = None,
                 reports_dir: str | Path | None = None, seed: int = DEFAULT_SEED, n_boot: int | None = None,
                 prefetch: bool = True) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.reports_dir = Path(reports_dir) if reports_dir is not None else self.data_dir.parent / "reports"
        self.engine = ExploreEngine(seed=seed, n_boot=n_boot)
        clients = list_clients(self.data_dir)
        if not clients:
            raise ValueError(f"no client folder (with a client.yaml) in {self.data_dir}")
        self.figures: dict[str, Figure] = {}
        self.last_redraw_ms = 0.0
        self.last_export: Path | None = None
        self._stale: set[str] = set(CHARTS) | {"quotes"}
        self._busy = False
        self._prefetch = prefetch
        self._generation = 0
        self.prefetcher: threading.Thread | None = None
        first = client or clients[0]
        self._build_widgets(clients, first)
        # open on the requested client, or on the first one whose data loads (problems show in the status)
        for candidate in [first] + [c for c in clients if c != first]:
            self._set_silently(partial(setattr, self.client_picker, "value", candidate))
            self._load(candidate, None)
            if hasattr(self, "client"):
                break
        else:
            raise ValueError(f"no client in {self.data_dir} has valid data:\n{self.status.value}")

    # --- construction -----------------------------------------------------------------------
    def _build_widgets(self, clients: list[str], first: str) -> None:
        w = widgets
        wide = {"description_width": "initial"}
        names = client_names(self.data_dir, clients)
        self.client_picker = w.Dropdown(options=[(f"{names[c]} ({c})" if names[c] != c else c, c) for c in clients],
                                        value=first, description="Client", style=wide,
                                        layout=w.Layout(width="340px"))
        self.wave_picker = w.Dropdown(options=[], description="Wave", style=wide)
        self.department_picker = w.Dropdown(options=[("All departments", EVERYONE)], value=EVERYONE,
                                            description="Department", style=wide)
        self.level_picker = w.Dropdown(options=[("All levels", EVERYONE)], value=EVERYONE, description="Level",
                                       style=wide)
        def slider(label: str) -> widgets.FloatSlider:
            return w.FloatSlider(description=label, min=0.0, max=1.0, step=0.01, continuous_update=False,
                                 readout=False, style={"description_width": LABEL_WIDTH},
                                 layout=w.Layout(width=SLIDER_WIDTH))
        self.area_sliders = {a: slider(AREA_LABELS[a]) for a in AREAS}
        self.component_sliders = {c: slider(c.capitalize()) for c in COMPONENTS}
        # each slider shows its share of its group's total: the weights are renormalised to 100 %
        self.shares = {k: w.HTML(layout=w.Layout(width="70px")) for k in [*AREAS, *COMPONENTS]}
        for share in self.shares.values():
            share.add_class("oat-share")
        self.reset_button = w.Button(description="Client's weights", icon="undo")
        self.export_button = w.Button(description="Export view", icon="download", button_style="primary")
        self.status = w.HTML()
        self.download = w.HTML()
        self.download.add_class("oat-download")
        self.scorecard = w.HTML()
        self.scorecard.add_class("oat-explore-scorecard")
        self.area_panels = [w.HTML("<p>Pick an area tab to see its detail and focus the perception gap, "
                                   "KPI and quotes views on it.</p>")] + [w.HTML() for _ in AREAS]
        self.area_tabs = w.Tab(children=self.area_panels, titles=["All areas"] + [AREA_LABELS[a] for a in AREAS])
        self.images = {name: w.Image(format="png", layout=w.Layout(max_width="100%")) for name in CHARTS}
        self.theme_picker = w.Dropdown(options=[("All themes", ALL)], value=ALL, description="Theme", style=wide)
        self.sentiment_picker = w.Dropdown(options=SENTIMENTS, value=ALL, description="Sentiment", style=wide)
        self.quotes_panel = w.HTML()
        quotes_box = w.VBox([w.HBox([self.theme_picker, self.sentiment_picker]), self.quotes_panel])
        self.compare_a = w.Dropdown(options=[], description="Compare A", style=wide)
        self.compare_b = w.Dropdown(options=[], description="with B", style=wide)
        self.compare_panel = w.HTML()
        self.compare_panel.add_class("oat-explore-compare")
        self.drift_panel = w.HTML()
        self.drift_panel.add_class("oat-explore-drift")
        compare_box = w.VBox([w.HBox([self.compare_a, self.compare_b]), self.compare_panel, self.drift_panel])
        self._drift_for: object = None
        self.view_tabs = w.Tab(children=[self.images[n] for n, _ in VIEW_TABS[:-2]] + [quotes_box, compare_box],
                               titles=[t for _, t in VIEW_TABS])
        self.widget = w.VBox([
            w.HTML(CSS),
            w.HBox([self.client_picker, self.wave_picker, self.department_picker, self.level_picker]),
            w.HBox([w.VBox([w.HTML("<b>Strategic weights (what-if)</b> <span class='oat-note'>share of the "
                                   "total, renormalised to 100 %</span>"),
                            *[w.HBox([s, self.shares[a]]) for a, s in self.area_sliders.items()]]),
                    w.VBox([w.HTML("<b>Component weights (what-if)</b> <span class='oat-note'>share of "
                                   "alignment</span>"),
                            *[w.HBox([s, self.shares[c]]) for c, s in self.component_sliders.items()],
                            w.HBox([self.reset_button, self.export_button])])]),
            self.status, self.download, self.scorecard, self.area_tabs, self.view_tabs])
        self.widget.add_class("oat-explorer")

        self.client_picker.observe(lambda ch: None if self._busy else self._load(ch["new"], None), "value")
        self.wave_picker.observe(self._on_wave, "value")
        for picker in (self.department_picker, self.level_picker):
            picker.observe(lambda ch: self._refresh(set(CHARTS) | {"quotes"}), "value")
        for s in [*self.area_sliders.values(), *self.component_sliders.values()]:
            s.observe(lambda ch: self._refresh({"scorecard"}), "value")
        self.area_tabs.observe(lambda ch: self._on_area(), "selected_index")
        self.view_tabs.observe(lambda ch: self._draw_visible(), "selected_index")
        for picker in (self.compare_a, self.compare_b):
            picker.observe(lambda ch: None if self._busy else self._draw_compare(), "value")
        for picker in (self.theme_picker, self.sentiment_picker):
            picker.observe(lambda ch: None if self._busy else self._draw_quotes(), "value")
        self.reset_button.on_click(lambda _: self.reset_weights())
        self.export_button.on_click(lambda _: self._export_clicked())

    @classmethod
    def open(cls, data_dir: str | Path = "client_data", **kwargs: Any) -> Explorer:
        """Create an explorer and display it in the notebook (``Explorer.open("../client_data")``)."""
        from IPython.display import display

        explorer = cls(data_dir, **kwargs)
        display(explorer.widget)
        return explorer

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:  # pragma: no cover - notebook display
        return self.widget._repr_mimebundle_(**kwargs)

    # --- state ------------------------------------------------------------------------------
    @property
    def filters(self) -> Filters:
        """The department and level filters set in the pickers."""
        return Filters(self.department_picker.value or None, self.level_picker.value or None)

    @property
    def weights(self) -> Weights:
        """The weights set on the sliders (raises `pydantic.ValidationError` when all of a kind are 0)."""
        return Weights.from_values({a: s.value for a, s in self.area_sliders.items()},
                                   {c: s.value for c, s in self.component_sliders.items()})

    @property
    def area(self) -> str | None:
        """The area tab selected (None for "All areas")."""
        i = self.area_tabs.selected_index or 0
        return AREAS[i - 1] if i > 0 else None

    def _show_shares(self) -> None:
        """Write each slider's share of its group's total next to it ("—" when the group sums to 0)."""
        for group in (self.area_sliders, self.component_sliders):
            total = sum(s.value for s in group.values())
            for key, s in group.items():
                self.shares[key].value = f"{100 * s.value / total:.0f} %" if total > 0 else "—"

    def _set_silently(self, fn: Callable[[], object]) -> None:
        self._busy = True
        try:
            fn()
        finally:
            self._busy = False

    def _load(self, client_id: str, wave: str | None) -> None:
        """Load a client's wave, reset pickers and sliders to it, redraw everything."""
        folder = self.data_dir / client_id
        try:
            client = self.engine.load(folder, wave)
        except AlignmentError as exc:
            self.status.value = f"<pre>{esc(exc)}</pre>"
            if hasattr(self, "client"):  # keep showing the last good client and wave, and say so in the pickers
                shown_wave = "" if self.client is self.current else self.client.wave
                self._set_silently(lambda: setattr(self.client_picker, "value", self.current.root.name))
                self._set_silently(lambda: setattr(self.wave_picker, "value", shown_wave))
            return
        from toolkit.intake import list_waves

        self.client = client
        if wave is None:
            self.current = client
        people = client.respondents
        depts = sorted({str(d) for d in people[DEPARTMENT]})
        levels = [lv for lv in LEVELS if lv in set(people[LEVEL])]
        cfg = client.config

        def reset() -> None:
            waves = [(f"{self.current.wave} (current)", EVERYONE)] + [(w, w) for w in reversed(list_waves(folder))]
            self.wave_picker.options = waves
            self.wave_picker.value = wave or EVERYONE
            self.department_picker.options = [("All departments", EVERYONE)] + [(d, d) for d in depts]
            self.department_picker.value = EVERYONE
            self.level_picker.options = [("All levels", EVERYONE)] + [(lv, lv) for lv in levels]
            self.level_picker.value = EVERYONE
            from toolkit.explore.compare import group_options

            groups = group_options(client)
            self.compare_a.options = groups
            self.compare_b.options = groups
            self.compare_a.value = groups[0][1] if groups else None
            self.compare_b.value = groups[1][1] if len(groups) > 1 else None
            top = max(1.0, 2 * max(cfg.area_weights.as_dict().values()))
            for a, s in self.area_sliders.items():
                s.max = top
                s.value = cfg.area_weights.as_dict()[a]
            for c, s in self.component_sliders.items():
                s.value = float(getattr(cfg.component_weights, c))
        self._set_silently(reset)
        self._refresh(set(CHARTS) | {"quotes"})
        self._start_prefetch(client)

    def _start_prefetch(self, client: ClientData) -> None:
        """Warm the filter caches in a daemon thread; a newer client or wave stops it."""
        self._generation += 1
        if not self._prefetch:
            return
        generation = self._generation

        def run() -> None:
            try:
                self.engine.prefetch(client, stop=lambda: self._generation != generation)
            except Exception:  # a warm-up must never break the tool; the click will score it
                log.exception("explore: prefetch failed")
        self.prefetcher = threading.Thread(target=run, name="explore-prefetch", daemon=True)
        self.prefetcher.start()

    def _on_area(self) -> None:
        """A new area focus: its detail, and the area-focused charts and quotes."""
        start = time.perf_counter()
        self._stale |= {"perception_gap", "kpi_attainment", "quotes"}
        self._draw_area_panel()
        self._draw_visible()
        self.last_redraw_ms = 1000 * (time.perf_counter() - start)

    def _on_wave(self, change: Mapping[str, Any]) -> None:
        if not self._busy:
            self._load(self.client_picker.value, change["new"] or None)

    def reset_weights(self) -> None:
        """Put the sliders back on the client's own weights and redraw."""
        cfg = self.client.config

        def reset() -> None:
            for a, s in self.area_sliders.items():
                s.value = cfg.area_weights.as_dict()[a]
            for c, s in self.component_sliders.items():
                s.value = float(getattr(cfg.component_weights, c))
        self._set_silently(reset)
        self._refresh({"scorecard"})

    # --- drawing ----------------------------------------------------------------------------
    def _refresh(self, stale: set[str]) -> None:
        """Recompute the view (cached where possible) and redraw what is visible."""
        if self._busy:
            return
        start = time.perf_counter()
        self._show_shares()
        try:
            weights = self.weights
        except ValidationError:
            zero_areas = sum(s.value for s in self.area_sliders.values()) <= 0
            message = ZERO_WEIGHTS if zero_areas else ZERO_COMPONENTS
            self.scorecard.value = cleared_html(message)
            self.status.value = f"<b>{esc(message)}</b>"
            for panel in self.area_panels[1:]:
                panel.value = ""
            for image in self.images.values():
                image.value = b""
            self._stale |= set(CHARTS) | {"quotes"}
            self.figures.clear()
            return
        self.view: View = self.engine.view(self.client, self.filters, weights)
        self.baseline: View = self.engine.view(self.client, self.filters)
        self.scorecard.value = scorecard_html(self.view, self.baseline)
        self._stale |= stale
        self._draw_area_panel()
        self._draw_visible()
        self.last_redraw_ms = 1000 * (time.perf_counter() - start)
        self.status.value = f"<span class='oat-note'>Updated in {self.last_redraw_ms:.0f} ms.</span>"

    def _draw_area_panel(self) -> None:
        """The selected area tab's detail (the other tabs are filled when opened)."""
        area = self.area
        if area is not None:
            self.area_panels[1 + AREAS.index(area)].value = area_html(self.view, area)

    def _visible(self) -> str:
        return VIEW_TABS[self.view_tabs.selected_index or 0][0]

    def _draw_visible(self) -> None:
        name = self._visible()
        if name == "compare":
            self._draw_compare()
        elif name == "quotes":
            self._draw_quotes()
        else:
            self.figure(name)

    def figure(self, name: str) -> Figure:
        """The chart ``name`` of the current view, drawn now if stale (also updates its image)."""
        if name in self._stale or name not in self.figures:
            fig = CHARTS[name](self.view, self.area)
            self.images[name].value = render_png(fig)
            self.figures[name] = fig
            self._stale.discard(name)
        return self.figures[name]

    def _draw_compare(self) -> None:
        """Two groups side by side (through the privacy engine), then drift and benchmark of the whole client."""
        from toolkit.explore.compare import benchmark_html, compare_html, compare_views, drift_assessment, drift_html

        if self.compare_a.value and self.compare_b.value:
            try:
                weights = self.weights
            except ValidationError:
                self.compare_panel.value = cleared_html("every weight of a kind is 0.")
            else:
                a, b = compare_views(self.engine, self.client, self.compare_a.value, self.compare_b.value, weights)
                self.compare_panel.value = compare_html(a, b)
        key = (self.client.client_id, self.client.wave, str(self.client.root))
        if self._drift_for != key:
            full = drift_assessment(self.engine, self.data_dir / self.client_picker.value, self.client,
                                    self.reports_dir)
            self.drift_panel.value = drift_html(full) + benchmark_html(full)
            self._drift_for = key

    def _draw_quotes(self) -> None:
        quotes = self.engine.quotes(self.view)
        area = self.area or ALL
        themes = quote_themes(quotes, area)
        options = [("All themes", ALL)] + [(t, t) for t in themes]
        if list(self.theme_picker.options) != options:
            keep = self.theme_picker.value if self.theme_picker.value in themes else ALL
            self._set_silently(lambda: setattr(self.theme_picker, "options", options))
            self._set_silently(lambda: setattr(self.theme_picker, "value", keep))
        shown = filter_quotes(quotes, area=area, theme=self.theme_picker.value, sentiment=self.sentiment_picker.value)
        self.quotes_panel.value = quotes_html(shown, self.view)
        self._stale.discard("quotes")

    # --- export -----------------------------------------------------------------------------
    def export(self) -> Path:
        """Write every chart (PNG) and the scenario (JSON) of the current view; return the folder."""
        figures = {name: self.figure(name) for name in CHARTS}
        self.last_export = export_view(self.view, figures, self.reports_dir, baseline=self.baseline,
                                       quotes=self.engine.quotes(self.view))
        return self.last_export

    def _export_clicked(self) -> None:
        try:
            _ = self.weights  # validates the weights; raises when every weight is 0
        except ValidationError:
            self.status.value = "<b>Nothing to export: the scorecard is cleared until a weight is above 0.</b>"
            self.download.value = ""
            return
        from toolkit.privacy.final import PublicationBlocked

        try:
            path = self.export()
        except PublicationBlocked as exc:  # names the groups, never a value
            self.status.value = f"<b>Not exported (privacy audit):</b> {esc(exc)}"
            self.download.value = ""
            return
        except OSError as exc:
            self.status.value = f"<b>Export failed:</b> {esc(exc)}"
            return
        note = ""
        try:  # the PDF of the shared page needs the system Chromium; the HTML page is enough without it
            from toolkit.explore.share import view_pdf

            view_pdf(path / "view.html", path / "view.pdf")
        except Exception as exc:  # noqa: BLE001 - a missing browser must not fail the export
            log.info("explore: no PDF of the view: %s", exc)
            note = " No PDF: Chromium is not available here; view.html prints to PDF from any browser."
        self.status.value = (f"Exported to <code>{esc(path)}</code> (also offered as a download below).{esc(note)}")
        self.download.value = download_link(path)


def download_link(folder: Path) -> str:
    """A browser download link holding the export folder as a zip (a data URI: no server path needed)."""
    import base64

    data = base64.b64encode(zip_bytes(folder)).decode("ascii")
    name = esc(f"{folder.parent.parent.name}-{folder.parent.name}-{folder.name}.zip")
    return (f'<a class="oat-download-link" download="{name}" href="data:application/zip;base64,{data}">'
            f"⬇ Download this view ({name})</a>")
