"""WMTS (tiled map services) read safely, beside the WMS in loaders/official/map_services.py: the capabilities
document's layers and tile matrix sets, the one matrix set Leaflet can draw (web mercator, the GoogleMapsCompatible
layout: 256 px tiles from the world's top left corner, zoom z at 559 082 264 / 2^z), and tiles for exports.

A layer is drawn from a Leaflet address template ({z}/{x}/{y}) made from its REST ResourceURL, or from the KVP
GetTile address when it has none. A layer offered only in other matrix sets (UTM, for instance) is listed, with the
sets it offers, as one that cannot be drawn. Tiles for exports go through the same guarded fetch as everything else
(map_services.fetch: no private addresses, time and size limits).
"""

from __future__ import annotations

import io
import json
import math
import re
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from concurrent.futures import TimeoutError as FuturesTimeout
from urllib.parse import quote, urlencode, urlsplit

from PIL import Image, UnidentifiedImageError

import config
from loaders.errors import MapServiceError
from loaders.official.capabilities_xml import XLINK, child, children, descendants, local, text

WMTS_NS = "http://www.opengis.net/wmts/1.0"
WORLD = 20037508.342789244  # half the web mercator world's width, metres
ZOOM0_SCALE = 559082264.0287178  # GoogleMapsCompatible's scale denominator at zoom 0 (0.28 mm pixels)
MERCATOR_CODES = ("3857", "900913", "102100", "102113", "3785")
MAX_EXPORT_TILES = 64  # an export asks a WMTS for at most this many tiles (it zooms out instead)
TILE_MAX_BYTES = 2 * 1024 * 1024  # one 256 px tile (all of them together: config.OVERLAY_IMAGE_MAX_BYTES)
EXPORT_WORKERS = 6  # tiles fetched at once for an export, as a browser does
MAX_ZOOM = 24
TEMPLATE_KEYS = ("{tm}", "{x}", "{y}")  # what a stored tile address template holds (and no other placeholder)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


# --- capabilities ------------------------------------------------------------------------------------------------


def is_wmts(root) -> bool:
    return local(root.tag) == "Capabilities" and root.tag.startswith("{" + WMTS_NS)


def parse_wmts(root, url: str, capabilities_type, layer_type):
    """The service's title and its layers (capabilities_type/layer_type: map_services.Capabilities/ServiceLayer)."""
    identification = child(root, "ServiceIdentification")
    title = text(child(identification, "Title")) or url
    provider = text(child(child(root, "ServiceProvider"), "ProviderName"))
    kvp = _kvp_gettile(root)
    contents = child(root, "Contents")
    sets = {text(child(s, "Identifier")): s for s in children(contents, "TileMatrixSet")}
    mercator = {name: found for name, s in sets.items() if (found := web_mercator_matrices(s)) is not None}
    layers = []
    for layer in children(contents, "Layer"):
        name = text(child(layer, "Identifier"))
        if not name:
            continue
        linked = tuple(
            dict.fromkeys(text(child(link, "TileMatrixSet")) for link in children(layer, "TileMatrixSetLink"))
        )
        chosen = next((s for s in linked if s in mercator), "")
        template, matrices = "", ()
        if chosen:
            matrices = mercator[chosen]
            template = _tile_template(layer, chosen, kvp)
        layers.append(
            layer_type(
                name=name,
                title=text(child(layer, "Title")) or name,
                abstract=text(child(layer, "Abstract")),
                attribution=provider,
                legend_url=_legend(layer),
                crs=tuple(_crs_code(text(child(sets[s], "SupportedCRS"))) for s in linked if s in sets),
                kind="wmts",
                matrix_sets=linked,
                tile_url=template,
                matrices=matrices if template else (),
            )
        )
    return capabilities_type(title, root.get("version") or "1.0.0", kvp or url, "image/png", tuple(layers), "wmts")


def web_mercator_matrices(matrix_set) -> tuple[tuple[int, str], ...] | None:
    """((zoom, TileMatrix identifier), ...) when the set is web mercator's GoogleMapsCompatible layout (256 px tiles
    from the world's top left corner, each matrix at a whole zoom's scale), whatever its matrices are named ("7",
    "07", "EPSG:3857:7"); None when Leaflet cannot draw it."""
    crs = text(child(matrix_set, "SupportedCRS"))
    if not any(re.search(rf"(?<!\d){code}$", crs) for code in MERCATOR_CODES):
        return None
    found: dict[int, str] = {}
    for matrix in children(matrix_set, "TileMatrix"):
        try:
            scale = float(text(child(matrix, "ScaleDenominator")))
            left, top = (float(v) for v in text(child(matrix, "TopLeftCorner")).split()[:2])
            size = (int(text(child(matrix, "TileWidth"))), int(text(child(matrix, "TileHeight"))))
        except ValueError:
            return None
        zoom = round(math.log2(ZOOM0_SCALE / scale)) if scale > 0 else -1
        near = 0 <= zoom <= MAX_ZOOM and abs(scale * 2**zoom / ZOOM0_SCALE - 1) < 0.01
        corner = abs(left + WORLD) < 1 and abs(top - WORLD) < 1
        identifier = text(child(matrix, "Identifier"))
        if near and corner and size == (256, 256) and identifier and zoom not in found:
            found[zoom] = identifier
    return tuple(sorted(found.items())) or None


def matrix_script(matrices: tuple[tuple[int, str], ...]) -> str:
    """The JavaScript function Leaflet calls to fill {tm} in a tile address: the zoom's TileMatrix identifier."""
    names = json.dumps({str(z): name for z, name in matrices})
    # inside a <script>: no "</script>" or "<!--" from a service's matrix names can end it
    names = names.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"function (d) {{ var m = {names}[String(d.z)]; return m === undefined ? '' : encodeURIComponent(m); }}"


def tile_url(template: str, matrices: tuple[tuple[int, str], ...], zoom: int, x: int, y: int) -> str:
    """One tile's address from a {tm}/{x}/{y} template (as Leaflet fills it)."""
    name = dict(matrices)[zoom]
    return template.replace("{tm}", quote(name, safe="")).replace("{x}", str(x)).replace("{y}", str(y))


def _tile_template(layer, matrix_set: str, kvp: str) -> str:
    """A Leaflet address template for the layer's tiles: {tm} the TileMatrix (matrix_script fills it), {x} the
    TileCol, {y} the TileRow; "" when neither REST nor KVP gives one Leaflet can fill."""
    style = _default_style(layer)
    formats = [text(f) for f in children(layer, "Format")]
    dimensions = {text(child(d, "Identifier")).lower(): text(child(d, "Default")) for d in children(layer, "Dimension")}
    resources = [r for r in children(layer, "ResourceURL") if (r.get("resourceType") or "tile") == "tile"]
    resources.sort(key=lambda r: (r.get("format") or "") != "image/png")
    for resource in resources:
        filled = _fill(resource.get("template") or "", matrix_set, style, dimensions)
        if filled:
            return filled
    if not kvp:
        return ""
    image_format = "image/png" if "image/png" in formats or not formats else formats[0]
    fixed = urlencode(
        [
            ("SERVICE", "WMTS"),
            ("REQUEST", "GetTile"),
            ("VERSION", "1.0.0"),
            ("LAYER", text(child(layer, "Identifier"))),
            ("STYLE", style),
            ("FORMAT", image_format),
            ("TILEMATRIXSET", matrix_set),
        ]
    )
    joiner = "&" if urlsplit(kvp).query and not kvp.endswith(("&", "?")) else ("" if kvp.endswith(("&", "?")) else "?")
    return f"{kvp}{joiner}{fixed}&TILEMATRIX={{tm}}&TILEROW={{y}}&TILECOL={{x}}"


def _fill(template: str, matrix_set: str, style: str, dimensions: dict[str, str]) -> str:
    if urlsplit(template).scheme.lower() not in ("http", "https"):
        return ""
    values = {"tilematrixset": quote(matrix_set, safe=""), "style": quote(style, safe="")}
    values.update({k: quote(v, safe="") for k, v in dimensions.items() if v})
    leaflet = {"tilematrix": "{tm}", "tilerow": "{y}", "tilecol": "{x}"}

    def one(match: re.Match) -> str:
        key = match.group(1).lower()
        if key in leaflet:
            return leaflet[key]
        if key in values:
            return values[key]
        raise KeyError(key)

    try:
        filled = _PLACEHOLDER.sub(one, template)
    except KeyError:
        return ""  # a placeholder the capabilities give no value for: Leaflet would refuse the template
    return filled if all(p in filled for p in TEMPLATE_KEYS) else ""


def _kvp_gettile(root) -> str:
    """The GetTile address for KVP requests, "" when the service offers only REST."""
    metadata = child(root, "OperationsMetadata")
    for operation in children(metadata, "Operation"):
        if operation.get("name") != "GetTile":
            continue
        for dcp in children(operation, "DCP"):
            get = child(child(dcp, "HTTP"), "Get")
            if get is None:
                continue
            encodings = [text(v) for c in children(get, "Constraint") for v in descendants(c, "Value")]
            href = get.get(XLINK) or ""
            if (not encodings or "KVP" in encodings) and urlsplit(href).scheme.lower() in ("http", "https"):
                return href
    return ""


def _default_style(layer) -> str:
    styles = children(layer, "Style")
    default = next((s for s in styles if (s.get("isDefault") or "").lower() == "true"), styles[0] if styles else None)
    return text(child(default, "Identifier")) or "default"


def _legend(layer) -> str:
    styles = sorted(children(layer, "Style"), key=lambda s: (s.get("isDefault") or "").lower() != "true")
    for style in styles:
        for legend in children(style, "LegendURL"):
            href = legend.get(XLINK) or ""
            if urlsplit(href).scheme.lower() in ("http", "https"):
                return href
    return ""


def _crs_code(urn: str) -> str:
    """ "urn:ogc:def:crs:EPSG::3857" or "EPSG:3857" -> "EPSG:3857"."""
    match = re.search(r"EPSG:{1,2}(?:[\d.]*:)?(\d+)$", urn, re.IGNORECASE)
    return f"EPSG:{match.group(1)}" if match else urn[:80]


# --- tiles for exports -------------------------------------------------------------------------------------------


def export_zoom(extent: tuple[float, float, float, float], size: tuple[int, int], zooms: list[int]) -> int:
    """The service's zoom whose tiles are as sharp as the export asks (the nearest it has), lowered until the
    extent needs at most MAX_EXPORT_TILES tiles."""
    west, south, east, north = extent
    wanted = math.ceil(math.log2(max(2 * WORLD * size[0] / (256 * max(east - west, 1e-6)), 1.0)))
    usable = sorted(zooms)
    zoom = next((z for z in usable if z >= wanted), usable[-1])
    for lower in reversed([z for z in usable if z <= zoom]):
        zoom = lower
        if len(tiles_for(extent, zoom)) <= MAX_EXPORT_TILES:
            break
    return zoom


def tiles_for(extent: tuple[float, float, float, float], zoom: int) -> list[tuple[int, int]]:
    """(column, row) of each tile of `zoom` that meets the EPSG:3857 extent."""
    west, south, east, north = extent
    span = 2 * WORLD / 2**zoom
    last = 2**zoom - 1

    def column(x: float) -> int:
        return min(last, max(0, math.floor((x + WORLD) / span)))

    def row(y: float) -> int:
        return min(last, max(0, math.floor((WORLD - y) / span)))

    return [(x, y) for y in range(row(north), row(south) + 1) for x in range(column(west), column(east) + 1)]


def fetch_tile_image(
    template: str,
    matrices: tuple[tuple[int, str], ...],
    extent: tuple[float, float, float, float],
    size: tuple[int, int],
    fetch,
    timeout: float = config.OVERLAY_EXPORT_TIMEOUT_S,
) -> bytes:
    """A PNG of the layer over `extent` at `size`, put together from its tiles, or MapServiceError.

    `fetch(url, limit, timeout)` is map_services.fetch (the guard); a few tiles are fetched at once, all within one
    time limit and one size limit. A tile the service answers with an error status (outside its coverage) is left
    transparent; a service that cannot be reached, is too slow, sends too much or answers no tile with an image is
    refused, so the export names the layer missing."""
    deadline = time.monotonic() + timeout
    if not matrices or any(key not in template for key in TEMPLATE_KEYS):
        raise MapServiceError("overlay_no_image", layer=template[:100])
    zoom = export_zoom(extent, size, [z for z, _ in matrices])
    tiles = tiles_for(extent, zoom)
    columns = sorted({x for x, _ in tiles})
    rows = sorted({y for _, y in tiles})
    mosaic = Image.new("RGBA", (256 * len(columns), 256 * len(rows)), (0, 0, 0, 0))
    host = urlsplit(template).hostname or ""

    def one(tile: tuple[int, int]):
        left = deadline - time.monotonic()
        if left <= 0:
            raise MapServiceError("overlay_too_slow", host=host, seconds=round(timeout))
        try:
            return tile, fetch(tile_url(template, matrices, zoom, *tile), TILE_MAX_BYTES, left)
        except MapServiceError as exc:
            if exc.code == "overlay_http_status":  # outside the service's coverage: left transparent
                return tile, None
            raise

    drawn, received = 0, 0
    pool = ThreadPoolExecutor(max_workers=EXPORT_WORKERS)
    try:
        futures = [pool.submit(one, tile) for tile in tiles]
        try:
            for future in as_completed(futures, timeout=max(deadline - time.monotonic(), 0.001)):
                (x, y), answer = future.result()
                if answer is None or not answer.content_type.startswith("image/"):
                    continue
                received += len(answer.body)
                if received > config.OVERLAY_IMAGE_MAX_BYTES:  # all the tiles together, like one GetMap image
                    raise MapServiceError(
                        "overlay_too_large", host=host, limit_mb=config.OVERLAY_IMAGE_MAX_BYTES // (1024 * 1024)
                    )
                drawn += _paste(mosaic, answer.body, (256 * columns.index(x), 256 * rows.index(y)))
        except FuturesTimeout as exc:
            raise MapServiceError("overlay_too_slow", host=host, seconds=round(timeout)) from exc
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if not drawn:
        raise MapServiceError("overlay_no_image", layer=template[:100])
    span = 2 * WORLD / 2**zoom
    origin_x, origin_y = -WORLD + columns[0] * span, WORLD - rows[0] * span
    west, south, east, north = extent
    box = tuple(v * 256 / span for v in (west - origin_x, origin_y - north, east - origin_x, origin_y - south))
    out = io.BytesIO()
    mosaic.resize(size, Image.Resampling.BILINEAR, box=box).save(out, format="PNG")
    return out.getvalue()


def _paste(mosaic: Image.Image, data: bytes, corner: tuple[int, int]) -> int:
    """1 when `data` is a 256 px tile image (pasted at `corner`), else 0; the size is read before any decoding."""
    try:
        with Image.open(io.BytesIO(data)) as tile:
            if tile.size != (256, 256):
                return 0
            mosaic.paste(tile.convert("RGBA"), corner)
            return 1
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return 0
