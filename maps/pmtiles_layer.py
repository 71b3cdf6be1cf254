"""A big layer drawn from its PMTiles file by the vendored protomaps-leaflet, as one small folium element.

The element's JavaScript holds only the file's URL, zoom range, bounds, the layer's style and its id, all
passed as one JSON value (never as template source), so the group streamlit-folium re-sends on every rerun
stays a few hundred bytes whatever the layer's size. A click near a feature fires a Leaflet "click" on the
layer whose `layer.toGeoJSON()` carries `{"layer": "stored", "layer_id": …, "ids": [fid]}`: streamlit-folium
returns it as `last_active_drawing`, and the record is read from the store's frame.
"""

from __future__ import annotations

import folium
from folium.map import Layer
from jinja2 import Template

import config
from maps.pmtiles_build import TileSet
from maps.popups import script_json
from maps.styles import stored_style

STORED_LAYER = "stored"  # the `layer` a click on an uploaded layer's feature reports


class VectorTileLayer(Layer):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(options) {
            var P = window.protomapsL;
            var style = options.style;
            function kind(code) { return function(zoom, feature) { return feature.geomType === code; }; }
            var rules = [];
            if (style.polygon.fill) {
                rules.push({dataLayer: options.dataLayer, filter: kind(3), symbolizer: new P.PolygonSymbolizer({
                    fill: style.polygon.fillColor, opacity: style.polygon.fillOpacity})});
            }
            // outlines only from outlineZoom on: below it they double the painting of many small areas
            rules.push({dataLayer: options.dataLayer, filter: function(zoom, feature) {
                return feature.geomType === 3 && (zoom >= options.outlineZoom || !style.polygon.fill);
            }, symbolizer: new P.LineSymbolizer({
                color: style.polygon.color, width: style.polygon.weight, opacity: 0.8})});
            rules.push({dataLayer: options.dataLayer, filter: kind(2), symbolizer: new P.LineSymbolizer({
                color: style.line.color, width: style.line.weight, opacity: style.line.fillOpacity})});
            rules.push({dataLayer: options.dataLayer, filter: kind(1), symbolizer: new P.CircleSymbolizer({
                radius: style.point.radius, fill: style.point.fillColor, opacity: 0.85,
                stroke: "#ffffff", width: 1})});
            var layer = P.leafletLayer({
                url: options.url, maxDataZoom: options.maxDataZoom, paintRules: rules, labelRules: [],
                attribution: "", pane: "overlayPane"
            });
            function pick(e) {
                if (!layer._map) { return; }
                var found = null;
                layer.queryTileFeaturesDebug(e.latlng.lng, e.latlng.lat, options.clickRadius).forEach(function(list) {
                    list.forEach(function(picked) {
                        if (picked.layerName === options.dataLayer && picked.feature.props.fid !== undefined) {
                            found = picked.feature;
                        }
                    });
                });
                if (found === null) { return; }
                var selected = {
                    type: "Feature",
                    geometry: {type: "Point", coordinates: [e.latlng.lng, e.latlng.lat]},
                    properties: {
                        layer: options.selectionLayer, layer_id: options.layerId, ids: [String(found.props.fid)]
                    }
                };
                layer.fire("click", {latlng: e.latlng, layer: {toGeoJSON: function() { return selected; }}});
            }
            layer.on("add", function() { layer._map.on("click", pick); });
            layer.on("remove", function() { if (layer._map) { layer._map.off("click", pick); } });
            return layer;
        })({{ this.options_json }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, tiles: TileSet, url: str, layer_id: int, style: dict, name: str | None = None):
        super().__init__(name=name, overlay=True, control=False)
        self._name = "VectorTileLayer"
        options = {
            "url": url,
            "maxDataZoom": tiles.max_zoom,
            "dataLayer": "features",
            "layerId": int(layer_id),
            "selectionLayer": STORED_LAYER,
            "clickRadius": config.TILE_CLICK_RADIUS_PX,
            "outlineZoom": config.TILE_OUTLINE_ZOOM,
            "style": {
                "point": stored_style(style, "Point").leaflet(),
                "line": stored_style(style, "LineString").leaflet(),
                "polygon": stored_style(style, "Polygon").leaflet(),
            },
        }
        # JSON, with "</" broken so no value can close the <script> it sits in.
        self.options_json = script_json(options)


def tile_layer_group(title: str, tiles: TileSet, url: str, layer_id: int, style: dict) -> folium.FeatureGroup:
    """A group holding only the tile layer, so streamlit-folium re-sends a few hundred bytes, not the layer."""
    group = folium.FeatureGroup(name=title)
    VectorTileLayer(tiles, url, layer_id, style).add_to(group)
    return group
