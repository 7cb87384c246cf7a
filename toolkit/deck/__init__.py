"""Offline decks: one self-contained reveal.js HTML file, and its PDF.

The editable PowerPoint deck is built from the story itself, in `toolkit.pptx`.
"""
from toolkit.deck.browser import BrowserNotFound, find_chromium
from toolkit.deck.html import export_html, warm_up
from toolkit.deck.pdf import DeckPdfError, DeckPrinter, export_pdf

__all__ = ["BrowserNotFound", "DeckPdfError", "DeckPrinter", "export_html", "export_pdf", "find_chromium", "warm_up"]
