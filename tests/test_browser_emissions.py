"""The emissions page in Debian's chromium, offline: moving the year slider redraws the facility circles.

The app runs on a layer store in tmp_path holding the importer fixtures (made-up numbers), passed as
INDUSTRIKART_STORE, and the shared Kartverket-based boundaries passed as INDUSTRIKART_BOUNDARIES.
"""

from __future__ import annotations

import pytest

from analysis import emissions as em
from maps.styles import source_radius
from tests.helpers.browser import OfflinePage, run, running_app
from tests.helpers.emissions_fixtures import make_fixture_store
from tests.helpers.ets_fixtures import generated_2023

pytestmark = pytest.mark.browser

CIRCLES_OF_JS = """(w) => { const out = {};
    w.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.layer === "sources") out[p.ids[0]] = {radius: l.options.radius, fill: l.options.fillOpacity}; });
    return out; }"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, portfolio, shared_geodata):
    store = tmp_path_factory.mktemp("emissions-store") / "layers.gpkg"
    make_fixture_store(store, portfolio.sources)
    env = {
        "INDUSTRIKART_STORE": str(store),
        "INDUSTRIKART_BOUNDARIES": str(shared_geodata / "trondelag_kommuner.geojson"),
    }
    with running_app(env=env) as url:
        yield url


def circles(page: OfflinePage, predicate: str, arg=None, timeout_s: float = 30) -> dict[str, dict]:
    """Radius and fill of every facility circle drawn in a map of the page (the first whose circles match), once
    `predicate`, a JS function `(circles, arg) => …`, holds."""
    return page.wait_for_maps(
        f"""(maps, arg) => maps.map({CIRCLES_OF_JS}).find(c => Object.keys(c).length && ({predicate})(c, arg))""",
        arg,
        timeout_s=timeout_s,
        what=f"the facility circles never matched {predicate} ({arg})",
    )


def test_year_slider_redraws_the_circles_offline(browser, app_url):
    # Its own address (the portfolio tests click the menu), on the fixtures' CO₂ equivalents: the ETS, as new as
    # they, comes first by default.
    page = OfflinePage(browser, app_url + "Utslipp?scope=co2e")
    try:
        page.wait_for_text("Punktutslipp 2022")
        in_2022 = circles(page, "c => 'src-elkem-thamshavn' in c")
        assert in_2022["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(123456.7))
        assert in_2022["src-heimdal-varmesentral"]["fill"] > 0

        thumb = page.page.get_by_role("slider")
        run(page, lambda: thumb.press("ArrowLeft"))  # 2022 -> 2021
        page.wait_for_text("Punktutslipp 2021")
        in_2021 = circles(page, "c => (c['src-heimdal-varmesentral'] || {}).fill === 0")
        assert in_2021["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(120000.5))
        assert in_2021["src-heimdal-varmesentral"]["fill"] == 0  # no co2e figure for 2021: hollow
        assert set(in_2021) == set(in_2022)  # the same facilities, redrawn
        assert page.blocked, "the basemap asks for tiles, which this test refuses"
        assert page.unexpected_errors() == []
    finally:
        page.close()


@pytest.fixture(scope="module")
def fresh_clone_url(tmp_path_factory):
    """The app with nothing but the bundled data: no store, no boundaries file, no ../shared, no network."""
    empty = tmp_path_factory.mktemp("fresh-clone")
    env = {"INDUSTRIKART_STORE": str(empty / "no-store.gpkg"), "INDUSTRIKART_BOUNDARIES": "", "SHARED_DIR": str(empty)}
    with running_app(env=env) as url:
        yield url


def test_bundled_register_series_in_chromium(browser, fresh_clone_url, portfolio):
    """The EU ETS 2022 by default, with its credit; one year back redraws the circles."""
    ets = em.facility_series(portfolio.figures, "src-elkem-thamshavn", "ets").set_index("year")["amount_t"]
    # the page's own address: a menu click while the first page's map still reports its view can be lost
    page = OfflinePage(browser, fresh_clone_url + "Utslipp")
    try:
        page.wait_for_text("Punktutslipp 2022")
        page.wait_for_text("EU Transaction Log (Europakommisjonen)")
        in_2022 = circles(page, "c => 'src-elkem-thamshavn' in c")
        assert in_2022["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(ets[2022]))
        thumb = page.page.get_by_role("slider")
        run(page, lambda: thumb.press("ArrowLeft"))  # 2022 -> 2021
        page.wait_for_text("Punktutslipp 2021")
        in_2021 = circles(
            page, "(c, radius) => (c['src-elkem-thamshavn'] || {}).radius === radius", source_radius(ets[2021])
        )
        assert set(in_2021) == set(in_2022)
        assert page.unexpected_errors() == []
    finally:
        page.close()


def test_a_2023_release_imported_through_the_page_shows_on_utslipp(browser, tmp_path_factory, shared_geodata):
    """The import page reads a generated next-year table (made-up numbers), saves it; Utslipp then opens on 2023."""
    folder = tmp_path_factory.mktemp("ets-import")
    made = generated_2023(shared_geodata, folder / "generated_eutl_2023.csv")
    env = {"INDUSTRIKART_STORE": str(folder / "generated_layers.gpkg"), "INDUSTRIKART_BOUNDARIES": ""}
    with running_app(env=env) as url:
        page = OfflinePage(browser, url + "Importer_utslipp")
        try:
            page.wait_for_text("Importer utslippsdata")
            run(page, page.page.get_by_text("EU ETS verifiserte utslipp (EU Transaction Log)").click)
            page.page.locator('input[type="file"]').set_input_files(str(folder / "generated_eutl_2023.csv"))
            shown = page.wait_for_text("Rader beholdt", timeout_s=60)
            assert "Anlegg: 10 (10 koblet til kjente anlegg: EUTL-id 10; 0 ikke koblet" in shown
            run(page)
            page.page.get_by_role("button", name="Lagre").click()
            page.wait_for_text("Lagret «EU ETS verifiserte utslipp: generated_eutl_2023.csv»")
            assert page.unexpected_errors() == []
        finally:
            page.close()
        page = OfflinePage(browser, url + "Utslipp")
        try:
            page.wait_for_text("Punktutslipp 2023")
            drawn = circles(page, "c => 'src-elkem-thamshavn' in c")
            assert drawn["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(made["203893"]))
            assert page.unexpected_errors() == []
        finally:
            page.close()
