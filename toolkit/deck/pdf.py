"""Print an offline deck to PDF, one page per slide, with the system Chromium.

reveal.js lays out its print view asynchronously from ``deck.html?print-pdf``,
so ``chromium --print-to-pdf`` prints blank pages with reveal 5.x. Instead,
Playwright opens the page, waits for reveal's ``pdf-ready`` event (flagged on
``<html data-pdf-ready>`` by our template, once every ``.pdf-page`` exists) and
the fonts, and calls ``page.pdf(prefer_css_page_size=True, print_background=True)``: reveal's
``@page`` rule sets the page to the slide size (1280 x 720 px).

A batch worker calls `keep_browser_open` once: `export_pdf` then launches one
Chromium per worker thread and keeps it for every later deck (about 0.4 s and
a lot of CPU saved per client), each deck printed in its own fresh browser
context and page, closed after that deck: nothing of one client's page
(storage, cache, cookies) is ever seen by another's. A browser that died is
launched again for the next deck.
"""
from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from toolkit.deck.browser import launch_chromium, resolve_chromium
from toolkit.errors import AlignmentError
from toolkit.run.atomic import write_bytes_atomic

if TYPE_CHECKING:  # pragma: no cover
    from contextlib import AbstractContextManager

    from playwright.sync_api import Browser, Route

log = logging.getLogger("toolkit")


#: Resolves once reveal has laid out its print view (the ``pdf-ready`` event, flagged by our template on
#: ``<html data-pdf-ready>``, comes after every ``.pdf-page`` is in place) and the fonts are loaded.
#: It waits for that change instead of testing a condition on every animation frame (Playwright's
#: default polling): each of those frames is painted for nothing, about 0.05 s of CPU per deck.
#: Given to ``wait_for_function``, which awaits the promise under its own time-out.
PRINT_READY = """() => new Promise(resolve => {
  const root = document.documentElement;
  const ready = () => root.dataset.pdfReady === '1';
  const done = () => document.fonts.ready.then(() => resolve(true));
  if (ready()) { done(); return; }
  const watch = new MutationObserver(() => { if (ready()) { watch.disconnect(); done(); } });
  watch.observe(root, {attributes: true, attributeFilter: ['data-pdf-ready']});
})"""


class DeckPdfError(AlignmentError):
    """Chromium could not print the deck (timeout, crash, missing file)."""


def _allow_local_only(route: Route) -> None:
    """Playwright route handler: let file: and data: through, abort anything else."""
    url = route.request.url
    if url.startswith(("file:", "data:", "blob:", "about:")):
        route.continue_()
    else:
        log.warning("deck PDF: blocked a network request to %s", url[:200])
        route.abort()


class DeckPrinter:
    """A running Chromium that prints decks to PDF; reuse it for many decks.

    Parameters
    ----------
    chromium
        Chromium executable; default :func:`toolkit.deck.browser.find_chromium`.
    timeout_s
        Time allowed for launching, and for each deck to load and print.
    browser
        An already running Playwright ``Browser`` to print with (left open on
        exit); default: launch the system Chromium and close it on exit.

    Examples
    --------
    >>> with DeckPrinter() as printer:  # doctest: +SKIP
    ...     for deck in decks:
    ...         printer.print(deck, deck.with_suffix(".pdf"))
    """

    def __init__(self, chromium: str | None = None, *, timeout_s: float = 60,
                 browser: Browser | None = None) -> None:
        self.chromium = chromium
        self.timeout_s = timeout_s
        self._given = browser
        self._context: AbstractContextManager[Browser] | None = None
        self._browser = browser

    def __enter__(self) -> DeckPrinter:
        if self._given is None:
            self._context = launch_chromium(self.chromium, timeout_s=self.timeout_s)
            self._browser = self._context.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        context, self._context = self._context, None
        self._browser = self._given
        if context is not None:
            context.__exit__(exc_type, exc, tb)

    @property
    def connected(self) -> bool:
        """True while the browser runs."""
        return self._browser is not None and self._browser.is_connected()

    def print(self, html: Path, out: Path) -> Path:
        """Print ``html`` (a deck file) to ``out`` atomically; return ``out``.

        Raises
        ------
        DeckPdfError
            When the deck is missing or does not lay out in time.
        """
        if self._browser is None:
            raise RuntimeError("DeckPrinter.print() needs 'with DeckPrinter() as printer:'")
        from playwright.sync_api import Error as PlaywrightError

        html = Path(html).resolve()
        if not html.is_file():
            raise DeckPdfError(f"deck not found: {html}")
        timeout_ms = self.timeout_s * 1000
        context = self._browser.new_context(viewport={"width": 1280, "height": 720})  # fresh per deck
        page = context.new_page()
        try:
            page.route("**/*", _allow_local_only)
            page.goto(html.as_uri() + "?print-pdf", wait_until="load", timeout=timeout_ms)
            page.wait_for_function(PRINT_READY, timeout=timeout_ms)
            data = page.pdf(prefer_css_page_size=True, print_background=True)
        except PlaywrightError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DeckPdfError(f"could not print {html.name} to PDF: {first_line}") from exc
        finally:
            context.close()
        write_bytes_atomic(Path(out), data)
        return Path(out)


_keep_open = False
_shared = threading.local()


def keep_browser_open(enabled: bool = True) -> None:
    """Keep one Chromium per thread of this process open across `export_pdf` calls (batch workers)."""
    global _keep_open
    _keep_open = enabled
    if not enabled:
        close_shared_browser()


def warm_browser(chromium: str | None = None, timeout_s: float = 60) -> bool:
    """Keep this thread's Chromium open (`keep_browser_open`) and launch it now; True when it runs.

    A batch worker calls it as it starts, so the launch overlaps the scoring
    phase instead of delaying the worker's first PDF. Never raises: without a
    Chromium the first deck's PDF says why, as before.
    """
    keep_browser_open()
    try:
        resolve_chromium(chromium)
        return _shared_printer(chromium, timeout_s).connected
    except Exception as exc:
        log.debug("could not launch Chromium ahead of the first PDF: %s", exc)
        return False


def close_shared_browser() -> None:
    """Close this thread's kept-open Chromium, if any (at exit, or after it misbehaved)."""
    printer = getattr(_shared, "printer", None)
    _shared.printer = None
    if printer is not None:
        try:
            printer.__exit__(None, None, None)
        except Exception as exc:  # a browser that already died
            log.debug("closing the kept-open Chromium: %s", exc)


def _shared_printer(chromium: str | None, timeout_s: float) -> DeckPrinter:
    printer = getattr(_shared, "printer", None)
    if printer is not None and (printer.chromium != chromium or not printer.connected):
        close_shared_browser()
        printer = None
    if printer is None:
        printer = DeckPrinter(chromium, timeout_s=timeout_s).__enter__()
        _shared.printer = printer
        if threading.current_thread() is threading.main_thread():
            atexit.register(close_shared_browser)
    return printer


def _export_pdf(html: Path, out: Path, chromium: str | None, timeout_s: float, keep: bool = True) -> Path:
    start = time.perf_counter()
    resolve_chromium(chromium)  # BrowserNotFound before anything else
    if not html.is_file():
        raise DeckPdfError(f"deck not found: {html}")
    if _keep_open and keep:
        try:
            printer = _shared_printer(chromium, timeout_s)
            printer.timeout_s = timeout_s
            printer.print(html, out)
        except BaseException:
            close_shared_browser()  # the next deck gets a fresh browser
            raise
    else:
        with DeckPrinter(chromium, timeout_s=timeout_s) as printer:
            printer.print(html, out)
    log.info("deck PDF written: %s (%.2f s)", out, time.perf_counter() - start)
    return Path(out)


def export_pdf(html: Path, out: Path, *, chromium: str | None = None, timeout_s: float = 60) -> Path:
    """Print an offline deck (from :func:`toolkit.deck.export_html`) to PDF.

    One page per slide, at the slide size, backgrounds printed; written
    atomically (a failure leaves an existing PDF untouched). Works from inside
    a running asyncio loop (e.g. a Jupyter kernel) by printing in a worker thread.

    Parameters
    ----------
    html
        The deck file.
    out
        Where to write the PDF.
    chromium
        Chromium executable; default ``$ALIGNMENT_CHROMIUM``, then ``chromium``
        or ``chromium-browser`` on PATH.
    timeout_s
        Seconds allowed for launching Chromium and for the deck to lay out.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    BrowserNotFound
        When no Chromium is found (the message says how to get one).
    DeckPdfError
        When the deck is missing or Chromium cannot print it in time.
    """
    if _keep_open and getattr(_shared, "printer", None) is not None:
        # this thread's kept-open browser: its own Playwright loop is the one that seems to run
        return _export_pdf(Path(html), Path(out), chromium, timeout_s)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _export_pdf(Path(html), Path(out), chromium, timeout_s)
    # Playwright's sync API refuses to run inside an event loop: use a thread (a throw-away
    # one, so no browser is kept open in it).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_export_pdf, Path(html), Path(out), chromium, timeout_s, False).result()
