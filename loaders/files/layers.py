"""Read the app's own layer files (GeoJSON, GeoPackage) and emission-figure tables into checked, typed frames.

Everything is checked up front by `_validate`, which raises a typed error naming the feature,
the field and what was expected; nothing half-read is ever returned.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from config import CRS
from core.schema import (
    FIGURE_BASES,
    FIGURE_COLUMNS,
    FIGURE_OPTIONAL,
    FIGURE_REQUIRED,
    FIGURE_SCOPES,
    LAYERS,
    LayerSchema,
)
from loaders.errors import CRSError, FileFormatError, SchemaError
from loaders.files.geojson import features, single_collection

_CRS84_NAMES = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "CRS84"}
_KOMMUNENUMMER = re.compile(r"^\d{4}$")


def read_layer(path: str | Path, kind: str) -> gpd.GeoDataFrame:
    """Read a GeoJSON or GeoPackage file as a layer of `kind` ("parks", "sources", "members")."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return parse_geojson(path.read_bytes(), kind)
    if suffix == ".gpkg":
        frame = gpd.read_file(path)
        if frame.crs is not None and not frame.crs.equals(CRS):
            frame = frame.to_crs(CRS)
        records = [
            ({k: _from_pandas(v) for k, v in row.items() if k != "geometry"}, row["geometry"])
            for row in frame.to_dict("records")
        ]
        return _validate(records, _schema(kind))
    raise FileFormatError("wrong_suffix", name=path.name, suffixes=".geojson, .json, .gpkg")


def parse_geojson(data: bytes | str, kind: str) -> gpd.GeoDataFrame:
    """Parse GeoJSON text or bytes (one FeatureCollection, or a single Feature) as a layer of `kind`."""
    schema = _schema(kind)
    collection = single_collection(data, feature=True)
    _check_crs(collection.get("crs"))
    records = [
        (properties, _geometry(i, feature.get("geometry")))
        for i, feature, properties in features(collection["features"])
    ]
    return _validate(records, schema)


def read_figures(path: str | Path) -> pd.DataFrame:
    """Read the emission-figure table (CSV, UTF-8): one row per figure, see `FIGURE_COLUMNS` (and any of
    `FIGURE_OPTIONAL` the table has)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in FIGURE_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError(None, missing[0], "column_of", what="figure_table")
    rows = []
    for i, row in enumerate(frame.to_dict("records")):
        for name in FIGURE_REQUIRED:
            if not row[name].strip():
                raise SchemaError(i, name, "non_empty")
        year = _int_or_none(i, "year", row["year"] or None)
        amount = _float_or_none(i, "amount_t", row["amount_t"])
        if amount is None or amount < 0:
            raise SchemaError(i, "amount_t", "tonnes", row["amount_t"])
        _check_choice(i, "scope", row["scope"], FIGURE_SCOPES)
        _check_choice(i, "basis", row["basis"], FIGURE_BASES)
        rows.append({**row, "year": year, "amount_t": amount})
        if "free_allocation_t" in row:  # the ETS register's free allocation: tonnes, or none stated
            allocation = _float_or_none(i, "free_allocation_t", row["free_allocation_t"] or None)
            if allocation is not None and allocation < 0:
                raise SchemaError(i, "free_allocation_t", "tonnes", row["free_allocation_t"])
            rows[-1]["free_allocation_t"] = allocation
    optional = [c for c in FIGURE_OPTIONAL if c in frame.columns]  # kept where the table has them
    figures = pd.DataFrame(rows, columns=[*FIGURE_COLUMNS, *optional])
    figures["year"] = figures["year"].astype("Int64")
    figures["amount_t"] = figures["amount_t"].astype(float)
    if "free_allocation_t" in figures:
        figures["free_allocation_t"] = figures["free_allocation_t"].astype(float)
    return figures


def _schema(kind: str) -> LayerSchema:
    try:
        return LAYERS[kind]
    except KeyError:
        raise ValueError(f"unknown layer kind {kind!r}; expected one of {sorted(LAYERS)}") from None


def _check_crs(crs: object) -> None:
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if name not in _CRS84_NAMES:
        raise CRSError("crs_not_lonlat", name=str(name))


def _geometry(i: int, geojson: object) -> shapely.Geometry:
    if geojson is None:
        raise SchemaError(i, "geometry", "geometry", None)
    try:
        return shape(geojson)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise SchemaError(i, "geometry", "geojson_geometry", str(exc)) from None


def validate_records(records: list[tuple[dict, shapely.Geometry]], kind: str) -> gpd.GeoDataFrame:
    """Check (properties, geometry) pairs against the schema of `kind` exactly as bundled files are checked.

    Returns the layer frame (schema columns, EPSG:4326); raises `SchemaError` naming the first bad feature.
    Geometries must already be in EPSG:4326.
    """
    return _validate(records, _schema(kind))


def _validate(records: list[tuple[dict, shapely.Geometry]], schema: LayerSchema) -> gpd.GeoDataFrame:
    rows, geometries, seen_ids = [], [], set()
    for i, (properties, geometry) in enumerate(records):
        row = {field.name: _value(i, field, properties.get(field.name)) for field in schema.fields}
        if row["id"] in seen_ids:
            raise SchemaError(i, "id", "unique", row["id"], what="the_layer")
        seen_ids.add(row["id"])
        if not _KOMMUNENUMMER.match(row["kommunenummer"]):
            raise SchemaError(i, "kommunenummer", "digits", row["kommunenummer"], width=4, example="5059")
        rows.append(row)
        geometries.append(_checked_geometry(i, geometry, schema))
    frame = pd.DataFrame(rows, columns=[f.name for f in schema.fields])
    for field in schema.fields:
        if field.kind == "int":
            frame[field.name] = frame[field.name].astype("Int64")
        elif field.kind == "float":
            frame[field.name] = frame[field.name].astype(float)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometries, crs=CRS), crs=CRS)


def _checked_geometry(i: int, geometry: shapely.Geometry, schema: LayerSchema) -> shapely.Geometry:
    if geometry is None or geometry.is_empty:
        raise SchemaError(i, "geometry", "non_empty_geometry", None)
    if geometry.geom_type not in schema.geometry_types:
        raise SchemaError(i, "geometry", "one_of", geometry.geom_type, choices=schema.geometry_types)
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise SchemaError(i, "geometry", "lonlat_degrees", (minx, miny, maxx, maxy))
    if not geometry.is_valid:
        raise SchemaError(i, "geometry", "valid_geometry", shapely.is_valid_reason(geometry))
    return geometry


def _value(i: int, field, raw: object) -> object:
    raw = _from_pandas(raw)
    if isinstance(raw, str) and not raw.strip() and field.kind != "str":
        raw = None
    if raw is None or raw == "":
        if field.required:
            raise SchemaError(i, field.name, "present", raw)
        return [] if field.kind == "list" else None
    if field.kind == "str":
        if field.name == "kommunenummer" and isinstance(raw, int) and not isinstance(raw, bool):
            raw = f"{raw:04d}"  # older files store it as an integer and lose the leading zero
        if not isinstance(raw, str):
            raise SchemaError(i, field.name, "text", raw)
        if field.choices is not None:
            _check_choice(i, field.name, raw, field.choices)
        return raw
    if field.kind == "int":
        return _int_or_none(i, field.name, raw)
    if field.kind == "float":
        value = _float_or_none(i, field.name, raw)
        if value is None:
            raise SchemaError(i, field.name, "number", raw)
        return value
    if field.kind == "list":
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise SchemaError(i, field.name, "text_list", raw)
        return raw
    raise AssertionError(field.kind)


def _check_choice(i: int, name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise SchemaError(i, name, "one_of", value, choices=tuple(repr(c) for c in choices))


def _int_or_none(i: int, name: str, raw: object) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise SchemaError(i, name, "whole_number", raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw)
    raise SchemaError(i, name, "whole_number", raw)


def _float_or_none(i: int, name: str, raw: object) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise SchemaError(i, name, "number", raw)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise SchemaError(i, name, "number", raw) from None
    if not math.isfinite(value):
        raise SchemaError(i, name, "finite_number", raw)
    return value


def _from_pandas(value: object) -> object:
    """Map pandas/numpy missing values and scalars to plain Python."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (list, str)):
        try:
            return value.item()
        except (AttributeError, ValueError):
            return value
    return value
