"""One self-contained HTML page of the explorer's current view, to e-mail to a client without Jupyter.

The page holds the scorecard, every area's detail, the charts (PNG, inlined
as data URIs, each stamped with client, wave, date, filters and what-if
weights) and the quotes, all already protected by the explorer's privacy
path. It loads nothing: no script, no font, no stylesheet from anywhere, and
a Content-Security-Policy (``default-src 'none'``) makes the browser refuse
any request a future edit might add.
"""
from __future__ import annotations

import base64
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from toolkit.explore.engine import View
from toolkit.explore.panels import area_html, esc, quotes_html, scorecard_html
from toolkit.model import AREAS

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = """
body {font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1000px; color: #1a1a1a;}
h1 {font-size: 1.5em; margin-bottom: 0;} h2 {font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc;}
.oat-stamp {color: #555; margin-top: 4px;} .oat-whatif {color: #A04000;}
.oat-table td, .oat-table th {padding: 2px 10px; text-align: left;} .oat-oai {font-size: 1.2em; margin: 6px 0;}
.oat-note, .oat-attr {color: #555; font-size: 0.9em;} .oat-areas {display: grid; grid-template-columns: 1fr 1fr;
gap: 0 24px;} img {max-width: 100%;} details.oat-legend {margin-top: 8px;}
@media print {details.oat-legend {display: block;}}
"""


def view_html(view: View, pngs: Mapping[str, bytes], stamp: str, *, baseline: View | None = None,
              quotes: pd.DataFrame | None = None) -> str:
    """The page of one protected view.

    Parameters
    ----------
    view
        The protected view shown in the explorer.
    pngs
        Chart name -> stamped PNG bytes.
    stamp
        Client, wave, date, filters and weights (`toolkit.explore.export.export_stamp`).
    baseline
        The same filters at the client's weights (for the what-if line).
    quotes
        The quotes panel's rows (`ExploreEngine.quotes`), or None for no quotes section.
    """
    a = view.assessment
    title = f"{a.client_name} · wave {a.wave} · {view.filters.describe()}"
    charts = "".join(f'<h2>{esc(name.replace("_", " ").capitalize())}</h2>'
                     f'<img alt="{esc(name)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'
                     for name, png in pngs.items())
    areas = "" if view.hidden else ('<h2>Areas</h2><div class="oat-areas">'
                                    + "".join(area_html(view, area) for area in AREAS) + "</div>")
    voice = "" if quotes is None else "<h2>Quotes</h2>" + quotes_html(quotes, view)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{esc(a.client_name)}: alignment, wave {esc(a.wave)}</h1>"
            f'<p class="oat-stamp">{esc(stamp)}</p>'
            f"{scorecard_html(view, baseline)}{areas}{charts}{voice}"
            '<p class="oat-note">Produced with the Operational Alignment Toolkit\'s explorer. Groups below the '
            "privacy threshold are suppressed; quotes are attributed by level only.</p></body></html>\n")


def view_pdf(html: str | Path, out: str | Path, *, chromium: str | None = None, timeout_s: float = 60) -> Path:
    """Print the shared page to PDF (A4 landscape) with the deck's system Chromium, offline.

    Runs Playwright in a worker thread, so it also works from inside a Jupyter
    kernel's running event loop. Every request except the file itself is aborted.

    Raises
    ------
    toolkit.deck.browser.BrowserNotFound
        When no Chromium is installed (the HTML page is still written).
    """
    import concurrent.futures

    from toolkit.deck.browser import launch_chromium, resolve_chromium
    from toolkit.run.atomic import write_bytes_atomic

    resolve_chromium(chromium)
    page_file = Path(html).resolve()

    def run() -> bytes:
        with launch_chromium(chromium, timeout_s=timeout_s) as browser:
            page = browser.new_page()
            try:
                page.route("**/*", lambda route: route.continue_() if route.request.url == page_file.as_uri()
                           or route.request.url.startswith("data:") else route.abort())
                page.goto(page_file.as_uri(), wait_until="load", timeout=timeout_s * 1000)
                page.evaluate("() => document.querySelectorAll('details').forEach((d) => d.open = true)")
                return page.pdf(format="A4", landscape=True, print_background=True,
                                margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
            finally:
                page.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        data = pool.submit(run).result()
    write_bytes_atomic(Path(out), data)
    return Path(out)
