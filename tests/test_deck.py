"""Offline deck export (no browser): self-contained HTML, no code, escaped text, atomic writes.

The sample ``tests/files/deck_sample.executed.json`` is an executed notebook (saved outputs,
kept as test data rather than as a notebook to open), so no kernel runs. Its cells, and the slides a reader should see (7):

    parameters / injected-parameters cells        -> dropped
    1 "# Operational Alignment Assessment"        slide (title layout)
    2 "## Executive summary"                       slide
      code cell without outputs, slide_type=slide  -> dropped, its slide start moves on
    3 "## Alignment by area" + PNG chart           (slide inherited)
    4 "## Department x area" + HTML table          slide
    5 "## What people said" + hostile text         slide (+ a notes cell, + a skip cell)
    6 "## Recommendations" (markdown table)        slide
    7 "### Appendix: method"                       subslide
      cell tagged remove, code cell without outputs -> dropped
"""
from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from toolkit.deck import BrowserNotFound, assets, export_html, export_pdf, find_chromium
from toolkit.deck.firm import footer_text
from toolkit.deck.html import prepare_slides, render_html
from toolkit.errors import AlignmentError, DefinitionError

SAMPLE = Path(__file__).parent / "files" / "deck_sample.executed.json"  # an executed notebook, kept as test data
CLIENT = 'Acme & Sons <b>"Ltd"</b>'
WAVE = "2026-Q3"
EXPECTED_TITLES = [
    "Operational Alignment Assessment",
    "Executive summary",
    "Alignment by area",
    "Department × area",
    "What people said",
    "Recommendations",
    "Appendix: method",
]

EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)  # http://, https://, //host
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def sample_nb() -> nbformat.NotebookNode:
    return nbformat.read(str(SAMPLE), as_version=4)


@pytest.fixture(scope="module")
def deck_html(sample_nb, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("deck") / "deck.html"
    export_html(sample_nb, out, client_name=CLIENT, wave=WAVE)
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def soup(deck_html) -> BeautifulSoup:
    return BeautifulSoup(deck_html, "html.parser")


def leaf_slides(soup: BeautifulSoup) -> list:
    return [s for s in soup.select(".reveal .slides section") if s.find("section") is None]


# --- self-contained, offline ----------------------------------------------------------

def test_no_element_loads_anything_external(soup):
    # every src/href/srcset on a real element is a data: URI or an in-page anchor
    refs = [(tag.name, attr, tag[attr]) for tag in soup.find_all(True)
            for attr in ("src", "href", "srcset", "data", "poster") if tag.has_attr(attr)]
    assert refs, "the sample has images and anchors to check"
    bad = [r for r in refs if not (r[2].startswith("data:") or r[2].startswith("#"))]
    assert bad == []
    assert soup.find_all("link") == []           # no stylesheets or preloads to fetch
    assert soup.find_all("script", src=True) == []
    assert soup.find_all("iframe") == []


def test_css_has_no_import_and_no_external_url(soup):
    css = [s.get_text() for s in soup.find_all("style")]
    css += [t["style"] for t in soup.find_all(style=True)]
    assert len(css) >= 2  # reveal.css + theme.css, inlined
    urls = [u for block in css for u in CSS_URL.findall(block)]
    assert all(u.startswith("data:") for u in urls), [u[:60] for u in urls if not u.startswith("data:")]
    assert not any(CSS_IMPORT.search(block) for block in css)


def test_raw_html_has_no_external_src_href_url_or_import(deck_html):
    # the same check as a plain regex over the whole file, scripts included
    assert re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", deck_html, re.I) == []
    assert re.findall(r"""url\(\s*["']?\s*(?:https?:)?//""", deck_html, re.I) == []
    assert re.findall(r"@import", deck_html, re.I) == []


@pytest.mark.parametrize("needle", [
    "require.js", "require.min.js", "jquery", "MathJax", "mermaid.esm", "fonts.googleapis",
    "unpkg.com", "cdnjs", "cdn.jsdelivr",
])
def test_no_cdn_library_is_referenced(deck_html, needle):
    assert needle.lower() not in deck_html.lower()


def test_reveal_and_theme_are_inlined(deck_html, soup):
    assert assets.reveal_version().split(".")[0] in {"4", "5"}
    assert f"reveal.js {assets.reveal_version()}" in deck_html       # banner of the inlined file
    assert "Reveal.initialize(" in deck_html
    assert "--deck-navy" in deck_html                                 # theme.css
    assert "sourceMappingURL" not in deck_html                        # no .map fetch in devtools
    assert re.search(r"slideNumber:\s*'c/t'", deck_html)
    assert re.search(r"width:\s*1280,\s*height:\s*720", deck_html)    # 16:9
    assert re.search(r"transition:\s*'none'", deck_html)


# --- content: slides, no code, no parameters --------------------------------------------

def test_slides_are_the_expected_seven_in_order(soup):
    slides = leaf_slides(soup)
    titles = [s.find(["h1", "h2", "h3"]).get_text(strip=True).rstrip("¶") for s in slides]
    assert titles == EXPECTED_TITLES
    assert "deck-title" in slides[0].get("class", [])   # title layout on the first slide only
    assert all("deck-title" not in s.get("class", []) for s in slides[1:])


def test_every_slide_has_content_and_one_escaped_footer(soup):
    for slide in leaf_slides(soup):
        footers = slide.select("footer.deck-footer")
        assert len(footers) == 1
        assert footers[0].get_text() == footer_text(CLIENT, WAVE)
        body = slide.select_one(".deck-slide")
        assert body.get_text(strip=True) or body.find("img")   # never an empty slide


@pytest.mark.parametrize("code", [
    'client_name = "Example"',       # parameters cell
    'client_name = "Acme & Sons"',   # injected-parameters cell
    "from toolkit import plots",     # code cell without outputs
    "plots.plot_scorecard(scores)",  # input of a cell whose output is shown
    "show_quotes(quotes)",
    "debug_table",                   # cell tagged remove ...
    "internal debugging output",     # ... and its output
    "This cell is skipped.",         # slide_type skip
    "x = 1",
])
def test_no_input_code_or_removed_cell_reaches_the_deck(deck_html, code):
    assert code not in deck_html


def test_no_prompts_or_input_areas(soup, deck_html):
    assert soup.select(".jp-InputPrompt, .jp-OutputPrompt, .jp-CodeMirrorEditor") == []
    assert "In&nbsp;[" not in deck_html and "Out[" not in deck_html


def test_chart_is_an_inlined_png(soup):
    imgs = soup.select(".deck-slide img")
    assert len(imgs) == 1
    assert imgs[0]["src"].startswith("data:image/png;base64,iVBORw0KGgo")  # PNG magic, base64


def test_speaker_notes_stay_in_an_aside(soup):
    notes = soup.select("aside.notes")
    assert [n.get_text(strip=True) for n in notes] == [
        "Speaker note: stress that quotes are attributed by level only."]


# --- escaping -----------------------------------------------------------------------------

def test_footer_and_title_are_escaped(deck_html, soup):
    assert 'Acme &amp; Sons &lt;b&gt;' in deck_html
    assert '<b>"Ltd"</b>' not in deck_html
    assert soup.title.get_text() == f"{CLIENT} - alignment assessment, {WAVE}"


def test_hostile_client_text_stays_text(deck_html, soup):
    # escaped HTML output and a raw text/plain output: neither becomes markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in deck_html
    assert "&lt;img src=x onerror=alert(1)&gt;" in deck_html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in deck_html
    assert "<script>alert(" not in deck_html
    assert soup.select(".slides script, .slides img[onerror]") == []
    assert "<script>alert(2)</script>" in soup.select_one(".slides pre").get_text()


# --- cell filtering -------------------------------------------------------------------------

def _cell(kind: str, source: str, slide_type: str | None = None, *, tags=(), outputs=None):
    if kind == "markdown":
        cell = nbformat.v4.new_markdown_cell(source)
    else:
        cell = nbformat.v4.new_code_cell(source, outputs=outputs or [])
    if slide_type:
        cell.metadata["slideshow"] = {"slide_type": slide_type}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


OUT = [nbformat.v4.new_output("stream", name="stdout", text="shown\n")]


@pytest.mark.parametrize("tag", ["parameters", "injected-parameters", "remove"])
def test_tagged_cells_are_dropped_even_with_outputs(tag):
    nb = nbformat.v4.new_notebook(cells=[
        _cell("code", "p = 1", "slide", tags=[tag], outputs=OUT),
        _cell("markdown", "## kept", "slide"),
    ])
    assert [c.source for c in prepare_slides(nb).cells] == ["## kept"]


@pytest.mark.parametrize(("dropped_type", "next_type", "expected"), [
    ("slide", "-", "slide"),           # start moves onto the next cell
    ("slide", "fragment", "slide"),
    ("subslide", "-", "subslide"),
    ("slide", "subslide", "slide"),    # the stronger start wins
    ("subslide", "slide", "slide"),    # the next cell's own start is kept
    ("-", "-", "-"),                   # nothing to move
])
def test_slide_start_of_a_dropped_cell_moves_to_the_next_kept_cell(dropped_type, next_type, expected):
    nb = nbformat.v4.new_notebook(cells=[
        _cell("markdown", "# first", "slide"),
        _cell("code", "no outputs", dropped_type),
        _cell("markdown", "next", next_type),
    ])
    cells = prepare_slides(nb).cells
    assert [c.source for c in cells] == ["# first", "next"]
    assert cells[1].metadata["slideshow"]["slide_type"] == expected


def test_prepare_slides_does_not_mutate_its_input(sample_nb):
    before = copy.deepcopy(sample_nb)
    prepare_slides(sample_nb)
    assert sample_nb == before


def test_a_notebook_with_nothing_to_show_is_refused():
    nb = nbformat.v4.new_notebook(cells=[_cell("code", "x = 1", tags=["parameters"]),
                                         _cell("markdown", "note", "notes")])
    with pytest.raises(DefinitionError, match="no cell to show"):
        render_html(nb, client_name="A", wave="w")


def test_widget_state_and_javascript_outputs_are_left_out():
    js = nbformat.v4.new_output("display_data", data={
        "application/javascript": "alert(3)", "text/plain": "<JS fallback>"})
    nb = nbformat.v4.new_notebook(cells=[_cell("markdown", "# t", "slide"),
                                         _cell("code", "js()", outputs=[js])])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    html = render_html(nb, client_name="A", wave="w")
    assert "alert(3)" not in html
    assert "&lt;JS fallback&gt;" in html
    assert "widget-state" not in html


# --- files: path input, determinism, atomic writes ------------------------------------------

def test_export_from_path_is_deterministic(tmp_path, deck_html):
    first = export_html(SAMPLE, tmp_path / "a" / "deck.html", client_name=CLIENT, wave=WAVE)
    second = export_html(SAMPLE, tmp_path / "b" / "deck.html", client_name=CLIENT, wave=WAVE)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8") == deck_html


def test_assets_are_read_once_per_process(sample_nb, tmp_path):
    export_html(sample_nb, tmp_path / "deck.html", client_name="A", wave="w")
    misses = assets.reveal_js.cache_info().misses
    export_html(sample_nb, tmp_path / "deck.html", client_name="B", wave="w")
    assert assets.reveal_js.cache_info().misses == misses == 1


def test_failed_render_leaves_the_existing_deck_untouched(tmp_path):
    out = tmp_path / "deck.html"
    out.write_text("last good deck", encoding="utf-8")
    empty = nbformat.v4.new_notebook(cells=[_cell("code", "x = 1")])
    with pytest.raises(DefinitionError):
        export_html(empty, out, client_name="A", wave="w")
    assert out.read_text(encoding="utf-8") == "last good deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.html"]


def test_failed_write_leaves_the_existing_deck_untouched(tmp_path, sample_nb, monkeypatch):
    out = tmp_path / "deck.html"
    out.write_text("last good deck", encoding="utf-8")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        export_html(sample_nb, out, client_name="A", wave="w")
    assert out.read_text(encoding="utf-8") == "last good deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.html"]  # no temp file left


# --- browser discovery (no browser launched) ------------------------------------------------

def test_env_var_names_the_chromium(tmp_path, monkeypatch):
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("ALIGNMENT_CHROMIUM", str(fake))
    assert find_chromium() == str(fake)


def test_missing_chromium_raises_a_one_line_how_to(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNMENT_CHROMIUM", str(tmp_path / "nowhere"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() is None
    html = tmp_path / "deck.html"
    html.write_text("<html></html>")
    with pytest.raises(BrowserNotFound) as info:
        export_pdf(html, tmp_path / "deck.pdf")
    message = str(info.value)
    assert isinstance(info.value, AlignmentError)
    assert "\n" not in message
    assert "apt-get install chromium" in message and "ALIGNMENT_CHROMIUM" in message
    assert not (tmp_path / "deck.pdf").exists()


def test_warm_up_fills_the_per_process_caches():
    from toolkit.deck import warm_up
    from toolkit.deck.html import _exporter

    warm_up()
    assert _exporter.cache_info().currsize >= 1
    assert assets.reveal_js.cache_info().currsize == 1
    assert assets.theme_css.cache_info().currsize >= 1


def test_importing_the_deck_package_stays_light():
    # the CLI imports toolkit.deck; nbconvert, nbformat and playwright load on first use
    import subprocess
    import sys

    code = ("import sys, toolkit.deck; "
            "print(sorted(m for m in ('nbconvert', 'nbformat', 'playwright') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip() == "[]"


def test_one_cell_with_one_slide_per_output_becomes_that_many_slides():
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    outputs = [new_output("display_data", data={"text/html": f"<h2>slide {i}</h2>"}) for i in range(3)]
    cell = new_code_cell("slides.show_deck(story)", outputs=outputs,
                         metadata={"slideshow": {"slide_type": "slide"}, "tags": ["one-slide-per-output"]})
    out = prepare_slides(new_notebook(cells=[cell]))
    assert [c.outputs[0]["data"]["text/html"] for c in out.cells] == [f"<h2>slide {i}</h2>" for i in range(3)]
    assert [c.metadata["slideshow"]["slide_type"] for c in out.cells] == ["slide"] * 3
    assert len({c["id"] for c in out.cells}) == 3
    assert out.cells[0].metadata["deck_title"] is True
