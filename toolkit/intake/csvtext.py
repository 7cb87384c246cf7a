"""Text-level CSV checks: East Asian encodings never read as Windows-1252, and ragged rows.

Called by `toolkit.intake.files.read_table`; kept apart so the reader stays small.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.intake.problems import ProblemLog

EAST_ASIAN = (("shift_jis", "Shift-JIS (Japanese)"), ("gbk", "GBK (Chinese)"), ("big5", "Big5 (Chinese)"),
              ("euc_kr", "EUC-KR (Korean)"))
RAGGED_SHOWN = 10


def guess_east_asian(raw: bytes) -> None:
    """Raise `EncodingGuess` when non-UTF-8 bytes read as Shift-JIS, GBK, Big5 or EUC-KR text."""
    for codec, name in EAST_ASIAN:
        if _looks_like(raw, codec):
            raise EncodingGuess(codec, name)


class EncodingGuess(UnicodeError):
    """CSV bytes that look like a non-Western encoding; the user must name it (``encoding:``)."""

    def __init__(self, codec: str, name: str) -> None:
        super().__init__(codec)
        self.codec, self.name = codec, name


def _looks_like(raw: bytes, codec: str) -> bool:
    """True when ``raw`` decodes strictly as ``codec`` and its non-ASCII text is mostly CJK/kana/hangul."""
    try:
        text = raw[:65536].decode(codec)
    except UnicodeDecodeError:
        try:  # the sample may end inside a character
            text = raw[:65535].decode(codec)
        except UnicodeDecodeError:
            return False
    wide = [ch for ch in text if ord(ch) > 127]
    if not wide:
        return False
    asian = [ch for ch in wide if "\u3000" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
             or "\uff00" <= ch <= "\uffef"]
    # Western text misread this way gives CJK characters whose second byte is an ASCII letter ("é" + "t");
    # real CJK text mostly has both bytes above 127
    high_pairs = sum(1 for ch in asian if len(b := ch.encode(codec)) == 2 and b[1] >= 0x80)
    kana = sum(1 for ch in asian if "\u3040" <= ch <= "\u30ff")  # from lead bytes 0x82/0x83: rare in Western text
    return len(asian) >= 0.9 * len(wide) and (high_pairs >= 0.5 * len(asian) or kana >= 0.3 * len(asian))


def ragged_rows(path: Path, encoding: str, delimiter: str) -> list[tuple[int, int, int]]:
    """Return ``(row, fields, header fields)`` of every record whose field count differs from the header's.

    Blank lines and extra fields that are all empty (a trailing delimiter) are not ragged.
    """
    if encoding in ("utf-8", "utf-8-sig", "cp1252") and len(delimiter) == 1:
        raw = path.read_bytes()
        if b'"' not in raw:  # no quoting: fields are delimiters + 1, counted with numpy (1M rows ~0.1 s)
            return _ragged_unquoted(raw, delimiter, encoding)
    out: list[tuple[int, int, int]] = []
    # A field may be as long as the file (the file-size limit bounds it); text limits are checked later.
    csv.field_size_limit(max(csv.field_size_limit(), min(path.stat().st_size + 1, 2**31 - 1)))
    with open(path, newline="", encoding=encoding) as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = next(reader, [])
        n = len(header)
        while header and header[-1] == "" and n > 1:  # trailing delimiter on the header
            header, n = header[:-1], n - 1
        for i, rec in enumerate(reader, start=2):
            k = len(rec)
            if k == n or k == 0 or (k > n and not any(x.strip() for x in rec[n:])):
                continue
            out.append((i, k, n))
    return out


def _is_ragged(rec: list[str], n: int) -> bool:
    k = len(rec)
    return not (k == n or k == 0 or (k > n and not any(x.strip() for x in rec[n:])))


def _ragged_unquoted(raw: bytes, delimiter: str, encoding: str) -> list[tuple[int, int, int]]:
    """`ragged_rows` for a file without quote characters: one record per line."""
    arr = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(arr == 10)
    if len(ends) == 0 or ends[-1] != len(arr) - 1:
        ends = np.append(ends, len(arr))
    starts = np.concatenate([[0], ends[:-1] + 1])
    per_line = np.bincount(np.searchsorted(ends, np.flatnonzero(arr == ord(delimiter))), minlength=len(ends))
    fields = per_line + 1
    header = next(csv.reader([raw[starts[0]:ends[0]].decode(encoding).lstrip("\ufeff").rstrip("\r")],
                             delimiter=delimiter), [])
    while len(header) > 1 and header[-1] == "":
        header = header[:-1]
    n = len(header)
    out = []
    for i in np.flatnonzero(fields != n)[1:] if fields[0] != n else np.flatnonzero(fields != n):
        if i == 0:
            continue
        line = raw[starts[i]:ends[i]].decode(encoding).rstrip("\r")
        rec = next(csv.reader([line], delimiter=delimiter), []) if line.strip() else []
        if _is_ragged(rec, n):
            out.append((int(i) + 1, len(rec), n))
    return out


def read_ragged(path: Path, encoding: str, delimiter: str, skip_rows: int) -> pd.DataFrame:
    """Read a CSV with ragged rows cell by cell: short rows padded with blanks, extra fields cut."""
    with open(path, newline="", encoding=encoding) as f:
        records = list(csv.reader(f, delimiter=delimiter))
    header = [h.lstrip("\ufeff") for h in records[0]]
    while len(header) > 1 and header[-1] == "":
        header.pop()
    n = len(header)
    body = [(r + [""] * (n - len(r)))[:n] for r in records[1 + skip_rows:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return frame.where(frame != "", np.nan)


def report_ragged(ragged: list[tuple[int, int, int]], file: str, log_: ProblemLog) -> None:
    """Record ``ragged_row`` errors: the first few rows, then one line counting the rest."""
    for row, k, n in ragged[:RAGGED_SHOWN]:
        log_.add(file, "ragged_row", f"row {row} has {k} fields; the header has {n} (a line cut short, "
                 "or a delimiter inside an unquoted value)", row=row, found=f"{k} fields",
                 expected=f"{n} fields, as the header")
    more = len(ragged) - RAGGED_SHOWN
    if more > 0:
        log_.add(file, "ragged_row", f"... and {more:,} more rows whose field count differs from the header's",
                 found=f"{more} more", expected="as many fields as the header", count=more)


def report_encoding(exc: UnicodeError, path: Path, file: str, log_: ProblemLog) -> None:
    """Record ``unknown_encoding``, naming the ``encoding:`` key that fixes it."""
    expected = "UTF-8, UTF-16, or the mapping's encoding"
    if isinstance(exc, EncodingGuess):
        log_.add(file, "unknown_encoding", f"the file is not UTF-8 and looks like {exc.name}; reading it as "
                 f"Windows-1252 would garble it: set `{path.stem}: {{encoding: {exc.codec}}}` in mapping.yaml, "
                 "or save the file as UTF-8", found="not UTF-8", expected=expected)
        return
    codec = getattr(exc, "encoding", "the detected encoding")
    log_.add(file, "unknown_encoding", f"cannot decode the file as {codec}: set `{path.stem}: {{encoding: ...}}` "
             "in mapping.yaml, or save the file as UTF-8", found=codec, expected=expected)
