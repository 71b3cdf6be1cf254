"""The bundled county and municipality outlines under every map: a ground that needs no network.

The map's frame loads them as a script with Leaflet (static/outlines/outlines.js, from the browser's cache), so
they are drawn with the map itself and a rerun never re-sends them; without that script it fetches the GeoJSON
files; the standalone HTML file carries them inline. A basemap can ask for the land tint or for no outlines at all
(`OutlinesMode`, added to its feature group). Only file URLs and numbers reach the script, as JSON.
"""

from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from jinja2 import Template

import config
from loaders.bundled.boundaries import bundled_outlines
from maps.popups import script_json

_STYLE = {
    "county": {"color": config.OFFLINE_COUNTY_COLOUR, "weight": 1.4, "fillColor": config.OFFLINE_LAND_COLOUR},
    "municipality": {"color": config.OFFLINE_MUNICIPALITY_COLOUR, "weight": 0.7, "fill": False},
    "chosen": {"color": config.CHOSEN_AREA_COLOUR, "weight": 3, "opacity": 0.9, "fill": False},
}


class Outlines(MacroElement):
    """Draws the outlines in a pane below every overlay; `window.ikOutlines.mode(m)` sets "plain", "tint" or "hide",
    `window.ikOutlines.choose(numbers)` outlines those municipalities (by kommunenummer) boldly, in every mode."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var options = {{ this.options_json }};
            map.createPane("ikOutlines");
            map.getPane("ikOutlines").style.zIndex = 350;
            map.getPane("ikOutlines").style.pointerEvents = "none";
            var layers = [], mode = window.ikOutlinesMode || "plain";
            var chosen = window.ikOutlinesChosen || [], municipalities = null, chosenLayer = null;
            function drawChosen() {
                if (chosenLayer) { map.removeLayer(chosenLayer); chosenLayer = null; }
                if (!municipalities || !chosen.length) { return; }
                chosenLayer = L.geoJSON(municipalities, {pane: "ikOutlines", interactive: false,
                    style: options.style.chosen, filter: function(f) {
                        return chosen.indexOf(String((f.properties || {}).kommunenummer)) >= 0;
                    }}).addTo(map);
            }
            function apply() {
                layers.forEach(function(entry) {
                    var style = Object.assign({}, options.style[entry.kind]);
                    if (entry.kind === "county") { style.fill = mode === "tint"; style.fillOpacity = 1.0; }
                    entry.layer.setStyle(style);
                    if (mode === "hide") { map.removeLayer(entry.layer); } else if (!map.hasLayer(entry.layer)) {
                        entry.layer.addTo(map);
                    }
                });
            }
            function add(kind, data) {
                var layer = L.geoJSON(data, {pane: "ikOutlines", interactive: false, onEachFeature: function(f) {
                    f.properties = Object.assign({}, f.properties, {layer: "outlines"});  // a ground, not a feature
                }});
                layers.push({kind: kind, layer: layer});
                apply();
                if (kind === "municipality") { municipalities = data; drawChosen(); }
            }
            window.ikOutlines = {
                mode: function(m) { mode = m; window.ikOutlinesMode = m; apply(); },
                choose: function(numbers) { chosen = numbers; window.ikOutlinesChosen = numbers; drawChosen(); },
                chosen: function() {  // the municipalities outlined now (for tests and the curious)
                    return chosenLayer ? chosenLayer.getLayers().map(function(l) {
                        return String(l.feature.properties.kommunenummer); }) : [];
                }
            };
            ["county", "municipality"].forEach(function(kind) {
                var source = options.sources[kind], loaded = window.ikOutlineData;
                if (typeof source === "string" && loaded && loaded[kind]) {
                    add(kind, loaded[kind]);
                } else if (typeof source === "string") {
                    fetch(source).then(function(r) { return r.json(); }).then(function(d) { add(kind, d); })
                        .catch(function() {});
                } else if (source) { add(kind, source); }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, sources: dict):
        super().__init__()
        self._name = "Outlines"
        self.options_json = script_json({"sources": sources, "style": _STYLE})


def outlines(static_url: str, inline: bool = False) -> Outlines | None:
    """The outlines element: URLs under `static_url`, or the data itself for a file that must open alone.
    None when the outlines are not bundled."""
    if not (config.BUNDLED_KOMMUNER.exists() and config.BUNDLED_FYLKE.exists()):
        return None
    if inline:
        kommuner, fylke = bundled_outlines(config.BUNDLED_KOMMUNER, config.BUNDLED_FYLKE)
        return Outlines({"county": fylke, "municipality": kommuner})
    return Outlines(
        {
            "county": outlines_url(static_url, config.BUNDLED_FYLKE),
            "municipality": outlines_url(static_url, config.BUNDLED_KOMMUNER),
        }
    )


def outlines_url(static_url: str, path) -> str:
    """Where the browser finds a file of static/outlines/."""
    return f"{static_url.rstrip('/')}/{path.relative_to(config.STATIC_DIR).as_posix()}"


class OutlinesMode(MacroElement):
    """While its feature group (a basemap) is on the map, the outlines take `mode` ("tint" or "hide")."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var group = {{ this._parent.get_name() }};
            var mode = {{ this.mode_json }};
            function set(m) { window.ikOutlinesMode = m; if (window.ikOutlines) { window.ikOutlines.mode(m); } }
            group.on("add", function() { set(mode); });
            group.on("remove", function() { set("plain"); });
            if (group._map) { set(mode); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, mode: str):
        super().__init__()
        self._name = "OutlinesMode"
        self.mode_json = json.dumps(mode)


class ChosenArea(MacroElement):
    """While its feature group is on the map, the outlines draw these municipalities boldly (maps/outlines.py's
    `choose`). Only municipality numbers reach the script, as JSON."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var group = {{ this._parent.get_name() }};
            var numbers = {{ this.numbers_json }};
            function set(n) { window.ikOutlinesChosen = n; if (window.ikOutlines) { window.ikOutlines.choose(n); } }
            group.on("add", function() { window.ikOutlinesChosenBy = group; set(numbers); });
            group.on("remove", function() { if (window.ikOutlinesChosenBy === group) { set([]); } });
            if (group._map) { window.ikOutlinesChosenBy = group; set(numbers); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, numbers: tuple[str, ...]):
        super().__init__()
        self._name = "ChosenArea"
        self.numbers_json = json.dumps([str(n) for n in numbers if str(n).isdigit()])


def area_group(numbers: tuple[str, ...]) -> folium.FeatureGroup:
    """The chosen municipalities (Kart's municipality filter) outlined, as a group swapped in place like the
    layers; with none chosen, a group that clears the outline."""
    group = folium.FeatureGroup(name="area", control=False)
    ChosenArea(tuple(numbers)).add_to(group)
    return group
