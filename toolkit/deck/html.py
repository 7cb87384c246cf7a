"""Export an executed notebook to ONE self-contained, offline reveal.js deck.

The deck is nbconvert's ``SlidesExporter`` with our template
(``templates/deck``): no input cells or prompts, reveal.js 5.x and the house
theme inlined, images already data URIs, and no request to the network when
opened (no require.js, jQuery, MathJax, mermaid, widgets or web fonts).

Slide structure comes from the cells' ``slideshow.slide_type`` metadata
(slide / subslide / fragment / skip / notes), as nbconvert reads it. Before
export, :func:`prepare_slides` drops the cells that would show nothing
(``parameters`` / ``injected-parameters`` / ``remove`` tags, code cells without
outputs, raw cells), moving a dropped cell's slide start onto the next kept cell
so that no slide comes out empty.
"""
from __future__ import annotations

import copy
import functools
import logging
import secrets
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.deck import assets
from toolkit.deck.firm import Firm, brand_css, footer_text, load_firm, logo_data_uri
from toolkit.errors import DefinitionError
from toolkit.run.atomic import write_text_atomic

if TYPE_CHECKING:  # pragma: no cover
    from nbconvert.exporters import SlidesExporter
    from nbformat import NotebookNode

log = logging.getLogger("toolkit")

#: Cells carrying one of these tags never reach a deck.
REMOVE_TAGS = frozenset({"parameters", "injected-parameters", "remove"})

#: Slide size in CSS pixels (16:9).
SLIDE_WIDTH = 1280
SLIDE_HEIGHT = 720

#: Output types a deck shows, best first. JavaScript, widget views and mermaid
#: are left out on purpose: they would run code or fetch libraries when opened.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
]

_SLIDE_RANK = {"slide": 2, "subslide": 1}
SPLIT_TAG = "one-slide-per-output"
_export_lock = threading.Lock()


def _slide_type(cell: NotebookNode) -> str:
    slideshow = cell.get("metadata", {}).get("slideshow") or {}
    return slideshow.get("slide_type") or "-"


def _is_dropped(cell: NotebookNode) -> bool:
    tags = set(cell.get("metadata", {}).get("tags") or ())
    if tags & REMOVE_TAGS:
        return True
    if cell.cell_type == "raw":
        return True
    if cell.cell_type == "code":
        return not cell.get("outputs")
    if cell.cell_type == "markdown":
        return not cell.source.strip()
    return True


def _without_stderr(cell: NotebookNode) -> NotebookNode:
    """A copy of ``cell`` without stderr streams: warnings are for the analyst, not the client."""
    cell = copy.deepcopy(cell)
    if cell.cell_type == "code":
        cell.outputs = [o for o in cell.get("outputs", [])
                        if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return cell


def _one_slide_per_output(cells: list[NotebookNode]) -> list[NotebookNode]:
    """Split each code cell tagged ``one-slide-per-output`` into one slide cell per output.

    The assessment notebook shows the whole deck plan from one cell
    (`toolkit.slides.show_deck`); each displayed slide becomes its own slide here.
    """
    out: list[NotebookNode] = []
    for cell in cells:
        tags = set(cell.get("metadata", {}).get("tags") or ())
        if cell.cell_type != "code" or SPLIT_TAG not in tags:
            out.append(cell)
            continue
        shown = [o for o in cell.get("outputs", []) if o.get("output_type") in ("display_data", "execute_result")]
        for k, output in enumerate(shown):
            part = copy.deepcopy(cell)
            if "id" in part:
                part["id"] = f"{cell['id']}-{k}"
            part.outputs = [output]
            part.metadata["tags"] = [t for t in tags if t != SPLIT_TAG]
            part.metadata.setdefault("slideshow", {})["slide_type"] = "slide"
            out.append(part)
    return out


def prepare_slides(nb: NotebookNode) -> NotebookNode:
    """Return a copy of ``nb`` holding only the cells a deck shows.

    Drops stderr output (warnings), cells tagged ``parameters``, ``injected-parameters`` or ``remove``,
    raw cells, empty markdown cells and code cells without outputs. When a
    dropped cell started a slide (or subslide), the start moves to the next kept
    cell, unless that cell starts one of its own; so content never merges into
    the previous slide and no slide comes out empty. The first shown cell gets
    ``metadata.deck_title`` (the title-slide layout). The input is not mutated.

    Parameters
    ----------
    nb
        An executed notebook.

    Returns
    -------
    NotebookNode
        A new notebook with the kept cells.

    Raises
    ------
    DefinitionError
        When no cell would be shown.
    """
    kept: list[NotebookNode] = []
    pending: str | None = None  # a slide start waiting for the next kept cell
    for cell in _one_slide_per_output(nb.cells):
        kind = _slide_type(cell)
        cell = _without_stderr(cell)
        if _is_dropped(cell):
            if kind in _SLIDE_RANK and _SLIDE_RANK[kind] > _SLIDE_RANK.get(pending or "", 0):
                pending = kind
            continue
        if pending is not None and kind not in ("notes", "skip"):
            if _SLIDE_RANK.get(kind, 0) < _SLIDE_RANK[pending]:
                cell.metadata.setdefault("slideshow", {})["slide_type"] = pending
            pending = None
        kept.append(cell)
    shown = [c for c in kept if _slide_type(c) not in ("notes", "skip")]
    if not shown:
        raise DefinitionError("the notebook has no cell to show in a deck (all dropped, skipped or notes)")
    shown[0].metadata["deck_title"] = True  # the first slide gets the title layout
    out = copy.copy(nb)
    out.cells = kept
    out.metadata = copy.deepcopy(nb.metadata)
    out.metadata.pop("widgets", None)  # widget state would pull in the widget manager from a CDN
    return out


@functools.lru_cache(maxsize=4)
def _exporter(template_dir: str) -> SlidesExporter:
    """Build (once per template folder) the configured ``SlidesExporter``."""
    from nbconvert.exporters import SlidesExporter
    from traitlets.config import Config

    folder = Path(template_dir)
    if not (folder / "index.html.j2").is_file():
        raise DefinitionError(f"deck template not found: {folder / 'index.html.j2'}")
    config = Config()
    config.CSSHTMLHeaderPreprocessor.enabled = False  # pygments CSS: no code is shown
    config.NbConvertBase.display_data_priority = list(DISPLAY_PRIORITY)  # read by the output filter
    exporter = SlidesExporter(
        config=config,
        template_name=folder.name,
        extra_template_basedirs=[str(folder.parent)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_raw=True,
        exclude_unknown=True,
    )
    return exporter


def render_html(nb: NotebookNode, *, client_name: str, wave: str,
                template_dir: Path | None = None, firm: Firm | None = None) -> str:
    """Render the deck's HTML as a string (no file written).

    Parameters
    ----------
    nb
        An executed notebook; not mutated.
    client_name, wave
        Shown in the footer of every slide and the page title (escaped).
    template_dir
        Deck template folder; default ``templates/deck`` of the repository.
    firm
        The firm's brand (colours, fonts, logo, name in the footer); default
        `toolkit.deck.firm.load_firm` (``templates/deck/firm.yaml``).

    Returns
    -------
    str
        One HTML document with every script, stylesheet and image inlined.
    """
    folder = (template_dir or assets.default_template_dir()).resolve()
    firm = firm if firm is not None else load_firm()
    slides = prepare_slides(nb)
    token = "deck-asset-" + secrets.token_hex(8)
    resources = {
        "metadata": {"name": "deck"},
        "deck": {
            "title": f"{client_name} - alignment assessment, {wave}",
            "footer": footer_text(client_name, wave, firm),
            "brand_css": brand_css(firm),
            "logo": logo_data_uri(firm),
            "logo_alt": firm.logo_alt(),
            "token": token,
            "width": SLIDE_WIDTH,
            "height": SLIDE_HEIGHT,
        },
    }
    inlined = {
        "reveal_css": assets.reveal_css(),
        "theme_css": assets.theme_css(folder),
        "reveal_js": assets.reveal_js(),
        "notes_js": assets.notes_js(),
    }
    with _export_lock:  # an exporter registers filters per call: one render at a time
        body, _ = _exporter(str(folder)).from_notebook_node(slides, resources=resources)
    # Substitute the big assets after nbconvert's HTML clean-up pass; the markers
    # sit in <head>, before any notebook content, and carry a per-render token.
    for name, text in inlined.items():
        marker = f"/*{token}:{name}*/"
        if marker not in body:
            raise DefinitionError(f"deck template lacks the {name} marker")
        body = body.replace(marker, text, 1)
    return body


def export_html(notebook: NotebookNode | Path, out: Path, *, client_name: str, wave: str,
                template_dir: Path | None = None) -> Path:
    """Write the notebook as ONE self-contained offline HTML deck, atomically.

    Parameters
    ----------
    notebook
        An executed notebook, or the path of one (``.ipynb``).
    out
        Where to write the deck (e.g. ``reports/acme/2026-Q3/deck.html``). Written
        to a temporary file in the same folder and moved into place, so a failed
        export leaves an existing deck untouched.
    client_name, wave
        Shown (escaped) in the footer "Confidential - prepared for <client>, <wave>" (and "by <firm>").
    template_dir
        Deck template folder; default ``templates/deck`` of the repository.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    DefinitionError
        When the template or reveal.js is missing, or no cell is left to show.

    Examples
    --------
    >>> export_html(Path("assessment.ipynb"), Path("deck.html"),
    ...             client_name="Acme", wave="2026-Q3")  # doctest: +SKIP
    """
    if isinstance(notebook, (str, Path)):
        import nbformat

        nb = nbformat.read(str(notebook), as_version=4)
    else:
        nb = notebook
    html = render_html(nb, client_name=client_name, wave=wave, template_dir=template_dir)
    out = Path(out)
    write_text_atomic(out, html)
    log.info("deck written: %s (%d kB)", out, len(html.encode("utf-8")) // 1024)
    return out


def warm_up(template_dir: Path | None = None) -> None:
    """Pay the first-export costs once, ahead of time: render a one-slide notebook.

    Loads nbconvert, compiles the deck template, reads the inlined assets and
    primes the markdown renderer and the HTML clean-up pass (compiled regular
    expressions). A batch worker calls this at start so its first client's
    export is as fast as the next ones (all caches are per process).
    """
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    probe = new_notebook(cells=[
        new_markdown_cell("# warm-up\n\n- a *list*"),
        new_code_cell("", outputs=[new_output("display_data", data={"text/html": "<p>x</p>"})]),
    ])
    render_html(probe, client_name="warm-up", wave="-", template_dir=template_dir)
