"""Read an exported table (.csv or .xlsx) whose header row may sit below title and empty rows.

Exports from norskeutslipp.no and Miljødirektoratet put a title, a date line or empty rows above
the header, use ";" or "," as separator, and come as UTF-8 or Windows-1252. `read_table` finds the
header row by the column names it expects, maps them case-insensitively, and yields each data row
as a dict keyed by the expected names, with the row number a spreadsheet program would show.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.progress import Progress
from loaders.errors import FileFormatError, SchemaError

HEADER_SEARCH_ROWS = 50  # title blocks are a few rows; a header further down is not this format
_DELIMITERS = (";", ",", "\t")
_ENCODINGS = ("utf-8-sig", "cp1252")  # cp1252: what Excel in Norway writes for "CSV (semikolon)"


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


def column_key(name: object) -> str:
    """Compare column names ignoring case, surrounding space and doubled spaces."""
    return " ".join(str(name or "").replace("\ufeff", "").split()).casefold()


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


def _find_header(
    records: list[list[object]], required: tuple[str, ...], optional: tuple[str, ...]
) -> tuple[int, int] | None:
    """(index, score) of the first record that holds most of the expected names."""
    wanted = {column_key(c) for c in required + optional}
    enough = min(3, len(required))
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        score = len(wanted & {column_key(cell) for cell in record})
        if score >= enough:
            return index, score
    return None


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


@dataclass(frozen=True)
class CsvLayout:
    """How a CSV file is laid out, found from its first 64 KiB."""

    encoding: str
    delimiter: str
    header_index: int  # records (not lines) above the header
    header: list[str]
    columns: dict[str, int]  # expected name -> position in the header


def sniff_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...], what: str) -> CsvLayout:
    """Encoding, separator and header row of a CSV file, checked against the expected columns."""
    with open(path, "rb") as handle:
        raw = handle.read(65536)
    if not raw.strip():
        raise FileFormatError("named_file_empty", name=path.name)
    if b"\x00" in raw:
        excel = raw[:2] == b"PK" or raw[:4] == b"\xd0\xcf\x11\xe0"
        raise FileFormatError("not_csv_excel" if excel else "not_csv_binary", name=path.name)
    if raw[:2] == b"PK":
        raise FileFormatError("not_csv_zip", name=path.name)
    encoding, head = _decode(raw, path.name)
    best = None  # (score, delimiter, index)
    for delimiter in _DELIMITERS:
        records = list(_records(head, delimiter, HEADER_SEARCH_ROWS))
        found = _find_header(records, required, optional)
        if found and (best is None or found[1] > best[0]):
            best = (found[1], delimiter, found[0], records[found[0]])
    if best is None:
        raise _no_header(path.name, what, required)
    _, delimiter, header_index, header = best
    columns = _column_map(header, required, optional, path.name, what, header_index + 1)
    return CsvLayout(encoding, delimiter, header_index, header, columns)


def _read_csv(path: Path, required, optional, what, progress) -> Table:
    layout = sniff_csv(path, required, optional, what)
    raw = path.read_bytes()
    try:
        text = raw.decode(layout.encoding)
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # UTF-8 head, stray Windows bytes further down
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


def _records(text: str, delimiter: str, limit: int) -> Iterator[list[str]]:
    try:
        for index, record in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter)):
            if index >= limit:
                return
            yield record
    except csv.Error:
        return  # the 64 KiB head may end inside a quoted cell


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """(encoding, text) of the head of a file; a UTF-8 sequence cut at the 64 KiB edge is forgiven."""
    for encoding in _ENCODINGS:
        try:
            return encoding, raw.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding.startswith("utf-8") and exc.start >= len(raw) - 3:
                return encoding, raw[: exc.start].decode(encoding)
    raise FileFormatError("neither_utf8_nor_cp1252", name=name)


def _cell(record: list[str], position: int) -> str | None:
    return record[position] if position < len(record) else None


def _read_xlsx(path: Path, required, optional, what, progress) -> Table:
    import openpyxl  # imported here: the CSV path should not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        reason = exc.__class__.__name__
        raise FileFormatError("not_xlsx", name=path.name, reason=reason) from None
    for sheet in workbook.worksheets:
        head = []
        for record in sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True):
            head.append(list(record))
        found = _find_header(head, required, optional)
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
