"""Checks shared by the map exports (image, slide and HTML): format and size, language, layers, basemap, the view box,
the boundaries and the frames. `exports.request.MapRequest` runs the option checks once, when it is made."""

from __future__ import annotations

import math
from collections.abc import Iterable

import geopandas as gpd

import config
from analysis.filters import View
from exports.errors import ExportDataError, ExportOptionError
from i18n import LANGUAGES

LAYERS = ("parks", "sources", "members")
FORMATS = ("png", "pdf", "pptx", "html")  # a map as an image, a one-page PDF, a slide or a standalone web page
PDF_SIZE = "a4-landscape-300dpi"


def check_image_options(fmt: str, size: str | None) -> str:
    """The image size (`size`, or the format's own when None), or a typed error naming what does not fit."""
    if fmt not in FORMATS:
        raise ExportOptionError(f"Unknown image format {fmt!r}: use one of {', '.join(FORMATS)}.")
    size = size or (PDF_SIZE if fmt == "pdf" else "1920x1080")
    if size not in config.EXPORT_IMAGE_SIZES:
        raise ExportOptionError(f"Unknown image size {size!r}: use one of {', '.join(config.EXPORT_IMAGE_SIZES)}.")
    if fmt == "pdf" and size != PDF_SIZE:
        raise ExportOptionError(f"A PDF is always one A4 landscape page: use size {PDF_SIZE!r}.")
    return size


def check_map_options(
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
    return visible


def check_boundaries(boundaries) -> None:
    if boundaries is not None and (not isinstance(boundaries, gpd.GeoDataFrame) or boundaries.crs is None):
        raise ExportDataError("The boundaries must be a GeoDataFrame with a CRS.")


def check_view(view: View) -> None:
    """Each of the view's three layers is a GeoDataFrame with a CRS."""
    for name in LAYERS:
        frame = getattr(view, name, None)
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            raise ExportDataError(f"The {name} layer must be a GeoDataFrame with a CRS.")


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
