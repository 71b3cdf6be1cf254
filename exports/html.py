"""The map as one standalone HTML file that opens offline: Leaflet's JS and CSS are inlined, not linked.

Built with the same `maps.build`/`maps.layers` code as the screen map, so it has the same layers,
escaped popups and legend. Only the basemap tiles and the map service overlays in force (maps.overlays: the same
tile layers, attribution and legend as on the web map) use the network; offline they simply do not load.
"""

from __future__ import annotations

import base64
import json
import re

import folium

import config
from analysis.filters import View
from core.text import attribution_text
from exports.alt_text import map_alt_text
from exports.options import check_view
from exports.overlays import simplified
from exports.request import MapRequest
from i18n import t
from loaders.bundled.boundaries import load_boundaries
from maps.assets import OfflineAssetError, use_local_assets
from maps.build import base_map, legend_group, overview_layers
from maps.overlays import over_basemap, overlay_group
from maps.popups import esc
from maps.single_pass import RenderedText
from maps.styles import cluster_colours as default_cluster_colours

LEAFLET_DIR = config.STATIC_DIR / "vendor" / "leaflet"
# A script or stylesheet that would be fetched: any src= on <script>, any href= on <link>.
_ASSET_LINK = re.compile(r"<script\b[^>]*\bsrc\s*=|<link\b[^>]*\bhref\s*=", re.IGNORECASE)


def standalone_html(view: View, request: MapRequest) -> str:
    """A complete HTML document of the map as `request` asks for it (its format and size are not used). The
    request's title and subtitle are shown on the map (top left, beside the zoom buttons) as well as in
    `<title>`. Its uploaded layers are drawn as on the web map, except those the web map draws from tiles, which
    the legend names as left out of the file (it would be too big to open); with no view box given, the map fits
    the chosen municipalities, else the visible features."""
    check_view(view)
    lang, extras = request.lang, request.extras
    colours = request.colours or default_cluster_colours(list(view.members["cluster"].dropna().unique()))
    m = base_map(static_url="")
    small = [(layer.title, layer.frame, layer.style) for layer in extras.uploaded if not simplified(layer)]
    small = [(name, frame, style) for name, frame, style in small if len(frame)]
    legend = [(name, style) for name, _, style in small] + [
        (t("export_html_left_out", lang, title=layer.title), layer.style)
        for layer in extras.uploaded
        if simplified(layer)
    ]
    legend_group(colours, lang, legend).add_to(m)
    # folium's GeoJsonTooltip refuses a layer with no feature, so empty layers are left out.
    drawn = {name for name in request.layers if len(getattr(view, name))}
    groups = overview_layers(view, drawn, request.basemap, colours, lang, small)
    if extras.overlays:  # the map services in force, drawn by the browser from the services, as on the web map
        groups = over_basemap(groups, overlay_group(list(extras.overlays), lang))
    for group in groups:
        group.add_to(m)
    use_local_assets(m, static_url="", inline_ground=True)  # again, with the layers; the outlines inline
    m.default_js, m.default_css = [], []  # inlined below instead
    header = m.get_root().header
    header.add_child(RenderedText(f"<style>{_leaflet_css()}</style>"), name="leaflet_css_inline")
    header.add_child(RenderedText(f"<script>{_leaflet_js()}</script>"), name="leaflet_js_inline")
    m.get_root().title = esc(request.shown_title)
    header.add_child(RenderedText(_TITLE_CSS), name="ik_title_css")
    m.get_root().html.add_child(RenderedText(_title_box(request.shown_title, request.shown_subtitle)), name="ik_title")
    description = map_alt_text(view, request, uploaded=[layer.title for layer in extras.uploaded])
    description = " ".join(part for part in (description, _overlays_named(extras.overlays, lang)) if part)
    m.get_root().html.add_child(RenderedText(_description(description)), name="ik_description")
    m.get_root().script.add_child(RenderedText(_name_map(m, t("map_name_export", lang))), name="ik_map_name")
    _set_view(m, view, request)

    document = _accessible_head(m.get_root().render(), lang)
    if _ASSET_LINK.search(document):
        raise OfflineAssetError("the standalone map still links a script or stylesheet; it would not open offline")
    return document


def _overlays_named(overlays, lang: str) -> str:
    """The sentence naming the map services the file draws, with their attribution (the file fetches them when it
    is opened, so whether they answer is not known here)."""
    if not overlays:
        return ""
    layers = "; ".join(f"{o.title} ({attribution_text(o.attribution or o.service or o.url)})" for o in overlays)
    return t("alt_overlays", lang, layers=layers)


def _accessible_head(document: str, lang: str) -> str:
    """The page's language on <html> (`lang` is "nb" or "en", checked by the request). Only the head is touched:
    user text lives in the body, escaped. (The viewport lets a phone zoom already: maps.assets.ZoomableMap.)"""
    head, end, body = document.partition("</head>")
    return head.replace("<html>", f'<html lang="{lang}">', 1) + end + body


def _description(text: str) -> str:
    """The map's text alternative (exports.alt_text), for screen readers: escaped, read as the map's description."""
    return f'<p id="ik-map-description" class="ik-visually-hidden">{esc(text)}</p>'


def _name_map(m: folium.Map, name: str) -> str:
    """A script that names the map's container (a region, labelled, described by the text alternative) and keeps
    Leaflet's keyboard handling (the container is focusable: arrows pan, + and - zoom, Tab leaves). The name is
    ours, from the catalogue, put in as a JSON string."""
    return (
        "(function () {"
        f" var map = document.getElementById({json.dumps(m.get_name())});"
        " if (!map) { return; }"
        ' map.setAttribute("role", "region");'
        f' if (!map.hasAttribute("aria-label")) {{ map.setAttribute("aria-label", {json.dumps(name)}); }}'
        ' map.setAttribute("aria-describedby", "ik-map-description");'
        " if (map.tabIndex < 0) { map.tabIndex = 0; }"
        " })();"
    )


# Our own constant CSS; the box holds only escaped text (maps.popups.esc), never template source.
_TITLE_CSS = """<style>
.ik-title {position: fixed; top: 10px; left: 54px; z-index: 1000; max-width: min(60vw, 720px);
  background: rgba(255, 255, 255, 0.92); padding: 6px 12px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); font-family: "Source Sans Pro", Arial, sans-serif; color: #111;}
.ik-title h1 {margin: 0; font-size: 20px; line-height: 1.25; overflow-wrap: anywhere;}
.ik-title p {margin: 2px 0 0; font-size: 14px; color: #333; overflow-wrap: anywhere;}
.ik-visually-hidden {position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;}
</style>"""


def _title_box(title: str, subtitle: str) -> str:
    sub = f"<p>{esc(subtitle)}</p>" if subtitle else ""
    return f'<div class="ik-title" id="ik-title"><h1>{esc(title)}</h1>{sub}</div>'


def _set_view(m: folium.Map, view: View, request: MapRequest) -> None:
    """The request's view box; with none, the chosen municipalities, else the visible features."""
    bounds, center, zoom = request.bounds, request.center, request.zoom
    if request.framed:
        bounds = _municipality_bounds(request.extras.municipalities)
    if bounds is not None:
        west, south, east, north = (float(v) for v in bounds)
        m.fit_bounds([[south, west], [north, east]])
    elif center is not None:
        m.location = [float(center[0]), float(center[1])]
        m.options["zoom"] = int(zoom) if float(zoom).is_integer() else float(zoom)
    else:
        frames = [getattr(view, name) for name in sorted(request.layers) if len(getattr(view, name))]
        if frames:
            boxes = [frame.to_crs(config.CRS).total_bounds for frame in frames]
            west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
            east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
            m.fit_bounds([[south, west], [north, east]], padding=(20, 20))


def _municipality_bounds(numbers: tuple[str, ...]) -> tuple[float, float, float, float] | None:
    """The chosen municipalities' box in lon/lat from the bundled boundaries (None when they are not there)."""
    if not config.BUNDLED_KOMMUNER.exists():
        return None
    boundaries = load_boundaries(config.BUNDLED_KOMMUNER)
    chosen = boundaries[boundaries["kommunenummer"].isin(set(numbers))]
    return tuple(float(v) for v in chosen.total_bounds) if len(chosen) else None


def _leaflet_js() -> str:
    # "</script" inside the code would end the inline script early; Leaflet has none, but be safe.
    return (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")


def _leaflet_css() -> str:
    """leaflet.css with its images (layer-control and marker icons) as data: URIs."""
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8").replace("</style", "<\\/style")

    def inline(match: re.Match) -> str:
        path = LEAFLET_DIR / "images" / match.group(1)
        if not path.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode('ascii')})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
