"""The selected feature's highlight: a small group of its own, drawn from the geometry alone.

Only rings and outlines travel (no properties, popups or copies of the layers), and they are not
interactive, so a click still reaches the feature underneath. They are plain Leaflet paths, not GeoJSON
features, so nothing that counts the map's features sees them.

The server's highlight arrives with the rerun a click starts (streamlit-folium waits 250 ms before it reports
a click, then the script runs); `InstantHighlight` draws the same ring in the browser at the click itself, and
the server's group replaces it when it arrives.
"""

from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry.base import BaseGeometry

import config

HIGHLIGHT_CLASS = "ik-highlight"


def highlight_group(geometries: list[BaseGeometry]) -> folium.FeatureGroup:
    """A ring around every point and an outline along every line or polygon boundary in `geometries`."""
    group = folium.FeatureGroup(name="highlight", control=False)
    KeepPopup().add_to(group)
    InstantHighlight().add_to(group)
    for geometry in geometries:
        for style in (CASING_STYLE, RING_STYLE):  # the dark casing first, the bright ring on it
            for path in _paths(geometry, style):
                path.options["interactive"] = False
                path.add_to(group)
    return group


RING_STYLE = {"color": config.HIGHLIGHT_COLOUR, "weight": 4, "opacity": 0.95, "className": HIGHLIGHT_CLASS}
# A dark edge on both sides of the bright ring: the ring keeps 3:1 against light and dark maps alike (WCAG 1.4.11).
CASING_STYLE = {
    "color": config.HIGHLIGHT_CASING_COLOUR,
    "weight": 8,
    "opacity": 0.9,
    "className": "ik-highlight-casing",
}


def _paths(geometry: BaseGeometry | None, style: dict) -> list[folium.Element]:
    if geometry is None or geometry.is_empty:
        return []
    kind = geometry.geom_type
    if kind == "Point":
        ring = {**style, "fill": False, "radius": config.HIGHLIGHT_RADIUS_PX}
        return [folium.CircleMarker(location=(geometry.y, geometry.x), **ring)]
    if kind in ("LineString", "LinearRing"):
        return [folium.PolyLine([(y, x) for x, y, *_ in geometry.coords], **style)]
    if kind == "Polygon":
        return [folium.PolyLine([(y, x) for x, y, *_ in geometry.exterior.coords], **style)]
    if kind.startswith("Multi") or kind == "GeometryCollection":
        return [path for part in geometry.geoms for path in _paths(part, style)]
    return []


class KeepPopup(MacroElement):
    """A new selection redraws every group (streamlit-folium swaps them all), which closes the popup the user
    just opened by clicking; this reopens it on the same feature in the redrawn group. Constant script: it
    reads the feature's layer and ids from the closed popup, nothing is written into it from Python."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            if (!map) { return; }
            if (!map.__ikKeepPopup) {
                map.__ikKeepPopup = true;
                map.on("popupclose", function (e) {
                    var source = e.popup && e.popup._source;
                    var props = source && source.feature && source.feature.properties;
                    if (!props || !props.layer) { return; }
                    map.__ikClosed = {layer: props.layer, ids: JSON.stringify(props.ids), latlng: e.popup.getLatLng()};
                    setTimeout(function () { map.__ikClosed = null; }, 0);  // only a redraw in this same turn
                });
            }
            var closed = map.__ikClosed;
            map.__ikClosed = null;
            if (!closed) { return; }
            map.eachLayer(function (layer) {
                var props = layer.feature && layer.feature.properties;
                if (closed && props && props.layer === closed.layer && JSON.stringify(props.ids) === closed.ids) {
                    layer.fire("click", {latlng: closed.latlng, layer: layer}, true);
                    closed = null;
                }
            });
        })(window.map);
        {% endmacro %}
        """
    )


class InstantHighlight(MacroElement):
    """At a click on any feature (GeoJSON or vector tile), the old highlight goes and a ring or outline is
    drawn at once from the clicked feature's own geometry; the server's highlight group replaces it at the
    rerun. Runs with every swap of the groups: the layers drawn before it are (re)hooked, last swap's
    browser-drawn ring removed. Constant script; its only values are the style, passed as JSON."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, style, casing) {
            if (!map) { return; }
            if (!map.__ikInstant) { map.__ikInstant = L.layerGroup().addTo(map); }
            map.__ikInstant.clearLayers();
            if (!map.__ikOnClick) {
                map.__ikOnClick = function (e) {
                    var source = e.layer && e.layer.toGeoJSON ? e.layer : e.target;
                    if (!source || !source.toGeoJSON) { return; }
                    var names = [style.className, casing.className];
                    map.eachLayer(function (layer) {  // last selection's rings, outlines and their casings
                        if (layer.options && names.indexOf(layer.options.className) >= 0
                                && !map.__ikInstant.hasLayer(layer)) { map.removeLayer(layer); }
                    });
                    map.__ikInstant.clearLayers();
                    [casing, style].forEach(function (drawn) {  // the dark casing first, the bright ring on it
                        L.geoJSON(source.toGeoJSON(), {
                            interactive: false,
                            style: function () { return Object.assign({fill: false}, drawn); },
                            pointToLayer: function (feature, latlng) {
                                return L.circleMarker(latlng, Object.assign({fill: false, interactive: false}, drawn));
                            }
                        }).eachLayer(function (layer) {
                            delete layer.feature;  // a path, not a feature: nothing that finds features finds it
                            map.__ikInstant.addLayer(layer);
                        });
                    });
                };
            }
            map.eachLayer(function (layer) {
                if (layer !== map.__ikInstant && typeof layer.on === "function"
                        && (layer.feature || layer.queryTileFeaturesDebug)) {
                    layer.off("click", map.__ikOnClick);
                    layer.on("click", map.__ikOnClick);
                }
            });
        })(window.map, {{ this.style_json }}, {{ this.casing_json }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "InstantHighlight"
        self.style_json = json.dumps({**RING_STYLE, "radius": config.HIGHLIGHT_RADIUS_PX})
        self.casing_json = json.dumps({**CASING_STYLE, "radius": config.HIGHLIGHT_RADIUS_PX})
