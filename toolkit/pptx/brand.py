"""The firm on the PowerPoint deck: theme colours and fonts, logo, footer, table style, properties.

`apply_brand` runs once per deck, before any slide is added:

- on the shipped brand template, the firm's colours and fonts (``firm.yaml``)
  are written into the theme, so titles, text, tables and charts follow them;
  a firm's own template keeps its theme;
- the firm's logo (if any) becomes the master's picture named ``Logo``, with
  alt text; without a logo no picture is added;
- the master's footer text (a shape named ``Footer``) names the client and wave
  exactly as the HTML deck's footer does;
- tables use the template's default table style (`default_table_style`).

`set_properties` fills the document properties (title, subject = client,
keywords = wave, dates, author = the toolkit).
"""
from __future__ import annotations

import datetime as dt
import io
import os
from typing import TYPE_CHECKING, Any

from lxml import etree

from toolkit.deck.firm import Firm, footer_text
from toolkit.pptx.theme import required_child, theme_part

if TYPE_CHECKING:  # pragma: no cover
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout, SlideMaster

#: A python-pptx object whose XML is edited directly (a text frame's runs, a table's properties):
#: python-pptx's oxml element types do not model these edits.
XmlProxy = Any

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A_NS, "p": P_NS}
#: Names of the master's footer text shape (the brand template's, and earlier versions').
FOOTER_SHAPES = ("Footer", "Confidentiality note")
LOGO_NAME = "Logo"
AUTHOR = "Operational Alignment Toolkit"
#: Theme colour slots each firm colour role writes (shipped template only).
THEME_SLOTS = {"primary": ("dk2",), "accent": ("accent1", "hlink"), "accent_2": ("accent2",)}


def recolour_theme(master: SlideMaster, firm: Firm) -> None:
    """Write the firm's colours and fonts into ``master``'s theme (the shipped template only)."""
    part = theme_part(master)
    root = etree.fromstring(part.blob)
    scheme = required_child(root, ".//a:clrScheme", NS)
    for role, slots in THEME_SLOTS.items():
        for slot_name in slots:
            slot = scheme.find(f"a:{slot_name}", NS)
            if slot is None:
                continue
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, f"{{{A_NS}}}srgbClr", val=firm.colors[role].lstrip("#").upper())
    fonts = required_child(root, ".//a:fontScheme", NS)
    required_child(fonts, "a:majorFont/a:latin", NS).set("typeface", firm.fonts["heading"])
    required_child(fonts, "a:minorFont/a:latin", NS).set("typeface", firm.fonts["body"])
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if hasattr(part, "_toolkit_theme_info"):
        del part._toolkit_theme_info


def _remove_named_pictures(owner: SlideMaster | SlideLayout, name: str) -> None:
    tree = owner.shapes._spTree
    for pic in tree.findall(f"{{{P_NS}}}pic"):
        c_nv = pic.find(f"{{{P_NS}}}nvPicPr/{{{P_NS}}}cNvPr")
        if c_nv is not None and c_nv.get("name") == name:
            tree.remove(pic)


def place_logo(prs: Presentation, firm: Firm) -> None:
    """Put the firm's logo on the master (bottom right) in place of any picture named ``Logo``.

    Without a firm logo nothing changes: a firm's own template keeps its logo,
    and the shipped template has none.
    """
    from PIL import Image
    from pptx.oxml.shapes.picture import CT_Picture
    from pptx.util import Inches

    if firm.logo is None:
        return
    data = firm.logo.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        ratio = image.width / max(image.height, 1)
    height = int(Inches(0.36))
    width = min(int(height * ratio), int(Inches(2.2)))
    height = int(width / ratio)
    assert prs.slide_width is not None and prs.slide_height is not None  # a presentation has a slide size
    for master in prs.slide_masters:
        _remove_named_pictures(master, LOGO_NAME)
        for layout in master.slide_layouts:
            _remove_named_pictures(layout, LOGO_NAME)
        _, rid = master.part.get_or_add_image_part(io.BytesIO(data))
        tree = master.shapes._spTree
        shape_id = max([int(x) for x in tree.xpath("//p:cNvPr/@id")] + [1]) + 1
        left = int(prs.slide_width - Inches(0.6) - width)
        top = int(prs.slide_height - Inches(0.5) - (height - Inches(0.32)) / 2)
        pic = CT_Picture.new_pic(shape_id, LOGO_NAME, firm.logo_alt(), rid, left, top, width, height)
        tree.append(pic)


def set_footer(prs: Presentation, text: str) -> int:
    """Write ``text`` into every master's footer shape; return how many were found.

    When a template has none, a footer text box is added to the master, bottom
    left, in the theme's secondary text colour.
    """
    found = 0
    for master in prs.slide_masters:
        for shape in master.shapes:
            if shape.name in FOOTER_SHAPES and shape.has_text_frame:
                _replace_text(shape.text_frame, text)
                shape.name = "Footer"
                found += 1
    if not found:
        assert prs.slide_width is not None and prs.slide_height is not None  # a presentation has a slide size
        for master in prs.slide_masters:
            _add_footer_box(master, text, prs.slide_width, prs.slide_height)
            found += 1
    return found


def _add_footer_box(master: SlideMaster, text: str, slide_width: int, slide_height: int) -> None:
    """A footer text box on a master (python-pptx adds shapes to slides only): bottom left, 9 pt, tx2."""
    tree = master.shapes._spTree
    shape_id = max([int(x) for x in tree.xpath("//p:cNvPr/@id")] + [1]) + 1
    emu = 914400
    left, top, width, height = int(0.6 * emu), int(slide_height - 0.5 * emu), int(slide_width * 0.55), int(0.32 * emu)
    xml = (f'<p:sp xmlns:p="{P_NS}" xmlns:a="{A_NS}"><p:nvSpPr><p:cNvPr id="{shape_id}" name="Footer"/>'
           '<p:cNvSpPr txBox="1"/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm>'
           f'<a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody>'
           '<a:bodyPr wrap="none" lIns="0" rIns="0" tIns="0" bIns="0" anchor="ctr"/><a:lstStyle/><a:p><a:r>'
           '<a:rPr lang="en-GB" sz="900"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill></a:rPr><a:t/>'
           '</a:r></a:p></p:txBody></p:sp>')
    shape = etree.fromstring(xml)
    required_child(shape, f".//{{{A_NS}}}t").text = text  # set as text, never parsed as XML
    tree.append(shape)


def _replace_text(frame: XmlProxy, text: str) -> None:
    """Replace the text of the first run (keeping its formatting) and drop the others."""
    paragraph = frame.paragraphs[0]
    runs = paragraph.runs
    if runs:
        runs[0].text = text
        for extra in runs[1:]:
            extra._r.getparent().remove(extra._r)
    else:
        paragraph.add_run().text = text
    for extra in frame.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)


def default_table_style(prs: Presentation) -> str | None:
    """The template's default table style id (``tableStyles.xml`` ``def``), None when it names none."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = prs.part.part_related_by(RT.TABLE_STYLES)
    except KeyError:
        return None
    root = etree.fromstring(part.blob)
    return root.get("def") or None


def use_template_table_style(frame: XmlProxy) -> None:
    """Give a new table the template's default table style instead of python-pptx's Office blue banding."""
    presentation_part = frame.part.package.presentation_part
    style = getattr(presentation_part, "_toolkit_table_style", False)
    if style is False:
        style = default_table_style(presentation_part.presentation)
        presentation_part._toolkit_table_style = style
    if not style:
        return
    tbl_pr = frame._element.graphic.graphicData.tbl.tblPr
    node = tbl_pr.find(f"{{{A_NS}}}tableStyleId")
    if node is None:
        node = etree.SubElement(tbl_pr, f"{{{A_NS}}}tableStyleId")
    node.text = style


def apply_brand(prs: Presentation, firm: Firm, *, client_name: str, wave: str, shipped_template: bool) -> None:
    """Brand the presentation: theme (shipped template only), logo, footer.

    Parameters
    ----------
    prs
        The presentation opened from the template, before slides are added.
    firm
        The firm's brand (`toolkit.deck.firm.load_firm`).
    client_name, wave
        Named in the footer, as in the HTML deck.
    shipped_template
        True for ``templates/deck/brand.pptx``: the firm's colours and fonts are
        written into its theme. A firm's own template keeps its theme.
    """
    if shipped_template:
        for master in prs.slide_masters:
            recolour_theme(master, firm)
    place_logo(prs, firm)
    set_footer(prs, footer_text(client_name, wave, firm))


def set_properties(prs: Presentation, *, title: str, client_name: str, wave: str, firm: Firm, version: str) -> None:
    """Document properties: title, subject (client), keywords (wave), category, author = the toolkit.

    The dates are now (UTC), or ``$SOURCE_DATE_EPOCH`` when set (reproducible builds).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
           else dt.datetime.now(dt.UTC)).replace(microsecond=0, tzinfo=None)
    props = prs.core_properties
    props.title = title
    props.subject = client_name
    props.keywords = f"wave {wave}; operational alignment"
    props.category = "Operational alignment assessment"
    props.author = AUTHOR
    props.last_modified_by = f"{AUTHOR} {version}"
    props.comments = (f"Client: {client_name}; wave: {wave}" + (f"; prepared by {firm.name}" if firm.name else "")
                      + f"; built by the {AUTHOR} {version}.")
    props.content_status = "Confidential"
    props.created = now
    props.modified = now
    props.revision = 1


__all__ = ["AUTHOR", "apply_brand", "default_table_style", "place_logo", "recolour_theme", "set_footer",
           "set_properties", "use_template_table_style"]
