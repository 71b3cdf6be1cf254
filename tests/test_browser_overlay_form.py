"""The editor's "add a map service" form in chromium, against the loopback MapServer: type its address, read it, pick
a layer, save: the overlay is drawn (Leaflet loads its tiles) and stored (kind "overlays", in the audit log). Read
first, the loopback MapProxy's WMTS names its UTM-only layer as one that cannot be shown, with its matrix set. With
the installation's allow setting off, the same loopback address is refused with the clear message, and axe finds
nothing wrong with the form showing that error.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from loaders.official.map_services import read_capabilities
from loaders.official.overlays import OVERLAYS_KIND
from store import open_store
from tests.helpers.axe import assert_no_violations
from tests.helpers.browser import OfflinePage, choose, run, running_app
from tests.helpers.map_server import LAYER_NAME, LAYER_TITLE, needs_mapserver, running_map_server
from tests.helpers.wmts_server import UTM_TITLE, needs_mapproxy, running_wmts_server
from tests.test_browser_wmts import TILES_FROM_JS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), needs_mapserver, needs_mapproxy]

ADD = "Legg til karttjeneste (WMS/WMTS)"
SERVICE = "Tjeneste"
OWN_ADDRESS = "Annen adresse …"
ADDRESS = "Adressen til tjenesten (http eller https)"
REFUSED = "peker til en intern adresse"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mapserver-form")
    with running_map_server(folder) as server:
        wms = read_capabilities(server.wms, allow_private=True)
        legend = next(layer.legend_url for layer in wms.layers if layer.name == LAYER_NAME)
        with running_wmts_server(folder, server.wms, legend) as wmts_server:
            yield server, wmts_server


@pytest.fixture(scope="module")
def map_server(servers):
    return servers[0]


def open_form(page: OfflinePage) -> None:
    """Open the form and choose "another address"."""
    expander = page.page.locator('[data-testid="stSidebar"]').get_by_text(ADD)
    expect(expander).to_be_visible(timeout=60_000)
    run(page)  # the first runs done: the expander is not redrawn under the click
    expander.click()  # opening it starts no run
    choose(page, SERVICE, OWN_ADDRESS)


def read_service(page: OfflinePage, address: str) -> None:
    """Type `address` in the open form and read the service."""
    sidebar = page.page.locator('[data-testid="stSidebar"]')
    box = sidebar.get_by_role("textbox", name=ADDRESS)
    run(page, lambda: (box.fill(address), box.press("Enter")))
    run(page, sidebar.get_by_role("button", name="Les tjenesten").click)


def test_an_editor_adds_a_wms_by_address_and_it_is_drawn_and_stored(browser, servers):
    map_server, wmts_server = servers
    path = Path(tempfile.mkdtemp(prefix="industrikart-form-")) / "generated_layers.gpkg"
    env = {"INDUSTRIKART_STORE": str(path), "INDUSTRIKART_OVERLAY_ALLOW_PRIVATE": "1"}
    with running_app(env=env) as url:
        page = OfflinePage(browser, f"{url}?view=63.30000,10.00000,9")
        try:
            open_form(page)
            read_service(page, wmts_server.rest_capabilities)
            not_drawable = page.page.locator('[data-testid="stSidebar"]').get_by_text(UTM_TITLE)
            expect(not_drawable).to_contain_text("kan ikke vises på kartet", timeout=30_000)
            expect(not_drawable).to_contain_text("utm33")
            read_service(page, map_server.wms)
            choose(page, "Kartlag", f"{LAYER_TITLE} ({LAYER_NAME})")
            sidebar = page.page.locator('[data-testid="stSidebar"]')
            # the focus out of the multiselect, whose menu a rerun may open again (it would take the click)
            sidebar.get_by_role("textbox", name="Navn på karttjenesten i appen").click()
            save = sidebar.get_by_role("button", name="Lagre for alle")
            expect(save).to_be_enabled(timeout=30_000)  # the layer picked: the rerun that enables it has been drawn
            run(page, save.click)
            tiles = page.wait_for_maps(
                TILES_FROM_JS, arg=map_server.url, timeout_s=60, what="the saved overlay was never drawn"
            )
            assert tiles > 0
            assert not page.unexpected_errors()
        finally:
            page.close()
    store = open_store(env)
    (info,) = [layer for layer in store.list() if layer.kind == OVERLAYS_KIND]
    assert store.read(info.id)["layer"].tolist() == [LAYER_NAME]
    assert store.audit_log(info.id)[0].action == "upload"
    print(f"form: saved as stored layer {info.id}, {tiles} tiles drawn")


def test_a_private_address_is_refused_with_a_clear_message_and_the_form_passes_axe(browser, map_server):
    with running_app(env={"INDUSTRIKART_OVERLAY_ALLOW_PRIVATE": "0"}) as url:
        page = OfflinePage(browser, url)
        try:
            before = len(map_server.requests)
            open_form(page)
            read_service(page, map_server.wms)
            error = page.page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]', has_text=REFUSED)
            expect(error).to_be_visible(timeout=30_000)
            assert "127.0.0.1" in error.text_content()
            assert len(map_server.requests) == before  # refused before any connection
            assert_no_violations(page, "the add-a-service form with its error")
        finally:
            page.close()
