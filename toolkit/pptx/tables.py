"""Native tables of the deck: the department × area heatmap with cell fills and its legend.

A heatmap is a real PowerPoint table (every number editable, every fill a cell
fill), coloured on the same 0–100 scale as the HTML chart (`SCORE_CMAP`, red
below 60, amber to 75, green above). A suppressed cell reads "suppressed" on
grey and never holds a number. The legend under it is a one-row table too.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from toolkit.model import AREA_LABELS
from toolkit.pptx.text import EMU_PER_PT, INSET_X, INSET_Y, Box, lines_needed, use_template_table_style

if TYPE_CHECKING:  # pragma: no cover
    from pptx.shapes.graphfrm import GraphicFrame
    from pptx.slide import Slide
    from pptx.table import Table, _Cell

SUPPRESSED_FILL = RGBColor(0xE6, 0xE6, 0xE6)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
DARK = RGBColor(0x22, 0x22, 0x22)
#: Legend swatches: (label, a score inside the band, or None for suppressed).
LEGEND: tuple[tuple[str, float | None], ...] = (
    ("< 60 misaligned", 45.0), ("60–74.9 partly aligned", 67.0), ("≥ 75 aligned", 85.0), ("suppressed", None))


def score_rgb(value: float) -> RGBColor:
    """The fill of a 0–100 score on the house score scale (the HTML heatmap's colours)."""
    from toolkit.plots.theme import SCORE_CMAP

    r, g, b, _ = SCORE_CMAP(min(max(float(value), 0.0), 100.0) / 100.0)
    return RGBColor(round(r * 255), round(g * 255), round(b * 255))


def ink_for(fill: RGBColor) -> RGBColor:
    """White or dark text, whichever reads better on ``fill`` (relative luminance)."""
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in fill)
    return WHITE if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.28 else DARK


def _write(cell: _Cell, text: str, size: float, *, bold: bool = False, color: RGBColor = DARK,
           align: PP_ALIGN = PP_ALIGN.CENTER, italic: bool = False) -> None:
    cell.margin_left = cell.margin_right = Emu(int(INSET_X))
    cell.margin_top = cell.margin_bottom = Emu(int(INSET_Y))
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame = cell.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = ""
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic or None
    run.font.color.rgb = color


def _fill(cell: _Cell, color: RGBColor | None) -> None:
    if color is None:
        cell.fill.background()
    else:
        cell.fill.solid()
        cell.fill.fore_color.rgb = color


def _plain(table: Table) -> None:
    """No banding, no first-column emphasis: every fill is the data's."""
    table.first_row = True
    table.horz_banding = False
    table.vert_banding = False
    table.first_col = False
    table.last_row = False
    table.last_col = False


def add_heatmap_table(slide: Slide, box: Box, data: pd.DataFrame, *, value: str = "perception", row: str = "department",
                      corner: str = "Department", blank: str = "suppressed", name: str = "Heatmap",
                      sizes: Sequence[float] = (16, 15, 14, 13, 12), first_share: float = 0.28) -> GraphicFrame:
    """Department × area scores as a native table with cell fills (no legend; see `add_legend_table`).

    Parameters
    ----------
    slide
        The slide to draw on.
    box
        The room it may take; rows get the height they need, at most the box.
    data
        ``Assessment.departments`` (long: department, area, value, suppressed).
    value
        The 0–100 column shown.
    row, corner
        The column whose values are the rows, and the header above them.
    blank
        What a cell with no value (and not hidden) reads.
    first_share
        The share of the width the row labels take.
    name
        The table shape's name.
    sizes
        Font sizes to try, largest first; the first whose rows fit the box is used.

    Returns
    -------
    GraphicFrame
        The table's frame.
    """
    from toolkit.plots.heatmap import heatmap_grid

    rows, cols, cells = heatmap_grid(data, row=row, value=value, blank=blank)
    header = [corner] + [AREA_LABELS.get(c, c) for c in cols]
    first_w = int(box.width * first_share)
    other_w = (box.width - first_w) // max(len(cols), 1)
    widths = [first_w] + [other_w] * len(cols)
    sizes = list(sizes)

    def height_at(size: float) -> tuple[float, list[float]]:
        header_lines = max(lines_needed(t, (w - 2 * INSET_X) / EMU_PER_PT, size) for t, w in zip(header, widths, strict=True))
        body_lines = [max(lines_needed(r, (first_w - 2 * INSET_X) / EMU_PER_PT, size), 1) for r in rows]
        heights = [header_lines * size * 1.2 * EMU_PER_PT + 2 * INSET_Y]
        heights += [max(n * size * 1.2 * EMU_PER_PT + 2 * INSET_Y, size * 2.0 * EMU_PER_PT) for n in body_lines]
        return sum(heights), heights

    size = next((s for s in sizes if height_at(s)[0] <= box.height), sizes[-1])
    total, heights = height_at(size)
    frame = slide.shapes.add_table(len(rows) + 1, len(header), Emu(box.left), Emu(box.top), Emu(box.width),
                                   Emu(int(total)))
    frame.name = name
    use_template_table_style(frame)
    table = frame.table
    _plain(table)
    for j, w in enumerate(widths):
        table.columns[j].width = Emu(w)
    for i, h in enumerate(heights):
        table.rows[i].height = Emu(int(h))
    for j, text in enumerate(header):
        cell = table.cell(0, j)
        _fill(cell, None)
        _write(cell, text, size, bold=True, align=PP_ALIGN.LEFT if j == 0 else PP_ALIGN.CENTER)
    for i, r in enumerate(rows, start=1):
        first = table.cell(i, 0)
        _fill(first, None)
        _write(first, r, size, align=PP_ALIGN.LEFT)
        for j, c in enumerate(cols, start=1):
            cell, v = table.cell(i, j), cells.get((r, c), blank)
            if isinstance(v, str):
                _fill(cell, SUPPRESSED_FILL)
                _write(cell, v, size * 0.85, italic=True, color=RGBColor(0x44, 0x44, 0x44))
            else:
                fill = score_rgb(v)
                _fill(cell, fill)
                _write(cell, f"{v:.0f}", size, bold=True, color=ink_for(fill))
    return frame


def add_legend_table(slide: Slide, box: Box, *, name: str = "Heatmap legend", size: float = 12) -> GraphicFrame:
    """The heatmap's legend: one row of swatch cells naming the bands and "suppressed"."""
    frame = slide.shapes.add_table(1, len(LEGEND), Emu(box.left), Emu(box.top), Emu(box.width),
                                   Emu(int(size * 1.2 * EMU_PER_PT + 2 * INSET_Y)))
    frame.name = name
    use_template_table_style(frame)
    table = frame.table
    _plain(table)
    table.first_row = False
    for j, (label, score) in enumerate(LEGEND):
        cell = table.cell(0, j)
        fill = SUPPRESSED_FILL if score is None else score_rgb(score)
        _fill(cell, fill)
        _write(cell, label, size, color=ink_for(fill), italic=score is None)
    return frame


__all__ = ["LEGEND", "add_heatmap_table", "add_legend_table", "ink_for", "score_rgb"]
