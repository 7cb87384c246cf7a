"""Text-led slides of the PPTX deck: title, executive summary, area deep dives, costs, roadmap, appendix.

Everything a partner may want to reword is a real text box, placeholder or
table. Numbers come from the protected assessment and the findings, so a
suppressed value is absent here exactly as in the HTML deck; quotes come from
``story.voice.quotes`` only, attributed by level.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches

from toolkit.deck.plan import PlannedSlide
from toolkit.model import AREA_LABELS
from toolkit.pptx import native_charts, notes
from toolkit.pptx.notes import num
from toolkit.pptx.page import GAP, Page, add_panel, body_placeholders, new_page, set_notes, write_in_shape
from toolkit.pptx.text import Box, Para, Run, add_table, add_text, fill_frame, fill_placeholder, fit_size, para
from toolkit.slides.content import (
    KPI_HEADER,
    MISS_HEADER,
    area_kpi_rows,
    coverage_warnings,
    group_counts,
    kpi_misses,
    miss_sentence,
    quotes_for,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pptx.presentation import Presentation

    from toolkit.pptx.template import Layouts
    from toolkit.story import Story

HORIZONS = (30, 60, 90)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
SEVERITY_COLORS = {"high": RGBColor(0xD5, 0x5E, 0x00), "medium": RGBColor(0xE6, 0x9F, 0x00),
                   "low": RGBColor(0x00, 0x9E, 0x73)}


def band_rgb(band: object) -> RGBColor:
    """The band's colour (the charts' green / amber / red); grey when suppressed."""
    from toolkit.plots.theme import band_color

    try:
        color: RGBColor = RGBColor.from_string(band_color(str(band)).lstrip("#").upper())
        return color
    except (KeyError, ValueError):
        return RGBColor(0x8C, 0x8C, 0x8C)


def title(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    cfg = story.client.config
    slide = prs.slides.add_slide(layouts["Title"])
    slide.shapes.title.text_frame.text = spec.title
    caps = ", ".join(cfg.unique_capabilities)
    meta = f"Customer promise: {cfg.customer_promise} · Management style: {cfg.management_style}"
    paras = [para("OPERATIONAL ALIGNMENT ASSESSMENT", bold=True, scale=0.7, color=MSO_THEME_COLOR.ACCENT_1),
             para(f"“{' '.join(cfg.strategy.split())}”", italic=True),
             para(meta + (f" · Unique capabilities: {caps}" if caps else ""), scale=0.75),
             para(f"Wave {cfg.wave} · {int(story.assessment.oai.get('n', 0) or 0)} interviews", scale=0.75)]
    subtitle = body_placeholders(slide)
    if subtitle:
        fill_placeholder(subtitle[0], paras, sizes=(20, 18, 16, 14, 13, 12))
    else:
        add_text(slide, Box(int(Inches(1)), int(Inches(4)), int(prs.slide_width - Inches(2)), int(Inches(2.4))),
                 paras, sizes=(20, 18, 16, 14, 12), name="Subtitle")
    set_notes(slide, notes.title_notes(story))


def executive_summary(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Two Content"], spec.title, kicker=spec.kicker, keep=0)
    oai, f = story.assessment.oai, story.findings
    left, right = page.body.split(0.34, GAP)
    tile_box, gap_box = left.cut_top(int(Inches(2.6)), gap=int(Inches(0.2)))
    tile = add_panel(page.slide, tile_box, fill=band_rgb(oai.get("band")), name="OAI tile")
    write_in_shape(tile, [para(num(oai.get("value")), bold=True, scale=3.2, space_after=0.05),
                          para("Overall Alignment Index", bold=True, space_after=0.1),
                          para(str(oai.get("band") or "suppressed").capitalize(), space_after=0.1),
                          para(f"90 % interval {num(oai.get('lo'))}–{num(oai.get('hi'))}", scale=0.85)],
                   sizes=(16, 15, 14, 13, 12), color=WHITE, anchor=MSO_ANCHOR.MIDDLE, align=PP_ALIGN.CENTER)
    add_text(page.slide, gap_box, [Para((("Principal gap. ", True), (f.principal_gap_sentence, False)))],
             sizes=(15, 14, 13, 12, 11), name="Principal gap")
    findings = [para(f.oai_sentence, bold=True, space_after=0.6)]
    findings += [para(s, bullet="number", space_after=0.5) for s in list(f.summary_sentences)[:3]]
    add_text(page.slide, right, findings, sizes=(18, 17, 16, 15, 14, 13, 12), name="Findings")
    set_notes(page.slide, notes.summary_notes(story))


def _tiles(page: Page, box: Box, row: pd.Series) -> None:
    specs = [("Alignment", num(row.get("alignment")), row.get("band")),
             ("Perception", num(row.get("perception")), None),
             ("Favourable", num(row.get("favourable"), suffix="%"), None),
             ("Consistency", num(row.get("consistency")), None),
             ("Evidence (KPIs)", num(row.get("evidence")), None)]
    gap = int(Inches(0.12))
    top_row, bottom_row = box.cut_top((box.height - gap) // 2, gap=gap)
    cells = top_row.columns(3, gap) + bottom_row.columns(3, gap)[:2]
    for (label, value, band), cell in zip(specs, cells, strict=True):
        banded = band is not None
        shape = add_panel(page.slide, cell, fill=band_rgb(band) if banded else MSO_THEME_COLOR.BACKGROUND_2,
                          name=f"{label} tile")
        write_in_shape(shape, [para(value, bold=True, scale=1.9, space_after=0.0), para(label, scale=0.8)],
                       sizes=(14, 13, 12, 11), color=WHITE if banded else MSO_THEME_COLOR.TEXT_2,
                       anchor=MSO_ANCHOR.MIDDLE, align=PP_ALIGN.CENTER)


def area(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide, area_id: str) -> None:
    a = story.assessment
    row = cast("pd.Series", a.areas.loc[area_id])  # the area index is unique: a row (pandas-stubs: Series | DataFrame)
    page = new_page(prs, layouts["Two Content"], spec.title, kicker=spec.kicker)
    left, right = page.body.split(0.64, GAP)  # the items take the full height: every label at 12 pt
    tiles_box, right = right.cut_top(int(Inches(1.9)), gap=int(Inches(0.2)))
    _tiles(page, tiles_box, row)
    items = a.items[a.items["area"] == area_id]
    if "suppressed" in items:
        items = items[~items["suppressed"].fillna(False).astype(bool)]
    if len(items):
        native_charts.add_likert_chart(page.slide, left, items)
    kpis = a.kpis[a.kpis["area"] == area_id]
    side = right
    if len(kpis):
        table_box, side = right.cut_top(int(right.height * 0.5), gap=int(Inches(0.15)))
        frame, _ = add_table(page.slide, table_box, list(KPI_HEADER), area_kpi_rows(story, area_id),
                             shares=(2.0, 1.8, 1.1, 1.9), sizes=(13, 12, 11, 10), name="KPI table")
        top = frame.top + frame.height + int(Inches(0.15))
        misses = kpi_misses(story, limit=1, area=area_id)
        if misses:  # the average hides the unit that misses: name it, as the HTML deck does
            miss_box = Box(side.left, top, side.width, int(Inches(0.6)))
            add_text(page.slide, miss_box, [para(miss_sentence(misses[0]))], sizes=(13, 12, 11), name="KPI miss",
                     color=MSO_THEME_COLOR.TEXT_2)
            top = miss_box.bottom + int(Inches(0.1))
        side = Box(side.left, top, side.width, side.bottom - top)
    else:
        note_box, side = right.cut_top(int(Inches(0.9)), gap=int(Inches(0.1)))
        add_text(page.slide, note_box, [para("No operations KPI is mapped to this area: alignment rests on "
                                             "interviews alone.", italic=True)],
                 sizes=(13, 12, 11), name="KPI note", color=MSO_THEME_COLOR.TEXT_2)
    # a quote needs about an inch (two lines and its attribution): without the room it is left out whole
    quotes = quotes_for(story, area_id, limit=1 if len(kpis) else 2) if side.height >= Inches(0.9) else []
    if quotes:
        paras: list[Para] = []
        for text, level in quotes:
            paras += [para(f"“{text}”", italic=True, space_after=0.1),
                      para(f"— {level}", scale=0.85, color=MSO_THEME_COLOR.TEXT_2, space_after=0.6)]
        add_text(page.slide, side, paras, sizes=(14, 13, 12, 11, 10), name="Quotes")
    set_notes(page.slide, notes.area_notes(story, area_id))


def costs(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    cards = list(story.findings.costs)
    misses = kpi_misses(story)
    area = page.body
    if misses:  # where the KPIs miss target, worst first, under the cards (as in the HTML deck)
        area, below = page.body.cut_bottom(int(Inches(0.42 * (len(misses) + 1) + 0.45)), gap=int(Inches(0.15)))
        heading, table_box = below.cut_top(int(Inches(0.4)))
        add_text(page.slide, heading, [para("Where the KPIs miss target", bold=True)], sizes=(14, 13, 12),
                 name="Misses heading", color=MSO_THEME_COLOR.TEXT_2)
        add_table(page.slide, table_box, list(MISS_HEADER), misses,
                  shares=(3.0, 2.2, 2.6, 1.8), sizes=(13, 12, 11, 10), name="KPI misses")
    if not cards:
        return set_notes(page.slide, notes.costs_notes(story))
    for cost, box in zip(cards, area.columns(len(cards), GAP), strict=True):
        c = cost if isinstance(cost, dict) else vars(cost)
        sev = str(c.get("severity", "")).lower()
        bar, card = box.cut_top(int(Inches(0.1)))
        add_panel(page.slide, bar, fill=SEVERITY_COLORS.get(sev, RGBColor(0x8C, 0x8C, 0x8C)), name="Severity bar")
        shape = add_panel(page.slide, card, fill=MSO_THEME_COLOR.BACKGROUND_2, name="Cost card")
        shape.text_frame.margin_left = shape.text_frame.margin_right = Inches(0.2)
        body = [para(f"{sev.upper()} SEVERITY", bold=True, scale=0.75, color=SEVERITY_COLORS.get(sev),
                     space_after=0.3),
                para(str(c.get("label") or ""), bold=True, scale=1.3, color=MSO_THEME_COLOR.TEXT_2, space_after=0.5)]
        body += [para(s, bullet="char", space_after=0.4) for s in list(c.get("evidence", []))[:3]]
        inner = Box(card.left + int(Inches(0.1)), card.top, card.width - int(Inches(0.2)), card.height)
        fill_frame(shape.text_frame, body, fit_size(body, inner, (15, 14, 13, 12, 11)), align=PP_ALIGN.LEFT)
    set_notes(page.slide, notes.costs_notes(story))


def roadmap_rows(story: Story) -> list[list[str]]:
    """The roadmap's rows: one action per finding, by horizon (as the HTML deck); full sentences,
    owner and success KPI; a horizon without an action has no row."""
    recs = story.findings.roadmap
    rows = []
    for horizon in HORIZONS:
        chosen = recs[recs["horizon"].astype(int) == horizon] if len(recs) else recs
        for _, r in chosen.iterrows():
            rows.append([f"{horizon} days", AREA_LABELS.get(r["area"], "Across areas"),
                         " ".join(str(r["action"]).split()) + " Success: " + str(r["success"]) + ".",
                         str(r["owner"])])
    return rows or [["–", "–", "No finding calls for action now: re-assess at the next wave.", "–"]]


def roadmap(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:

    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker)
    rows = roadmap_rows(story)
    shares = (1.1, 2.0, 7.0, 2.1)
    header = ["Horizon", "Area", "Action", "Owner"]
    add_table(page.slide, page.body, header, rows, shares=shares, sizes=(14, 13, 12, 11, 10),
              name="Recommendations")
    set_notes(page.slide, notes.roadmap_notes(story))


def _plain(html_text: str) -> Para:
    """An HTML method sentence (``<b>``, ``<sub>``, ``<sup>``) as runs: bold stays bold, r<sub>wg</sub> a subscript."""
    runs: list[Run] = []
    for chunk in re.split(r"(<b>.*?</b>|<sub>.*?</sub>|<sup>.*?</sup>)", html_text):
        if not chunk:
            continue
        text = re.sub(r"<[^>]+>", "", chunk)
        if chunk.startswith("<sub>") or chunk.startswith("<sup>"):
            runs.append((text, False, chunk[1:4]))
        else:
            runs.append((text, chunk.startswith("<b>")))
    return Para(tuple(runs), bullet="char", space_after=0.45)


def method(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    from toolkit.slides.content import METHOD_TEXT

    page = new_page(prs, layouts["Title and Content"], spec.title, kicker=spec.kicker, keep=1)
    p = story.client.config.privacy
    text_box, caption_box = page.body.cut_bottom(int(Inches(0.5)), gap=int(Inches(0.1)))
    holder = body_placeholders(page.slide)[0]
    holder.left, holder.top, holder.width, holder.height = (text_box.left, text_box.top, text_box.width,
                                                            text_box.height)
    fill_placeholder(holder, [_plain(t) for t in METHOD_TEXT], sizes=(18, 17, 16, 15, 14, 13, 12))
    add_text(page.slide, caption_box, [para(f"Privacy threshold for this client: {p.min_group_size} respondents; "
                                            f"quotes need groups of {p.min_quote_group}.")],
             sizes=(13, 12, 11), name="Caption", color=MSO_THEME_COLOR.TEXT_2)
    set_notes(page.slide, notes.method_notes(story))


def coverage(prs: Presentation, layouts: Layouts, story: Story, spec: PlannedSlide) -> None:
    a = story.assessment
    page = new_page(prs, layouts["Two Content"], spec.title, kicker=spec.kicker)
    left, right = (page.boxes[0], page.boxes[1]) if len(page.boxes) > 1 else page.body.split(0.5, GAP)
    add_table(page.slide, left, ["Department", "Respondents"], [list(r) for r in group_counts(
        a.departments, "department")], shares=(3, 1.4), sizes=(14, 13, 12, 11, 10), name="Departments")
    levels = [list(r) for r in group_counts(a.levels, "level")]
    frame, _ = add_table(page.slide, right.cut_top(int(Inches(1.9)))[0], ["Level", "Respondents"], levels,
                         shares=(3, 1.4), sizes=(14, 13, 12, 11), name="Levels")
    shown = coverage_warnings(story)
    top = frame.top + frame.height + int(Inches(0.3))
    box = Box(right.left, top, right.width, right.bottom - top)
    add_text(page.slide, box, [para("Data-quality warnings", bold=True, scale=1.15, color=MSO_THEME_COLOR.TEXT_2)]
             + [para(w, bullet="char", space_after=0.25) for w in (shown or ["None."])],
             sizes=(13, 12, 11, 10), name="Warnings")
    set_notes(page.slide, notes.coverage_notes(story))
