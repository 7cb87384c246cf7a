"""Checks on a table file before any reader parses it: size, zip bombs, far cells, formulas.

The XLSX readers trust a workbook: a 1.7 KB file whose only cell is at
``XFD1048576`` makes them allocate the whole 17-billion-cell grid, and a sheet
that unzips a thousandfold fills memory before failing. So, before parsing:

1. the file's size on disk (`toolkit.run.limits.Limits.file_max_mb`);
2. from the zip directory alone, the declared unzipped size of all parts and
   each large part's compression ratio;
3. streaming through the chosen sheet (never more bytes than the directory
   declared), the rows and columns its cells actually use;
4. cells holding a formula with no saved value. Programs that do not
   calculate (openpyxl, most scripts) write formulas that way, and every
   reader sees a blank: ratings would silently vanish. A saved value is used
   as is (the readers already do that).

Each failure is one problem naming the limit and how to raise it, and the
table is then not read at all.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

import numpy as np

from toolkit.intake.problems import ProblemLog
from toolkit.run.limits import Limits, current, how_to_raise

MB = 1 << 20
RATIO_FLOOR = MB  # parts smaller than this unzipped are never called bombs
CHUNK = 4 * MB
FORMULAS_SHOWN = 10

_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def check_table_file(path: Path, file: str, log_: ProblemLog, *, sheet: str | None = None,
                     default_sheet: str | None = None, limits: Limits | None = None) -> bool:
    """Tell whether ``path`` is safe to hand to a reader; record a problem when not.

    Parameters
    ----------
    path
        A CSV or XLSX table file.
    file
        Its display path, for problems.
    log_
        Where problems go (``file_too_large``, ``xlsx_too_large``, ``xlsx_too_many_cells``,
        ``formula_without_value``).
    sheet, default_sheet
        The sheet the reader will read, chosen as `toolkit.intake.files.read_table` does.
    limits
        Default: the limits in force (`toolkit.run.limits.current`).

    Returns
    -------
    bool
        False when a problem was recorded and the file must not be read. A file
        that is not a readable workbook at all passes: the reader reports it.
    """
    limits = limits or current()
    try:
        size = path.stat().st_size
    except OSError:
        return True  # the reader says why it cannot open it
    if size > limits.file_max_mb * MB:
        log_.add(file, "file_too_large", f"the file is {_size(size)}, more than the toolkit reads; "
                 f"{how_to_raise('file_max_mb', limits.file_max_mb)}",
                 found=_size(size), expected=f"at most {limits.file_max_mb:g} MB")
        return False
    if path.suffix.lower() != ".xlsx":
        return True
    try:
        with zipfile.ZipFile(path) as book:
            if not _zip_sizes_ok(book, file, log_, limits):
                return False
            part, name = _sheet_part(book, sheet, default_sheet)
            if part is None:
                return True
            return _sheet_ok(book, part, name, file, log_, limits)
    except (zipfile.BadZipFile, OSError, KeyError, ElementTree.ParseError, ValueError, EOFError):
        return True  # not a workbook the toolkit can read: the reader reports it as unreadable


def _zip_sizes_ok(book: zipfile.ZipFile, file: str, log_: ProblemLog, limits: Limits) -> bool:
    infos = book.infolist()
    total = sum(i.file_size for i in infos)
    if total > limits.xlsx_max_uncompressed_mb * MB:
        log_.add(file, "xlsx_too_large", f"the workbook unzips to {total / MB:,.0f} MB, more than the toolkit "
                 f"reads (a zip bomb, or far too much data: save the table alone as CSV); "
                 f"{how_to_raise('xlsx_max_uncompressed_mb', limits.xlsx_max_uncompressed_mb)}",
                 found=f"{total / MB:,.0f} MB unzipped", expected=f"at most {limits.xlsx_max_uncompressed_mb:g} MB")
        return False
    for info in infos:
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.xlsx_max_ratio:
                log_.add(file, "xlsx_too_large", f"part {info.filename} unzips {ratio:,.0f} times larger than "
                         f"it is stored (a zip bomb, or a sheet of one value repeated: re-save it in Excel); "
                         f"{how_to_raise('xlsx_max_ratio', limits.xlsx_max_ratio)}",
                         found=f"ratio {ratio:,.0f}", expected=f"at most {limits.xlsx_max_ratio:g}")
                return False
    return True


def _sheet_part(book: zipfile.ZipFile, sheet: str | None, default_sheet: str | None) -> tuple[str | None, str]:
    """The zip part and name of the sheet the reader will read (None when unknown)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    sheets = [(s.get("name", ""), s.get(_REL_NS)) for s in workbook.iter() if _local(s.tag) == "sheet"]
    if not sheets:
        return None, ""
    names = [n for n, _ in sheets]
    if sheet is not None and sheet not in names:
        return None, ""  # the reader reports the missing sheet
    name = sheet or (default_sheet if default_sheet in names else names[0])
    rel_id = dict(sheets)[name]
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship" and rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            return part, name
    return None, name


def _sheet_ok(book: zipfile.ZipFile, part: str, name: str, file: str, log_: ProblemLog, limits: Limits) -> bool:
    max_row = max_col = 0
    has_formula = False
    with book.open(part) as stream:
        for chunk in _chunks(stream):
            rows, cols = max_reference(chunk)
            max_row, max_col = max(max_row, rows), max(max_col, cols)
            # any formula start (a false alarm only costs the exact pass below)
            has_formula = has_formula or b"<f" in chunk or b":f>" in chunk or b":f " in chunk
    cells = max_row * max_col
    if cells > limits.xlsx_max_cells:
        log_.add(file, "xlsx_too_many_cells", f"sheet {name!r} spans {max_row:,} rows x {max_col:,} columns "
                 f"({cells:,} cells), more than the toolkit reads (delete the stray cells far below or right "
                 f"of the table: Ctrl+End shows the last one); "
                 f"{how_to_raise('xlsx_max_cells', limits.xlsx_max_cells)}",
                 found=f"{column_letter(max_col)}{max_row}", expected=f"at most {limits.xlsx_max_cells:,} cells")
        return False
    if has_formula:
        return _formulas_ok(book, part, name, file, log_)
    return True


def max_reference(xml: bytes) -> tuple[int, int]:
    """Return the largest row number and column index among the ``r="..."`` references of sheet XML.

    Rows (``<row r="7">``) and cells (``<c r="AB7">``) both count. Vectorised
    with NumPy over every reference at once: a sheet of a million cells costs
    a fraction of a second, far less than parsing it.

    Examples
    --------
    >>> max_reference(b'<row r="2"><c r="B2"/><c r="AA2"/></row><row r="10"/>')
    (10, 27)
    """
    data = np.frombuffer(xml + b"\0" * 16, dtype=np.uint8)
    n = len(xml)
    if n < 5:
        return 0, 0
    hits = np.flatnonzero((data[:n - 3] == 32) & (data[1:n - 2] == 114) & (data[2:n - 1] == 61)
                          & (data[3:n] == 34))
    if not len(hits):
        return 0, 0
    # the 14 bytes after each ` r="`: up to 4 capitals (a valid column has 1-3), then up to 10 digits
    window = np.lib.stride_tricks.sliding_window_view(data, 14)[hits + 4]
    letter = (window[:, :5] >= 65) & (window[:, :5] <= 90)
    n_letters = np.minimum(np.argmin(np.concatenate([letter, np.zeros((len(hits), 1), bool)], axis=1), axis=1), 4)
    k = np.arange(4)
    powers = np.where(k < n_letters[:, None], 26 ** np.clip(n_letters[:, None] - 1 - k, 0, None), 0)
    cols = ((window[:, :4].astype(np.int64) - 64) * powers).sum(axis=1)
    digits = np.take_along_axis(window, n_letters[:, None] + np.arange(10), axis=1)
    is_digit = (digits >= 48) & (digits <= 57)
    n_digits = np.argmin(np.concatenate([is_digit, np.zeros((len(hits), 1), bool)], axis=1), axis=1)
    k = np.arange(10)
    powers = np.where(k < n_digits[:, None], 10 ** np.clip(n_digits[:, None] - 1 - k, 0, None), 0)
    rows = ((digits.astype(np.int64) - 48) * powers).sum(axis=1)
    return int(rows.max()), int(cols.max())


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream in chunks that overlap a little, so no tag is cut in two."""
    tail = b""
    while True:
        block = stream.read(CHUNK)
        if not block:
            if tail:
                yield tail
            return
        data = tail + block
        cut = data.rfind(b"<")
        cut = cut if cut > 0 else len(data)
        yield data[:cut]
        tail = data[cut:]


def _formulas_ok(book: zipfile.ZipFile, part: str, name: str, file: str, log_: ProblemLog) -> bool:
    """Record one problem per formula cell without a saved value (capped); False if any."""
    missing: list[str] = []
    with book.open(part) as stream:
        for _, elem in ElementTree.iterparse(stream, events=("end",)):
            if _local(elem.tag) != "c":
                continue
            children = {_local(child.tag): child for child in elem}
            value = children.get("v")
            # openpyxl writes an uncalculated formula as <v></v>; an empty text result is t="str"
            if "f" in children and (value is None or (not (value.text or "") and elem.get("t") != "str")):
                missing.append(elem.get("r", "?"))
            elem.clear()
    for ref in missing[:FORMULAS_SHOWN]:
        match = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
        log_.add(file, "formula_without_value", f"cell {ref} of sheet {name!r} holds a formula with no saved value "
                 "(the program that wrote the file did not calculate it), so its value is unknown; open the "
                 "workbook in Excel and save it, or paste values instead of formulas",
                 row=int(match.group(2)) if match else None, column=match.group(1) if match else None,
                 found="a formula without a value", expected="a value, or a formula with its saved value")
    if len(missing) > FORMULAS_SHOWN:
        more = len(missing) - FORMULAS_SHOWN
        log_.add(file, "formula_without_value", f"... and {more} more formula cells of sheet {name!r} with no "
                 "saved value; open the workbook in Excel and save it, or paste values",
                 found=f"{more} more", expected="a value, or a formula with its saved value")
    return not missing


def _size(n_bytes: int) -> str:
    return f"{n_bytes / MB:,.0f} MB" if n_bytes >= 10 * MB else f"{n_bytes / 1024:,.1f} KB"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def column_index(letters: str) -> int:
    """Return the 1-based index of a column name.

    Examples
    --------
    >>> column_index("A"), column_index("AA"), column_index("XFD")
    (1, 27, 16384)
    """
    out = 0
    for ch in letters:
        out = out * 26 + ord(ch) - 64
    return out


def column_letter(index: int) -> str:
    """Return the column name of a 1-based index (``""`` for 0).

    Examples
    --------
    >>> column_letter(1), column_letter(27), column_letter(16384)
    ('A', 'AA', 'XFD')
    """
    out = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out
