"""Checks shared by the map exports (image and HTML): language, layers, basemap, the view box and the frames."""

from __future__ import annotations

import math
from collections.abc import Iterable

import geopandas as gpd

import config
from analysis.filters import View
from exports.errors import ExportDataError, ExportOptionError
from i18n import LANGUAGES

LAYERS = ("parks", "sources", "members")


def check_map_options(
    view: View,
    lang: str,
    visible_layers: Iterable[str],
    basemap: str,
    bounds,
    center,
    zoom,
) -> set[str]:
    """The visible layers as a set, or a typed error naming the first argument that does not fit."""
    if lang not in LANGUAGES:
        raise ExportOptionError(f"Unknown language {lang!r}: use one of {', '.join(LANGUAGES)}.")
    if isinstance(visible_layers, str):
        raise ExportOptionError("visible_layers must be a collection of layer names, not one string.")
    visible = set(visible_layers)
    if not visible <= set(LAYERS):
        raise ExportOptionError(f"Unknown layers {sorted(visible - set(LAYERS))}: use {', '.join(LAYERS)}.")
    if basemap not in config.BASEMAPS:
        raise ExportOptionError(f"Unknown basemap {basemap!r}: use one of {', '.join(config.BASEMAPS)}.")
    if bounds is not None and center is not None:
        raise ExportOptionError("Give either bounds or center and zoom, not both.")
    if bounds is not None:
        check_bounds(bounds)
    if center is not None:
        check_center(center, zoom)
    for name in LAYERS:
        frame = getattr(view, name, None)
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            raise ExportDataError(f"The {name} layer must be a GeoDataFrame with a CRS.")
    return visible


def check_bounds(bounds) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in bounds)
    except (TypeError, ValueError) as exc:
        raise ExportOptionError(f"bounds must be four numbers (west, south, east, north), got {bounds!r}.") from exc
    if not all(map(math.isfinite, (west, south, east, north))):
        raise ExportOptionError(f"bounds must be finite numbers, got {bounds!r}.")
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ExportOptionError(f"bounds {bounds!r} are not a west, south, east, north box in lon/lat.")
    return west, south, east, north


def check_center(center, zoom) -> None:
    try:
        lat, lon = (float(v) for v in center)
        zoom = float(zoom)
    except (TypeError, ValueError) as exc:
        raise ExportOptionError(
            f"center must be (lat, lon) given with a numeric zoom, got {center!r}, {zoom!r}."
        ) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= config.MAP_MAX_ZOOM):
        raise ExportOptionError(f"center {center!r} or zoom {zoom!r} is outside the world.")
