"""Map service overlays in PNG/PDF exports, honestly: each overlay that is on is drawn from a GetMap request (a WMS)
or from its tiles (a WMTS) for the export's extent (through the same safe fetcher and limits as the capabilities,
loaders/official/map_services.py) and credited with its attribution; one whose service does not answer is named as
missing, in the legend, the credits and the text alternative, never silently left out.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

import config
from core.text import attribution_text
from i18n import t
from loaders.errors import MapServiceError
from loaders.official.map_services import fetch_map_image, fetch_wmts_image
from loaders.official.overlays import Overlay
from maps.overlays import OVERLAY_OPACITY

OVERLAY_ZORDER = 2.7  # over the basemap and the boundaries, under the uploaded layers (2.8) and the outline
MISSING_COLOUR = "#8a8a8a"

# (GetMap address, layer name, EPSG:3857 box, (width, height) px, WMS version) -> image bytes, or MapServiceError
MapFetcher = Callable[[str, str, tuple[float, float, float, float], tuple[int, int], str], bytes]


@dataclass(frozen=True)
class OverlayImage:
    overlay: Overlay
    image: np.ndarray | None  # RGBA; None: the service did not answer with an image


def request_size(extent: tuple[float, float, float, float], width_px: float) -> tuple[int, int]:
    """The GetMap size for the map frame: as sharp as the output, at most config.OVERLAY_EXPORT_MAX_PX a side."""
    west, south, east, north = extent
    ratio = (north - south) / max(east - west, 1e-9)
    width, height = float(width_px), float(width_px) * ratio
    scale = min(1.0, config.OVERLAY_EXPORT_MAX_PX / max(width, height, 1.0))
    return max(1, round(width * scale)), max(1, round(height * scale))


def fetch_overlay_images(
    overlays: tuple[Overlay, ...],
    extent: tuple[float, float, float, float],
    width_px: float,
    fetcher: MapFetcher | None = None,
) -> list[OverlayImage]:
    """Each overlay's image over `extent`, or None for it where its service refuses, fails or is not there."""
    fetch = fetcher or (lambda url, layer, box, size, version: fetch_map_image(url, layer, box, size, version))
    size = request_size(extent, width_px)
    return [OverlayImage(overlay, _image(fetch, overlay, extent, size)) for overlay in overlays]


def _image(fetch: MapFetcher, overlay: Overlay, extent, size) -> np.ndarray | None:
    try:
        if overlay.tiled:  # a WMTS: its tiles put together for the extent, through the same guard
            data = fetch_wmts_image(overlay.url, overlay.matrices, extent, size)
        else:
            data = fetch(overlay.url, overlay.layer, extent, size, overlay.version)
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 4 * config.OVERLAY_EXPORT_MAX_PX**2:
                return None  # not what was asked for: never decoded
            return np.asarray(image.convert("RGBA"))
    except (MapServiceError, UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def draw_overlay_images(ax, images: list[OverlayImage], extent: tuple[float, float, float, float]) -> None:
    west, south, east, north = extent
    for i, drawn in enumerate(images):
        if drawn.image is not None:
            ax.imshow(
                drawn.image,
                extent=(west, east, south, north),
                origin="upper",
                interpolation="bilinear",
                alpha=OVERLAY_OPACITY,
                zorder=OVERLAY_ZORDER + i * 0.001,
            )


def overlay_legend(images: list[OverlayImage], lang: str) -> list[tuple[str, dict, str]]:
    """The legend's rows: a heading, then each overlay by title, a missing one said to be missing."""
    if not images:
        return []
    rows: list[tuple[str, dict, str]] = [("group", {}, t("legend_overlays", lang))]
    for drawn in images:
        title = drawn.overlay.title
        if drawn.image is None:
            style = {"radius": config.MEMBER_RADIUS, "fill": (0, 0, 0, 0), "edge": MISSING_COLOUR, "lw": 2, "dash": 1}
            rows.append(("item", style, t("export_overlay_missing_legend", lang, title=title)))
        else:
            style = {"radius": config.MEMBER_RADIUS, "fill": (0.6, 0.6, 0.6, 0.5), "edge": "#555555", "lw": 1.5}
            rows.append(("item", style, title))
    return rows


def overlay_credits(images: list[OverlayImage], lang: str) -> list[str]:
    """Each drawn overlay's attribution (or its service's name); each missing one named as missing."""
    parts = []
    for drawn in images:
        overlay = drawn.overlay
        if drawn.image is None:
            parts.append(t("export_overlay_missing", lang, title=overlay.title))
        else:
            credit = attribution_text(overlay.attribution or overlay.service or overlay.url)
            parts.append(t("export_overlay_credit", lang, title=overlay.title, credit=credit))
    return parts


def overlay_alt(images: list[OverlayImage], lang: str) -> str:
    """The sentences the text alternative adds: the overlays drawn and those missing."""
    drawn = [i.overlay for i in images if i.image is not None]
    missing = [i.overlay for i in images if i.image is None]
    sentences = []
    if drawn:
        layers = "; ".join(f"{o.title} ({attribution_text(o.attribution or o.service)})" for o in drawn)
        sentences.append(t("alt_overlays", lang, layers=layers))
    if missing:
        sentences.append(t("alt_overlays_missing", lang, layers="; ".join(o.title for o in missing)))
    return " ".join(sentences)
