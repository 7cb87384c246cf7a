"""Shared PPTX test fixtures: the demo stories and decks, a custom-branded template, LibreOffice renders.

Built once per session (conftest imports the fixtures), used by ``test_pptx.py``
and ``test_pptx_native.py``.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = ["harbor-concierge", "northwind-logistics", "swiftmart"]
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
POTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
CUSTOM_FONT, CUSTOM_TITLE_RGB, CUSTOM_ACCENT_RGB = "DejaVu Serif", "8B0000", "7B2D8E"
TIMINGS: dict[str, float] = {}
RENDERED = ("northwind-logistics", "custom")


def rewrite_package(package: Path, out: Path, edit) -> Path:
    """Copy a PowerPoint package, passing each member's bytes through ``edit(name, data)``."""
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, edit(item.filename, src.read(item.filename)))
    return out


def custom_theme(name: str, data: bytes) -> bytes:
    """A firm's own template: serif fonts, a dark red title colour, a purple accent; saved as .potx."""
    if name == "[Content_Types].xml":
        return data.replace(PPTX_MAIN.encode(), POTX_MAIN.encode())
    if not name.startswith("ppt/theme/"):
        return data
    root = etree.fromstring(data)
    for latin in root.iter(f"{A}latin"):
        latin.set("typeface", CUSTOM_FONT)
    for slot, rgb in (("dk2", CUSTOM_TITLE_RGB), ("accent1", CUSTOM_ACCENT_RGB)):
        colour = root.find(f".//{A}clrScheme/{A}{slot}/{A}srgbClr")
        assert colour is not None, f"theme {name} has no {slot} sRGB colour"
        colour.set("val", rgb)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = re.search(r"Pages:\s+(\d+)", out)
        assert pages is not None, out
        return int(pages.group(1))
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


@pytest.fixture(scope="session")
def pptx_stories():
    from toolkit.story import build_story

    return {c: build_story(ROOT / "client_data" / c) for c in CLIENTS}


@pytest.fixture(scope="session")
def pptx_decks(pptx_stories, tmp_path_factory):
    from toolkit.pptx import build_pptx

    out = tmp_path_factory.mktemp("pptx")
    paths = {}
    for client, story in pptx_stories.items():
        started = time.perf_counter()
        paths[client] = build_pptx(story, out / client / "deck.pptx")
        TIMINGS[client] = time.perf_counter() - started
    return paths


@pytest.fixture(scope="session")
def pptx_custom_deck(pptx_stories, tmp_path_factory):
    from toolkit.pptx import build_pptx
    from toolkit.pptx.template import DEFAULT_TEMPLATE

    folder = tmp_path_factory.mktemp("custom")
    potx = rewrite_package(DEFAULT_TEMPLATE, folder / "custom_brand.potx", custom_theme)
    return build_pptx(pptx_stories["harbor-concierge"], folder / "deck.pptx", template=potx)


@pytest.fixture(scope="session")
def pptx_pdfs(pptx_decks, pptx_custom_deck, tmp_path_factory):
    """LibreOffice's PDF of the northwind deck and of the custom-template deck."""
    soffice = shutil.which("soffice")
    if soffice is None:
        reason = "LibreOffice (soffice) not found: install the Debian package libreoffice-impress"
        if os.environ.get("ALIGNMENT_REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
            pytest.fail(reason + " (required in CI)")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("pdf")
    sources = {"northwind-logistics": pptx_decks["northwind-logistics"], "custom": pptx_custom_deck}
    staged = []
    for key, path in sources.items():
        staged.append(folder / f"{key}.pptx")
        shutil.copy(path, staged[-1])
    profile = folder / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, staged)], check=True, capture_output=True, timeout=180)
    return {key: folder / f"{key}.pdf" for key in sources}
