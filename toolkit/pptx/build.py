"""`build_pptx`: the assessment deck as an editable PowerPoint file on the firm's template.

The slide sequence, titles and applicability come from the deck plan
(`toolkit.deck.plan.deck_plan`), the same plan the HTML deck follows; this
module only maps each plan key to the function that draws it.
"""
from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from toolkit.deck.plan import PlannedSlide
from toolkit.run.atomic import write_bytes_atomic

if TYPE_CHECKING:  # pragma: no cover
    from pptx.presentation import Presentation
    from pptx.shapes.autoshape import Shape
    from pptx.slide import Slide

    from toolkit.deck.firm import Firm
    from toolkit.pptx.template import Layouts
    from toolkit.story import Story

    #: A slide renderer: ``render(prs, layouts, story, planned)`` adds one slide.
    Renderer = Callable[[Presentation, Layouts, Story, PlannedSlide], None]

log = logging.getLogger("toolkit")


@dataclass(frozen=True)
class SlideSpec:
    """One slide of the deck: the plan's slide, and how to add it (``render(prs, layouts, story, planned)``)."""

    planned: PlannedSlide
    render: Renderer

    @property
    def key(self) -> str:
        return self.planned.key

    @property
    def title(self) -> str:
        return self.planned.title

    @property
    def kicker(self) -> str:
        return self.planned.kicker


TITLE_SIZES = (28, 26, 24, 22, 20, 18, 16)


def fit_title(slide: Slide) -> None:
    """Set an action title's size so it fits its placeholder (one or two lines), never cut."""
    import math

    from pptx.util import Pt

    shape = slide.shapes.title
    if shape is None or not shape.text_frame.text.strip():
        return
    frame = shape.text_frame
    width = (shape.width - frame.margin_left - frame.margin_right) / 12700
    have = (shape.height - frame.margin_top - frame.margin_bottom) / 12700
    text = frame.text
    for size in TITLE_SIZES:
        per_line = max(1, math.floor(width / (0.5 * size)))
        if math.ceil(len(text) / per_line) * size * 1.2 <= have:
            break
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)


def set_kicker(slide: Slide, kicker: str) -> None:
    """Put the plan's kicker into the slide's kicker box (its formatting stays)."""
    for shape in slide.shapes:
        if shape.name == "Kicker" and shape.has_text_frame and kicker:
            # has_text_frame: an autoshape or placeholder (python-pptx types the collection as BaseShape)
            runs = [r for p in cast("Shape", shape).text_frame.paragraphs for r in p.runs]
            if runs:
                runs[0].text = kicker.upper()
                for r in runs[1:]:
                    r.text = ""


def renderers() -> dict[str, Renderer]:
    """How each plan key is drawn in PowerPoint (``area:<id>`` keys use the area renderer)."""
    from toolkit.pptx import chart_slides, content

    return {"title": content.title, "executive_summary": content.executive_summary,
            "scorecard": chart_slides.scorecard, "weight": chart_slides.weight, "heatmap": chart_slides.heatmap,
            "perception_gap": chart_slides.perception_gap, "drivers": chart_slides.drivers, "costs": content.costs,
            "drift": chart_slides.drift, "benchmark": chart_slides.benchmark, "roadmap": content.roadmap,
            "method": content.method,
            "coverage": content.coverage}


def plan(story: Story) -> list[SlideSpec]:
    """The deck's slides for ``story``: the deck plan's keys and titles, each with its PPTX renderer.

    Parameters
    ----------
    story
        A `toolkit.story.Story` (privacy already applied).

    Returns
    -------
    list of SlideSpec
    """
    from toolkit.deck.plan import deck_plan

    drawn = renderers()
    return [SlideSpec(p, partial(_area, area=p.area) if p.area else drawn[p.key]) for p in deck_plan(story)]


def _area(prs: Presentation, layouts: Layouts, story: Story, planned: PlannedSlide, *, area: str) -> None:
    from toolkit.pptx import content

    content.area(prs, layouts, story, planned, area)


def build_pptx(story: Story, out: Path, *, template: Path | None = None, firm: Firm | None = None) -> Path:
    """Write the assessment deck for ``story`` as an editable PPTX on the firm's template.

    Titles, findings, tiles and tables are real text and tables; charts are
    native PowerPoint charts (`toolkit.pptx.native_charts`: their data sit in
    the chart, so a partner can restyle, relabel and recolour them) and the
    department heatmap a native table with cell fills (`toolkit.pptx.tables`);
    every slide's speaker notes give the method and the n behind its numbers.
    The firm's brand (`toolkit.deck.firm`) sets the logo, the footer (client and
    wave, as in the HTML deck), and on the shipped template the theme's colours
    and fonts; document properties name the deck, client, wave and the toolkit. The file is written atomically (a temporary file in the same
    folder, then ``os.replace``): a failed build never replaces a good deck.

    Parameters
    ----------
    story
        A `toolkit.story.Story` (privacy already applied).
    out
        The .pptx to write; its folder is created when missing.
    template
        A .pptx or .potx brand template; default ``$ALIGNMENT_PPTX_TEMPLATE``,
        else ``templates/deck/brand.pptx``. It must have the layouts "Title",
        "Title and Content" and "Two Content".
    firm
        A `toolkit.deck.firm.Firm`; default ``templates/deck/firm.yaml`` (or ``$ALIGNMENT_FIRM``).

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    DefinitionError
        When the template is missing, unreadable, or lacks a layout the deck needs.

    Examples
    --------
    >>> from toolkit.story import build_story  # doctest: +SKIP
    >>> build_pptx(build_story("client_data/swiftmart"), Path("deck.pptx"))  # doctest: +SKIP
    PosixPath('deck.pptx')
    """
    from toolkit import __version__
    from toolkit.deck.firm import load_firm
    from toolkit.pptx.brand import apply_brand, set_properties
    from toolkit.pptx.template import DEFAULT_TEMPLATE, layouts, open_template, resolve_template

    started = time.perf_counter()
    path = resolve_template(template)
    firm = firm if firm is not None else load_firm()
    prs = open_template(path)
    by_name = layouts(prs, path)
    cfg = story.client.config
    apply_brand(prs, firm, client_name=cfg.name, wave=str(cfg.wave),
                shipped_template=path.resolve() == DEFAULT_TEMPLATE.resolve())
    set_properties(prs, title=f"{cfg.name} - alignment assessment, {cfg.wave}", client_name=cfg.name,
                   wave=str(cfg.wave), firm=firm, version=__version__)
    for spec in plan(story):
        spec.render(prs, by_name, story, spec.planned)
        added = prs.slides[len(prs.slides) - 1]
        set_kicker(added, spec.kicker)
        if spec.key != "title":
            fit_title(added)
    buffer = io.BytesIO()
    prs.save(buffer)
    out = write_bytes_atomic(Path(out), buffer.getvalue())
    log.info("wrote %s (%d slides, template %s) in %.2f s", out, len(prs.slides), path.name,
             time.perf_counter() - started)
    return out

