"""The firm's brand, in one file read by both decks: name, logo, colours and fonts.

``templates/deck/firm.yaml`` (or the file named by ``$ALIGNMENT_FIRM``) says
who the deck is from. The HTML deck takes its colours, fonts, logo and footer
from it; the PowerPoint deck applies the same to the shipped brand template
(a firm's own .pptx/.potx template keeps its own theme, and gets the logo and
footer). The default is neutral: no firm name, no logo, no placeholder text.

Example ``firm.yaml``::

    name: Meridian Partners
    logo: meridian.png          # relative to this file; PNG or JPEG
    colors: {primary: "#1F3A5F", accent: "#0072B2", accent_2: "#E69F00"}
    fonts: {heading: Arial, body: Arial}
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import DefinitionError
from toolkit.run import resources

DEFAULT_FIRM_FILE = resources.template("deck", "firm.yaml")
FIRM_ENV = "ALIGNMENT_FIRM"

#: Colour roles and their neutral defaults (hex ``#RRGGBB``).
DEFAULT_COLORS: dict[str, str] = {
    "primary": "#1F3A5F",   # titles (PowerPoint theme dk2)
    "accent": "#0072B2",    # kickers, rules, a chart's first series (accent1)
    "accent_2": "#E69F00",  # a chart's second series (accent2)
    "text": "#2B303A",      # body text
    "muted": "#6B7280",     # captions and footers
}
DEFAULT_FONTS: dict[str, str] = {"heading": "Arial", "body": "Arial"}
LOGO_TYPES = (".png", ".jpg", ".jpeg")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_FONT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,62}$")


@dataclass(frozen=True)
class Firm:
    """The firm a deck is from.

    Attributes
    ----------
    name
        Shown in the footer ("... by <name>") and the document properties; "" for none.
    logo
        A PNG or JPEG file, or None (no logo anywhere).
    colors
        Hex colours by role (`DEFAULT_COLORS` keys).
    fonts
        ``heading`` and ``body`` font family names.
    """

    name: str = ""
    logo: Path | None = None
    colors: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLORS))
    fonts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FONTS))

    def logo_alt(self) -> str:
        """Alternative text of the logo picture."""
        return f"{self.name} logo" if self.name else "Firm logo"


def firm_file(path: str | Path | None = None) -> Path:
    """The firm file to read: ``path``, else ``$ALIGNMENT_FIRM``, else ``templates/deck/firm.yaml``."""
    return Path(path or os.environ.get(FIRM_ENV) or DEFAULT_FIRM_FILE).expanduser()


def load_firm(path: str | Path | None = None) -> Firm:
    """Read the firm's brand.

    Parameters
    ----------
    path
        A firm.yaml; default `firm_file`. A missing default file gives the neutral `Firm()`.

    Returns
    -------
    Firm

    Raises
    ------
    DefinitionError
        Naming the file and key: an unknown key, a colour that is not ``#RRGGBB``,
        a font name with characters other than letters, digits, spaces and
        hyphens, or a logo that is missing or not a PNG/JPEG.

    Examples
    --------
    >>> load_firm().name
    ''
    """
    import yaml

    source = firm_file(path)
    if not source.is_file():
        if path is None and not os.environ.get(FIRM_ENV):
            return Firm()
        raise DefinitionError(f"firm file {source} does not exist")
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DefinitionError(f"{source}: cannot be read as YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise DefinitionError(f"{source}: expected a mapping of name, logo, colors, fonts")
    unknown = sorted(set(raw) - {"name", "logo", "colors", "fonts"})
    if unknown:
        raise DefinitionError(f"{source}: unknown key(s) {unknown}; the keys are name, logo, colors, fonts")
    name = " ".join(str(raw.get("name") or "").split())
    colors = dict(DEFAULT_COLORS)
    for key, value in (raw.get("colors") or {}).items():
        if key not in DEFAULT_COLORS:
            raise DefinitionError(f"{source}: colors.{key} is not a colour role; roles are {list(DEFAULT_COLORS)}")
        if not _HEX.match(str(value)):
            raise DefinitionError(f"{source}: colors.{key}: expected a colour like #1F3A5F, found {value!r}")
        colors[key] = str(value).upper()
    fonts = dict(DEFAULT_FONTS)
    for key, value in (raw.get("fonts") or {}).items():
        if key not in DEFAULT_FONTS:
            raise DefinitionError(f"{source}: fonts.{key} is not a font role; roles are {list(DEFAULT_FONTS)}")
        if not _FONT.match(str(value)):
            raise DefinitionError(f"{source}: fonts.{key}: expected a font family name, found {value!r}")
        fonts[key] = str(value)
    logo = None
    if raw.get("logo"):
        logo = (source.parent / str(raw["logo"])).resolve()
        if logo.suffix.lower() not in LOGO_TYPES or not logo.is_file():
            raise DefinitionError(f"{source}: logo {raw['logo']!r}: expected a PNG or JPEG file next to the firm file")
    return Firm(name=name, logo=logo, colors=colors, fonts=fonts)


def footer_text(client_name: str, wave: str, firm: Firm | None = None) -> str:
    """The plain-text footer of every slide, in both decks (escaped where rendered).

    Examples
    --------
    >>> footer_text("Acme & Sons", "2026-Q3")
    'Confidential - prepared for Acme & Sons, 2026-Q3'
    >>> footer_text("Acme", "2026-Q3", Firm(name="Meridian Partners"))
    'Confidential - prepared for Acme, 2026-Q3 by Meridian Partners'
    """
    text = f"Confidential - prepared for {client_name}, {wave}"
    return f"{text} by {firm.name}" if firm is not None and firm.name else text


def brand_css(firm: Firm) -> str:
    """CSS custom properties that put the firm's colours and fonts on the HTML deck's theme.

    Only validated values reach it (hex colours, plain font names), so it needs no escaping.
    """
    c, f = firm.colors, firm.fonts
    fallback = '"Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif'
    return (":root {"
            f" --deck-navy: {c['primary']}; --deck-accent: {c['accent']}; --deck-ink: {c['text']};"
            f" --deck-muted: {c['muted']};"
            f' --deck-font: "{f["body"]}", {fallback};'
            f' --deck-heading-font: "{f["heading"]}", {fallback}; }}\n'
            ".reveal h1, .reveal h2, .reveal h3 { font-family: var(--deck-heading-font); }\n"
            ".reveal .deck-footer .deck-logo { height: 18px; width: auto; vertical-align: middle;"
            " margin-right: 12px; }\n")


def logo_data_uri(firm: Firm) -> str:
    """The logo as a ``data:`` URI for the offline HTML deck ("" without a logo)."""
    import base64

    if firm.logo is None:
        return ""
    kind = "png" if firm.logo.suffix.lower() == ".png" else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(firm.logo.read_bytes()).decode("ascii")


__all__ = ["DEFAULT_COLORS", "DEFAULT_FONTS", "FIRM_ENV", "Firm", "brand_css", "firm_file", "footer_text",
           "load_firm", "logo_data_uri"]
