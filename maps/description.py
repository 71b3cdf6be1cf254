"""The map's accessible name and description, for screen readers: what the map shows, said in words.

Added to a feature group, it travels with the groups streamlit-folium swaps in place (like the legend), so a filter
or language change updates the words without rebuilding the map. The text goes in as JSON data, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from branca.element import MacroElement
from jinja2 import Template

from maps.popups import script_json

# Visually hidden, still read: the description lives in the map's frame, next to what it describes.
HIDDEN_STYLE = (
    "position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap"
)


@dataclass(frozen=True)
class MapWords:
    """The words every map says of itself, in the user's language: what it is, its zoom buttons."""

    role: str  # "kart" / "map"
    zoom_in: str
    zoom_out: str


class MapDescription(MacroElement):
    """Names the map's container (a focusable region: Leaflet pans and zooms it by keyboard) and its frame, and
    points the container at a hidden description."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var owner = {{ this._parent.get_name() }};
            function describe(map) {
                var box = map.getContainer();
                var text = document.getElementById("ik-map-description");
                if (!text) {
                    text = L.DomUtil.create("div", "ik-map-description", box);
                    text.id = "ik-map-description";
                    text.style.cssText = {{ this.hidden_json }};
                }
                text.textContent = {{ this.description_json }};
                box.setAttribute("role", "region");
                box.setAttribute("aria-roledescription", {{ this.role_json }});
                box.setAttribute("aria-label", {{ this.name_json }});
                box.setAttribute("aria-describedby", text.id);
                if (window.frameElement) { window.frameElement.title = {{ this.name_json }}; }
                var zoom = map.zoomControl;  // Leaflet's buttons say "Zoom in" in any language
                if (zoom && zoom._zoomInButton) {
                    [[zoom._zoomInButton, {{ this.zoom_in_json }}], [zoom._zoomOutButton, {{ this.zoom_out_json }}]]
                        .forEach(function(pair) {
                            pair[0].title = pair[1];
                            pair[0].setAttribute("aria-label", pair[1]);
                        });
                }
            }
            if (owner instanceof L.Map) { describe(owner); return; }
            owner.on("add", function(e) { describe(e.target._map); });
            if (owner._map) { describe(owner._map); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, name: str, description: str, words: MapWords):
        super().__init__()
        self._name = "MapDescription"
        self.name_json = script_json(name)
        self.description_json = script_json(description)
        self.role_json = script_json(words.role)
        self.zoom_in_json = script_json(words.zoom_in)
        self.zoom_out_json = script_json(words.zoom_out)
        self.hidden_json = script_json(HIDDEN_STYLE)


def description_group(name: str, description: str, words: MapWords) -> folium.FeatureGroup:
    """The description as a group of its own, for st_folium's `feature_group_to_add`."""
    group = folium.FeatureGroup(name="description", control=False)
    MapDescription(name, description, words).add_to(group)
    return group
