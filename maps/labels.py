"""Names on the map for the key points (parks and the large emitters), shown from a zoom level on.

Each label is a permanent Leaflet tooltip whose text is set as text (never HTML); the names reach the script as
JSON. Whether labels show is one class on the map's container (`LabelZoom`, part of every map): the labels are
hidden, not removed, below config.LABEL_MIN_ZOOM, so they keep their size and place. They are made when their map
first reaches that zoom: a map opened further out (the county, as Kart opens) would only make them to hide them, and
17 tooltips each measuring itself cost its first drawing 4–5 ms.
"""

from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from jinja2 import Template

import config
from analysis.filters import View
from analysis.kpi import is_large_emitter

LABEL_CSS = """
<style>
.leaflet-tooltip.ik-label {visibility: hidden; padding: 0 4px; font: 600 11px/1.4 sans-serif; color: #222;
  background: rgba(255,255,255,0.85); border: 0; box-shadow: none}
.leaflet-tooltip.ik-label::before {display: none}
.ik-labels-on .leaflet-tooltip.ik-label {visibility: visible}
</style>
"""


class LabelZoom(MacroElement):
    """Sets the class `ik-labels-on` on the map's container while the map is at config.LABEL_MIN_ZOOM or closer
    (as a zoom starts, so labels appear with the new zoom). No user text."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            function apply(zoom) {
                map.getContainer().classList.toggle("ik-labels-on", zoom >= {{ this.min_zoom }});
            }
            map.on("zoomanim", function(e) { apply(e.zoom); });
            map.on("zoomend", function() { apply(map.getZoom()); });
            apply(map.getZoom());
        })();
        {% endmacro %}
        """
    )

    def __init__(self, min_zoom: int = config.LABEL_MIN_ZOOM):
        super().__init__()
        self._name = "LabelZoom"
        self.min_zoom = int(min_zoom)


class Labels(MacroElement):
    """Permanent, non-clickable name tooltips in the feature group it is added to (so they come and go with it), made
    once the map is at `min_zoom` or closer."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var group = {{ this._parent.get_name() }}, labels = {{ this.labels_json }}, made = false, map = null;
            function make() {
                if (made || map.getZoom() < {{ this.min_zoom }}) { return; }
                made = true;
                labels.forEach(function(label) {
                    var text = document.createElement("span");
                    text.textContent = label[2];
                    L.tooltip({permanent: true, direction: "right", offset: [6, 0], className: "ik-label",
                               interactive: false})
                        .setLatLng([label[0], label[1]]).setContent(text).addTo(group);
                });
            }
            function added() {
                if (!map) { map = group._map; map.on("zoomend", make); }
                make();
            }
            group.on("add", added);
            if (group._map) { added(); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, labels: list[tuple[float, float, str]], min_zoom: int = config.LABEL_MIN_ZOOM):
        super().__init__()
        self._name = "Labels"
        self.min_zoom = int(min_zoom)
        self.labels_json = json.dumps([[round(lat, 6), round(lon, 6), str(text)] for lat, lon, text in labels]).replace(
            "</", "<\\/"
        )  # never close the <script>


def key_point_labels(view: View, visible: set[str], kpi) -> list[tuple[float, float, str]]:
    """(lat, lon, name) of the parks and of the large emitters by their figure in the key figure's scope and year
    (`kpi`: analysis.kpi.KeyFigures), of the layers switched on."""
    labels = []
    if "parks" in visible:
        labels += [(p.y, p.x, name) for p, name in _points(view.parks, "name")]
    if "sources" in visible:
        large = [i for i in view.sources["id"] if is_large_emitter(kpi.figure_of(i))]
        labels += [(p.y, p.x, name) for p, name in _points(view.sources[view.sources["id"].isin(large)], "facility")]
    return labels


def _points(frame, name_column: str):
    for geometry, name in zip(frame.geometry, frame[name_column], strict=True):
        if geometry is not None and not geometry.is_empty:
            yield geometry.representative_point(), name


def labels_group(labels: list[tuple[float, float, str]]) -> folium.FeatureGroup:
    """The labels as a group of their own, swapped in place like the layers."""
    group = folium.FeatureGroup(name="labels", control=False)
    if labels:
        Labels(labels).add_to(group)
    return group
