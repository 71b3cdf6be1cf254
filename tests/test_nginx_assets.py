"""deploy/nginx.conf.template in real nginx, in front of a stand-in replica that counts what reaches it.

Streamlit's frontend files and the map component are kept by nginx (a page load then costs a replica its
websocket and script run only); pages, the websocket and the app's own static files (a deleted layer's tiles
among them) always go to the replica.
"""

from __future__ import annotations

import collections
import gzip
import http.server
import threading
import urllib.error
import urllib.request

import pytest

from tests.helpers.nginx import needs_nginx, running_nginx

pytestmark = needs_nginx

SCRIPT = b"console.log('generated stand-in frontend file');\n" * 200  # > gzip_min_length


class StandIn(http.server.BaseHTTPRequestHandler):
    """Answers like a replica: hashed frontend files marked immutable, pages with no caching headers."""

    seen: collections.Counter = collections.Counter()
    headers: dict = {}  # path -> the headers of its last request

    def do_GET(self):  # noqa: N802 (http.server's name)
        StandIn.seen[self.path] += 1
        StandIn.headers[self.path] = dict(self.headers)
        immutable = self.path.startswith("/static/")
        body = SCRIPT if self.path.endswith(".js") else b"<html>generated stand-in page</html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript" if self.path.endswith(".js") else "text/html")
        self.send_header("Content-Length", str(len(body)))
        if immutable:
            self.send_header("Cache-Control", "public, immutable, max-age=31536000")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def proxy():
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    try:
        with running_nginx([f"127.0.0.1:{upstream.server_port}"]) as url:
            yield url
    finally:
        upstream.shutdown()


def get(url: str, gzip_ok: bool = False):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers, response.read()


def test_frontend_files_reach_the_replica_once(proxy):
    first, body = get(proxy + "/static/js/index.generated1.js")
    again, body_again = get(proxy + "/static/js/index.generated1.js")
    assert StandIn.seen["/static/js/index.generated1.js"] == 1
    assert (first["X-Cache-Status"], again["X-Cache-Status"]) == ("MISS", "HIT")
    assert body == body_again == SCRIPT


def test_the_map_component_is_kept_although_the_replica_sets_no_lifetime(proxy):
    path = "/component/streamlit_folium.st_folium/static/js/main.generated.js"
    get(proxy + path)
    headers, _ = get(proxy + path)
    assert StandIn.seen[path] == 1 and headers["X-Cache-Status"] == "HIT"


def test_pages_and_the_apps_own_files_always_reach_the_replica(proxy):
    for path in ("/Utslipp", "/app/static/tiles/generated_layer_7_v1.js", "/_stcore/host-config"):
        get(proxy + path)
        get(proxy + path)
        assert StandIn.seen[path] == 2, path


def test_frontend_files_travel_compressed(proxy):
    headers, body = get(proxy + "/static/js/index.generated2.js", gzip_ok=True)
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == SCRIPT and len(body) < len(SCRIPT) / 5


def test_the_page_sets_the_route_cookie(proxy):
    headers, _ = get(proxy + "/")
    assert headers["Set-Cookie"].startswith("industrikart_route=")


def test_every_response_carries_the_hardening_headers_and_no_internal_address(proxy):
    for path in ("/", "/static/js/index.generated3.js", "/component/streamlit_folium.st_folium/index.html"):
        headers, _ = get(proxy + path)
        assert headers["Content-Security-Policy"] == "frame-ancestors 'self'", path
        assert headers["X-Frame-Options"] == "SAMEORIGIN" and headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert not any(name.lower().startswith("x-industrikart") for name in headers), path
        assert "127.0.0.1" not in str(headers), path  # the replica's address stays in the access log


def test_every_location_passes_the_clients_address_and_replaces_a_forged_one(proxy):
    """The replicas count password guesses per client by X-Real-IP: every location must set it (a location with a
    proxy_set_header of its own would drop the server's), and a header the client sent must not get through."""
    forged = {"X-Real-IP": "203.0.113.7", "X-Forwarded-For": "203.0.113.8"}
    for path in ("/Kartlag", "/static/js/index.generated4.js", "/component/streamlit_folium.st_folium/x.js"):
        request = urllib.request.Request(proxy + path, headers=forged)
        urllib.request.urlopen(request, timeout=10).close()
        seen = {k.lower(): v for k, v in StandIn.headers[path].items()}
        assert seen["x-real-ip"] == "127.0.0.1" and seen["x-forwarded-for"] == "127.0.0.1", path
        assert seen["host"].startswith("127.0.0.1"), path


def test_a_body_is_refused_everywhere_but_the_upload_route(proxy):
    body = b"x" * (2 * 1024 * 1024)
    request = urllib.request.Request(proxy + "/Utslipp", data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 413


def test_only_the_replica_checks_own_set_up_names_the_replica():
    import render_nginx

    assert "X-Industrikart-Upstream" not in render_nginx.render("127.0.0.1:1", "/tmp/x", ["127.0.0.1:2"])
    checked = render_nginx.render("127.0.0.1:1", "/tmp/x", ["127.0.0.1:2"], expose_upstream=True)
    assert "add_header X-Industrikart-Upstream $upstream_addr always;" in checked


def test_the_frame_ancestors_take_only_origins():
    import render_nginx

    conf = render_nginx.render(
        "127.0.0.1:1", "/tmp/x", ["127.0.0.1:2"], frame_ancestors="'self' https://www.example.org"
    )
    assert "frame-ancestors 'self' https://www.example.org\"" in conf
    for bad in ("'self'; script-src *", 'https://x.org" always; add_header X 1', "javascript:alert(1)"):
        with pytest.raises(ValueError):
            render_nginx.render("127.0.0.1:1", "/tmp/x", ["127.0.0.1:2"], frame_ancestors=bad)
