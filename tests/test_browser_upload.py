"""An uploaded layer whose values carry HTML and script: in a real browser they show as text and run nothing."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from store import open_store
from tests.browser import OfflinePage, running_app

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "generated_hostile_store.gpkg"
    store = open_store({"INDUSTRIKART_STORE": str(path)})
    frame = gpd.GeoDataFrame(
        {"navn": [HOSTILE], "merknad": ["<b onmouseover=window.__xss=3>fet</b>"]},
        geometry=[Point(10.4, 63.43)],
        crs=4326,
    )
    style = {"colour": "#123456", "fill": True, "label_field": "navn", "popup_fields": ["navn", "merknad"]}
    store.save(frame, HOSTILE, "other", original_filename="generated_hostile.geojson", style=style)
    with running_app(env={"INDUSTRIKART_STORE": str(path)}) as url:
        yield url


def test_hostile_values_show_as_text_and_run_nothing(browser, hostile_app):
    page = OfflinePage(browser, hostile_app)
    try:
        page.wait_for_features(lambda f: any(x["layer"] == "stored" for x in f))
        frame = page.map_frame()
        frame.evaluate("() => window.map.setView([63.43, 10.4], 12, {animate: false})")
        x, y = frame.evaluate(
            "() => { const p = window.map.latLngToContainerPoint([63.43, 10.4]);"
            " const r = document.getElementById('map_div').getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }"
        )
        box = page.page.locator("iframe").first.bounding_box()
        page.page.mouse.click(box["x"] + x, box["y"] + y)
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=30_000)
        assert HOSTILE in popup.inner_text()  # the value, shown as the text it is
        assert popup.locator("img, script, b[onmouseover]").count() == 0
        legend = frame.locator(".ik-legend").inner_text()
        assert HOSTILE in legend and frame.locator(".ik-legend img, .ik-legend script").count() == 0
        page.pause(1.0)  # give a planted onerror time to fire
        assert frame.evaluate("() => window.__xss") is None
        assert page.page.evaluate("() => window.__xss") is None
    finally:
        page.close()
