"""The emissions page in Debian's chromium, offline: moving the year slider redraws the facility circles.

The app runs on a layer store in tmp_path holding the importer fixtures (made-up numbers), passed as
INDUSTRIKART_STORE, and the shared Kartverket-based boundaries passed as INDUSTRIKART_BOUNDARIES.
"""

from __future__ import annotations

import contextlib
import time

import pytest

from maps.styles import source_radius
from tests.browser import OfflinePage, running_app
from tests.emissions_fixtures import make_fixture_store

pytestmark = pytest.mark.browser

CIRCLES_JS = """() => { const out = {};
    window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
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
    with running_app("dashboard.py", env) as url:
        yield url


def circles(page: OfflinePage, timeout_s: float = 30, predicate=lambda c: bool(c)) -> dict[str, dict]:
    """Radius and fill of every facility circle drawn in the facility map, once `predicate` holds."""
    deadline = time.monotonic() + timeout_s
    seen: dict[str, dict] = {}
    while time.monotonic() < deadline:
        for frame in page.page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            with contextlib.suppress(Exception):
                found = frame.evaluate(CIRCLES_JS)
                if found:
                    seen = found
                    if predicate(found):
                        return found
        page.pause(0.25)
    raise AssertionError(f"the facility circles never matched; last seen {seen}")


def test_year_slider_redraws_the_circles_offline(browser, app_url):
    page = OfflinePage(browser, app_url)
    try:
        page.page.get_by_role("link", name="Utslipp", exact=True).click()
        page.wait_for_text("Punktutslipp 2022")
        in_2022 = circles(page, predicate=lambda c: "src-elkem-thamshavn" in c)
        assert in_2022["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(123456.7))
        assert in_2022["src-heimdal-varmesentral"]["fill"] > 0

        thumb = page.page.get_by_role("slider")
        thumb.focus()
        thumb.press("ArrowLeft")  # 2022 -> 2021
        page.wait_for_text("Punktutslipp 2021")
        in_2021 = circles(page, predicate=lambda c: c.get("src-heimdal-varmesentral", {}).get("fill") == 0)
        assert in_2021["src-elkem-thamshavn"]["radius"] == pytest.approx(source_radius(120000.5))
        assert in_2021["src-heimdal-varmesentral"]["fill"] == 0  # no co2e figure for 2021: hollow
        assert set(in_2021) == set(in_2022)  # the same facilities, redrawn
        assert page.blocked, "the basemap asks for tiles, which this test refuses"
        assert page.unexpected_errors() == []
    finally:
        page.close()
