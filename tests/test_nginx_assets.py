"""deploy/nginx.conf.template in real nginx, in front of a stand-in replica that counts what reaches it.

Streamlit's frontend files and the map component are kept by nginx (a page load then costs a replica its
websocket and script run only); pages, the websocket and the app's own static files (a deleted layer's tiles
among them) always go to the replica.
"""

from __future__ import annotations

import collections
import gzip
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))

import render_nginx  # noqa: E402

from tests.helpers.browser import free_port  # noqa: E402

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(not NGINX, reason="needs Debian's nginx (tests/run.sh installs it)")

SCRIPT = b"console.log('generated stand-in frontend file');\n" * 200  # > gzip_min_length


class StandIn(http.server.BaseHTTPRequestHandler):
    """Answers like a replica: hashed frontend files marked immutable, pages with no caching headers."""

    seen: collections.Counter = collections.Counter()

    def do_GET(self):  # noqa: N802 (http.server's name)
        StandIn.seen[self.path] += 1
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
    # nginx's workers run as nobody when it starts as root: their cache must be reachable (pytest's tmp is 0700)
    rundir = Path(tempfile.mkdtemp(prefix="industrikart-nginx-test-"))
    rundir.chmod(0o755)
    port = free_port()
    conf = rundir / "nginx.conf"
    conf.write_text(render_nginx.render(f"127.0.0.1:{port}", str(rundir), [f"127.0.0.1:{upstream.server_port}"]))
    nginx = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(rundir), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2).close()
            break
        except OSError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                nginx.kill()
                pytest.fail(f"nginx did not start: {nginx.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
    try:
        yield url
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        upstream.shutdown()
        shutil.rmtree(rundir, ignore_errors=True)


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
