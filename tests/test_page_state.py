"""What a planner set on one page is still set after a visit to another, under AppTest's page
switch: Streamlit drops a widget's value at the end of a run of a page that does not draw it."""

from __future__ import annotations

import pytest

import config
from analysis.filters import filter_options
from core.schema import PARK_STATUSES
from tests.helpers.apptest import app, map_args
from ui.map_view import Selection
from ui.portfolio_tables import site_names

KART, UTSLIPP, PORTEFOLJE, DATA = (
    "dashboard.py",
    "pages/1_Utslipp.py",
    "pages/2_Portefolje.py",
    "pages/5_Data_og_kilder.py",
)


def ran(runnable):
    """Run the app (or the app a widget belongs to, after its change); no exception."""
    at = runnable.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def kart():
    return ran(app(KART))


def test_the_kart_filters_layers_and_basemap_survive_a_visit_to_utslipp(kart, portfolio):
    options = filter_options(portfolio)
    chosen = {
        "f_municipalities": ["5059"],
        "f_statuses": [PARK_STATUSES[0]],
        "f_themes": options["themes"][:1],
        "f_clusters": options["clusters"][:1],
        "f_sectors": options["sectors"][:1],
    }
    for key, value in chosen.items():
        ran(kart.sidebar.multiselect(key=key).set_value(value))
    ran(kart.sidebar.checkbox(key="f_only_with_figure").check())
    ran(kart.sidebar.checkbox(key="show_members").uncheck())
    ran(kart.sidebar.selectbox(key="basemap").set_value("none"))
    link = dict(kart.query_params)

    ran(kart.switch_page(UTSLIPP))
    ran(kart.switch_page(KART))
    for key, value in chosen.items():
        assert kart.sidebar.multiselect(key=key).value == value, key
    assert kart.sidebar.checkbox(key="f_only_with_figure").value is True
    assert kart.sidebar.checkbox(key="show_members").value is False
    assert kart.sidebar.selectbox(key="basemap").value == "none"
    assert dict(kart.query_params) == link
    assert link["kn"] == "5059" and link["base"] == "none" and link["layers"] == ["parks", "sources"]


def test_a_municipality_chosen_on_kart_is_the_one_on_the_data_page_and_back(kart):
    ran(kart.sidebar.multiselect(key="f_municipalities").set_value(["5059"]))
    ran(kart.switch_page(DATA))
    assert kart.sidebar.multiselect(key="f_municipalities").value == ["5059"]
    ran(kart.sidebar.multiselect(key="f_municipalities").set_value(["5001"]))
    ran(kart.switch_page(KART))
    assert kart.sidebar.multiselect(key="f_municipalities").value == ["5001"]


def test_the_maps_view_and_selection_survive_a_visit_to_another_page(kart):
    """The map is drawn afresh on coming back: it is told the view it last reported, not the last command."""
    kart.session_state["view"] = (63.5, 10.2, 10)  # as the map reports after the user moved it
    kart.session_state["selected"] = Selection("sources", ("src-elkem-thamshavn",))
    ran(kart)
    assert map_args(kart)["center"] is None  # not told to move: it is where the user left it
    ran(kart.switch_page(PORTEFOLJE))
    ran(kart.switch_page(KART))
    args = map_args(kart)
    assert (args["center"], round(args["zoom"])) == ([63.5, 10.2], 10)
    assert any("Elkem Thamshavn" in m.value for m in kart.markdown)  # the record panel
    assert kart.query_params["sel"] == "sources:src-elkem-thamshavn"


def test_the_utslipp_scope_year_and_base_year_survive_a_visit_to_portefolje(kart):
    ran(kart.switch_page(UTSLIPP))
    ran(kart.selectbox(key="em_scope").set_value("fossil"))
    years = [int(y) for y in kart.select_slider(key="em_year").options]
    year = years[len(years) // 2]
    ran(kart.select_slider(key="em_year").set_value(year))
    base_years = kart.selectbox(key="em_base_year").options
    base = int(base_years[-2])
    ran(kart.selectbox(key="em_base_year").set_value(base))
    assert (kart.query_params["scope"], kart.query_params["year"]) == ("fossil", str(year))

    ran(kart.switch_page(PORTEFOLJE))
    ran(kart.switch_page(UTSLIPP))
    assert kart.selectbox(key="em_scope").value == "fossil"
    assert kart.select_slider(key="em_year").value == year
    assert kart.selectbox(key="em_base_year").value == base
    assert kart.query_params["base"] == str(base)
    assert not kart.warning  # no "set via the Session State API" warning from keeping the values


def test_the_portefolje_sites_and_radius_survive_a_visit_to_kart(kart, portfolio):
    ran(kart.switch_page(PORTEFOLJE))
    sites = kart.sidebar.multiselect(key="pf_sites")
    chosen = [s for s in site_names(portfolio) if s not in sites.value][:1] + list(sites.value)[:1]
    ran(sites.set_value(chosen))
    radius = config.NEIGHBOURHOOD_RADIUS_MIN_M // 1000 + 2
    ran(kart.sidebar.slider(key="pf_radius_km").set_value(radius))
    ran(kart.switch_page(KART))
    ran(kart.switch_page(PORTEFOLJE))
    assert kart.sidebar.multiselect(key="pf_sites").value == chosen
    assert kart.sidebar.slider(key="pf_radius_km").value == radius
    assert kart.query_params["r"] == str(radius)


def test_the_search_and_the_match_picked_among_several_survive_a_visit_to_another_page(kart):
    ran(kart.sidebar.text_input(key="search").input("Elkem"))
    ran(kart.selectbox(key="search_match").select_index(1))  # not the first: a fresh selectbox would show that
    picked = kart.session_state["selected"]
    command = kart.session_state["map_command"]
    ran(kart.switch_page(UTSLIPP))
    ran(kart.switch_page(KART))
    assert kart.sidebar.text_input(key="search").value == "Elkem"
    assert kart.selectbox(key="search_match").index == 1
    assert kart.session_state["selected"] == picked  # the record panel still shows the pick
    assert kart.session_state["map_command"] == command  # and the map did not jump to the first match
