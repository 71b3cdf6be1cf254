"""What every upload reader returns: layers of raw geometries (no CRS set, nothing repaired) with their properties,
what the file declares about its CRS, and what it tells of its size before the geometries are built."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.messages import Message

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
