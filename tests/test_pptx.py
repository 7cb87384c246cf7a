"""The editable PowerPoint deck (toolkit.pptx): sequence, content, fit, privacy, templates, LibreOffice."""
from __future__ import annotations

import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Emu

from pptx_support import (
    CLIENTS,
    CUSTOM_FONT,
    CUSTOM_TITLE_RGB,
    PPTX_MAIN,
    page_count,
    rewrite_package,
)
from toolkit.errors import DefinitionError
from toolkit.pptx import build_pptx, plan
from toolkit.pptx.template import DEFAULT_TEMPLATE, TEMPLATE_ENV, resolve_template

pytestmark = pytest.mark.slow  # builds every demo client's deck

ROOT = Path(__file__).resolve().parents[1]
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


# --- fixtures (built once per session in pptx_support) ---------------------------------------------

@pytest.fixture(scope="module")
def stories(pptx_stories):
    return pptx_stories


@pytest.fixture(scope="module")
def decks(pptx_decks):
    return pptx_decks


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def all_text(prs) -> list[str]:
    """Every line of text in the deck: shapes, table rows (cells joined by ' | ') and notes."""
    lines = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines += shape.text_frame.text.split("\n")
            if shape.has_table:
                lines += [" | ".join(c.text for c in row.cells) for row in shape.table.rows]
        if slide.has_notes_slide:
            lines += slide.notes_slide.notes_text_frame.text.split("\n")
    return lines


# --- sequence and content ----------------------------------------------------------------------------

@pytest.mark.parametrize("client", CLIENTS)
def test_titles_and_count_follow_the_deck_plan(client, stories, decks):
    from toolkit.deck.plan import deck_plan

    expected = [p.title for p in deck_plan(stories[client])]
    prs = Presentation(decks[client])
    assert [slide_title(s) for s in prs.slides] == expected
    assert [spec.title for spec in plan(stories[client])] == expected
    kickers = [next((sh.text_frame.text for sh in s.shapes if sh.name == "Kicker"), "") for s in prs.slides]
    assert kickers[1:] == [p.kicker.upper() for p in deck_plan(stories[client])][1:]
    # 15 slides: title, summary, scorecard, weight, 4 areas, heatmap, gap, key drivers, costs, roadmap, method,
    # coverage; northwind has an earlier wave (+ drift) -> 16; no benchmark without a portfolio
    assert len(prs.slides) == {"northwind-logistics": 16}.get(client, 15)


def test_benchmark_slide_follows_the_html_deck(stories):
    import dataclasses

    import pandas as pd

    story = stories["swiftmart"]
    bench = pd.DataFrame({"area": list(story.assessment.areas.index), "percentile": [20.0, 40.0, 60.0, 80.0],
                          "n_clients": [6, 6, 6, 6]})
    with_bench = dataclasses.replace(story, assessment=dataclasses.replace(story.assessment, benchmark=bench))
    from toolkit.deck.plan import deck_plan

    assert [s.key for s in plan(with_bench)] == [p.key for p in deck_plan(with_bench)]
    assert "benchmark" in [s.key for s in plan(with_bench)]
    assert "Customer Experience sits at the 20th percentile of 6 other clients" in [s.title for s in plan(with_bench)]


@pytest.mark.parametrize("client", CLIENTS)
def test_recommendation_table_holds_one_full_action_per_finding(client, stories, decks):
    from toolkit.deck.plan import deck_plan

    title = next(p.title for p in deck_plan(stories[client]) if p.key == "roadmap")
    prs = Presentation(decks[client])
    roadmap = next(s for s in prs.slides if slide_title(s) == title)
    tables = [sh.table for sh in roadmap.shapes if sh.has_table]
    assert len(tables) == 1
    rows = [[c.text for c in row.cells] for row in tables[0].rows]
    assert rows[0] == ["Horizon", "Area", "Action", "Owner"]
    road = stories[client].findings.roadmap
    assert len(road) >= 2
    for _, rec in road.iterrows():
        action = " ".join(str(rec["action"]).split())
        row = next((r for r in rows[1:] if r[2].startswith(action)), None)
        assert row is not None, f"action {action[:60]!r} not in the table (in full)"
        assert row[0] == f"{int(rec['horizon'])} days" and row[3] == rec["owner"]
        assert row[2].endswith(f"Success: {rec['success']}.")
    assert len(rows) == 1 + len(road)  # no placeholder row for an empty horizon
    assert not any(r[2].endswith("…") for r in rows)


@pytest.mark.parametrize("client", CLIENTS)
def test_speaker_notes_on_every_slide_give_the_n(client, decks):
    prs = Presentation(decks[client])
    for i, slide in enumerate(prs.slides, 1):
        assert slide.has_notes_slide, f"slide {i} has no notes"
        text = slide.notes_slide.notes_text_frame.text
        assert re.search(r"\bn = \d+", text), f"slide {i} ({slide_title(slide)}): notes give no n"
        assert len(text) > 80


# --- text fits its box (a rule of thumb independent of the builder's own estimate) ---------------------

def _inherited_size(shape, prs) -> float:
    """Font size of a run without its own size: the layout placeholder's, else the master title style's."""
    if shape.is_placeholder:
        layout = shape.part.slide_layout
        for ph in layout.placeholders:
            if ph.placeholder_format.idx == shape.placeholder_format.idx:
                sizes = ph._element.xpath(".//a:lstStyle/a:lvl1pPr/a:defRPr/@sz")
                if sizes:
                    return int(sizes[0]) / 100
    master = prs.slide_masters[0]._element
    return int(master.find(f"{P}txStyles/{P}titleStyle/{A}lvl1pPr/{A}defRPr").get("sz")) / 100


def _needed_height_pt(frame, width_emu: int, default_size: float) -> float:
    width_pt = (width_emu - frame.margin_left - frame.margin_right) / 12700
    total = 0.0
    for p in frame.paragraphs:
        sizes = [r.font.size.pt for r in p.runs if r.font.size is not None] or [default_size]
        size = max(sizes)
        per_line = max(1, math.floor(width_pt / (0.5 * size)))
        lines = max(1, math.ceil(len(p.text) / per_line))
        total += lines * size * 1.2 + (p.space_after.pt if p.space_after is not None else 0)
    return total


@pytest.mark.parametrize(("chars", "fits"), [(60, True), (400, False)])
def test_fit_check_tells_overflow_from_fit(chars, fits):
    # A 4 in x 1 in box at 14 pt: (288 - 14.4) pt / 7 pt = 39 chars a line; (72 - 7.2) pt / 16.8 pt = 3.9 lines.
    # 60 chars -> 2 lines = 33.6 pt (fits); 400 chars -> 11 lines = 184.8 pt (overflows).
    from pptx.util import Inches, Pt

    prs = Presentation(DEFAULT_TEMPLATE)
    slide = prs.slides.add_slide(prs.slide_layouts[4])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1))
    run = box.text_frame.paragraphs[0].add_run()
    run.text, run.font.size = "x" * chars, Pt(14)
    have = (box.height - box.text_frame.margin_top - box.text_frame.margin_bottom) / 12700
    assert (_needed_height_pt(box.text_frame, box.width, 18) <= have) is fits


@pytest.mark.parametrize("client", CLIENTS)
def test_every_text_fits_its_box(client, decks):
    prs = Presentation(decks[client])
    checked = 0
    for i, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width + Emu(1000), f"slide {i}: {shape.name} too wide"
            assert shape.top + shape.height <= prs.slide_height, f"slide {i}: {shape.name} too low"
            if shape.has_text_frame and shape.text_frame.text.strip():
                frame = shape.text_frame
                need = _needed_height_pt(frame, shape.width, _inherited_size(shape, prs))
                have = (shape.height - frame.margin_top - frame.margin_bottom) / 12700
                assert need <= have * 1.05, f"slide {i} {shape.name!r}: needs {need:.0f} pt, has {have:.0f} pt"
                checked += 1
            if shape.has_table:
                table = shape.table
                height = 0.0
                for row in table.rows:
                    cells = []
                    for cell, col in zip(row.cells, table.columns, strict=True):
                        size = max([r.font.size.pt for p in cell.text_frame.paragraphs for r in p.runs] or [18])
                        per_line = max(1, math.floor((col.width - 182880) / 12700 / (0.5 * size)))
                        cells.append(math.ceil(len(cell.text) / per_line) * size * 1.2 + 7.2)
                    height += max(cells)
                bottom = (shape.top / 12700) + height
                assert bottom <= prs.slide_height / 12700 - 36, f"slide {i}: table {shape.name!r} runs off the slide"
                checked += 1
    assert checked >= 3 * len(prs.slides)


# --- confidentiality ---------------------------------------------------------------------------------

@pytest.mark.parametrize("client", CLIENTS)
def test_no_respondent_id_in_any_text(client, stories, decks):
    ids = set(stories[client].client.ratings["respondent_id"].astype(str))
    assert len(ids) >= 40
    text = "\n".join(all_text(Presentation(decks[client])))
    found = sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))
    assert found == []


def test_small_department_is_never_shown(stories, decks):
    from toolkit.metrics import assess

    story = stories["northwind-logistics"]
    raw = assess(story.client, seed=1).departments
    small = raw[raw["department"] == "Customs Brokerage"]
    assert set(small["n"]) == {2}                         # the 2-person department of the demo data
    raw_values = {f"{v:.0f}" for v in small["perception"].dropna()} | {f"{v:.1f}" for v in small["perception"].dropna()}
    lines = all_text(Presentation(decks["northwind-logistics"]))
    about = [line for line in lines if "Customs Brokerage" in line]
    assert about, "the department is listed (as suppressed)"
    for line in about:
        assert not re.search(r"\bn = 2\b|\|\s*2\s*$", line), line
        numbers = set(re.findall(r"\d+(?:\.\d)?", line))
        assert not numbers & raw_values, f"{line!r} shows a suppressed value"
    assert "Customs Brokerage | suppressed" in lines
    assert "Finance | suppressed" in lines                # its sibling, hidden so it cannot be subtracted


# --- templates -----------------------------------------------------------------------------------------

_rewrite = rewrite_package


@pytest.fixture(scope="module")
def custom_deck(pptx_custom_deck):
    return pptx_custom_deck


def _theme_of(prs):
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)


def test_potx_template_builds_the_same_deck(custom_deck, decks):
    custom = Presentation(custom_deck)
    default = Presentation(decks["harbor-concierge"])
    assert [slide_title(s) for s in custom.slides] == [slide_title(s) for s in default.slides]
    with zipfile.ZipFile(custom_deck) as package:       # the output is a presentation, not a template
        assert PPTX_MAIN in package.read("[Content_Types].xml").decode()


def test_deck_follows_the_custom_template(custom_deck):
    prs = Presentation(custom_deck)
    theme = _theme_of(prs)
    assert theme.find(f".//{A}majorFont/{A}latin").get("typeface") == CUSTOM_FONT
    assert theme.find(f".//{A}dk2/{A}srgbClr").get("val") == CUSTOM_TITLE_RGB
    style = prs.slide_master._element.find(f"{P}txStyles/{P}titleStyle/{A}lvl1pPr/{A}defRPr")
    assert style.find(f"{A}latin").get("typeface") == "+mj-lt"           # titles: the theme's heading font
    assert style.find(f"{A}solidFill/{A}schemeClr").get("val") == "tx2"  # ... in tx2 = dk2 = the custom colour
    for slide in prs.slides:                          # and no slide overrides them
        for run in (r for p in slide.shapes.title.text_frame.paragraphs for r in p.runs):
            assert run.font.name is None and run.font.color.type is None


def test_template_missing_a_layout_is_a_definition_error(stories, tmp_path):
    def rename(name: str, data: bytes) -> bytes:
        return data.replace(b'name="Two Content"', b'name="Two Columns"') if "slideLayout" in name else data

    broken = _rewrite(DEFAULT_TEMPLATE, tmp_path / "broken.pptx", rename)
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"the last good deck")
    with pytest.raises(DefinitionError) as info:
        build_pptx(stories["swiftmart"], out, template=broken)
    message = str(info.value)
    assert "'Two Content'" in message and "'Two Columns'" in message and "'Title and Content'" in message
    assert out.read_bytes() == b"the last good deck"             # a failed build replaces nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.pptx", "deck.pptx"]


def test_template_choice_argument_then_env_then_default(tmp_path, monkeypatch):
    mine, theirs = tmp_path / "mine.pptx", tmp_path / "theirs.potx"
    shutil.copy(DEFAULT_TEMPLATE, mine)
    shutil.copy(DEFAULT_TEMPLATE, theirs)
    monkeypatch.delenv(TEMPLATE_ENV, raising=False)
    assert resolve_template() == DEFAULT_TEMPLATE
    monkeypatch.setenv(TEMPLATE_ENV, str(theirs))
    assert resolve_template() == theirs
    assert resolve_template(mine) == mine
    with pytest.raises(DefinitionError, match="does not exist"):
        resolve_template(tmp_path / "absent.pptx")
    with pytest.raises(DefinitionError, match=r"\.pptx or \.potx"):
        resolve_template(tmp_path / "brand.key")


def test_brand_template_has_the_named_layouts_and_no_placeholder_logo():
    prs = Presentation(DEFAULT_TEMPLATE)
    assert [layout.name for layout in prs.slide_layouts] == ["Title", "Title and Content", "Section",
                                                              "Two Content", "Blank"]
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)    # 16:9
    assert "Footer" in [shape.name for shape in prs.slide_master.shapes]  # filled per deck: client and wave
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as package:                    # no picture at all: no "YOUR FIRM"
        assert not [n for n in package.namelist() if n.startswith("ppt/media/")]
    assert DEFAULT_TEMPLATE.stat().st_size < 100_000


# --- opens without repair: LibreOffice converts it page for page --------------------------------------

@pytest.fixture(scope="module")
def pdfs(pptx_pdfs):
    return pptx_pdfs


_page_count = page_count


def test_libreoffice_converts_every_slide(pdfs, decks, custom_deck):
    assert _page_count(pdfs["northwind-logistics"]) == len(Presentation(decks["northwind-logistics"]).slides) == 16
    assert _page_count(pdfs["custom"]) == len(Presentation(custom_deck).slides) == 15


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) not installed")
def test_rendered_titles_use_the_template_font(pdfs):
    def fonts(pdf: Path) -> str:
        return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout

    assert "DejaVuSerif" in fonts(pdfs["custom"])
    assert "DejaVuSerif" not in fonts(pdfs["northwind-logistics"])   # the brand template's Arial is used there

