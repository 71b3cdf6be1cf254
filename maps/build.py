"""The overview map: a stable base (map, legend, controls) plus the layers that change with filters."""

from __future__ import annotations

import folium
import geopandas as gpd

import config
from analysis.filters import View
from maps.assets import use_local_assets
from maps.layers import (
    basemap_group,
    members_group,
    parks_group,
    sources_group,
    stored_layer_group,
)
from maps.legend import Legend, NorthArrow, legend_html
from maps.single_pass import RenderedText

POPUP_CSS = """
<style>
.ik-popup th {text-align:left; padding-right:8px; vertical-align:top; font-weight:600; white-space:nowrap}
.ik-popup td {vertical-align:top}
.ik-members {margin:4px 0 4px 16px; padding:0}
</style>
"""


def new_map(**options) -> folium.Map:
    """A map with this app's defaults: Trøndelag in view, no tiles (they come as a layer), canvas drawing,
    a scale bar and the popup styles. Callers add their elements, then `use_local_assets`."""
    settings = {
        "location": config.MAP_CENTER,
        "zoom_start": config.MAP_ZOOM,
        "tiles": None,
        "prefer_canvas": True,
        "control_scale": True,
        "max_zoom": config.MAP_MAX_ZOOM,
        **options,
    }
    m = folium.Map(**settings)
    m.get_root().header.add_child(RenderedText(POPUP_CSS), name="ik_popup_css")
    return m


def base_map(
    cluster_colours: dict[str, str],
    lang: str,
    static_url: str = "/app/static",
    stored: list[tuple[str, dict]] = (),
) -> folium.Map:
    """The part of the map that stays the same while filters change (so the view never jumps).

    `stored` lists (title, style) of uploaded layers drawn too, for the legend.
    """
    m = new_map()
    extra = [(title, style.get("colour") or config.STORED_DEFAULT_COLOUR) for title, style in stored]
    Legend(legend_html(cluster_colours, lang, extra)).add_to(m)
    NorthArrow().add_to(m)
    return use_local_assets(m, static_url)


def overview_layers(
    view: View,
    visible: set[str],
    basemap: str,
    cluster_colours: dict[str, str],
    lang: str,
    stored: list[tuple[str, gpd.GeoDataFrame, dict]] = (),
) -> list[folium.FeatureGroup]:
    """The groups handed to st_folium's `feature_group_to_add`: background first, uploaded
    layers of their own kind next, the portfolio's points on top."""
    groups = [basemap_group(basemap, lang)]
    groups += [stored_layer_group(title, frame, style, lang) for title, frame, style in stored]
    if "parks" in visible:
        groups.append(parks_group(view.parks, lang))
    if "members" in visible:
        groups.append(members_group(view.members, cluster_colours, lang))
    if "sources" in visible:
        groups.append(sources_group(view.sources, lang))
    return groups


def placement_map(sources: gpd.GeoDataFrame, lang: str, static_url: str = "/app/static") -> folium.Map:
    """A map to click a facility's position on: the known sources for orientation, the default basemap."""
    m = new_map()
    basemap_group(config.DEFAULT_BASEMAP, lang).add_to(m)
    sources_group(sources, lang).add_to(m)
    return use_local_assets(m, static_url)
