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
        raise ExportOptionError("export_unknown_image_format", format=fmt, choices=FORMATS)
    size = size or (PDF_SIZE if fmt == "pdf" else "1920x1080")
    if size not in config.EXPORT_IMAGE_SIZES:
        raise ExportOptionError("export_unknown_size", size=size, choices=tuple(config.EXPORT_IMAGE_SIZES))
    if fmt == "pdf" and size != PDF_SIZE:
        raise ExportOptionError("export_pdf_size", size=PDF_SIZE)
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
        raise ExportOptionError("export_unknown_language", language=lang, choices=LANGUAGES)
    if isinstance(visible_layers, str):
        raise ExportOptionError("export_layers_one_string")
    visible = set(visible_layers)
    if not visible <= set(LAYERS):
        raise ExportOptionError("export_unknown_layers", layers=sorted(visible - set(LAYERS)), choices=LAYERS)
    if basemap not in config.BASEMAPS:
        raise ExportOptionError("export_unknown_basemap", basemap=basemap, choices=tuple(config.BASEMAPS))
    if bounds is not None and center is not None:
        raise ExportOptionError("export_view_twice")
    if bounds is not None:
        check_bounds(bounds)
    if center is not None:
        check_center(center, zoom)
    return visible


def check_boundaries(boundaries) -> None:
    if boundaries is not None and (not isinstance(boundaries, gpd.GeoDataFrame) or boundaries.crs is None):
        raise ExportDataError("export_boundaries_no_crs")


def check_view(view: View) -> None:
    """Each of the view's three layers is a GeoDataFrame with a CRS."""
    for name in LAYERS:
        frame = getattr(view, name, None)
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            raise ExportDataError("export_layer_no_crs", layer=name)


def check_bounds(bounds) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in bounds)
    except (TypeError, ValueError) as exc:
        raise ExportOptionError("export_bounds_not_four", bounds=bounds) from exc
    if not all(map(math.isfinite, (west, south, east, north))):
        raise ExportOptionError("export_bounds_not_finite", bounds=bounds)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ExportOptionError("export_bounds_not_box", bounds=bounds)
    return west, south, east, north


def check_center(center, zoom) -> None:
    try:
        lat, lon = (float(v) for v in center)
        zoom = float(zoom)
    except (TypeError, ValueError) as exc:
        raise ExportOptionError("export_center_not_numbers", center=center, zoom=zoom) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= config.MAP_MAX_ZOOM):
        raise ExportOptionError("export_center_outside", center=center, zoom=zoom)
