"""The offline deck in a real headless Chromium: no network, no errors, no overflow, PDF pages.

Every request the page makes is intercepted: the deck file itself and data:
URIs pass, anything else is counted and aborted. Screenshots of every slide go
to ``tests/artifacts/deck/`` for a person to look at.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from toolkit.deck import export_html, export_pdf
from toolkit.deck.browser import launch_chromium

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).parent / "files" / "deck_sample.executed.json"  # an executed notebook, kept as test data
SLIDES = 7          # see tests/test_deck.py for the sample's slide list
TOLERANCE_PX = 2    # sub-pixel rounding of scrollHeight

SLIDE_BOXES = """(i) => {
  const slide = Reveal.getSlides()[i];
  const at = Reveal.getIndices(slide);
  Reveal.slide(at.h, at.v);
  const box = slide.querySelector('.deck-slide');
  return {present: slide.classList.contains('present'),
          section: [slide.scrollHeight, slide.clientHeight],
          content: [box.scrollHeight, box.clientHeight, box.scrollWidth, box.clientWidth],
          footer: slide.querySelector('.deck-footer').getBoundingClientRect().bottom,
          number: document.querySelector('.reveal .slide-number').textContent.trim()};
}"""


class Session:
    """One page on one deck, with every request, console error and dialog recorded."""

    def __init__(self, browser, deck: Path) -> None:
        self.deck_url = deck.resolve().as_uri()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 720})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.deck_url)
        self.page.wait_for_selector("html[data-deck-ready]", state="attached", timeout=15_000)

    def _route(self, route) -> None:
        url = route.request.url
        if url.split("#")[0].split("?")[0] == self.deck_url or url.startswith("data:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deck") / "deck.html"
    return export_html(SAMPLE, out, client_name="Acme & Sons <b>", wave="2026-Q3")


@pytest.fixture(scope="module")
def browser(chromium_path):
    with launch_chromium(chromium_path) as running:
        yield running


@pytest.fixture(scope="module")
def session(browser, deck):
    opened = Session(browser, deck)
    yield opened
    opened.page.close()


@pytest.fixture(scope="module")
def boxes(session, artifacts_dir) -> list[dict]:
    """Visit every slide in order; measure it and save its screenshot."""
    shots = artifacts_dir / "deck"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("slide-*.png"):
        old.unlink()
    measured = []
    for i in range(session.page.evaluate("Reveal.getTotalSlides()")):
        measured.append(session.page.evaluate(SLIDE_BOXES, i))
        session.page.screenshot(path=str(shots / f"slide-{i + 1:02d}.png"))
    return measured


def test_opening_the_deck_makes_no_network_request(session, boxes):
    # boxes: every slide has been visited, so lazy content had its chance to load
    assert session.blocked == []


def test_no_console_errors_and_no_dialogs(session, boxes):
    assert session.errors == []
    assert session.dialogs == []    # alert(1) / alert(2) never ran


def test_slide_count_and_numbers(session, boxes):
    assert session.page.evaluate("Reveal.getTotalSlides()") == SLIDES
    assert len(boxes) == SLIDES
    assert all(b["present"] for b in boxes)
    assert [re.sub(r"\s+", "", b["number"]) for b in boxes] == [f"{i}/{SLIDES}" for i in range(1, SLIDES + 1)]


def test_no_slide_overflows_its_box(boxes):
    for i, b in enumerate(boxes, start=1):
        section_scroll, section_client = b["section"]
        scroll_h, client_h, scroll_w, client_w = b["content"]
        assert section_client == 720, f"slide {i}"           # 16:9 canvas, viewport 1280x720
        assert section_scroll <= section_client + TOLERANCE_PX, f"slide {i}"
        assert scroll_h <= client_h + TOLERANCE_PX, f"slide {i}: content {scroll_h}px > {client_h}px"
        assert scroll_w <= client_w + TOLERANCE_PX, f"slide {i}: content too wide"
        assert b["footer"] <= 720, f"slide {i}: footer below the slide"


def test_hostile_text_is_shown_as_text(session, boxes):
    text = session.page.inner_text(".reveal .slides")
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "<script>alert(2)</script>" in text
    assert session.page.evaluate("document.querySelectorAll('.slides script, .slides img').length") == 1
    assert session.page.inner_text(".deck-footer >> nth=0") == \
        "Confidential - prepared for Acme & Sons <b>, 2026-Q3"


def test_screenshots_of_every_slide_are_saved(boxes, artifacts_dir):
    shots = sorted((artifacts_dir / "deck").glob("slide-*.png"))
    assert [p.name for p in shots] == [f"slide-{i:02d}.png" for i in range(1, SLIDES + 1)]
    for shot in shots:
        head = shot.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")) == (1280, 720)


def test_the_overflow_check_catches_a_crowded_slide(browser, tmp_path):
    # 30 bullets of 22px text cannot fit in 720 - 52 - 78 px: the check must see it
    bullets = "\n".join(f"- finding number {i}" for i in range(30))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Too much\n\n" + bullets)])
    crowded = export_html(nb, tmp_path / "crowded.html", client_name="A", wave="w")
    opened = Session(browser, crowded)
    try:
        b = opened.page.evaluate(SLIDE_BOXES, 0)
    finally:
        opened.page.close()
    scroll_h, client_h = b["content"][:2]
    assert client_h == 720
    assert scroll_h > client_h + 200


def count_pdf_pages(data: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    import io

    return len(PdfReader(io.BytesIO(data)).pages)


def test_pdf_has_one_page_per_slide(deck, chromium_path, tmp_path):
    out = export_pdf(deck, tmp_path / "deck.pdf", chromium=chromium_path)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert count_pdf_pages(data) == SLIDES
    # 1280 x 720 CSS px = 960 x 540 pt: reveal's @page size, kept by prefer_css_page_size
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes and {(float(w), float(h)) for w, h in boxes} == {(960.0, 540.0)}


def test_missing_deck_fails_before_launching(chromium_path, tmp_path):
    from toolkit.deck.pdf import DeckPdfError

    out = tmp_path / "deck.pdf"
    out.write_bytes(b"%PDF- last good")
    with pytest.raises(DeckPdfError, match="deck not found"):
        export_pdf(tmp_path / "missing.html", out, chromium=chromium_path)
    assert out.read_bytes() == b"%PDF- last good"


def test_a_page_that_never_lays_out_times_out_cleanly(browser, tmp_path):
    from toolkit.deck.pdf import DeckPdfError, DeckPrinter

    not_a_deck = tmp_path / "plain.html"
    not_a_deck.write_text("<!DOCTYPE html><html><body><p>no reveal here</p></body></html>")
    out = tmp_path / "deck.pdf"
    out.write_bytes(b"%PDF- last good")
    with DeckPrinter(timeout_s=1, browser=browser) as printer:
        with pytest.raises(DeckPdfError, match="could not print plain.html") as info:
            printer.print(not_a_deck, out)
    assert "\n" not in str(info.value)
    assert out.read_bytes() == b"%PDF- last good"
    assert browser.is_connected()   # a borrowed browser is left running

