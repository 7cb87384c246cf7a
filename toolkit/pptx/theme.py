"""What a slide's template says about type and colour: its theme fonts and colour slots.

Charts and tables read these so that they look like the template they sit on:
chart text is set in the theme's body (minor) font, named explicitly (viewers
such as LibreOffice do not resolve ``+mn-lt`` inside charts), and series use
theme colour slots (``accent1`` ...), which a firm's template recolours.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree

if TYPE_CHECKING:  # pragma: no cover
    from pptx.opc.package import Part
    from pptx.slide import SlideMaster

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"a": A_NS}
FALLBACK_FONT = "Arial"


@dataclass(frozen=True)
class ThemeInfo:
    """The theme of a slide master: heading and body fonts, colour slots as hex (``RRGGBB``)."""

    heading_font: str
    body_font: str
    colors: dict[str, str]


def required_child(node: etree._Element, path: str, namespaces: dict[str, str] = NS) -> etree._Element:
    """``node.find(path, namespaces)`` for an element the DrawingML schema requires.

    Raises
    ------
    KeyError
        When ``node`` lacks it (a broken theme or master).
    """
    found = node.find(path, namespaces)
    if found is None:
        raise KeyError(f"<{etree.QName(node).localname}> has no {path}")
    return found


def theme_part(master: SlideMaster) -> Part:
    """The theme part of a slide master."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return master.part.part_related_by(RT.THEME)


def theme_of(slide_or_master: Any) -> ThemeInfo:
    """The theme fonts and colours that apply to ``slide_or_master`` (a slide, layout or master).

    Parameters
    ----------
    slide_or_master
        A python-pptx slide, slide layout or slide master.

    Returns
    -------
    ThemeInfo
        Fonts fall back to Arial when the theme names none (an empty typeface).
    """
    master = slide_or_master
    if hasattr(master, "slide_layout"):
        master = master.slide_layout
    if hasattr(master, "slide_master"):
        master = master.slide_master
    part = theme_part(master)
    cached: ThemeInfo | None = getattr(part, "_toolkit_theme_info", None)
    if cached is not None:
        return cached
    root = etree.fromstring(part.blob)
    major = root.find(".//a:fontScheme/a:majorFont/a:latin", NS)
    minor = root.find(".//a:fontScheme/a:minorFont/a:latin", NS)
    colors: dict[str, str] = {}
    scheme = root.find(".//a:clrScheme", NS)
    if scheme is not None:
        for slot in scheme:
            name = etree.QName(slot).localname
            child = slot[0] if len(slot) else None
            if child is None:
                continue
            value = child.get("val") if etree.QName(child).localname == "srgbClr" else child.get("lastClr")
            if value:
                colors[name] = value.upper()
    info = ThemeInfo(heading_font=(major.get("typeface") if major is not None else "") or FALLBACK_FONT,
                     body_font=(minor.get("typeface") if minor is not None else "") or FALLBACK_FONT,
                     colors=colors)
    part._toolkit_theme_info = info  # type: ignore[attr-defined]  # our cache on the part: the theme does not change while a deck is built
    return info


__all__ = ["ThemeInfo", "required_child", "theme_of", "theme_part"]
