"""Basemap tiles for server-rendered maps: Web Mercator tile maths, a urllib fetcher and a tile mosaic.

Exports must never fail for lack of network: a fetcher returns None for a tile it cannot get, one probe
tile is tried before the rest (so an offline server waits one timeout, not one per tile), and
`fetch_mosaic` returns None when no tile came, leaving the caller to draw a vector background.
"""

from __future__ import annotations

import http.client
import io
import math
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

import config

EARTH_RADIUS = 6378137.0  # the sphere EPSG:3857 projects onto
ORIGIN_SHIFT = math.pi * EARTH_RADIUS  # half the world's width in EPSG:3857 metres
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
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = math.radians(lon) * EARTH_RADIUS
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * EARTH_RADIUS
    return x, y


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    lon = math.degrees(x / EARTH_RADIUS)
    lat = math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)
    return lon, lat


def resolution(zoom: float) -> float:
    """EPSG:3857 metres per screen pixel at a Leaflet/slippy-map zoom level."""
    return 2 * ORIGIN_SHIFT / (TILE_PX * 2**zoom)


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
    while zoom > 0 and _count(tile_range(extent, zoom)) > max_tiles:
        zoom -= 1
    return zoom


def tile_range(extent: tuple[float, float, float, float], zoom: int) -> tuple[int, int, int, int]:
    """First and last tile column and row (inclusive) covering a west, south, east, north box in EPSG:3857."""
    west, south, east, north = extent
    size = 2 * ORIGIN_SHIFT / 2**zoom
    last = 2**zoom - 1

    def column(x: float) -> int:
        return max(0, min(last, math.floor((x + ORIGIN_SHIFT) / size)))

    def row(y: float) -> int:
        return max(0, min(last, math.floor((ORIGIN_SHIFT - y) / size)))

    return column(west), column(east), row(north), row(south)


def fetch_mosaic(
    extent: tuple[float, float, float, float],
    width_px: float,
    fetcher: TileFetcher,
    max_zoom: int = config.MAP_MAX_ZOOM,
    max_tiles: int = config.EXPORT_MAX_TILES,
) -> Mosaic | None:
    """The tiles covering `extent` as one RGBA image, or None when not a single tile could be had."""
    zoom = tile_zoom(extent, width_px, max_zoom, max_tiles)
    x0, x1, y0, y1 = tile_range(extent, zoom)
    tiles = [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
    # Probe one tile from the middle: without network this is the only wait.
    probe = tiles[len(tiles) // 2]
    first = _decode(_safe_fetch(fetcher, zoom, *probe))
    if first is None:
        return None
    rest = [tile for tile in tiles if tile != probe]
    with ThreadPoolExecutor(max_workers=config.EXPORT_TILE_WORKERS) as pool:
        images = list(pool.map(lambda tile: _decode(_safe_fetch(fetcher, zoom, *tile)), rest))
    found = {probe: first, **dict(zip(rest, images, strict=True))}

    mosaic = np.zeros(((y1 - y0 + 1) * TILE_PX, (x1 - x0 + 1) * TILE_PX, 4), dtype=np.uint8)
    for (x, y), image in found.items():
        if image is not None:
            top, left = (y - y0) * TILE_PX, (x - x0) * TILE_PX
            mosaic[top : top + TILE_PX, left : left + TILE_PX] = image
    size = 2 * ORIGIN_SHIFT / 2**zoom
    bounds = (
        -ORIGIN_SHIFT + x0 * size,
        -ORIGIN_SHIFT + (x1 + 1) * size,
        ORIGIN_SHIFT - (y1 + 1) * size,
        ORIGIN_SHIFT - y0 * size,
    )
    received = sum(image is not None for image in found.values())
    return Mosaic(mosaic, bounds, zoom, received, len(tiles))


def _count(tile_box: tuple[int, int, int, int]) -> int:
    x0, x1, y0, y1 = tile_box
    return (x1 - x0 + 1) * (y1 - y0 + 1)


def _safe_fetch(fetcher: TileFetcher, z: int, x: int, y: int) -> bytes | None:
    try:
        return fetcher(z, x, y)
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
