"""Links that restore a view: parameters parsed and written without Streamlit, then on the real pages."""

from __future__ import annotations

import json

import pytest

from analysis.filters import Filters, apply_filters
from maps.pmtiles_layer import STORED_LAYER
from tests.helpers.apptest import app, map_args, metrics
from ui.map_view import Selection
from ui.view_state import dump, map_params, parse


@pytest.fixture
def params(portfolio):
    return map_params(portfolio)


def test_round_trip_of_every_parameter(params):
    state = {
        "lang": "en",
        "f_municipalities": ["5059", "5001"],
        "f_statuses": ["planlagt", None],
        "f_themes": ["biogass"],
        "f_clusters": ["Thamsklyngen"],
        "f_sectors": ["Treforedling"],
        "f_only_with_figure": True,
        "search": "Grønøra & «x»",
        "show_parks": True,
        "show_sources": False,
        "show_members": True,
        "basemap": "osm",
        "view": (63.31917, 9.84833, 12),
        "selected": Selection("parks", ("park-gronora",)),
        "present": True,
        "present_title": "Møte 3. desember",
        "present_subtitle": "",
    }
    query = dump(state, params)
    assert query["status"] == ["planlagt", "ukjent"] and query["layers"] == ["parks", "members"]
    assert "subtitle" not in query  # defaults stay out of the link
    values, problems = parse(query, params)
    assert problems == []
    restored: dict = {}
    for param in params:
        if param.name in values:
            param.write(restored, values[param.name])
    assert dump(restored, params) == query
    assert restored["selected"] == Selection("parks", ("park-gronora",))
    assert restored["show_sources"] is False


def test_the_links_view_shows_its_selection_whatever_the_popup_did_to_the_screen(params, portfolio):
    """The map's reported view after a popup's auto-pan (63.43° N at zoom 11, Elkem at 63.33° N)
    becomes Elkem at zoom 11 in the link; a view that shows the selection well is kept as it is."""
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
    state = {"view": (63.43, 9.89, 11), "selected": Selection("sources", ("src-elkem-thamshavn",))}
    assert dump(state, params)["view"] == [f"{elkem.y:.5f},{elkem.x:.5f},11"]
    assert dump({**state, "view": (63.35, 9.85, 11)}, params)["view"] == ["63.35000,9.85000,11"]
    assert dump({"view": (63.43, 9.89, 11)}, params)["view"] == ["63.43000,9.89000,11"]
    big_layer_row = Selection(STORED_LAYER, ("3", "7"))  # its place is not known here: the screen's view stays
    assert dump({"view": (63.43, 9.89, 11), "selected": big_layer_row}, params)["view"] == ["63.43000,9.89000,11"]
    values, problems = parse({"view": ["63.32585,9.89443,11"]}, params)
    restored: dict = {}
    next(p for p in params if p.name == "view").write(restored, values["view"])
    assert problems == [] and restored == {"view": (63.32585, 9.89443, 11)}


def test_defaults_give_an_empty_link(params):
    assert dump({}, params) == {}
    assert dump({"lang": "nb", "basemap": "kartverket_grey", "f_only_with_figure": False}, params) == {}


@pytest.mark.parametrize(
    "query",
    [
        {"kn": ["9999"]},
        {"status": ["ferdig"]},
        {"lang": ["de"]},
        {"view": ["abc"]},
        {"view": ["10,10,7"]},  # outside Norway
        {"view": ["63.4,10.4,40"]},
        {"sel": ["parks:no-such-park"]},
        {"sel": ["rivers:x"]},
        {"fig": ["yes"]},
        {"mode": ["fullscreen"]},
        {"q": ["x" * 500]},
        {"utm_source": ["mail"]},
    ],
)
def test_malformed_or_unknown_parameters_are_named_not_applied(params, query):
    values, problems = parse(query, params)
    assert values == {} and problems == list(query)


def test_a_link_restores_filters_view_and_selection(portfolio):
    at = app("dashboard.py")
    at.query_params["kn"] = ["5059"]
    at.query_params["view"] = "63.3,9.8,11"
    at.query_params["sel"] = "sources:src-elkem-thamshavn"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    orkland = apply_filters(portfolio, Filters(kommunenummer=("5059",)))
    assert metrics(at)["Parks and sites"] == str(len(orkland.parks))
    args = map_args(at)
    assert (args["center"], args["zoom"]) == ([63.3, 9.8], 11)
    assert any("Elkem Thamshavn" in m.value for m in at.markdown)
    assert at.sidebar.multiselect(key="f_municipalities").value == ["5059"]


def test_malformed_link_gives_a_notice_and_the_default_view():
    at = app("dashboard.py")
    at.query_params["kn"] = ["0000"]
    at.query_params["view"] = "nonsense"
    at.query_params["bogus"] = "1"
    at.run()
    assert not at.exception
    assert any("kn" in t.value and "view" in t.value and "bogus" in t.value for t in at.toast)
    assert at.sidebar.multiselect(key="f_municipalities").value == []
    assert map_args(at)["center"] is None


def test_the_link_follows_the_widgets_and_is_offered_for_copying():
    at = app("dashboard.py").run()
    at.sidebar.multiselect(key="f_clusters").set_value(["CIVAC"]).run()
    at.sidebar.selectbox(key="basemap").set_value("none").run()
    assert (at.query_params["cluster"], at.query_params["base"]) == ("CIVAC", "none")
    assert any("cluster=CIVAC" in c.value and "base=none" in c.value for c in at.code)


def test_presentation_mode_from_the_link(portfolio):
    at = app("dashboard.py")
    at.query_params["mode"] = "present"
    at.query_params["title"] = "**Møte** <script>alert(1)</script>"
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("\\*\\*Møte\\*\\* \\<script\\>")  # shown as typed, not formatted
    assert len(at.metric) == 4
    assert map_args(at)["height"] == 675
    assert not at.get("link_button") and not at.code  # no record panel or share box on the slide
    css = [h.proto.body for h in at.get("html") if "stSidebar" in h.proto.body]
    assert css and css[0].startswith("<style>")


def test_english_link_and_text_parameters_never_reach_the_map_as_html():
    at = app("dashboard.py")
    at.query_params["q"] = "<img src=x onerror=alert(1)>"
    at.run()
    assert not at.exception
    assert "<img src=x" not in json.dumps(map_args(at))


@pytest.mark.parametrize("page", ["pages/3_Last_opp.py", "pages/4_Kartlag.py", "pages/6_Importer_utslipp.py"])
def test_editor_pages_keep_the_language_in_the_link(page):
    at = app(page)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.sidebar.radio(key="lang").value == "en"
    at.sidebar.radio(key="lang").set_value("nb").run()
    assert "lang" not in at.query_params  # the default stays out of the link


@pytest.mark.parametrize(
    ("page", "title"), [("pages/1_Utslipp.py", "Utslipp"), ("pages/2_Portefolje.py", "Portefølje")]
)
def test_the_emissions_and_portfolio_pages_present_too(page, title):
    at = app(page)
    at.query_params["mode"] = "present"
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith(title)
    assert any("<style>" in h.proto.body and "stSidebar" in h.proto.body for h in at.get("html"))
    assert not at.code  # no share box on a slide
    at = app(page)
    at.query_params["mode"] = "present"
    at.query_params["title"] = "Møte i nettverket"
    at.run()
    assert at.title[0].value == "Møte i nettverket"


def test_a_crafted_row_number_in_a_link_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    """A link's ?sel=stored:<big layer>|9223372036854775808 raised an uncaught OverflowError from SQLite."""
    from streamlit.testing.v1 import AppTest

    import config
    from tests.helpers.big_layer_fixtures import generated_points, stored_layer

    path = tmp_path / "generated_layers.gpkg"
    monkeypatch.setenv("INDUSTRIKART_STORE", str(path))
    monkeypatch.setenv("INDUSTRIKART_TILES", str(tmp_path / "tiles"))
    info = stored_layer(path, generated_points(config.TILE_MIN_FEATURES + 1), "Generated big layer")
    for row in ("9223372036854775808", "99999999999999999999999", "5"):
        at = AppTest.from_file(str(config.ROOT / "dashboard.py"), default_timeout=120)
        at.query_params["sel"] = f"stored:{info.id}|{row}"
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        if row == "5":  # a real row still opens its record
            assert any("Generated big layer" in m.value for m in at.markdown)
        else:
            assert not any("Generated big layer" in m.value for m in at.markdown)
