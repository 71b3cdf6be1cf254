"""Official map services (WMS) read for real: Debian's MapServer on loopback, and hostile answers beside it.

The capabilities are read and the layers listed (name, title, attribution, legend, EPSG:3857); every refusal comes
with its own message in both languages: a private address without the installation's allow setting, a redirect to
one, a non-XML answer, an XML bomb, external entities, a 50 MB answer (refused unread when it says so, cut off when
it does not), a slow one, a document that is not a WMS's capabilities.
"""

from __future__ import annotations

import io
import socket
import threading
import time

import numpy as np
import pytest
from PIL import Image

from i18n import error_text
from loaders.errors import MapServiceError
from loaders.official import map_services
from loaders.official.map_services import fetch, fetch_map_image, public_address, read_capabilities
from tests.helpers.map_server import ATTRIBUTION, COLOUR, LAYER_NAME, LAYER_TITLE, needs_mapserver, running_map_server
from tests.helpers.waiting import wait_until

pytestmark = needs_mapserver


@pytest.fixture(scope="module")
def map_server(tmp_path_factory):
    with running_map_server(tmp_path_factory.mktemp("mapserver")) as server:
        yield server


def refused(code: str, call, *args, **kwargs) -> MapServiceError:
    with pytest.raises(MapServiceError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, (caught.value.code, str(caught.value))
    for lang in ("nb", "en"):  # a sentence in each language, not the bare code
        text = error_text(caught.value, lang)
        assert text and code not in text and "{" not in text
    return caught.value


def test_the_capabilities_are_read_and_the_layers_listed(map_server):
    capabilities = read_capabilities(map_server.wms, allow_private=True)
    assert capabilities.version == "1.3.0"
    assert capabilities.getmap_url.startswith(map_server.url)
    layer = next(layer for layer in capabilities.layers if layer.name == LAYER_NAME)
    assert layer.title == LAYER_TITLE
    assert layer.attribution == ATTRIBUTION
    assert layer.web_mercator and "EPSG:3857" in layer.crs  # inherited from the service's top layer
    assert "GetLegendGraphic" in layer.legend_url and layer.legend_url.startswith("http://127.0.0.1")
    assert "generated layer" in layer.abstract


def test_a_getmap_image_holds_the_layer_in_its_colour(map_server):
    capabilities = read_capabilities(map_server.wms, allow_private=True)
    bbox = (1_100_000.0, 9_100_000.0, 1_150_000.0, 9_150_000.0)  # inside the polygon (EPSG:3857, near Orkanger)
    data = fetch_map_image(capabilities.getmap_url, LAYER_NAME, bbox, (64, 64), allow_private=True)
    pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert (pixels.reshape(-1, 3) == COLOUR).all(axis=1).mean() > 0.9


def test_a_loopback_address_is_refused_without_the_allow_setting(map_server):
    before = len(map_server.requests)
    refused("overlay_private_address", read_capabilities, map_server.wms, allow_private=False)
    assert len(map_server.requests) == before  # refused before any connection


def test_the_allow_setting_is_read_from_the_environment(monkeypatch, map_server):
    import config

    monkeypatch.setenv(config.OVERLAY_ALLOW_PRIVATE_ENV, "0")
    config.settings.cache_clear()
    try:
        refused("overlay_private_address", read_capabilities, map_server.wms)
        monkeypatch.setenv(config.OVERLAY_ALLOW_PRIVATE_ENV, "1")
        config.settings.cache_clear()
        assert read_capabilities(map_server.wms).layers
    finally:
        config.settings.cache_clear()


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
     "240.0.0.1", "::1", "::", "fe80::1", "fc00::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
     "2002:7f00:1::1", "not an address"],
)  # fmt: skip
def test_addresses_that_are_not_public_are_refused(address):
    assert not public_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address):
    assert public_address(address)


@pytest.mark.parametrize("url", ["ftp://example.org/wms", "file:///etc/passwd", "gopher://x", "javascript:alert(1)"])
def test_only_http_and_https(url):
    refused("overlay_bad_scheme", read_capabilities, url, allow_private=True)


def test_a_redirect_to_a_private_address_is_refused(monkeypatch, map_server):
    """The first hop stands in for a public service (127.0.0.1 counted as public); the redirect leads to the cloud
    metadata address, which is checked like the first and refused before any connection."""
    real = map_services.public_address
    monkeypatch.setattr(map_services, "public_address", lambda a: a == "127.0.0.1" or real(a))
    target = "http://169.254.169.254/latest/meta-data/"
    error = refused(
        "overlay_private_address", fetch, f"{map_server.url}/redirect?to={target}", 1000, allow_private=False
    )
    assert error.params["address"] == "169.254.169.254"


def test_the_host_is_resolved_once_and_the_checked_address_connected(monkeypatch, map_server):
    """DNS rebinding: a name that answers 127.0.0.1 to the check and a private address afterwards still reaches
    only the checked address (it is never asked a second time)."""
    real = socket.getaddrinfo
    asked = []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            asked.append(host)
            address = "127.0.0.1" if len(asked) == 1 else "10.9.9.9"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = map_server.url.rsplit(":", 1)[1]
    answer = fetch(f"http://rebind.test:{port}/not-wms", 10_000, allow_private=True)
    assert b"ServiceExceptionReport" in answer.body
    assert asked == ["rebind.test"]


def test_a_non_xml_answer_is_refused(map_server):
    refused("overlay_not_xml", read_capabilities, f"{map_server.url}/not-xml", allow_private=True)


def test_an_xml_bomb_is_refused(map_server):
    started = time.monotonic()
    refused("overlay_xml_entities", read_capabilities, f"{map_server.url}/bomb", allow_private=True)
    assert time.monotonic() - started < 5  # refused, not expanded


def test_external_entities_are_refused(map_server):
    refused("overlay_xml_entities", read_capabilities, f"{map_server.url}/external-entity", allow_private=True)


def test_a_document_that_is_not_a_wms_capabilities_is_refused(map_server):
    refused("overlay_not_wms", read_capabilities, f"{map_server.url}/not-wms", allow_private=True)


def test_layers_nested_thousands_deep_are_read_without_running_out_of_stack():
    """The layer tree is as deep as the service makes it (a few levels in practice, 5000 here in 100 KB)."""
    depth = 5000
    body = (
        '<WMS_Capabilities version="1.3.0" xmlns:xlink="http://www.w3.org/1999/xlink"><Capability><Request><GetMap>'
        '<DCPType><HTTP><Get><OnlineResource xlink:href="http://wms.example/wms"/></Get></HTTP></DCPType>'
        "</GetMap></Request>"
        + "".join(f"<Layer><Name>n{i}</Name>" + ("<CRS>EPSG:3857</CRS>" if i == 0 else "") for i in range(depth))
        + "</Layer>" * depth
        + "</Capability></WMS_Capabilities>"
    ).encode()
    layers = map_services.parse_capabilities(body).layers
    assert [layer.name for layer in layers[:3]] == ["n0", "n1", "n2"] and len(layers) == depth
    assert layers[-1].crs == ("EPSG:3857",)  # inherited all the way down


def test_each_layer_keeps_a_bounded_list_of_crs_codes():
    """Every layer inherits its parents' CRS codes: thousands of them on a layer with thousands of children would
    be millions kept (quadratic in a 10 MB document). Web mercator, all the map needs, is kept wherever it is."""
    codes = "".join(f"<CRS>EPSG:{100000 + i}</CRS>" for i in range(5000)) + "<CRS>EPSG:3857</CRS>"
    children = "".join(f"<Layer><Name>c{i}</Name></Layer>" for i in range(50))
    body = (
        '<WMS_Capabilities version="1.3.0" xmlns:xlink="http://www.w3.org/1999/xlink"><Capability><Request><GetMap>'
        '<DCPType><HTTP><Get><OnlineResource xlink:href="http://wms.example/wms"/></Get></HTTP></DCPType>'
        f"</GetMap></Request><Layer><Name>top</Name>{codes}{children}</Layer></Capability></WMS_Capabilities>"
    ).encode()
    layers = map_services.parse_capabilities(body).layers
    assert len(layers) == 51
    for layer in layers:
        assert len(layer.crs) <= map_services.MAX_CRS and "EPSG:3857" in layer.crs and layer.web_mercator
        assert layer.crs[0] == "EPSG:100000"  # the first ones offered, in their order


def test_a_50_mb_answer_is_refused_without_reading_it(map_server):
    refused("overlay_too_large", read_capabilities, f"{map_server.url}/huge", allow_private=True)
    # said 50 MB in its header: refused before reading the body (the server may have sent what fits in buffers)
    assert map_server.sent.get("/huge", 0) < 10 * 1024 * 1024


def test_a_50_mb_answer_without_a_length_is_cut_off_at_the_limit(map_server):
    refused("overlay_too_large", read_capabilities, f"{map_server.url}/huge-stream", allow_private=True)
    # the server's thread stops writing once it notices the closed connection
    wait_until(lambda: "/huge-stream" in map_server.finished, 10, lambda: f"still writing: {map_server.sent}")
    assert map_server.sent.get("/huge-stream", 0) < 30 * 1024 * 1024


def test_a_slow_service_is_refused(map_server):
    started = time.monotonic()
    refused("overlay_too_slow", fetch, f"{map_server.url}/slow", 1000, timeout=0.5, allow_private=True)
    assert time.monotonic() - started < 2


@pytest.fixture
def trickling_server():
    """A service that sends its status line, then one byte of a header every 0.1 s (for 8 s at most): each
    read gets something well within any per-read time limit, the answer never ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            try:
                connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(80):
                    if stop.wait(0.1):
                        return
                    connection.sendall(b"a")
            except OSError:
                return  # the client gave up and closed

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/wms"
    stop.set()
    listener.close()
    thread.join(10)


def test_a_service_trickling_its_headers_is_refused_within_the_time_limit(trickling_server):
    started = time.monotonic()
    refused("overlay_too_slow", fetch, trickling_server, 1000, timeout=0.5, allow_private=True)
    assert time.monotonic() - started < 2


def test_an_unreachable_service_is_refused():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused("overlay_unreachable", read_capabilities, f"http://127.0.0.1:{port}/wms", allow_private=True)


# --- kept in the store, and in the exports -------------------------------------------------------------------


def saved_test_overlays(server) -> list:
    """The test layer saved as an editor would (through the ActingStore: owned, logged) and read back."""
    from loaders.official.overlays import OVERLAYS_KIND, overlays_of, save_overlays
    from store import open_store
    from store.acting import ActingStore, Actor

    store = ActingStore(open_store(), Actor.trusted("test", "generated test operator"))
    capabilities = read_capabilities(server.wms, allow_private=True)
    info = save_overlays(store, capabilities, [LAYER_NAME], "Testtjeneste")
    assert info.kind == OVERLAYS_KIND and info.feature_count == 1
    assert store.audit_log(info.id)[0].action == "upload"  # the audit log says who saved it
    return overlays_of(info.id, store.read(info.id))


def test_an_overlay_is_kept_in_the_store_with_its_service_details(map_server):
    (overlay,) = saved_test_overlays(map_server)
    assert (overlay.layer, overlay.title, overlay.attribution) == (LAYER_NAME, LAYER_TITLE, ATTRIBUTION)
    assert overlay.url.startswith(map_server.url) and "GetLegendGraphic" in overlay.legend_url
    assert overlay.key.endswith(".0")


def orkanger_png(portfolio, overlays) -> bytes:
    from analysis.filters import Filters, apply_filters
    from exports.image import render_map
    from exports.overlays import MapExtras
    from exports.request import MapRequest

    request = MapRequest(center=(63.3, 10.0), zoom=9, extras=MapExtras(overlays=tuple(overlays)), basemap="none")
    return render_map(apply_filters(portfolio, Filters()), request, tile_fetcher=lambda z, x, y: None)


def test_a_png_export_draws_the_overlay_with_its_attribution(portfolio, map_server, allow_private):
    from exports.image import map_frame_px

    overlays = saved_test_overlays(map_server)
    png = orkanger_png(portfolio, overlays)
    with Image.open(io.BytesIO(png)) as image:
        description = image.info.get("Description", "")
        left, top, right, bottom = map_frame_px()
        pixels = np.asarray(image.convert("RGB"))[top:bottom, left:right].astype(int)
    magenta = (pixels[..., 0] > 200) & (pixels[..., 1] < 110) & (pixels[..., 2] > 200)  # the layer at 75 % opacity
    assert magenta.mean() > 0.2, magenta.mean()
    assert LAYER_TITLE in description and ATTRIBUTION in description
    assert any("GetMap" in path for path in map_server.requests)


def test_with_the_service_stopped_the_export_names_the_overlay_missing(portfolio, tmp_path, allow_private):
    with running_map_server(tmp_path) as server:
        overlays = saved_test_overlays(server)
    png = orkanger_png(portfolio, overlays)  # the server is gone: nothing answers on its port
    with Image.open(io.BytesIO(png)) as image:
        description = image.info.get("Description", "")
        pixels = np.asarray(image.convert("RGB")).astype(int)
    assert "Mangler fordi tjenesten ikke svarte" in description and LAYER_TITLE in description
    assert ATTRIBUTION not in description
    magenta = (pixels[..., 0] > 200) & (pixels[..., 1] < 110) & (pixels[..., 2] > 200)
    assert magenta.mean() < 0.001


def test_the_legend_and_credits_name_drawn_and_missing_overlays():
    from exports.map_services import OverlayImage, overlay_credits, overlay_legend
    from loaders.official.overlays import Overlay

    there = Overlay("1.0", "https://x.example/wms", "a", "Arealplaner", "© Kartverket", "", "1.3.0", "Plan")
    gone = Overlay("1.1", "https://y.example/wms", "b", "Verneområder", "© Miljødirektoratet", "", "1.3.0", "Vern")
    images = [OverlayImage(there, np.zeros((2, 2, 4), np.uint8)), OverlayImage(gone, None)]
    credits = overlay_credits(images, "nb")
    assert credits[0] == "Arealplaner: © Kartverket"
    assert "Verneområder" in credits[1] and "mangler" in credits[1] and "Miljødirektoratet" not in credits[1]
    rows = [text for _, _, text in overlay_legend(images, "en")]
    assert rows == ["Map services", "Arealplaner", "Verneområder – missing: the service did not answer"]
