"""The one writer of CSV (core/csv_text.py: the command line uses it too) and XLSX files: every table the app
offers as a spreadsheet goes through here.

Spreadsheets never evaluate a value from us (OWASP's "CSV injection"): a text cell (or heading) starting
with = + - @, a tab or a carriage return gets a leading ' in both formats, and XLSX stores every text cell
as text, never as a formula. Numbers stay numbers (-5 is the number -5, not text) and missing values are
empty cells. CSV is UTF-8 with a BOM (so Excel reads æøå) and CRLF line ends; XLSX sheets get a bold,
frozen heading row and column widths that fit.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from core.csv_text import FORMULA_STARTS, csv_bytes, neutralise
from core.values import is_missing

__all__ = ["FORMULA_STARTS", "csv_bytes", "neutralise", "xlsx_bytes"]

SHEET_NAME_LIMIT = 31  # characters, Excel's limit


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One sheet per table, in the mapping's order, named by its key (cut to Excel's 31 characters)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, table in sheets.items():
        _sheet(workbook, title[:SHEET_NAME_LIMIT], table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Workbook, title: str, table: pd.DataFrame) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([_cell_value(c) for c in table.columns])
    for values in table.itertuples(index=False, name=None):
        sheet.append([_cell_value(v) for v in values])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula (openpyxl reads any "=..." string as one)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width, 8), 60) + 2


def _cell_value(value: object) -> object:
    """What openpyxl should store: None for missing, Python numbers for numpy ones, neutralised text."""
    if isinstance(value, np.number | np.bool_):
        value = value.item()
    if is_missing(value):
        return None
    return neutralise(value)
