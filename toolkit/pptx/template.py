"""The brand template: find it, open it (.pptx or .potx), check its layouts.

Which template: the ``template=`` argument, else the ``ALIGNMENT_PPTX_TEMPLATE``
environment variable, else the firm's ``templates/deck/brand.pptx``. The deck
is built *in* the template (its masters, layouts and theme), so its fonts,
colours and logo placement are the firm's.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import DefinitionError
from toolkit.run import resources

if TYPE_CHECKING:  # pragma: no cover
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout

#: A template's slide layouts by name (`layouts`).
Layouts = dict[str, "SlideLayout"]

DEFAULT_TEMPLATE = resources.template("deck", "brand.pptx")
TEMPLATE_ENV = "ALIGNMENT_PPTX_TEMPLATE"

#: Layouts the deck places slides on (a firm's template must have them, by these names).
REQUIRED_LAYOUTS: tuple[str, ...] = ("Title", "Title and Content", "Two Content")

_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def resolve_template(template: str | Path | None = None) -> Path:
    """Return the template to use: ``template``, else ``$ALIGNMENT_PPTX_TEMPLATE``, else the brand file.

    Raises
    ------
    DefinitionError
        When the chosen file does not exist or is not a .pptx / .potx.
    """
    chosen = template or os.environ.get(TEMPLATE_ENV) or DEFAULT_TEMPLATE
    path = Path(chosen).expanduser()
    source = "template=" if template else (f"${TEMPLATE_ENV}" if os.environ.get(TEMPLATE_ENV) else "default")
    if path.suffix.lower() not in (".pptx", ".potx"):
        raise DefinitionError(f"PPTX template {path} ({source}): expected a .pptx or .potx file")
    if not path.is_file():
        raise DefinitionError(f"PPTX template {path} ({source}) does not exist")
    return path


def as_presentation_bytes(path: Path) -> bytes:
    """The template's bytes as a presentation package (a .potx's main content type rewritten)."""
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            types = package.read("[Content_Types].xml")
            if _TEMPLATE_MAIN.encode() not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
                for item in package.infolist():
                    content = package.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        content = content.replace(_TEMPLATE_MAIN.encode(), _PRESENTATION_MAIN.encode())
                    rewritten.writestr(item, content)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError) as exc:
        raise DefinitionError(f"PPTX template {path} is not a PowerPoint package: {exc}") from exc


def open_template(path: Path) -> Presentation:
    """Open the template as an empty presentation (its own sample slides removed).

    Raises
    ------
    DefinitionError
        When the file cannot be read as a presentation, or lacks a layout the deck needs.
    """
    from pptx import Presentation

    try:
        prs = Presentation(io.BytesIO(as_presentation_bytes(path)))
    except DefinitionError:
        raise
    except Exception as exc:  # python-pptx raises several types for a broken package
        raise DefinitionError(f"PPTX template {path} cannot be opened: {exc}") from exc
    _drop_slides(prs)
    layouts(prs, path)  # fail early, naming the missing layout
    return prs


def _drop_slides(prs: Presentation) -> None:
    id_list = prs.slides._sldIdLst
    for entry in list(id_list):
        prs.part.drop_rel(entry.rId)
        id_list.remove(entry)


def layouts(prs: Presentation, path: Path | str = "template") -> Layouts:
    """The template's layouts by name, checked to hold every layout in `REQUIRED_LAYOUTS`.

    Raises
    ------
    DefinitionError
        Naming the missing layout(s) and listing the layouts the template has.
    """
    found: Layouts = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name, layout)
    missing = [name for name in REQUIRED_LAYOUTS if name not in found]
    if missing:
        names = ", ".join(repr(m) for m in missing)
        raise DefinitionError(f"PPTX template {path} has no layout named {names}; "
                              f"its layouts are {sorted(found)}; the deck needs {list(REQUIRED_LAYOUTS)}")
    return found
