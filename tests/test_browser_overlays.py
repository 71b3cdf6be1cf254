"""A saved map service overlay in chromium: switched on by the link (?ov=), Kart draws its tiles from the loopback
MapServer (Leaflet's WMS layer, images loaded) and its legend names it, with the service's legend image."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loaders.official.map_services import read_capabilities
from loaders.official.overlays import overlays_of, save_overlays
from store import open_store
from store.acting import ActingStore, Actor
from tests.helpers.browser import OfflinePage, running_app
from tests.helpers.map_server import LAYER_NAME, LAYER_TITLE, needs_mapserver, running_map_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), needs_mapserver]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The MapServer, a store holding the overlay saved through the ActingStore, and the app on that store."""
    with running_map_server(tmp_path_factory.mktemp("mapserver")) as server:
        path = Path(tempfile.mkdtemp(prefix="industrikart-overlays-")) / "generated_layers.gpkg"
        env = {"INDUSTRIKART_STORE": str(path)}
        store = ActingStore(open_store(env), Actor.trusted("test", "generated test operator"))
        info = save_overlays(store, read_capabilities(server.wms, allow_private=True), [LAYER_NAME], "Testtjeneste")
        (overlay,) = overlays_of(info.id, store.read(info.id))
        with running_app(env=env) as url:
            yield server, url, overlay


def test_kart_draws_the_overlay_from_the_map_server_and_names_it_in_the_legend(browser, served):
    server, url, overlay = served
    page = OfflinePage(browser, f"{url}?ov={overlay.key}&view=63.30000,10.00000,9")
    try:
        loaded = page.wait_for_maps(
            """(maps, base) => { for (const w of maps) {
                const tiles = [...w.document.querySelectorAll('img.leaflet-tile-loaded')]
                    .filter(img => img.src.startsWith(base) && img.src.includes('GetMap'));
                if (tiles.length) return tiles.length; } return 0; }""",
            arg=server.url,
            timeout_s=60,
            what="no overlay tile loaded from the MapServer",
        )
        assert loaded > 0
        assert any("GetMap" in p and LAYER_NAME in p for p in server.requests)  # the server drew them
        legend = page.wait_for_maps(
            """(maps) => { for (const w of maps) {
                const names = [...w.document.querySelectorAll('.ik-overlay-legend')].map(e => e.textContent);
                const image = w.document.querySelector('.ik-legend img');
                if (names.length && image && image.complete && image.naturalWidth > 0)
                    return {names: names, alt: image.alt, src: image.src}; } return null; }""",
            what="the legend never named the overlay with its image",
        )
        assert legend["names"] == [LAYER_TITLE]
        assert LAYER_TITLE in legend["alt"] and "GetLegendGraphic" in legend["src"]
        toggle = page.page.locator('[data-testid="stSidebar"] label', has_text=LAYER_TITLE)
        checkbox = toggle.locator('input[type="checkbox"]')
        assert checkbox.is_checked()  # the sidebar's toggle shows what the link switched on
        assert not page.unexpected_errors()
    finally:
        page.close()
