"""What the served app (`app.py`, Streamlit's `st.App` around dashboard.py) adds to Streamlit's own server.

- `guarded`: the upload guard (ui/upload_guard.py) is in place before the server accepts its first connection.
- `ServerAddress`: Streamlit's page document names the server's address. Opened at a page's own address
  (`/Utslipp`), Streamlit's frontend cannot tell a page from a path prefix: it first asks `/Utslipp/_stcore/health`,
  gets a 404 and asks the root only after its retry delay (100 ms), about 0.1 s of every visit to a page but the
  first (benchmarks/bench_page_visit.py). `window.__streamlit.BACKEND_BASE_URL`, Streamlit's own setting for hosts
  that embed it, names the root, so the frontend asks there first.
- `LastingComponentFiles`: a component's files whose names carry a content hash (streamlit-folium's
  `static/js/main.521860b0.js`, 225 KB) are kept by the browser for a year. Streamlit sends them as
  `Cache-Control: public` with no validator, so the browser fetched and compiled the map's script again on every visit
  (48 ms of a warm visit here), where Streamlit's own hashed files are `immutable`.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from urllib.parse import quote

import streamlit
from streamlit import config

from ui import upload_guard

# The page document every page address is answered with (Streamlit's static files fall back to it).
STREAMLIT_INDEX = Path(streamlit.__file__).parent / "static" / "index.html"
# Left out of a page document's request: the document must come as the file has it (not compressed), and whole
# (not "304: keep yours", which could be a copy made for another server address, nor a range of the file).
_DOCUMENT_REQUEST_DROPS = frozenset({b"accept-encoding", b"if-none-match", b"if-modified-since", b"range", b"if-range"})
_ADDRESSED_RESPONSE_DROPS = frozenset({b"content-length", b"etag", b"last-modified", b"accept-ranges"})
# A component's file named with its content's hash by its build (`main.521860b0.js`, `453.1a2b3c4d.chunk.js`)
_HASHED_COMPONENT_FILE = re.compile(r"/component/[^/]+/(.+/)?[^/]+\.[0-9a-f]{8,}(\.chunk)?\.(js|css)$")
LASTING = b"public, max-age=31536000, immutable"  # what Streamlit sends with its own hashed files


@contextlib.asynccontextmanager
async def guarded(_app):
    """st.App's lifespan: the upload guard goes in before the server takes a connection."""
    upload_guard.install_for_server()
    yield None


def server_address_script(base_url_path: str) -> bytes:
    """The script that tells Streamlit's frontend where its server is: the root, or `server.baseUrlPath` under it."""
    base = "/" + "/".join(quote(part, safe="") for part in base_url_path.split("/") if part)
    path = json.dumps(base.rstrip("/") + "/")  # each part percent-encoded: a path, never markup or another host
    return f"<script>window.__streamlit = {{BACKEND_BASE_URL: new URL({path}, location.href).href}}</script>".encode()


class ServerAddress:
    """ASGI middleware: Streamlit's page document, asked for as a browser's document, gets `server_address_script`
    first in its head. Any other response passes as it is."""

    def __init__(self, app) -> None:
        self.app = app
        self.index = STREAMLIT_INDEX.read_bytes()
        script = server_address_script(config.get_option("server.baseUrlPath") or "")
        self.addressed = self.index.replace(b"<head>", b"<head>" + script, 1)

    async def __call__(self, scope, receive, send) -> None:
        if not _asks_for_a_document(scope):
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k not in _DOCUMENT_REQUEST_DROPS]}
        held: list[dict] = []  # a page document's start and body, until the body shows whether it is Streamlit's
        size = 0

        async def send_addressed(message) -> None:
            nonlocal size
            if message["type"] == "http.response.start" and _is_html(message):
                held.append(message)
                return
            if not held:
                await send(message)
                return
            held.append(message)
            size += len(message.get("body", b""))
            if message["type"] != "http.response.body" or size > len(self.index):
                await release()  # not the page document (or not sent as a body): as it is
                return
            if message.get("more_body"):
                return
            if b"".join(each.get("body", b"") for each in held[1:]) != self.index:
                await release()
                return
            start = held[0]  # the file's validators and ranges are the unchanged file's: not this document's
            headers = [(k, v) for k, v in start["headers"] if k not in _ADDRESSED_RESPONSE_DROPS]
            await send({**start, "headers": [*headers, (b"content-length", str(len(self.addressed)).encode())]})
            await send({"type": "http.response.body", "body": self.addressed})
            held.clear()

        async def release() -> None:
            for each in held:
                await send(each)
            held.clear()

        await self.app(scope, receive, send_addressed)


def _is_html(start) -> bool:
    return start["status"] == 200 and dict(start["headers"]).get(b"content-type", b"").startswith(b"text/html")


def _asks_for_a_document(scope) -> bool:
    """A browser's GET for a top-level document (a page address): `Sec-Fetch-Dest: document`."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    return dict(scope["headers"]).get(b"sec-fetch-dest") == b"document"


class LastingComponentFiles:
    """ASGI middleware: a component's content-hashed file is answered with `Cache-Control: LASTING`."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not _HASHED_COMPONENT_FILE.search(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def send_lasting(message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [(k, v) for k, v in message["headers"] if k != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", LASTING)]}
            await send(message)

        await self.app(scope, receive, send_lasting)
