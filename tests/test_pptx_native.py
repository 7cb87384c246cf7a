"""The PowerPoint deck's native charts and tables, the firm's brand and the rendered slides.

Opens the built decks with python-pptx: charts are chart objects whose series
hold summary.json's numbers, chart text is the template's body font, a custom
template recolours and re-fonts them, no placeholder text or picture without
alt text is left, the footer names client and wave, and LibreOffice renders
every slide with its title where the HTML deck has it.
"""
from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.dml import MSO_THEME_COLOR

from pptx_support import CLIENTS, CUSTOM_ACCENT_RGB, CUSTOM_FONT, RENDERED, page_count
from toolkit.deck.firm import Firm, footer_text, load_firm
from toolkit.errors import DefinitionError
from toolkit.pptx import build_pptx

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
OFFICE_BLUE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"
CHART_NAMES = {"Scorecard chart", "Weight chart", "Key drivers chart", "Items chart", "Perception gap chart", "Drift chart",
               "Benchmark chart"}


def charts(prs, name: str) -> list:
    return [sh for s in prs.slides for sh in s.shapes if sh.has_chart and sh.name == name]


def by_category(frame, series_index: int = 0) -> dict[str, float | None]:
    plot = frame.chart.plots[0]
    return dict(zip([" ".join(str(c).split()) for c in plot.categories], plot.series[series_index].values, strict=True))


def close(a, b, tol: float = 1e-6) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), abs_tol=tol)


def body_font(prs) -> str:
    from toolkit.pptx.theme import theme_of

    return theme_of(prs.slide_master).body_font


# --- native charts carry summary.json's numbers -----------------------------------------------------

@pytest.mark.parametrize("client", CLIENTS)
def test_every_chart_is_a_native_chart_and_no_picture_is_left(client, pptx_decks):
    prs = Presentation(pptx_decks[client])
    found = [sh.name for s in prs.slides for sh in s.shapes if sh.has_chart]
    # scorecard, weight, 4 area item charts, perception gap, key drivers (every demo client has n >= 30 and
    # separable areas) (+ drift for northwind: it has an earlier wave)
    assert sorted(found) == sorted(["Scorecard chart", "Weight chart", "Perception gap chart", "Key drivers chart"]
                                   + ["Items chart"] * 4
                                   + (["Drift chart"] if client == "northwind-logistics" else []))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert pictures == []                                     # nothing is a picture of a chart any more
    heatmaps = [sh for s in prs.slides for sh in s.shapes if sh.has_table and sh.name == "Heatmap"]
    assert len(heatmaps) == 1


@pytest.mark.parametrize("client", CLIENTS)
def test_key_drivers_chart_equals_the_summary_and_colours_only_a_reliable_top(client, pptx_stories, pptx_decks):
    from toolkit.model import AREA_LABELS

    drivers = pptx_stories[client].summary["drivers"]
    (frame,) = charts(Presentation(pptx_decks[client]), "Key drivers chart")
    shown = by_category(frame)
    expected = {AREA_LABELS[r["area"]]: r["relative_weight"] for r in drivers["rows"]}
    assert shown.keys() == expected.keys()
    assert all(close(shown[k], expected[k]) for k in expected), (shown, expected)
    # harbor's customer experience is first in every resample: named and accented; elsewhere nobody is
    assert drivers["top"] == ("customer_experience" if client == "harbor-concierge" else None)
    fills = [pt.format.fill for pt in [frame.chart.plots[0].series[0].points[i] for i in range(len(shown))]]
    accented = [c for c, f in zip(shown, fills, strict=True) if f.fore_color.type is not None
                and getattr(f.fore_color, "theme_color", None) == MSO_THEME_COLOR.ACCENT_1]
    assert accented == ([AREA_LABELS[drivers["top"]]] if drivers["top"] else [])


@pytest.mark.parametrize("client", CLIENTS)
def test_scorecard_series_and_interval_equal_the_summary(client, pptx_stories, pptx_decks):
    summary = pptx_stories[client].summary
    (frame,) = charts(Presentation(pptx_decks[client]), "Scorecard chart")
    shown = by_category(frame)
    expected = {a["label"]: a["alignment"] for a in summary["areas"]}
    assert shown.keys() == expected.keys()
    assert all(close(shown[k], expected[k]) for k in expected), (shown, expected)
    # the 90 % interval as custom error bars: value - lo below, hi - value above
    ser = frame.chart.plots[0].series[0]._element
    bars = ser.find(f"{C}errBars")
    assert bars.find(f"{C}errValType").get("val") == "cust"
    plus = [float(v.text) for v in bars.findall(f"{C}plus/{C}numLit/{C}pt/{C}v")]
    minus = [float(v.text) for v in bars.findall(f"{C}minus/{C}numLit/{C}pt/{C}v")]
    order = [" ".join(str(c).split()) for c in frame.chart.plots[0].categories]
    rows = {a["label"]: a for a in summary["areas"]}
    assert all(close(p, rows[k]["alignment_hi"] - rows[k]["alignment"], 1e-3) for p, k in zip(plus, order, strict=True))
    assert all(close(m, rows[k]["alignment"] - rows[k]["alignment_lo"], 1e-3) for m, k in zip(minus, order, strict=True))
    assert order[-1] == summary["areas"][0]["label"]          # bottom-up: the first area reads at the top


@pytest.mark.parametrize("client", CLIENTS)
def test_weight_chart_points_equal_the_summary(client, pptx_stories, pptx_decks):
    (frame,) = charts(Presentation(pptx_decks[client]), "Weight chart")
    from toolkit.pptx.native_charts import SHORTFALL_SERIES

    points, curve = {}, None
    for series in frame.chart.plots[0].series:
        xs = [float(v.text) for v in series._element.findall(f"{C}xVal/{C}numRef/{C}numCache/{C}pt/{C}v")]
        if series.name == SHORTFALL_SERIES:
            curve = (xs, list(series.values))
            continue
        points[series.name] = (xs[0], series.values[0])
    areas = pptx_stories[client].summary["areas"]
    expected = {a["label"]: (100 * a["weight"], a["alignment"]) for a in areas if a["alignment"] is not None}
    assert points.keys() == expected.keys()
    assert all(close(points[k][0], expected[k][0]) and close(points[k][1], expected[k][1]) for k in expected)
    # the dashed fix-first curve passes through the principal gap (every demo client has one below 75)
    gap = max((a for a in areas if a["alignment"] is not None and a["alignment"] < 75),
              key=lambda a: a["weight"] * (75 - a["alignment"]))
    assert curve is not None
    import numpy as np
    assert np.interp(100 * gap["weight"], curve[0], curve[1]) == pytest.approx(gap["alignment"], abs=0.5)


@pytest.mark.parametrize("client", CLIENTS)
def test_item_charts_show_favourable_neutral_unfavourable_as_in_the_summary(client, pptx_stories, pptx_decks):
    from toolkit.model import AREA_LABELS

    items = {" ".join(i["text"].split()): i for i in pptx_stories[client].summary["items"]
             if not i["suppressed"] and i["area"] in AREA_LABELS}  # outcome items have no area slide
    frames = charts(Presentation(pptx_decks[client]), "Items chart")
    seen = 0
    for frame in frames:
        names = [s.name for s in frame.chart.plots[0].series]
        assert names == ["Unfavourable", "Neutral", "Favourable"]
        favourable = by_category(frame, 2)
        unfavourable, neutral = by_category(frame, 0), by_category(frame, 1)
        for label, value in favourable.items():
            item = items[label.removesuffix(" (reverse-keyed)")]
            assert label.endswith("(reverse-keyed)") == bool(item["reverse"])
            assert close(value, item["favourable"])
            low, high = item["share_1"] + item["share_2"], item["share_4"] + item["share_5"]
            assert close(unfavourable[label], high if item["reverse"] else low)   # reverse keying applied
            assert close(favourable[label] + neutral[label] + unfavourable[label], 100, 1e-6)
            seen += 1
    assert seen == len(items)


@pytest.mark.parametrize("client", CLIENTS)
def test_gap_chart_series_equal_the_summary(client, pptx_stories, pptx_decks):
    from toolkit.model import AREA_LABELS

    (frame,) = charts(Presentation(pptx_decks[client]), "Perception gap chart")
    series = {s.name: s for s in frame.chart.plots[0].series}
    categories = [str(c) for c in frame.chart.plots[0].categories]
    for gap in pptx_stories[client].summary["perception_gaps"]:
        s = series[f"{gap['group_a'].capitalize()}s − {gap['group_b']}s"]
        value = s.values[categories.index(AREA_LABELS[gap["area"]])]
        assert close(value, None if gap["suppressed"] else gap["gap"])


def test_drift_chart_holds_both_waves_from_the_summary(pptx_stories, pptx_decks):
    story = pptx_stories["northwind-logistics"]
    (frame,) = charts(Presentation(pptx_decks["northwind-logistics"]), "Drift chart")
    before = by_category(frame, 0)
    after = by_category(frame, 1)
    assert [s.name for s in frame.chart.plots[0].series] == [f"Wave {story.previous_wave}",
                                                              f"Wave {story.client.config.wave}"]
    rows = [d for d in story.summary["drift"] if d["metric"] == "alignment"]
    assert len(rows) == 4
    labels = {a["area"]: a["label"] for a in story.summary["areas"]}
    for d in rows:
        assert close(before[labels[d["area"]]], d["previous"]) and close(after[labels[d["area"]]], d["current"])


def test_heatmap_table_shows_the_summary_and_hides_suppressed_cells(pptx_stories, pptx_decks):
    from toolkit.model import AREA_LABELS

    story = pptx_stories["northwind-logistics"]
    prs = Presentation(pptx_decks["northwind-logistics"])
    (frame,) = [sh for s in prs.slides for sh in s.shapes if sh.has_table and sh.name == "Heatmap"]
    table = frame.table
    header = [c.text for c in table.rows[0].cells]
    # northwind has departments of 10, so its consistency table sits under this one: the corner names each
    assert header[0] == "Perception" and header[1:] == [AREA_LABELS[a] for a in AREA_LABELS]
    cells = {(row.cells[0].text, header[j]): row.cells[j] for row in list(table.rows)[1:]
             for j in range(1, len(header))}
    for d in story.summary["departments"]:
        cell = cells[(d["department"], AREA_LABELS[d["area"]])]
        if d["suppressed"]:
            assert cell.text == "suppressed"
        else:
            assert cell.text == f"{d['perception']:.0f}"
        assert cell.fill.type == 1                            # a solid fill per cell (the score's colour)
    assert {cells[("Customs Brokerage", h)].text for h in header[1:]} == {"suppressed"}
    legend = [sh for s in prs.slides for sh in s.shapes if sh.has_table and sh.name == "Heatmap legend"]
    assert [c.text for c in legend[0].table.rows[0].cells] == ["< 60 misaligned", "60–74.9 partly aligned",
                                                                "≥ 75 aligned", "suppressed"]


# --- type and colour follow the template -------------------------------------------------------------

def _chart_fonts(frame) -> tuple[set[str], list[int]]:
    space = frame.chart._chartSpace
    faces = {latin.get("typeface") for latin in space.iter(f"{A}latin")}
    sizes = [int(x) for x in space.xpath(".//@sz")]
    return faces, sizes


@pytest.mark.parametrize("client", CLIENTS)
def test_chart_text_is_the_template_body_font_at_12_pt_or_more(client, pptx_decks):
    prs = Presentation(pptx_decks[client])
    assert body_font(prs) == "Arial"
    frames = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    for frame in frames:
        faces, sizes = _chart_fonts(frame)
        assert faces == {"Arial"}, frame.name
        assert sizes and min(sizes) >= 1200, (frame.name, min(sizes))


def test_custom_template_recolours_and_refonts_the_charts(pptx_custom_deck):
    prs = Presentation(pptx_custom_deck)
    assert body_font(prs) == CUSTOM_FONT
    frames = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert {sh.name for sh in frames} <= CHART_NAMES and len(frames) == 8  # 7 + key drivers
    for frame in frames:
        assert _chart_fonts(frame)[0] == {CUSTOM_FONT}
    items = charts(prs, "Items chart")[0]
    favourable = items.chart.plots[0].series[2]._element
    assert favourable.find(f"{C}spPr/{A}solidFill/{A}schemeClr").get("val") == "accent1"
    from toolkit.pptx.theme import theme_of

    assert theme_of(prs.slide_master).colors["accent1"] == CUSTOM_ACCENT_RGB


def test_custom_template_colour_reaches_the_rendered_chart(pptx_pdfs, pptx_custom_deck, tmp_path):
    from PIL import Image

    prs = Presentation(pptx_custom_deck)
    page = next(i for i, s in enumerate(prs.slides, 1) if any(sh.name == "Items chart" for sh in s.shapes))
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page), str(pptx_pdfs["custom"]),
                    str(tmp_path / "page")], check=True)
    import numpy as np

    image = np.asarray(Image.open(next(tmp_path.glob("page*.png"))).convert("RGB"), dtype=int)
    target = np.array([int(CUSTOM_ACCENT_RGB[i:i + 2], 16) for i in (0, 2, 4)])
    near = int((np.abs(image - target).sum(axis=2) < 30).sum())
    assert near > 200, f"only {near} pixels of the template's accent colour on the rendered item chart"


@pytest.mark.parametrize("client", CLIENTS)
def test_tables_use_the_template_table_style(client, pptx_decks):
    from toolkit.pptx.brand import default_table_style

    prs = Presentation(pptx_decks[client])
    style = default_table_style(prs)
    assert style and style != OFFICE_BLUE_STYLE
    ids = [sh._element.graphic.graphicData.tbl.tblPr.find(f"{A}tableStyleId").text
           for s in prs.slides for sh in s.shapes if sh.has_table]
    assert len(ids) >= 5 and set(ids) == {style}


def test_method_slide_writes_r_wg_with_a_subscript(pptx_decks):
    prs = Presentation(pptx_decks["swiftmart"])
    runs = [r for s in prs.slides for sh in s.shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs for r in p.runs if r.text == "wg"]
    assert runs and all(r.font._rPr.get("baseline") == "-25000" for r in runs)
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "r_wg" not in text and "<sub>" not in text


# --- the firm, not a placeholder --------------------------------------------------------------------------

def _texts(package: Path, prefix: str) -> list[str]:
    with zipfile.ZipFile(package) as z:
        return [t.text or "" for name in z.namelist() if name.startswith(prefix) and name.endswith(".xml")
                for t in etree.fromstring(z.read(name)).iter(f"{A}t")]


@pytest.mark.parametrize("client", CLIENTS)
def test_no_placeholder_text_or_picture_without_alt_text(client, pptx_decks):
    deck = pptx_decks[client]
    shown = " ".join(_texts(deck, "ppt/slides/") + _texts(deck, "ppt/notesSlides/"))
    generic = "prepared for the client’s leadership team"           # the old footer that named nobody
    for phrase in ("YOUR FIRM", "Click to add", "Click to edit", "Lorem", "TODO", generic, "placeholder"):
        assert phrase.lower() not in shown.lower(), phrase
    decoration = " ".join(_texts(deck, "ppt/slideMasters/") + _texts(deck, "ppt/slideLayouts/"))
    assert "YOUR FIRM" not in decoration and generic not in decoration
    with zipfile.ZipFile(deck) as z:
        assert not [n for n in z.namelist() if n.startswith("ppt/media/")]   # the neutral firm has no logo
        for name in z.namelist():
            if name.endswith(".xml") and name.startswith("ppt/"):
                for pic in etree.fromstring(z.read(name)).iter(f"{P}pic"):
                    assert pic.find(f"{P}nvPicPr/{P}cNvPr").get("descr"), name


@pytest.mark.parametrize("client", CLIENTS)
def test_footer_names_client_and_wave_as_the_html_deck(client, pptx_stories, pptx_decks):
    cfg = pptx_stories[client].client.config
    prs = Presentation(pptx_decks[client])
    footers = [sh for sh in prs.slide_master.shapes if sh.name == "Footer"]
    assert [f.text_frame.text for f in footers] == [footer_text(cfg.name, str(cfg.wave))]
    assert cfg.name in footers[0].text_frame.text


@pytest.mark.parametrize("client", CLIENTS)
def test_document_properties_name_deck_client_wave_and_toolkit(client, pptx_stories, pptx_decks):
    cfg = pptx_stories[client].client.config
    props = Presentation(pptx_decks[client]).core_properties
    assert props.title == f"{cfg.name} - alignment assessment, {cfg.wave}"
    assert props.subject == cfg.name
    assert str(cfg.wave) in props.keywords
    assert props.author == "Operational Alignment Toolkit"
    assert props.last_modified_by.startswith("Operational Alignment Toolkit ")
    assert props.created is not None and props.created.year >= 2024


def _logo_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (240, 60), (0x2A, 0x6F, 0x4E)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture()
def firm_file(tmp_path) -> Path:
    (tmp_path / "meridian.png").write_bytes(_logo_png())
    path = tmp_path / "firm.yaml"
    path.write_text("name: Meridian Partners\nlogo: meridian.png\n"
                    "colors: {primary: '#203040', accent: '#2A6F4E', accent_2: '#C05A28'}\n"
                    "fonts: {heading: DejaVu Serif, body: DejaVu Sans}\n", encoding="utf-8")
    return path


def test_firm_file_brands_the_pptx(firm_file, pptx_stories, tmp_path):
    from toolkit.pptx.theme import theme_of

    firm = load_firm(firm_file)
    story = pptx_stories["swiftmart"]
    prs = Presentation(build_pptx(story, tmp_path / "deck.pptx", firm=firm))
    theme = theme_of(prs.slide_master)
    assert (theme.heading_font, theme.body_font) == ("DejaVu Serif", "DejaVu Sans")
    assert (theme.colors["dk2"], theme.colors["accent1"], theme.colors["accent2"]) == ("203040", "2A6F4E", "C05A28")
    logos = [sh for sh in prs.slide_master.shapes if sh.name == "Logo"]
    assert len(logos) == 1 and logos[0]._element.nvPicPr.cNvPr.get("descr") == "Meridian Partners logo"
    footer = next(sh for sh in prs.slide_master.shapes if sh.name == "Footer").text_frame.text
    assert footer == f"Confidential - prepared for {story.client.config.name}, {story.client.config.wave} by Meridian Partners"
    for frame in (sh for s in prs.slides for sh in s.shapes if sh.has_chart):
        assert _chart_fonts(frame)[0] == {"DejaVu Sans"}


def test_firm_file_brands_the_html(firm_file):
    from nbformat.v4 import new_markdown_cell, new_notebook

    from toolkit.deck.html import render_html

    nb = new_notebook(cells=[new_markdown_cell("# Title"), new_markdown_cell("## Second\n\ntext")])
    for cell in nb.cells:
        cell.metadata["slideshow"] = {"slide_type": "slide"}
    html = render_html(nb, client_name="Acme", wave="2026-Q3", firm=load_firm(firm_file))
    assert "--deck-accent: #2A6F4E" in html and '"DejaVu Serif"' in html
    assert "Confidential - prepared for Acme, 2026-Q3 by Meridian Partners" in html
    assert 'alt="Meridian Partners logo"' in html and "data:image/png;base64," in html
    neutral = render_html(nb, client_name="Acme", wave="2026-Q3")
    assert "by " not in re.search(r'<footer class="deck-footer">(.*?)</footer>', neutral).group(1)
    assert "deck-logo\" src" not in neutral


@pytest.mark.parametrize(("text", "key"), [
    ("colors: {accent: blue}\n", "colors.accent"),
    ("colors: {brand: '#112233'}\n", "colors.brand"),
    ("fonts: {body: 'Arial; } body {'}\n", "fonts.body"),
    ("logo: missing.png\n", "logo"),
    ("name: x\nslogan: y\n", "slogan"),
])
def test_bad_firm_file_is_a_definition_error_naming_the_key(text, key, tmp_path):
    path = tmp_path / "firm.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError, match=re.escape(key)):
        load_firm(path)


def test_template_without_a_footer_shape_gets_one_on_its_master():
    from toolkit.pptx.brand import set_footer

    prs = Presentation()                                   # python-pptx's own template: no shape named Footer
    assert "Footer" not in [sh.name for sh in prs.slide_master.shapes]
    assert set_footer(prs, footer_text("Acme", "2026-Q3")) == 1
    (footer,) = [sh for sh in prs.slide_master.shapes if sh.name == "Footer"]
    assert footer.text_frame.text == "Confidential - prepared for Acme, 2026-Q3"
    assert footer.top + footer.height <= prs.slide_height


def test_firm_file_from_the_environment(firm_file, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_FIRM", str(firm_file))
    assert load_firm().name == "Meridian Partners"
    monkeypatch.setenv("ALIGNMENT_FIRM", str(firm_file.parent / "absent.yaml"))
    with pytest.raises(DefinitionError, match="does not exist"):
        load_firm()


def test_shipped_firm_file_is_neutral():
    firm = load_firm()
    assert firm == Firm() or (firm.name == "" and firm.logo is None)


# --- LibreOffice renders every slide, laid out like the HTML deck ------------------------------------------

def _coord(element: etree._Element, name: str) -> float:
    """A numeric attribute of a pdftotext -bbox element (every page and word carries its box)."""
    value = element.get(name)
    assert value is not None, f"a pdftotext -bbox element has no {name}"
    return float(value)


def _words(pdf: Path) -> list[tuple[float, float, list[tuple[str, float, float, float, float]]]]:
    """Per page: width, height and its words with their boxes (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = etree.fromstring(out.encode("utf-8"), etree.XMLParser(recover=True))
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        words = [(w.text or "", _coord(w, "xMin"), _coord(w, "yMin"), _coord(w, "xMax"), _coord(w, "yMax"))
                 for w in page.iter("{http://www.w3.org/1999/xhtml}word")]
        pages.append((_coord(page, "width"), _coord(page, "height"), words))
    return pages


def _title_box(words, title: str, below: float = float("inf")) -> tuple[float, float] | None:
    """The (x, y) of the title's first word: the topmost match of its first two words in sequence (above ``below``)."""
    first = title.split()[:2]
    hits = [words[i] for i in range(len(words) - len(first) + 1)
            if [w[0] for w in words[i:i + len(first)]] == first and words[i][2] < below]
    if not hits:
        return None
    top = min(hits, key=lambda w: w[2])
    return top[1], top[2]


@pytest.fixture(scope="module")
def rendered(pptx_pdfs, artifacts_dir):
    """Every slide of the LibreOffice renders as PNG in tests/artifacts/pptx/ (kept for a person to look at)."""
    folder = artifacts_dir / "pptx"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for key in RENDERED:
        subprocess.run(["pdftoppm", "-r", "72", "-png", str(pptx_pdfs[key]), str(folder / key)], check=True)
    return folder


def test_libreoffice_renders_every_slide_and_saves_the_renders(pptx_pdfs, pptx_decks, pptx_custom_deck, rendered):
    for key, deck in (("northwind-logistics", pptx_decks["northwind-logistics"]), ("custom", pptx_custom_deck)):
        slides = len(Presentation(deck).slides)
        assert page_count(pptx_pdfs[key]) == slides
        assert len(list(rendered.glob(f"{key}-*.png"))) == slides


def test_rendered_slides_keep_titles_in_place_and_nothing_overflows(pptx_pdfs, pptx_decks, demo_reports):
    prs = Presentation(pptx_decks["northwind-logistics"])
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    pages = _words(pptx_pdfs["northwind-logistics"])
    html_pdf = demo_reports["northwind-logistics"] / "deck.pdf"
    html_pages = _words(html_pdf) if html_pdf.exists() else []
    assert len(html_pages) == len(pages) == len(titles), "the HTML deck's PDF (Chromium) has the same slides"
    compared = 0
    for i, ((width, height, words), title) in enumerate(zip(pages, titles, strict=True)):
        where = _title_box(words, title)
        assert where is not None, f"slide {i + 1}: title {title!r} not rendered"
        x, y = where[0] / width, where[1] / height
        for word, x0, y0, x1, y1 in words:                      # nothing runs off the page
            assert x0 >= 0 and y0 >= 0 and x1 <= width + 1 and y1 <= height + 1, (i + 1, word)
        if i == 0:
            continue                                            # the title slide has its own layout
        assert y < 0.2 and x < 0.1, f"slide {i + 1}: title at ({x:.2f}, {y:.2f})"
        low = [w for w in words if w[2] > 0.915 * height]       # only the footer and page number sit low
        footer = footer_text(prs.core_properties.subject, "2026-h1").split()
        assert all(w[0] in footer or w[0].isdigit() for w in low), (i + 1, [w[0] for w in low])
        hw, hh, hwords = html_pages[i]                          # the same slide of the HTML deck (same plan)
        found = _title_box(hwords, title, 0.3 * hh)
        assert found is not None, f"HTML slide {i + 1} has no title {title!r} at the top"
        hx, hy = found[0] / hw, found[1] / hh
        assert abs(hx - x) < 0.08 and abs(hy - y) < 0.1, (title, (x, y), (hx, hy))
        compared += 1
    assert compared == len(titles) - 1


@pytest.mark.parametrize("client", CLIENTS)
def test_levels_table_beside_the_gaps_shows_the_summary(client, pptx_stories, pptx_decks):
    from toolkit.model import AREA_LABELS

    story = pptx_stories[client]
    prs = Presentation(pptx_decks[client])
    (frame,) = [sh for s in prs.slides for sh in s.shapes if sh.has_table and sh.name == "Levels heatmap"]
    slide = next(s for s in prs.slides if frame in list(s.shapes))
    assert any(sh.has_chart and sh.name == "Perception gap chart" for sh in slide.shapes)  # the same slide
    table = frame.table
    header = [c.text for c in table.rows[0].cells]
    assert header[0] == "Level" and header[1:] == [AREA_LABELS[a] for a in AREA_LABELS]
    cells = {(row.cells[0].text, header[j]): row.cells[j].text for row in list(table.rows)[1:]
             for j in range(1, len(header))}
    assert len(cells) == len(story.summary["levels"])
    for lv in story.summary["levels"]:
        text = cells[(lv["level"].capitalize(), AREA_LABELS[lv["area"]])]
        assert text == ("suppressed" if lv["suppressed"] else f"{lv['perception']:.0f}")
