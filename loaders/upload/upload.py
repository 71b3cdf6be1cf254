"""Uploads: the one entry point for reading a planner's file into a checked layer in EPSG:4326.

    inspection = inspect_upload(data, "fylker.geojson")   # layers, counts, types, CRS found or candidates
    layer = read_upload(data, "fylker.geojson", layer="Fylke", crs=None, swap_axes=False)
    layer.frame          # GeoDataFrame in EPSG:4326, the file's own columns (codes padded)
    layer.original_crs   # "EPSG:25833"
    layer.report         # ValidationReport: read, repaired, dropped, duplicates, bbox, types, warnings

Bad input raises a `LayerError` subclass (loaders/errors.py) whose `str()` is one plain sentence; nothing is
stored here. A layer over the hard caps (config.MAX_UPLOAD_FEATURES, MAX_UPLOAD_VERTICES) raises `TooManyFeatures`
or `TooManyVertices`, before its geometries are read wherever the format tells the counts. Property values and
layer names are kept verbatim as text: nothing here renders or escapes HTML, so every place that shows them must
escape them.
`progress(fraction, stage)` is called with stages "checking", "reading", "validating", "done".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

import config
from core.messages import Message
from core.progress import Progress
from loaders.errors import (
    CoordinatesOutOfRange,
    CRSError,
    FileFormatError,
    LayerError,
    LayerTooLarge,
    NeedsCRSChoice,
    NeedsLayerChoice,
    TooManyFeatures,
    TooManyFields,
    TooManyVertices,
    UploadTooLarge,
)
from loaders.files.archive import ZipLimits
from loaders.files.crs import (
    WGS84,
    CRSCandidate,
    CRSDecision,
    crs_label,
    inside_norway,
    parse_crs,
    resolve_crs,
    sample_coordinates,
    where,
)
from loaders.files.raw import FORMAT_NAMES, RawLayer
from loaders.files.read import open_source
from loaders.files.text import storable_text
from loaders.upload.field_mapping import pad_codes


@dataclass(frozen=True)
class UploadLimits:
    """Limits for one upload; `UploadLimits.from_config()` reads config.py at call time."""

    max_bytes: int = config.MAX_UPLOAD_BYTES
    feature_warning: int = config.FEATURE_COUNT_WARNING
    zip_max_members: int = config.ZIP_MAX_MEMBERS
    zip_max_uncompressed: int = config.ZIP_MAX_UNCOMPRESSED_BYTES
    zip_max_ratio: float = config.ZIP_MAX_RATIO
    max_features: int = config.MAX_UPLOAD_FEATURES  # hard caps per layer: refused above, never stored
    max_vertices: int = config.MAX_UPLOAD_VERTICES
    max_fields: int = config.MAX_UPLOAD_FIELDS

    @classmethod
    def from_config(cls) -> UploadLimits:
        return cls(
            config.MAX_UPLOAD_BYTES,
            config.FEATURE_COUNT_WARNING,
            config.ZIP_MAX_MEMBERS,
            config.ZIP_MAX_UNCOMPRESSED_BYTES,
            config.ZIP_MAX_RATIO,
            config.MAX_UPLOAD_FEATURES,
            config.MAX_UPLOAD_VERTICES,
            config.MAX_UPLOAD_FIELDS,
        )

    @property
    def zip(self) -> ZipLimits:
        return ZipLimits(self.zip_max_members, self.zip_max_uncompressed, self.zip_max_ratio)


@dataclass(frozen=True)
class LayerSummary:
    """One layer found in a file, before anything is chosen."""

    name: str
    feature_count: int  # features in the file, empty geometries included
    geometry_types: dict[str, int]  # "Point" -> count; empty geometries not counted
    fields: tuple[str, ...]
    declared_crs: str | None  # what the file says, as written ("urn:ogc:def:crs:EPSG::25833"), or None
    crs: str | None  # the CRS it will be read in when that needs no choice ("EPSG:25833"), else None
    crs_source: str | None  # "declared", "GeoJSON default (RFC 7946)", "inferred"; None while a choice is due
    candidates: tuple[CRSCandidate, ...]  # ranked, when a choice is due
    swapped_axes_suspected: bool  # the most plausible reading swaps latitude and longitude
    bounds: tuple[float, float, float, float] | None  # in the file's own coordinates
    lonlat_bounds: tuple[float, float, float, float] | None  # where it lands, when the CRS is known
    problem: LayerError | None = None  # why this layer cannot be read (render with i18n.error_text), if so
    notes: tuple[Message, ...] = ()

    @property
    def needs_crs_choice(self) -> bool:
        return self.crs is None and bool(self.candidates)


@dataclass(frozen=True)
class UploadInspection:
    filename: str
    format: str  # "geojson", "gpkg", "shapefile", "zip", "kml", "kmz", "csv", "xlsx"
    format_name: str  # "GeoJSON", "GeoPackage", ...
    size_bytes: int
    layers: tuple[LayerSummary, ...]
    notes: tuple[str, ...] = ()

    @property
    def layer_names(self) -> list[str]:
        return [layer.name for layer in self.layers]

    @property
    def needs_layer_choice(self) -> bool:
        return len(self.layers) > 1

    def layer(self, name: str) -> LayerSummary:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)


@dataclass
class ValidationReport:
    features_read: int
    features_kept: int
    invalid_repaired: int
    empty_dropped: int
    duplicates: int  # rows whose geometry and properties equal an earlier row's: noted, not dropped
    geometry_types: dict[str, int]
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    crs_found: str | None  # what the file declared, as written
    warnings: list[Message] = field(default_factory=list)  # render with i18n.error_text


@dataclass
class UploadedLayer:
    frame: gpd.GeoDataFrame  # EPSG:4326, the file's own columns plus "geometry"
    name: str  # the layer's name in the file (verbatim text)
    filename: str
    format: str
    original_crs: str  # "EPSG:25833": the CRS the coordinates were read in
    crs_source: str  # "declared", "chosen", "GeoJSON default (RFC 7946)", "inferred"
    swap_axes: bool
    report: ValidationReport


def inspect_upload(
    data: bytes, filename: str, *, limits: UploadLimits | None = None, progress: Progress | None = None
) -> UploadInspection:
    """The layers in an uploaded file with counts, types, fields and CRS (found, or ranked candidates)."""
    limits, report = _started(data, limits, progress)
    with open_source(data, filename, limits.zip) as source:
        summaries, errors = [], []
        for index, raw in enumerate(source.layers):
            report(0.3 + 0.65 * index / len(source.layers), "reading")
            try:
                summaries.append(_summarise(raw, limits))
            except (CRSError, FileFormatError, LayerTooLarge) as exc:
                if len(source.layers) == 1:
                    raise
                errors.append(exc)
                summaries.append(_failed(raw, exc))
        if errors and len(errors) == len(summaries):
            raise errors[0]
        if all(s.feature_count == 0 for s in summaries):
            raise FileFormatError("no_features", name=filename)
        notes = tuple(source.notes)
        fmt = source.format
    report(1.0, "done")
    return UploadInspection(filename, fmt, FORMAT_NAMES[fmt], len(data), tuple(summaries), notes)


def read_upload(
    data: bytes,
    filename: str,
    layer: str | None = None,
    crs: str | None = None,
    swap_axes: bool = False,
    *,
    limits: UploadLimits | None = None,
    progress: Progress | None = None,
) -> UploadedLayer:
    """One layer of an uploaded file, reprojected to EPSG:4326 and validated.

    `layer` names the layer when the file has several (else `NeedsLayerChoice`); `crs` overrides what the
    file declares (the answer to `NeedsCRSChoice`, e.g. a candidate's `crs`); `swap_axes` reads x as
    latitude and y as longitude (or northing/easting). Invalid geometries are repaired with
    `shapely.make_valid`, empty ones dropped, duplicates counted; all of it is in `report`.
    """
    limits, report = _started(data, limits, progress)
    with open_source(data, filename, limits.zip) as source:
        raw = _pick(source.layers, layer)
        _check_counts(raw, limits)
        report(0.2, "reading")
        properties, geometries = raw.load()
        _check_loaded(raw, properties, geometries, limits)
        fmt = source.format
    report(0.4, "validating")
    frame, decision, validation = _validated(raw, properties, geometries, crs, swap_axes, limits, report)
    report(1.0, "done")
    name = storable_text(filename)
    return UploadedLayer(frame, raw.name, name, fmt, decision.crs, decision.source, swap_axes, validation)


# --- internals -------------------------------------------------------------------------------------


def _started(data: bytes, limits: UploadLimits | None, progress: Progress | None) -> tuple[UploadLimits, Progress]:
    """The limits in force (the configured ones unless given) and the progress reporter, once the file's size is
    within them."""
    limits = limits or UploadLimits.from_config()
    report = _reporter(progress)
    report(0.0, "checking")
    _check_size(data, limits)
    report(0.02, "reading")
    return limits, report


def _reporter(progress: Progress | None) -> Progress:
    def report(fraction: float, stage: str) -> None:
        if progress is not None:
            progress(min(max(fraction, 0.0), 1.0), stage)

    return report


def _check_size(data: bytes, limits: UploadLimits) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("data must be the file's bytes")
    if len(data) > limits.max_bytes:
        raise UploadTooLarge(len(data), limits.max_bytes)
    if not bytes(data[:4096]).strip() and not bytes(data).strip():
        raise FileFormatError("file_empty")


def _check_counts(raw: RawLayer, limits: UploadLimits) -> None:
    """The hard caps on what the file tells before its geometries are read (feature count, then vertices)."""
    if raw.feature_count is not None and raw.feature_count > limits.max_features:
        raise TooManyFeatures(raw.feature_count, limits.max_features, raw.name)
    vertices = raw.vertex_count() if raw.vertex_count is not None else None
    if vertices is not None and vertices > limits.max_vertices:
        raise TooManyVertices(vertices, limits.max_vertices, raw.name)


def _check_loaded(raw: RawLayer, properties: pd.DataFrame, geometries: np.ndarray, limits: UploadLimits) -> None:
    """The same caps on the layer as read, for formats that tell no count beforehand; and the fields."""
    if len(properties.columns) > limits.max_fields:
        raise TooManyFields(len(properties.columns), limits.max_fields, raw.name)
    if len(geometries) > limits.max_features:
        raise TooManyFeatures(len(geometries), limits.max_features, raw.name)
    vertices = int(shapely.get_num_coordinates(geometries).sum()) if len(geometries) else 0
    if vertices > limits.max_vertices:
        raise TooManyVertices(vertices, limits.max_vertices, raw.name)


def _pick(layers: list[RawLayer], name: str | None) -> RawLayer:
    if name is None:
        if len(layers) > 1:
            raise NeedsLayerChoice([layer.name for layer in layers])
        return layers[0]
    for layer in layers:
        if layer.name == name:
            return layer
    raise LayerError("no_such_layer", layer=name, layers=tuple(repr(layer.name) for layer in layers))


def _summarise(raw: RawLayer, limits: UploadLimits) -> LayerSummary:
    _check_counts(raw, limits)
    properties, geometries = raw.load()
    _check_loaded(raw, properties, geometries, limits)
    present = _present(geometries)
    types = _type_counts(geometries[present])
    bounds = _bounds(geometries[present])
    crs = source = lonlat = None
    candidates: tuple[CRSCandidate, ...] = ()
    notes = list(raw.notes)
    if bounds is not None:
        try:
            decision = resolve_crs(
                bounds,
                raw.declared_crs,
                default_lonlat=raw.default_source,
                layer=raw.name,
                sample=sample_coordinates(geometries[present]),
            )
        except NeedsCRSChoice as exc:
            candidates = exc.candidates
            notes.append(Message(exc.code, **exc.params))
        else:
            crs, source = decision.crs, decision.source
            lonlat = _lonlat_bounds(geometries[present], crs)
            if not inside_norway(lonlat):
                notes.append(Message("outside_norway", where=where(lonlat)))
    return LayerSummary(
        name=raw.name,
        feature_count=len(geometries),
        geometry_types=types,
        fields=tuple(str(c) for c in properties.columns),
        declared_crs=raw.declared_crs,
        crs=crs,
        crs_source=source,
        candidates=tuple(candidates),
        swapped_axes_suspected=bool(candidates) and candidates[0].swap_axes,
        bounds=bounds,
        lonlat_bounds=lonlat,
        notes=tuple(notes),
    )


def _failed(raw: RawLayer, exc: Exception) -> LayerSummary:
    return LayerSummary(raw.name, 0, {}, (), raw.declared_crs, None, None, (), False, None, None, exc)


def _validated(
    raw: RawLayer,
    properties: pd.DataFrame,
    geometries: np.ndarray,
    crs: str | None,
    swap_axes: bool,
    limits: UploadLimits,
    report: Progress,
) -> tuple[gpd.GeoDataFrame, CRSDecision, ValidationReport]:
    read = len(geometries)
    if read == 0:
        raise FileFormatError("layer_no_features", layer=raw.name)
    warnings = list(raw.notes)
    if read > limits.feature_warning:
        warnings.insert(0, Message("many_features", count=read, limit=limits.feature_warning))
    # Empty and missing geometries go first: they have no coordinates to judge a CRS by.
    present = _present(geometries)
    empty = int((~present).sum())
    properties = properties.loc[present].reset_index(drop=True)
    geometries = geometries[present]
    if len(geometries) == 0:
        raise FileFormatError("layer_all_empty", layer=raw.name)
    if shapely.has_z(geometries).any():
        geometries = shapely.force_2d(geometries)
        warnings.append(Message("z_dropped"))
    if swap_axes:
        geometries = shapely.transform(geometries, lambda xy: xy[:, ::-1])
    report(0.45, "validating")
    decision = resolve_crs(
        _bounds(geometries),
        raw.declared_crs,
        chosen=crs,
        default_lonlat=raw.default_source,
        layer=raw.name,
        sample=sample_coordinates(geometries),
    )
    series = gpd.GeoSeries(geometries, crs=decision.crs)
    if not series.crs.equals(config.CRS):
        series = series.to_crs(config.CRS)
    geometries = np.asarray(series.array, dtype=object)
    report(0.6, "validating")
    lonlat = _bounds(geometries)
    if lonlat is None or not (-180 <= lonlat[0] <= lonlat[2] <= 180 and -90 <= lonlat[1] <= lonlat[3] <= 90):
        raise CoordinatesOutOfRange("coords_outside_lonlat", crs=crs_label(decision.crs))
    if not inside_norway(lonlat):
        warnings.append(Message("outside_norway", where=where(lonlat)))
    invalid = ~shapely.is_valid(geometries)
    repaired = int(invalid.sum())
    if repaired:
        geometries = geometries.copy()
        geometries[invalid] = shapely.make_valid(geometries[invalid], method="structure", keep_collapsed=False)
        collapsed = shapely.is_empty(geometries)
        if collapsed.any():
            warnings.append(Message("collapsed_dropped", count=int(collapsed.sum())))
            empty += int(collapsed.sum())
            properties = properties.loc[~collapsed].reset_index(drop=True)
            geometries = geometries[~collapsed]
    report(0.8, "validating")
    properties, code_notes = pad_codes(properties)
    warnings.extend(code_notes)
    properties, nul_note = _without_nul(properties)
    if nul_note:
        warnings.append(nul_note)
    duplicates = _duplicates(properties, geometries)
    types = _type_counts(geometries)
    if len({_FAMILY[t] for t in types}) > 1:
        counts = tuple(Message("geometry_count", count=n, type=t) for t, n in types.items())
        warnings.append(Message("mixed_geometry", types=counts))
    if "geometry" in properties.columns:
        properties = properties.rename(columns={"geometry": "geometry (property)"})
    frame = gpd.GeoDataFrame(properties, geometry=gpd.GeoSeries(geometries, crs=config.CRS), crs=config.CRS)
    validation = ValidationReport(
        features_read=read,
        features_kept=len(frame),
        invalid_repaired=repaired,
        empty_dropped=empty,
        duplicates=duplicates,
        geometry_types=types,
        bbox=tuple(float(v) for v in shapely.total_bounds(geometries)),
        crs_found=raw.declared_crs,
        warnings=warnings,
    )
    return frame, decision, validation


def _without_nul(properties: pd.DataFrame) -> tuple[pd.DataFrame, Message | None]:
    """NUL characters removed from field names and text values: no store holds them (PostgreSQL text cannot)."""
    names = [str(c) for c in properties.columns]
    renamed = {}
    for column in properties.columns:
        if isinstance(column, str) and "\x00" in column:
            name = column.replace("\x00", "")
            while name in names:
                name += "'"
            names.append(name)
            renamed[column] = name
    values = 0
    for column in properties.columns:
        series = properties[column]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
            continue
        if series.dtype == object:  # mixed values: only the strings among them
            found = series.map(lambda v: isinstance(v, str) and "\x00" in v).astype(bool)
        else:
            found = series.str.contains("\x00", regex=False, na=False).astype(bool)
        if found.any():
            cleaned = pd.Series([v.replace("\x00", "") for v in series[found]], index=series.index[found], dtype=object)
            properties[column] = series.where(~found, cleaned)
            values += int(found.sum())
    if renamed:
        properties = properties.rename(columns=renamed)
    if not renamed and not values:
        return properties, None
    return properties, Message("nul_removed", fields=len(renamed), values=values)


_FAMILY = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "LinearRing": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
    "GeometryCollection": "collection",
}


def _present(geometries: np.ndarray) -> np.ndarray:
    return ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))


def _bounds(geometries: np.ndarray) -> tuple[float, float, float, float] | None:
    if len(geometries) == 0:
        return None
    with np.errstate(all="ignore"):
        box = shapely.total_bounds(geometries)
    return tuple(float(v) for v in box)


def _lonlat_bounds(geometries: np.ndarray, crs: str) -> tuple[float, float, float, float]:
    """The exact lon/lat box of every vertex read in `crs`."""
    parsed = parse_crs(crs)
    if parsed.is_geographic:
        return _bounds(geometries)
    xy = shapely.get_coordinates(geometries)
    lon, lat = pyproj.Transformer.from_crs(parsed, WGS84, always_xy=True).transform(xy[:, 0], xy[:, 1])
    return (float(np.min(lon)), float(np.min(lat)), float(np.max(lon)), float(np.max(lat)))


def _type_counts(geometries: np.ndarray) -> dict[str, int]:
    if len(geometries) == 0:
        return {}
    counts = Counter(shapely.get_type_id(geometries).tolist())
    names = {
        0: "Point",
        1: "LineString",
        2: "LinearRing",
        3: "Polygon",
        4: "MultiPoint",
        5: "MultiLineString",
        6: "MultiPolygon",
        7: "GeometryCollection",
    }
    return {names[t]: n for t, n in sorted(counts.items()) if t in names}


def _duplicates(properties: pd.DataFrame, geometries: np.ndarray) -> int:
    """Rows whose geometry (exact coordinates) and properties equal an earlier row's."""
    if len(geometries) < 2:
        return 0
    keys = pd.DataFrame({"__wkb__": shapely.to_wkb(geometries, output_dimension=2)})
    for i, column in enumerate(properties.columns):
        values = properties[column]
        if values.dtype == object:
            values = values.map(lambda v: v if isinstance(v, (str, int, float, bool, type(None))) else repr(v))
        keys[f"c{i}"] = values.to_numpy()
    return int(keys.duplicated().sum())
