"""WMTS and WMS overlays in chromium: the app and the HTML export draw them from the loopback MapProxy (WMTS) and
MapServer (WMS), counted through Leaflet's own tile layers; the legend and the attribution name them.

- Kart draws a WMTS overlay switched on by the link (?ov=);
- Portefølje draws the overlays in the link and its legend names them;
- the standalone HTML export draws the overlays in force as the same tile layers, with attribution and legend, and
  its text alternative names them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loaders.official.map_services import read_capabilities
from loaders.official.overlays import overlays_of, save_overlays
from store import open_store
from store.acting import ActingStore, Actor
from tests.helpers.browser import OfflinePage, running_app, serve_file
from tests.helpers.map_server import LAYER_NAME, LAYER_TITLE, needs_mapserver, running_map_server
from tests.helpers.wmts_server import (
    WMTS_ATTRIBUTION,
    WMTS_LAYER,
    WMTS_TITLE,
    needs_mapproxy,
    running_wmts_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), needs_mapserver, needs_mapproxy]

# Tiles Leaflet has loaded (an image decoded) from tile layers whose address starts with `base`, in map windows.
TILES_FROM_JS = """(maps, base) => { let n = 0;
    for (const w of maps) { w.map.eachLayer(l => {
        if (l instanceof w.L.TileLayer && String(l._url || '').startsWith(base))
            n += Object.values(l._tiles).filter(t => t.loaded && t.el.complete && t.el.naturalWidth > 0).length;
    }); }
    return n; }"""
LEGEND_JS = """(maps) => { for (const w of maps) {
    const names = [...w.document.querySelectorAll('.ik-overlay-legend')].map(e => e.textContent);
    if (names.length) return {names: names,
        attribution: w.document.querySelector('.leaflet-control-attribution')?.textContent || ''}; }
    return null; }"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """MapServer, MapProxy over it, a store holding one WMS and one WMTS overlay (saved through the ActingStore) and
    the app on that store."""
    folder = tmp_path_factory.mktemp("wmts-browser")
    with running_map_server(folder) as map_server:
        wms = read_capabilities(map_server.wms, allow_private=True)
        legend = next(layer.legend_url for layer in wms.layers if layer.name == LAYER_NAME)
        with running_wmts_server(folder, map_server.wms, legend) as wmts_server:
            path = Path(tempfile.mkdtemp(prefix="industrikart-wmts-")) / "generated_layers.gpkg"
            env = {"INDUSTRIKART_STORE": str(path)}
            store = ActingStore(open_store(env), Actor.trusted("test", "generated test operator"))
            wmts = read_capabilities(wmts_server.rest_capabilities, allow_private=True)
            (wmts_overlay,) = overlays_of(
                (info := save_overlays(store, wmts, [WMTS_LAYER], "WMTS-test")).id, store.read(info.id)
            )
            (wms_overlay,) = overlays_of(
                (info := save_overlays(store, wms, [LAYER_NAME], "WMS-test")).id, store.read(info.id)
            )
            with running_app(env=env) as url:
                yield map_server, wmts_server, url, wms_overlay, wmts_overlay


def test_kart_draws_the_wmts_overlay_from_mapproxy(browser, served):
    _, wmts_server, url, _, wmts_overlay = served
    page = OfflinePage(browser, f"{url}?ov={wmts_overlay.key}&view=63.30000,10.00000,9")
    try:
        tiles = page.wait_for_maps(
            TILES_FROM_JS, arg=wmts_server.url, timeout_s=60, what="no WMTS tile loaded from MapProxy"
        )
        assert tiles > 0
        assert any(p.startswith(f"/wmts/{WMTS_LAYER}/webmercator/09/") for p in wmts_server.requests)  # zoom 9
        legend = page.wait_for_maps(LEGEND_JS, what="the legend never named the WMTS overlay")
        assert legend["names"] == [WMTS_TITLE] and WMTS_ATTRIBUTION in legend["attribution"]
        print(f"Kart: {tiles} WMTS tiles drawn by Leaflet from MapProxy")
        assert not page.unexpected_errors()
    finally:
        page.close()


def test_portfolio_draws_the_overlays_in_the_link_and_names_them(browser, served):
    map_server, wmts_server, url, wms_overlay, wmts_overlay = served
    page = OfflinePage(browser, f"{url}Portefolje?ov={wms_overlay.key}&ov={wmts_overlay.key}")
    try:
        wmts_tiles = page.wait_for_maps(TILES_FROM_JS, arg=wmts_server.url, timeout_s=60, what="no WMTS tile")
        wms_tiles = page.wait_for_maps(TILES_FROM_JS, arg=map_server.url, timeout_s=60, what="no WMS tile")
        assert wmts_tiles > 0 and wms_tiles > 0
        legend = page.wait_for_maps(LEGEND_JS, what="the legend never named the overlays")
        assert sorted(legend["names"]) == sorted([LAYER_TITLE, WMTS_TITLE])
        assert WMTS_ATTRIBUTION in legend["attribution"]
        print(f"Portefølje: {wmts_tiles} WMTS and {wms_tiles} WMS tiles drawn")
        assert not page.unexpected_errors()
    finally:
        page.close()


def test_the_html_export_draws_the_overlays_in_force(browser, served, portfolio, tmp_path):
    from analysis.filters import Filters, apply_filters
    from exports.html import standalone_html
    from exports.overlays import MapExtras
    from exports.request import MapRequest

    map_server, wmts_server, _, wms_overlay, wmts_overlay = served
    request = MapRequest(center=(63.3, 10.0), zoom=9, extras=MapExtras(overlays=(wms_overlay, wmts_overlay)))
    document = standalone_html(apply_filters(portfolio, Filters()), request)
    assert WMTS_TITLE in document and LAYER_TITLE in document
    path = tmp_path / "kart.html"
    path.write_text(document, encoding="utf-8")
    with serve_file(path) as address:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        try:
            page = context.new_page()
            page.goto(address)
            maps = "() => Object.values(window).filter(v => v instanceof L.Map).map(m => ({map: m, L: L}))"
            counted = page.wait_for_function(
                f"""(bases) => {{ const maps = ({maps})();
                    const count = ({TILES_FROM_JS});
                    const n = bases.map(b => count(maps, b));
                    return n.every(x => x > 0) ? n : false; }}""",
                arg=[wmts_server.url, map_server.url],
                timeout=60_000,
            ).json_value()
            legend = page.evaluate("() => [...document.querySelectorAll('.ik-overlay-legend')].map(e => e.textContent)")
            attribution = page.locator(".leaflet-control-attribution").text_content()
            description = page.locator("#ik-map-description").text_content()
        finally:
            context.close()
    assert sorted(legend) == sorted([LAYER_TITLE, WMTS_TITLE])
    assert WMTS_ATTRIBUTION in attribution
    assert WMTS_TITLE in description and WMTS_ATTRIBUTION in description and LAYER_TITLE in description
    print(f"HTML export: {counted[0]} WMTS and {counted[1]} WMS tiles drawn")
