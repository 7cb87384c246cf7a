"""One Chromium per batch worker: `keep_browser_open` reuses a browser across decks, a fresh context each.

In its own module: the browser tests' module fixtures run Playwright in the
main thread, and `export_pdf` then prints from a throw-away thread.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.deck import export_html, export_pdf

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).parent / "files" / "deck_sample.executed.json"
SLIDES = 7


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    return export_html(SAMPLE, tmp_path_factory.mktemp("deck") / "deck.html", client_name="Acme", wave="2026-Q3")


def count_pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_a_kept_open_chromium_prints_many_decks_each_in_a_fresh_context(deck, chromium_path, tmp_path):
    from toolkit.deck import pdf

    pdf.keep_browser_open()
    try:
        first = export_pdf(deck, tmp_path / "one.pdf", chromium=chromium_path)
        printer = pdf._shared.printer
        browser = printer._browser
        assert browser.is_connected() and browser.contexts == []      # the deck's context is closed
        second = export_pdf(deck, tmp_path / "two.pdf", chromium=chromium_path)
        assert pdf._shared.printer is printer and printer._browser is browser  # the same Chromium
        assert browser.contexts == []
        assert count_pdf_pages(first.read_bytes()) == count_pdf_pages(second.read_bytes()) == SLIDES

        not_a_deck = tmp_path / "plain.html"                            # a deck that fails...
        not_a_deck.write_text("<!DOCTYPE html><html><body><p>no reveal here</p></body></html>")
        from toolkit.deck.pdf import DeckPdfError

        with pytest.raises(DeckPdfError):
            export_pdf(not_a_deck, tmp_path / "bad.pdf", chromium=chromium_path, timeout_s=2)
        assert pdf._shared.printer is None and not browser.is_connected()  # ...closes that browser
        third = export_pdf(deck, tmp_path / "three.pdf", chromium=chromium_path)
        assert pdf._shared.printer is not printer and count_pdf_pages(third.read_bytes()) == SLIDES
    finally:
        pdf.keep_browser_open(False)
    assert pdf._shared.printer is None


def test_a_worker_launches_its_chromium_ahead_and_its_first_deck_uses_it(deck, chromium_path, tmp_path, monkeypatch):
    from toolkit.deck import pdf

    monkeypatch.setenv("ALIGNMENT_CHROMIUM", chromium_path)
    assert pdf._shared.printer is None
    try:
        assert pdf.warm_browser() is True                                  # launched before any deck
        printer = pdf._shared.printer
        browser = printer._browser
        assert browser.is_connected() and browser.contexts == []
        out = export_pdf(deck, tmp_path / "first.pdf")
        assert pdf._shared.printer is printer and printer._browser is browser  # the first deck used it
        assert count_pdf_pages(out.read_bytes()) == SLIDES
    finally:
        pdf.keep_browser_open(False)
    assert pdf._shared.printer is None


def test_warm_browser_without_chromium_says_no_and_never_raises(monkeypatch):
    from toolkit.deck import pdf

    monkeypatch.setenv("ALIGNMENT_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("PATH", "/nonexistent")
    try:
        assert pdf.warm_browser() is False
        assert getattr(pdf._shared, "printer", None) is None
    finally:
        pdf.keep_browser_open(False)
