"""Editable text on a slide: boxes, placeholders, tables, and the budget that keeps text inside them.

Text never relies on PowerPoint shrinking it: every frame is given the largest
font size whose estimated height fits its box (a rule of thumb: an average
character is ``CHAR_EM`` of the font size wide, a line is ``LINE_SPACING``
times the size high). Colours are theme colours, so a firm's template recolours
the deck; fonts are the theme's (``+mn-lt`` / ``+mj-lt``) unless stated.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

if TYPE_CHECKING:  # pragma: no cover
    from pptx.shapes.base import BaseShape
    from pptx.shapes.graphfrm import GraphicFrame
    from pptx.slide import Slide
    from pptx.text.text import Font, TextFrame, _Paragraph

EMU_PER_PT = 12700
EMU_PER_INCH = 914400
CHAR_EM = 0.55       # average character width / font size (Arial mixed text ~0.5; kept conservative)
LINE_SPACING = 1.2   # line height / font size
INSET_X = 0.1 * EMU_PER_INCH   # python-pptx / PowerPoint default insets
INSET_Y = 0.05 * EMU_PER_INCH
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
BASELINES = {"sub": "-25000", "sup": "30000"}  # DrawingML run baseline offsets (thousandths of a percent)

#: One run of a `Para`: ``(text, bold)`` or ``(text, bold, "sub" | "sup")``.
Run = tuple[str, bool] | tuple[str, bool, str]
#: A text colour: a theme colour slot or an explicit `RGBColor`.
Color = MSO_THEME_COLOR | RGBColor


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @classmethod
    def of(cls, shape: BaseShape) -> Box:
        """The box of a shape (placeholders inherit theirs from the layout)."""
        return cls(int(shape.left), int(shape.top), int(shape.width), int(shape.height))

    def inches(self) -> tuple[float, float]:
        """Width and height in inches."""
        return self.width / EMU_PER_INCH, self.height / EMU_PER_INCH

    def cut_top(self, height: int, gap: int = 0) -> tuple[Box, Box]:
        """Split into a top band of ``height`` and the rest below it (after ``gap``)."""
        top = Box(self.left, self.top, self.width, height)
        rest = Box(self.left, self.top + height + gap, self.width, max(0, self.height - height - gap))
        return top, rest

    def cut_bottom(self, height: int, gap: int = 0) -> tuple[Box, Box]:
        """Split into the part above and a bottom band of ``height``."""
        above = Box(self.left, self.top, self.width, max(0, self.height - height - gap))
        return above, Box(self.left, self.bottom - height, self.width, height)

    def columns(self, n: int, gap: int) -> list[Box]:
        """``n`` equal columns separated by ``gap``."""
        width = (self.width - gap * (n - 1)) // n
        return [Box(self.left + i * (width + gap), self.top, width, self.height) for i in range(n)]

    def split(self, share: float, gap: int) -> tuple[Box, Box]:
        """Left part of ``share`` of the width, right part after ``gap``."""
        width = int((self.width - gap) * share)
        return (Box(self.left, self.top, width, self.height),
                Box(self.left + width + gap, self.top, self.width - width - gap, self.height))


@dataclass(frozen=True)
class Para:
    """One paragraph: runs of ``(text, bold)`` or ``(text, bold, "sub" | "sup")``, a bullet kind, a relative size."""

    runs: tuple[Run, ...]
    bullet: str = "none"  # none | char | number
    scale: float = 1.0
    color: Color | None = None
    italic: bool = False
    space_after: float = 0.35  # in lines

    @property
    def text(self) -> str:
        return "".join(r[0] for r in self.runs)


def para(text: str, *, bold: bool = False, **kwargs: Any) -> Para:
    """A paragraph of one run."""
    return Para(((text, bold),), **kwargs)


def lines_needed(text: str, width_pt: float, size: float) -> int:
    """Estimated wrapped lines of ``text`` in a column ``width_pt`` wide at ``size`` pt."""
    per_line = max(1, int(width_pt / (size * CHAR_EM)))
    words = text.split()
    if not words:
        return 1
    lines, used = 1, 0
    for word in words:
        need = len(word) + (1 if used else 0)
        if used + need > per_line and used:
            lines += 1 + (len(word) - 1) // per_line
            used = len(word) % per_line or per_line
        else:
            used += need
    return lines


def height_needed(paras: Sequence[Para], width: int, size: float) -> float:
    """Estimated height in points of ``paras`` set at ``size`` pt in a frame ``width`` EMU wide."""
    width_pt = (width - 2 * INSET_X) / EMU_PER_PT
    total = 0.0
    for i, p in enumerate(paras):
        s = size * p.scale
        indent = 1.6 * s if p.bullet != "none" else 0.0
        total += lines_needed(p.text, width_pt - indent, s) * s * LINE_SPACING
        if i < len(paras) - 1:
            total += p.space_after * s * LINE_SPACING
    return total + 2 * INSET_Y / EMU_PER_PT


def fit_size(paras: Sequence[Para], box: Box, sizes: Iterable[float]) -> float:
    """The largest size in ``sizes`` (descending) at which ``paras`` fit ``box``; else the smallest."""
    sizes = list(sizes)
    for size in sizes:
        if height_needed(paras, box.width, size) <= box.height / EMU_PER_PT:
            return size
    return sizes[-1]


def _bullet(paragraph: _Paragraph, kind: str, size: float) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    for tag in ("buNone", "buAutoNum", "buChar", "buFont"):
        for old in ppr.findall(f"{{{A_NS}}}{tag}"):
            ppr.remove(old)
    indent = int(1.6 * size * EMU_PER_PT)
    if kind == "none":
        ppr.set("marL", "0")
        ppr.set("indent", "0")
        etree.SubElement(ppr, f"{{{A_NS}}}buNone")
        return
    ppr.set("marL", str(indent))
    ppr.set("indent", str(-indent))
    if kind == "number":
        etree.SubElement(ppr, f"{{{A_NS}}}buFont", typeface="+mj-lt")
        etree.SubElement(ppr, f"{{{A_NS}}}buAutoNum", type="arabicPeriod")
    else:
        etree.SubElement(ppr, f"{{{A_NS}}}buFont", typeface="Arial")
        etree.SubElement(ppr, f"{{{A_NS}}}buChar", char="•")


_SCHEME: dict[MSO_THEME_COLOR, str] = {}


def _color(font: Font, color: Color | None) -> None:
    """Set a run's colour: an `RGBColor`, or a theme colour written straight as ``a:schemeClr``.

    (python-pptx's ``theme_color`` setter costs ~2 ms a run; this is the same XML.)
    """
    if color is None:
        return
    if isinstance(color, RGBColor):
        font.color.rgb = color
        return
    value = _SCHEME.get(color)
    if value is None:
        value = _SCHEME[color] = MSO_THEME_COLOR.to_xml(color)
    rpr: etree._Element = font._rPr  # as a plain element: the fill is one
    for old in rpr.findall(f"{{{A_NS}}}solidFill"):
        rpr.remove(old)
    fill = etree.Element(f"{{{A_NS}}}solidFill")
    etree.SubElement(fill, f"{{{A_NS}}}schemeClr", val=value)
    # a:rPr children order: ln, fill, effects, highlight, ..., latin, ea, cs, sym, hlinkClick ...
    anchor = next((c for c in rpr if etree.QName(c).localname not in ("ln",)), None)
    if anchor is not None:
        anchor.addprevious(fill)
    else:
        rpr.append(fill)


def fill_frame(frame: TextFrame, paras: Sequence[Para], size: float, *, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
               align: PP_ALIGN | None = None, color: Color = MSO_THEME_COLOR.TEXT_1) -> None:
    """Write ``paras`` into a text frame (replacing its text) with explicit sizes and bullets."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    for i, p in enumerate(paras):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        s = size * p.scale
        _bullet(paragraph, p.bullet, s)
        if align is not None:
            paragraph.alignment = align
        paragraph.space_after = Pt(round(p.space_after * s * LINE_SPACING, 1)) if i < len(paras) - 1 else Pt(0)
        paragraph.space_before = Pt(0)
        paragraph.line_spacing = 1.0
        for spec in p.runs:
            text, bold = spec[0], spec[1]
            run = paragraph.add_run()
            run.text = text
            run.font.size = Pt(s)
            run.font.bold = bold
            if len(spec) > 2 and spec[2] in BASELINES:
                run.font._rPr.set("baseline", BASELINES[spec[2]])
            run.font.italic = p.italic or None
            _color(run.font, p.color or color)


def add_text(slide: Slide, box: Box, paras: Sequence[Para], *, sizes: Iterable[float] = (16, 14, 13, 12, 11),
             name: str = "Text", **kwargs: Any) -> float:
    """Add a text box holding ``paras`` at the largest size that fits; return that size."""
    size = fit_size(paras, box, sizes)
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    shape.name = name
    fill_frame(shape.text_frame, paras, size, **kwargs)
    return size


def fill_placeholder(placeholder: Any, paras: Sequence[Para], *, sizes: Iterable[float] = (18, 16, 14, 13, 12, 11),
                     **kwargs: Any) -> float:
    """Write ``paras`` into a body placeholder at the largest size that fits it; return the size."""
    size = fit_size(paras, Box.of(placeholder), sizes)
    fill_frame(placeholder.text_frame, paras, size, **kwargs)
    return size


def table_height(rows: Sequence[Sequence[str]], widths: Sequence[int], size: float) -> float:
    """Estimated height in points of a table whose rows grow to hold their text."""
    total = 0.0
    for row in rows:
        lines = max(lines_needed(text, (w - 2 * INSET_X) / EMU_PER_PT, size) for text, w in zip(row, widths, strict=True))
        total += lines * size * LINE_SPACING + 2 * INSET_Y / EMU_PER_PT
    return total


def use_template_table_style(frame: GraphicFrame) -> None:
    """The template's default table style on ``frame`` (see `toolkit.pptx.brand`)."""
    from toolkit.pptx.brand import use_template_table_style as use

    use(frame)


def add_table(slide: Slide, box: Box, header: Sequence[str], rows: Sequence[Sequence[str]], *,
              shares: Sequence[float], sizes: Iterable[float] = (14, 13, 12, 11, 10),
              name: str = "Table") -> tuple[GraphicFrame, float]:
    """Add a real (editable) table in the template's default table style; return it and its font size.

    Column widths are ``shares`` of the box width; the font is the largest of
    ``sizes`` whose estimated table height fits the box. Row heights are set to
    the estimate so the table occupies only what it needs.
    """
    widths = [int(box.width * s / sum(shares)) for s in shares]
    body = [list(header)] + [list(r) for r in rows]
    sizes = list(sizes)
    size = next((s for s in sizes if table_height(body, widths, s) <= box.height / EMU_PER_PT), sizes[-1])
    heights = [max(lines_needed(t, (w - 2 * INSET_X) / EMU_PER_PT, size) for t, w in zip(r, widths, strict=True))
               * size * LINE_SPACING * EMU_PER_PT + 2 * INSET_Y for r in body]
    frame = slide.shapes.add_table(len(body), len(header), Emu(box.left), Emu(box.top), Emu(box.width),
                                   Emu(int(sum(heights))))
    frame.name = name
    use_template_table_style(frame)
    table = frame.table
    for j, w in enumerate(widths):
        table.columns[j].width = Emu(w)
    for i, (row, h) in enumerate(zip(body, heights, strict=True)):
        table.rows[i].height = Emu(int(h))
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Emu(int(INSET_X))
            cell.margin_top = cell.margin_bottom = Emu(int(INSET_Y))
            cell.vertical_anchor = MSO_ANCHOR.TOP
            frame_ = cell.text_frame
            frame_.word_wrap = True
            paragraph = frame_.paragraphs[0]
            paragraph.text = ""
            run = paragraph.add_run()
            run.text = text
            run.font.size = Pt(size)
            run.font.bold = True if i == 0 else None
    return frame, size
