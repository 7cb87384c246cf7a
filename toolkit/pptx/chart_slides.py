"""Chart slides of the PPTX deck: a native, editable chart or table, a caption, speaker notes.

Each function adds one slide to ``prs`` (titles come from `toolkit.pptx.plan`).
The drawing is `toolkit.pptx.native_charts` / `toolkit.pptx.tables` (data frames
and a box in, a chart object out); captions say the same as the HTML deck's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.util import Emu, Inches

from toolkit.deck.plan import PlannedSlide, consistency_judged, how_to_read
from toolkit.pptx import native_charts as nc
from toolkit.pptx import notes, tables
from toolkit.pptx.page import add_caption, chart_with_caption, new_page, set_notes
from toolkit.pptx.text import Box, Para, add_text, para

if TYPE_CHECKING:  # pragma: no cover
    from pptx.presentation import Presentation

    from toolkit.pptx.template import Layouts
    from toolkit.story import Story


def scorecard(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
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


def weight(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    areas = story.assessment.areas
    chart_with_caption(page, lambda slide, box: nc.add_weight_chart(slide, box, areas), spec.caption)
    set_notes(page.slide, notes.weight_notes(story))


def heatmap(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    depts = story.assessment.departments
    table_box, rest = page.body.cut_bottom(int(Inches(1.15)), gap=int(Inches(0.12)))
    judged = consistency_judged(depts)
    if judged:
        # Perception above consistency, each full width so area names never break inside a word; with
        # too many departments for two tables' height, side by side.
        n_rows = depts["department"].nunique() + 1  # at full width the header takes one line
        stacked = n_rows * 0.36 * 2 + 0.12 <= Emu(table_box.height).inches  # about 0.36 in a row at 12 pt
        first, second = (table_box.cut_top(table_box.height // 2 - int(Inches(0.05)), gap=int(Inches(0.1)))
                         if stacked else table_box.split(0.5, int(Inches(0.3))))
        frame = tables.add_heatmap_table(page.slide, first, depts, name="Heatmap", sizes=(14, 13, 12),
                                         corner="Perception")
        other = tables.add_heatmap_table(page.slide, second, depts, value="consistency", blank="too few",
                                         name="Consistency heatmap", sizes=(14, 13, 12), corner="Consistency")
        # stacked, each table keeps its half (a wrapped header row can draw taller than planned)
        below = (table_box.bottom if stacked else max(f.top + f.height for f in (frame, other))) + int(Inches(0.15))
    else:
        frame = tables.add_heatmap_table(page.slide, table_box, depts)
        below = frame.top + frame.height + int(Inches(0.15))
    legend_box = Box(rest.left, below, int(rest.width * 0.72), int(Inches(0.3)))
    tables.add_legend_table(page.slide, legend_box)
    caption_top = legend_box.bottom + int(Inches(0.1))
    k = story.client.config.min_consistency_group
    text = spec.caption + (f" Consistency: how far a department's people agree (“too few”: agreement within a "
                           f"group needs {k} respondents)." if judged else "")
    add_caption(page, Box(rest.left, caption_top, rest.width, min(int(Inches(0.62)), page.body.bottom - caption_top)),
                text)
    set_notes(page.slide, notes.heatmap_notes(story))


def perception_gap(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
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
        body, levels = page.body, story.assessment.levels
        if levels is not None and len(levels):
            # Levels x areas (what each level rates) above the gaps between them (what the finding is about).
            grid_box, body = body.cut_top(int(Inches(1.6)), gap=int(Inches(0.1)))
            tables.add_heatmap_table(page.slide, grid_box, levels.assign(level=levels["level"].str.capitalize()),
                                     row="level", corner="Level", name="Levels heatmap", sizes=(13, 12))
        chart_box, caption_box = body.cut_bottom(int(Inches(0.62)), gap=int(Inches(0.08)))
        nc.add_gap_chart(page.slide, chart_box, gaps)
        add_caption(page, caption_box, spec.caption + found)
    set_notes(page.slide, notes.gap_notes(story))


def drivers(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    frame = story.assessment.drivers
    assert frame is not None, "the plan shows this slide only with a drivers table"
    chart_with_caption(page, lambda slide, box: nc.add_drivers_chart(slide, box, frame), spec.caption)
    set_notes(page.slide, notes.drivers_notes(story))


def drift(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    data = story.assessment.drift
    assert data is not None, "the plan shows this slide only with a previous wave"
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


def benchmark(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    bench = story.assessment.benchmark
    assert bench is not None, "the plan shows this slide only with a benchmark"
    chart_with_caption(page, lambda slide, box: nc.add_benchmark_chart(slide, box, bench), spec.caption)
    set_notes(page.slide, notes.benchmark_notes(story))


__all__ = ["benchmark", "drift", "drivers", "heatmap", "perception_gap", "scorecard", "weight"]
