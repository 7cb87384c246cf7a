"""Generate the firm's PowerPoint brand template, ``templates/deck/brand.pptx``.

Run ``python -m toolkit.pptx.make_brand`` after changing the house look. The
template is made with python-pptx from its default template: 16:9, a theme
with the house colours (the Okabe & Ito palette the charts use, on a navy
text colour) and fonts, and exactly the layouts the PPTX deck needs —
"Title", "Section", "Title and Content", "Two Content", "Blank". Every
content layout shows a footer rule, the footer text (a shape named
``Footer``, which the deck fills with the client and wave) and the slide
number; the firm's logo, when ``templates/deck/firm.yaml`` names one, is
added bottom right when a deck is built. Colours and fonts come from the same
firm file; the default table style is a light one (no Office blue banding).

A firm brands its decks by replacing that one file (or pointing
``build_pptx(template=...)`` / ``ALIGNMENT_PPTX_TEMPLATE`` at its own
.pptx or .potx with the same layout names).
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from toolkit.pptx.theme import required_child
from toolkit.run import resources

if TYPE_CHECKING:  # pragma: no cover
    from pptx.opc.package import Part
    from pptx.presentation import Presentation

    from toolkit.deck.firm import Firm

#: A python-pptx master, layout or shape whose XML is edited directly: python-pptx's oxml element
#: types do not model these edits (and its Length-typed setters take the EMU ints written here).
XmlProxy = Any

BRAND_PATH = resources.template("deck", "brand.pptx")

SLIDE_W, SLIDE_H = 12192000, 6858000  # 13.333 x 7.5 in (16:9), EMU
EMU_PER_INCH = 914400

#: Theme colours (``clrScheme``): navy text, Okabe & Ito accents in the charts' order.
THEME_COLORS: dict[str, str] = {
    "dk2": "1F3A5F", "lt2": "EEF2F6",
    "accent1": "0072B2", "accent2": "E69F00", "accent3": "009E73",
    "accent4": "D55E00", "accent5": "56B4E9", "accent6": "CC79A7",
    "hlink": "0072B2", "folHlink": "5B3A8C",
}

#: The layouts the deck needs, in the template's order (a firm's template must name them the same).
LAYOUT_NAMES: tuple[str, ...] = ("Title", "Section", "Title and Content", "Two Content", "Blank")
_RENAMES = {"Title Slide": "Title", "Section Header": "Section"}

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def _in(value: float) -> int:
    return int(round(value * EMU_PER_INCH))


#: The deck's table style (``tableStyles.xml``): theme colours only, so a recoloured theme recolours it.
TABLE_STYLE_ID = "{8F5B6E2A-3C1D-4E7B-9A0F-6D2C4B1A7E53}"
_RULE = '<a:ln w="{w}" cmpd="sng"><a:solidFill><a:schemeClr val="{c}"/></a:solidFill></a:ln>'
TABLE_STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<a:tblStyleLst xmlns:a="{NS["a"]}" def="{TABLE_STYLE_ID}">'
    f'<a:tblStyle styleId="{TABLE_STYLE_ID}" styleName="Alignment light">'
    '<a:wholeTbl><a:tcTxStyle><a:fontRef idx="minor"><a:prstClr val="black"/></a:fontRef>'
    '<a:schemeClr val="tx1"/></a:tcTxStyle><a:tcStyle><a:tcBdr>'
    '<a:left><a:ln><a:noFill/></a:ln></a:left><a:right><a:ln><a:noFill/></a:ln></a:right>'
    '<a:top><a:ln><a:noFill/></a:ln></a:top>'
    f'<a:bottom>{_RULE.format(w=9525, c="tx2")}</a:bottom>'
    f'<a:insideH>{_RULE.format(w=6350, c="bg2")}</a:insideH>'
    '<a:insideV><a:ln><a:noFill/></a:ln></a:insideV></a:tcBdr>'
    '<a:fill><a:noFill/></a:fill></a:tcStyle></a:wholeTbl>'
    '<a:firstRow><a:tcTxStyle b="on"><a:fontRef idx="minor"><a:prstClr val="black"/></a:fontRef>'
    '<a:schemeClr val="tx2"/></a:tcTxStyle><a:tcStyle><a:tcBdr>'
    f'<a:bottom>{_RULE.format(w=19050, c="tx2")}</a:bottom></a:tcBdr>'
    '<a:fill><a:noFill/></a:fill></a:tcStyle></a:firstRow>'
    '</a:tblStyle></a:tblStyleLst>')

# Geometry (inches): title band on top, content below, footer band at the bottom.
TITLE_BOX = (0.6, 0.62, 12.13, 0.78)
BODY_BOX = (0.6, 1.62, 12.13, 5.05)
LEFT_BOX = (0.6, 1.62, 5.92, 5.05)
RIGHT_BOX = (6.81, 1.62, 5.92, 5.05)
FOOTER_Y = 6.98


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def _set_xfrm(shape: XmlProxy, box: tuple[float, float, float, float]) -> None:
    left, top, width, height = box
    shape.left, shape.top, shape.width, shape.height = _in(left), _in(top), _in(width), _in(height)


def _theme(part: Part, firm: Firm) -> None:
    """Rewrite the theme's name, colour scheme and font scheme (the firm's colours and fonts)."""
    root = etree.fromstring(part.blob)
    root.set("name", "Alignment")
    scheme = required_child(root, ".//a:clrScheme", NS)
    scheme.set("name", "Alignment")
    colors = dict(THEME_COLORS)
    colors.update({"dk2": firm.colors["primary"][1:], "accent1": firm.colors["accent"][1:],
                   "hlink": firm.colors["accent"][1:], "accent2": firm.colors["accent_2"][1:]})
    for key, rgb in colors.items():
        slot = required_child(scheme, f"a:{key}", NS)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, _q("a:srgbClr"), val=rgb)
    fonts = required_child(root, ".//a:fontScheme", NS)
    fonts.set("name", "Alignment")
    required_child(fonts, "a:majorFont/a:latin", NS).set("typeface", firm.fonts["heading"])
    required_child(fonts, "a:minorFont/a:latin", NS).set("typeface", firm.fonts["body"])
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text_styles(master: XmlProxy) -> None:
    """Titles: left, bold, 28 pt, theme navy (tx2); body: 18/16/14 pt in the theme's text colour."""
    styles = master._element.find("p:txStyles", NS)
    title = styles.find("p:titleStyle/a:lvl1pPr", NS)
    title.set("algn", "l")
    rpr = title.find("a:defRPr", NS)
    rpr.set("sz", "2800")
    rpr.set("b", "1")
    rpr.find("a:solidFill/a:schemeClr", NS).set("val", "tx2")
    body = styles.find("p:bodyStyle", NS)
    for level, size in zip(range(1, 10), (1800, 1600, 1400, 1400, 1400, 1400, 1400, 1400, 1400), strict=True):
        ppr = body.find(f"a:lvl{level}pPr", NS)
        if ppr is not None:
            ppr.find("a:defRPr", NS).set("sz", str(size))
            spc = ppr.find("a:spcBef/a:spcPct", NS)
            if spc is not None:
                spc.set("val", "30000")


def _anchor(placeholder: XmlProxy, anchor: str) -> None:
    body_pr = placeholder._element.find(".//a:bodyPr", NS)
    if body_pr is not None:
        body_pr.set("anchor", anchor)


def _shape_via_xml(owner: XmlProxy, box: tuple[float, float, float, float], color: str, name: str) -> None:
    tree = owner.shapes._spTree
    shape_id = max([int(x) for x in tree.xpath("//p:cNvPr/@id")] + [1]) + 1
    left, top, width, height = (_in(v) for v in box)
    xml = (f'<p:sp xmlns:p="{NS["p"]}" xmlns:a="{NS["a"]}"><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
           f'<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{left}" y="{top}"/>'
           f'<a:ext cx="{width}" cy="{height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
           f'<a:solidFill><a:schemeClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
           f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-GB"/></a:p></p:txBody></p:sp>')
    tree.append(etree.fromstring(xml))


def _add_text(owner: XmlProxy, box: tuple[float, float, float, float], text: str, name: str, *, size: int = 900,
              color: str = "tx1", field: str | None = None, align: str = "l") -> None:
    tree = owner.shapes._spTree
    shape_id = max([int(x) for x in tree.xpath("//p:cNvPr/@id")] + [1]) + 1
    left, top, width, height = (_in(v) for v in box)
    rpr = (f'<a:rPr lang="en-GB" sz="{size}" dirty="0"><a:solidFill><a:schemeClr val="{color}"/></a:solidFill>'
           '<a:latin typeface="+mn-lt"/></a:rPr>')
    run = (f'<a:fld id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="{field}">{rpr}<a:t>{text}</a:t></a:fld>'
           if field else f"<a:r>{rpr}<a:t>{text}</a:t></a:r>")
    xml = (f'<p:sp xmlns:p="{NS["p"]}" xmlns:a="{NS["a"]}"><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
           f'<p:cNvSpPr txBox="1"/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{left}" y="{top}"/>'
           f'<a:ext cx="{width}" cy="{height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
           '<a:noFill/></p:spPr><p:txBody><a:bodyPr wrap="none" lIns="0" rIns="0" tIns="0" bIns="0" anchor="ctr"/>'
           f'<a:lstStyle/><a:p><a:pPr algn="{align}"/>{run}</a:p></p:txBody></p:sp>')
    tree.append(etree.fromstring(xml))


def _master_decor(master: XmlProxy) -> None:
    """Accent bar on top, footer rule, footer text and slide number (the firm's logo is added per deck)."""
    _shape_via_xml(master, (0, 0, 13.333, 0.09), "accent1", "Accent bar")
    _shape_via_xml(master, (0.6, FOOTER_Y - 0.08, 12.13, 0.012), "bg2", "Footer rule")
    _add_text(master, (0.6, FOOTER_Y, 7.4, 0.32), "Confidential", "Footer", color="tx2")
    _add_text(master, (8.2, FOOTER_Y, 1.9, 0.32), "‹#›", "Slide number", field="slidenum", align="r", color="tx2")


def _placeholders(layout: XmlProxy, name: str) -> None:
    """Place a layout's placeholders on the 16:9 grid."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    footer_boxes = {PP_PLACEHOLDER.DATE: None, PP_PLACEHOLDER.FOOTER: None, PP_PLACEHOLDER.SLIDE_NUMBER: None}
    bodies = [p for p in layout.placeholders if p.placeholder_format.type not in footer_boxes
              and p.placeholder_format.idx != 0]
    for ph in list(layout.placeholders):
        if ph.placeholder_format.type in footer_boxes:
            ph._element.getparent().remove(ph._element)  # the master's footer band replaces them
    title = next((p for p in layout.placeholders if p.placeholder_format.idx == 0), None)
    if name == "Title":
        _set_xfrm(title, (1.0, 2.2, 11.0, 1.5))
        _anchor(title, "b")
        _set_xfrm(bodies[0], (1.0, 3.9, 11.0, 2.2))
        _anchor(bodies[0], "t")
    elif name == "Section":
        _set_xfrm(title, (1.0, 2.6, 11.0, 1.3))
        _anchor(title, "b")
        _set_xfrm(bodies[0], (1.0, 4.05, 11.0, 1.2))
        _anchor(bodies[0], "t")
    elif name == "Title and Content":
        _set_xfrm(title, TITLE_BOX)
        _set_xfrm(bodies[0], BODY_BOX)
    elif name == "Two Content":
        _set_xfrm(title, TITLE_BOX)
        _set_xfrm(bodies[0], LEFT_BOX)
        _set_xfrm(bodies[1], RIGHT_BOX)


def _cover_decor(layout: XmlProxy, *, dark: bool) -> None:
    """Title and Section layouts: their own look (no master shapes)."""
    layout._element.cSld.getparent().set("showMasterSp", "0")
    if dark:
        bg = etree.fromstring(f'<p:bg xmlns:p="{NS["p"]}" xmlns:a="{NS["a"]}"><p:bgPr><a:solidFill>'
                              '<a:schemeClr val="tx2"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>')
        layout._element.cSld.insert(0, bg)
        _shape_via_xml(layout, (1.0, 2.45 + 1.55, 1.2, 0.06), "accent2", "Accent rule")
        for ph in layout.placeholders:
            for rpr_parent in ph._element.xpath(".//a:lstStyle"):
                rpr_parent.append(etree.fromstring(
                    f'<a:lvl1pPr xmlns:a="{NS["a"]}"><a:defRPr><a:solidFill><a:schemeClr val="bg1"/>'
                    '</a:solidFill></a:defRPr></a:lvl1pPr>'))
    else:
        _shape_via_xml(layout, (0, 0, 0.38, 7.5), "tx2", "Cover band")
        _shape_via_xml(layout, (1.0, 3.78, 1.2, 0.06), "accent1", "Accent rule")
        for ph in layout.placeholders:
            if ph.placeholder_format.idx == 0:
                lst = ph._element.xpath(".//a:lstStyle")[0]
                lst.append(etree.fromstring(f'<a:lvl1pPr xmlns:a="{NS["a"]}"><a:defRPr sz="4000"/></a:lvl1pPr>'))
            else:
                lst = ph._element.xpath(".//a:lstStyle")[0]
                lst.append(etree.fromstring(
                    f'<a:lvl1pPr xmlns:a="{NS["a"]}" marL="0" indent="0" algn="l"><a:buNone/><a:defRPr sz="1800">'
                    '<a:solidFill><a:schemeClr val="tx2"/></a:solidFill></a:defRPr></a:lvl1pPr>'))


def _table_styles(prs: Presentation) -> None:
    """One light table style, the presentation's default: bold header over a rule, thin row rules, no banding."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = prs.part.part_related_by(RT.TABLE_STYLES)
    part._blob = TABLE_STYLES_XML.encode("utf-8")


def make_brand(path: Path = BRAND_PATH, firm: Firm | None = None) -> Path:
    """Build the brand template and write it to ``path``.

    Parameters
    ----------
    path
        Where to write the .pptx (default ``templates/deck/brand.pptx``).
    firm
        A `toolkit.deck.firm.Firm` whose colours and fonts go into the theme;
        default ``templates/deck/firm.yaml``.

    Returns
    -------
    Path
        ``path``.
    """
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.util import Emu

    from toolkit.deck.firm import load_firm

    firm = firm if firm is not None else load_firm()
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    master = prs.slide_master
    _theme(master.part.part_related_by(RT.THEME), firm)
    _text_styles(master)
    _table_styles(prs)

    for ph in master.placeholders:
        idx = ph.placeholder_format.idx
        if idx == 0:
            _set_xfrm(ph, TITLE_BOX)
            _anchor(ph, "b")
        elif idx == 1:
            _set_xfrm(ph, BODY_BOX)
        else:  # date / footer / slide number: replaced by the master's own footer band
            ph._element.getparent().remove(ph._element)
    _master_decor(master)

    for layout in list(prs.slide_layouts):
        name = _RENAMES.get(layout.name, layout.name)
        if name not in LAYOUT_NAMES:
            prs.slide_layouts.remove(layout)
            continue
        layout._element.cSld.set("name", name)
        _placeholders(layout, name)
        if name in ("Title", "Section"):
            _cover_decor(layout, dark=name == "Section")
    props = prs.core_properties
    props.title, props.author, props.subject = "Alignment deck brand template", "Operational Alignment Toolkit", ""
    props.revision = 1
    buffer = io.BytesIO()
    prs.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


if __name__ == "__main__":  # pragma: no cover - script entry point: reports what it wrote
    print(f"wrote {make_brand()}")
