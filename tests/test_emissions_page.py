"""The emissions page under AppTest: bundled data only, fixture-imported data, boundaries or none, downloads.

The imported data are the importer fixtures (made-up numbers), saved to a layer store in tmp_path the
way an import is saved, and read back through `loaders.official.imported.read_imported`.
"""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

import config
import ui.emissions_data as emissions_data
from analysis import emissions as em
from i18n import fmt_number, t
from loaders.official.imported import Imported
from maps.styles import source_radius
from store import StoreError
from tests.helpers.apptest import run as run_page
from tests.helpers.emissions_fixtures import fixture_imported, make_fixture_store

PAGE = "pages/1_Utslipp.py"


@pytest.fixture(scope="module")
def imported(tmp_path_factory, portfolio) -> Imported:
    return fixture_imported(tmp_path_factory.mktemp("store") / "layers.gpkg", portfolio.sources)


@pytest.fixture
def no_boundaries(monkeypatch, tmp_path):
    monkeypatch.delenv("INDUSTRIKART_BOUNDARIES", raising=False)
    monkeypatch.setattr(config, "BOUNDARIES_CACHE_DIR", tmp_path / "no-cache")
    monkeypatch.setattr(config, "STORE_PATH", tmp_path / "no-store.gpkg")
    monkeypatch.delenv("INDUSTRIKART_STORE", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


@pytest.fixture
def no_bundled_boundaries(monkeypatch, tmp_path):
    """As if geodata/ had no kommunegrenser.geojson (the notice on how to get boundaries)."""
    monkeypatch.setattr(config, "BUNDLED_KOMMUNER", tmp_path / "no-bundled-kommuner.geojson")


@pytest.fixture
def with_imports(monkeypatch, imported, no_boundaries):
    monkeypatch.setattr(emissions_data, "load_imported", lambda: imported)


def co2e() -> AppTest:
    """The page opened on the fixtures' CO₂-equivalents (the ETS, as new as they, comes first by default)."""
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=90)
    at.session_state["em_scope"] = "co2e"
    return at


def run(at: AppTest | None = None) -> AppTest:
    at = (at if at is not None else AppTest.from_file(str(config.ROOT / PAGE), default_timeout=90)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def maps(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.json_args) for c in at.get("component_instance")]


def circles(args: dict) -> dict[str, dict]:
    """id -> style of every facility circle in a map's feature groups (the GeoJSON data in the JS)."""
    styles = {}
    for match in re.finditer(r'"ids": \["([^"]+)"\].*?"style": (\{[^}]*\})', args["feature_group"], re.S):
        styles[match.group(1)] = json.loads(match.group(2))
    return styles


def chart_data(at: AppTest, mark: str):
    """The data of the first Vega-Lite chart with this mark, as pandas."""
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if json.dumps(spec).find(f'"type": "{mark}"') >= 0:
            return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()
    raise AssertionError(f"no {mark} chart")


def download_keys(at: AppTest) -> list[str]:
    return [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")]


def test_a_fresh_clone_opens_on_the_ets_and_its_newest_year(no_boundaries):
    """A fresh clone: the newest year first (the EU ETS, 2022), greenhouse gases first, undated figures apart."""
    at = run()
    scope = at.selectbox(key="em_scope")
    assert scope.value == "ets"
    assert scope.options[:3] == [
        "kvotepliktige utslipp (EU ETS), t CO₂-ekv.",
        "fossilt CO₂",
        "CO₂ totalt (fossilt og biogent)",
    ]
    assert len(scope.options) >= 20  # every pollutant the E-PRTR register has for these facilities
    slider = at.select_slider(key="em_year")
    # Norway joined the ETS in 2008: the register has no verified figure before that (NA), none is made up.
    assert slider.options == [str(y) for y in range(2008, 2023)] and slider.value == 2022
    assert any("Store punktutslipp i EU ETS, samme anlegg hvert år" in h.value for h in at.subheader)
    assert at.selectbox(key="em_base_year").value == 2013  # the year the ETS widened
    assert any("EU Transaction Log (Europakommisjonen)" in c.value for c in at.caption)
    at.selectbox(key="em_scope").set_value("fossil")
    at = run(at)
    assert at.select_slider(key="em_year").options == [str(y) for y in range(2007, 2018)]
    assert any("Tall uten år" in e.label for e in at.expander)
    undated = next(e for e in at.expander if "Tall uten år" in e.label).dataframe[0].value
    assert "år ikke oppgitt" in undated["År"].tolist()  # shown honestly, with the source's words
    assert any("Ingen kommunestatistikk" in i.value for i in at.info)
    assert any(k.startswith("csv_undated") for k in download_keys(at))
    assert at.selectbox(key="em_base_year").value == 2009


def test_the_point_source_path_names_its_plants_and_follows_the_base_year(no_boundaries, portfolio):
    at = run()
    result = em.point_source_path(portfolio.figures, "ets", 2022, 2013)
    names = portfolio.sources.set_index("id")["facility"]
    caption = next(c.value for c in at.caption if "anlegg med tall både i 2013 og 2022" in c.value)
    assert caption.startswith(f"{len(result.plants)} anlegg") and all(names[p] in caption for p in result.plants)
    left_out = next(c.value for c in at.caption if c.value.startswith("Utenfor settet"))
    assert "Södra Cell Folla" in left_out
    assert any("2013: 7 → 10" in c.value for c in at.caption)  # the year the ETS widened, marked
    badge = next(m for m in at.metric if m.label == "Samme anlegg 2022")
    assert badge.delta == f"{fmt_number(result.path.gap.change_since_baseline_pct, 'nb', 1)} % siden 2013"
    at.selectbox(key="em_base_year").set_value(2009)
    at = run(at)
    from_2009 = em.point_source_path(portfolio.figures, "ets", 2022, 2009)
    assert len(from_2009.plants) < len(result.plants)  # Elkem, Wacker, Rockwool were not in the ETS in 2009
    assert any(c.value.startswith(f"{len(from_2009.plants)} anlegg med tall både i 2009 og 2022") for c in at.caption)
    assert "csv_point_sources_ets_2009_2022" in download_keys(at)


def test_a_link_keeps_the_base_year(no_boundaries):
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=90)
    at.query_params["base"] = "2009"
    at = run(at)
    assert at.selectbox(key="em_base_year").value == 2009
    assert any("anlegg med tall både i 2009 og 2022" in c.value for c in at.caption)


def test_a_plant_in_both_registers_shows_both_series_labelled(no_boundaries):
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=90)
    at.session_state["em_selected"] = "src-elkem-thamshavn"
    at = run(at)
    assert any("Begge registrene har tall for anlegget" in c.value for c in at.caption)
    series = chart_data(at, "line")
    labels = set(series["series"])
    assert {"kvotepliktige utslipp (EU ETS), t CO₂-ekv.", "fossilt CO₂", "CO₂ totalt (fossilt og biogent)"} == labels
    table = next(df.value for df in at.dataframe if "Gratis tildelte kvoter (t)" in df.value.columns)
    row = table[(table["År"] == "2022") & table["Omfang"].str.startswith("kvotepliktige")].iloc[0]
    assert (row["Tonn"], row["Gratis tildelte kvoter (t)"], row["Etterlevelseskode"]) == (
        "218\u00a0541",
        "156\u00a0903",
        "A",
    )  # as the register states them for 2022


def test_2009_total_co2_shows_elkem_with_the_register_figure_and_credit(no_boundaries):
    at = run()
    at.selectbox(key="em_scope").set_value("total")
    at = run(at)
    at.select_slider(key="em_year").set_value(2009)
    at = run(at)
    shares = next(df.value for df in at.dataframe if "Andel (%)" in df.value.columns)
    elkem = shares.set_index("Anlegg").loc["Elkem Thamshavn"]
    assert elkem["Tonn"] == "155\u00a0000"  # E-PRTR 2009: 155000000.0 kg, shown in tonnes
    assert set(shares["Omfang"]) == {"CO₂ totalt (fossilt og biogent)"}  # never summed with fossil
    assert any("European Environment Agency, E-PRTR (CC BY 4.0)" in c.value for c in at.caption)
    assert any("NorFraKalk" in c.value and "rapportert over terskelen" in c.value for c in at.caption)
    drawn = circles(maps(at)[0])
    assert drawn["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(155000.0))
    tonnes = sum(float(v.replace("\u00a0", "")) for v in shares["Tonn"])
    assert tonnes == pytest.approx(155_000 + 165_000 + 136_000)  # total only, 2009: Elkem, Skogn, Wacker


def test_switching_to_nox_redraws_the_facility_map(no_boundaries):
    at = run()
    before = circles(maps(at)[0])
    at.selectbox(key="em_scope").set_value("nox")
    at = run(at)
    after = circles(maps(at)[0])
    assert after != before
    assert any("nitrogenoksider" in h.value for h in at.subheader)
    assert any(k.startswith("csv_facilities_nox_") for k in download_keys(at))


def test_a_fresh_clone_draws_the_choropleth_from_the_bundled_boundaries(no_boundaries):
    at = run()
    assert not any("Kommunegrensene mangler" in i.value for i in at.info)
    assert any("kommunegrenser.geojson" in c.value and "Kartverket" in c.value for c in at.caption)
    assert len(maps(at)) >= 2  # the facility map and the choropleth


def test_every_scope_renders_with_bundled_data(no_boundaries):
    at = run()
    for scope in at.selectbox(key="em_scope").options:
        at.selectbox(key="em_scope").set_value(scope)
        run(at)


def test_year_slider_changes_the_map_and_the_bar_chart(with_imports):
    at = run(co2e())
    assert at.selectbox(key="em_scope").value == "co2e"
    slider = at.select_slider(key="em_year")
    assert slider.options == ["2021", "2022"] and slider.value == 2022
    first = maps(at)[0]
    drawn = circles(first)
    assert drawn["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(123456.7))
    assert drawn["src-heimdal-varmesentral"]["fillOpacity"] > 0
    assert "src-fiktiv-testfabrikk-gronora" not in drawn  # no position: tables only
    bars = chart_data(at, "bar")
    assert bars["facility"].tolist()[:2] == ["Elkem Thamshavn", "Heimdal varmesentral"]

    slider.set_value(2021)
    run(at)
    second = maps(at)[0]
    assert second["key"] == first["key"], "the base map changed, so the map would remount"
    drawn = circles(second)
    assert drawn["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(120000.5))
    assert drawn["src-heimdal-varmesentral"]["fillOpacity"] == 0.0  # no co2e figure for 2021: hollow
    assert chart_data(at, "bar")["facility"].tolist() == ["Elkem Thamshavn"]
    assert any(k == "csv_facilities_co2e_2021" for k in download_keys(at))


def test_scopes_are_never_mixed(with_imports):
    at = run()
    at.selectbox(key="em_scope").set_value("total")
    run(at)
    drawn = circles(maps(at)[0])
    # EEA 2021 "total" only: Elkem's 215 000 t, never added to its co2e or fossil figures
    assert drawn["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(215000.0))
    shares = next(df.value for df in at.dataframe if "Andel (%)" in df.value.columns)
    assert set(shares["Omfang"]) == {"CO₂ totalt (fossilt og biogent)"}
    assert any("summen av anleggene" in c.value for c in at.caption)


def test_clicked_facility_shows_its_series(with_imports):
    at = co2e()
    at.session_state["em_selected"] = "src-elkem-thamshavn"
    at = run(at)
    assert any("Tidsserie: Elkem Thamshavn" in m.value for m in at.markdown)
    series = chart_data(at, "line")
    assert series[["year", "amount_t"]].values.tolist() == [[2021, 120000.5], [2022, 123456.7]]
    assert any(k.startswith("csv_series_co2e") for k in download_keys(at))


def test_shares_use_the_facility_sum_when_the_statistics_are_incomplete(with_imports):
    at = run(co2e())
    assert any("dekker bare 2 av 38 kommuner" in c.value for c in at.caption)
    shares = next(df.value for df in at.dataframe if "Andel (%)" in df.value.columns)
    assert shares.iloc[0]["Anlegg"] == "Elkem Thamshavn"
    assert shares.iloc[0]["Andel (%)"] == "64,1"  # 123 456,7 of 192 469,35 (the five facilities' sum)


def test_without_boundaries_the_page_says_how_to_get_them(with_imports, no_bundled_boundaries):
    at = run(co2e())
    notice = next(i.value for i in at.info if "Kommunegrensene mangler" in i.value)
    assert "python -m loaders boundaries --download" in notice
    assert len(at.get("component_instance")) == 1  # the facility map only
    table = next(df.value for df in at.dataframe if "Kommunenummer" in df.value.columns)
    assert table["Kommunenummer"].tolist() == ["5059", "5001"]  # the statistics still shown


def test_choropleth_with_boundaries_and_source_toggle(with_imports, monkeypatch, shared_geodata):
    monkeypatch.setenv("INDUSTRIKART_BOUNDARIES", str(shared_geodata / "trondelag_kommuner.geojson"))
    at = run(co2e())
    assert not any("Kommunegrensene mangler" in i.value for i in at.info)
    choropleth = maps(at)[1]
    assert choropleth["key"] != maps(at)[0]["key"]
    assert choropleth["feature_group"].count('"layer": "municipalities"') == 38
    assert (
        "234\\u00a0568\\u00a0t" in choropleth["feature_group"] or "234\u00a0568\u00a0t" in choropleth["feature_group"]
    )
    at.radio(key="em_municipal_source").set_value("facilities")
    run(at)
    table = next(df.value for df in at.dataframe if "Kommunenummer" in df.value.columns)
    assert table["Kommunenummer"].tolist() == ["5059", "5001", "5037", "5038"]
    assert maps(at)[1]["key"] == choropleth["key"]
    at.radio(key="em_municipal_source").set_value("statistics")
    run(at)
    at.selectbox(key="em_sector").set_value("Veitrafikk")
    run(at)
    table = next(df.value for df in at.dataframe if "Kommunenummer" in df.value.columns)
    assert table[["Kommunenummer", "Tonn"]].values.tolist() == [["5001", "98\u00a0765"]]


def test_county_path_without_2009_says_so(with_imports):
    at = run(co2e())
    warning = next(w.value for w in at.warning if "2009" in w.value)
    assert "regner det ikke ut baklengs" in warning
    assert not at.metric  # no baseline, no gap figures
    assert any("2021, 2022" in c.value for c in at.caption)  # both years miss municipalities


def test_county_path_with_a_generated_2009_shows_the_gap(monkeypatch, imported, no_boundaries):
    from core.kommunenummer import CURRENT

    rows = [
        {
            "kommunenummer": k,
            "municipality": None,
            "year": y,
            "sector": "Testsektor",
            "source": None,
            "amount_t": a,
            "scope": "co2e",
            "quote": "",
            "source_url": "generated testdata",
        }
        for y, a in ((2009, 1000.0), (2022, 900.0))
        for k in CURRENT
    ]
    import pandas as pd

    municipal = pd.DataFrame(rows)
    municipal["year"] = municipal["year"].astype("Int64")
    data = Imported(figures=imported.figures, sources=imported.sources, municipal=municipal, titles=("generated",))
    monkeypatch.setattr(emissions_data, "load_imported", lambda: data)
    at = run(co2e())
    shown = {m.label: m.value for m in at.metric}
    assert shown["Nivå 2009"] == "38\u00a0000\u00a0t"
    assert shown["Siste hele år (2022)"] == "34\u00a0200\u00a0t"
    assert shown["Gjenstår til 50 % kutt"] == "15\u00a0200\u00a0t"  # 34 200 − 19 000
    assert shown["Gjenstår til 55 % kutt"] == "17\u00a0100\u00a0t"  # 34 200 − 17 100
    assert any(k == "csv_county_co2e" for k in download_keys(at))


def test_downloads_for_every_table(with_imports, monkeypatch, shared_geodata):
    monkeypatch.setenv("INDUSTRIKART_BOUNDARIES", str(shared_geodata / "trondelag_kommuner.geojson"))
    at = run(co2e())
    keys = download_keys(at)
    for stem in (
        "facilities_co2e_2022",
        "top_co2e_2022",
        "shares_co2e_2022",
        "municipalities_statistics_co2e_2022",
        "county_co2e",
    ):
        assert f"csv_{stem}" in keys and f"xlsx_{stem}" in keys, stem


def test_store_error_is_reported_and_the_bundled_data_still_shown(monkeypatch, no_boundaries):
    def broken():
        raise StoreError("the store file is locked (test)")

    monkeypatch.setattr(emissions_data, "load_imported", broken)
    at = run()
    assert any("the store file is locked (test)" in w.value for w in at.warning)
    assert at.select_slider(key="em_year").options[0] == "2008"  # the bundled ETS register still shown


def test_imports_are_read_from_the_store_named_by_the_environment(monkeypatch, tmp_path, portfolio, no_boundaries):
    make_fixture_store(tmp_path / "layers.gpkg", portfolio.sources)
    monkeypatch.setenv("INDUSTRIKART_STORE", str(tmp_path / "layers.gpkg"))
    at = run()
    assert any("Testfixture norskeutslipp" in c.value for c in at.caption)
    at.selectbox(key="em_scope").set_value("co2e")
    at = run(at)
    assert at.select_slider(key="em_year").options == ["2021", "2022"]


def test_english(with_imports, no_bundled_boundaries):
    at = run(co2e())
    at.radio(key="lang").set_value("en")
    run(at)
    assert any("Point emissions 2022" in s.value for s in at.subheader)
    assert any("The municipality boundaries are missing" in i.value for i in at.info)


def test_a_kept_year_the_new_scope_lacks_falls_back_to_its_latest(with_imports, monkeypatch, imported):
    import pandas as pd

    extra = imported.figures.iloc[:1].copy()
    extra[["year", "scope", "amount_t"]] = [2019, "fossil", 1.0]  # made-up: gives "fossil" a slider 2019–2021
    data = Imported(
        figures=pd.concat([imported.figures, extra], ignore_index=True),
        sources=imported.sources,
        municipal=imported.municipal,
    )
    monkeypatch.setattr(emissions_data, "load_imported", lambda: data)
    at = run()
    assert at.select_slider(key="em_year").value == 2022
    at.selectbox(key="em_scope").set_value("fossil")
    run(at)
    options = at.select_slider(key="em_year").options
    assert options[:11] == [str(y) for y in range(2007, 2018)] and options[11:] == ["2019", "2021"]
    assert at.select_slider(key="em_year").value == 2021


def test_the_layer_page_lists_imported_tables(monkeypatch, tmp_path, portfolio, no_boundaries):
    make_fixture_store(tmp_path / "layers.gpkg", portfolio.sources)
    monkeypatch.setenv("INDUSTRIKART_STORE", str(tmp_path / "layers.gpkg"))
    at = run(AppTest.from_file(str(config.ROOT / "pages/4_Kartlag.py"), default_timeout=90))
    kinds = set(at.dataframe[0].value.iloc[:, :].astype(str).values.ravel())
    assert "importerte utslippstall" in kinds and "kommunestatistikk (utslipp)" in kinds


def test_a_link_restores_year_scope_source_and_facility(with_imports):
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=90)
    at.query_params["year"] = "2021"
    at.query_params["src"] = "facilities"
    at.query_params["sel"] = "src-elkem-thamshavn"
    at.query_params["lang"] = "en"
    at = run(at)
    assert at.select_slider(key="em_year").value == 2021
    assert at.radio(key="em_municipal_source").value == "facilities"
    assert any("Elkem Thamshavn" in m.value for m in at.markdown)
    at.select_slider(key="em_year").set_value(2022).run()
    assert at.query_params["year"] == "2022" and at.query_params["sel"] == "src-elkem-thamshavn"


def test_a_malformed_link_is_a_notice(with_imports):
    at = AppTest.from_file(str(config.ROOT / PAGE), default_timeout=90)
    at.query_params["year"] = "last"
    at.query_params["sel"] = "<script>"
    at = run(at)
    assert any("year" in toast.value and "sel" in toast.value for toast in at.toast)


def test_every_chart_is_named_for_screen_readers_and_its_numbers_are_a_table():
    """WCAG 1.1.1: a chart's description (Vega's aria-label) says what it shows and where its numbers are as text;
    a chart without a table of its own gets one in a fold right under it."""
    at = run_page("pages/1_Utslipp.py")
    descriptions = [json.loads(chart.proto.spec).get("description") or "" for chart in at.get("vega_lite_chart")]
    assert len(descriptions) >= 3
    below, fold = t("chart_table_below", "nb"), t("chart_table_fold", "nb")
    assert all(d.endswith((below, fold)) and ".." not in d for d in descriptions), descriptions
    folded = [d for d in descriptions if d.endswith(fold)]
    tables = [e for e in at.expander if e.label == t("chart_as_table", "nb")]
    assert folded and len(tables) == len(folded)
    assert all(len(e.dataframe) == 1 and len(e.dataframe[0].value) > 0 for e in tables)
