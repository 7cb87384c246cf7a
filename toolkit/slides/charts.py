"""Chart slides: one house-style chart under a title that says what it shows.

The slide title names the chart, so charts are drawn without their own title.
"""
from __future__ import annotations

import pandas as pd

from toolkit.model import AREA_LABELS
from toolkit.slides.base import Slide, chart, esc, section


def scorecard_slide(story) -> Slide:
    """Alignment per area with 90 % intervals, coloured by band."""
    from toolkit.plots import plot_scorecard

    areas = story.assessment.areas
    body = chart(lambda ax: plot_scorecard(areas, ax=ax, title=None), alt="Alignment scorecard by area")
    body += '<p class="oat-caption">Alignment 0–100 per area with its 90 % interval. Bands: ≥ 75 aligned · 60–74.9 partly aligned · &lt; 60 misaligned.</p>'
    return section("Alignment scorecard", body, kicker="Where the organisation stands")


def weight_slide(story) -> Slide:
    """Strategic weight against alignment: what to fix first."""
    from toolkit.plots import plot_weight_alignment

    areas = story.assessment.areas
    body = chart(lambda ax: plot_weight_alignment(areas, ax=ax, title=None), alt="Strategic weight versus alignment")
    body += '<p class="oat-caption">Shaded, bottom right (“fix first”): areas the strategy relies on most where day-to-day operations deliver least.</p>'
    return section("Strategic weight vs alignment", body, kicker="Priorities")


def heatmap_slide(story) -> Slide:
    """Perception by department and area; small groups are suppressed, not shown."""
    from toolkit.plots import plot_heatmap

    depts = story.assessment.departments
    if depts.empty:
        return None  # type: ignore[return-value]
    n_depts = depts["department"].nunique()
    height = min(4.6, 1.4 + 0.42 * n_depts)
    body = chart(lambda ax: plot_heatmap(depts, ax=ax, title=None), size=(11.6, height), alt="Department by area heatmap")
    k = story.client.config.privacy.min_group_size
    body += (f'<p class="oat-caption">Perception 0–100 by department. Hatched cells are suppressed: fewer than {k} '
             'respondents, or hidden so that a small group cannot be recovered by subtraction.</p>')
    body += units_caption(story)
    return section("Consistency across the organisation", body, kicker="Department × area")


def units_caption(story) -> str:
    """Method v2 (DESIGN 2.1): do departments differ (ICC(1), permutation test), the named outlier unit,
    and which department consistencies are too few to judge."""
    a = story.assessment
    parts = []
    units = getattr(a, "between_units", None)
    if units is not None and len(units):
        differ = [AREA_LABELS.get(r["area"], r["area"]) for _, r in units.iterrows() if r["departments_differ"]]
        parts.append("Departments differ beyond chance (ICC(1), permutation test, p < 0.05) in "
                     + ", ".join(differ) + "." if differ else
                     "No area shows departments differing beyond what reshuffling people gives by chance.")
        shown = set(a.departments.loc[~a.departments.get("suppressed", pd.Series(False, index=a.departments.index))
                                      .fillna(False).astype(bool), "department"])
        for _, r in units.iterrows():
            if r["outlier"] and r["outlier"] in shown:
                parts.append(f"{r['outlier']} sits {abs(r['outlier_gap']):.0f} points below the other departments "
                             f"in {AREA_LABELS.get(r['area'], r['area'])} (95 % interval "
                             f"{abs(r['outlier_hi']):.0f} to {abs(r['outlier_lo']):.0f} below).")
    few = a.departments.get("consistency_note")
    if few is not None and (few == "too few to judge agreement").any():
        k = story.client.config.min_consistency_group
        parts.append(f"Department consistency is shown only from {k} respondents; smaller departments: "
                     "too few to judge agreement.")
    return f'<p class="oat-caption">{esc(" ".join(parts))}</p>' if parts else ""


def perception_gap_slide(story) -> Slide:
    """Executive vs manager / frontline perception gaps per area."""
    from toolkit.plots import plot_perception_gap

    gaps = story.assessment.perception_gaps
    if gaps.empty or gaps["gap"].isna().all():
        return section("Perception gap by level",
                       '<p class="oat-lead">Level groups are too small to compare without identifying people; no gap is shown.</p>',
                       kicker="Leadership blind spots")
    body = chart(lambda ax: plot_perception_gap(gaps, ax=ax, title=None), alt="Perception gap by level")
    flagged = gaps[gaps["flagged"].fillna(False).astype(bool)]
    if len(flagged):
        detail = "; ".join(f"{AREA_LABELS.get(r['area'], r['area'])}, {r['group_a']} vs {r['group_b']}: "
                           f"{r['gap']:+.0f} points (95 % interval {r['lo']:.0f} to {r['hi']:.0f})"
                           for _, r in flagged.iterrows() if "lo" in flagged)
        body += (f'<p class="oat-caption">{len(flagged)} blind spot(s), highlighted: gaps of 10 points or more whose '
                 f'95 % interval, adjusted for the {int(gaps["p_value"].notna().sum())} comparisons made, excludes '
                 f'zero. {esc(detail)}.</p>')
    else:
        body += ('<p class="oat-caption">No leadership blind spot: no gap reaches 10 points with an interval, '
                 'adjusted for the number of comparisons, that excludes zero.</p>')
    return section("Perception gap by level", body, kicker="Leadership blind spots")


def drift_slide(story) -> Slide | None:
    """Change since the previous wave, only where there is one."""
    from toolkit.plots import plot_drift

    drift = story.assessment.drift
    if drift is None or len(drift) == 0:
        return None
    shown = drift[drift["metric"] == "alignment"] if "metric" in drift else drift
    # Shorter than other charts: up to three sentences sit under it.
    body = chart(lambda ax: plot_drift(shown, ax=ax, title=None), size=(11.6, 3.7), alt="Drift since the previous wave")
    sentences = getattr(story.findings, "drift_sentences", []) or []
    if sentences:
        body += '<ul class="oat-points">' + "".join(f"<li>{esc(s)}</li>" for s in sentences[:3]) + "</ul>"
    else:
        body += '<p class="oat-caption">No change since the last wave is larger than its uncertainty.</p>'
    return section(f"Drift since {story.previous_wave}", body, kicker="Re-assessment")


def benchmark_slide(story) -> Slide | None:
    """Percentile of each area among the firm's other clients (when ≥ 5 exist)."""
    from toolkit.plots import plot_benchmark

    bench = story.assessment.benchmark
    if bench is None or len(bench) == 0:
        return None
    n = int(pd.to_numeric(bench["n_clients"]).max())
    body = chart(lambda ax: plot_benchmark(bench, ax=ax, title=None), size=(11.6, 4.2), alt="Benchmark percentiles")
    body += f'<p class="oat-caption">Percentile of each area’s alignment among {n} other clients of the firm (their latest assessments). No other client’s data is shown.</p>'
    return section("Benchmark against the portfolio", body, kicker="Context")
