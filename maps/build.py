"""The overview map: a stable base (map, legend, controls) plus the layers that change with filters."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

import config
from analysis.filters import View
from i18n import t
from maps.assets import ZoomableMap, use_local_assets
from maps.features import geojson_group
from maps.labels import LABEL_CSS, LabelZoom
from maps.layers import (
    basemap_group,
    member_features,
    park_features,
    source_features,
    sources_group,
    stored_layer_group,
)
from maps.legend import Legend, LegendContent, NorthArrow, PopupPlacement, PopupsOverLegend, legend_html
from maps.single_pass import RenderedText

POPUP_CSS = """
<style>
.ik-popup th {text-align:left; padding-right:8px; vertical-align:top; font-weight:600; white-space:nowrap}
.ik-popup td {vertical-align:top}
.ik-members {margin:4px 0 4px 16px; padding:0}
.ik-brief {margin:2px 0 0}
/* The map fills its frame: the frame is the map's height, or 16:9 of the width on a slide (ui/presentation.py). */
#map_div {height: 100vh !important; width: 100% !important}
html, body {overflow: hidden}
</style>
"""


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only: folium's `control_scale=True` adds miles and feet.

    No user text: the units are Leaflet's own ("m", "km").
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


def new_map(**options) -> folium.Map:
    """A map with this app's defaults: Trøndelag in view, no tiles (they come as a layer), canvas drawing,
    a metric scale bar and the popup styles. Callers add their elements, then `use_local_assets`."""
    scale = options.pop("control_scale", True)
    settings = {
        "location": config.MAP_CENTER,
        "zoom_start": config.MAP_ZOOM,
        "tiles": None,
        "prefer_canvas": True,
        "max_zoom": config.MAP_MAX_ZOOM,
        **options,
    }
    m = ZoomableMap(**settings)
    if scale:
        m.add_child(MetricScale(), name="metric_scale")
    m.get_root().header.add_child(RenderedText(POPUP_CSS), name="ik_popup_css")
    m.add_child(PopupPlacement(), name="ik_popup_placement")  # a popup opens above its circle, not over it
    m.add_child(PopupsOverLegend(), name="ik_popups_over_legend")
    m.get_root().header.add_child(RenderedText(LABEL_CSS), name="ik_label_css")
    m.add_child(LabelZoom(), name="ik_label_zoom")  # names of key points from a zoom level on (maps/labels.py)
    return m


def base_map(static_url: str = "/app/static", vector_tiles: bool = False) -> folium.Map:
    """The part of the map that stays the same while filters, language and layers change, so the view never
    jumps: streamlit-folium keys the mounted map by this script, and rebuilds it when the script changes.

    `vector_tiles` loads the vendored tile renderer for big layers (maps/pmtiles_layer.py).
    """
    m = new_map()
    NorthArrow().add_to(m)
    return use_local_assets(m, static_url, ("protomaps_leaflet",) if vector_tiles else ())


def legend_group(
    cluster_colours: dict[str, str],
    lang: str,
    stored: list[tuple[str, dict]] = (),
    content: LegendContent | None = None,
) -> folium.FeatureGroup:
    """The overview's legend as a group of its own, swapped in place like the layers.

    `stored` lists (title, style) of uploaded layers drawn too; `content` (maps.legend.legend_content) what the
    map shows, so the legend lists only that (without it, every item).
    """
    group = folium.FeatureGroup(name="legend", control=False)
    extra = [(title, style.get("colour") or config.STORED_DEFAULT_COLOUR) for title, style in stored]
    Legend(legend_html(cluster_colours, lang, extra, content), lang).add_to(group)
    return group


@dataclass(frozen=True)
class PointFeatures:
    """The portfolio's points as the overview map's features, one list a layer (empty for a layer switched off):
    worked out once per data, filters and language (ui.overview.overview_content), drawn by `overview_layers`."""

    parks: list[dict]
    members: list[dict]
    sources: list[dict]


def point_features(
    view: View, visible: set[str], cluster_colours: dict[str, str], lang: str, kpi=None
) -> PointFeatures:
    """`kpi` (analysis.kpi.KeyFigures of `view`): brief popups, a source's with its figure in the key figure's scope
    and year (Kart, whose record panel shows the full record); without it each popup is the full record."""
    brief = kpi is not None
    return PointFeatures(
        park_features(view.parks, lang, brief) if "parks" in visible else [],
        member_features(view.members, cluster_colours, lang, brief) if "members" in visible else [],
        source_features(view.sources, lang, kpi) if "sources" in visible else [],
    )


def overview_layers(
    view: View,
    visible: set[str],
    basemap: str,
    cluster_colours: dict[str, str],
    lang: str,
    stored: list[tuple[str, gpd.GeoDataFrame, dict]] = (),
    tiled: list[folium.FeatureGroup] = (),
    points: PointFeatures | None = None,
) -> list[folium.FeatureGroup]:
    """The groups handed to st_folium's `feature_group_to_add` (with `legend_group`): background first, uploaded
    layers of their own kind next (`tiled`: big ones as tile groups, maps/pmtiles_layer.py),
    the portfolio's points on top: `points` (Kart's, with brief popups: `point_features` with its key figures),
    else from `view` with each popup the full record."""
    if points is None:
        points = point_features(view, visible, cluster_colours, lang)
    groups = [basemap_group(basemap, lang), *tiled]
    groups += [stored_layer_group(title, frame, style, lang) for title, frame, style in stored]
    if "parks" in visible:
        groups.append(geojson_group(points.parks, t("layer_parks", lang)))
    if "members" in visible:
        groups.append(geojson_group(points.members, t("layer_members", lang)))
    if "sources" in visible:
        groups.append(geojson_group(points.sources, t("layer_sources", lang)))
    return groups


def placement_map(sources: gpd.GeoDataFrame, lang: str, static_url: str = "/app/static") -> folium.Map:
    """A map to click a facility's position on: the known sources for orientation, the default basemap."""
    m = new_map()
    basemap_group(config.DEFAULT_BASEMAP, lang).add_to(m)
    sources_group(sources, lang).add_to(m)
    return use_local_assets(m, static_url)
