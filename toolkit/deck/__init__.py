"""Offline decks: one self-contained reveal.js HTML file, and its PDF."""
from toolkit.deck.browser import BrowserNotFound, find_chromium
from toolkit.deck.html import export_html
from toolkit.deck.pdf import export_pdf

__all__ = ["BrowserNotFound", "export_html", "export_pdf", "find_chromium"]
