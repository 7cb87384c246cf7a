"""House-style charts: inspect the returned Axes (bars, colours, labels, suppression marks)."""
from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.patches import Rectangle

from toolkit.model import AREAS
from toolkit.plots import (
    AREA_ORDER,
    BAND_COLORS,
    area_label,
    plot_benchmark,
    plot_drift,
    plot_heatmap,
    plot_kpi_attainment,
    plot_likert,
    plot_perception_gap,
    plot_scorecard,
    plot_weight_alignment,
    theme,
)
from toolkit.plots.benchmark import ordinal
from toolkit.plots.gaps import FLAG_COLOR, PLAIN_COLOR
from toolkit.plots.likert import LIKERT_COLORS
from toolkit.plots.theme import OKABE_ITO, band_of, normalise_band

GREEN, AMBER, RED = (to_rgba(c) for c in ("#009E73", "#E69F00", "#D55E00"))


# --- small frames built by hand (the Assessment contract's columns) ----------
def areas_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "label": [area_label(a) for a in AREAS],
        "weight": [0.4, 0.2, 0.25, 0.15],
        "alignment": [58.3, 71.2, 80.4, np.nan],
        "alignment_lo": [52.0, 66.0, 76.1, np.nan],
        "alignment_hi": [63.9, 76.0, 84.0, np.nan],
        "band": ["misaligned", "partly aligned", "aligned", None],
        "suppressed": [False, False, False, True],
    }, index=pd.Index(AREAS, name="area"))


def departments_frame() -> pd.DataFrame:
    # Sales shows all four areas; IT has management_style suppressed.
    # Rows are given in a scrambled area order to check the method order is restored.
    return pd.DataFrame({
        "department": ["Sales", "Sales", "Sales", "Sales", "IT", "IT", "IT", "IT"],
        "area": ["proven_processes", "customer_experience", "unique_capabilities",
                 "management_style", "customer_experience", "management_style",
                 "unique_capabilities", "proven_processes"],
        "n": [8, 8, 8, 8, 5, 2, 5, 5],
        "perception": [81.0, 66.0, 47.0, 88.0, 47.0, np.nan, 50.0, 53.0],
        "suppressed": [False, False, False, False, False, True, False, False],
    })


def gaps_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "area": ["customer_experience", "customer_experience", "management_style", "management_style"],
        "group_a": ["executive"] * 4,
        "group_b": ["manager", "frontline", "manager", "frontline"],
        "gap": [4.2, 14.8, np.nan, -3.1],
        "flagged": [False, True, False, False],
        "suppressed": [False, False, True, False],
    })


def items_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "text": ["I know exactly what our customers are promised when they choose us and why",
                 "How a customer is treated depends mostly on who serves them", "Short"],
        "reverse": [False, True, False],
        "share_1": [5.0, 30.0, np.nan], "share_2": [10.0, 30.0, np.nan],
        "share_3": [20.0, 10.0, np.nan], "share_4": [40.0, 20.0, np.nan],
        "share_5": [25.0, 10.0, np.nan],
        "suppressed": [False, False, True],
    })


def kpi_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "kpi_id": ["nps", "nps", "nps", "cycle", "cycle", "cycle"],
        "department": ["Sales", "Ops", "Finance", "Sales", "Ops", "Finance"],
        "n_obs": [6, 6, 0, 6, 6, 6],
        "attainment": [50.0, 100.0, np.nan, 83.3, 0.0, 66.7],
    })


def drift_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "area": ["management_style", "customer_experience", "customer_experience", "unique_capabilities"],
        "metric": ["alignment", "alignment", "perception", "alignment"],
        "previous": [70.0, 62.0, 10.0, 74.0],
        "current": [71.2, 58.3, 90.0, np.nan],
        "difference": [1.2, -3.7, 80.0, np.nan],
        "lo": [-2.0, -7.5, 70.0, np.nan],
        "hi": [4.5, -0.4, 90.0, np.nan],
        "significant": [False, True, True, False],
        "suppressed": [False, False, False, True],
    })


def benchmark_frame() -> pd.DataFrame:
    return pd.DataFrame({"area": ["unique_capabilities", "customer_experience", "management_style"],
                         "percentile": [91.0, 22.0, np.nan], "n_clients": [12, 12, 12]})


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() is None]


def ticklabels(ax, axis: str = "y") -> list[str]:
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


# --- theme ---------------------------------------------------------------------
ALL_CHARTS = [
    lambda ax: plot_scorecard(areas_frame(), ax=ax),
    lambda ax: plot_weight_alignment(areas_frame(), ax=ax),
    lambda ax: plot_heatmap(departments_frame(), ax=ax, cbar=True),
    lambda ax: plot_perception_gap(gaps_frame(), ax=ax),
    lambda ax: plot_likert(items_frame(), ax=ax),
    lambda ax: plot_kpi_attainment(kpi_frame(), ax=ax, target_line=75),
    lambda ax: plot_drift(drift_frame(), ax=ax),
    lambda ax: plot_benchmark(benchmark_frame(), ax=ax),
]
CHART_IDS = ["scorecard", "weight_alignment", "heatmap", "perception_gap", "likert",
             "kpi_attainment", "drift", "benchmark"]


@pytest.mark.parametrize("draw", ALL_CHARTS, ids=CHART_IDS)
def test_plotting_inside_theme_leaves_global_rcparams_unchanged(draw):
    before = dict(mpl.rcParams)
    with theme():
        assert mpl.rcParams["font.size"] == 16
        fig, ax = plt.subplots()
        assert tuple(fig.get_size_inches()) == pytest.approx((13.33, 7.5))
        assert draw(ax) is ax
        fig.canvas.draw()  # layout and text rendering also happen inside the theme
    after = dict(mpl.rcParams)
    changed = {k for k in before if before[k] != after[k] and not (
        isinstance(before[k], float) and np.isnan(before[k]))}
    assert changed == set()


@pytest.mark.parametrize("draw", ALL_CHARTS, ids=CHART_IDS)
def test_charts_do_not_touch_rcparams_outside_theme(draw):
    before = dict(mpl.rcParams)
    fig, ax = plt.subplots()
    draw(ax)
    assert dict(mpl.rcParams) == before


def test_theme_font_exists_offline_and_extra_rc_is_laid_over():
    with theme({"font.size": 12}):
        assert mpl.rcParams["font.size"] == 12
        assert mpl.rcParams["axes.titlesize"] == 22
        path = findfont(FontProperties(family=mpl.rcParams["font.sans-serif"][0]),
                        fallback_to_default=False)
    assert path.endswith("DejaVuSans.ttf")


@pytest.mark.parametrize(("value", "band"), [
    (75.0, "aligned"), (100.0, "aligned"), (74.9, "partly aligned"), (60.0, "partly aligned"),
    (59.99, "misaligned"), (0.0, "misaligned"), (float("nan"), None)])
def test_band_of_uses_design_thresholds(value, band):
    assert band_of(value) == band


@pytest.mark.parametrize(("raw", "band"), [
    ("aligned", "aligned"), ("Partly aligned", "partly aligned"), ("partly_aligned", "partly aligned"),
    ("partly-aligned", "partly aligned"), ("MISALIGNED", "misaligned"), ("amber", "partly aligned")])
def test_normalise_band_accepts_spellings(raw, band):
    assert normalise_band(raw) == band


def test_band_colours_are_okabe_ito_green_amber_red():
    assert BAND_COLORS == {"aligned": OKABE_ITO["bluish_green"], "partly aligned": OKABE_ITO["orange"],
                           "misaligned": OKABE_ITO["vermillion"]}


def test_area_label_and_order():
    assert AREA_ORDER == AREAS
    assert area_label("management_style") == "Management Style"
    assert area_label("supply_chain") == "Supply Chain"


# --- wrong column names ------------------------------------------------------------
@pytest.mark.parametrize(("draw", "frame", "argument", "column"), [
    (plot_scorecard, areas_frame, "y", "score"),
    (plot_weight_alignment, areas_frame, "x", "wieght"),
    (plot_heatmap, departments_frame, "row", "dept"),
    (plot_perception_gap, gaps_frame, "gap", "difference"),
    (plot_likert, items_frame, "label", "question"),
    (plot_kpi_attainment, kpi_frame, "department", "dept"),
    (plot_drift, drift_frame, "current", "now"),
    (plot_benchmark, benchmark_frame, "percentile", "pct"),
    (plot_heatmap, departments_frame, "suppressed", "hidden"),  # explicit optional name must exist
])
def test_wrong_column_names_argument_and_column(draw, frame, argument, column):
    data = frame()
    expected_cols = list(data.reset_index().columns) if data.index.name else list(data.columns)
    with pytest.raises(ValueError) as info:
        draw(data, **{argument: column})
    assert str(info.value) == (f"{argument}={column!r} is not a column of data; "
                               f"columns are {expected_cols}")


def test_likert_shares_must_be_five_columns():
    with pytest.raises(ValueError, match="shares must name 5 columns"):
        plot_likert(items_frame(), shares=("share_1", "share_2"))


@pytest.mark.parametrize(("draw", "frame"), [
    (plot_scorecard, areas_frame), (plot_weight_alignment, areas_frame),
    (plot_heatmap, departments_frame), (plot_perception_gap, gaps_frame),
    (plot_likert, items_frame), (plot_kpi_attainment, kpi_frame),
    (plot_drift, drift_frame), (plot_benchmark, benchmark_frame),
], ids=CHART_IDS)
def test_inputs_are_not_mutated(draw, frame):
    data = frame()
    copy = data.copy(deep=True)
    fig, ax = plt.subplots()
    draw(data, ax=ax)
    pd.testing.assert_frame_equal(data, copy)


def test_default_ax_is_the_current_axes():
    fig, (left, right) = plt.subplots(1, 2)
    plt.sca(right)
    assert plot_benchmark(benchmark_frame()) is right
    assert len(left.texts) == 0


# --- 1. scorecard ----------------------------------------------------------------
def test_scorecard_bars_colours_labels_and_suppressed_area():
    fig, ax = plt.subplots()
    out = plot_scorecard(areas_frame(), ax=ax)
    assert out is ax
    drawn = bars(ax)
    # 4 areas, Proven Processes suppressed -> 3 bars, never a zero-length fourth
    assert len(drawn) == 3
    assert [b.get_width() for b in drawn] == pytest.approx([58.3, 71.2, 80.4])
    assert [b.get_facecolor() for b in drawn] == [RED, AMBER, GREEN]
    assert ticklabels(ax) == ["Customer Experience", "Management Style",
                              "Unique Capabilities", "Proven Processes"]
    assert ax.get_title() == "Alignment by area"
    assert "90 % interval" in ax.get_xlabel()
    values = [t.get_text() for t in ax.texts if t.get_gid() == "value"]
    assert values == ["58", "71", "80"]
    assert "suppressed" in texts(ax)
    assert not any("nan" in t.lower() for t in texts(ax))
    # faint threshold lines at 60 and 75
    vlines = sorted(l.get_xdata()[0] for l in ax.lines if l.get_linestyle() != "None"
                    and len(set(l.get_xdata())) == 1)
    assert 60 in vlines and 75 in vlines
    # value labels sit right of the upper whisker: 63.9 + 1.5
    first = next(t for t in ax.texts if t.get_gid() == "value")
    assert first.get_position()[0] == pytest.approx(65.4)


def test_scorecard_colours_from_value_when_band_missing_and_passes_kwargs():
    data = pd.DataFrame({"label": ["A", "B", "C"], "alignment": [75.0, 74.9, 59.9]})
    fig, ax = plt.subplots()
    plot_scorecard(data, lo=None, hi=None, ax=ax, alpha=0.5)
    drawn = bars(ax)
    assert [b.get_facecolor()[:3] for b in drawn] == [GREEN[:3], AMBER[:3], RED[:3]]
    assert {b.get_alpha() for b in drawn} == {0.5}


def test_scorecard_treats_empty_band_as_absent():
    # metrics write "" as the band of an absent score; 62 with "" falls back to amber
    data = pd.DataFrame({"label": ["A", "B"], "alignment": [62.0, np.nan], "band": ["", ""]})
    fig, ax = plt.subplots()
    plot_scorecard(data, lo=None, hi=None, ax=ax)
    assert [b.get_facecolor() for b in bars(ax)] == [AMBER]
    assert "no data" in texts(ax)


def test_scorecard_never_shows_a_value_flagged_suppressed():
    data = areas_frame()
    data.loc["proven_processes", "alignment"] = 42.0  # a value that slipped past privacy
    fig, ax = plt.subplots()
    plot_scorecard(data, ax=ax)
    assert len(bars(ax)) == 3
    assert "42" not in texts(ax)


def test_scorecard_reads_the_area_index_as_a_column():
    fig, ax = plt.subplots()
    plot_scorecard(areas_frame(), x="area", ax=ax)
    assert ticklabels(ax)[0] == "customer_experience"


# --- 2. weight vs alignment ---------------------------------------------------------
def test_weight_alignment_points_colours_and_quadrants():
    fig, ax = plt.subplots()
    plot_weight_alignment(areas_frame(), ax=ax)
    points = next(c for c in ax.collections if c.get_gid() == "areas")
    np.testing.assert_allclose(points.get_offsets(), [[0.4, 58.3], [0.2, 71.2], [0.25, 80.4]])
    assert [tuple(c) for c in points.get_facecolors()] == [RED, AMBER, GREEN]
    assert {"FIX FIRST", "SUSTAIN", "MAINTAIN"} <= set(texts(ax))
    assert "Not shown (suppressed or no data): Proven Processes" in texts(ax)
    # quadrant split: equal share 1/4 and the aligned threshold 75
    assert any(list(l.get_xdata()) == [0.25, 0.25] for l in ax.lines)
    assert any(list(l.get_ydata()) == [75, 75] for l in ax.lines)
    assert ax.get_xlabel() == "Strategic weight" and ax.get_ylabel() == "Alignment (0–100)"


def test_weight_alignment_shades_the_principal_gap_even_when_its_weight_is_small():
    # harbor's case: CX weighs 40 % at 64.8 (shortfall 4.1), PP 15 % at 42.6 (4.9): PP is the principal gap,
    # so PP, not CX, must sit in the "fix first" region although its weight is below an equal share.
    data = pd.DataFrame({"label": ["CX", "PP", "UC"], "weight": [0.40, 0.15, 0.30],
                         "alignment": [64.8, 42.6, 88.0]})
    fig, ax = plt.subplots()
    plot_weight_alignment(data, ax=ax)
    shade = next(c for c in ax.collections if c.get_gid() == "fix-first").get_paths()[0].vertices
    top = shade[shade[:, 1] > 0]  # the shaded region's upper edge
    order = np.argsort(top[:, 0])
    edge = np.interp(data["weight"], top[order, 0], top[order, 1])
    inside = [bool(a <= e + 0.2) for a, e in zip(data["alignment"], edge, strict=True)]
    assert inside == [False, True, False]
    worst = [l for l in ax.lines if l.get_gid() == "iso-shortfall" and l.get_color() == "#A04000"][0]
    x, y = worst.get_xdata(), worst.get_ydata()
    assert np.interp(0.15, x, y) == pytest.approx(42.6, abs=0.2)  # the curve passes through the principal gap


# --- 3. heatmap -----------------------------------------------------------------------
def test_heatmap_annotates_values_and_marks_suppressed_cells():
    fig, ax = plt.subplots()
    plot_heatmap(departments_frame(), ax=ax)
    assert ticklabels(ax, "x") == ["Customer\nExperience", "Management\nStyle",
                                   "Unique\nCapabilities", "Proven\nProcesses"]
    assert ticklabels(ax) == ["Sales", "IT"]
    numbers_drawn = [(t.get_position(), t.get_text()) for t in ax.texts if t.get_gid() == "value"]
    # 8 cells, 1 suppressed -> 7 numbers, laid out in method order
    assert len(numbers_drawn) == 7
    assert numbers_drawn[:4] == [((0.5, 0.5), "66"), ((1.5, 0.5), "88"), ((2.5, 0.5), "47"),
                                 ((3.5, 0.5), "81")]
    marks = [p for p in ax.patches if p.get_gid() == "suppressed"]
    assert len(marks) == 1 and marks[0].get_hatch() == "///"
    assert marks[0].get_xy() == (1, 1)  # IT row, Management Style column
    cell_text = [t.get_text() for t in ax.texts if t.get_position() == (1.5, 1.5)]
    assert cell_text == ["suppressed"]


def test_heatmap_dark_cells_get_white_text_and_colour_map_centres_on_band():
    fig, ax = plt.subplots()
    plot_heatmap(departments_frame(), ax=ax)
    mesh = ax.collections[0]
    cmap, norm = mesh.get_cmap(), mesh.norm
    assert (norm.vmin, norm.vmax) == (0, 100)
    # stepped at the band thresholds: red-orange below 60, amber across 60-74.9, green from 75
    low, mid_lo, mid_hi, high = (cmap(norm(v)) for v in (59.9, 60.0, 74.9, 75.0))
    for amber in (mid_lo, mid_hi):  # pale amber: red > green > blue, all light
        assert amber[0] > amber[1] > amber[2] > 0.5
    assert low[0] - low[1] > 0.15  # clearly redder than the amber band
    assert high[1] > high[0]  # green
    assert max(cmap(norm(5))[1:3]) < 0.4  # saturated at the low end
    by_text = {t.get_text(): t.get_color() for t in ax.texts if t.get_gid() == "value"}
    assert by_text["66"] != "white"  # pale amber cell: dark text
    assert by_text["88"] == "white"  # saturated green cell


def test_heatmap_rejects_duplicate_cells():
    data = pd.concat([departments_frame(), departments_frame().iloc[[0]]])
    with pytest.raises(ValueError, match="more than one row for department='Sales', area='proven_processes'"):
        plot_heatmap(data)


# --- 4. perception gap --------------------------------------------------------------
def test_perception_gap_highlights_flagged_and_marks_suppressed():
    fig, ax = plt.subplots()
    plot_perception_gap(gaps_frame(), ax=ax)
    drawn = bars(ax)
    assert [b.get_width() for b in drawn] == pytest.approx([4.2, 14.8, -3.1])
    assert [b.get_facecolor() for b in drawn] == [to_rgba(PLAIN_COLOR), to_rgba(FLAG_COLOR),
                                                  to_rgba(PLAIN_COLOR)]
    values = [t.get_text() for t in ax.texts if t.get_gid() == "value"]
    assert values == ["+4  vs manager", "+15  vs frontline", "-3  vs frontline"]
    bold = [t.get_fontweight() for t in ax.texts if t.get_gid() == "value"]
    assert bold == ["normal", "bold", "normal"]
    assert "suppressed" in texts(ax)
    assert ticklabels(ax) == ["Customer Experience", "Management Style"]
    assert any(list(l.get_xdata()) == [10.0, 10.0] for l in ax.lines)  # threshold line


# --- 5. likert ---------------------------------------------------------------------------
def test_likert_diverging_segments_centred_on_neutral():
    fig, ax = plt.subplots()
    plot_likert(items_frame(), ax=ax)
    drawn = bars(ax)
    assert len(drawn) == 10  # 2 shown items x 5 answers; the suppressed item draws none
    first_item = sorted((b for b in drawn if b.get_y() < 0.5), key=lambda b: b.get_x())
    # item 1: 5/10/20/40/25 -> lefts -(5+10+10)=-25, -20, -10, +10, +50
    assert [b.get_x() for b in first_item] == pytest.approx([-25, -20, -10, 10, 50])
    assert [b.get_width() for b in first_item] == pytest.approx([5, 10, 20, 40, 25])
    assert [b.get_facecolor() for b in first_item] == [to_rgba(c) for c in LIKERT_COLORS]
    labels = ticklabels(ax)
    assert "\n" in labels[0]  # long text wrapped
    assert labels[1].replace("\n", " ").endswith("(reverse-keyed)")
    assert labels[2] == "Short"
    assert "suppressed" in texts(ax)
    assert [t.get_text() for t in ax.legend_.get_texts()] == [
        "Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]


# --- 6. KPI attainment ------------------------------------------------------------------
def test_kpi_attainment_grouped_bars_and_missing_cell():
    fig, ax = plt.subplots()
    plot_kpi_attainment(kpi_frame(), kpi_labels={"nps": "Net Promoter Score"}, target_line=75, ax=ax)
    drawn = bars(ax)
    assert len(drawn) == 5  # 6 cells, Finance/nps has no observations
    assert sorted(b.get_height() for b in drawn) == pytest.approx([0.0, 50.0, 66.7, 83.3, 100.0])
    assert ticklabels(ax, "x") == ["Net Promoter\nScore", "cycle"]
    assert [t.get_text() for t in ax.legend_.get_texts()] == ["Sales", "Ops", "Finance"]
    assert "no data" in texts(ax)
    # a 0 % attainment is a real bar labelled 0, not a missing value
    assert "0" in [t.get_text() for t in ax.texts if t.get_gid() == "value"]
    assert any(list(l.get_ydata()) == [75, 75] for l in ax.lines)
    assert ax.get_ylabel() == "Periods on target (%)"


# --- 7. drift ------------------------------------------------------------------------------
def test_drift_filters_metric_orders_areas_and_emphasises_significant():
    fig, ax = plt.subplots()
    plot_drift(drift_frame(), ax=ax)
    assert ticklabels(ax) == ["Customer Experience", "Management Style", "Unique Capabilities"]
    lines = [l for l in ax.lines if len(l.get_xdata()) == 2 and l.get_ydata()[0] == l.get_ydata()[1]
             and l.get_xdata()[0] != l.get_xdata()[1]]
    widths = {tuple(l.get_xdata()): l.get_linewidth() for l in lines}
    assert widths[(62.0, 58.3)] == 5  # significant fall: thick ...
    assert widths[(70.0, 71.2)] == 2  # ... not significant: thin
    fall = next(l for l in lines if tuple(l.get_xdata()) == (62.0, 58.3))
    assert to_rgba(fall.get_color()) == to_rgba(OKABE_ITO["vermillion"])
    values = [t.get_text() for t in ax.texts if t.get_gid() == "value"]
    assert values == ["-3.7  [-7.5, -0.4]", "+1.2  n.s."]
    assert "suppressed" in texts(ax)
    assert "90.0" not in " ".join(texts(ax))  # the perception row was filtered out


# --- 8. benchmark ----------------------------------------------------------------------------
def test_benchmark_markers_labels_and_missing():
    fig, ax = plt.subplots()
    plot_benchmark(benchmark_frame(), ax=ax)
    assert ticklabels(ax) == ["Customer Experience", "Management Style", "Unique Capabilities"]
    points = ax.collections[-1]
    np.testing.assert_allclose(points.get_offsets(), [[22.0, 0.0], [91.0, 2.0]])
    assert [t.get_text() for t in ax.texts if t.get_gid() == "value"] == [
        "22nd percentile", "91st percentile"]
    assert "no data" in texts(ax)
    assert ax.get_xlabel() == "Percentile of alignment among 12 other clients"
    assert ax.get_xlim() == (-3, 103)


@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"),
                                         (12, "12th"), (13, "13th"), (22, "22nd"), (101, "101st")])
def test_ordinal(n, text):
    assert ordinal(n) == text


@pytest.mark.parametrize(("draw", "frame"), [
    (plot_scorecard, areas_frame), (plot_weight_alignment, areas_frame),
    (plot_heatmap, departments_frame), (plot_perception_gap, gaps_frame),
    (plot_likert, items_frame), (plot_kpi_attainment, kpi_frame),
    (plot_drift, drift_frame), (plot_benchmark, benchmark_frame),
], ids=CHART_IDS)
def test_empty_frame_says_no_data(draw, frame):
    fig, ax = plt.subplots()
    assert draw(frame().iloc[0:0], ax=ax) is ax
    assert texts(ax) == ["no data"]
    assert bars(ax) == []


@pytest.mark.parametrize("value", [100.0, 75.0, 74.99, 60.0, 59.99, 0.0, float("nan")])
def test_band_of_is_the_metrics_band(value):
    from toolkit.metrics.alignment import band
    assert band_of(value) == (band(value) or None)


def test_band_thresholds_have_one_definition(monkeypatch):
    import toolkit.metrics.alignment as alignment
    # move the aligned floor to 80: the plots follow the metrics definition
    monkeypatch.setattr(alignment, "BANDS", ((80.0, "aligned"), (60.0, "partly aligned"), (-np.inf, "misaligned")))
    assert band_of(78.0) == "partly aligned" and band_of(80.0) == "aligned"
