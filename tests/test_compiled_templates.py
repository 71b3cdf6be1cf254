"""maps/compiled.py: the constant template text folium and branca compile for every element is compiled once."""

from __future__ import annotations

import branca.element
import folium
import jinja2
from folium.features import GeoJsonTooltip

import maps  # noqa: F401  (installs it)
from maps import compiled


def _tooltip_map() -> folium.Map:
    m = folium.Map(tiles=None)
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Malm"},
                "geometry": {"type": "Point", "coordinates": [11.3, 64.1]},
            }
        ],
    }
    folium.GeoJson(data, tooltip=GeoJsonTooltip(["name"])).add_to(m)
    return m


def test_the_same_text_is_compiled_once_and_renders_as_before(monkeypatch):
    compiles = []
    real = jinja2.Environment.from_string
    monkeypatch.setattr(
        jinja2.Environment, "from_string", lambda self, *a, **k: compiles.append(1) or real(self, *a, **k)
    )
    compiled._compiled.cache_clear()
    first = _tooltip_map().get_root().render()
    by_first = len(compiles)
    second = _tooltip_map().get_root().render()
    by_second = len(compiles) - by_first
    assert by_second < by_first, (by_first, by_second)  # the tooltip's CSS: compiled for the first map only
    assert ".foliumtooltip" in first and ".foliumtooltip" in second


def test_templates_are_shared_by_text_and_still_render_their_values():
    assert compiled.installed()
    one, other = branca.element.Element("<b>{{ this }}</b>"), branca.element.Element("<b>{{ this }}</b>")
    assert one._template is other._template
    assert one._template.render(this="Hitra") == "<b>Hitra</b>"
    assert folium.features.Template("{{ x|tojavascript }}").render(x={"a": 1}) != ""  # folium's filter is kept
    assert branca.element.Element("<i>{{ this }}</i>")._template is not one._template
