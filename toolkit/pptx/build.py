"""`build_pptx`: the assessment deck as an editable PowerPoint file on the firm's template.

The slide sequence and titles are the HTML deck's (the cell order of
``notebooks/assessment.ipynb`` and the titles of `toolkit.slides`); a slide
that does not apply there (no departments, no earlier wave, no benchmark) is
left out here too. `plan` lists them without drawing anything.
"""
from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

from toolkit.atomic import write_bytes_atomic
from toolkit.model import AREA_LABELS

log = logging.getLogger("toolkit")

#: The area slides' order in the assessment notebook.
AREA_SLIDES: tuple[str, ...] = ("customer_experience", "management_style", "unique_capabilities", "proven_processes")


@dataclass(frozen=True)
class SlideSpec:
    """One slide of the deck: a key, its title, and how to add it (``render(prs, layouts, story, title)``)."""

    key: str
    title: str
    render: Callable


def plan(story) -> list[SlideSpec]:
    """The deck's slides for ``story``: same order, titles and applicability as the HTML deck.

    Parameters
    ----------
    story
        A `toolkit.story.Story` (privacy already applied).

    Returns
    -------
    list of SlideSpec
    """
    from toolkit.pptx import charts, content

    a = story.assessment
    specs = [SlideSpec("title", story.client.config.name, content.title),
             SlideSpec("executive_summary", "Executive summary", content.executive_summary),
             SlideSpec("scorecard", "Alignment scorecard", charts.scorecard),
             SlideSpec("weight", "Strategic weight vs alignment", charts.weight)]
    specs += [SlideSpec(f"area:{area}", AREA_LABELS[area], partial(_area, area=area)) for area in AREA_SLIDES]
    if not a.departments.empty:
        specs.append(SlideSpec("heatmap", "Consistency across the organisation", charts.heatmap))
    specs.append(SlideSpec("perception_gap", "Perception gap by level", charts.perception_gap))
    specs.append(SlideSpec("costs", "The cost of misalignment", content.costs))
    if a.drift is not None and len(a.drift) > 0:
        specs.append(SlideSpec("drift", f"Drift since {story.previous_wave}", charts.drift))
    if a.benchmark is not None and len(a.benchmark) > 0:
        specs.append(SlideSpec("benchmark", "Benchmark against the portfolio", charts.benchmark))
    specs += [SlideSpec("roadmap", "Recommendations roadmap", content.roadmap),
              SlideSpec("method", "Appendix · Method", content.method),
              SlideSpec("coverage", "Appendix · Coverage and data quality", content.coverage)]
    return specs


def _area(prs, layouts, story, title: str, *, area: str) -> None:
    from toolkit.pptx import content

    content.area(prs, layouts, story, title, area)


def build_pptx(story, out: Path, *, template: Path | None = None, firm=None) -> Path:
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
        spec.render(prs, by_name, story, spec.title)
    buffer = io.BytesIO()
    prs.save(buffer)
    out = write_bytes_atomic(Path(out), buffer.getvalue())
    log.info("wrote %s (%d slides, template %s) in %.2f s", out, len(prs.slides), path.name,
             time.perf_counter() - started)
    return out

