"""Basemap tiles for server-rendered maps: which Web Mercator tiles cover a view, a urllib fetcher and a mosaic.

The tile maths is mercantile's; what is ours is the choice of zoom (tiles as sharp as the output, no more than a
cap of them) and the mosaic. Exports must never fail for lack of network: a fetcher returns None for a tile it
cannot get, one probe tile is tried before the rest (so an offline server waits one timeout, not one per tile),
and `fetch_mosaic` returns None when no tile came, leaving the caller to draw a vector background.
"""

from __future__ import annotations

import http.client
import io
import math
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import mercantile
import numpy as np
from PIL import Image, UnidentifiedImageError

import config

TILE_PX = 256
MAX_LAT = 85.0511287798  # Web Mercator's square world

TileFetcher = Callable[[int, int, int], "bytes | None"]  # (z, x, y) -> PNG/JPEG bytes or None


@dataclass(frozen=True)
class Mosaic:
    image: np.ndarray  # RGBA uint8; alpha 0 where a tile is missing
    extent: tuple[float, float, float, float]  # left, right, bottom, top in EPSG:3857 (imshow's order)
    zoom: int
    received: int
    wanted: int


def to_mercator(lon: float, lat: float) -> tuple[float, float]:
    """EPSG:3857 metres of a longitude and latitude; latitudes beyond the square world are brought onto its edge."""
    return mercantile.xy(lon, max(-MAX_LAT, min(MAX_LAT, lat)))


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    return mercantile.lnglat(x, y)


def resolution(zoom: float) -> float:
    """EPSG:3857 metres per screen pixel at a Leaflet/slippy-map zoom level."""
    return mercantile.CE / (TILE_PX * 2**zoom)


def url_fetcher(basemap_key: str, timeout: float = config.EXPORT_TILE_TIMEOUT_S) -> TileFetcher | None:
    """A fetcher for a configured basemap's tile URL, or None for a basemap without tiles."""
    url = config.BASEMAPS[basemap_key].url
    if not url:
        return None

    def fetch(z: int, x: int, y: int) -> bytes | None:
        request = urllib.request.Request(
            url.format(z=z, x=x, y=y), headers={"User-Agent": config.EXPORT_TILE_USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read() if response.status == 200 else None
        except (OSError, ValueError, http.client.HTTPException):
            return None  # no network, refused, timed out, 404: the tile is just missing

    return fetch


def tile_zoom(extent: tuple[float, float, float, float], width_px: float, max_zoom: int, max_tiles: int) -> int:
    """The zoom whose tiles are about as sharp as the output, lowered until the view needs few enough tiles."""
    west, south, east, north = extent
    # resolution(zoom) <= the output's metres per pixel, so tiles are not enlarged
    ratio = resolution(0) * width_px / max(east - west, 1e-9)
    zoom = max(0, min(max_zoom, math.ceil(math.log2(max(ratio, 1.0)))))
    while zoom > 0 and len(covering(extent, zoom)) > max_tiles:
        zoom -= 1
    return zoom


def covering(extent: tuple[float, float, float, float], zoom: int) -> list[mercantile.Tile]:
    """The tiles covering a west, south, east, north box in EPSG:3857, row by row from the top left."""
    west, south = to_lonlat(extent[0], extent[1])
    east, north = to_lonlat(extent[2], extent[3])
    return sorted(mercantile.tiles(west, south, east, north, zoom), key=lambda tile: (tile.y, tile.x))


def fetch_mosaic(
    extent: tuple[float, float, float, float],
    width_px: float,
    fetcher: TileFetcher,
    max_zoom: int = config.MAP_MAX_ZOOM,
    max_tiles: int = config.EXPORT_MAX_TILES,
) -> Mosaic | None:
    """The tiles covering `extent` as one RGBA image, or None when not a single tile could be had."""
    zoom = tile_zoom(extent, width_px, max_zoom, max_tiles)
    tiles = covering(extent, zoom)
    # Probe one tile from the middle: without network this is the only wait.
    probe = tiles[len(tiles) // 2]
    first = _decode(_safe_fetch(fetcher, probe))
    if first is None:
        return None
    rest = [tile for tile in tiles if tile != probe]
    with ThreadPoolExecutor(max_workers=config.EXPORT_TILE_WORKERS) as pool:
        images = list(pool.map(lambda tile: _decode(_safe_fetch(fetcher, tile)), rest))
    found = {probe: first, **dict(zip(rest, images, strict=True))}

    top_left, bottom_right = tiles[0], tiles[-1]
    columns, rows = bottom_right.x - top_left.x + 1, bottom_right.y - top_left.y + 1
    mosaic = np.zeros((rows * TILE_PX, columns * TILE_PX, 4), dtype=np.uint8)
    for tile, image in found.items():
        if image is not None:
            top, left = (tile.y - top_left.y) * TILE_PX, (tile.x - top_left.x) * TILE_PX
            mosaic[top : top + TILE_PX, left : left + TILE_PX] = image
    first_box, last_box = mercantile.xy_bounds(top_left), mercantile.xy_bounds(bottom_right)
    bounds = (first_box.left, last_box.right, last_box.bottom, first_box.top)
    received = sum(image is not None for image in found.values())
    return Mosaic(mosaic, bounds, zoom, received, len(tiles))


def _safe_fetch(fetcher: TileFetcher, tile: mercantile.Tile) -> bytes | None:
    try:
        return fetcher(tile.z, tile.x, tile.y)
    except Exception:  # noqa: BLE001 - an injected fetcher's failure must not fail the export
        return None


def _decode(data: bytes | None) -> np.ndarray | None:
    if not data:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = image.convert("RGBA")
            if image.size != (TILE_PX, TILE_PX):
                image = image.resize((TILE_PX, TILE_PX))
            return np.asarray(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
