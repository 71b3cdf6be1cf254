"""The map in words: the features-in-view list (the map's text alternative and keyboard way in), the map's accessible
name and description, and colours that carry meaning on the map standing out from it (WCAG 1.4.11)."""

from __future__ import annotations

import folium
import pytest

import config
from analysis.filters import Filters, apply_filters
from analysis.in_view import Bounds, bounds_from, features_in_view
from core.kommunenummer import CURRENT
from i18n import t
from maps.build import overview_layers
from maps.description import MapWords, description_group
from maps.popups import place_html, script_json
from maps.styles import cluster_colours
from tests.helpers.apptest import app, read_back
from tests.helpers.hostile_text import EVALUATED, corpus
from ui.feature_list import SEPARATOR, feature_text, map_description, option_key
from ui.map_view import Selection

ALL_LAYERS = frozenset({"parks", "sources", "members"})


def drawn(view, visible) -> dict[str, list[tuple[str, ...]]]:
    """The ids of every feature the overview map draws, by layer (what a click on each selects)."""
    colours = cluster_colours(list(view.members["cluster"].unique()))
    out: dict[str, list[tuple[str, ...]]] = {}
    for group in overview_layers(view, visible, "none", colours, "nb"):
        for child in group._children.values():
            if isinstance(child, folium.GeoJson):
                for feature in child.data["features"]:
                    properties = feature["properties"]
                    out.setdefault(properties["layer"], []).append(tuple(properties["ids"]))
    return out


@pytest.mark.parametrize("filters", [Filters(), Filters(kommunenummer=("5059",)), Filters(statuses=("etablert",))])
def test_the_list_has_exactly_what_the_map_draws(portfolio, filters):
    view = apply_filters(portfolio, filters)
    listed = features_in_view(view, ALL_LAYERS)
    on_map = drawn(view, ALL_LAYERS)
    for layer in ALL_LAYERS:
        assert sorted(f.ids for f in listed if f.layer == layer) == sorted(on_map.get(layer, [])), layer
    only_parks = features_in_view(view, {"parks"})
    assert {f.layer for f in only_parks} <= {"parks"} and len(only_parks) == len(on_map.get("parks", []))


def test_the_list_keeps_to_the_view_and_is_ordered_by_layer_then_name(portfolio):
    view = apply_filters(portfolio, Filters())
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
    around = Bounds(elkem.y - 0.01, elkem.x - 0.01, elkem.y + 0.01, elkem.x + 0.01)
    near = features_in_view(view, ALL_LAYERS, around)
    everything = features_in_view(view, ALL_LAYERS)
    assert ("sources", ("src-elkem-thamshavn",)) in [(f.layer, f.ids) for f in near]
    assert 0 < len(near) < len(everything)
    assert features_in_view(view, ALL_LAYERS, Bounds(70.0, 30.0, 71.0, 31.0)) == []
    order = [("parks", "sources", "members").index(f.layer) for f in everything]
    assert order == sorted(order)
    park_names = [f.name.casefold() for f in everything if f.layer == "parks"]
    assert park_names == sorted(park_names)


def test_a_source_without_a_figure_says_so(portfolio):
    view = apply_filters(portfolio, Filters())
    sources = [f for f in features_in_view(view, {"sources"}) if f.layer == "sources"]
    without = [f for f in sources if f.figure_t is None]
    with_figure = [f for f in sources if f.figure_t is not None]
    assert without and with_figure
    assert feature_text(without[0], "nb").endswith(t("no_figure", "nb"))
    assert t("no_figure", "nb") not in feature_text(with_figure[0], "nb")


def test_bounds_are_read_from_leaflets_report_and_nonsense_is_refused():
    report = {"_southWest": {"lat": 63.0, "lng": 9.5}, "_northEast": {"lat": 64.0, "lng": 11.0}}
    assert bounds_from(report) == Bounds(63.0, 9.5, 64.0, 11.0)
    assert bounds_from(None) is None
    assert bounds_from({"_southWest": {"lat": 63.0}}) is None
    assert bounds_from({"_southWest": {"lat": "x", "lng": 1}, "_northEast": {"lat": 1, "lng": 2}}) is None
    flipped = {"_southWest": {"lat": 64.0, "lng": 11.0}, "_northEast": {"lat": 63.0, "lng": 9.5}}
    assert bounds_from(flipped) is None


def test_the_description_counts_what_the_map_shows_and_names_the_filters(portfolio):
    filters = Filters(kommunenummer=("5059",), statuses=("etablert",))
    view = apply_filters(portfolio, filters)
    features = features_in_view(view, ALL_LAYERS)
    text = map_description(features, filters, portfolio, "nb")
    places = len({f.ids for f in features if f.layer == "members"})
    assert t("map_count_members", "nb", n=places) in text
    assert t("map_count_parks", "nb", n=len(view.parks)) in text
    assert "Kommune: Orkland" in text and "Status: etablert" in text
    unfiltered = map_description(
        features_in_view(apply_filters(portfolio, Filters()), ALL_LAYERS), Filters(), portfolio, "en"
    )
    assert unfiltered.endswith("No filters.") and unfiltered.startswith("The map shows")
    assert map_description([], Filters(), portfolio, "nb").startswith(t("map_shows_nothing", "nb"))


def test_an_option_reads_back_as_the_selection_a_click_makes():
    ids = ("a", "b c", "d,e")
    layer, *back = option_key("members", ids).split(SEPARATOR)
    assert Selection(layer, tuple(back)) == Selection("members", ids)


def test_the_description_reaches_the_frame_as_data(tmp_path):
    """Names, descriptions and button words from files or forms go into the map's script as JSON: never closing
    the script, never run as a template."""
    for hostile in corpus(tmp_path):
        m = folium.Map()
        description_group(hostile, f"Kartet viser {hostile}.", MapWords("kart", hostile, "Zoom ut")).add_to(m)
        html = m.get_root().render()
        assert script_json(hostile) in html
        assert script_json(f"Kartet viser {hostile}.") in html
        if "</" in hostile:
            assert hostile not in html  # never as markup: "</" is written "<\\/" inside the script
        assert EVALUATED not in html
    assert not any(tmp_path.iterdir())  # no template payload ran


def test_the_overview_page_lists_the_features_and_a_choice_selects_like_a_click(portfolio):
    at = app("dashboard.py").run()
    assert not at.exception
    picker = at.selectbox(key="overview_in_view")
    everything = features_in_view(apply_filters(portfolio, Filters()), ALL_LAYERS)
    assert picker.label == t("in_view_label", "nb", n=len(everything))  # the map has not reported its view yet
    park = next(f for f in everything if f.layer == "parks")
    picker.set_value(option_key(park.layer, park.ids)).run()
    assert not at.exception
    assert at.session_state["selected"] == Selection("parks", park.ids)
    assert at.query_params.get("sel") == f"parks:{park.ids[0]}"  # the link keeps it
    assert any(park.name in read_back(m) for m in at.markdown)  # the record panel opened on it


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


MEANINGFUL = {
    "park status": list(config.PARK_STATUS_COLOURS.values()),
    "cluster": config.CLUSTER_COLOURS,
    "source": [config.SOURCE_COLOUR, config.MIXED_CLUSTER_COLOUR, config.STORED_DEFAULT_COLOUR],
    "uploaded layer": list(config.STORED_LAYER_COLOURS),
    "measure": list(config.MEASURE_KIND_COLOURS.values()),
    "flow": list(config.FLOW_RESOURCE_COLOURS.values()),
    "highlight casing": [config.HIGHLIGHT_CASING_COLOUR, config.CHOSEN_AREA_COLOUR],
}


@pytest.mark.parametrize("kind", MEANINGFUL)
def test_colours_that_carry_meaning_stand_out_from_the_map(kind):
    """WCAG 1.4.11: at least 3:1 against the land the offline map and the exports draw (the lightest grounds)."""
    for ground in (config.OFFLINE_LAND_COLOUR, config.EXPORT_LAND_COLOUR, "#ffffff"):
        weak = [c for c in MEANINGFUL[kind] if contrast(c, ground) < 3.0]
        assert not weak, (kind, ground, weak)
    assert contrast(config.HIGHLIGHT_COLOUR, config.HIGHLIGHT_CASING_COLOUR) >= 3.0  # the ring on its casing


def test_south_sami_names_are_marked_as_such_and_other_names_are_plain_text():
    assert place_html("Snåase - Snåsa", CURRENT["5041"]) == '<span lang="sma">Snåase</span> - Snåsa'
    assert place_html("Trondheim - Tråante", CURRENT["5001"]) == 'Trondheim - <span lang="sma">Tråante</span>'
    assert place_html("Orkland", CURRENT["5059"]) == "Orkland"
    hostile = "<b>x</b> - Snåsa"
    assert place_html(hostile, "Snåsa") == '<span lang="sma">&lt;b&gt;x&lt;/b&gt;</span> - Snåsa'
    assert place_html("a - b", None) == "a - b" and place_html(None, "x") == ""
