"""Every page under Streamlit's AppTest: renders without exception, filters change what is shown."""

from __future__ import annotations

import pytest

import config
from analysis.filters import Filters, apply_filters
from maps.assets import external_links
from tests.helpers.apptest import app, js_unescaped, map_args, metrics, run
from ui.map_view import Selection

PAGES = ["dashboard.py", "pages/5_Data_og_kilder.py"]


@pytest.mark.parametrize("script", PAGES)
def test_page_renders(script):
    run(script)


def test_dashboard_counts_follow_the_municipality_filter(portfolio):
    at = run("dashboard.py")
    assert metrics(at)["Parker og områder"] == str(len(portfolio.parks))
    at.sidebar.multiselect(key="f_municipalities").set_value(["5059"]).run()
    assert not at.exception
    orkland = apply_filters(portfolio, Filters(kommunenummer=("5059",)))
    shown = metrics(at)
    assert shown["Parker og områder"] == str(len(orkland.parks))
    assert shown["Utslippskilder"] == str(len(orkland.sources))
    assert shown["Klyngemedlemskap"] == str(len(orkland.members))
    assert len(orkland.parks) < len(portfolio.parks)


def test_dashboard_survives_reruns_with_every_widget_set():
    at = run("dashboard.py")
    at.sidebar.checkbox(key="show_members").uncheck()
    at.sidebar.selectbox(key="basemap").set_value("none")
    at.sidebar.multiselect(key="f_statuses").set_value(["planlagt"])
    at.sidebar.checkbox(key="f_only_with_figure").check()
    at.run()
    assert not at.exception
    args = map_args(at)
    assert "members" not in args["feature_group"]
    assert config.BASEMAPS["kartverket_grey"].url.split("/")[2] not in args["feature_group"]
    at.run()  # a second rerun re-assigns kept widget state; it must not raise
    assert not at.exception


def test_map_is_offline_and_layers_are_swapped_not_remounted():
    at = run("dashboard.py")
    first = map_args(at)
    assert external_links(first["js_links"] + first["css_links"]) == []
    # Only what the page uses comes back: the clicked feature, the view for the link and its bounds for the list of
    # features in view (no hover).
    assert sorted(first["returned_objects"]) == ["bounds", "center", "last_active_drawing", "zoom"]
    at.sidebar.multiselect(key="f_municipalities").set_value(["5001"]).run()
    second = map_args(at)
    assert second["key"] == first["key"], "the base map changed, so the component would remount"
    assert second["feature_group"] != first["feature_group"]


def test_language_and_cluster_filter_change_the_legend_in_place_not_the_map():
    """streamlit-folium keys the mounted map by its script: the legend must travel with the groups."""
    at = run("dashboard.py")
    first = map_args(at)
    at.sidebar.radio(key="lang").set_value("en").run()
    english = map_args(at)
    assert english["key"] == first["key"] and english["script"] == first["script"]
    assert "Industrial parks and symbiosis sites" in english["feature_group"]
    assert "Industriparker og symbiose" in js_unescaped(first["feature_group"])
    assert "Industrial parks" not in english["script"] + first["script"]
    cluster = at.sidebar.multiselect(key="f_clusters").options[0]
    at.sidebar.multiselect(key="f_clusters").set_value([cluster]).run()
    assert not at.exception
    assert map_args(at)["key"] == first["key"]


def test_search_finds_elkem_centres_the_map_and_shows_its_record(portfolio):
    at = run("dashboard.py")
    at.sidebar.text_input(key="search").input("Elkem Thamshavn").run()
    assert not at.exception
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
    args = map_args(at)
    assert args["center"] == pytest.approx([elkem.y, elkem.x])
    assert args["zoom"] == config.SEARCH_ZOOM
    assert any("Elkem Thamshavn" in m.value for m in at.markdown)
    figures = [df.value for df in at.dataframe if "Tonn" in df.value.columns]
    assert figures and "200\u00a0000" in figures[0]["Tonn"].tolist()
    assert any("nrk.no" in b.proto.url for b in at.get("link_button"))


def test_search_without_match_says_so():
    at = run("dashboard.py")
    at.sidebar.text_input(key="search").input("Finnes ikke").run()
    assert any("Ingen treff" in i.value for i in at.info)


def test_selected_source_without_figure_says_no_figure(portfolio):
    from store import open_store

    # Every bundled source has a register figure now: an uploaded source (generated here) has none.
    generated = portfolio.sources[portfolio.sources["id"] == "src-ranheim-paper"].assign(id="generated-no-figure")
    info = open_store().save(generated, "Generated source without figure", "sources")
    at = app("dashboard.py")
    at.session_state["selected"] = Selection("sources", (f"L{info.id}:generated-no-figure",))
    at.run()
    assert not at.exception
    assert any(i.value == "ingen tall" for i in at.info)


def test_selected_members_show_every_membership_at_the_point(portfolio):
    ids = tuple(portfolio.members.loc[portfolio.members["municipality"] == "Orkland", "id"])
    at = app("dashboard.py")
    at.session_state["selected"] = Selection("members", ids)
    at.run()
    tables = [df.value for df in at.dataframe if "Klynge" in df.value.columns]
    assert len(tables) == 1 and len(tables[0]) == len(ids)


def test_english_switch():
    at = run("dashboard.py")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert "Parks and sites" in metrics(at)
    assert at.sidebar.multiselect(key="f_municipalities").placeholder == "All municipalities"


def test_broken_data_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    for name in (
        "parks.geojson",
        "emission_sources.geojson",
        "cluster_members.geojson",
        "emission_figures.csv",
        "kommuner.csv",
    ):
        (tmp_path / name).write_bytes((config.GEODATA_DIR / name).read_bytes())
    (tmp_path / "parks.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    monkeypatch.setattr(config, "GEODATA_DIR", tmp_path)
    at = run("dashboard.py")
    # the bokmål message for the loaders' "not_json" code (its English: "the file is not valid JSON …")
    assert any("gyldig JSON" in e.value for e in at.error), [e.value for e in at.error]


def test_data_page_tables_follow_the_filter(portfolio):
    at = run("pages/5_Data_og_kilder.py")
    assert [len(df.value) for df in at.dataframe] == [
        len(portfolio.parks),
        len(portfolio.sources),
        len(portfolio.members),
    ]
    at.sidebar.multiselect(key="f_clusters").set_value(["CCS Midt-Norge"]).run()
    members = apply_filters(portfolio, Filters(clusters=("CCS Midt-Norge",))).members
    assert len(at.dataframe[2].value) == len(members) < len(portfolio.members)
    sources = at.dataframe[1].value
    assert "ingen tall" in sources["Siste tall"].tolist()


def test_filters_that_empty_a_layer_still_draw_the_map():
    at = run("dashboard.py")
    at.sidebar.multiselect(key="f_municipalities").set_value(["5052"]).run()  # Leka: nothing bundled there
    assert not at.exception
    assert metrics(at)["Parker og områder"] == "0"
    assert map_args(at)["feature_group"]  # the basemap group is still there


def test_the_page_menu_speaks_the_users_language():
    at = run("dashboard.py")
    labels = [link.proto.label for link in at.get("page_link")]
    assert labels[:3] == ["Kart", "Utslipp", "Portefølje"] and len(labels) == 9
    assert labels[-1] == "Tilgjengelighet"  # the accessibility statement, linked from every page
    at.sidebar.radio(key="lang").set_value("en").run()
    assert [link.proto.label for link in at.get("page_link")][:3] == ["Map", "Emissions", "Portfolio"]
