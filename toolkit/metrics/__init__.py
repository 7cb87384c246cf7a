"""Metrics of DESIGN 2.1: pure functions, frames in, frames out (no I/O, no plots)."""
from toolkit.metrics.assessment import Assessment
from toolkit.metrics.benchmark import benchmark_percentiles
from toolkit.metrics.drivers import relative_weights
from toolkit.metrics.score import ScoredWave, assess, score_wave

__all__ = ["Assessment", "ScoredWave", "assess", "benchmark_percentiles", "relative_weights", "score_wave"]
