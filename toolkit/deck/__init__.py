"""Offline decks: one self-contained reveal.js HTML file, and its PDF."""
from toolkit.deck.browser import BrowserNotFound, find_chromium
from toolkit.deck.html import export_html, warm_up
from toolkit.deck.pdf import DeckPdfError, DeckPrinter, export_pdf

__all__ = ["BrowserNotFound", "DeckPdfError", "DeckPrinter", "export_html", "export_pdf",
           "export_pptx", "find_chromium", "warm_up"]


def __getattr__(name: str):
    # export_pptx lives in toolkit.deck.pptx (python-pptx is heavy): imported on first use
    if name == "export_pptx":
        from toolkit.deck.pptx import export_pptx

        return export_pptx
    raise AttributeError(f"module 'toolkit.deck' has no attribute {name!r}")
