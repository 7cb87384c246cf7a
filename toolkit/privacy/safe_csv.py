"""CSV and XLSX cells that a spreadsheet cannot run as formulas (DESIGN 2.2).

A client name such as ``=HYPERLINK("http://...")`` written as is into a CSV
becomes a live formula when the file is opened in Excel or LibreOffice. Every
text cell the toolkit writes that starts with ``= + - @`` (or a tab or
carriage return, which some spreadsheets skip before such a prefix) is
prefixed with an apostrophe, the spreadsheets' own "this is text" mark.
Numbers are left as numbers (a negative number is not a formula).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """One cell made inert: text starting with a formula prefix gets a leading ``'``.

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise(-3.5), neutralise("Acme")
    (-3.5, 'Acme')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) `neutralise`-d."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, **kwargs: Any) -> Path:
    """`pandas.DataFrame.to_csv` of the `neutralise_frame` copy (``index=False`` by default)."""
    kwargs.setdefault("index", False)
    neutralise_frame(frame).to_csv(path, **kwargs)
    return Path(path)


def write_xlsx(frame: pd.DataFrame, path: str | Path, sheet_name: str = "Sheet1") -> Path:
    """An XLSX of the `neutralise_frame` copy, every text cell stored as a string (never a formula)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.create_sheet(sheet_name, 0)  # a Worksheet (``active`` is typed as possibly a chartsheet or None)
    wb.remove(wb.worksheets[1])  # the workbook's default empty sheet
    safe = neutralise_frame(frame)
    ws.append([str(c) for c in safe.columns])
    for values in safe.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) else v for v in values])
    for cells in ws.iter_rows(min_row=1):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    wb.save(path)
    return Path(path)
