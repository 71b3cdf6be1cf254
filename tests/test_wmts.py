"""WMTS overlays read for real: MapProxy on loopback serving the loopback MapServer's generated layer as tiles.

The capabilities are read (REST and KVP): layers with title, attribution and legend, the matrix sets each offers,
the web mercator one chosen and turned into a Leaflet address template, a UTM-only layer listed as one that cannot
be drawn; the overlay is kept in the store; the PNG export puts its tiles together (its colour, its attribution), a
stopped service is named as missing; hostile capabilities and a tile address on a private network are refused.
"""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image

from loaders.errors import MapServiceError
from loaders.official.map_services import fetch, fetch_wmts_image, read_capabilities
from loaders.official.wmts import MAX_EXPORT_TILES, export_zoom, tile_url, tiles_for
from tests.helpers.map_server import COLOUR, LAYER_NAME, needs_mapserver, running_map_server
from tests.helpers.wmts_server import (
    MERCATOR_SET,
    UTM_LAYER,
    UTM_TITLE,
    WMTS_ATTRIBUTION,
    WMTS_LAYER,
    WMTS_TITLE,
    needs_mapproxy,
    running_wmts_server,
)

pytestmark = [needs_mapserver, needs_mapproxy]

ORKANGER_BOX = (1_040_000.0, 9_110_000.0, 1_190_000.0, 9_210_000.0)  # EPSG:3857, inside the generated polygon


def wms_legend(map_server) -> str:
    capabilities = read_capabilities(map_server.wms, allow_private=True)
    return next(layer.legend_url for layer in capabilities.layers if layer.name == LAYER_NAME)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wmts")
    with (
        running_map_server(folder) as map_server,
        running_wmts_server(folder, map_server.wms, wms_legend(map_server)) as wmts_server,
    ):
        yield map_server, wmts_server


def magenta_share(png: bytes) -> float:
    with Image.open(io.BytesIO(png)) as image:
        pixels = np.asarray(image.convert("RGBA")).reshape(-1, 4)
    return float(((pixels[:, :3] == COLOUR).all(axis=1) & (pixels[:, 3] > 200)).mean())


@pytest.mark.parametrize("which", ["rest_capabilities", "kvp_capabilities"])
def test_the_capabilities_are_read_and_the_layers_listed(servers, which):
    _, wmts_server = servers
    capabilities = read_capabilities(getattr(wmts_server, which), allow_private=True)
    assert capabilities.kind == "wmts" and capabilities.title == "Industrikart WMTS-testtjeneste"
    layers = {layer.name: layer for layer in capabilities.layers}
    layer = layers[WMTS_LAYER]
    assert (layer.title, layer.attribution, layer.kind) == (WMTS_TITLE, WMTS_ATTRIBUTION, "wmts")
    assert "GetLegendGraphic" in layer.legend_url  # the Style's LegendURL
    assert layer.matrix_sets == (MERCATOR_SET,) and layer.crs == ("EPSG:3857",)
    assert layer.web_mercator and [z for z, _ in layer.matrices] == list(range(19))
    assert dict(layer.matrices)[7] == "07"  # MapProxy names its matrices zero-padded: {tm} is filled by name
    assert layer.tile_url.startswith(wmts_server.url) and all(k in layer.tile_url for k in ("{tm}", "{x}", "{y}"))
    if which == "rest_capabilities":  # the ResourceURL template
        assert f"/wmts/{WMTS_LAYER}/{MERCATOR_SET}/{{tm}}/{{x}}/{{y}}.png" in layer.tile_url
    else:  # KVP GetTile
        assert "REQUEST=GetTile" in layer.tile_url and f"LAYER={WMTS_LAYER}" in layer.tile_url
    utm = layers[UTM_LAYER]
    assert utm.title == UTM_TITLE and utm.matrix_sets == ("utm33",) and utm.crs == ("EPSG:25833",)
    assert not utm.web_mercator and utm.tile_url == "" and utm.matrices == ()


def test_a_tile_from_the_template_holds_the_layer_in_its_colour(servers):
    map_server, wmts_server = servers
    layer = next(x for x in read_capabilities(wmts_server.rest_capabilities, allow_private=True).layers)
    ((x, y),) = tiles_for((1_113_000.0, 9_160_000.0, 1_113_001.0, 9_160_001.0), 10)
    before = len(map_server.requests)
    answer = fetch(tile_url(layer.tile_url, layer.matrices, 10, x, y), 5_000_000, allow_private=True)
    assert answer.content_type == "image/png"
    assert magenta_share(answer.body) > 0.9
    assert len(map_server.requests) > before  # MapProxy drew it from the MapServer (no tiles stored)


def test_the_export_zoom_is_sharp_enough_but_bounded():
    zooms = list(range(19))
    zoom = export_zoom(ORKANGER_BOX, (1000, 800), zooms)
    assert len(tiles_for(ORKANGER_BOX, zoom)) <= MAX_EXPORT_TILES
    assert export_zoom(ORKANGER_BOX, (100, 80), zooms) < zoom
    assert export_zoom(ORKANGER_BOX, (1000, 800), [3, 4]) == 4  # never beyond what the service has


def test_the_tiles_are_put_together_for_an_extent(servers):
    _, wmts_server = servers
    layer = read_capabilities(wmts_server.kvp_capabilities, allow_private=True).layers[0]
    png = fetch_wmts_image(layer.tile_url, layer.matrices, ORKANGER_BOX, (400, 320), allow_private=True)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (400, 320)
    assert magenta_share(png) > 0.9


def saved_wmts_overlays(wmts_server) -> list:
    from loaders.official.overlays import OVERLAYS_KIND, overlays_of, save_overlays
    from store import open_store
    from store.acting import ActingStore, Actor

    store = ActingStore(open_store(), Actor.trusted("test", "generated test operator"))
    capabilities = read_capabilities(wmts_server.rest_capabilities, allow_private=True)
    info = save_overlays(store, capabilities, [WMTS_LAYER, UTM_LAYER], "WMTS-test")
    assert info.kind == OVERLAYS_KIND and info.feature_count == 1  # the UTM-only layer cannot be drawn: not kept
    assert store.audit_log(info.id)[0].action == "upload"
    return overlays_of(info.id, store.read(info.id))


def test_a_wmts_overlay_is_kept_in_the_store(servers):
    _, wmts_server = servers
    (overlay,) = saved_wmts_overlays(wmts_server)
    assert overlay.tiled and overlay.layer == WMTS_LAYER and overlay.title == WMTS_TITLE
    assert overlay.attribution == WMTS_ATTRIBUTION and "GetLegendGraphic" in overlay.legend_url
    assert overlay.url.startswith(wmts_server.url) and dict(overlay.matrices)[12] == "12"


def orkanger_png(portfolio, overlays) -> bytes:
    from analysis.filters import Filters, apply_filters
    from exports.image import render_map
    from exports.overlays import MapExtras
    from exports.request import MapRequest

    request = MapRequest(center=(63.3, 10.0), zoom=9, extras=MapExtras(overlays=tuple(overlays)), basemap="none")
    return render_map(apply_filters(portfolio, Filters()), request, tile_fetcher=lambda z, x, y: None)


def frame_magenta(png: bytes) -> tuple[float, str]:
    from exports.image import map_frame_px

    with Image.open(io.BytesIO(png)) as image:
        description = image.info.get("Description", "")
        left, top, right, bottom = map_frame_px()
        pixels = np.asarray(image.convert("RGB"))[top:bottom, left:right].astype(int)
    magenta = (pixels[..., 0] > 200) & (pixels[..., 1] < 110) & (pixels[..., 2] > 200)  # at 75 % opacity
    return float(magenta.mean()), description


def test_a_png_export_draws_the_wmts_layer_with_its_attribution(portfolio, servers, allow_private):
    _, wmts_server = servers
    overlays = saved_wmts_overlays(wmts_server)
    before = len(wmts_server.requests)
    share, description = frame_magenta(orkanger_png(portfolio, overlays))
    assert share > 0.2, share
    assert WMTS_TITLE in description and WMTS_ATTRIBUTION in description
    tiles = [p for p in wmts_server.requests[before:] if p.startswith(f"/wmts/{WMTS_LAYER}/")]
    assert 0 < len(tiles) <= MAX_EXPORT_TILES
    print(f"PNG export: {len(tiles)} WMTS tiles fetched, {share:.0%} of the map frame in the layer's colour")


def test_with_the_service_stopped_the_export_names_the_wmts_layer_missing(portfolio, servers, tmp_path, allow_private):
    map_server, _ = servers
    with running_wmts_server(tmp_path, map_server.wms, wms_legend(map_server)) as stopped:
        overlays = saved_wmts_overlays(stopped)
    share, description = frame_magenta(orkanger_png(portfolio, overlays))
    assert "Mangler fordi tjenesten ikke svarte" in description and WMTS_TITLE in description
    assert WMTS_ATTRIBUTION not in description
    assert share < 0.001


def test_tiles_on_a_private_address_are_refused_in_exports_without_the_allow_setting(servers):
    _, wmts_server = servers
    layer = read_capabilities(wmts_server.rest_capabilities, allow_private=True).layers[0]
    before = len(wmts_server.requests)
    with pytest.raises(MapServiceError) as caught:
        fetch_wmts_image(layer.tile_url, layer.matrices, ORKANGER_BOX, (400, 320), allow_private=False)
    assert caught.value.code == "overlay_private_address"
    assert len(wmts_server.requests) == before  # refused before any connection


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/bomb", "overlay_xml_entities"),
        ("/external-entity", "overlay_xml_entities"),
        ("/not-xml", "overlay_not_xml"),
        ("/huge", "overlay_too_large"),
        ("/not-wms", "overlay_not_wms"),
    ],
)
def test_hostile_wmts_capabilities_are_refused(servers, path, code):
    map_server, _ = servers
    with pytest.raises(MapServiceError) as caught:
        read_capabilities(f"{map_server.url}{path}?SERVICE=WMTS", allow_private=True)
    assert caught.value.code == code
    assert any(p.startswith(path) and "SERVICE=WMTS" in p for p in map_server.requests)  # asked as a WMTS


def test_a_wmts_on_a_private_address_is_refused_without_the_allow_setting(servers):
    _, wmts_server = servers
    before = len(wmts_server.requests)
    with pytest.raises(MapServiceError) as caught:
        read_capabilities(wmts_server.rest_capabilities, allow_private=False)
    assert caught.value.code == "overlay_private_address"
    assert len(wmts_server.requests) == before


CRAFTED = """<?xml version="1.0"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1"
  xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
  <ows:ServiceIdentification><ows:Title>Crafted</ows:Title></ows:ServiceIdentification>
  <Contents>
    <Layer><ows:Identifier>unknown_placeholder</ows:Identifier>
      <TileMatrixSetLink><TileMatrixSet>gm</TileMatrixSet></TileMatrixSetLink>
      <ResourceURL format="image/png" resourceType="tile" template="https://t.example/{Secret}/{TileMatrix}/{TileRow}/{TileCol}.png"/>
    </Layer>
    <Layer><ows:Identifier>script_address</ows:Identifier>
      <TileMatrixSetLink><TileMatrixSet>gm</TileMatrixSet></TileMatrixSetLink>
      <ResourceURL format="image/png" resourceType="tile"
        template="javascript:alert(1)//{TileMatrix}/{TileRow}/{TileCol}"/>
    </Layer>
    <Layer><ows:Identifier>dimension</ows:Identifier>
      <Dimension><ows:Identifier>Time</ows:Identifier><Default>2026</Default></Dimension>
      <TileMatrixSetLink><TileMatrixSet>gm</TileMatrixSet></TileMatrixSetLink>
      <ResourceURL format="image/png" resourceType="tile" template="https://t.example/{Time}/{TileMatrix}/{TileRow}/{TileCol}.png"/>
    </Layer>
    <TileMatrixSet><ows:Identifier>gm</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>
      <TileMatrix><ows:Identifier>gm:3</ows:Identifier><ScaleDenominator>69885283.0035897</ScaleDenominator>
        <TopLeftCorner>-20037508.3428 20037508.3428</TopLeftCorner>
        <TileWidth>256</TileWidth><TileHeight>256</TileHeight>
        <MatrixWidth>8</MatrixWidth><MatrixHeight>8</MatrixHeight></TileMatrix>
    </TileMatrixSet>
  </Contents>
</Capabilities>
"""


def test_templates_leaflet_could_not_fill_or_that_are_no_web_address_are_not_drawn():
    from loaders.official.map_services import parse_capabilities

    layers = {layer.name: layer for layer in parse_capabilities(CRAFTED.encode()).layers}
    assert not layers["unknown_placeholder"].web_mercator  # no KVP address to fall back on either
    assert not layers["script_address"].web_mercator
    dimension = layers["dimension"]
    assert dimension.tile_url == "https://t.example/2026/{tm}/{y}/{x}.png" and dimension.matrices == ((3, "gm:3"),)


@pytest.mark.parametrize(("path", "code"), [("/huge", "overlay_too_large"), ("/slow", "overlay_too_slow")])
def test_tiles_too_big_or_too_slow_are_refused(servers, path, code):
    map_server, _ = servers
    template = f"{map_server.url}{path}?tm={{tm}}&x={{x}}&y={{y}}"
    started = time.monotonic()
    with pytest.raises(MapServiceError) as caught:
        fetch_wmts_image(template, ((9, "9"),), ORKANGER_BOX, (400, 320), timeout=1.0, allow_private=True)
    assert caught.value.code == code
    assert time.monotonic() - started < 3


def test_matrix_names_from_a_service_cannot_end_the_map_script():
    from folium import Map

    from loaders.official.overlays import Overlay
    from maps.overlays import overlay_group

    hostile = "</script><script>alert(1)</script>"
    overlay = Overlay(
        "1.0", "https://t.example/{tm}/{x}/{y}.png", "a", "A", "", "", "1.0.0", "S", "wmts", ((3, hostile),)
    )
    m = Map()
    overlay_group([overlay], "nb").add_to(m)
    html = m.get_root().render()
    assert hostile not in html and "<script>alert(1)" not in html
    assert "\\u003c/script\\u003e" in html  # still there, as data
