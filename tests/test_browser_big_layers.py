"""A 100 000-point uploaded layer in a real browser, offline: drawn from vector tiles, clickable, never re-sent."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from maps.pmtiles_build import store_folder
from tests.helpers.big_layer_fixtures import TILE_STATE_JS, CountingPage, generated_points, stored_layer, tiles_drawn
from tests.helpers.browser import run, running_app

pytestmark = pytest.mark.browser

N = 100_000


@pytest.fixture(scope="module")
def big_layer():
    path = Path(tempfile.mkdtemp(prefix="industrikart-big-")) / "generated_big.gpkg"
    frame = generated_points(N)
    info = stored_layer(path, frame, "generated_points_100k")
    return path, frame, info


@pytest.fixture(scope="module")
def app_url(big_layer):
    with running_app(env={"INDUSTRIKART_STORE": str(big_layer[0])}) as url:
        yield url
    shutil.rmtree(store_folder(str(big_layer[0])), ignore_errors=True)  # the tiles the app built


@pytest.fixture
def page(browser, app_url):
    counting = CountingPage(browser, app_url)
    yield counting
    counting.close()


def test_a_100k_point_layer_draws_offline_from_local_tiles(page):
    requested = []
    page.page.on("request", lambda r: requested.append(r.url))
    state = page.wait_for_tiles()
    assert state["layers"] == 1 and state["features"] > 1_000
    assert any(".pmtiles" in url and "/app/static/tiles/" in url for url in requested)
    assert not [url for url in page.blocked if ".pmtiles" in url or ".js" in url]
    assert page.unexpected_errors() == []
    # the layer's features never travel through the websocket: a few hundred KB for the whole page
    assert page.received < 5_000_000


def test_clicking_a_feature_shows_its_record_escaped(page, big_layer):
    _, frame, _ = big_layer
    page.wait_for_tiles()
    position = 4242
    point = frame.geometry.iloc[position]
    map_frame = page.map_frame()
    # the map reports its new view, which reruns the page: a click during that run can be lost
    run(
        page,
        lambda: map_frame.evaluate(f"() => {{ window.map.setView([{point.y}, {point.x}], 15, {{animate: false}}); }}"),
    )
    page.wait_for_tiles()
    x, y = map_frame.evaluate(
        f"() => {{ const p = window.map.latLngToContainerPoint([{point.y}, {point.x}]); "
        "const r = document.getElementById('map_div').getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }"
    )
    box = page.page.locator("iframe").first.bounding_box()
    page.page.mouse.click(box["x"] + x, box["y"] + y)
    # the record panel: the feature's own title line, then every property in a table (ui/record.py,
    # tested in tests/test_pmtiles.py; st.dataframe draws on a canvas, so its cells are not in the DOM)
    page.wait_for_text(f"Objekt {position + 1} i generated_points_100k")
    page.page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').last.wait_for(timeout=30_000)
    assert page.page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0


def test_a_layer_toggle_does_not_resend_the_big_layer(browser, app_url):
    # Without a background: the bundled outlines under every basemap (about 180 KB, maps/layers.py) are
    # re-sent with every change like all streamlit-folium groups; this test is about the big layer.
    page = CountingPage(browser, app_url + "?base=none")
    page.wait_for_tiles()
    run(page)  # the first draw's runs (and the map's replies to them) have finished: their messages are in
    before = page.received
    sidebar = page.page.locator('[data-testid="stSidebar"]')
    run(page, sidebar.get_by_text("Punktutslipp", exact=True).first.click)  # the toggle's run, and any it starts
    page.wait_for_features("f => !f.some(x => x.layer === 'sources')", timeout_s=30)
    sent = page.received - before
    assert sent < 100_000, f"{sent} bytes over the websocket for a toggle"
    assert tiles_drawn(page.map_frame().evaluate(TILE_STATE_JS))
    page.close()
