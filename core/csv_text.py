"""The one CSV writer (and its formula guard), low enough for the command line to use it too; exports/tables.py
offers it with the XLSX writer.

Spreadsheets never evaluate a value from us (OWASP's "CSV injection"): a text cell (or heading) starting with
= + - @, a tab or a carriage return gets a leading '. Numbers stay numbers (-5 is the number -5, not text). CSV is
UTF-8 with a BOM (so Excel reads æøå) and CRLF line ends.
"""

from __future__ import annotations

import pandas as pd

from core.text import xml_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text a spreadsheet would read as a formula, with a leading apostrophe, and no character a workbook cannot
    hold; anything else as it is."""
    if isinstance(value, str):
        value = xml_text(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as CSV without its index, text cells neutralised."""
    out = table.copy()
    out.columns = [neutralise(c) for c in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not is_plain_data(column):
            out.isetitem(i, column.astype(object).map(neutralise))
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def is_plain_data(column: pd.Series) -> bool:
    """Numbers, booleans, dates and durations: no cell of such a column can be text."""
    return (
        pd.api.types.is_numeric_dtype(column)
        or pd.api.types.is_bool_dtype(column)
        or pd.api.types.is_datetime64_any_dtype(column)
        or pd.api.types.is_timedelta64_dtype(column)
    )
