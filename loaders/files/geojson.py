"""GeoJSON: the one reader of GeoJSON documents, for uploads (`read_geojson`) and for the app's own files
(`load_json`, `single_collection`, `features`: bundled layers, flows, measures, municipal boundaries).

Own code rather than pyogrio/GDAL, which reads plain GeoJSON too, because what GDAL does differently is what the
upload's messages and limits rest on:
- the limits: the feature and vertex counts are taken from the parsed document before any geometry is built
  (`geojson_vertex_count`), and a nesting too deep for the parser is refused by name ("json_too_deep");
- the messages: a broken file is named by line and column ("not_json"), a bad byte by its line and value
  ("not_utf8_at"), a bad feature by its index, field and what was expected (`SchemaError`);
- the columns: nested objects become dotted columns ("adresse.gate"), lists (of objects or of values) JSON text,
  keys keep æøå as written; a lone UTF-16 surrogate ("\\ud800") becomes U+FFFD with a note;
- Geonorge's wrapper of several FeatureCollections in one object is read as one layer per collection, and the
  legacy `crs` member (of the collection or the wrapper) is honoured.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from core.messages import Message
from loaders.errors import FileFormatError, SchemaError
from loaders.files.crs import geojson_crs_member
from loaders.files.raw import RawLayer, typed_frame
from loaders.files.text import LONE_SURROGATE, nonempty_text

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
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

# --- documents ---------------------------------------------------------------------------------------


def load_document(data: bytes | str, member: str | None = None) -> tuple[object, bool]:
    """(the JSON value, whether lone surrogates were replaced) of UTF-8 text (a BOM allowed); FileFormatError
    saying why not ("file_empty", "not_utf8_at", "not_json", "json_too_deep")."""
    text = nonempty_text(data, member)
    try:
        with _no_gc():
            document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileFormatError("not_json", line=exc.lineno, column_number=exc.colno, reason=exc.msg) from None
    except RecursionError:
        raise FileFormatError("json_too_deep") from None
    return _without_lone_surrogates(document, text)


def load_json(data: bytes | str) -> dict:
    """A JSON object from UTF-8 text (BOM allowed), or a FileFormatError saying why not."""
    document, _ = load_document(data)
    if not isinstance(document, dict):
        raise FileFormatError("not_geojson_object")
    return document


def single_collection(data: bytes | str, *, feature: bool = False) -> dict:
    """The one FeatureCollection of a file (with `feature`, a single Feature is taken as a collection of one);
    FileFormatError ("not_geojson") for anything else."""
    collection = load_json(data)
    if feature and collection.get("type") == "Feature":
        collection = {"type": "FeatureCollection", "features": [collection]}
    if collection.get("type") != "FeatureCollection" or not isinstance(collection.get("features"), list):
        raise FileFormatError("not_geojson")
    return collection


def feature_collections(document: dict, name: str) -> list[tuple[str, dict, object]]:
    """(name, FeatureCollection, the `crs` member around it) for each collection a document holds: itself, a
    Feature or a bare geometry as a collection of one (all named `name`), or Geonorge's
    {"Fylke": {FeatureCollection}, "Grense": {FeatureCollection}, ...} (named by their keys). [] when none."""
    kind = document.get("type")
    if kind == "FeatureCollection":
        return [(name, document, None)]
    if kind == "Feature":
        return [(name, {"type": "FeatureCollection", "features": [document]}, document.get("crs"))]
    if kind in _GEOMETRY_TYPES:
        feature = {"type": "Feature", "properties": {}, "geometry": document}
        return [(name, {"type": "FeatureCollection", "features": [feature]}, document.get("crs"))]
    return [
        (str(key), value, document.get("crs"))
        for key, value in document.items()
        if isinstance(value, dict) and value.get("type") == "FeatureCollection"
    ]


def features(items: list) -> Iterator[tuple[int, dict, dict]]:
    """(index, feature, properties) of a collection's features; SchemaError naming the first that is not a
    Feature or whose properties are not an object (none is an empty object)."""
    for i, feature in enumerate(items):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            got = feature.get("type") if isinstance(feature, dict) else feature
            raise SchemaError(i, "type", "feature_type", got)
        properties = feature.get("properties")
        if properties is None:
            properties = {}
        if not isinstance(properties, dict):
            raise SchemaError(i, "properties", "object", properties)
        yield i, feature, properties


def _without_lone_surrogates(document: object, text: str) -> tuple[object, bool]:
    """JSON may escape half of a UTF-16 pair ("\\ud800"), which no UTF-8 text, table or database can hold:
    such characters become U+FFFD. Only files that escape surrogates at all pay for the look."""
    if not _SURROGATE_ESCAPE.search(text):
        return document, False
    try:
        dumped = json.dumps(document, ensure_ascii=False)
    except RecursionError:
        raise FileFormatError("json_too_deep") from None
    if not LONE_SURROGATE.search(dumped):
        return document, False  # escaped pairs only (emoji written by ensure_ascii): json.loads joined them
    with _no_gc():
        return json.loads(LONE_SURROGATE.sub("\ufffd", dumped)), True


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


# --- uploads -----------------------------------------------------------------------------------------


def read_geojson(data: bytes, stem: str) -> list[RawLayer]:
    """The layers of an uploaded GeoJSON file: one per FeatureCollection, counted but not yet built."""
    document, repaired = load_document(data)
    if not isinstance(document, dict):
        kind = {"list": "list", "str": "string"}.get(type(document).__name__, "value")
        raise FileFormatError("not_geojson_top", found=Message(f"json_{kind}"))
    found = feature_collections(document, stem)
    if not found:
        kind = document.get("type")
        keys = tuple(repr(k) for k in list(document)[:8])
        what = Message("json_type_is", type=repr(kind)) if kind is not None else Message("json_no_type", keys=keys)
        raise FileFormatError("not_geojson_found", found=what)
    layers = [_collection_layer(name, collection, outer_crs) for name, collection, outer_crs in found]
    if repaired:
        for layer in layers:
            layer.notes.append(Message("lone_surrogates"))
    return layers


def _collection_layer(name: str, collection: dict, outer_crs: object) -> RawLayer:
    items = collection.get("features")
    if not isinstance(items, list):
        raise FileFormatError("collection_no_features", name=name)
    declared = geojson_crs_member(collection.get("crs", outer_crs))
    notes = []
    if "crs" in collection and declared is None:
        notes.append(Message("crs_link_only"))
    return RawLayer(
        name,
        lambda: _geojson_frame(items),
        declared_crs=declared,
        default_source=GEOJSON_DEFAULT,
        notes=notes,
        format="geojson",
        feature_count=len(items),
        vertex_count=lambda: geojson_vertex_count(items),
    )


def geojson_vertex_count(items: list) -> int:
    """Positions in parsed GeoJSON features, counted per coordinate list (no geometry is built; malformed
    parts count as nothing: the reader names them later)."""
    total = 0
    stack: list = []
    for feature in items:
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


def _geojson_frame(items: list) -> tuple[pd.DataFrame, np.ndarray]:
    with _no_gc():
        rows, geometries = [], []
        for _, feature, properties in features(items):
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
