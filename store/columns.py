"""Turn any GeoDataFrame into plain columns both backends can store, and back.

Each attribute column gets a storage type (str, int, float, bool, datetime, json) and keeps its
pandas dtype, so a read returns the same dtypes. Lists, dicts and mixed object columns are stored
as JSON. Physical column names are the frame's own when they are safe in both SQLite and
PostgreSQL, otherwise c0, c1, ...; the mapping is kept in the version's metadata.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from config import CRS
from store.errors import StoreError

# Names the backends use themselves (compared case-insensitively: SQLite ignores case): ours, and PostgreSQL's
# system columns, which no table may define. A frame with any of them is stored as c0, c1 … on both backends.
RESERVED = {"fid", "geom", "_ord", "ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "oid"}
MAX_NAME_BYTES = 63  # PostgreSQL truncates longer identifiers
# The pandas dtype each storage type is written with: nullable where None must survive, text otherwise
# (datetimes as ISO text keep their offset exactly; json is text).
STORAGE_DTYPES = {
    "str": object,
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "datetime": object,
    "json": object,
}


@dataclass(frozen=True)
class Column:
    name: str  # as in the frame
    column: str  # as stored
    type: str  # str, int, float, bool, datetime, json
    dtype: str  # pandas dtype to restore


@dataclass(frozen=True)
class Encoded:
    """A frame as storable parts: typed Python values per column, WKB geometries, and the layout."""

    columns: tuple[Column, ...]
    values: dict[str, list]  # physical column -> Python values (None for missing)
    geoms: np.ndarray  # shapely geometries in EPSG:4326 (None for missing)
    geometry_name: str
    order: tuple[str, ...]  # all frame columns, geometry included, in frame order

    def __len__(self) -> int:
        return len(self.geoms)

    def frame(self) -> gpd.GeoDataFrame:
        """The stored columns as a GeoDataFrame with their storage dtypes (STORAGE_DTYPES), for a file writer."""
        columns = {}
        for c in self.columns:
            values = self.values[c.column]
            if c.type == "float":
                values = [math.nan if v is None else v for v in values]
            columns[c.column] = pd.Series(values, dtype=STORAGE_DTYPES[c.type])
        geometry = gpd.GeoSeries(self.geoms, crs=CRS)
        return gpd.GeoDataFrame(columns, geometry=geometry, crs=CRS)

    def layout_json(self) -> str:
        return json.dumps(
            {
                "columns": [asdict(c) for c in self.columns],
                "geometry_name": self.geometry_name,
                "order": list(self.order),
            },
            ensure_ascii=False,
        )


def encode(gdf: gpd.GeoDataFrame) -> Encoded:
    names = list(gdf.columns)
    if not all(isinstance(n, str) for n in names):
        raise StoreError("store_column_not_text")
    if len(set(names)) != len(names):
        raise StoreError("store_columns_same_name")
    if any("\x00" in n for n in names):
        raise StoreError("store_column_name_nul")
    geometry_name = gdf.geometry.name
    attributes = [n for n in names if n != geometry_name]
    extra = [n for n in attributes if isinstance(gdf[n].dtype, gpd.array.GeometryDtype)]
    if extra:
        raise StoreError("store_second_geometry", got=extra[0])
    physical = attributes if _names_safe(attributes) else [f"c{i}" for i in range(len(attributes))]

    columns, values = [], {}
    for name, column in zip(attributes, physical, strict=True):
        kind, data = _encode_series(gdf[name])
        columns.append(Column(name, column, kind, str(gdf[name].dtype)))
        values[column] = data
    geoms = gdf.geometry
    if geoms.crs is not None and not geoms.crs.equals(CRS):
        geoms = geoms.to_crs(CRS)
    return Encoded(tuple(columns), values, np.asarray(geoms.values, dtype=object), geometry_name, tuple(names))


def layout_columns(layout: str) -> list[Column]:
    """The stored columns a layout (Encoded.layout_json) describes, in order."""
    return [Column(**c) for c in json.loads(layout)["columns"]]


def decode(layout: str, values: dict[str, list], wkb: list[bytes | None]) -> gpd.GeoDataFrame:
    """Rebuild the frame from what a backend read: `values` by physical column, `wkb` per row."""
    spec = json.loads(layout)
    data = {}
    for column in layout_columns(layout):
        data[column.name] = _decode_series(column, values[column.column])
    geometry = gpd.GeoSeries(shapely.from_wkb(np.array(wkb, dtype=object)), crs=CRS)
    data[spec["geometry_name"]] = geometry
    frame = gpd.GeoDataFrame(data, geometry=spec["geometry_name"], crs=CRS)
    return frame[spec["order"]]


def _names_safe(names: list[str]) -> bool:
    folded = [n.casefold() for n in names]
    return (
        len(set(folded)) == len(folded)
        and not RESERVED.intersection(folded)
        and all(0 < len(n.encode("utf-8")) <= MAX_NAME_BYTES for n in names)
    )


def _encode_series(series: pd.Series) -> tuple[str, list]:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        series = series.astype(object)
        dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool", [None if _missing(v) else bool(v) for v in series.tolist()]
    if pd.api.types.is_integer_dtype(dtype):
        return "int", [None if _missing(v) else int(v) for v in series.tolist()]
    if pd.api.types.is_float_dtype(dtype):
        return "float", [None if _missing(v) else float(v) for v in series.tolist()]
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime", [None if _missing(v) else v.isoformat() for v in series.tolist()]
    items = [None if _missing(v) else v for v in series.tolist()]
    if all(v is None or isinstance(v, str) for v in items):
        if any("\x00" in v for v in items if v is not None):
            raise StoreError("store_column_nul", got=series.name)
        return "str", items
    try:
        texts = [
            None if v is None else json.dumps(v, ensure_ascii=False, allow_nan=False, default=json_default)
            for v in items
        ]
    except ValueError as exc:  # NaN/inf inside a list, or a circular structure
        raise StoreError("store_column_not_json", got=series.name, reason=str(exc)) from None
    if any("\\u0000" in t for t in texts if t is not None):
        raise StoreError("store_column_nul", got=series.name)
    return "json", texts


def _decode_series(column: Column, values: list) -> pd.Series:
    if column.type == "json":
        values = [json.loads(v) if isinstance(v, str) else v for v in values]
        series = pd.Series(values, dtype=object)
    elif column.type == "bool":
        series = pd.Series([None if v is None else bool(v) for v in values], dtype=object)
    elif column.type == "int":
        series = pd.Series(values, dtype="Int64")
    elif column.type == "float":
        series = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
    elif column.type == "datetime":
        tz = getattr(pd.api.types.pandas_dtype(column.dtype), "tz", None)
        series = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601", utc=tz is not None)
        if tz is not None:
            series = series.dt.tz_convert(tz)
    else:
        series = pd.Series(values, dtype=object)
    try:
        return series.astype(column.dtype)
    except (TypeError, ValueError):  # e.g. "int64" but the values are json; keep what was read
        return series


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def json_default(value: object) -> object:
    """`json.dumps(default=...)` for what JSON has no type for: numpy scalars and arrays, sets, dates."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray | tuple | set | frozenset):
        return list(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)
