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
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.helpers.chromium import is_local
from tests.helpers.waiting import stop_process, wait_until

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
    script: str = "app.py", env: dict[str, str] | None = None, cwd: Path = ROOT, options: Sequence[str] = ()
) -> Iterator[AppUrl]:
    """`streamlit run script` on a free port in `cwd` (whose .streamlit/config.toml Streamlit reads: another
    checkout's, for a benchmark's baseline), with Streamlit's command-line `options`; yields its URL (with the
    server's `pid`, and `server.baseUrlPath` if the options set one) and stops it afterwards. The app as served is
    app.py; a test of plain `streamlit run dashboard.py` names that."""
    port = free_port()
    # An empty store of its own unless the test brings one: never the developer's data/layers.gpkg.
    store = Path(tempfile.mkdtemp(prefix="industrikart-browser-")) / "generated_layers.gpkg"
    env = {"INDUSTRIKART_STORE": str(store), **(env or {})}
    log = open(ROOT / f".streamlit-test-{port}.log", "w+")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            *options,
        ],
        cwd=cwd,
        env={k: v for k, v in {**os.environ, **env}.items() if k != "DATABASE_URL" or "DATABASE_URL" in env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = "".join(f"{part}/" for part in _option(options, "--server.baseUrlPath").split("/") if part)
    url = AppUrl(f"http://127.0.0.1:{port}/{base}")
    url.pid = process.pid
    try:

        def healthy() -> bool:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        def log_tail() -> str:
            log.seek(0)
            return f"streamlit did not start:\n{log.read()[-3000:]}"

        wait_until(healthy, 60, log_tail, process=process, every_s=0.3)
        yield url
    finally:
        stop_process(process)
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _option(options: Sequence[str], name: str) -> str:
    return next((value for option, value in zip(options, options[1:], strict=False) if option == name), "")


BASE_PATH_PROBE = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")


# Installed in every page before the app's own scripts: how many script runs the server has reported finished (a
# ForwardMsg with its `script_finished` field, 6, read off Streamlit's websocket: a quick run can start and end between
# two renders of the page, so the page alone may never show it running) and when anything last changed (a finished
# run, or the run state Streamlit marks its root with, `data-test-script-state`), as performance.now().
SCRIPT_RUNS_JS = """(() => { if (window.top !== window) return;
    const runs = window.__ikRuns = {finished: 0, changed: performance.now()};
    new MutationObserver(() => { runs.changed = performance.now(); })
        .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
    const finishes = (bytes) => {  // the message's top-level fields: is field 6 among them?
        let i = 0;
        const varint = () => { let v = 0, shift = 0, b; do { b = bytes[i++]; v += (b & 127) * 2 ** shift; shift += 7; }
            while (b & 128 && i < bytes.length); return v; };
        while (i < bytes.length) { const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
            if (field === 6) return true;
            if (wire === 0) varint(); else if (wire === 2) { const n = varint(); i += n; }
            else if (wire === 1) i += 8; else if (wire === 5) i += 4; else return false; }
        return false; };
    const Socket = window.WebSocket;
    window.WebSocket = function (...args) {
        const socket = new Socket(...args);
        socket.addEventListener('message', (event) => {
            if (event.data instanceof ArrayBuffer && finishes(new Uint8Array(event.data))) {
                runs.finished++; runs.changed = performance.now(); } });
        return socket; };
    Object.assign(window.WebSocket, Socket);
    window.WebSocket.prototype = Socket.prototype;
})()"""
# True once no script run is under way, more than `after` have finished, and nothing has changed for `quiet` ms since
# `since` (performance.now() when the wait began) or the last change. A run can start a moment after the page looks
# done (the map's first reply, its view after a zoom): the quiet period lets such a follow-up start before we call the
# app idle.
SCRIPT_IDLE_JS = """([after, quiet, since]) => { const runs = window.__ikRuns;
    const root = document.querySelector('[data-testid="stApp"]');
    return !!runs && !!root && root.dataset.testScriptState === 'notRunning' && runs.finished > after
        && performance.now() - Math.max(since, runs.changed) >= quiet; }"""
# True once the app has finished a script run and is not in another: before that no map can be drawn. On a loaded
# machine the first run of a freshly started app (its imports, the bundled data) takes a good while.
SCRIPT_RAN_JS = """() => { const runs = window.__ikRuns;
    const root = document.querySelector('[data-testid="stApp"]');
    return !!runs && !!root && runs.finished > 0 && root.dataset.testScriptState === 'notRunning'; }"""
FIRST_RUN_S = 120
# The windows of the streamlit-folium frames whose Leaflet map exists, in page order (same origin as the app).
MAP_WINDOWS_JS = """() => [...document.querySelectorAll('iframe')].flatMap(f => {
    try { const w = f.contentWindow;
        return w && w.map && w.L && String(w.location).includes('streamlit_folium') ? [w] : []; }
    catch (e) { return []; } })"""
# Layer and ids of every GeoJSON feature Leaflet has on the map in window `w` (not the outlines under it).
FEATURES_OF_JS = """(w) => { const out = [];
    w.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.layer !== "outlines") out.push({layer: p.layer, ids: p.ids}); });
    return out; }"""
# The features (above) of the first map, once `where` (a JS function of them) holds and, with `counts`, the number of
# features per layer is `counts` (a layer counted 0 may be absent).
FEATURES_WHEN_JS = """(maps, counts, where, featuresOf) => { if (!maps.length) return false;
    const features = featuresOf(maps[0]);
    if (counts) { const seen = {};
        features.forEach(f => { seen[f.layer] = (seen[f.layer] || 0) + 1; });
        const layers = new Set([...Object.keys(seen), ...Object.keys(counts)]);
        if ([...layers].some(l => (seen[l] || 0) !== (counts[l] || 0))) return false; }
    return where(features) ? features : false; }"""


class OfflinePage:
    """A page whose every non-local request is refused, collecting console errors as it goes."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1500, "height": 1000})
        self.context.add_init_script(SCRIPT_RUNS_JS)
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

    def wait_for_maps(self, condition: str, arg=None, timeout_s: float = 30, what: str = "the map never drew"):
        """Wait in the page until `condition`, a JS function `(maps, arg) => …` of the drawn Leaflet maps' windows
        (see MAP_WINDOWS_JS), returns something truthy; return that (as JSON). Running out of time fails the test.

        Evaluated in the app's page, not in one map's frame: a rerun may replace a map's frame while we wait. The
        time starts once the app has finished a script run (the maps are drawn after one)."""
        try:
            self.page.wait_for_function(SCRIPT_RAN_JS, timeout=FIRST_RUN_S * 1000, polling=100)
        except PlaywrightTimeoutError:
            raise AssertionError(f"the app finished no script run in {FIRST_RUN_S} s; errors: {self.errors}") from None
        check = f"""(arg) => {{ try {{ return ({condition})(({MAP_WINDOWS_JS})(), arg) || false; }}
            catch (e) {{ return false; }} }}"""  # a map being mounted or replaced: not yet
        try:
            return self.page.wait_for_function(check, arg=arg, timeout=timeout_s * 1000, polling=100).json_value()
        except PlaywrightTimeoutError:
            raise AssertionError(f"{what} within {timeout_s} s; console errors: {self.errors}") from None

    def map_frame(self, timeout_s: float = 30):
        """The streamlit-folium iframe, once Leaflet has drawn something in it (the first such frame in the page)."""
        index = self.wait_for_maps(
            "(maps) => { const frames = [...document.querySelectorAll('iframe')];"
            " return maps.length ? frames.findIndex(f => f.contentWindow === maps[0]) + 1 : 0; }",
            timeout_s=timeout_s,
            what="no Leaflet map drew",
        )
        frame = self.page.locator("iframe").nth(index - 1).element_handle().content_frame()
        if frame is None:
            raise AssertionError("the map's frame went away")
        return frame

    def map_point(self, lat: float, lon: float) -> tuple[float, float]:
        """Where (lat, lon) is on the first map, in the page's coordinates (for the mouse)."""
        x, y = self.map_frame().evaluate(
            f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]); "
            "const r = window.map.getContainer().getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }"
        )
        box = self.page.locator('iframe[src*="streamlit_folium"]').first.bounding_box()
        return box["x"] + x, box["y"] + y

    def drawn_features(self) -> list[dict]:
        """Layer and ids of every GeoJSON feature Leaflet has on the map (not the outlines under it)."""
        return self.map_frame().evaluate(f"() => ({FEATURES_OF_JS})(window)")

    def wait_for_features(
        self, where: str = "f => f.length > 0", counts: dict[str, int] | None = None, timeout_s: float = 30
    ) -> list[dict]:
        """The map's features (as `drawn_features`) once `where`, a JS function of them, holds and, with `counts`,
        once the map draws exactly that many features per layer."""
        condition = f"(maps, counts) => ({FEATURES_WHEN_JS})(maps, counts, {where}, {FEATURES_OF_JS})"
        return self.wait_for_maps(
            condition,
            dict(counts) if counts is not None else None,
            timeout_s=timeout_s,
            what=f"the map never showed the expected features ({where}, {counts})",
        )

    def wait_for_text(self, text: str, timeout_s: float = 30) -> str:
        """The main area's text once `text` is in it (Streamlit fills it in over several messages)."""
        main = self.page.locator('[data-testid="stMain"]')
        expect(main).to_contain_text(text, timeout=timeout_s * 1000, use_inner_text=True)
        shown = main.inner_text()
        assert text in shown, f"{text!r} is not in the page:\n{shown[-1500:]}"
        return shown

    def pause(self, seconds: float):
        """Wait while still serving the route handler (time.sleep would stall every request). For the benchmarks,
        which time how long things take; tests wait for events (`run`, `wait_for_maps`, `expect`)."""
        self.page.wait_for_timeout(seconds * 1000)

    def close(self):
        self.context.close()


def run(page: OfflinePage, action: Callable[[], object] | None = None, quiet_s: float = 1.0, timeout_s: float = 60):
    """Wait until Streamlit has finished its script runs and, for `quiet_s` from now, started none.

    With `action`: first that (input given mid-rerun can be swallowed), then `action()`, then until a run that
    started after it has finished and `quiet_s` passed without another. Running out of time fails the test."""

    def idle(after: int) -> None:
        since = page.page.evaluate("() => performance.now()")
        try:
            page.page.wait_for_function(
                SCRIPT_IDLE_JS, arg=[after, quiet_s * 1000, since], timeout=timeout_s * 1000, polling=100
            )
        except PlaywrightTimeoutError:
            state = page.page.evaluate(
                "() => [document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState, window.__ikRuns]"
            )
            cause = "finished no run" if after >= 0 and state[1] and state[1]["finished"] <= after else "kept running"
            raise AssertionError(f"the app {cause} within {timeout_s} s (state {state})") from None

    idle(-1)
    if action is not None:
        finished = page.page.evaluate("() => window.__ikRuns.finished")
        action()
        idle(finished)


def shared_link(page: OfflinePage) -> str:
    """The link in the sidebar's share box (a popover, drawn when opened: open it, read the link, close it)."""
    page.page.locator('[data-testid="stSidebar"]').get_by_text("Kopier lenke").click()
    code = page.page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]')
    expect(code).to_contain_text("http", timeout=30_000)
    link = code.inner_text().strip()
    page.page.keyboard.press("Escape")
    return link


def choose(page: OfflinePage, label: str, option: str, within=None, reruns: bool = True):
    """Pick `option` in the selectbox or multiselect labelled `label` (in the sidebar, or in locator `within`) and,
    unless it sits in a form (`reruns=False`), wait for the rerun the choice starts."""
    scope = within if within is not None else page.page.locator('[data-testid="stSidebar"]')
    box = scope.get_by_role("combobox", name=label)
    expect(box).to_be_visible(timeout=30_000)
    widget = page.page.get_by_role("combobox", name=label)  # `has` looks inside the widget, not from `scope`
    multiple = scope.locator('[data-testid="stMultiSelect"]', has=widget).count() > 0

    def pick():
        box.click()
        box.fill(option)
        page.page.get_by_role("option", name=option).first.click()
        if multiple:
            page.page.keyboard.press("Escape")  # a multiselect's menu stays open for the next choice

    if reruns:
        run(page, pick)
    else:
        pick()
    if multiple:
        expect(scope.get_by_text(option).first).to_be_visible(timeout=30_000)  # the chosen tag shows
    else:
        expect(box).to_have_value(option, timeout=30_000)


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
