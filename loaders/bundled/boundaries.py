"""Municipality boundaries for the choropleth: read, download once and cache, and find the ones to use.

Accepted files: GeoJSON (a FeatureCollection, or Kartverket/Geonorge's "Administrative enheter" style
where the municipality collection is nested under a key such as "Kommune" beside "Kommunegrense"),
GeoPackage or GML, each also inside a .zip. The municipality polygons are found by their
`kommunenummer`; boundary lines and other layers are skipped. The result has `kommunenummer`
(4 characters), `name` and `geometry` in EPSG:4326, one row per municipality.

`find_boundaries()` picks, in this order: the file named by INDUSTRIKART_BOUNDARIES, the newest
visible "boundaries" layer in the layer store, the cached download, or the simplified copy bundled in
static/outlines/kommunegrenser.geojson (scripts/build_geodata.py; © Kartverket, CC BY 4.0), so a fresh clone with
no network still draws the choropleth.
"""

from __future__ import annotations

import functools
import io
import json
import os
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from pyproj import CRS as ProjCRS
from pyproj.exceptions import CRSError as ProjCRSError
from shapely.geometry import shape

import config
from core.kommunenummer import clean_number
from loaders.errors import CRSError, FileFormatError, LayerError
from loaders.files.geojson import feature_collections, load_json

BOUNDARIES_KIND = "boundaries"
CACHE_NAME = "kommuner.geojson"
CACHE_SOURCE_NAME = "kommuner.source.json"
_NUMBER_KEYS = ("kommunenummer", "kommunenr", "knr")
_NAME_KEYS = ("kommunenavn", "name", "navn")
_GEO_SUFFIXES = (".geojson", ".json", ".gpkg", ".gml")


class BoundariesError(LayerError):
    """Boundaries could not be downloaded or read. `str()` is a complete, user-facing sentence."""


# --- reading -------------------------------------------------------------------------------------------


def load_boundaries(source: str | Path | bytes, name: str = "") -> gpd.GeoDataFrame:
    """Read municipality boundaries from a path or the bytes of a file (`name` helps guess the format)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        return load_boundaries(path.read_bytes(), name or path.name)
    data = bytes(source)
    if data[:4] == b"PK\x03\x04":
        member, data = _from_zip(data, name)
        name = member
    suffix = Path(name).suffix.lower()
    if suffix in (".gpkg", ".gml") or data[:16].startswith(b"SQLite format 3") or data.lstrip()[:1] == b"<":
        frame = _read_with_gdal(data, suffix or (".gpkg" if data.startswith(b"SQLite") else ".gml"))
    else:
        frame = _read_geojson(data)
    return _normalise(frame)


def normalise_boundaries(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A frame from elsewhere (the layer store) in the same shape as `load_boundaries` gives."""
    return _normalise(frame)


def _from_zip(data: bytes, name: str) -> tuple[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileFormatError("not_zip", name=name or None) from None
    with archive:
        members = [m for m in archive.namelist() if Path(m).suffix.lower() in _GEO_SUFFIXES]
        if not members:
            raise FileFormatError("zip_no_member", suffixes=tuple(_GEO_SUFFIXES))
        # Geonorge zips name the polygons "…Kommuner…"/"…Kommune…"; a boundary-lines file says "grense".
        members.sort(key=lambda m: ("grense" in m.lower(), "kommune" not in m.lower(), m))
        return members[0], archive.read(members[0])


def _read_geojson(data: bytes) -> gpd.GeoDataFrame:
    document = load_json(data)
    collections = feature_collections(document, "")
    if not collections:
        raise FileFormatError("no_geojson_collection")
    best = None
    for key, collection, outer_crs in collections:
        frame = _collection_frame(collection, outer_crs)
        # "Kommune" beats any other collection with polygons and a number
        if frame is not None and not frame.empty and (best is None or key.lower() in ("kommune", "kommuner")):
            best = frame
    if best is None:
        raise FileFormatError("no_boundary_polygons")
    return best


def _collection_frame(collection: dict, outer_crs: object) -> gpd.GeoDataFrame | None:
    features = collection.get("features")
    if not isinstance(features, list):
        return None
    rows, geometries = [], []
    for feature in features:
        if not isinstance(feature, dict):
            continue
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue  # boundary lines, points
        properties = feature.get("properties") or {}
        number = _first(properties, _NUMBER_KEYS)
        if number is None:
            continue
        rows.append({"kommunenummer": number, "name": _name(_first(properties, _NAME_KEYS))})
        try:
            geometries.append(shape(geometry))
        except Exception as exc:  # shapely raises several types for malformed coordinates
            raise FileFormatError("boundary_geometry", number=str(number), reason=str(exc)) from None
    if not rows:
        return None
    crs = _crs(collection.get("crs") or outer_crs)
    return gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geometries), crs=crs)


def _read_with_gdal(data: bytes, suffix: str) -> gpd.GeoDataFrame:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"boundaries{suffix}"
        path.write_bytes(data)
        try:
            layers = [name for name, kind in pyogrio.list_layers(path) if kind and "Polygon" in str(kind)]
        except Exception as exc:  # pyogrio's DataSourceError and friends
            raise FileFormatError("unreadable_as", format=suffix[1:].upper(), reason=str(exc)) from None
        layers.sort(key=lambda n: ("grense" in n.lower(), "kommune" not in n.lower(), n))
        for layer in layers:
            frame = gpd.read_file(path, layer=layer)
            columns = {c.lower(): c for c in frame.columns}
            key = next((columns[k] for k in _NUMBER_KEYS if k in columns), None)
            if key is None:
                continue
            name_key = next((columns[k] for k in _NAME_KEYS if k in columns), None)
            return gpd.GeoDataFrame(
                {
                    "kommunenummer": frame[key],
                    "name": frame[name_key].map(_name) if name_key else None,
                },
                geometry=frame.geometry,
                crs=frame.crs,
            )
    raise FileFormatError("no_boundary_layer")


def _first(properties: dict, keys: tuple[str, ...]) -> object:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    return next((lowered[k] for k in keys if lowered.get(k) not in (None, "")), None)


def _name(value: object) -> str | None:
    """A name as text; Geonorge's list of names per language ({"navn": …, "sprak": …}) joined by " - "."""
    if isinstance(value, list):
        names = [v.get("navn") if isinstance(v, dict) else v for v in value]
        return " - ".join(str(n) for n in names if n) or None
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _crs(member: object) -> str | ProjCRS:
    """The CRS a GeoJSON `crs` member names (old GeoJSON, as Geonorge writes it); lon/lat when none."""
    if member is None:
        return config.CRS
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    if not name:
        return config.CRS
    try:
        return ProjCRS.from_user_input(name)
    except ProjCRSError:
        raise CRSError("crs_declared_unknown", name=str(name)) from None


def _normalise(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is None:
        frame = frame.set_crs(config.CRS)
    if not frame.crs.equals(config.CRS):
        frame = frame.to_crs(config.CRS)
    numbers = [clean_number(v) for v in frame["kommunenummer"]]
    bad = [v for v, n in zip(frame["kommunenummer"], numbers, strict=True) if n is None]
    if bad:
        raise FileFormatError("boundary_code", got=bad[0])
    frame = gpd.GeoDataFrame(
        {"kommunenummer": numbers, "name": frame["name"].astype(object) if "name" in frame else None},
        geometry=shapely.make_valid(frame.geometry.values),
        crs=config.CRS,
    )
    minx, miny, maxx, maxy = frame.total_bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise CRSError("crs_undeclared_not_lonlat")
    # One row per municipality (Geonorge files may split one into several features).
    dissolved = frame.dissolve(by="kommunenummer", aggfunc="first", as_index=False)
    dissolved["name"] = dissolved["name"].where(dissolved["name"].notna(), None)
    return dissolved[["kommunenummer", "name", "geometry"]].sort_values("kommunenummer").reset_index(drop=True)


# --- downloading ---------------------------------------------------------------------------------------


def download_boundaries(
    url: str = config.BOUNDARIES_URL,
    cache_dir: str | Path = config.BOUNDARIES_CACHE_DIR,
    opener: Callable = urllib.request.urlopen,
    force: bool = False,
) -> Path:
    """Download Kartverket's municipalities once and cache them (as checked GeoJSON) in `cache_dir`.

    With a cached file and not `force`, nothing is downloaded. The download goes to a temporary file,
    is read and checked, and only then replaces the cache in one `os.replace`; any failure leaves the
    old cache as it was and raises BoundariesError.
    """
    cache_dir = Path(cache_dir)
    target = cache_dir / CACHE_NAME
    if target.exists() and not force:
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".download-", dir=cache_dir)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with opener(url, timeout=config.BOUNDARIES_TIMEOUT_S) as response:
                    _copy_limited(response, out, config.BOUNDARIES_MAX_BYTES)
            except BoundariesError:
                raise
            except Exception as exc:  # URLError, timeouts, HTTP errors: all mean "no download"
                raise BoundariesError("boundaries_download", url=url, reason=str(exc)) from None
        try:
            frame = load_boundaries(tmp.read_bytes(), Path(url).name)
        except LayerError as exc:
            raise BoundariesError("boundaries_unusable", url=url, error=exc) from None
        written = tmp.with_suffix(".geojson")
        written.write_text(frame.to_json(drop_id=True, ensure_ascii=False), encoding="utf-8")
        _fsync(written)
        os.replace(written, target)
        # Where and when, for the attribution caption (Kartverket, CC BY 4.0).
        source = {"url": url, "downloaded": datetime.now(UTC).isoformat(timespec="seconds"), "features": len(frame)}
        (cache_dir / CACHE_SOURCE_NAME).write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
        return target
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_suffix(".geojson").unlink(missing_ok=True)


def _copy_limited(response, out, limit: int) -> None:
    copied = 0
    while chunk := response.read(1 << 20):
        copied += len(chunk)
        if copied > limit:
            raise BoundariesError("boundaries_too_large", limit_bytes=limit)
        out.write(chunk)
    out.flush()
    os.fsync(out.fileno())


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


# --- choosing ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundBoundaries:
    frame: gpd.GeoDataFrame
    origin: str  # "file", "store", "cache" or "bundled"
    label: str  # the file path or the store layer's title, for a caption


def boundaries_signature(env: Mapping[str, str] | None = None, store=None, cache_dir: Path | None = None) -> tuple:
    """What `find_boundaries` would read, as a hashable value (so a caller can cache on it)."""
    path = _named_file(env)
    layer = _store_layer(store)
    cached = Path(cache_dir or config.BOUNDARIES_CACHE_DIR) / CACHE_NAME
    return (
        path,
        _mtime(Path(path)) if path else None,
        (layer.id, layer.version) if layer else None,
        _mtime(cached),
        _mtime(Path(config.BUNDLED_KOMMUNER)),
    )


def find_boundaries(
    env: Mapping[str, str] | None = None, store=None, cache_dir: Path | None = None
) -> FoundBoundaries | None:
    """The boundaries to use: INDUSTRIKART_BOUNDARIES, else a store layer of kind "boundaries", else the
    cached download, else the bundled simplified copy, else None. A file that is named but unreadable raises."""
    path = _named_file(env)
    if path:
        return FoundBoundaries(load_boundaries(Path(path)), "file", path)
    layer = _store_layer(store)
    if layer is not None:
        return FoundBoundaries(normalise_boundaries(store.read(layer.id)), "store", layer.title)
    cached = Path(cache_dir or config.BOUNDARIES_CACHE_DIR) / CACHE_NAME
    if cached.exists():
        return FoundBoundaries(load_boundaries(cached), "cache", str(cached))
    bundled = Path(config.BUNDLED_KOMMUNER)
    if bundled.exists():
        return FoundBoundaries(load_boundaries(bundled), "bundled", str(bundled))
    return None


def _named_file(env: Mapping[str, str] | None) -> str:
    """INDUSTRIKART_BOUNDARIES: in the settings, or in an environment-like `env`."""
    return (config.settings() if env is None else config.Settings.from_env(env)).boundaries_file


def _store_layer(store):
    if store is None:
        return None
    layers = [info for info in store.list() if info.kind == BOUNDARIES_KIND and info.visible]
    return layers[-1] if layers else None


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def to_current_numbers(frame: gpd.GeoDataFrame):
    """Boundaries from an older division on today's numbers: merged municipalities dissolved into one,
    split ones (Snillfjord) and unknown numbers dropped. Returns the frame and the NumberReport."""
    from core.kommunenummer import CURRENT, map_numbers

    current, report = map_numbers(frame["kommunenummer"])
    if not report.mapped:
        return frame, report
    mapped = frame.assign(kommunenummer=current)[current.notna()]
    mapped = mapped.dissolve(by="kommunenummer", aggfunc="first", as_index=False)
    renamed = mapped["kommunenummer"].isin(report.mapped.values())
    mapped.loc[renamed, "name"] = mapped.loc[renamed, "kommunenummer"].map(CURRENT)
    return mapped[["kommunenummer", "name", "geometry"]].reset_index(drop=True), report


def restrict(frame: gpd.GeoDataFrame, numbers: list[str]) -> gpd.GeoDataFrame:
    """Only the municipalities in `numbers` (e.g. Trøndelag's 38), in that order."""
    kept = frame[frame["kommunenummer"].isin(numbers)]
    order = {n: i for i, n in enumerate(numbers)}
    return kept.sort_values("kommunenummer", key=lambda s: s.map(order)).reset_index(drop=True)


__all__ = [
    "BOUNDARIES_KIND",
    "BoundariesError",
    "FoundBoundaries",
    "boundaries_signature",
    "download_boundaries",
    "find_boundaries",
    "load_boundaries",
    "normalise_boundaries",
    "restrict",
    "to_current_numbers",
]


# --- the bundled outlines (offline basemap, export background) -------------------------------------------


@functools.lru_cache(maxsize=2)
def bundled_outlines(
    kommuner: str | Path = config.BUNDLED_KOMMUNER, fylke: str | Path = config.BUNDLED_FYLKE
) -> tuple[dict, dict] | None:
    """The bundled simplified municipalities and county (GeoJSON dicts, lon/lat), or None when not bundled.

    Made by scripts/build_geodata.py from ../shared/geodata/trondelag_kommuner.geojson (© Kartverket, CC BY 4.0).
    """
    paths = Path(kommuner), Path(fylke)
    if not all(p.exists() for p in paths):
        return None
    return tuple(load_json(p.read_bytes()) for p in paths)  # type: ignore[return-value]
