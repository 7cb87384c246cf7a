"""Slide scaffolding: a slide on a named layout, its title and kicker, content regions, captions, notes."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu, Inches

from toolkit.pptx.text import Box, Color, Para, add_text, fill_frame, fit_size, para

if TYPE_CHECKING:  # pragma: no cover
    from pptx.presentation import Presentation
    from pptx.shapes.autoshape import Shape
    from pptx.slide import Slide, SlideLayout

GAP = int(Inches(0.25))
KICKER_H = int(Inches(0.28))
_SKIP = {PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER}


@dataclass
class Page:
    """A slide being built: the slide, its content boxes (layout order) and their union."""

    slide: Slide
    boxes: list[Box]

    @property
    def body(self) -> Box:
        """The union of the layout's content placeholders (where content goes)."""
        left = min(b.left for b in self.boxes)
        top = min(b.top for b in self.boxes)
        right = max(b.right for b in self.boxes)
        bottom = max(b.bottom for b in self.boxes)
        return Box(left, top, right - left, bottom - top)


def new_page(prs: Presentation, layout: SlideLayout, title: str, *, kicker: str = "", keep: int = 0) -> Page:
    """Add a slide on ``layout`` with ``title`` in its title placeholder.

    The content placeholders' boxes are recorded; all but the first ``keep``
    are removed (content is drawn into their boxes instead), so no empty
    "Click to add text" box is left behind.
    """
    slide = prs.slides.add_slide(layout)
    title_shape = slide.shapes.title
    if title_shape is not None:
        title_shape.text_frame.text = title  # font, size and colour stay the template's
    bodies = [ph for ph in slide.placeholders
              if ph.placeholder_format.idx != 0 and ph.placeholder_format.type not in _SKIP]
    cached = getattr(layout.part, "_toolkit_boxes", None)  # placeholder boxes are the layout's: read them once
    if cached is None or len(cached) != len(bodies):
        cached = sorted(((Box.of(ph), ph.placeholder_format.idx) for ph in bodies),
                        key=lambda pair: (pair[0].left, pair[0].top))
        layout.part._toolkit_boxes = cached  # type: ignore[attr-defined]  # our cache, kept on python-pptx's part
    order = {idx: i for i, (_, idx) in enumerate(cached)}
    bodies.sort(key=lambda ph: order.get(ph.placeholder_format.idx, len(order)))
    boxes = [box for box, _ in cached]
    for ph in bodies[keep:]:
        ph._element.getparent().remove(ph._element)
    if not boxes:  # a template whose content layout has no body placeholder: use the slide below the title
        top = (title_shape.top + title_shape.height + GAP) if title_shape is not None else Inches(0.5)
        assert prs.slide_width is not None and prs.slide_height is not None  # a presentation has a slide size
        boxes = [Box(int(Inches(0.6)), int(top), int(prs.slide_width - Inches(1.2)),
                     int(prs.slide_height - top - Inches(0.8)))]
    if kicker and title_shape is not None and title_shape.top >= KICKER_H + Inches(0.1):
        box = Box(int(title_shape.left), int(title_shape.top) - KICKER_H, int(title_shape.width), KICKER_H)
        add_text(slide, box, [para(kicker.upper(), bold=True)], sizes=(11, 10, 9), name="Kicker",
                 color=MSO_THEME_COLOR.ACCENT_1)
    return Page(slide, boxes)


def body_placeholders(slide: Slide) -> list[Any]:
    """The content placeholders still on ``slide``, left to right."""
    found = [ph for ph in slide.placeholders
             if ph.placeholder_format.idx != 0 and ph.placeholder_format.type not in _SKIP]
    return sorted(found, key=lambda ph: (int(ph.left), int(ph.top)))


def add_caption(page: Page, box: Box, text: str) -> None:
    """A one- or two-line caption in the theme's secondary text colour."""
    add_text(page.slide, box, [para(text)], sizes=(13, 12, 11, 10), name="Caption", color=MSO_THEME_COLOR.TEXT_2)


def chart_with_caption(page: Page, draw: Callable[[Slide, Box], object], caption: str, *,
                       max_height: float | None = None) -> None:
    """The common chart slide: ``draw(slide, box)`` fills the body with a native chart, a caption sits under it."""
    chart_box, caption_box = page.body.cut_bottom(int(Inches(0.62)), gap=int(Inches(0.08)))
    if max_height is not None and chart_box.height > Inches(max_height):
        chart_box = Box(chart_box.left, chart_box.top, chart_box.width, int(Inches(max_height)))
        caption_box = Box(caption_box.left, chart_box.bottom + int(Inches(0.08)), caption_box.width,
                          caption_box.height)
    draw(page.slide, chart_box)
    add_caption(page, caption_box, caption)


def set_notes(slide: Slide, lines: list[str]) -> None:
    """Speaker notes: the method and the n behind the slide's numbers."""
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None, "the notes page has its body placeholder"
    frame.text = "\n".join(lines)


def add_panel(slide: Slide, box: Box, *, fill: Color = MSO_THEME_COLOR.BACKGROUND_2, name: str = "Panel") -> Shape:
    """A flat rectangle (no outline) filled with a theme colour or an `RGBColor`."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE

    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    shape.name = name
    shape.shadow.inherit = False
    shape.line.fill.background()
    shape.fill.solid()
    if isinstance(fill, RGBColor):
        shape.fill.fore_color.rgb = fill
    else:
        shape.fill.fore_color.theme_color = fill
    return shape


def write_in_shape(shape: Shape, paras: list[Para], sizes: Sequence[float], *, color: Color = MSO_THEME_COLOR.TEXT_1,
                   **kwargs: Any) -> float:
    """Fill an autoshape's text frame at the largest size that fits it; return the size."""
    size = fit_size(paras, Box.of(shape), sizes)
    fill_frame(shape.text_frame, paras, size, color=color, **kwargs)
    return size


__all__ = ["GAP", "Page", "add_caption", "add_panel", "body_placeholders",
           "chart_with_caption", "new_page", "set_notes", "write_in_shape"]
