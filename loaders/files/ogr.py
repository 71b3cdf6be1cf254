"""What GDAL reads, through pyogrio: GeoPackage (.gpkg), KML/KMZ (.kml, .kmz) and Shapefile, one layer per table,
folder or .shp. GDAL reads an uploaded file only in a child process with CPU-time and memory limits
(loaders/files/sandbox.py); what it is not trusted with is checked here before it opens the file: a GeoPackage's
schema (no view, virtual table, trigger or generated column the standard does not define), an SQLite database under
another format's name, a KML that is not the UTF-8 it claims. Counts (features, a Shapefile's vertices) are taken
before any geometry is read, for the upload caps.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from core.messages import Message
from loaders.errors import FileFormatError
from loaders.files.raw import FORMAT_NAMES, RawLayer
from loaders.files.sandbox import pyogrio_call
from loaders.files.text import decode_text

_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding=["']([A-Za-z0-9._-]+)["']""")
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


def read_gpkg(data: bytes, workdir: Path, member: str | None = None) -> list[RawLayer]:
    if not data.startswith(b"SQLite format 3\x00"):
        raise FileFormatError("not_gpkg", member=member)
    path = workdir / "upload.gpkg"
    path.write_bytes(data)
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
    path = workdir / f"upload.{fmt}"
    path.write_bytes(data)
    layers = [_ogr_layer(path, name, fmt, declared="EPSG:4326") for name, _ in _list_layers(path, "KML")]
    return layers


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
        raise FileFormatError("unreadable_as", format=what, reason=gdal_message(exc)) from None


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
        raise FileFormatError("layer_unreadable", layer=name, reason=gdal_message(exc)) from None
    crs = info.get("crs")
    if fmt in ("kml", "kmz"):
        crs = declared

    def load() -> tuple[pd.DataFrame, np.ndarray]:
        try:
            frame = pyogrio_call("read_dataframe", path, layer=name, **options)
        except FileFormatError:
            raise
        except Exception as exc:
            raise FileFormatError("layer_unreadable", layer=name, reason=gdal_message(exc)) from None
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


def gdal_message(exc: Exception) -> str:
    """A library's error as one line of at most 300 characters, for a message's `reason`."""
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__


def read_shapefile(shp: Path, name: str) -> RawLayer:
    """A Shapefile's layer, from a folder holding its parts (a .shp with its .shx and .dbf, perhaps .prj and .cpg,
    under one name); `name` is the layer's. Without a .cpg, a .dbf of valid UTF-8 text is read as UTF-8."""
    options = {}
    notes = []
    if not shp.with_suffix(".cpg").exists():
        encoding = _dbf_encoding(shp.with_suffix(".dbf").read_bytes())
        if encoding:
            options["encoding"] = encoding
    if not shp.with_suffix(".prj").exists():
        notes.append(Message("no_prj"))
    layer = _ogr_layer(shp, shp.stem, "shapefile", **options)
    layer.name = name
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
