"""Helpers for browser tests: start the app with `streamlit run`, drive Debian's chromium offline."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.helpers.chromium import is_local

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppUrl(str):
    """The running app's address; `pid` is its server's process (for tests that measure it)."""

    pid: int


@contextlib.contextmanager
def running_app(
    script: str = "dashboard.py", env: dict[str, str] | None = None, serve: bool = False
) -> Iterator[AppUrl]:
    """`streamlit run script` on a free port (through `deploy/serve.py`, as a replica starts, with `serve`); yields
    its URL (with the server's `pid`) and stops it afterwards."""
    port = free_port()
    # An empty store of its own unless the test brings one: never the developer's data/layers.gpkg.
    store = Path(tempfile.mkdtemp(prefix="industrikart-browser-")) / "generated_layers.gpkg"
    env = {"INDUSTRIKART_STORE": str(store), **(env or {})}
    log = open(ROOT / f".streamlit-test-{port}.log", "w+")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [
            sys.executable,
            *(["deploy/serve.py"] if serve else ["-m", "streamlit"]),
            "run",
            script,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={k: v for k, v in {**os.environ, **env}.items() if k != "DATABASE_URL" or "DATABASE_URL" in env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = AppUrl(f"http://127.0.0.1:{port}/")
    url.pid = process.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not start:\n{log.read()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


BASE_PATH_PROBE = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")


class OfflinePage:
    """A page whose every non-local request is refused, collecting console errors as it goes."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1500, "height": 1000})
        self.blocked: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append((str(exc), "pageerror")))
        self.page.goto(url)

    def _route(self, route):
        if is_local(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    def _console(self, message):
        if message.type == "error":
            self.errors.append((message.text, message.location.get("url", "")))

    def unexpected_errors(self) -> list[tuple[str, str]]:
        """Console errors, less the failed loads of requests we blocked on purpose (tiles) and Streamlit's own
        probe for its base path when a page is opened at its address (`/Utslipp/_stcore/health`, 404, then `/`)."""
        return [
            (text, url)
            for text, url in self.errors
            if url not in self.blocked and not BASE_PATH_PROBE.search(urlparse(url).path)
        ]

    def map_frame(self, timeout_s: float = 30):
        """The streamlit-folium iframe, once Leaflet has drawn something in it."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for frame in self.page.frames:
                if "streamlit_folium" in frame.url:
                    with contextlib.suppress(Exception):
                        if frame.evaluate("() => !!(window.map && window.L)"):
                            return frame
            self.pause(0.2)
        raise AssertionError(f"no Leaflet map drew; console errors: {self.errors}")

    def drawn_features(self) -> list[dict]:
        """Layer and ids of every GeoJSON feature Leaflet has on the map (not the outlines under it)."""
        return self.map_frame().evaluate(
            """() => { const out = [];
                window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
                    if (p && p.layer !== "outlines") out.push({layer: p.layer, ids: p.ids}); });
                return out; }"""
        )

    def wait_for_features(self, predicate, timeout_s: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout_s
        features: list[dict] = []
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                features = self.drawn_features()
                if predicate(features):
                    return features
            self.pause(0.25)
        raise AssertionError(f"the map never showed the expected features; last seen {len(features)}")

    def wait_for_text(self, text: str, timeout_s: float = 30) -> str:
        """Poll the main area until `text` is in it (Streamlit fills it in over several messages)."""
        main = self.page.locator('[data-testid="stMain"]')
        deadline = time.monotonic() + timeout_s
        shown = ""
        while time.monotonic() < deadline:
            shown = main.inner_text()
            if text in shown:
                return shown
            self.pause(0.25)
        raise AssertionError(f"{text!r} never appeared; the page shows:\n{shown[-1500:]}")

    def settle(self, quiet_s: float = 1.0, timeout_s: float = 60):
        """Wait until no script run has been under way for `quiet_s`: input given mid-rerun can be swallowed.

        The map's first reply (its view, its bounds) starts a rerun a moment after the page looks done,
        so one look at the run state is not enough.
        """
        running = "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState === 'running'"
        deadline = time.monotonic() + timeout_s
        quiet_since = None
        while time.monotonic() < deadline:
            if self.page.evaluate(running):
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_s:
                return
            self.pause(0.1)
        raise AssertionError(f"the app kept rerunning for {timeout_s} s")

    def pause(self, seconds: float):
        """Wait while still serving the route handler (time.sleep would stall every request)."""
        self.page.wait_for_timeout(seconds * 1000)

    def close(self):
        self.context.close()


def choose(page, label: str, option: str):
    """Pick `option` in the sidebar multiselect labelled `label`."""
    sidebar = page.page.locator('[data-testid="stSidebar"]')
    page.settle()  # a rerun still under way can swallow the choice
    box = sidebar.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.page.get_by_role("option", name=option).first.click()
    page.page.keyboard.press("Escape")
    sidebar.get_by_text(option).first.wait_for(timeout=30_000)  # the chosen tag shows


@contextlib.contextmanager
def serve_file(path: Path):
    """`path` over http on 127.0.0.1 (the offline page allows only local requests)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(path.parent))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{path.name}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
