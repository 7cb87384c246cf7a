"""Workshop views of the explorer: two groups side by side, drift since the previous wave, the benchmark.

Everything goes through the same privacy path as the rest of the explorer:
each side of a comparison is an `ExploreEngine.view` (so a group the deck
would hide reads "suppressed"), a difference is shown only when both sides
are shown, and drift and benchmark come from `toolkit.metrics.score` of the
whole client passed through `toolkit.privacy.protect`, exactly as the deck
computes them (a change is called out only when its interval excludes 0).
"""
from __future__ import annotations

from pathlib import Path
from typing import cast

from toolkit.explore.engine import ExploreEngine, View
from toolkit.explore.panels import NOT_APPLICABLE_TEXT, SUPPRESSED_TEXT, esc, number, with_interval
from toolkit.explore.scenario import Filters, Weights
from toolkit.metrics.assessment import Assessment
from toolkit.model import AREA, AREA_LABELS, AREAS, ClientData
from toolkit.privacy import SUPPRESSED

METRICS = (("alignment", "Alignment"), ("perception", "Perception"), ("consistency", "Consistency"))


def group_filters(key: str) -> Filters:
    """A picker key (``department:<name>`` or ``level:<name>``) as filters."""
    kind, _, value = key.partition(":")
    return Filters(department=value) if kind == "department" else Filters(level=value)


def group_options(client: ClientData) -> list[tuple[str, str]]:
    """``(label, key)`` of every department and level, for the two comparison pickers."""
    from toolkit.model import DEPARTMENT, LEVEL, LEVELS

    people = client.respondents
    depts = sorted({str(d) for d in people[DEPARTMENT]})
    levels = [lv for lv in LEVELS if lv in set(people[LEVEL])]
    return [(f"Department: {d}", f"department:{d}") for d in depts] + \
        [(f"Level: {lv}", f"level:{lv}") for lv in levels]


def compare_html(a: View, b: View) -> str:
    """Two protected views side by side, with B − A only where both are shown."""
    def cell(view: View, area: str, metric: str) -> str:
        r = view.assessment.areas.loc[area]
        hidden = view.hidden or bool(r.get(SUPPRESSED, False))
        return with_interval(r[metric], r[f"{metric}_lo"], r[f"{metric}_hi"], hidden)

    rows = []
    for area in AREAS:
        for metric, label in METRICS:
            ra, rb = a.assessment.areas.loc[area], b.assessment.areas.loc[area]
            shown = not (a.hidden or b.hidden or ra.get(SUPPRESSED, False) or rb.get(SUPPRESSED, False))
            diff = number(float(cast(float, rb[metric])) - float(cast(float, ra[metric]))) if shown else SUPPRESSED_TEXT
            rows.append(f"<tr><td>{esc(AREA_LABELS[area]) if metric == 'alignment' else ''}</td><td>{label}</td>"
                        f"<td>{cell(a, area, metric)}</td><td>{cell(b, area, metric)}</td><td>{diff}</td></tr>")
    head = (f"<tr><th>Area</th><th>Measure</th><th>{esc(a.filters.describe())}</th>"
            f"<th>{esc(b.filters.describe())}</th><th>B − A</th></tr>")
    notes = [f"{esc(v.filters.describe())}: {SUPPRESSED_TEXT} ({esc(v.reason)})" for v in (a, b) if v.hidden]
    return (f'<div class="oat-compare"><table class="oat-table">{head}{"".join(rows)}</table>'
            + (f'<p class="oat-note">{"; ".join(notes)}</p>' if notes else "")
            + '<p class="oat-note">Each side passes the same privacy rules as the deck; a difference is shown '
              "only when both sides are. Intervals are 90 %.</p></div>")


def drift_assessment(engine: ExploreEngine, folder: str | Path, client: ClientData,
                     reports_dir: str | Path | None = None) -> Assessment | None:
    """The whole client at its own weights with drift (when it has an earlier wave) and benchmark, protected.

    Built with the story's steps (`toolkit.story`), so the previous wave and the privacy rules are the deck's.
    """
    from toolkit.story import assess_waves, load_others, load_waves, protect_waves

    waves = load_waves(folder, client.wave)
    others = load_others(reports_dir, exclude=client.client_id) if reports_dir is not None else None
    raw = assess_waves(waves, others=others, seed=engine.seed, n_boot=engine.n_boot_for(client))
    return protect_waves(raw, waves)


def drift_html(assessment: Assessment | None) -> str:
    """Drift since the previous wave: a change is called only when its interval excludes 0."""
    if assessment is None or assessment.drift is None or assessment.drift.empty:
        return f'<p class="oat-note">Drift: {NOT_APPLICABLE_TEXT}, this client has no earlier wave.</p>'
    d = assessment.drift
    prev = d.attrs.get("previous_wave", "the previous wave")
    rows = []
    for _, r in d.iterrows():
        hidden = bool(r.get(SUPPRESSED, False))
        area = "OAI" if r[AREA] == "overall" else AREA_LABELS.get(r[AREA], r[AREA])
        verdict = SUPPRESSED_TEXT if hidden else ("changed" if bool(r["significant"]) else "no clear change")
        rows.append(f"<tr><td>{esc(area)}</td><td>{esc(r['metric'])}</td><td>{number(r['previous'], hidden)}</td>"
                    f"<td>{number(r['current'], hidden)}</td>"
                    f"<td>{with_interval(r['difference'], r['lo'], r['hi'], hidden)}</td><td>{verdict}</td></tr>")
    return (f'<div class="oat-drift"><p><b>Drift since {esc(prev)}</b> (whole client, client\'s own weights)</p>'
            "<table class='oat-table'><tr><th>Area</th><th>Measure</th><th>Previous</th><th>Current</th>"
            "<th>Difference [interval]</th><th>Reading</th></tr>" + "".join(rows) + "</table>"
            '<p class="oat-note">"changed" only when the interval of the difference excludes 0 (the deck\'s rule);'
            ' otherwise "no clear change".</p></div>')


def benchmark_html(assessment: Assessment | None) -> str:
    """The deck's benchmark: each area's percentile among other clients (from 5 other clients)."""
    bench = None if assessment is None else assessment.benchmark
    if bench is None or len(bench) == 0:
        return ('<p class="oat-note">Benchmark: none yet. The deck benchmarks an area against at least 5 other '
                "clients' latest reports (in the reports folder); fewer are available here.</p>")
    rows = "".join(f"<tr><td>{esc(AREA_LABELS.get(r[AREA], r[AREA]))}</td><td>{number(r['percentile'], digits=0)}"
                   f"</td><td>{int(r['n_clients'])}</td></tr>" for _, r in bench.iterrows())
    return ("<div class='oat-benchmark'><p><b>Benchmark</b> (percentile among other clients)</p>"
            "<table class='oat-table'><tr><th>Area</th><th>Percentile</th><th>Other clients</th></tr>"
            f"{rows}</table></div>")


def compare_views(engine: ExploreEngine, client: ClientData, key_a: str, key_b: str,
                  weights: Weights | None = None) -> tuple[View, View]:
    """The two protected views of a comparison."""
    return (engine.view(client, group_filters(key_a), weights), engine.view(client, group_filters(key_b), weights))


__all__ = ["benchmark_html", "compare_html", "compare_views", "drift_assessment", "drift_html", "group_options"]
