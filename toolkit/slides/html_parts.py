"""The building blocks of a slide: an HTML fragment, escaped text, a chart as an image.

Every slide is one HTML output, so the deck controls its own layout and every
client string goes through `esc` on its way in (client text is never trusted).
"""
from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from toolkit.run import resources

SLIDES_CSS = resources.template("slides.css")
CHART_DPI = 110  # figure dpi: sets line widths and font sizes relative to the slide
CHART_SIZE = (11.6, 4.6)  # inches: fills a 16:9 slide under its title
LONG_TITLE = 62  # characters: a longer action title is set smaller (two lines still fit)


@dataclass(frozen=True, repr=False)
class Slide:
    """One slide's content; Jupyter and nbconvert show it through ``_repr_html_``."""

    html: str
    title: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        # Jupyter also stores text/plain; the default repr would duplicate the whole HTML there.
        return f"Slide({self.title!r})"


def esc(value: object) -> str:
    """Escape any value for HTML (client text is never trusted)."""
    return html.escape(str(value), quote=True)


def fmt(value: object, digits: int = 0, *, suffix: str = "") -> str:
    """Format a number for a slide; absent (NaN/None) shows as an en dash."""
    if value is None:
        return "–"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return esc(value)
    if math.isnan(number):
        return "–"
    return f"{number:.{digits}f}{suffix}"


def band_class(band: object) -> str:
    """CSS class of a band (``aligned`` / ``partly`` / ``misaligned``)."""
    text = str(band or "").lower()
    if text.startswith("partly"):
        return "band-partly"
    if text.startswith("mis"):
        return "band-misaligned"
    if text.startswith("aligned"):
        return "band-aligned"
    return "band-none"


def chart(draw: Callable[[Axes], object], *, size: tuple[float, float] = CHART_SIZE, alt: str = "chart",
          rc: dict[str, Any] | None = None) -> str:
    """Draw with ``draw(ax)`` in the house theme (plus ``rc``) and return an inline ``<img>``."""
    from toolkit.plots import theme

    with theme(rc):
        fig = Figure(figsize=size, dpi=CHART_DPI, layout="constrained")
        draw(fig.add_subplot())
        buffer = io.BytesIO()
        # SVG (text as paths): crisp on any projector and in the PDF, and ~20 % cheaper
        # to render than a PNG of the same chart, which matters once per chart per client.
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="oat-chart" alt="{esc(alt)}" src="data:image/svg+xml;base64,{data}">'


def section(title: str, body: str, *, kicker: str = "", classes: str = "") -> Slide:
    """Wrap a slide body with its title (titles are escaped here)."""
    head = f'<div class="oat-kicker">{esc(kicker)}</div>' if kicker else ""
    size = " oat-title-long" if len(title) > LONG_TITLE else ""
    return Slide(f'<div class="oat-slide {classes}">{head}<h2 class="oat-title{size}">{esc(title)}</h2>'
                 f'<div class="oat-body">{body}</div></div>', title)


def caption(text: str) -> str:
    """A caption paragraph (escaped); nothing for an empty caption."""
    return f'<p class="oat-caption">{esc(text)}</p>' if text else ""


def stylesheet() -> str:
    """The slides' CSS as a ``<style>`` element (emitted once, by the title slide)."""
    return f"<style>{SLIDES_CSS.read_text(encoding='utf-8')}</style>"


def table(rows: list[list[str]], header: list[str], *, classes: str = "") -> str:
    """An HTML table from already-escaped cell strings."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="oat-table {classes}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
