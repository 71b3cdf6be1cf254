"""Map furniture maths for server-rendered maps: the view box, the scale bar and the graticule step.

Everything is in Web Mercator (EPSG:3857), as on screen. Mercator stretches distances by about
1/cos(latitude), so a scale bar holds only at one latitude: the map's centre, as Leaflet's does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from exports.basemap_mosaic import resolution, to_lonlat, to_mercator

WGS84_E2 = 0.00669437999014  # first eccentricity squared of the WGS84 ellipsoid
SCALE_BAR_MAX_FRACTION = 0.22  # of the map's width
NICE_STEPS = (1, 2, 5)
GRATICULE_STEPS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0)  # degrees
MIN_SPAN_M = 4000.0  # a view around a single point still shows some surroundings


@dataclass(frozen=True)
class ScaleBar:
    metres: float  # the round ground length the bar stands for
    map_units: float  # its length in EPSG:3857 metres at `latitude`
    latitude: float  # where it holds


def fit_extent(
    box: tuple[float, float, float, float], aspect: float, pad: float = 0.0
) -> tuple[float, float, float, float]:
    """A west, south, east, north box in EPSG:3857 around `box`, widened (never cropped) to width/height = aspect."""
    west, south, east, north = box
    cx, cy = (west + east) / 2, (south + north) / 2
    width = max(east - west, MIN_SPAN_M) * (1 + 2 * pad)
    height = max(north - south, MIN_SPAN_M) * (1 + 2 * pad)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def lonlat_box_to_mercator(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = bounds
    x0, y0 = to_mercator(west, south)
    x1, y1 = to_mercator(east, north)
    return x0, y0, x1, y1


def extent_from_center(
    center: tuple[float, float], zoom: float, width_in: float, height_in: float, screen_dpi: float
) -> tuple[float, float, float, float]:
    """What a screen map of the same size in inches would show at `zoom` around `center` (lat, lon)."""
    cx, cy = to_mercator(center[1], center[0])
    metres_per_px = resolution(zoom)
    half_w, half_h = width_in * screen_dpi * metres_per_px / 2, height_in * screen_dpi * metres_per_px / 2
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def ground_per_map_metre(latitude: float) -> float:
    """Ground metres along a parallel per EPSG:3857 metre: the parallel's radius on WGS84 over the sphere's."""
    phi = math.radians(latitude)
    return math.cos(phi) / math.sqrt(1 - WGS84_E2 * math.sin(phi) ** 2)


def scale_bar(extent: tuple[float, float, float, float], max_fraction: float = SCALE_BAR_MAX_FRACTION) -> ScaleBar:
    """The longest round length (1, 2 or 5 x 10^n metres) that fits in `max_fraction` of the map's width."""
    west, south, east, north = extent
    _, latitude = to_lonlat((west + east) / 2, (south + north) / 2)
    factor = ground_per_map_metre(latitude)
    limit = (east - west) * max_fraction * factor
    exponent = math.floor(math.log10(limit))
    metres = max(step * 10**exponent for step in NICE_STEPS if step * 10**exponent <= limit)
    return ScaleBar(metres=float(metres), map_units=metres / factor, latitude=latitude)


def graticule_step(span_degrees: float, lines: int = 5) -> float:
    """A round step in degrees giving about `lines` lines across `span_degrees`."""
    for step in GRATICULE_STEPS:
        if span_degrees / step <= lines:
            return step
    return GRATICULE_STEPS[-1]


SPREAD_MAX_POINTS = 3000  # more points than this are a layer's texture, not places to tell apart: left as they are


def spread_points(xy, min_distance: float):
    """Where to draw point markers so none hides another: each group of points linked by distances under
    `min_distance` (single linkage) is set on a ring around its centre, neighbours `min_distance` apart, in the
    order of their bearings from the centre (so the ring keeps their rough layout); lone points stay put.

    `xy` is an (n, 2) array in any planar unit; returns a new (n, 2) array in the same unit. Points that coincide
    (members placed at one municipal centre) get distinct places on the ring too.
    """
    points = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(points)
    out = points.copy()
    if n < 2 or n > SPREAD_MAX_POINTS or min_distance <= 0:
        return out
    close = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1)) < min_distance
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(close, 1)), strict=True):
        parent[root(int(i))] = root(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    for members in groups.values():
        k = len(members)
        if k < 2:
            continue
        centre = points[members].mean(axis=0)
        offsets = points[members] - centre
        bearings = np.arctan2(offsets[:, 1], offsets[:, 0])
        order = sorted(range(k), key=lambda m: (-round(float(bearings[m]), 9), members[m]))  # clockwise, as the slots
        radius = min_distance / (2 * math.sin(math.pi / k))  # chord between ring neighbours = min_distance
        start = math.pi / 2  # the first one straight above the centre
        for slot, m in enumerate(order):
            angle = start - 2 * math.pi * slot / k
            out[members[m]] = centre + radius * np.array([math.cos(angle), math.sin(angle)])
    return out
