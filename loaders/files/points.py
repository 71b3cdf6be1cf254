"""Point layers from tables (.csv, .txt, .xlsx uploads): one point per row from coordinate columns (lat/lon,
øst/nord, east/north, x/y), decimal commas allowed; a CRS is taken from the header ("Øst UTM33", "EPSG:25833") or an
epsg/koordinatsystem column, otherwise the coordinates decide (loaders/files/crs.py).

A CSV's header is its first row that is not blank, under the separator that splits it into the most cells
(`find_csv_header`, the import's own rule); a sheet's header is the first of its first 20 rows that names
coordinate columns (`find_header`); both are read through loaders/files/tables.py and its one decoder.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from config import MAX_UPLOAD_FIELDS
from core.messages import Message
from loaders.errors import FileFormatError, TooManyFields
from loaders.files.numbers import CellError
from loaders.files.raw import RawLayer, typed_frame
from loaders.files.tables import find_csv_header, find_header, open_workbook
from loaders.files.text import SPACES, decode_text

SHEET_HEADER_ROWS = 20  # rows of a sheet searched for its header


_WORD = re.compile(r"[^0-9a-zæøåäöü]+")
_LON = {"lon", "lng", "long", "longitude", "longitud", "lengdegrad", "lengde", "lon_wgs84", "xlon"}
_LAT = {"lat", "latitude", "breddegrad", "bredde", "lat_wgs84", "ylat"}
_EAST = {"øst", "ost", "oest", "east", "easting", "e", "østkoordinat", "ostkoordinat", "øst_koordinat", "eastings"}
_NORTH = {"nord", "north", "northing", "n", "nordkoordinat", "nord_koordinat", "northings"}
_X = {"x", "xkoordinat", "x_koordinat", "koordinat_x", "xcoord", "x_coord", "coordx", "koordx"}
_Y = {"y", "ykoordinat", "y_koordinat", "koordinat_y", "ycoord", "y_coord", "coordy", "koordy"}
_CRS_COLUMNS = {"epsg", "srid", "crs", "koordinatsystem", "projeksjon", "kartprojeksjon", "srs"}
_UTM_ZONE = re.compile(r"(?:utm|sone|zone)\s*[-_ ]?\s*(3[1-6])(?!\d)", re.IGNORECASE)
_EPSG_CODE = re.compile(r"(?<!\d)(258(?:3[1-6])|326(?:3[1-6])|4326|4258|3857)(?!\d)")


@dataclass(frozen=True)
class CoordinateColumns:
    x: str
    y: str
    kind: str  # "lonlat", "eastnorth", "xy"
    declared_crs: str | None


def find_coordinate_columns(columns: list[str], crs_values: dict[str, list] | None = None) -> CoordinateColumns | None:
    """The x and y columns of a table by their names, and a CRS named in the header or a CRS column."""
    keys = {c: _column_tokens(c) for c in columns}

    def pick(words: set[str]) -> str | None:
        exact = [c for c, (key, _) in keys.items() if key in words]
        if exact:
            return exact[0]
        loose = [c for c, (_, tokens) in keys.items() if tokens and tokens[0] in words]
        return loose[0] if loose else None

    pairs = ((_LON, _LAT, "lonlat"), (_EAST, _NORTH, "eastnorth"), (_X, _Y, "xy"))
    for x_words, y_words, kind in pairs:
        x, y = pick(x_words), pick(y_words)
        if x and y and x != y:
            return CoordinateColumns(x, y, kind, _declared_in_header([x, y], columns, crs_values or {}))
    return None


def _column_tokens(name: object) -> tuple[str, list[str]]:
    text = str(name or "").replace("\ufeff", "").strip().casefold()
    tokens = [t for t in _WORD.split(text) if t]
    return "_".join(tokens), tokens


def _declared_in_header(coordinate_columns: list[str], columns: list[str], crs_values: dict[str, list]) -> str | None:
    for column in coordinate_columns:
        found = _crs_in_text(column)
        if found:
            return found
    for column in columns:
        if _column_tokens(column)[0] in _CRS_COLUMNS:
            values = {str(v).strip() for v in crs_values.get(column, []) if v is not None and str(v).strip()}
            if len(values) == 1:
                value = values.pop()
                return _crs_in_text(value) or (f"EPSG:{value}" if value.isdigit() else value)
            if len(values) > 1:
                raise FileFormatError("column_several_crs", column=column, values=tuple(sorted(values)[:4]))
    return None


def _crs_in_text(text: str) -> str | None:
    match = _EPSG_CODE.search(text)
    if match:
        return f"EPSG:{match.group(1)}"
    match = _UTM_ZONE.search(text)
    if match:
        return f"EPSG:258{match.group(1)}"
    return None


def coordinate_values(values: pd.Series, column: str, rows: list[int], file: str) -> np.ndarray:
    """Numbers from a coordinate column: decimal comma or point, spaces as thousands; NaN where empty."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float).to_numpy()
    out = np.full(len(values), np.nan)
    for i, raw in enumerate(values.tolist()):
        if raw is None or (isinstance(raw, float) and math.isnan(raw)):
            continue
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            out[i] = float(raw)
            continue
        text = SPACES.sub("", str(raw)).replace("\u2212", "-")
        if not text:
            continue
        if "," in text and "." in text:  # 7.034.567,5 or 7,034,567.5: the last mark is the decimal one
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise CellError(rows[i], column, "coordinate", str(raw), file)
        out[i] = number
    return out


def _table_layer(name: str, table: pd.DataFrame, rows: list[int], file: str, fmt: str) -> RawLayer | None:
    """A point layer from a table whose header is found; `rows` are the spreadsheet row numbers of its rows."""
    table = table.loc[:, [c for c in table.columns if str(c).strip()]]
    crs_values = {c: table[c].tolist() for c in table.columns if _column_tokens(c)[0] in _CRS_COLUMNS}
    found = find_coordinate_columns([str(c) for c in table.columns], crs_values)
    if found is None:
        return None

    def load() -> tuple[pd.DataFrame, np.ndarray]:
        x = coordinate_values(table[found.x], found.x, rows, file)
        y = coordinate_values(table[found.y], found.y, rows, file)
        geometries = shapely.points(x, y)
        geometries[np.isnan(x) | np.isnan(y)] = None
        properties = table.reset_index(drop=True)
        if fmt == "xlsx":
            properties = typed_frame(properties.to_dict("records"))
        return properties, geometries

    notes = [Message("points_from_columns", x=found.x, y=found.y)]
    rows_read = len(table)  # one point (one vertex) per row
    return RawLayer(
        name,
        load,
        declared_crs=found.declared_crs,
        notes=notes,
        format=fmt,
        feature_count=rows_read,
        vertex_count=lambda: rows_read,
    )


def read_csv(data: bytes, stem: str) -> list[RawLayer]:
    """The point layer of an uploaded CSV: UTF-8, UTF-16 (by its BOM) or, with a note, Windows-1252."""
    if not data.strip():
        raise FileFormatError("file_empty")
    text, encoding = decode_text(data, fallback="cp1252", utf16=True)
    notes = [Message("read_as_cp1252")] if encoding == "cp1252" else []
    found = find_csv_header(text, _cells, 1)
    if found is None:  # the text is not blank (checked above): its first record would not parse under any separator
        raise FileFormatError("not_a_table", reason="the header row could not be read")
    delimiter, header_index, header = found
    # Counted in the header before anything is parsed: a 2 MB file of a million empty columns took pandas minutes
    # and gigabytes to parse only to be refused by the field cap afterwards.
    if len(header) > MAX_UPLOAD_FIELDS:
        raise TooManyFields(len(header), MAX_UPLOAD_FIELDS, stem)
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise FileFormatError("not_a_table", reason=" ".join(str(exc).split())[:200]) from None
    table.columns = [str(c).replace("\ufeff", "").strip() for c in table.columns]
    table = table.replace({"": None})
    layer = _table_layer(stem, table, list(range(2, len(table) + 2)), f"{stem}.csv", "csv")
    if layer is None:
        raise FileFormatError("no_coordinate_columns", columns=tuple(repr(c) for c in table.columns[:20]))
    layer.notes[:0] = notes
    return [layer]


def _cells(record: list[str]) -> int:
    """A CSV record as a header: its number of cells, none when it is blank."""
    return len(record) if any(cell.strip() for cell in record) else 0


def read_xlsx(data: bytes) -> list[RawLayer]:
    """A point layer for each sheet of an uploaded workbook with coordinate columns in one of its first rows."""
    workbook = open_workbook(data)
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # a sheet's declared size can be wrong: found by reading (as pandas does)
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            width = max(map(len, rows), default=0)
            sheets[sheet.title] = pd.DataFrame([row + [None] * (width - len(row)) for row in rows], dtype=object)
    except FileFormatError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise FileFormatError("not_a_workbook", reason=" ".join(str(exc).split())[:300] or type(exc).__name__) from None
    finally:
        workbook.close()
    layers = []
    for sheet, cells in sheets.items():
        cells = cells.dropna(how="all").dropna(axis=1, how="all")
        if cells.empty:
            continue
        records = [[_header_cell(v) for v in cells.iloc[i]] for i in range(min(SHEET_HEADER_ROWS, len(cells)))]
        found = find_header(
            records, lambda header: find_coordinate_columns([h for h in header if h]) is not None, 1, SHEET_HEADER_ROWS
        )
        if found is None:
            continue
        position = found[0]
        header = records[position]
        table = cells.iloc[position + 1 :].copy()
        table.columns = header
        table = table.loc[:, [h for h in header if h]]
        table = table.astype(object).where(table.notna(), None)
        rows = [int(r) + 1 for r in table.index]  # frames number rows from 0
        layer = _table_layer(str(sheet), table, rows, str(sheet), "xlsx")
        if layer is not None:
            layers.append(layer)
    if not layers:
        raise FileFormatError("no_coordinate_sheet")
    return layers


def _header_cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()
