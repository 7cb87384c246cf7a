"""Chart slides of the PPTX deck: a native, editable chart or table, a caption, speaker notes.

Each function adds one slide to ``prs`` (titles come from `toolkit.pptx.plan`).
The drawing is `toolkit.pptx.native_charts` / `toolkit.pptx.tables` (data frames
and a box in, a chart object out); captions say the same as the HTML deck's.
"""
from __future__ import annotations

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.util import Inches

from toolkit.deck.plan import PlannedSlide, how_to_read
from toolkit.pptx import native_charts as nc
from toolkit.pptx import notes, tables
from toolkit.pptx.base import add_caption, chart_with_caption, new_page, set_notes
from toolkit.pptx.text import Box, Para, add_text, para


def scorecard(prs, layouts, story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    areas = story.assessment.areas
    body, strip = page.body.cut_bottom(int(Inches(1.05)), gap=int(Inches(0.1)))
    chart_box, caption_box = body.cut_bottom(int(Inches(0.45)), gap=int(Inches(0.05)))
    nc.add_scorecard_chart(page.slide, chart_box, areas)
    add_caption(page, caption_box, spec.caption)
    # The "how to read" strip, where numbers first appear, as in the HTML deck.
    add_text(page.slide, strip, [Para(((label + " ", True), (text, False)), space_after=0.1)
                                 for label, text in how_to_read(story)],
             sizes=(13, 12, 11, 10), name="How to read", color=MSO_THEME_COLOR.TEXT_2)
    set_notes(page.slide, notes.scorecard_notes(story))


def weight(prs, layouts, story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    areas = story.assessment.areas
    chart_with_caption(page, lambda slide, box: nc.add_weight_chart(slide, box, areas), spec.caption)
    set_notes(page.slide, notes.weight_notes(story))


def heatmap(prs, layouts, story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    depts = story.assessment.departments
    k = story.client.config.privacy.min_group_size
    table_box, rest = page.body.cut_bottom(int(Inches(1.15)), gap=int(Inches(0.12)))
    frame = tables.add_heatmap_table(page.slide, table_box, depts)
    below = frame.top + frame.height + int(Inches(0.15))
    legend_box = Box(rest.left, below, int(rest.width * 0.72), int(Inches(0.3)))
    tables.add_legend_table(page.slide, legend_box)
    caption_top = legend_box.bottom + int(Inches(0.1))
    add_caption(page, Box(rest.left, caption_top, rest.width, min(int(Inches(0.62)), page.body.bottom - caption_top)),
                f"Perception 0–100 by department. Cells reading “suppressed” hide groups of fewer than {k} "
                "respondents, or a group hidden so that a small one cannot be recovered by subtraction.")
    set_notes(page.slide, notes.heatmap_notes(story))


def perception_gap(prs, layouts, story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    gaps = story.assessment.perception_gaps
    if gaps.empty or gaps["gap"].isna().all():
        add_text(page.slide, page.body.cut_top(int(Inches(1.2)))[0],
                 [para("Level groups are too small to compare without identifying people; no gap is shown.")],
                 sizes=(20, 18, 16), name="Lead")
    else:
        flagged = gaps[gaps["flagged"].fillna(False).astype(bool)]
        found = (f" {len(flagged)} blind spot{'s' if len(flagged) > 1 else ''} highlighted." if len(flagged) else
                 " No gap is a blind spot.")
        chart_with_caption(page, lambda slide, box: nc.add_gap_chart(slide, box, gaps), spec.caption + found)
    set_notes(page.slide, notes.gap_notes(story))


def drivers(prs, layouts, story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    frame = story.assessment.drivers
    chart_with_caption(page, lambda slide, box: nc.add_drivers_chart(slide, box, frame), spec.caption)
    set_notes(page.slide, notes.drivers_notes(story))


def drift(prs, layouts, story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    data = story.assessment.drift
    shown = data[data["metric"] == "alignment"] if "metric" in data else data
    # every significant change, largest weighted first, as the HTML deck lists them: none is left out
    sentences = [f.sentence for f in story.findings.candidates if f.kind == "drift"]
    chart_box, text_box = page.body.cut_bottom(int(Inches(1.5 if sentences else 0.62)), gap=int(Inches(0.08)))
    nc.add_drift_chart(page.slide, chart_box, shown, previous=str(story.previous_wave),
                       current=str(story.client.config.wave))
    if sentences:
        add_text(page.slide, text_box, [para(s, bullet="char", space_after=0.15) for s in sentences],
                 sizes=(15, 14, 13, 12, 11), name="Changes")
    else:
        add_caption(page, text_box, "No change since the last wave is larger than its uncertainty.")
    set_notes(page.slide, notes.drift_notes(story))


def benchmark(prs, layouts, story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    bench = story.assessment.benchmark
    chart_with_caption(page, lambda slide, box: nc.add_benchmark_chart(slide, box, bench), spec.caption)
    set_notes(page.slide, notes.benchmark_notes(story))


__all__ = ["benchmark", "drift", "drivers", "heatmap", "perception_gap", "scorecard", "weight"]
