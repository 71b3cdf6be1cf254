"""Map service overlays on the web map: each a Leaflet WMS tile layer (a WMS) or tile layer (a WMTS, from its
{tm}/{x}/{y} address template; Leaflet asks a function for the zoom's TileMatrix name) with its attribution, and a
legend box naming them (with the service's legend image where it offers one).

Everything here comes from a service's capabilities, so it is data: the attribution is escaped (Leaflet shows it as
HTML), titles are escaped into the legend, and the layer name and address travel as JSON, never as markup.
"""

from __future__ import annotations

import folium
from folium.utilities import JsCode

from i18n import t
from loaders.official.overlays import Overlay
from loaders.official.wmts import matrix_script
from maps.legend import Legend, legend_box
from maps.popups import esc

OVERLAY_OPACITY = 0.75
MAX_MAP_ZOOM = 22


def overlay_group(overlays: list[Overlay], lang: str) -> folium.FeatureGroup:
    """The overlays switched on, over the basemap and under the app's own layers, and their legend."""
    group = folium.FeatureGroup(name="overlays", control=False)
    for overlay in overlays:
        if overlay.tiled:
            wmts_layer(overlay).add_to(group)
            continue
        folium.WmsTileLayer(
            url=overlay.url,
            layers=overlay.layer,
            fmt="image/png",
            transparent=True,
            version=overlay.version,
            attr=esc(overlay.attribution or overlay.service),
            name=f"overlay-{overlay.key}",
            opacity=OVERLAY_OPACITY,
            control=False,
        ).add_to(group)
    if overlays:
        Legend(overlay_legend_html(overlays, lang), lang).add_to(group)
    return group


def wmts_layer(overlay: Overlay) -> folium.TileLayer:
    """A WMTS overlay as a Leaflet tile layer: drawn at the service's zooms, scaled beyond its highest one."""
    zooms = [z for z, _ in overlay.matrices]
    return folium.TileLayer(
        tiles=overlay.url,
        attr=esc(overlay.attribution or overlay.service or overlay.title),  # folium wants one for its own tiles
        name=f"overlay-{overlay.key}",
        overlay=True,
        control=False,
        opacity=OVERLAY_OPACITY,
        min_zoom=0,
        max_zoom=MAX_MAP_ZOOM,
        min_native_zoom=min(zooms),
        max_native_zoom=max(zooms),
        tm=JsCode(matrix_script(overlay.matrices)),  # fills {tm}: the names are data, put in as JSON
    )


def over_basemap(groups: list[folium.FeatureGroup], overlays: folium.FeatureGroup) -> list[folium.FeatureGroup]:
    """`groups` (the basemap's first, as maps.build.overview_layers and maps.portfolio.portfolio_layers give them)
    with the overlays right over the basemap, under everything of the app's own."""
    return [*groups[:1], overlays, *groups[1:]]


def overlay_legend_html(overlays: list[Overlay], lang: str) -> str:
    parts = [f'<div style="font-weight:600;margin-bottom:2px">{esc(t("legend_overlays", lang))}</div>']
    for overlay in overlays:
        parts.append(f'<div class="ik-overlay-legend">{esc(overlay.title)}</div>')
        if overlay.legend_url:
            alt = t("legend_overlay_image", lang, title=overlay.title)
            parts.append(
                f'<img src="{esc(overlay.legend_url)}" alt="{esc(alt)}" style="max-width:220px;display:block" '
                'referrerpolicy="no-referrer" loading="lazy">'
            )
    return legend_box("".join(parts))
