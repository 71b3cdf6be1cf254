"""Tables in files (.csv, .txt, .xlsx): one decoder (loaders/files/text.py), one way to find a CSV's layout, one way
to open a workbook; and `read_table` for exports whose header row may sit below a title and empty rows.

A CSV's layout is its encoding (UTF-8, else Windows-1252: what Excel in Norway writes for "CSV (semikolon)"), its
separator (";", "," or tab) and its header row: `find_header` scores the first rows under each separator and takes
the first row that scores enough under the separator where it scores most. Imports score a row by the column names
they expect (`sniff_csv`); uploads by its number of cells, so their header is the first row that is not blank
(loaders/files/points.py). Exports from norskeutslipp.no and Miljødirektoratet put a title, a date line or empty
rows above the header: `read_table` finds it by the names it expects, maps them case-insensitively, and yields each
data row as a dict keyed by the expected names, with the row number a spreadsheet program would show.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.progress import Progress
from loaders.errors import FileFormatError, SchemaError
from loaders.files.text import decode_text

HEADER_SEARCH_ROWS = 50  # title blocks are a few rows; a header further down is not this format
SNIFF_BYTES = 65536  # the head of a file its layout is found from
_DELIMITERS = (";", ",", "\t")


class MissingColumnError(SchemaError):
    """The header row lacks a column the format needs. `str()` names the column and the file."""

    def __init__(self, column: str, file: str, what: str, expected: tuple[str, ...], header_row: int | None = None):
        super().__init__(
            None,
            column,
            "column_of",
            code="missing_column",
            file=file,
            what=what,
            columns=tuple(expected),
            header_row=header_row or None,
        )
        self.file = file


@dataclass(frozen=True)
class Table:
    header_row: int  # 1-based, as a spreadsheet program numbers rows
    columns: tuple[str, ...]  # the expected names found, in canonical spelling
    rows: Iterator[tuple[int, dict[str, object]]]


@dataclass(frozen=True)
class CsvLayout:
    """How a CSV file is laid out, found from its head."""

    encoding: str
    delimiter: str
    header_index: int  # records (not lines) above the header
    header: list[str]
    columns: dict[str, int]  # expected name -> position in the header (empty when no names are expected)


def column_key(name: object) -> str:
    """Compare column names ignoring case, surrounding space and doubled spaces."""
    return " ".join(str(name or "").replace("\ufeff", "").split()).casefold()


# --- finding the header ---------------------------------------------------------------------------


def find_header(
    records: Iterator[list] | list[list], score: Callable[[list], int], enough: int, rows: int = HEADER_SEARCH_ROWS
) -> tuple[int, int] | None:
    """(index, score) of the first of the first `rows` records that scores at least `enough`."""
    for index, record in enumerate(records):
        if index >= rows:
            return None
        points = score(record)
        if points >= enough:
            return index, points
    return None


def find_csv_header(
    text: str, score: Callable[[list], int], enough: int, rows: int = HEADER_SEARCH_ROWS
) -> tuple[str, int, list[str]] | None:
    """(separator, index, header record) of a CSV text: under each separator the first record that scores `enough`;
    the separator whose header scores most (the earlier of `_DELIMITERS` on a tie)."""
    best = None  # (score, delimiter, index, record)
    for delimiter in _DELIMITERS:
        records = list(_records(text, delimiter, rows))
        found = find_header(records, score, enough, rows)
        if found and (best is None or found[1] > best[0]):
            best = (found[1], delimiter, found[0], records[found[0]])
    return None if best is None else best[1:]


def names_score(required: tuple[str, ...], optional: tuple[str, ...]) -> tuple[Callable[[list], int], int]:
    """(score, enough) for a header holding the expected names: how many it holds; most of them, three at most."""
    wanted = {column_key(c) for c in required + optional}
    return (lambda record: len(wanted & {column_key(cell) for cell in record})), min(3, len(required))


def _records(text: str, delimiter: str, limit: int) -> Iterator[list[str]]:
    try:
        for index, record in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
            if index >= limit:
                return
            yield record
    except csv.Error:
        return  # the head may end inside a quoted cell


# --- CSV --------------------------------------------------------------------------------------------


def sniff_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...], what: str) -> CsvLayout:
    """Encoding, separator and header row of a CSV file, checked against the expected columns."""
    with open(path, "rb") as handle:
        raw = handle.read(SNIFF_BYTES)
    if not raw.strip():
        raise FileFormatError("named_file_empty", name=path.name)
    if b"\x00" in raw:
        excel = raw[:2] == b"PK" or raw[:4] == b"\xd0\xcf\x11\xe0"
        raise FileFormatError("not_csv_excel" if excel else "not_csv_binary", name=path.name)
    if raw[:2] == b"PK":
        raise FileFormatError("not_csv_zip", name=path.name)
    head = decode_text(raw, member=path.name, fallback="cp1252", head=True)
    found = find_csv_header(head.text, *names_score(required, optional))
    if found is None:
        raise _no_header(path.name, what, required)
    delimiter, header_index, header = found
    columns = _column_map(header, required, optional, path.name, what, header_index + 1)
    return CsvLayout(head.encoding, delimiter, header_index, header, columns)


def csv_text(path: Path) -> str:
    """The whole file as text: UTF-8, else Windows-1252 (a UTF-8 head with stray Windows bytes further down too)."""
    return decode_text(path.read_bytes(), fallback="cp1252").text


def _read_csv(path: Path, required, optional, what, progress) -> Table:
    layout = sniff_csv(path, required, optional, what)
    text = csv_text(path)
    reader = csv.reader(io.StringIO(text), delimiter=layout.delimiter)
    for _ in range(layout.header_index + 1):
        next(reader)
    header_row = reader.line_num
    columns = layout.columns
    total = len(text)

    def rows() -> Iterator[tuple[int, dict[str, object]]]:
        for count, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue  # empty lines inside or after the table
            yield reader.line_num, {name: _cell(record, pos) for name, pos in columns.items()}
            if progress and count % 20_000 == 0:
                progress(min(0.99, count * 80 / max(total, 1)), "reading")  # ~80 characters a row

    return Table(header_row, tuple(columns), rows())


# --- XLSX -------------------------------------------------------------------------------------------


def open_workbook(source: Path | bytes, name: str | None = None):
    """An .xlsx workbook, read-only with the values as last saved (formulas are not run, links not followed);
    FileFormatError when it is not one: "not_xlsx" naming the file `name`, else "not_a_workbook". Close it after use.
    """
    import openpyxl  # imported here: the CSV path should not pay for it

    try:
        return openpyxl.load_workbook(
            source if isinstance(source, Path) else io.BytesIO(source), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many types for damaged files
        reason = " ".join(str(exc).split())[:300] or type(exc).__name__
        if name is not None:
            raise FileFormatError("not_xlsx", name=name, reason=reason) from None
        raise FileFormatError("not_a_workbook", reason=reason) from None


def _read_xlsx(path: Path, required, optional, what, progress) -> Table:
    workbook = open_workbook(path, path.name)
    score, enough = names_score(required, optional)
    for sheet in workbook.worksheets:
        head = [list(record) for record in sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)]
        found = find_header(head, score, enough)
        if found is None:
            continue
        header_index = found[0]
        header_row = header_index + 1
        columns = _column_map(head[header_index], required, optional, path.name, what, header_row)
        total = sheet.max_row or 0

        def rows(sheet=sheet, header_row=header_row, columns=columns, total=total):
            try:
                for number, record in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True)):
                    row = header_row + 1 + number
                    if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in record):
                        continue
                    yield row, {name: _cell(list(record), pos) for name, pos in columns.items()}
                    if progress and total and number % 20_000 == 0:
                        progress(min(0.99, row / total), "reading")
            finally:
                workbook.close()

        return Table(header_row, tuple(columns), rows())
    workbook.close()
    raise _no_header(path.name, what, required)


# --- tables of expected columns ---------------------------------------------------------------------


def read_table(
    path: str | Path,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    *,
    what: str,
    progress: Progress | None = None,
) -> Table:
    """Find the header in a .csv, .txt or .xlsx file and return its rows. Errors surface before any row."""
    path = Path(path)
    if not path.is_file():
        raise FileFormatError("no_such_file", name=path.name)
    if path.stat().st_size == 0:
        raise FileFormatError("named_file_empty", name=path.name)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, required, optional, what, progress)
    if suffix == ".xls":
        raise FileFormatError("named_xls_old", name=path.name)
    return _read_csv(path, required, optional, what, progress)


def _column_map(
    header: list[object],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    file: str,
    what: str,
    header_row: int,
) -> dict[str, int]:
    positions = {}
    for position, cell in enumerate(header):
        positions.setdefault(column_key(cell), position)
    for name in required:
        if column_key(name) not in positions:
            raise MissingColumnError(name, file, what, required + optional, header_row)
    return {name: positions[column_key(name)] for name in required + optional if column_key(name) in positions}


def _no_header(file: str, what: str, required: tuple[str, ...]) -> FileFormatError:
    return FileFormatError("no_header", name=file, what=what, columns=tuple(required), rows=HEADER_SEARCH_ROWS)


def _cell(record: list, position: int) -> object:
    return record[position] if position < len(record) else None
