"""Resource flows between actors: reading, checking and turning them into lines to draw.

A flow goes from one actor to another and carries one resource. Each end is either
- a reference: `from_id` / `to_id` is the id of a park, emission source or cluster member in the
  portfolio; name, position and location precision then come from that layer, or
- a free-text actor (someone the layers do not hold, such as a planned biogas plant): the id is
  empty and name, lon, lat (EPSG:4326) and location_precision are given. In GeoJSON the line's
  first and last coordinates are the positions; for reference ends they are ignored.

Every flow carries its provenance: source_url, source_year (the year the source states, empty when
it states none) and quote. In `quote`, text inside « » is the source's own words; anything outside is
a summary (as recorded in shared/geodata/reference_facts.md). Flows are recorded facts: "mulig" means
a source states the possibility. Computed possibilities live in analysis/candidates.py, never here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, shape

from config import CRS, FLOW_RESOURCE_COLOURS, GEODATA_DIR, METRIC_CRS
from core.portfolio import Portfolio
from core.schema import LOCATION_PRECISIONS
from loaders.bundled.records import check_choice, check_text, check_urls, clean, csv_records, one_of
from loaders.errors import FileFormatError, SchemaError
from loaders.files.geojson import features, single_collection

FLOWS_PATH = GEODATA_DIR / "flows.csv"

FLOW_RESOURCES = (
    "overskuddsvarme",
    "CO2",
    "slam",
    "biogass",
    "biogjødsel",
    "husdyrgjødsel",
    "nitrogenrikt vann",
    "trefiber",
    "restråstoff",
    "restavfall",
    "hydrogen",
)
FLOW_STATUSES = ("eksisterende", "planlagt", "mulig")

_ENDS = ("from", "to")
_END_FIELDS = ("id", "name", "lon", "lat", "precision")
FLOW_COLUMNS = (
    "id",
    *(f"{end}_{field}" for end in _ENDS for field in _END_FIELDS),
    "resource",
    "status",
    "source_url",
    "source_year",
    "quote",
    "note",
)
# Columns a CSV must have; the free-text columns may be left out when every end is a reference.
FLOW_REQUIRED_COLUMNS = ("id", "from_id", "to_id", "resource", "status", "source_url", "quote")

# Which layer column names an actor of each kind.
_NAME_COLUMNS = {"parks": "name", "sources": "facility", "members": "company"}


def load_flows(path: str | Path = FLOWS_PATH) -> pd.DataFrame:
    """The bundled (or any) flow table: .csv, or .geojson/.json with LineString features."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_flows_csv(path.read_bytes())
    if suffix in (".geojson", ".json"):
        return parse_flows_geojson(path.read_bytes())
    raise FileFormatError("flows_suffix", name=path.name)


def parse_flows_csv(data: bytes | str) -> pd.DataFrame:
    """Parse a flow table (UTF-8 CSV with a header row, see `FLOW_COLUMNS`)."""
    return flows_from_records(csv_records(data, FLOW_REQUIRED_COLUMNS, "flow_table"))


def parse_flows_geojson(data: bytes | str) -> pd.DataFrame:
    """Parse a FeatureCollection of LineString features whose properties follow `FLOW_COLUMNS`."""
    records = []
    for i, feature, found in features(single_collection(data)["features"]):
        properties = dict(found)
        geometry = feature.get("geometry")
        try:
            line = shape(geometry) if geometry else None
        except Exception as exc:  # shapely raises several types for malformed coordinates
            raise SchemaError(i, "geometry", "geojson_line", str(exc)) from None
        if line is None or line.geom_type != "LineString" or line.is_empty:
            raise SchemaError(i, "geometry", "flow_line", geometry)
        # The line's ends position free-text actors; reference ends take the layer's position.
        for end, (lon, lat) in zip(_ENDS, (line.coords[0][:2], line.coords[-1][:2]), strict=True):
            if not _present(properties.get(f"{end}_id")):
                properties.setdefault(f"{end}_lon", lon)
                properties.setdefault(f"{end}_lat", lat)
        records.append(properties)
    return flows_from_records(records)


def flows_from_records(records: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Check flow records (from a file or the editor's form) and return them as a flow table.

    Raises `SchemaError` naming the record, the field and what was expected.
    """
    rows, seen = [], set()
    for i, record in enumerate(records):
        row = _check_record(i, record)
        if row["id"] in seen:
            raise SchemaError(i, "id", "unique", row["id"], what="flow_table")
        seen.add(row["id"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(FLOW_COLUMNS))
    for end in _ENDS:
        frame[f"{end}_lon"] = frame[f"{end}_lon"].astype(float)
        frame[f"{end}_lat"] = frame[f"{end}_lat"].astype(float)
    frame["source_year"] = frame["source_year"].astype("Int64")
    return frame


def resolve_flows(flows: pd.DataFrame, portfolio: Portfolio) -> pd.DataFrame:
    """`flows` with every end's name, lon, lat and precision filled in, plus `from_kind`/`to_kind`.

    Kind is "parks", "sources", "members" or "actor" (free text). A reference to an id the portfolio
    does not hold raises `SchemaError`.
    """
    index = _actor_index(portfolio)
    resolved = flows.copy()
    for end in _ENDS:
        kinds = []
        for i, row in enumerate(resolved.to_dict("records")):
            ref = clean(row[f"{end}_id"])
            if ref is None:
                kinds.append("actor")
                continue
            if ref not in index:
                raise SchemaError(i, f"{end}_id", "actor_ref", ref)
            kind, name, point, precision = index[ref]
            label = resolved.index[i]
            resolved.loc[label, f"{end}_name"] = name
            resolved.loc[label, f"{end}_lon"] = point.x
            resolved.loc[label, f"{end}_lat"] = point.y
            resolved.loc[label, f"{end}_precision"] = precision
            kinds.append(kind)
        resolved[f"{end}_kind"] = kinds
    return resolved


def flow_lines(flows: pd.DataFrame, portfolio: Portfolio) -> gpd.GeoDataFrame:
    """One LineString per flow, giver → receiver, in EPSG:4326, for drawing arrows.

    Adds `length_m` (EPSG:25833), `colocated` (both ends at one position: the line has no length,
    draw a marker instead of an arrow) and `colour` (by resource, from config).
    """
    resolved = resolve_flows(flows, portfolio)
    lines = [
        LineString([(row.from_lon, row.from_lat), (row.to_lon, row.to_lat)]) for row in resolved.itertuples(index=False)
    ]
    frame = gpd.GeoDataFrame(resolved, geometry=gpd.GeoSeries(lines, index=resolved.index, crs=CRS), crs=CRS)
    frame["length_m"] = frame.geometry.to_crs(METRIC_CRS).length.astype(float)
    frame["colocated"] = frame["length_m"] < 1.0
    frame["colour"] = frame["resource"].map(FLOW_RESOURCE_COLOURS)
    return frame


def _check_record(i: int, record: Mapping[str, object]) -> dict:
    row = {name: clean(record.get(name)) for name in FLOW_COLUMNS}
    check_text(i, record, row, ("id", "resource", "status", "source_url", "quote"))
    check_choice(i, row, "resource", FLOW_RESOURCES)
    check_choice(i, row, "status", FLOW_STATUSES)
    check_urls(i, row)
    row["source_year"] = _year(i, row["source_year"])
    for end in _ENDS:
        _check_end(i, end, row)
    if row["from_id"] is not None and row["from_id"] == row["to_id"]:
        raise SchemaError(i, "to_id", "other_actor", row["to_id"], other="from_id")
    if row["from_id"] is None and row["to_id"] is None and row["from_name"] == row["to_name"]:
        raise SchemaError(i, "to_name", "other_actor", row["to_name"], other="from_name")
    return row


def _check_end(i: int, end: str, row: dict) -> None:
    ref, name = row[f"{end}_id"], row[f"{end}_name"]
    lon, lat, precision = row[f"{end}_lon"], row[f"{end}_lat"], row[f"{end}_precision"]
    if ref is not None:
        if not isinstance(ref, str):
            raise SchemaError(i, f"{end}_id", "text", ref)
        # A reference takes its position from the layer; a second one here could disagree.
        for field, value in ((f"{end}_lon", lon), (f"{end}_lat", lat), (f"{end}_precision", precision)):
            if value is not None:
                raise SchemaError(i, field, "empty_with_ref", value, end=end)
        # A name given beside an id is only a reading aid; resolve_flows takes the layer's name.
        row[f"{end}_name"] = name if isinstance(name, str) else None
        return
    if name is None:
        raise SchemaError(i, f"{end}_id", "actor", end=end)
    if not isinstance(name, str):
        raise SchemaError(i, f"{end}_name", "text", name)
    row[f"{end}_lon"] = _coordinate(i, f"{end}_lon", lon, 180)
    row[f"{end}_lat"] = _coordinate(i, f"{end}_lat", lat, 90)
    if precision not in LOCATION_PRECISIONS:
        raise SchemaError(i, f"{end}_precision", "one_of", precision, choices=one_of(LOCATION_PRECISIONS))


def _coordinate(i: int, field: str, value: object, limit: float) -> float:
    if value is None:
        raise SchemaError(i, field, "free_degrees")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SchemaError(i, field, "degrees_number", value) from None
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise SchemaError(i, field, "degrees_between", value, limit=limit)
    return number


def _year(i: int, value: object) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit() or not 1800 <= int(text) <= 2100:
        raise SchemaError(i, "source_year", "source_year", value)
    return int(text)


def _actor_index(portfolio: Portfolio) -> dict[str, tuple[str, str, Point, str]]:
    index = {}
    for kind, name_column in _NAME_COLUMNS.items():
        layer = getattr(portfolio, kind)
        # Polygons (parks) are drawn from a point guaranteed to lie inside them.
        points = layer.geometry.representative_point()
        for ref, name, point, precision in zip(
            layer["id"], layer[name_column], points, layer["location_precision"], strict=True
        ):
            index[ref] = (kind, name, point, precision)
    return index


def _present(value: object) -> bool:
    return clean(value) is not None
