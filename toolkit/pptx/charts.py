"""Chart slides of the PPTX deck: the house charts as crisp PNGs, a caption, speaker notes.

Each function adds one slide to ``prs`` (titles come from `toolkit.pptx.plan`).
Captions say the same as the HTML deck's.
"""
from __future__ import annotations

import pandas as pd
from pptx.util import Inches

from toolkit.pptx import notes
from toolkit.pptx.base import add_chart, add_caption, chart_with_caption, new_page, set_notes
from toolkit.pptx.text import add_text, para


def scorecard(prs, layouts, story, title: str) -> None:
    from toolkit.plots import plot_scorecard

    page = new_page(prs, layouts["Title and Content"], title, kicker="Where the organisation stands")
    areas = story.assessment.areas
    chart_with_caption(page, lambda ax: plot_scorecard(areas, ax=ax),
                       "Alignment 0–100 per area with its 90 % interval. Bands: ≥ 75 aligned · 60–74.9 partly "
                       "aligned · < 60 misaligned.")
    set_notes(page.slide, notes.scorecard_notes(story))


def weight(prs, layouts, story, title: str) -> None:
    from toolkit.plots import plot_weight_alignment

    page = new_page(prs, layouts["Title and Content"], title, kicker="Priorities")
    areas = story.assessment.areas
    chart_with_caption(page, lambda ax: plot_weight_alignment(areas, ax=ax, title=None),
                       "Shaded, bottom right (“fix first”): areas the strategy relies on most where day-to-day "
                       "operations deliver least.")
    set_notes(page.slide, notes.weight_notes(story))


def heatmap(prs, layouts, story, title: str) -> None:
    from toolkit.plots import plot_heatmap

    page = new_page(prs, layouts["Title and Content"], title, kicker="Department × area")
    depts = story.assessment.departments
    n_depts = depts["department"].nunique()
    k = story.client.config.privacy.min_group_size
    chart_with_caption(page, lambda ax: plot_heatmap(depts, ax=ax),
                       f"Perception 0–100 by department. Hatched cells are suppressed: fewer than {k} respondents, "
                       "or hidden so that a small group cannot be recovered by subtraction.",
                       max_height=min(4.45, 1.5 + 0.45 * n_depts))
    set_notes(page.slide, notes.heatmap_notes(story))


def perception_gap(prs, layouts, story, title: str) -> None:
    from toolkit.plots import plot_perception_gap

    page = new_page(prs, layouts["Title and Content"], title, kicker="Leadership blind spots")
    gaps = story.assessment.perception_gaps
    if gaps.empty or gaps["gap"].isna().all():
        add_text(page.slide, page.body.cut_top(int(Inches(1.2)))[0],
                 [para("Level groups are too small to compare without identifying people; no gap is shown.")],
                 sizes=(20, 18, 16), name="Lead")
    else:
        flagged = gaps[gaps["flagged"].fillna(False).astype(bool)]
        caption = (f"{len(flagged)} gap(s) of 10 points or more (highlighted): executives see alignment the "
                   "organisation does not feel." if len(flagged) else
                   "No gap reaches 10 points: leaders and staff broadly see the same picture.")
        chart_with_caption(page, lambda ax: plot_perception_gap(gaps, ax=ax), caption)
    set_notes(page.slide, notes.gap_notes(story))


def drift(prs, layouts, story, title: str) -> None:
    from toolkit.plots import plot_drift

    page = new_page(prs, layouts["Title and Content"], title, kicker="Re-assessment")
    data = story.assessment.drift
    shown = data[data["metric"] == "alignment"] if "metric" in data else data
    sentences = list(getattr(story.findings, "drift_sentences", []) or [])[:3]
    chart_box, text_box = page.body.cut_bottom(int(Inches(1.5 if sentences else 0.62)), gap=int(Inches(0.08)))
    add_chart(page, chart_box, lambda ax: plot_drift(shown, ax=ax))
    if sentences:
        add_text(page.slide, text_box, [para(s, bullet="char", space_after=0.15) for s in sentences],
                 sizes=(15, 14, 13, 12, 11), name="Changes")
    else:
        add_caption(page, text_box, "No change since the last wave is larger than its uncertainty.")
    set_notes(page.slide, notes.drift_notes(story))


def benchmark(prs, layouts, story, title: str) -> None:
    from toolkit.plots import plot_benchmark

    page = new_page(prs, layouts["Title and Content"], title, kicker="Context")
    bench = story.assessment.benchmark
    n = int(pd.to_numeric(bench["n_clients"]).max())
    chart_with_caption(page, lambda ax: plot_benchmark(bench, ax=ax),
                       f"Percentile of each area’s alignment among {n} other clients of the firm (their latest "
                       "assessments). No other client’s data is shown.")
    set_notes(page.slide, notes.benchmark_notes(story))


__all__ = ["benchmark", "drift", "heatmap", "perception_gap", "scorecard", "weight"]
