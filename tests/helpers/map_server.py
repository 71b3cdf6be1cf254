"""A real WMS on loopback for the overlay tests: Debian's MapServer (`mapserv`, run as CGI by a tiny HTTP server)
serving one generated polygon layer in a colour nothing else on the map has, plus hostile answers beside it.

Paths: /wms (MapServer), /not-xml, /bomb (billion laughs), /external-entity, /not-wms, /huge (says 50 MB),
/huge-stream (50 MB without a length), /slow (answers after 3 s), /redirect?to=<address>.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

MAPSERV = shutil.which("mapserv")
needs_mapserver = pytest.mark.skipif(not MAPSERV, reason="needs Debian's MapServer (tests/run.sh installs it)")

LAYER_NAME = "industriomrader"
LAYER_TITLE = "Industriområder (testtjeneste)"
ATTRIBUTION = "© Testkartverket WMS"
COLOUR = (255, 0, 255)  # magenta: no basemap, layer or marker of the app has it
# The polygon, lon/lat: around Orkanger and Trondheim (inside the app's default view and an export's extent there).
POLYGON = ((9.2, 63.0), (10.9, 63.0), (10.9, 63.6), (9.2, 63.6), (9.2, 63.0))
HUGE_BYTES = 50 * 1024 * 1024

MAPFILE = """MAP
  NAME "industrikart_test"
  EXTENT 4 57 32 72
  SIZE 256 256
  IMAGETYPE PNG
  PROJECTION "init=epsg:4326" END
  WEB
    METADATA
      "wms_title" "Industrikart testtjeneste"
      "wms_onlineresource" "{base}/wms?"
      "wms_srs" "EPSG:3857 EPSG:4326 EPSG:25833"
      "wms_enable_request" "*"
    END
  END
  LAYER
    NAME "{name}"
    TYPE POLYGON
    STATUS ON
    PROJECTION "init=epsg:4326" END
    METADATA
      "wms_title" "{title}"
      "wms_abstract" "A generated layer for the tests"
      "wms_attribution_title" "{attribution}"
      "wms_attribution_onlineresource" "https://example.org/"
      "wms_extent" "9 62.5 11.5 64"
    END
    FEATURE POINTS {points} END END
    CLASS
      NAME "Industri"
      STYLE COLOR {r} {g} {b} END
    END
  END
END
"""
CONFIG = """CONFIG
  ENV
    MS_MAP_PATTERN "^/"
  END
END
"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<WMS_Capabilities version="1.3.0"><Service><Title>&lol9;</Title></Service></WMS_Capabilities>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE WMS_Capabilities [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<WMS_Capabilities version="1.3.0"><Service><Title>&secret;</Title></Service><Capability/></WMS_Capabilities>
"""
NOT_WMS = b"""<?xml version="1.0"?>
<ServiceExceptionReport version="1.3.0"><ServiceException>nope</ServiceException></ServiceExceptionReport>
"""


@dataclass
class MapServer:
    url: str  # http://127.0.0.1:port
    sent: dict = field(default_factory=dict)  # path -> bytes written (for the size checks)
    finished: set = field(default_factory=set)  # the huge answers' paths whose writing has stopped
    requests: list = field(default_factory=list)  # the paths asked for, in order
    # the slow service answers only when this is set (at the server's stop): a client's time limit runs out first
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def wms(self) -> str:
        return f"{self.url}/wms"


def _handler(folder: Path, server: MapServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            parts = urlsplit(self.path)
            server.requests.append(self.path)
            route = {
                "/wms": self._mapserv,
                "/not-xml": lambda q: self._send(b"Dette er ikke XML { }", "text/plain"),
                "/bomb": lambda q: self._send(BOMB, "text/xml"),
                "/external-entity": lambda q: self._send(EXTERNAL, "text/xml"),
                "/not-wms": lambda q: self._send(NOT_WMS, "text/xml"),
                "/huge": lambda q: self._huge(parts.path, declared=True),
                "/huge-stream": lambda q: self._huge(parts.path, declared=False),
                "/slow": self._slow,
                "/redirect": lambda q: self._redirect(q["to"][0]),
            }.get(parts.path)
            if route is None:
                self._send(b"not found", "text/plain", 404)
                return
            route(parse_qs(parts.query))

        def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _mapserv(self, query) -> None:
            env = {
                "MAPSERVER_CONFIG_FILE": str(folder / "mapserver.conf"),
                "MS_MAPFILE": str(folder / "test.map"),
                "QUERY_STRING": urlsplit(self.path).query,
                "REQUEST_METHOD": "GET",
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": str(self.server.server_address[1]),
                "SCRIPT_NAME": "/wms",
            }
            out = subprocess.run([MAPSERV], env=env, capture_output=True, timeout=20).stdout
            head, _, body = out.partition(b"\r\n\r\n")
            content_type = "text/plain"
            for line in head.decode("latin-1").splitlines():
                if line.lower().startswith("content-type:"):
                    content_type = line.split(":", 1)[1].strip()
            self._send(body, content_type)

        def _huge(self, path: str, declared: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            if declared:
                self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            chunk = b"<a>" + b"x" * (1024 * 1024 - 3)
            server.sent[path] = 0
            try:
                while server.sent[path] < HUGE_BYTES:
                    self.wfile.write(chunk)
                    server.sent[path] += len(chunk)
            except OSError:
                pass  # the client stopped reading: what the test wants
            finally:
                server.finished.add(path)

        def _slow(self, query) -> None:
            server.release.wait()
            with contextlib.suppress(OSError):
                self._send(b"<WMS_Capabilities/>", "text/xml")

        def _redirect(self, to: str) -> None:
            self.send_response(302)
            self.send_header("Location", to)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextlib.contextmanager
def running_map_server(folder: Path) -> Iterator[MapServer]:
    """The test WMS and its hostile neighbours on a free loopback port; stopped afterwards."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), None)
    httpd.daemon_threads = True
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    points = " ".join(f"{lon} {lat}" for lon, lat in POLYGON)
    r, g, b = COLOUR
    (folder / "test.map").write_text(
        MAPFILE.format(
            base=base, name=LAYER_NAME, title=LAYER_TITLE, attribution=ATTRIBUTION, points=points, r=r, g=g, b=b
        )
    )
    (folder / "mapserver.conf").write_text(CONFIG)
    server = MapServer(base)
    httpd.RequestHandlerClass = _handler(folder, server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        httpd.shutdown()
        httpd.server_close()
