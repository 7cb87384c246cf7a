"""Hostile and careless client files, built by hand (shared by the corpus script and the tests).

Workbooks are written part by part with `zipfile`, as a generator that does not
calculate (openpyxl, scripts) would: only what a reader needs.
"""
from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):  # ("=formula", cached value or None)
        formula, cached = value
        v = "" if cached is None else f"<v>{cached}</v>"
        return f'<c r="{ref}"><f>{formula.lstrip("=")}</f>{v}</c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[object]], *, dimension: str | None = None) -> bytes:
    """A worksheet part from rows of values (a tuple ``(formula, cached)`` is a formula cell)."""
    parts = [SHEET_HEAD]
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for r, row in enumerate(rows, start=1):
        parts.append(f'<row r="{r}">' + "".join(_cell(f"{column_letter(c)}{r}", v)
                                               for c, v in enumerate(row, start=1)) + "</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts).encode("utf-8")


def write_xlsx(path: Path, sheet: bytes | Iterable[bytes], *, name: str = "Interviews") -> Path:
    """Write a one-sheet workbook whose sheet part is ``sheet`` (bytes, or chunks streamed in)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK.format(name=name))
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        if isinstance(sheet, bytes):
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        else:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                for chunk in sheet:
                    part.write(chunk)
    return path


def far_cell_xlsx(path: Path) -> Path:
    """A tiny workbook whose only cell is the last one a sheet can have (XFD1048576)."""
    return write_xlsx(path, (SHEET_HEAD + '<sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c>'
                             '</row></sheetData></worksheet>').encode())


def bomb_xlsx(path: Path, megabytes: int) -> Path:
    """A workbook whose sheet part unzips to about ``megabytes`` MB of cells (a zip bomb)."""
    row = b'<row r="1"><c r="A1"><v>1</v></c></row>'
    filler = b'<c r="A2"><v>1</v></c>' * 4096  # the same bytes over and over: compresses ~1000:1

    def chunks() -> Iterable[bytes]:
        yield (SHEET_HEAD + "<sheetData>").encode() + row + b'<row r="2">'
        for _ in range(megabytes * (1 << 20) // len(filler)):
            yield filler
        yield b"</row></sheetData></worksheet>"

    return write_xlsx(path, chunks())


def csv_to_rows(text: str) -> list[list[object]]:
    """The rows of a simple CSV (no quoting), numbers as numbers."""
    out: list[list[object]] = []
    for line in text.strip().splitlines():
        cells: list[object] = []
        for cell in line.split(","):
            try:
                cells.append(int(cell))
            except ValueError:
                cells.append(cell)
        out.append(cells)
    return out


def billion_laughs(levels: int = 9, fan_out: int = 9) -> str:
    """A few hundred bytes of YAML whose aliases expand to ``fan_out ** levels`` values."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * fan_out)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"
