"""House-style charts: ``plot_x(data, *, columns..., ax=None, **kwargs) -> Axes``; theming via `theme`."""
from toolkit.plots.benchmark import plot_benchmark
from toolkit.plots.conventions import AREA_ORDER, area_label
from toolkit.plots.drift import plot_drift
from toolkit.plots.gaps import plot_perception_gap
from toolkit.plots.heatmap import plot_heatmap
from toolkit.plots.kpis import plot_kpi_attainment
from toolkit.plots.likert import plot_likert
from toolkit.plots.scorecard import plot_scorecard, plot_weight_alignment
from toolkit.plots.theme import BAND_COLORS, theme

__all__ = [
    "AREA_ORDER", "BAND_COLORS", "area_label", "plot_benchmark", "plot_drift", "plot_heatmap",
    "plot_kpi_attainment", "plot_likert", "plot_perception_gap", "plot_scorecard",
    "plot_weight_alignment", "theme",
]
