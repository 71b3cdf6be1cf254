"""The portfolio page under AppTest: comparison, radius, recorded flows apart from possibilities, the editor.

Expectations come from the analysis modules (analysis.neighbourhoods, analysis.candidates), never typed in.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import config
from analysis.candidates import candidates
from analysis.neighbourhoods import compare, neighbourhood, neighbourhood_around, point_site, portfolio_summary
from i18n import fmt_number, fmt_tonnes
from loaders.bundled.boundaries import load_boundaries
from loaders.bundled.flow_store import save_flows
from loaders.bundled.flows import flow_lines, flows_from_records, load_flows
from maps.assets import external_links
from store import open_store
from tests.helpers.environment import SettingsMonkeyPatch
from ui.portfolio_tables import actor_text, km_text

PAGE = "pages/2_Portefolje.py"
HOSTILE = '<img src=x onerror="alert(1)">**bold** [link](javascript:alert(2))'
SITES = ["park-gronora", "park-malm"]


@pytest.fixture(autouse=True)
def store_path(tmp_path, monkeypatch):
    """Every test gets its own empty GeoPackage store; a developer's store never leaks in."""
    path = tmp_path / "layers.gpkg"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("INDUSTRIKART_STORE", str(path))
    return path


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> AppTest:
    """The planner's scenario, run once for the tests that only read it: Grønøra and Malm at 15 km."""
    with SettingsMonkeyPatch.context() as mp:
        mp.delenv("DATABASE_URL", raising=False)
        mp.setenv("INDUSTRIKART_STORE", str(tmp_path_factory.mktemp("store") / "layers.gpkg"))
        return choose(SITES, 15)


def run(at: AppTest | None = None) -> AppTest:
    at = (at if at is not None else AppTest.from_file(str(config.ROOT / PAGE), default_timeout=60)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def choose(sites: list[str], radius_km: int) -> AppTest:
    at = run()
    at.sidebar.multiselect(key="pf_sites").set_value(sites)
    at.sidebar.slider(key="pf_radius_km").set_value(radius_km)
    return run(at)


def table_with(at: AppTest, column: str) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe if column in df.value.columns]


def comparison(at: AppTest) -> pd.DataFrame:
    (table,) = table_with(at, "Mål")
    return table.set_index("Mål")


def maps(at: AppTest) -> dict[str, dict]:
    """st_folium's arguments per map, by the order they are drawn: main first, then the small maps."""
    return {f"map{i}": json.loads(c.proto.json_args) for i, c in enumerate(at.get("component_instance"))}


def drawn(args: dict, layer: str) -> list[list[str]]:
    """ids of the features of one layer in a map's feature groups (folium writes them with tojson)."""
    pattern = r'"ids": (\[[^\]]*\]), "layer": "' + layer + '"'
    return [json.loads(ids) for ids in re.findall(pattern, args["feature_group"])]


def shown_text(elements) -> str:
    """The text of alerts/captions as a reader sees it (the page escapes Markdown in data with backslashes)."""
    return " ".join(re.sub(r"\\(.)", r"\1", e.value) for e in elements)


def pairs(table: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(table["Fra"], table["Til"], strict=True))


def names(portfolio) -> dict[str, str]:
    return dict(zip(portfolio.parks["id"], portfolio.parks["name"], strict=True))


# --- rendering and the planner's scenario ---------------------------------------------------------


def test_page_renders_with_the_default_comparison(portfolio):
    at = run()
    shown = comparison(at)
    assert [names(portfolio)[s] for s in config.PORTFOLIO_DEFAULT_SITES] == list(shown.columns)
    assert at.sidebar.slider(key="pf_radius_km").value == config.NEIGHBOURHOOD_RADIUS_DEFAULT_M // 1000


def test_gronora_and_malm_at_15_km_show_what_the_analysis_gives(portfolio, scenario):
    at = scenario
    shown = comparison(at)
    expected = compare(SITES, portfolio, 15_000)
    for site_id in SITES:
        column = shown[names(portfolio)[site_id]]
        row = expected[site_id]
        assert column["Radius"] == "15\u00a0km"
        assert column["Utslippskilder innenfor"] == fmt_number(row["sources_inside"])
        assert column["Aktører innenfor (kjent plassering)"] == fmt_number(row["actors_inside"])
        emissions = row["emissions_t"] if isinstance(row["emissions_t"], float) else None
        assert column["Sum innenfor (EU ETS, CO₂-ekv. 2022)"] == fmt_tonnes(emissions)  # Kart's scope and year
        assert column["Avstand til den"] == km_text(row["nearest_emitter_m"], "nb")
        assert row["nearest_emitter"] in column["Nærmeste store utslippskilde"]
        hood = neighbourhood(site_id, portfolio, 15_000)
        for facility, metres in zip(hood.sources["facility"], hood.sources["distance_m"], strict=True):
            assert f"{facility} ({km_text(metres, 'nb')})" in column["Mulige industripartnere (avstand)"]
    # Near Malm only the mill at Follafoss (EU ETS): its figure, not a made-up 0 for its closed account.
    assert "MM FollaCell" in shown.loc["Mulige industripartnere (avstand)", "Malm Industripark"]
    assert shown.loc["Avstand til den", "Grønøra industriområde (Orkanger)"] == "2,4\u00a0km"  # E-PRTR position


def test_the_comparison_draws_one_small_map_per_site_fitted_to_its_buffer(portfolio, scenario):
    at = scenario
    drawn_maps = list(maps(at).values())
    assert len(drawn_maps) == 1 + len(SITES)
    main, small = drawn_maps[0], drawn_maps[1:]
    assert sorted(ids[0] for ids in drawn(main, "buffers")) == sorted(SITES)
    for args, site_id in zip(small, SITES, strict=True):
        assert drawn(args, "buffers") == [[site_id]]
        hood = neighbourhood(site_id, portfolio, 15_000)
        assert sorted(i[0] for i in drawn(args, "sources")) == sorted(hood.sources["id"])
        assert sorted(i for ids in drawn(args, "members") for i in ids) == sorted(hood.members["id"])
        site = portfolio.parks.set_index("id").loc[site_id].geometry
        assert args["center"] == pytest.approx([site.y, site.x], abs=0.01)
        assert args["height"] == config.SMALL_MAP_HEIGHT
    # The farms' flow to Malm Biogass has an end inside Malm's neighbourhood; none touches Grønøra's but Elkem's.
    assert {ids[0] for ids in drawn(small[0], "flows")} == {"flow-elkem-norsk-kylling-varme"}
    assert "flow-malm-gardsbruk-gjodsel" in {ids[0] for ids in drawn(small[1], "flows")}


def test_changing_the_radius_changes_the_counts(portfolio):
    at = choose(SITES, 15)
    at.sidebar.slider(key="pf_radius_km").set_value(3)
    shown = comparison(run(at))
    for site_id in SITES:
        narrow = neighbourhood(site_id, portfolio, 3_000)
        column = shown[names(portfolio)[site_id]]
        assert column["Aktører innenfor (kjent plassering)"] == fmt_number(len(narrow.actors))
        assert column["Utslippskilder innenfor"] == fmt_number(len(narrow.sources))
    # Malm at 3 km loses the mill at Follafoss 12 km away: the radius really changed what is counted.
    assert len(neighbourhood("park-malm", portfolio, 3_000).actors) < len(
        neighbourhood("park-malm", portfolio, 15_000).actors
    )
    assert shown.loc["Radius", "Malm Industripark"] == "3\u00a0km"


def test_maps_are_offline_quiet_and_keep_their_base_when_settings_change():
    at = choose(SITES, 15)
    first = maps(at)
    for name, args in first.items():
        assert external_links(args["js_links"] + args["css_links"]) == []
        # Panning never reruns the page; only a click on the main map does (it chooses a point centre), and its
        # first report that it is drawn (the WMS layers on, which no control here changes: ui/map_first.py).
        assert args["returned_objects"] == (["last_clicked", "selected_layers"] if name == "map0" else [])
    at.sidebar.slider(key="pf_radius_km").set_value(20)
    at.sidebar.multiselect(key="pf_resources").set_value(["slam"])
    second = maps(run(at))
    for name in first:
        assert second[name]["key"] == first[name]["key"], f"{name}'s base map changed, so it would remount"
    assert second["map0"]["feature_group"] != first["map0"]["feature_group"]


def test_flow_filters_change_the_arrows_and_the_recorded_tables(portfolio):
    at = choose(SITES, 15)
    at.sidebar.multiselect(key="pf_resources").set_value(["slam"])
    at = run(at)
    lines = flow_lines(load_flows(), portfolio).set_index("id")
    shown = {ids[0] for ids in drawn(maps(at)["map0"], "flows")}
    assert shown and {lines.loc[i, "resource"] for i in shown} == {"slam"}
    for table in table_with(at, "Status"):
        if "Ressurs" in table.columns and "Kildeår" in table.columns:
            assert set(table["Ressurs"]) == {"slam"}


# --- possibilities apart from recorded flows -------------------------------------------------------


def test_possibilities_are_labelled_and_never_a_recorded_flow(portfolio):
    flows = load_flows()
    lines = flow_lines(flows, portfolio)
    recorded = {
        (actor_text(a, p, "nb"), actor_text(b, q, "nb"))
        for a, p, b, q in zip(
            lines["from_name"], lines["from_precision"], lines["to_name"], lines["to_precision"], strict=True
        )
    }
    at = choose(SITES, 15)
    # With a filter on, the recorded flows that are hidden must still keep their pairs out of the possibilities.
    at.sidebar.multiselect(key="pf_resources").set_value(["CO2"])
    at = run(at)
    headings = [m.value for m in at.markdown]
    assert headings.count("#### Mulige koblinger (mulighet)") == len(SITES)
    assert headings.count("#### Registrerte strømmer") == len(SITES)
    possible = table_with(at, "Merking")
    expected = [candidates(s, portfolio, flows, 15_000) for s in SITES]
    assert [len(t) for t in possible] == [len(e) for e in expected if len(e)]
    for table in possible:
        assert set(table["Merking"]) == {"mulighet"}
        assert all(r.endswith("Mulighet, ikke registrert strøm.") for r in table["Begrunnelse"])
        assert "Status" not in table.columns  # a possibility has no recorded status
        assert not set(zip(table["Fra"], table["Til"], strict=True)) & recorded
    for table in table_with(at, "Kildeår"):
        assert "Merking" not in table.columns


def test_english_labels_possibilities_and_gives_the_english_reason(portfolio):
    at = choose(SITES, 15)
    at.sidebar.radio(key="lang").set_value("en")
    at = run(at)
    possible = table_with(at, "Label")
    assert possible and all(set(t["Label"]) == {"possibility"} for t in possible)
    assert all(r.endswith("A possibility, not a recorded flow.") for t in possible for r in t["Reason"])
    assert "Possible links (possibility)" in " ".join(m.value for m in at.markdown)
    assert "Side by side" in [s.value for s in at.subheader]


def flow_uploader(at):
    return next(u for u in at.file_uploader if u.key.startswith("pf_upload"))


def test_notices_for_shared_points_and_municipal_centres(portfolio):
    imprecise = portfolio.parks.loc[portfolio.parks["location_precision"] == "municipality", "id"].iloc[0]
    at = choose(["park-malm", imprecise], 10)
    infos = shown_text(at.info)
    assert "Malm Industripark" in infos and "deler punkt med" in infos
    warnings = shown_text(at.warning)
    assert "kommunesenteret" in warnings
    assert len([w for w in at.warning if "kommunesenteret" in w.value]) == 1


def test_no_site_chosen_keeps_ranking_and_summary():
    at = run()
    at.sidebar.multiselect(key="pf_sites").set_value([])
    at = run(at)
    assert any("Velg minst ett område" in i.value for i in at.info)
    assert table_with(at, "Rang") and at.metric
    assert len(at.get("component_instance")) == 0  # no maps without a site


# --- ranking and summary --------------------------------------------------------------------------


def test_ranking_is_sortable_numbers_with_no_figure_said(portfolio, scenario):
    at = scenario
    (table,) = table_with(at, "Rang")
    assert len(table) == len(portfolio.parks)
    assert pd.api.types.is_numeric_dtype(table["Utslippskilder innenfor"])
    emissions = "Sum innenfor, t (EU ETS, CO₂-ekv. 2022)"  # the scope and year in the heading
    assert pd.api.types.is_numeric_dtype(table[emissions])
    assert table[emissions].isna().any()
    (shown,) = [df for df in at.dataframe if "Rang" in df.value.columns]
    assert shown.proto.placeholder == "ingen tall"  # a missing sum reads "ingen tall", not "None"


def test_summary_numbers_are_the_analysis_numbers(portfolio, scenario):
    at = scenario
    summary = portfolio_summary(portfolio, load_flows(), 15_000)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Områder"] == fmt_number(summary.sites)
    label = "Utslipp i nabolagene (EU ETS, CO₂-ekv. 2022)"  # as Kart's key figure: one scope, one year
    assert shown[label] == fmt_tonnes(summary.emissions_in_neighbourhoods.total_t)
    assert shown["Kilder i nabolagene"] == fmt_number(summary.sources_in_neighbourhoods)
    assert shown["Aktører i klynger og prosjekter"] == fmt_number(summary.member_companies)
    assert shown["Registrerte strømmer"] == fmt_number(len(load_flows()))
    (by_status,) = table_with(at, "Områder")[:1]
    assert by_status["Områder"].sum() == len(portfolio.parks)
    sources = [c.value for c in at.caption if c.value.startswith("Kilder")]
    assert sources and "ilaks" in sources[0]


# --- the editor: form, upload, store -------------------------------------------------------------


def fill_form(at: AppTest, **values) -> AppTest:
    fields = {
        "pf_form_from": "src-elkem-thamshavn",
        "pf_form_to": "park-gronora",
        "pf_form_res": "overskuddsvarme",
        "pf_form_status": "mulig",
        "pf_form_url": "https://example.org/varme",
        "pf_form_year": "2024",
        "pf_form_quote": "«overskuddsvarme kan leveres»",
        **values,
    }
    for key, value in fields.items():
        if key in ("pf_form_from", "pf_form_to", "pf_form_res", "pf_form_status"):
            at.selectbox(key=key).set_value(value)
        elif key == "pf_form_quote":
            at.text_area(key=key).input(value)
        else:
            at.text_input(key=key).input(value)
    at.button(key="pf_form_submit").click()
    return run(at)


def recorded_rows(at: AppTest) -> pd.DataFrame:
    return pd.concat([t for t in table_with(at, "Kildeår") if "Lag" in t.columns], ignore_index=True)


def test_a_flow_added_in_the_form_is_stored_and_drawn(portfolio, store_path):
    at = choose(SITES, 15)
    before = {ids[0] for ids in drawn(maps(at)["map0"], "flows")}
    possible = table_with(at, "Merking")[0]
    # A possibility is company to company: the Grønøra area is never offered as Elkem's partner.
    assert not {to for _, to in pairs(possible)} & set(portfolio.parks["name"])

    at = fill_form(at)
    assert any("Lagret" in s.value for s in at.success)
    layers = open_store({"INDUSTRIKART_STORE": str(store_path)}).list()
    assert [(i.kind, i.feature_count) for i in layers] == [("flows", 1)]
    assert layers[0].title.startswith("Ressursstrømmer")

    at = run(at)  # and on any later rerun
    rows = recorded_rows(at)
    added = rows[rows["Lag"] == layers[0].title]
    assert list(added["Fra"]) == ["Elkem Thamshavn"] and list(added["Status"]) == ["mulig (ifølge kilden)"]
    assert list(added["Kildeår"]) == ["2024"]
    after = {ids[0] for ids in drawn(maps(at)["map0"], "flows")}
    assert len(after - before) == 1
    possible = table_with(at, "Merking")[0]
    assert ("Elkem Thamshavn", "Grønøra industriområde (Orkanger)") not in pairs(possible)


def test_the_form_refuses_a_flow_without_an_http_source(store_path):
    at = fill_form(run(), pf_form_url="ftp://example.org/x")
    assert "source_url" in shown_text(at.error)
    assert open_store({"INDUSTRIKART_STORE": str(store_path)}).list() == []


def test_the_form_needs_both_actors(store_path):
    at = run()
    at.button(key="pf_form_submit").click()
    at = run(at)
    assert any("giver og mottaker" in e.value for e in at.error)
    assert open_store({"INDUSTRIKART_STORE": str(store_path)}).list() == []


def test_an_uploaded_csv_of_flows_is_stored_and_drawn(portfolio, store_path):
    csv = (
        "id,from_id,to_id,resource,status,source_url,source_year,quote\n"
        "flow-opplastet,src-elkem-thamshavn,park-isfjord-orkanger,overskuddsvarme,mulig,https://example.org/a,,«x»\n"
    ).encode()
    at = choose(SITES, 15)
    flow_uploader(at).set_value(("strommer.csv", csv, "text/csv"))
    at = run(at)
    assert any(c.value == "Strømmer klare til å lagres: 1." for c in at.caption)
    at.button(key="pf_upload_save").click()
    at = run(at)
    layers = open_store({"INDUSTRIKART_STORE": str(store_path)}).list()
    assert [(i.title, i.original_filename) for i in layers] == [("Ressursstrømmer: strommer.csv", "strommer.csv")]
    assert "flow-opplastet" in {ids[0] for ids in drawn(maps(at)["map0"], "flows")}


def test_an_upload_with_an_unknown_reference_is_refused(store_path):
    csv = b"id,from_id,to_id,resource,status,source_url,quote\nf1,src-elkem-thamshavn,park-nowhere,CO2,mulig,https://e.org,q\n"
    at = run()
    flow_uploader(at).set_value(("bad.csv", csv, "text/csv"))
    at = run(at)
    assert "park-nowhere" in shown_text(at.error)
    assert open_store({"INDUSTRIKART_STORE": str(store_path)}).list() == []


def test_hostile_names_in_a_stored_flow_are_shown_as_text(portfolio, store_path):
    gronora = portfolio.parks.set_index("id").loc["park-gronora"].geometry
    flows = flows_from_records(
        [
            {
                "id": "flow-hostile",
                "from_name": HOSTILE,
                "from_lon": gronora.x + 0.01,
                "from_lat": gronora.y,
                "from_precision": "locality",
                "to_id": "park-gronora",
                "resource": "CO2",
                "status": "planlagt",
                "source_url": "https://example.org/?a=<b>",
                "quote": HOSTILE,
            }
        ]
    )
    save_flows(open_store({"INDUSTRIKART_STORE": str(store_path)}), flows, portfolio, f"Ressursstrømmer: {HOSTILE}")
    at = choose(SITES, 15)
    rows = recorded_rows(at)
    hostile = rows[rows["Fra"] == HOSTILE]
    assert len(hostile) == 1  # the name exactly as written, as table text
    assert hostile["Slik kilden skriver"].iloc[0] == HOSTILE
    assert hostile["Lag"].iloc[0] == f"Ressursstrømmer: {HOSTILE}"
    main = maps(at)["map0"]["feature_group"]
    assert "flow-hostile" in main
    assert "\\u003cimg" not in main and "\\u0026lt;img" in main  # escaped before folium's tojson
    texts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.success)]
    assert not any("<img" in text for text in texts)


def test_an_unreachable_store_leaves_a_working_page_with_a_message(store_path, monkeypatch):
    store_path.write_bytes(b"this is not a GeoPackage")
    at = choose(SITES, 15)
    assert any("kan ikke nås" in w.value for w in at.warning)
    assert len(recorded_rows(at)) == len(load_flows())  # the bundled flows are still there
    assert comparison(at).shape[1] == len(SITES)
    assert "pf_form_submit" not in [b.key for b in at.button]  # no form to save into a store that is not there


def test_with_an_editor_password_only_editors_get_the_form(monkeypatch, store_path):
    from config import EDITOR_PASSWORD_ENV as PASSWORD_ENV

    monkeypatch.setenv(PASSWORD_ENV, "generated-test-passord")
    at = run()
    assert "pf_form_submit" not in [b.key for b in at.button] and not at.file_uploader
    assert any("redaktørpassordet" in i.value for i in at.info)
    at.sidebar.text_input(key="_editor_password_input").input("generated-test-passord")
    at = run(at)
    assert "pf_form_submit" in [b.key for b in at.button] and at.file_uploader


def test_a_stored_flow_layer_is_listed_on_the_layer_page(portfolio, store_path):
    save_flows(
        open_store({"INDUSTRIKART_STORE": str(store_path)}),
        load_flows().head(1).assign(id="f-1"),
        portfolio,
        "Ressursstrømmer: én",
    )
    at = run(AppTest.from_file(str(config.ROOT / "pages/4_Kartlag.py"), default_timeout=60))
    assert "ressursstrømmer" in " ".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())


def test_a_link_restores_sites_radius_and_filters(portfolio):
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=60)
    at.query_params["sites"] = ["park-gronora", "park-malm"]
    at.query_params["r"] = "15"
    at.query_params["res"] = "overskuddsvarme"
    at = run(at)
    assert at.sidebar.multiselect(key="pf_sites").value == ["park-gronora", "park-malm"]
    assert at.sidebar.slider(key="pf_radius_km").value == 15
    assert at.sidebar.multiselect(key="pf_resources").value == ["overskuddsvarme"]
    at.sidebar.slider(key="pf_radius_km").set_value(20).run()
    assert at.query_params["r"] == "20" and at.query_params["sites"] == ["park-gronora", "park-malm"]
    assert any("sites=park-gronora" in c.value and "r=20" in c.value for c in at.code)


def test_a_link_with_too_many_or_unknown_sites_is_a_notice():
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=60)
    at.query_params["sites"] = ["park-gronora", "park-malm", "park-fiborgtangen", "park-krakoya", "park-tiller"]
    at.query_params["r"] = "500"
    at = run(at)
    assert any("sites" in toast.value and "r" in toast.value for toast in at.toast)
    assert at.sidebar.slider(key="pf_radius_km").value == config.NEIGHBOURHOOD_RADIUS_DEFAULT_M // 1000


# --- what a planner sees around Grønøra -------------------------------------------------


def test_gronora_lists_each_actor_once_and_places_unknown_apart(portfolio):
    at = choose(["park-gronora"], 10)
    (actors,) = table_with(at, "Roller")
    hood = neighbourhood("park-gronora", portfolio, 10_000)
    assert len(actors) == len(hood.actors) + len(hood.unplaced)
    assert list(actors["Aktør"]).count("Elkem Thamshavn") == 1  # one entry: source and member
    unknown = actors[actors["Plassering"] == "i kommunen, plassering ukjent"]
    assert len(unknown) == len(hood.unplaced) and unknown["Avstand (km)"].isna().all()
    assert "Orkland kommune" in set(unknown["Aktør"]) and "SpareBank 1 SMN" in set(unknown["Aktør"])
    # Nothing placed at Orkland's centre shows the old "1,4 km".
    assert 1.4 not in set(actors["Avstand (km)"].dropna())
    shown = comparison(at)["Grønøra industriområde (Orkanger)"]
    assert shown["Aktører innenfor (kjent plassering)"] == "2"
    assert "Orkland kommune" in shown["I samme kommune, plassering ukjent"]
    assert "SpareBank" not in shown["Mulige industripartnere (avstand)"]
    # No company-to-company possibility here; the Grønøra area is never offered as a partner.
    assert any("Ingen mulig kobling mellom to bedrifter" in i.value for i in at.info)
    (ranking,) = table_with(at, "Rang")
    row = ranking.set_index("Område").loc["Grønøra industriområde (Orkanger)"]
    assert row["Lik plassering"].startswith("delt plass: samme aktører som")


def test_a_clicked_point_is_a_neighbourhood_beside_the_sites(portfolio):
    at = choose(["park-malm"], 5)
    # what st_folium returns after a click on the map at Orkanger, read on the next run
    at.session_state["pf_map"] = {"last_clicked": {"lat": 63.32, "lng": 9.86}}
    at = run(at)
    shown = comparison(at)
    point = "Valgt punkt (63,3200, 9,8600)"
    assert list(shown.columns) == ["Malm Industripark", point]
    site = point_site(63.32, 9.86, point, load_boundaries(config.BUNDLED_KOMMUNER))
    hood = neighbourhood_around(site, portfolio, 5_000)
    assert shown.loc["Aktører innenfor (kjent plassering)", point] == fmt_number(len(hood.actors)) == "2"
    assert shown.loc["Kommune", point] == "Orkland"  # its municipality's actors are listed apart
    assert "Orkland kommune" in shown.loc["I samme kommune, plassering ukjent", point]
    assert at.query_params["pt"] == "63.32000,9.86000"  # in the link
    # Removing it keeps it removed, though the map still reports the same last click.
    at.sidebar.button(key="pf_point_clear").click()
    at = run(at)
    assert list(comparison(at).columns) == ["Malm Industripark"]
    assert "pt" not in at.query_params


def test_a_link_with_a_point_opens_its_neighbourhood_and_a_bad_one_is_a_notice():
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=60)
    at.query_params["sites"] = ["park-malm"]
    at.query_params["pt"] = "63.32000,9.86000"
    at = run(at)
    assert "Valgt punkt (63,3200, 9,8600)" in comparison(at).columns
    for value in ("<script>,1e999", "0,0", "-90,-180", "63.3,9.8,1"):  # text, the Gulf of Guinea, the pole
        bad = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=60)
        bad.query_params["pt"] = value
        bad = run(bad)
        assert any("pt" in toast.value for toast in bad.toast), value
        assert not [c for c in comparison(bad).columns if c.startswith("Valgt punkt")], value


def test_a_typed_point_is_a_centre_as_a_click_on_the_map_is_and_a_wrong_one_names_the_field():
    at = choose(SITES, 15)
    hoods_before = len(maps(at)) - 1  # the neighbourhood map, then one small map per neighbourhood
    at.sidebar.text_input(key="pf_point_typed").input("63.44, 10.40")
    run(at)
    assert at.session_state["pf_point"] == "63.44000,10.40000"  # what a click there sets, and the link keeps
    assert len(maps(at)) - 1 == hoods_before + 1  # a neighbourhood around the point, beside the sites
    assert at.sidebar.text_input(key="pf_point_typed").value == "63.44000, 10.40000"
    at.sidebar.text_input(key="pf_point_typed").input("63,44 10,40")  # comma decimals: not a point
    run(at)
    field = "Punkt som sentrum (breddegrad, lengdegrad)"
    assert any(f"«{field}»" in e.value and "63.31, 9.85" in e.value for e in at.sidebar.error)
    assert at.session_state["pf_point"] == "63.44000,10.40000"  # the point before it is kept
    assert at.sidebar.text_input(key="pf_point_typed").value == "63,44 10,40"  # and what was typed, to correct
    at.sidebar.text_input(key="pf_point_typed").input("")
    run(at)
    assert "pf_point" not in at.session_state and not at.sidebar.error
