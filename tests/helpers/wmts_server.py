"""A real WMTS on loopback for the overlay tests: MapProxy (PyPI `mapproxy`, its WSGI app in a thread) serving the
loopback MapServer's generated layer (tests/helpers/map_server.py) as tiles, in REST and KVP form.

Two layers: the test layer in web mercator (GLOBAL_WEBMERCATOR, what Leaflet draws), with the MapServer's legend
image and the service provider's name as attribution; and the same layer offered only in a UTM 33 matrix set,
which the app must list as one it cannot draw. Tiles are not stored: every tile is drawn by the MapServer.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from tests.helpers.map_server import LAYER_NAME

try:
    from mapproxy.wsgiapp import make_wsgi_app
except ImportError:  # pragma: no cover - tests/run.sh installs it
    make_wsgi_app = None

needs_mapproxy = pytest.mark.skipif(make_wsgi_app is None, reason="needs MapProxy (requirements-dev.txt)")

WMTS_LAYER = "industri_wmts"
WMTS_TITLE = "Industriområder (WMTS-test)"
UTM_LAYER = "industri_utm33"
UTM_TITLE = "Industriområder i UTM 33 (WMTS-test)"
WMTS_ATTRIBUTION = "© Testkartverket WMTS"
MERCATOR_SET = "webmercator"

CONFIG = """
services:
  wmts:
    restful: true
    kvp: true
    md:
      title: Industrikart WMTS-testtjeneste
      abstract: A generated layer served as tiles for the tests
      online_resource: https://example.org/
      contact:
        organization: "{attribution}"
layers:
  - name: {wmts_layer}
    title: "{wmts_title}"
    sources: [mercator_tiles]
    wmts_rest_legendurl: "{legend}"
    wmts_kvp_legendurl: "{legend}"
  - name: {utm_layer}
    title: "{utm_title}"
    sources: [utm_tiles]
caches:
  mercator_tiles:
    grids: [{mercator_set}]
    sources: [mapserver]
    disable_storage: true
    meta_size: [1, 1]
    meta_buffer: 0
  utm_tiles:
    grids: [utm33]
    sources: [mapserver]
    disable_storage: true
    meta_size: [1, 1]
    meta_buffer: 0
sources:
  mapserver:
    type: wms
    supported_srs: ['EPSG:3857', 'EPSG:25833', 'EPSG:4326']
    req:
      url: {wms}?
      layers: {layer}
      transparent: true
grids:
  {mercator_set}:
    base: GLOBAL_WEBMERCATOR
    num_levels: 19
  utm33:
    srs: 'EPSG:25833'
    bbox: [-2500000, 3500000, 3045984, 9045984]
    origin: nw
    num_levels: 12
globals:
  http:
    client_timeout: 20
"""


@dataclass
class WmtsServer:
    url: str  # http://127.0.0.1:port
    requests: list = field(default_factory=list)  # the paths asked for, in order

    @property
    def rest_capabilities(self) -> str:
        return f"{self.url}/wmts/1.0.0/WMTSCapabilities.xml"

    @property
    def kvp_capabilities(self) -> str:
        return f"{self.url}/service?SERVICE=WMTS&REQUEST=GetCapabilities"


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@contextlib.contextmanager
def running_wmts_server(folder: Path, wms: str, legend_url: str) -> Iterator[WmtsServer]:
    """MapProxy's WMTS over the MapServer at `wms` on a free loopback port; stopped afterwards."""
    config = folder / "mapproxy.yaml"
    config.write_text(
        CONFIG.format(
            attribution=WMTS_ATTRIBUTION,
            wmts_layer=WMTS_LAYER,
            wmts_title=WMTS_TITLE,
            utm_layer=UTM_LAYER,
            utm_title=UTM_TITLE,
            legend=escape(legend_url),  # MapProxy puts it into the XML as it is given
            mercator_set=MERCATOR_SET,
            wms=wms,
            layer=LAYER_NAME,
        )
    )
    logging.getLogger("mapproxy").setLevel(logging.ERROR)  # its config warnings and per-request lines
    app = make_wsgi_app(str(config))
    server = WmtsServer("")

    def recorded(environ, start_response):
        query = environ.get("QUERY_STRING", "")
        server.requests.append(environ.get("PATH_INFO", "") + (f"?{query}" if query else ""))
        return app(environ, start_response)

    httpd = make_server("127.0.0.1", 0, recorded, server_class=_ThreadingWSGIServer, handler_class=_Quiet)
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
