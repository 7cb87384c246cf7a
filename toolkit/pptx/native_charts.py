"""Native, editable PowerPoint charts for the deck: data frames in, a chart object on the slide out.

Every function takes the chart's data (the protected assessment's frames), a
slide and a `Box`, and adds one python-pptx chart (a ``graphicFrame`` whose
``has_chart`` is true) that a partner can restyle, relabel and recolour in
PowerPoint: its data sit in the chart's embedded workbook. Chart text is the
template's body font (`toolkit.pptx.theme`), at least 12 pt; series take theme
colour slots (``accent1`` ...), so a firm's template recolours them; only the
bands keep their fixed green / amber / red, the same as the HTML deck.

No value is invented for a suppressed cell: it is left blank in the series.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

import pandas as pd
from lxml import etree
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_THEME_COLOR
from pptx.util import Emu, Pt

from toolkit.model import AREA_LABELS
from toolkit.pptx.text import Box, Color
from toolkit.pptx.theme import theme_of

if TYPE_CHECKING:  # pragma: no cover
    from pptx.chart.chart import Chart
    from pptx.chart.data import ChartData
    from pptx.chart.plot import _BasePlot
    from pptx.chart.series import _BaseCategorySeries, _BaseSeries
    from pptx.dml.chtfmt import ChartFormat
    from pptx.enum.chart import XL_DATA_LABEL_POSITION
    from pptx.shapes.graphfrm import GraphicFrame
    from pptx.slide import Slide

T = TypeVar("T")

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
TEXT_SIZE = 12          # pt: axis labels, legends (DESIGN 2.3: chart text >= 12 pt at 1280 x 720)
LABEL_SIZE = 12         # pt: data labels
GREY = RGBColor(0x8C, 0x8C, 0x8C)
NEUTRAL = RGBColor(0xC8, 0xC8, 0xC8)
INK = RGBColor(0x22, 0x22, 0x22)
#: Likert answer groups, left to right, and their theme colour slots (None: neutral grey).
SHORTFALL_SERIES = "Fix first: largest weighted shortfall"
LIKERT_GROUPS: tuple[tuple[str, MSO_THEME_COLOR | None], ...] = (
    ("Unfavourable", MSO_THEME_COLOR.ACCENT_2), ("Neutral", None), ("Favourable", MSO_THEME_COLOR.ACCENT_1))


def band_rgb(band: object) -> RGBColor:
    """The band's colour (the house green / amber / red); grey when there is no band."""
    from toolkit.plots.theme import band_color

    try:
        color: RGBColor = RGBColor.from_string(band_color(str(band)).lstrip("#").upper())
        return color
    except (KeyError, ValueError):
        return GREY


def value_or_none(value: object) -> float | None:
    """A float for a chart point, None (a blank point) for NaN / None / text."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def area_name(area: object) -> str:
    return AREA_LABELS.get(str(area), str(area).replace("_", " ").title())


def _visible(data: pd.DataFrame) -> pd.DataFrame:
    if "suppressed" in data:
        return data[~data["suppressed"].fillna(False).astype(bool)]
    return data


# --- chart scaffolding ------------------------------------------------------------------------------

def _add(slide: Slide, box: Box, kind: XL_CHART_TYPE, data: CategoryChartData | XyChartData, *, name: str,
         legend: bool = False) -> GraphicFrame:
    # python-pptx annotates add_chart as taking a ChartData and returning the Chart: it takes any chart
    # data and returns the chart's GraphicFrame.
    frame = cast("GraphicFrame", slide.shapes.add_chart(kind, Emu(box.left), Emu(box.top), Emu(box.width),
                                                        Emu(box.height), cast("ChartData", data)))
    frame.name = name
    chart = frame.chart
    font = chart.font
    font.name = theme_of(slide).body_font
    font.size = Pt(TEXT_SIZE)
    font.color.rgb = INK
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(TEXT_SIZE)
    _no_auto_title(chart)
    return frame


def _no_auto_title(chart: Chart) -> None:
    """No chart title: the slide title says what the chart shows."""
    chart.has_title = False
    space = chart._chartSpace
    auto = space.find(f"{{{C_NS}}}chart/{{{C_NS}}}autoTitleDeleted")
    if auto is not None:
        auto.set("val", "1")


def _fill(fmt: ChartFormat, color: Color) -> None:
    fmt.fill.solid()
    if isinstance(color, RGBColor):
        fmt.fill.fore_color.rgb = color
    else:
        fmt.fill.fore_color.theme_color = color


def _labels(series_or_plot: _BaseCategorySeries | _BasePlot, number_format: str = "0",
            position: XL_DATA_LABEL_POSITION | None = None, *, bold: bool = False,
            color: RGBColor | None = None) -> None:
    labels = series_or_plot.data_labels
    labels.show_value = True
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.font.size = Pt(LABEL_SIZE)
    labels.font.bold = bold
    if color is not None:
        labels.font.color.rgb = color
    if position is not None:
        labels.position = position


def _value_axis(chart: Chart, *, low: float, high: float, unit: float, title: str | None = None,
                gridlines: bool = True, number_format: str = "0") -> None:
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = low, high, unit
    axis.has_major_gridlines = gridlines
    if gridlines:
        axis.major_gridlines.format.line.color.rgb = RGBColor(0xE3, 0xE3, 0xE3)
    axis.tick_labels.font.size = Pt(TEXT_SIZE)
    axis.tick_labels.number_format = number_format
    axis.tick_labels.number_format_is_linked = False
    axis.format.line.fill.background()
    if title:
        axis.has_title = True
        axis.axis_title.text_frame.text = title
        run = axis.axis_title.text_frame.paragraphs[0].runs[0]
        run.font.size, run.font.bold = Pt(TEXT_SIZE), False


def _category_axis(chart: Chart) -> None:
    """Category labels at 12 pt on a grey axis line.

    Horizontal bar charts draw their first category at the bottom, so the
    builders hand categories over bottom-up (`_bottom_up`): the chart then reads
    top to bottom in data order, with the value axis below it, in PowerPoint and
    LibreOffice alike (a reversed category axis moves the value axis on top).
    """
    axis = chart.category_axis
    axis.tick_labels.font.size = Pt(TEXT_SIZE)
    axis.format.line.color.rgb = GREY
    axis.has_major_gridlines = False
    cat = axis._element
    if cat.find(f"{{{C_NS}}}tickLblSkip") is None:  # every label shown: viewers may skip some when crowded
        skip = etree.Element(f"{{{C_NS}}}tickLblSkip", val="1")
        after = [cat.find(f"{{{C_NS}}}{tag}") for tag in ("lblOffset", "lblAlgn", "auto", "crosses", "crossesAt")]
        anchor = next((a for a in after if a is not None), None)
        if anchor is not None:
            anchor.addnext(skip)
        else:
            cat.append(skip)


def _bottom_up(values: Iterable[T]) -> list[T]:
    return list(values)[::-1]


def _bottom_up_frame(data: pd.DataFrame) -> pd.DataFrame:
    return data.iloc[::-1]


def _gap_width(chart: Chart, gap: int, overlap: int | None = None) -> None:
    plot = chart.plots[0]
    plot.gap_width = gap
    if overlap is not None:
        plot.overlap = overlap


def _num_lit(tag: str, values: Sequence[float | None]) -> etree._Element:
    element = etree.Element(f"{{{C_NS}}}{tag}")
    lit = etree.SubElement(element, f"{{{C_NS}}}numLit")
    etree.SubElement(lit, f"{{{C_NS}}}formatCode").text = "General"
    etree.SubElement(lit, f"{{{C_NS}}}ptCount", val=str(len(values)))
    for i, v in enumerate(values):
        if v is not None:
            pt = etree.SubElement(lit, f"{{{C_NS}}}pt", idx=str(i))
            etree.SubElement(pt, f"{{{C_NS}}}v").text = f"{v:.6g}"
    return element


def add_error_bars(series: _BaseSeries, minus: Sequence[float | None], plus: Sequence[float | None], *,
                   color: RGBColor = INK, width_pt: float = 1.75) -> None:
    """Custom error bars (whiskers) on a bar series: ``minus`` / ``plus`` are distances from each value.

    python-pptx has no error-bar API; this writes ``c:errBars`` (custom values)
    where the schema wants it, before ``c:cat``.
    """
    ser = series._element
    bars = etree.Element(f"{{{C_NS}}}errBars")
    etree.SubElement(bars, f"{{{C_NS}}}errBarType", val="both")
    etree.SubElement(bars, f"{{{C_NS}}}errValType", val="cust")
    etree.SubElement(bars, f"{{{C_NS}}}noEndCap", val="0")
    bars.append(_num_lit("plus", plus))
    bars.append(_num_lit("minus", minus))
    sp = etree.SubElement(bars, f"{{{C_NS}}}spPr")
    line = etree.SubElement(sp, f"{{{A_NS}}}ln", w=str(int(width_pt * 12700)))
    fill = etree.SubElement(line, f"{{{A_NS}}}solidFill")
    etree.SubElement(fill, f"{{{A_NS}}}srgbClr", val=str(color))
    anchor = ser.find(f"{{{C_NS}}}cat")
    if anchor is None:
        anchor = ser.find(f"{{{C_NS}}}val")
    anchor.addprevious(bars)


# --- the deck's charts ------------------------------------------------------------------------------------

def add_interval_bars(series: _BaseSeries, values: Sequence[float | None], lows: Sequence[float | None],
                      highs: Sequence[float | None]) -> None:
    """Error bars from each point's interval; an end on the wrong side of its estimate (a percentile
    bootstrap can miss it) gets no whisker, never a negative one. Nothing is added without any interval."""
    minus = [max(v - lo, 0.0) if v is not None and lo is not None else None
             for v, lo in zip(values, lows, strict=True)]
    plus = [max(hi - v, 0.0) if v is not None and hi is not None else None
            for v, hi in zip(values, highs, strict=True)]
    if any(m is not None for m in minus):
        add_error_bars(series, minus, plus)


def add_scorecard_chart(slide: Slide, box: Box, areas: pd.DataFrame, *, name: str = "Scorecard chart") -> GraphicFrame:
    """Alignment per area (horizontal bars coloured by band) with its 90 % interval as error bars.

    Parameters
    ----------
    slide
        The python-pptx slide to draw on.
    box
        Where the chart goes.
    areas
        ``Assessment.areas``: indexed by area id, with ``alignment``, ``alignment_lo``,
        ``alignment_hi``, ``band`` and optionally ``label`` and ``suppressed``.
    name
        The chart shape's name.

    Returns
    -------
    GraphicFrame
        The chart's frame (``frame.chart`` is the chart).
    """
    rows = _bottom_up_frame(areas.reset_index() if "area" not in areas else areas)
    labels = [str(r.get("label") or area_name(r["area"])) for _, r in rows.iterrows()]
    hidden = rows["suppressed"].fillna(False).astype(bool) if "suppressed" in rows else pd.Series(False, rows.index)
    values = [None if h else value_or_none(v) for v, h in zip(rows["alignment"], hidden, strict=True)]
    data = CategoryChartData(number_format="0")
    data.categories = labels
    data.add_series("Alignment", values)
    frame = _add(slide, box, XL_CHART_TYPE.BAR_CLUSTERED, data, name=name)
    chart = frame.chart
    _gap_width(chart, 60)
    _category_axis(chart)
    _value_axis(chart, low=0, high=100, unit=25, title="Alignment (0–100); whiskers: 90 % interval")
    series = chart.plots[0].series[0]
    for i, (band, value) in enumerate(zip(rows.get("band", [None] * len(rows)), values, strict=True)):
        if value is not None:
            _fill(series.points[i].format, band_rgb(band))
    lows = [value_or_none(v) for v in rows.get("alignment_lo", [None] * len(rows))]
    highs = [value_or_none(v) for v in rows.get("alignment_hi", [None] * len(rows))]
    add_interval_bars(series, values, lows, highs)
    _labels(series, "0", XL_LABEL_POSITION.INSIDE_BASE, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF))
    return frame


def likert_split(items: pd.DataFrame) -> pd.DataFrame:
    """Each item's answers as unfavourable / neutral / favourable shares (%), reverse keying applied.

    ``favourable`` is the assessment's own column (native scale, reverse-keyed
    items recoded); unfavourable is the item's ``unfavourable`` column when the
    assessment gives one, else the disagreeing half of the 5-point display
    shares (the agreeing half for a reverse-keyed item); neutral is the rest.
    """
    out = pd.DataFrame(index=items.index)
    reverse = items["reverse"].fillna(False).astype(bool) if "reverse" in items else pd.Series(False, items.index)
    favourable = pd.to_numeric(items["favourable"], errors="coerce")
    if "unfavourable" in items:
        unfavourable = pd.to_numeric(items["unfavourable"], errors="coerce")
    else:
        low = pd.to_numeric(items["share_1"], errors="coerce") + pd.to_numeric(items["share_2"], errors="coerce")
        high = pd.to_numeric(items["share_4"], errors="coerce") + pd.to_numeric(items["share_5"], errors="coerce")
        unfavourable = high.where(reverse, low)
    out["unfavourable"] = unfavourable
    out["neutral"] = (100.0 - favourable - unfavourable).clip(lower=0.0)
    out["favourable"] = favourable
    return out


def _wrap(text: str, width: int) -> str:
    """Break a category label into lines of at most ``width`` characters (words kept whole)."""
    import textwrap

    return "\n".join(textwrap.wrap(" ".join(text.split()), width)) or text


def add_likert_chart(slide: Slide, box: Box, items: pd.DataFrame, *, name: str = "Items chart") -> GraphicFrame:
    """The area's items as 100 % stacked bars: unfavourable, neutral, favourable answers.

    ``items`` is ``Assessment.items`` for one area (suppressed items are left out
    here). Item texts are the categories, top to bottom in data order.
    """
    shown = _bottom_up_frame(_visible(items))
    split = likert_split(shown)
    wrap_width = max(20, int(box.width / 12700 * 0.55 / (TEXT_SIZE * 0.5)))  # labels take about half the width
    labels = [_wrap(str(t) + (" (reverse-keyed)" if bool(r) else ""), wrap_width)
              for t, r in zip(shown["text"], shown.get("reverse", pd.Series(False, shown.index)).fillna(False), strict=True)]
    data = CategoryChartData(number_format="0")
    data.categories = labels
    for (label, _), column in zip(LIKERT_GROUPS, ("unfavourable", "neutral", "favourable"), strict=True):
        data.add_series(label, [value_or_none(v) for v in split[column]])
    frame = _add(slide, box, XL_CHART_TYPE.BAR_STACKED_100, data, name=name, legend=True)
    chart = frame.chart
    _gap_width(chart, 45, overlap=100)
    _category_axis(chart)
    _value_axis(chart, low=0, high=1, unit=0.25, number_format="0%", gridlines=False)
    chart.value_axis.visible = False  # every segment carries its share; the legend names them
    for series, (_, color) in zip(chart.plots[0].series, LIKERT_GROUPS, strict=True):
        _fill(series.format, color if color is not None else NEUTRAL)
        series.format.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        white = color is not None
        _labels(series, '0;;;', XL_LABEL_POSITION.CENTER, color=RGBColor(0xFF, 0xFF, 0xFF) if white else INK)
    return frame


def add_weight_chart(slide: Slide, box: Box, areas: pd.DataFrame, *, name: str = "Weight chart") -> GraphicFrame:
    """Strategic weight (x, %) against alignment (y), one labelled point per area, and the fix-first curve.

    ``areas`` is ``Assessment.areas``. One series per area (named after it),
    filled in its band's colour and labelled with its name; a suppressed or
    unscored area is left out. The axes cross at an equal share of weight and
    at 75 (aligned). A dashed line series (`SHORTFALL_SERIES`) joins the points
    whose weighted shortfall ``w * (75 - A)`` equals the principal gap's: areas
    on or below it are the ones to fix first, whatever their weight.
    """
    rows = _visible(areas.reset_index() if "area" not in areas else areas)
    shown = [r for _, r in rows.iterrows()
             if value_or_none(r["weight"]) is not None and value_or_none(r["alignment"]) is not None]
    n = max(len(areas), 1)
    data = XyChartData()
    for r in shown:  # one series per area: colours and names sit on the series, as every viewer reads them
        data.add_series(str(r.get("label") or area_name(r["area"])), number_format="0").add_data_point(
            100 * float(r["weight"]), float(r["alignment"]))
    top = max([100 * float(r["weight"]) for r in shown] + [100 / n]) * 1.25 + 2
    top = float(math.ceil(top / 10) * 10)
    # The principal gap's curve of equal weighted shortfall, w * (75 - A) (as in the HTML chart): beyond it, fix first.
    worst = max([float(r["weight"]) * (75.0 - float(r["alignment"])) for r in shown
                 if float(r["alignment"]) < 75.0] + [0.0])
    if worst > 0:
        curve = data.add_series(SHORTFALL_SERIES, number_format="0")
        for w in [x / 2 for x in range(1, int(2 * top) + 1)]:  # weight in %, every half point
            a = 75.0 - worst / (w / 100)
            if a >= 0:
                curve.add_data_point(w, a)
    frame = _add(slide, box, XL_CHART_TYPE.XY_SCATTER, data, name=name)
    chart = frame.chart
    if worst > 0:
        line = chart.plots[0].series[len(shown)]
        line.marker.style = XL_MARKER_STYLE.NONE
        line.format.line.color.rgb = RGBColor(0xA0, 0x40, 0x00)
        line.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        line.format.line.width = Pt(1.25)
        line.smooth = True
    for i, (series, r) in enumerate(zip(chart.plots[0].series, shown, strict=False)):  # the series may end with the shortfall curve
        series.format.line.fill.background()
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 18
        _fill(series.marker.format, band_rgb(r.get("band")))
        series.marker.format.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        label = series.points[0].data_label  # the area's name next to its point (editable rich text)
        label.text_frame.text = series.name
        label.text_frame.paragraphs[0].runs[0].font.size = Pt(LABEL_SIZE)
        label.position = _label_side(shown, i, top)
    y_axis, x_axis = chart.value_axis, chart.category_axis  # an XY chart's y and x value axes
    _value_axis(chart, low=0, high=100, unit=25, title="Alignment (0–100)", gridlines=False)
    x_axis.minimum_scale, x_axis.maximum_scale, x_axis.major_unit = 0, top, 10
    x_axis.tick_labels.font.size = Pt(TEXT_SIZE)
    x_axis.tick_labels.number_format, x_axis.tick_labels.number_format_is_linked = '0"%"', False
    x_axis.has_title = True
    x_axis.axis_title.text_frame.text = f"Strategic weight (axes cross at an equal share, {100 / n:.0f} %, and at 75)"
    run = x_axis.axis_title.text_frame.paragraphs[0].runs[0]
    run.font.size, run.font.bold = Pt(TEXT_SIZE), False
    for axis in (x_axis, y_axis):  # the axes are the quadrant lines; their labels stay at the edges
        axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        axis.format.line.color.rgb = GREY
        axis.format.line.width = Pt(1.25)
    x_axis.crosses_at = 100 / n  # python-pptx writes this on the crossing (y) axis: y crosses x here
    y_axis.crosses_at = 75.0     # ... and the x axis crosses y at 75
    return frame


def _label_side(shown: list[pd.Series], i: int, top: float) -> XL_DATA_LABEL_POSITION:
    """Right of the point (left near the right edge); above / below when another point sits close by."""
    x, y = 100 * float(shown[i]["weight"]), float(shown[i]["alignment"])
    for j, other in enumerate(shown):
        ox, oy = 100 * float(other["weight"]), float(other["alignment"])
        if j != i and abs(ox - x) <= top * 0.12 and abs(oy - y) <= 16:
            return XL_LABEL_POSITION.ABOVE if (y, -i) > (oy, -j) else XL_LABEL_POSITION.BELOW
    return XL_LABEL_POSITION.RIGHT if x < top * 0.7 else XL_LABEL_POSITION.LEFT


def add_gap_chart(slide: Slide, box: Box, gaps: pd.DataFrame, *, name: str = "Perception gap chart") -> GraphicFrame:
    """Perception gap (executives minus each other level, points) per area; blind spots highlighted.

    ``gaps`` is ``Assessment.perception_gaps`` (``area, group_a, group_b, gap, flagged``).
    One series per comparison; a flagged (blind-spot) bar is filled in the
    misaligned colour and labelled in bold.
    """
    areas = _bottom_up(dict.fromkeys(gaps["area"].astype(str)))
    pairs = list(dict.fromkeys(zip(gaps["group_a"].astype(str), gaps["group_b"].astype(str), strict=True)))
    data = CategoryChartData(number_format="0.0")
    data.categories = [area_name(a) for a in areas]
    flags: list[list[bool]] = []
    hidden = gaps["suppressed"].fillna(False).astype(bool) if "suppressed" in gaps else pd.Series(False, gaps.index)
    for group_a, group_b in pairs:
        values, flagged = [], []
        for a in areas:
            row = gaps[(gaps["area"].astype(str) == a) & (gaps["group_a"].astype(str) == group_a)
                       & (gaps["group_b"].astype(str) == group_b)]
            ok = len(row) and not bool(hidden.loc[row.index[0]])
            values.append(value_or_none(row["gap"].iloc[0]) if ok else None)
            flagged.append(bool(ok and bool(pd.Series(row["flagged"]).fillna(False).astype(bool).iloc[0])))
        data.add_series(f"{group_a.capitalize()}s − {group_b}s", values)
        flags.append(flagged)
    frame = _add(slide, box, XL_CHART_TYPE.BAR_CLUSTERED, data, name=name, legend=True)
    chart = frame.chart
    _gap_width(chart, 70, overlap=0)
    _category_axis(chart)
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    spread = max([abs(v) for s in data._series for v in s.values if v is not None] + [10.0])
    limit = float(math.ceil((spread + 3) / 5) * 5)
    _value_axis(chart, low=-limit, high=limit, unit=5, title="Gap in perception points (executives higher →)")
    colors = (MSO_THEME_COLOR.ACCENT_1, MSO_THEME_COLOR.ACCENT_5, MSO_THEME_COLOR.ACCENT_3)
    for k, series in enumerate(chart.plots[0].series):
        _fill(series.format, colors[k % len(colors)])
        series.invert_if_negative = False
        _labels(series, '+0.0;−0.0;0.0', XL_LABEL_POSITION.OUTSIDE_END)
        for i, is_flagged in enumerate(flags[k]):
            if is_flagged:
                _fill(series.points[i].format, band_rgb("misaligned"))
                series.points[i].data_label.font.bold = True
                series.points[i].data_label.font.size = Pt(LABEL_SIZE)
    return frame


def add_drift_chart(slide: Slide, box: Box, drift: pd.DataFrame, *, previous: str, current: str,
                    name: str = "Drift chart") -> GraphicFrame:
    """Alignment last wave and this wave per area, as paired bars (a dumbbell drawn as bars).

    ``drift`` is ``Assessment.drift`` filtered to one metric (``area, previous,
    current``). A suppressed row is left blank in both series.
    """
    rows = _bottom_up_frame(drift)
    hidden = rows["suppressed"].fillna(False).astype(bool) if "suppressed" in rows else pd.Series(False, rows.index)
    data = CategoryChartData(number_format="0")
    data.categories = [area_name(a) if str(a) in AREA_LABELS else "Overall Alignment Index" if str(a) in ("oai", "overall", "")
                       else str(a) for a in rows["area"]]
    data.add_series(f"Wave {previous}", [None if h else value_or_none(v) for v, h in zip(rows["previous"], hidden, strict=True)])
    data.add_series(f"Wave {current}", [None if h else value_or_none(v) for v, h in zip(rows["current"], hidden, strict=True)])
    frame = _add(slide, box, XL_CHART_TYPE.BAR_CLUSTERED, data, name=name, legend=True)
    chart = frame.chart
    _gap_width(chart, 55, overlap=0)
    _category_axis(chart)
    _value_axis(chart, low=0, high=100, unit=25, title="Alignment (0–100)")
    before, after = chart.plots[0].series
    _fill(before.format, NEUTRAL)
    _fill(after.format, MSO_THEME_COLOR.ACCENT_1)
    _labels(before, "0", XL_LABEL_POSITION.OUTSIDE_END)
    _labels(after, "0", XL_LABEL_POSITION.OUTSIDE_END, bold=True)
    return frame


def add_benchmark_chart(slide: Slide, box: Box, bench: pd.DataFrame, *, name: str = "Benchmark chart") -> GraphicFrame:
    """Percentile (0–100) of each area among the firm's other clients, one bar per area."""
    bench = _bottom_up_frame(bench)
    hidden = bench["suppressed"].fillna(False).astype(bool) if "suppressed" in bench else pd.Series(False, bench.index)
    data = CategoryChartData(number_format="0")
    data.categories = [area_name(a) for a in bench["area"]]
    data.add_series("Percentile among other clients",
                    [None if h else value_or_none(v) for v, h in zip(bench["percentile"], hidden, strict=True)])
    frame = _add(slide, box, XL_CHART_TYPE.BAR_CLUSTERED, data, name=name)
    chart = frame.chart
    _gap_width(chart, 60)
    _category_axis(chart)
    _value_axis(chart, low=0, high=100, unit=25, title="Percentile among the firm’s other clients")
    series = chart.plots[0].series[0]
    _fill(series.format, MSO_THEME_COLOR.ACCENT_1)
    _labels(series, "0", XL_LABEL_POSITION.OUTSIDE_END, bold=True)
    return frame


def add_drivers_chart(slide: Slide, box: Box, drivers: pd.DataFrame, *, name: str = "Key drivers chart") -> GraphicFrame:
    """Each area's relative weight (% of the explained variance of the outcome) with its 90 % interval.

    The named top driver (``drivers.attrs["top"]``) takes the accent colour, the others grey, as in the HTML deck.
    """
    rows = _bottom_up_frame(drivers)
    top = str(drivers.attrs.get("top") or "")
    values = [value_or_none(v) for v in rows["relative_weight"]]
    data = CategoryChartData(number_format="0")
    data.categories = [area_name(a) for a in rows["area"]]
    data.add_series("Share of explained variance (%)", values)
    frame = _add(slide, box, XL_CHART_TYPE.BAR_CLUSTERED, data, name=name)
    chart = frame.chart
    _gap_width(chart, 60)
    _category_axis(chart)
    _value_axis(chart, low=0, high=100, unit=25,
                title="Share of the explained variance of the outcome (%); whiskers: 90 % interval")
    series = chart.plots[0].series[0]
    for i, (area, value) in enumerate(zip(rows["area"], values, strict=True)):
        if value is not None:
            _fill(series.points[i].format, MSO_THEME_COLOR.ACCENT_1 if area == top else GREY)
    lows = [value_or_none(v) for v in rows["relative_lo"]]
    highs = [value_or_none(v) for v in rows["relative_hi"]]
    add_interval_bars(series, values, lows, highs)
    _labels(series, "0", XL_LABEL_POSITION.INSIDE_BASE, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF))
    return frame


def chart_series(frame: GraphicFrame) -> dict[str, list[float | None]]:
    """The values of every series of a chart frame, by series name (what a partner's PowerPoint shows)."""
    return {s.name: list(s.values) for plot in frame.chart.plots for s in plot.series}


__all__ = ["LIKERT_GROUPS", "add_benchmark_chart", "add_drift_chart", "add_drivers_chart", "add_error_bars", "add_gap_chart",
           "add_likert_chart", "add_scorecard_chart", "add_weight_chart", "band_rgb", "chart_series",
           "likert_split"]
