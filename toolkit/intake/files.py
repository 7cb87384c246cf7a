"""Reading client tables: find the file, sniff encoding and delimiter, number the rows.

CSV files may be UTF-8 (with or without a byte-order mark), UTF-16, Windows-1252
or the encoding ``mapping.yaml`` names,
and comma-, semicolon-, tab- or pipe-delimited (European exports use ``;``
with a decimal comma). XLSX workbooks are read from a named sheet when
present, else the first sheet; the header is row 1.

Every table comes back as text-or-native cells with the **spreadsheet row
number as the index** (header = row 1, first data row = 2, plus any skipped
header rows), so every later problem can name the row a person sees. Input
files are only ever opened for reading.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import logging
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from toolkit.intake.csvtext import guess_east_asian, ragged_rows, read_ragged, report_encoding, report_ragged
from toolkit.intake.problems import ProblemLog
from toolkit.intake.safe_xlsx import check_table_file

log = logging.getLogger("toolkit")

TABLE_SUFFIXES = (".csv", ".xlsx")

try:  # the fast XLSX reader raises its own errors for a broken workbook
    from python_calamine import CalamineError as _CalamineError
except ImportError:  # pragma: no cover - openpyxl only
    class _CalamineError(Exception):  # type: ignore[no-redef]
        """Placeholder when python-calamine is absent."""
DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Table:
    """A table read from one client file.

    Attributes
    ----------
    frame
        Cells as read (text, or numbers/dates from XLSX), NaN when empty;
        index = spreadsheet row number; column names stripped of whitespace.
    file
        Display path of the file (relative to the client folder's parent).
    path
        The file itself.
    delimiter
        The CSV delimiter found (``""`` for XLSX).
    """

    frame: pd.DataFrame
    file: str
    path: Path
    delimiter: str = ""


def display_path(path: Path, root: Path) -> str:
    """Return ``path`` relative to the parent of the client folder ``root`` (as posix text)."""
    try:
        return path.resolve().relative_to(root.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()


def find_table(folder: Path, stem: str) -> list[Path]:
    """Return the existing ``<stem>.csv`` / ``<stem>.xlsx`` files in ``folder``."""
    return [folder / f"{stem}{s}" for s in TABLE_SUFFIXES if (folder / f"{stem}{s}").is_file()]


def sniff_encoding(raw: bytes) -> str:
    """Return the codec of CSV bytes: a BOM's (UTF-8/16/32), UTF-16 without BOM, ``utf-8`` or ``cp1252``.

    Raises `EncodingGuess` when the bytes are not UTF-8 and look like an East
    Asian encoding (Shift-JIS, GBK, Big5, EUC-KR): reading them as Windows-1252
    would garble every character, so the user names the encoding instead.

    Examples
    --------
    >>> sniff_encoding(b"\\xef\\xbb\\xbfa,b"), sniff_encoding(b"caf\\xc3\\xa9"), sniff_encoding(b"caf\\xe9")
    ('utf-8-sig', 'utf-8', 'cp1252')
    >>> sniff_encoding("a,b".encode("utf-16"))
    'utf-16'
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return codec
    head = raw[:4096]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):  # ASCII text as UTF-16: every other byte is 0
        return "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    guess_east_asian(raw)  # raises EncodingGuess rather than garble it as cp1252
    return "cp1252"


def sniff_delimiter(header_line: str) -> str:
    """Return the delimiter that splits the header line into the most fields (``,`` on a tie).

    Examples
    --------
    >>> sniff_delimiter("kpi_id;department;period;value"), sniff_delimiter("a,b")
    (';', ',')
    """
    best, best_n = ",", 0
    for d in DELIMITERS:
        n = len(next(csv.reader([header_line], delimiter=d), []))
        if n > best_n:
            best, best_n = d, n
    return best


def read_table(path: Path, root: Path, log_: ProblemLog, *, skip_rows: int = 0,
               sheet: str | None = None, default_sheet: str | None = None,
               numeric: Callable[[list[str]], list[str]] | None = None,
               encoding: str | None = None) -> Table | None:
    """Read one CSV or XLSX table; on failure record a problem and return None.

    Parameters
    ----------
    path
        The file.
    root
        The client folder (for display paths).
    log_
        Where problems go (``empty_file``, ``unreadable_file``).
    skip_rows
        Extra header rows directly under the header to skip (e.g. 2 for Qualtrics).
    sheet, default_sheet
        XLSX sheet to read; ``sheet`` must exist, ``default_sheet`` is used
        when present, else the first sheet.
    numeric
        Given the CSV header, the columns worth reading straight as floats (a
        speed-up for a million KPI values); if any cell is not a number the
        file is read again as text, so problems are still reported per cell.
    encoding
        The CSV codec (``mapping.yaml``'s ``encoding:``); default: sniffed
        (BOM, UTF-16, UTF-8, else Windows-1252; East Asian bytes are an
        ``unknown_encoding`` problem, never read garbled). Rows whose field
        count differs from the header's are ``ragged_row`` errors.
    """
    file = display_path(path, root)
    if not check_table_file(path, file, log_, sheet=sheet, default_sheet=default_sheet):
        return None  # too large, a zip bomb, or formulas without values: never parsed
    try:
        if path.suffix.lower() == ".xlsx":
            frame, delim = _read_xlsx(path, skip_rows, sheet, default_sheet), ""
        else:
            frame, delim, ragged = _read_csv(path, skip_rows, numeric, encoding)
            report_ragged(ragged, file, log_)
    except _Empty:
        log_.add(file, "empty_file", "the file is empty; expected a header row and data")
        return None
    except KeyError as exc:  # missing sheet
        log_.add(file, "unreadable_file", str(exc.args[0]), found=sheet, expected="an existing sheet")
        return None
    except UnicodeError as exc:  # EncodingGuess or a codec failure: the fix is `encoding:` in mapping.yaml
        report_encoding(exc, path, file, log_)
        return None
    except (pd.errors.ParserError, zipfile.BadZipFile, OSError, ValueError,
            _CalamineError) as exc:
        log_.add(file, "unreadable_file", f"cannot read the file: {exc}".strip())
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    # a trailing delimiter makes an unnamed, empty column: nothing to lose, so it goes
    unnamed_empty = [c for c in frame.columns if c.startswith("Unnamed: ") and frame[c].isna().all()]
    frame = frame.drop(columns=unnamed_empty)
    frame.index = pd.RangeIndex(2 + skip_rows, 2 + skip_rows + len(frame))
    if len(frame.columns):  # blank lines keep their numbers, then go (only rows blank in column 1 are checked)
        candidates = frame.index[frame.iloc[:, 0].isna().to_numpy()]
        if len(candidates):
            blank = candidates[frame.loc[candidates].isna().all(axis=1).to_numpy()]
            frame = frame.drop(index=blank)
    log.debug("read %s: %d rows x %d columns", file, len(frame), frame.shape[1])
    return Table(frame=frame, file=file, path=path, delimiter=delim)


class _Empty(Exception):
    pass


def _read_csv(path: Path, skip_rows: int, numeric: Callable[[list[str]], list[str]] | None,
              encoding: str | None = None) -> tuple[pd.DataFrame, str, list[tuple[int, int, int]]]:
    raw = path.read_bytes()
    encoding = encoding or sniff_encoding(raw)
    text_head = raw[:65536].decode(encoding, errors="replace")
    del raw
    if not text_head.strip():
        raise _Empty
    header_line = text_head.lstrip("\ufeff").splitlines()[0]
    delim = sniff_delimiter(header_line)
    ragged = ragged_rows(path, encoding, delim)
    if ragged:
        return read_ragged(path, encoding, delim, skip_rows), delim, ragged
    skiprows = range(1, 1 + skip_rows) if skip_rows else None

    def read(dtype: type[str] | defaultdict[str, type[str] | str]) -> pd.DataFrame:
        return pd.read_csv(path, dtype=dtype, sep=delim, encoding=encoding, keep_default_na=False, na_values=[""],
                           skip_blank_lines=False, skiprows=skiprows)

    fast = numeric([c.strip() for c in next(csv.reader([header_line], delimiter=delim), [])]) if numeric else []
    try:
        if fast:
            try:
                types: defaultdict[str, type[str] | str] = defaultdict(lambda: str, {c: "float64" for c in fast})
                return read(types), delim, []
            except (ValueError, TypeError):
                pass  # some cell is not a number: read as text and report it
        return read(str), delim, []
    except pd.errors.EmptyDataError as exc:
        raise _Empty from exc


def excel_engine() -> Literal["calamine", "openpyxl"]:
    """Return ``"calamine"`` when python-calamine is installed (~15x faster), else ``"openpyxl"``."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "calamine"


def _read_xlsx(path: Path, skip_rows: int, sheet: str | None, default_sheet: str | None) -> pd.DataFrame:
    with pd.ExcelFile(path, engine=excel_engine()) as book:
        names = book.sheet_names
        if sheet is not None and sheet not in names:
            raise KeyError(f"the workbook has no sheet {sheet!r}; sheets are {names}")
        name = sheet or (default_sheet if default_sheet in names else names[0])
        frame = pd.read_excel(book, sheet_name=name, header=0, dtype=object,
                              skiprows=range(1, 1 + skip_rows) if skip_rows else None)
    if frame.shape[1] == 0:
        raise _Empty
    return frame


def cell_text(value: object) -> str | None:
    """Return a cell as text: integral numbers without ``.0``, dates ISO, blanks None.

    Examples
    --------
    >>> cell_text(7.0), cell_text(" Sales "), cell_text(float("nan")), cell_text(dt.datetime(2026, 3, 1))
    ('7', 'Sales', None, '2026-03-01')
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def text_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(codes, labels)``: each cell as an index into distinct stripped texts, -1 when blank.

    Each distinct raw value is converted once (`cell_text`), so a million
    cells with a few hundred distinct values cost a few hundred conversions.
    """
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    texts = np.array([cell_text(u) for u in uniques], dtype=object)
    blank = np.array([t is None for t in texts], dtype=bool)
    # distinct raw values may clean to the same text (' a' and 'a'): re-code on the clean text
    recode, labels = pd.factorize(texts, use_na_sentinel=True)
    recode = np.where(blank, -1, recode)
    lookup = np.append(recode, -1)  # code -1 (blank) stays -1
    return lookup[codes], np.asarray(labels, dtype=object)


def text_column(series: pd.Series) -> pd.Series:
    """Return a column as stripped text (object, None for blanks), converting each distinct value once."""
    codes, labels = text_codes(series)
    mapped = np.append(labels, np.array([None], dtype=object)).astype(object)
    return pd.Series(mapped[codes], index=series.index, dtype=object)
