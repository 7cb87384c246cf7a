"""The assessment deck's slides, one function per slide, each returning a `Slide` (or None)."""
from toolkit.slides.base import Slide
from toolkit.slides.charts import (benchmark_slide, drift_slide, heatmap_slide, perception_gap_slide,
                                   scorecard_slide, weight_slide)
from toolkit.slides.content import (area_slide, costs_slide, coverage_slide, executive_summary_slide,
                                    method_slide, roadmap_slide, title_slide)

__all__ = ["Slide", "area_slide", "benchmark_slide", "costs_slide", "coverage_slide", "drift_slide",
           "executive_summary_slide", "heatmap_slide", "method_slide", "perception_gap_slide",
           "roadmap_slide", "scorecard_slide", "title_slide", "weight_slide"]
