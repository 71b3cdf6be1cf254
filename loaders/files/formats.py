"""Format readers for uploads: each turns bytes into layers of raw geometries plus the CRS the file declares.

Nothing here reprojects or repairs: `loaders/upload/upload.py` settles the CRS (loaders/files/crs.py) and validates.
- GeoJSON (.geojson, .json): own parsing, so the legacy `crs` member, a UTF-8 BOM, CRLF, nested properties
  and Geonorge's wrapper of several FeatureCollections in one object all work. Nested objects become dotted
  columns ("adresse.gate"); lists (of objects or of values) become JSON text; keys keep æøå as written.
- GeoPackage (.gpkg), KML/KMZ (.kml, .kmz): pyogrio/GDAL, one layer per table or folder.
- Zip (.zip): checked by loaders/files/archive.py, then every Shapefile (.shp with .shx and .dbf) and every
  GeoJSON, GeoPackage, KML, CSV or XLSX inside it is a layer.
- CSV/XLSX: one point per row from coordinate columns (lat/lon, øst/nord, east/north, x/y), decimal
  commas allowed; a CRS is taken from the header ("Øst UTM33", "EPSG:25833") or an epsg/koordinatsystem
  column, otherwise the coordinates decide.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
import math
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from config import MAX_UPLOAD_FIELDS
from core.messages import Message
from loaders.errors import FileFormatError, SchemaError, TooManyFields
from loaders.files.archive import SafeZip, ZipLimits, open_zip
from loaders.files.crs import geojson_crs_member
from loaders.files.numbers import CellError
from loaders.files.sandbox import pyogrio_call

FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "zip",
    ".kml": "kml",
    ".kmz": "kmz",
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
FORMAT_NAMES = {
    "geojson": "GeoJSON",
    "gpkg": "GeoPackage",
    "shapefile": "Shapefile (zipped)",
    "zip": "zip archive",
    "kml": "KML",
    "kmz": "KMZ",
    "csv": "CSV",
    "xlsx": "Excel (XLSX)",
}
SUPPORTED_TEXT = ".geojson, .json, .gpkg, .zip (Shapefile), .kml, .kmz, .csv, .xlsx"
GEOJSON_DEFAULT = "GeoJSON default (RFC 7946)"
_GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
# Columns LIBKML adds to every KML layer; dropped when they carry nothing.
_KML_HOUSEKEEPING = {
    "id": None,
    "Name": None,
    "description": None,
    "timestamp": None,
    "begin": None,
    "end": None,
    "altitudeMode": None,
    "tessellate": -1,
    "extrude": 0,
    "visibility": -1,
    "drawOrder": None,
    "icon": None,
    "snippet": None,
}


@dataclass
class RawLayer:
    """One layer as read: raw geometries (no CRS set), properties, and what the file says about its CRS."""

    name: str
    load: Callable[[], tuple[pd.DataFrame, np.ndarray]]  # properties, shapely geometries (None allowed)
    declared_crs: str | None = None
    default_source: str | None = None  # how lon/lat is meant when nothing is declared (GeoJSON: RFC 7946)
    notes: list[Message] = field(default_factory=list)
    format: str = ""
    # What the file tells before `load()` builds the geometries, for the upload caps (None: not known):
    feature_count: int | None = None
    vertex_count: Callable[[], int | None] | None = None  # cheap count of coordinates, where the format allows


@dataclass
class Source:
    format: str  # a key of FORMAT_NAMES
    layers: list[RawLayer]
    notes: list[Message] = field(default_factory=list)


def detect_format(filename: str, data: bytes) -> str:
    """The format by the file's extension, or by its first bytes when the extension says nothing."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if suffix == ".shp":
        raise FileFormatError("shapefile_alone")
    if suffix == ".xls":
        raise FileFormatError("xls_old")
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "geojson"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith((b"<?xml", b"<kml")):
        return "kml"
    raise FileFormatError("not_supported", name=filename, supported=SUPPORTED_TEXT)


@contextlib.contextmanager
def open_source(data: bytes, filename: str, zip_limits: ZipLimits) -> Iterator[Source]:
    """Layers in an uploaded file, loadable while the context is open (some need a temporary folder)."""
    fmt = detect_format(filename, data)
    stem = _stem(filename)
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        workdir = Path(folder)
        if fmt == "geojson":
            source = Source("geojson", read_geojson(data, stem))
        elif fmt == "gpkg":
            source = Source("gpkg", read_gpkg(data, workdir))
        elif fmt in ("kml", "kmz"):
            if fmt == "kmz":
                open_zip(data, zip_limits, Message("label_kmz")).close()
            source = Source(fmt, read_kml(data, workdir, fmt))
        elif fmt == "csv":
            source = Source("csv", read_csv(data, stem))
        elif fmt == "xlsx":
            open_zip(data, zip_limits, Message("label_xlsx")).close()
            source = Source("xlsx", read_xlsx(data))
        else:
            source = read_zip(data, workdir, zip_limits)
        if not source.layers:
            raise FileFormatError("no_layers", name=filename)
        yield source


# --- GeoJSON ---------------------------------------------------------------------------------------


def decode_text(data: bytes, member: str | None = None) -> str:
    """UTF-8 text (a BOM is dropped); `FileFormatError` naming the first bad byte (and the archive `member`)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        char = repr(data[exc.start : exc.start + 1])
        raise FileFormatError("not_utf8_at", member=member, byte=exc.start, line=line, char=char) from None


def read_geojson(data: bytes, stem: str) -> list[RawLayer]:
    if not data.strip():
        raise FileFormatError("file_empty")
    text = decode_text(data)
    if not text.strip():
        raise FileFormatError("file_empty")
    try:
        with _no_gc():
            document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileFormatError("not_json", line=exc.lineno, column_number=exc.colno, reason=exc.msg) from None
    except RecursionError:
        raise FileFormatError("json_too_deep") from None
    document, repaired = _without_lone_surrogates(document, text)
    layers = _geojson_layers(document, stem)
    if repaired:
        for layer in layers:
            layer.notes.append(Message("lone_surrogates"))
    return layers


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(document: object, text: str) -> tuple[object, bool]:
    """JSON may escape half of a UTF-16 pair ("\\ud800"), which no UTF-8 text, table or database can hold:
    such characters become U+FFFD. Only files that escape surrogates at all pay for the look."""
    if not _SURROGATE_ESCAPE.search(text):
        return document, False
    try:
        dumped = json.dumps(document, ensure_ascii=False)
    except RecursionError:
        raise FileFormatError("json_too_deep") from None
    if not _LONE_SURROGATE.search(dumped):
        return document, False  # escaped pairs only (emoji written by ensure_ascii): json.loads joined them
    with _no_gc():
        return json.loads(_LONE_SURROGATE.sub("\ufffd", dumped)), True


def _geojson_layers(document: object, stem: str) -> list[RawLayer]:
    if not isinstance(document, dict):
        kind = {"list": "list", "str": "string"}.get(type(document).__name__, "value")
        raise FileFormatError("not_geojson_top", found=Message(f"json_{kind}"))
    kind = document.get("type")
    if kind == "FeatureCollection":
        return [_collection_layer(stem, document, None)]
    if kind == "Feature":
        return [_collection_layer(stem, {"type": "FeatureCollection", "features": [document]}, document.get("crs"))]
    if kind in _GEOMETRY_TYPES:
        feature = {"type": "Feature", "properties": {}, "geometry": document}
        return [_collection_layer(stem, {"type": "FeatureCollection", "features": [feature]}, document.get("crs"))]
    # Geonorge: {"Fylke": {FeatureCollection}, "Grense": {FeatureCollection}, ...}
    layers = [
        _collection_layer(str(key), value, document.get("crs"))
        for key, value in document.items()
        if isinstance(value, dict) and value.get("type") == "FeatureCollection"
    ]
    if layers:
        return layers
    keys = tuple(repr(k) for k in list(document)[:8])
    found = Message("json_type_is", type=repr(kind)) if kind is not None else Message("json_no_type", keys=keys)
    raise FileFormatError("not_geojson_found", found=found)


def _collection_layer(name: str, collection: dict, outer_crs: object) -> RawLayer:
    features = collection.get("features")
    if not isinstance(features, list):
        raise FileFormatError("collection_no_features", name=name)
    declared = geojson_crs_member(collection.get("crs", outer_crs))
    notes = []
    if "crs" in collection and declared is None:
        notes.append(Message("crs_link_only"))
    return RawLayer(
        name,
        lambda: _geojson_frame(features),
        declared_crs=declared,
        default_source=GEOJSON_DEFAULT,
        notes=notes,
        format="geojson",
        feature_count=len(features),
        vertex_count=lambda: geojson_vertex_count(features),
    )


def geojson_vertex_count(features: list) -> int:
    """Positions in parsed GeoJSON features, counted per coordinate list (no geometry is built; malformed
    parts count as nothing: the reader names them later)."""
    total = 0
    stack: list = []
    for feature in features:
        geometry = feature.get("geometry") if type(feature) is dict else None
        if type(geometry) is dict:
            if geometry.get("type") == "Point":
                total += 1
            else:
                stack.append(geometry)
    while stack:  # a loop, not recursion: hostile files nest as deep as json.loads allows
        item = stack.pop()
        if type(item) is dict:
            if item.get("type") == "GeometryCollection":
                parts = item.get("geometries")
                if type(parts) is list:
                    stack.extend(parts)
            elif type(item.get("coordinates")) is list:
                stack.append(item["coordinates"])
        elif type(item) is list and item:
            first = item[0]
            if type(first) in (int, float):
                total += 1  # one position
            elif type(first) is list:
                if first and type(first[0]) in (int, float):
                    total += len(item)  # a list of positions: a line or a ring
                else:
                    stack.extend(item)
    return total


def _geojson_frame(features: list) -> tuple[pd.DataFrame, np.ndarray]:
    with _no_gc():
        return _geojson_frame_inner(features)


def _geojson_frame_inner(features: list) -> tuple[pd.DataFrame, np.ndarray]:
    rows, geometries = [], []
    for i, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            got = feature.get("type") if isinstance(feature, dict) else feature
            raise SchemaError(i, "type", "feature_type", got)
        properties = feature.get("properties")
        if properties is None:
            properties = {}
        if not isinstance(properties, dict):
            raise SchemaError(i, "properties", "object", properties)
        row = flatten_properties(properties)
        if "id" in feature and "id" not in row and feature["id"] is not None:
            row["id"] = feature["id"]
        rows.append(row)
        geometries.append(feature.get("geometry"))
    return typed_frame(rows), _geojson_geometries(geometries)


def _geojson_geometries(items: list) -> np.ndarray:
    """Shapely geometries from GeoJSON geometry objects: points straight from their coordinates, the rest
    parsed by GEOS in one vectorised call; shapely mends what GEOS refuses (an unclosed ring) or names the feature.
    """
    geometries = np.full(len(items), None, dtype=object)
    points = [i for i, g in enumerate(items) if type(g) is dict and g.get("type") == "Point"]
    if points:
        try:
            xy = np.array([items[i]["coordinates"] for i in points], dtype=float)
        except (TypeError, ValueError, KeyError, OverflowError):  # OverflowError: an integer beyond any float
            xy = None
        if xy is not None and xy.ndim == 2 and xy.shape[1] in (2, 3):
            geometries[points] = shapely.points(xy[:, :2]) if xy.shape[1] == 2 else shapely.points(xy)
        else:
            points = []
    done = np.zeros(len(items), dtype=bool)
    done[points] = True
    rest = [i for i in range(len(items)) if not done[i] and items[i] is not None]
    if rest:
        texts = np.array([json.dumps(items[i]) for i in rest], dtype=object)
        geometries[rest] = shapely.from_geojson(texts, on_invalid="ignore")
    for i in rest:
        if geometries[i] is None:
            try:
                geometries[i] = shape(items[i])
            except Exception as exc:  # shapely raises several types for malformed coordinates
                raise SchemaError(i, "geometry", "geojson_geometry", str(exc) or items[i]) from None
    return geometries


def flatten_properties(properties: dict, prefix: str = "", out: dict | None = None) -> dict:
    """Nested objects become dotted keys; lists (of objects or values) become JSON text; keys kept as written."""
    if not prefix and out is None and not any(type(v) in (dict, list) for v in properties.values()):
        return dict(properties)  # the common flat case
    out = {} if out is None else out
    for key, value in properties.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flatten_properties(value, name + ".", out)
            continue
        if isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False)
        while name in out:  # a literal "a.b" beside a nested {"a": {"b": …}}
            name += "'"
        out[name] = value
    return out


def typed_frame(rows: list[dict]) -> pd.DataFrame:
    """A frame from property dicts with a sensible dtype per column: Int64, boolean, float, text or mixed."""
    if not rows:
        return pd.DataFrame(index=pd.RangeIndex(0))
    frame = pd.DataFrame(rows, index=pd.RangeIndex(len(rows)))  # pandas' own dict reader is the fast part
    for column in frame.columns:
        dtype = frame[column].dtype
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_float_dtype(dtype):
            # Floats may be integers with gaps (301, null); object columns may be booleans with gaps.
            frame[column] = _typed([row.get(column) for row in rows])
        elif pd.api.types.is_bool_dtype(dtype):
            frame[column] = frame[column].astype("boolean")
        elif pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_unsigned_integer_dtype(dtype):
            frame[column] = frame[column].astype("Int64")
        elif pd.api.types.is_integer_dtype(dtype):  # uint64: some value is past Int64's range (2**63 and up)
            frame[column] = _typed([row.get(column) for row in rows])
    return frame


def _typed(values: list) -> pd.Series:
    values = [None if isinstance(v, float) and math.isnan(v) else v for v in values]
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return pd.Series(values, dtype=object)
    if kinds == {bool}:
        return pd.Series(values, dtype="boolean")
    if kinds == {int} and all(-(2**63) <= v < 2**63 for v in values if v is not None):
        return pd.Series(values, dtype="Int64")
    if kinds <= {int, float}:
        try:
            return pd.Series([np.nan if v is None else float(v) for v in values], dtype=float)
        except OverflowError:  # an integer past any float (1e309 and up): kept exact, as mixed values
            return pd.Series(values, dtype=object)
    if kinds == {str}:
        return pd.Series(values, dtype="str")
    return pd.Series(values, dtype=object)


# --- GeoPackage and KML (pyogrio/GDAL) -------------------------------------------------------------


def read_gpkg(data: bytes, workdir: Path, member: str | None = None) -> list[RawLayer]:
    if not data.startswith(b"SQLite format 3\x00"):
        raise FileFormatError("not_gpkg", member=member)
    path = _write(workdir, "upload.gpkg", data)
    check_gpkg_schema(path, member)
    layers, notes = [], []
    for name, geometry_type in _list_layers(path, "GeoPackage"):
        if geometry_type is None:
            notes.append(Message("table_no_geometry", table=name))
            continue
        layers.append(_ogr_layer(path, name, "gpkg"))
    if not layers and notes:
        raise FileFormatError("gpkg_no_geometry", member=member)
    for layer in layers:
        layer.notes.extend(notes)
    return layers


# What a GeoPackage may hold besides tables, by name: the R*Tree spatial index the standard defines (a virtual table
# and its triggers), the triggers of the standard's tile and metadata tables, and GDAL's feature-count triggers.
# Anything else that runs code when the file is read (a view, another virtual table) or written (another trigger)
# is refused before GDAL opens the file: a 96 KB recursive view held a core for good, a zeroblob view took 5.5 GB.
_RTREE = r"rtree_.+_.+"
_GPKG_TRIGGERS = re.compile(
    rf"^(?:{_RTREE}_(?:insert|update\d|delete)"
    r"|gpkg_(?:tile_matrix|metadata|metadata_reference)_\w+"
    r"|.+_(?:zoom|tile_column|tile_row)_(?:insert|update)"
    r"|trigger_(?:insert|delete)_feature_count_.+)$",
    re.IGNORECASE,
)
# The standard's spatial index, the whole statement: CREATE VIRTUAL TABLE "rtree_<t>_<c>" USING rtree(id, minx, …).
_RTREE_STATEMENT = re.compile(
    r'^CREATE\s+VIRTUAL\s+TABLE\s+(?:"rtree_[^"]+"|rtree_\w+)\s+USING\s+rtree\s*\(\s*[\w\s,]*\)\s*$',
    re.IGNORECASE,
)


def check_gpkg_schema(path: Path, member: str | None = None) -> None:
    """Refuse a GeoPackage whose schema holds a view, a virtual table or a trigger the standard does not define;
    read with sqlite3 read-only, running nothing the file holds."""
    import sqlite3

    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise FileFormatError("unreadable_as", format="GeoPackage", reason=str(exc)) from None
    try:
        rows = connection.execute("SELECT type, name, rootpage, coalesce(sql, '') FROM sqlite_master").fetchall()
        # A generated column runs its expression on every row read (zeroblob(1e9) …): hidden 2 or 3 in table_xinfo.
        generated = [
            name
            for kind, name, rootpage, _ in rows
            if kind == "table" and rootpage
            for column in connection.execute("SELECT hidden FROM pragma_table_xinfo(?)", (name,)).fetchall()
            if column[0] in (2, 3)
        ]
    except sqlite3.Error as exc:
        raise FileFormatError("unreadable_as", format="GeoPackage", reason=str(exc)) from None
    finally:
        connection.close()
    for kind, name, rootpage, sql in rows:
        if kind == "view":
            refused = "view"
        elif kind == "trigger" and not _GPKG_TRIGGERS.match(name):
            refused = "trigger"
        elif kind == "table" and not rootpage and not _RTREE_STATEMENT.match(sql.strip()):  # a virtual table
            refused = "virtual_table"
        elif name in generated:
            refused = "generated_column"
        else:
            continue
        raise FileFormatError("gpkg_not_standard", member=member, what=f"gpkg_{refused}", name=str(name)[:80])


def read_kml(data: bytes, workdir: Path, fmt: str = "kml") -> list[RawLayer]:
    if fmt == "kml":
        if not data.strip():
            raise FileFormatError("file_empty")
        declared = _XML_ENCODING.match(data[:300].lstrip(b"\xef\xbb\xbf \t\r\n"))
        if declared is None or declared.group(1).lower() in (b"utf-8", b"utf8"):
            decode_text(data)  # a clear message for non-UTF-8 text, before GDAL's
    path = _write(workdir, f"upload.{fmt}", data)
    layers = [_ogr_layer(path, name, fmt, declared="EPSG:4326") for name, _ in _list_layers(path, "KML")]
    return layers


# GDAL reads an uploaded file only in a child process with CPU-time and memory limits (loaders/files/sandbox.py).


def _not_sqlite(path: Path, what: str) -> None:
    """GDAL would read an SQLite database under any name (layer.shp, upload.kml) with its SQLite driver, past the
    GeoPackage schema check: refused unless it came in as a GeoPackage."""
    with open(path, "rb") as file:
        if file.read(16) == b"SQLite format 3\x00":
            raise FileFormatError("unreadable_as", format=what, reason="an SQLite database, not this format")


def _list_layers(path: Path, what: str) -> list[tuple[str, str | None]]:
    if what != "GeoPackage":
        _not_sqlite(path, what)
    try:
        return [(str(name), kind) for name, kind in pyogrio_call("list_layers", path)]
    except FileFormatError:  # past the read limits
        raise
    except Exception as exc:  # pyogrio.errors.DataSourceError and GDAL errors
        raise FileFormatError("unreadable_as", format=what, reason=_gdal_message(exc)) from None


def _ogr_layer(path: Path, name: str, fmt: str, declared: str | None = None, **options) -> RawLayer:
    if fmt != "gpkg":
        _not_sqlite(path, FORMAT_NAMES.get(fmt, fmt))
    try:
        info = pyogrio_call("read_info", path, layer=name, **options)
        count = info.get("features")
        if count is None or count < 0:  # the driver does not know without reading: count, without geometries
            count = pyogrio_call("read_info", path, layer=name, force_feature_count=True, **options).get("features")
    except FileFormatError:
        raise
    except Exception as exc:
        raise FileFormatError("layer_unreadable", layer=name, reason=_gdal_message(exc)) from None
    crs = info.get("crs")
    if fmt in ("kml", "kmz"):
        crs = declared

    def load() -> tuple[pd.DataFrame, np.ndarray]:
        try:
            frame = pyogrio_call("read_dataframe", path, layer=name, **options)
        except FileFormatError:
            raise
        except Exception as exc:
            raise FileFormatError("layer_unreadable", layer=name, reason=_gdal_message(exc)) from None
        if fmt in ("kml", "kmz"):
            frame = _drop_kml_housekeeping(frame)
        geometries = np.asarray(frame.geometry.array, dtype=object) if isinstance(frame, gpd.GeoDataFrame) else None
        properties = pd.DataFrame(frame.drop(columns=frame.geometry.name)) if geometries is not None else frame
        if geometries is None:
            geometries = np.full(len(frame), None, dtype=object)
        return properties.reset_index(drop=True), geometries

    feature_count = int(count) if count is not None and count >= 0 else None
    vertex_count = (lambda: shapefile_vertex_count(path)) if fmt == "shapefile" else None
    return RawLayer(name, load, declared_crs=crs, format=fmt, feature_count=feature_count, vertex_count=vertex_count)


def shapefile_vertex_count(shp: Path) -> int | None:
    """The vertices of a Shapefile from its record headers (.shx offsets, NumPoints in the .shp), without reading
    geometries; a count that cannot exceed what the .shp holds. None when the index is unreadable."""
    shx = shp.with_suffix(".shx")
    try:
        index = np.frombuffer(shx.read_bytes(), dtype=">i4", offset=100)
        body = np.frombuffer(shp.read_bytes(), dtype=np.uint8)
    except (OSError, ValueError):
        return None
    index = index[: len(index) // 2 * 2].astype(np.int64).reshape(-1, 2)
    start, length = index[:, 0] * 2 + 8, index[:, 1] * 2  # content offset and length, in bytes
    if len(index) == 0 or (start < 108).any() or (length < 4).any() or (start + length > len(body)).any():
        return None

    def int32(offset: np.ndarray) -> np.ndarray:
        return body[offset[:, None] + np.arange(4)].copy().view("<i4").ravel().astype(np.int64)

    kind = int32(start)
    points = np.isin(kind, (1, 11, 21))
    multipoint = np.isin(kind, (8, 18, 28)) & (length >= 40)
    parts = np.isin(kind, (3, 5, 13, 15, 23, 25, 31)) & (length >= 44)
    total = int(points.sum())
    for mask, at in ((multipoint, 36), (parts, 40)):
        if mask.any():
            claimed = np.clip(int32(start[mask] + at), 0, None)
            total += int(np.minimum(claimed, length[mask] // 16).sum())  # 16 bytes per x, y
    return total


def _drop_kml_housekeeping(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    drop = []
    for column, default in _KML_HOUSEKEEPING.items():
        if column in frame.columns:
            values = frame[column]
            if values.isna().all() or (default is not None and (values == default).all()):
                drop.append(column)
    return frame.drop(columns=drop)


def _gdal_message(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__


# --- Zip archives ----------------------------------------------------------------------------------

_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding=["']([A-Za-z0-9._-]+)["']""")
_ZIP_READERS = {".geojson", ".json", ".gpkg", ".kml", ".kmz", ".csv", ".xlsx"}


def read_zip(data: bytes, workdir: Path, limits: ZipLimits) -> Source:
    archive = open_zip(data, limits)
    try:
        return _zip_layers(archive, workdir, limits)
    finally:
        archive.close()


def _zip_layers(archive: SafeZip, workdir: Path, limits: ZipLimits) -> Source:
    by_lower = {m.filename.lower(): m for m in archive.members}
    shapefiles = [m for m in archive.members if m.filename.lower().endswith(".shp")]
    others = [m for m in archive.members if PurePosixPath(m.filename.lower()).suffix in _ZIP_READERS]
    if not shapefiles and not others:
        listing = tuple(repr(n) for n in archive.names[:12]) or Message("nothing")
        raise FileFormatError("zip_nothing_readable", listing=listing)
    layers: list[RawLayer] = []
    notes: list[Message] = []
    several = len(shapefiles) + len(others) > 1
    for index, member in enumerate(shapefiles):
        layers.append(_shapefile_layer(archive, member, by_lower, workdir / f"shp{index}"))
    for index, member in enumerate(others):
        suffix = PurePosixPath(member.filename.lower()).suffix
        folder = workdir / f"member{index}"
        folder.mkdir()
        content = archive.read(member)
        stem = _stem(member.filename)
        label = Message("label_member", member=member.filename)
        if suffix in (".geojson", ".json"):
            found = read_geojson(content, stem)
        elif suffix == ".gpkg":
            found = read_gpkg(content, folder, member.filename)
        elif suffix in (".kml", ".kmz"):
            if suffix == ".kmz":
                open_zip(content, limits, label).close()
            found = read_kml(content, folder, suffix[1:])
        elif suffix == ".csv":
            found = read_csv(content, stem)
        else:
            open_zip(content, limits, label).close()
            found = read_xlsx(content)
        for layer in found:
            if several and len(found) > 1:
                layer.name = f"{stem}/{layer.name}"
            elif several:
                layer.name = stem
        layers.extend(found)
    names = [layer.name for layer in layers]
    for layer in layers:
        if names.count(layer.name) > 1:
            raise FileFormatError("zip_same_names", layer=layer.name)
    fmt = "shapefile" if shapefiles and not others else "zip"
    return Source(fmt, layers, notes)


def _shapefile_layer(archive: SafeZip, shp, by_lower: dict, folder: Path) -> RawLayer:
    base = shp.filename[:-4]
    parts = {}
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        member = by_lower.get((base + ext).lower())
        if member is not None:
            parts[ext] = member
    missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
    if missing:
        raise FileFormatError("shapefile_incomplete", member=shp.filename, missing=tuple(missing))
    folder.mkdir()
    for ext, member in parts.items():
        _write(folder, "layer" + ext, archive.read(member))  # flat, fixed names: nothing from the zip's paths
    options = {}
    notes = []
    if ".cpg" not in parts:
        encoding = _dbf_encoding((folder / "layer.dbf").read_bytes())
        if encoding:
            options["encoding"] = encoding
    if ".prj" not in parts:
        notes.append(Message("no_prj"))
    layer = _ogr_layer(folder / "layer.shp", "layer", "shapefile", **options)
    layer.name = _stem(shp.filename)
    layer.notes.extend(notes)
    return layer


def _dbf_encoding(dbf: bytes) -> str | None:
    """UTF-8 when a .dbf without .cpg holds non-ASCII text that is valid UTF-8; else GDAL's own guess."""
    if len(dbf) > 29 and dbf[29] != 0:  # the language driver byte names a code page: GDAL reads it
        return None
    body = dbf[32:]
    if body.isascii():
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"  # what Norwegian Windows programs write
    return "UTF-8"


# --- CSV and XLSX ----------------------------------------------------------------------------------

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
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")


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


def parse_coordinates(values: pd.Series, column: str, rows: list[int], file: str) -> np.ndarray:
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
        text = _SPACES.sub("", str(raw)).replace("\u2212", "-")
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
        x = parse_coordinates(table[found.x], found.x, rows, file)
        y = parse_coordinates(table[found.y], found.y, rows, file)
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
    if not data.strip():
        raise FileFormatError("file_empty")
    notes = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileFormatError("bad_utf16", byte=exc.start, reason=exc.reason) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Excel's "CSV (semikolon)" in Norway
            notes.append(Message("read_as_cp1252"))
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise FileFormatError("file_empty")
    header = lines[0]
    delimiter = max((";", "\t", ","), key=lambda d: (header.count(d), d == ";"))
    # Counted in the header before anything is parsed: a 2 MB file of a million empty columns took pandas minutes
    # and gigabytes to parse only to be refused by the field cap afterwards.
    # The first record as the csv module reads the text (quoted fields may span lines; \v or \f end no record).
    columns = len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
    if columns > MAX_UPLOAD_FIELDS:
        raise TooManyFields(columns, MAX_UPLOAD_FIELDS, stem)
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


def read_xlsx(data: bytes) -> list[RawLayer]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise FileFormatError("not_a_workbook", reason=_gdal_message(exc)) from None
    layers = []
    for sheet, cells in sheets.items():
        cells = cells.dropna(how="all").dropna(axis=1, how="all")
        if cells.empty:
            continue
        for position in range(min(20, len(cells))):
            header = [str(v).strip() if v is not None and not _isnan(v) else "" for v in cells.iloc[position]]
            if find_coordinate_columns([h for h in header if h]) is None:
                continue
            table = cells.iloc[position + 1 :].copy()
            table.columns = header
            table = table.loc[:, [h for h in header if h]]
            table = table.astype(object).where(table.notna(), None)
            rows = [int(r) + 1 for r in table.index]  # read_excel numbers rows from 0
            layer = _table_layer(str(sheet), table, rows, str(sheet), "xlsx")
            if layer is not None:
                layers.append(layer)
            break
    if not layers:
        raise FileFormatError("no_coordinate_sheet")
    return layers


# --- helpers ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic objects are built (json.loads halves)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _isnan(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _stem(filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return storable_text(stem) or "layer"


def storable_text(text: str) -> str:
    """Text every store and UTF-8 output takes: lone surrogates (a file name the OS could not decode) become
    U+FFFD, NUL characters go."""
    return _LONE_SURROGATE.sub("\ufffd", text).replace("\x00", "")


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
