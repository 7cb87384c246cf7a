"""The assessment deck's slides, one function per slide kind, drawn from the deck plan.

`show_deck` (the notebook's one slide cell) and `deck_slides` walk
`toolkit.deck.plan.deck_plan`; each ``*_slide(story, spec)`` draws one planned slide.
"""
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
from toolkit.slides.deck import deck_slides, render_slide, show_deck
from toolkit.slides.html_parts import Slide

__all__ = ["Slide", "area_slide", "benchmark_slide", "costs_slide", "coverage_slide", "deck_slides", "drift_slide",
           "drivers_slide", "executive_summary_slide", "heatmap_slide", "method_slide", "perception_gap_slide",
           "render_slide", "roadmap_slide", "scorecard_slide", "show_deck", "title_slide", "weight_slide"]
