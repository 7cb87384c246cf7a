"""The HTML deck: every slide of the deck plan, in the plan's order, with the plan's titles.

The assessment notebook has one slide cell, ``slides.show_deck(story)``; it
displays one output per planned slide, and the HTML export
(`toolkit.deck.html.prepare_slides`) makes each output a slide.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from toolkit.deck.plan import PlannedSlide, deck_plan
from toolkit.slides.chart_slides import (
    benchmark_slide,
    drift_slide,
    drivers_slide,
    heatmap_slide,
    perception_gap_slide,
    scorecard_slide,
    weight_slide,
)
from toolkit.slides.content import (
    area_slide,
    costs_slide,
    coverage_slide,
    executive_summary_slide,
    method_slide,
    roadmap_slide,
    title_slide,
)
from toolkit.slides.html_parts import Slide

if TYPE_CHECKING:  # pragma: no cover
    from toolkit.story import Story

#: How each plan key is drawn as HTML (``area:<id>`` slides use `area_slide`).
RENDERERS: dict[str, Callable[..., Slide]] = {
    "title": title_slide, "executive_summary": executive_summary_slide, "scorecard": scorecard_slide,
    "weight": weight_slide, "heatmap": heatmap_slide, "perception_gap": perception_gap_slide,
    "drivers": drivers_slide,
    # drift and benchmark return None only when their slide does not apply: deck_plan never asks for them then
    "costs": costs_slide, "drift": drift_slide, "benchmark": benchmark_slide, "roadmap": roadmap_slide,  # type: ignore[dict-item]
    "method": method_slide, "coverage": coverage_slide,
}


def renderer(key: str) -> Callable[..., Slide]:
    """The HTML renderer of a plan key."""
    return area_slide if key.startswith("area:") else RENDERERS[key]


def render_slide(story: Story, spec: PlannedSlide) -> Slide:
    """One planned slide as HTML."""
    return renderer(spec.key)(story, spec)


def deck_slides(story: Story) -> list[Slide]:
    """Every slide of ``story``'s deck plan, rendered."""
    return [render_slide(story, spec) for spec in deck_plan(story)]


def show_deck(story: Story) -> None:
    """Display every planned slide as its own output (the notebook's one slide cell)."""
    from IPython.display import display

    for slide in deck_slides(story):
        display(slide)
