"""What a warm visit costs until the map is drawn: a floor app beside Kart, Utslipp and Portefølje, in one run.

    .venv/bin/python -m benchmarks.bench_page_visit [--visits 5] [--parts]

The floor is the smallest Streamlit page with a map: one `st_folium` map of one circle marker, the same vendored
Leaflet, the same `.streamlit/config.toml` (FLOOR below). It is visited at its root (as Kart is) and at a page's own
address (`/Side`, as Utslipp and Portefølje are): there Streamlit's frontend first asks `/Side/_stcore/health`
(404), then `/_stcore/health`, to learn the app's base path, before it opens its websocket. Ours are the app's
pages on the bundled data with an empty store. Every app gets a browser context of its own, visited once to warm
it (its HTTP cache, the server's caches), then `visits` times, the apps taking turns, so a busy moment of the
machine falls on all of them alike.

A visit is timed from the navigation's start (`performance.timeOrigin`) until the map is drawn as Leaflet reports
it: an init script hooks `L.Map` in the map's frame and notes every layer added; the map is drawn at the first moment
it holds as many layers as it does once the page is idle (for pages with several maps, the first map on the page;
"all maps" is the last of them; a page sends its first map before the rest, see ui/map_first.py). A page switch is
timed from the menu click on Kart until the new page's map is drawn. `--parts` prints where a visit's time goes,
from the browser's own timings (medians).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import tempfile
import textwrap
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.revisions import checkouts, served_script
from tests.helpers.browser import SCRIPT_RUNS_JS, running_app
from tests.helpers.chromium import launch

ROOT = Path(__file__).resolve().parents[1]

FLOOR = textwrap.dedent(
    """
    import folium
    import streamlit as st
    from streamlit_folium import st_folium

    m = folium.Map(location=[63.6, 11.0], zoom_start=7, tiles=None)
    m.default_js = [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")]
    folium.CircleMarker([63.43, 10.39], radius=6).add_to(m)
    st_folium(m, height=560, use_container_width=True, returned_objects=[])
    """
)

# In every frame, before its own scripts. In the page: when the websocket opened and when each script run finished.
# In a map's frame: `L.Map` hooked as soon as Leaflet defines `L`; every layer added or removed noted with the time
# (ms since the epoch, comparable across frames) and the map's layer count, in the page's `__ikMaps`.
VISIT_JS = (
    SCRIPT_RUNS_JS
    + """;
(() => {
  const now = () => performance.timeOrigin + performance.now();
  if (window.top === window) {
    window.__ikMaps = [];
    window.__ikRunEnds = [];
    const runs = window.__ikRuns;
    let finished = runs.finished;
    Object.defineProperty(runs, 'finished', {get() { return finished; },
      set(value) { finished = value; window.__ikRunEnds.push(now()); }});
    const Socket = window.WebSocket;
    window.WebSocket = function (...args) {
      const socket = new Socket(...args);
      socket.addEventListener('open', () => { window.__ikSocketOpen = window.__ikSocketOpen || now(); });
      return socket; };
    Object.assign(window.WebSocket, Socket);
    window.WebSocket.prototype = Socket.prototype;
    return;
  }
  let leaflet;
  Object.defineProperty(window, 'L', {configurable: true, get() { return leaflet; }, set(value) {
    leaflet = value;
    const record = {origin: performance.timeOrigin, leaflet: now(), init: null, changes: [],
                    frame: window.frameElement};
    try { window.top.__ikMaps.push(record); } catch (e) { return; }
    value.Map.addInitHook(function () {
      if (record.init) return;
      record.init = now();
      const note = () => record.changes.push([now(), Object.keys(this._layers).length]);
      this.on('layeradd layerremove', note);
    });
  }});
})();"""
)

# The maps of the page, in page order, each: [origin, leaflet loaded, map made, [[t, layers], ...]] (ms since epoch).
MAPS_JS = """() => {
  const frames = [...document.querySelectorAll('iframe')];
  return window.__ikMaps.filter(m => m.init && m.frame && m.frame.isConnected)
    .sort((a, b) => frames.indexOf(a.frame) - frames.indexOf(b.frame))
    .map(m => [m.origin, m.leaflet, m.init, m.changes]); }"""
# Where the page's time went, from the browser's own timings (ms since the epoch).
PARTS_JS = """() => {
  const t0 = performance.timeOrigin, nav = performance.getEntriesByType('navigation')[0];
  const bundle = performance.getEntriesByType('resource').filter(r => /\\/static\\/(js|css)\\//.test(r.name));
  return {document: t0 + nav.responseEnd, bundle: t0 + Math.max(nav.responseEnd, ...bundle.map(r => r.responseEnd)),
          socket: window.__ikSocketOpen || null}; }"""
FRAME_PARTS_JS = """() => {
  const t0 = performance.timeOrigin;
  const files = performance.getEntriesByType('resource').filter(r => r.initiatorType !== 'xmlhttprequest'
      && r.initiatorType !== 'fetch');
  const fetched = performance.getEntriesByType('resource').filter(r => r.initiatorType === 'xmlhttprequest'
      || r.initiatorType === 'fetch');
  const nav = performance.getEntriesByType('navigation')[0];
  return {frame_document: t0 + (nav ? nav.responseEnd : 0),
          frame_files: t0 + Math.max(0, ...files.map(r => r.responseEnd)), files: files.length,
          frame_bytes: files.reduce((s, r) => s + (r.transferSize || 0), 0),
          fetched: fetched.length}; }"""

# Offline without routing (see Visitor): no host name resolves, so nothing leaves this machine (the app is
# reached at 127.0.0.1, left as it is).
OFFLINE = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",)
PAGES = {"Kart": "", "Utslipp": "Utslipp", "Portefølje": "Portefolje"}
SWITCH = "switch Kart → Utslipp"
FLOOR_PAGE = "floor at /Side"
SETTLE_MS = 1500  # the page is idle: no script run for this long, and no map layer added or removed either


def drawn_at(changes: list) -> float | None:
    """The first moment the map held as many layers as it finally does."""
    if not changes:
        return None
    final = changes[-1][1]
    return next(t for t, n in changes if n == final)


class Visitor:
    """One app in a browser context of its own (its own HTTP cache). No request routing: Playwright turns the
    browser's HTTP cache off for a context that routes, and a warm visit is one that has it."""

    def __init__(self, browser, url: str):
        self.url = url
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.add_init_script(VISIT_JS)
        self.page = self.context.new_page()

    def idle(self, since: float = 0.0) -> None:
        """Wait until no script runs and no map layer has changed for SETTLE_MS."""
        self.page.wait_for_function(
            """([quiet]) => { const runs = window.__ikRuns, root = document.querySelector('[data-testid="stApp"]');
                const last = Math.max(runs.changed, ...window.__ikMaps.flatMap(m => m.changes.map(c => c[0]
                    - performance.timeOrigin)));
                return root && root.dataset.testScriptState === 'notRunning' && runs.finished > 0
                    && window.__ikMaps.some(m => m.changes.length) && performance.now() - last >= quiet; }""",
            arg=[SETTLE_MS],
            timeout=120_000,
            polling=100,
        )

    def visit(self, path: str) -> dict:
        """Open `path` as a link is opened: from a blank page, so the time is the page's own, not the tearing down
        of the app page shown before (a page of ours with its map frames took longer to unload than the floor)."""
        self.page.goto("about:blank")
        self.page.goto(self.url + path)
        self.idle()
        return self._timings(self.page.evaluate("() => performance.timeOrigin"))

    def switch(self, label: str) -> dict:
        """From the page shown, click `label` in the menu; timed from the click."""
        clicked = self.page.evaluate("() => performance.timeOrigin + performance.now()")
        self.page.locator('[data-testid="stSidebar"]').get_by_role("link", name=label, exact=True).click()
        self.page.wait_for_function(
            "([t]) => window.__ikMaps.some(m => m.origin > t && m.changes.length)", arg=[clicked], timeout=120_000
        )
        self.idle()
        return self._timings(clicked)

    def _timings(self, start: float) -> dict:
        maps = [m for m in self.page.evaluate(MAPS_JS) if m[0] >= start]
        if not maps:
            raise RuntimeError(f"no map drawn on {self.page.url}")
        first = maps[0]
        parts = self.page.evaluate(PARTS_JS)
        frame = next(f for f in self.page.frames if "streamlit_folium" in f.url)
        parts |= frame.evaluate(FRAME_PARTS_JS)
        script = next((t for t in self.page.evaluate("() => window.__ikRunEnds") if t > start), None)
        seconds = {
            "drawn": (drawn_at(first[3]) - start) / 1e3,
            "all_maps": (max(drawn_at(m[3]) for m in maps) - start) / 1e3,
            "maps": len(maps),
            "frame": (first[0] - start) / 1e3,
            "leaflet": (first[1] - start) / 1e3,
            "map_made": (first[2] - start) / 1e3,
        }
        for key in ("document", "bundle", "socket", "frame_document", "frame_files"):
            seconds[key] = (parts[key] - start) / 1e3 if parts.get(key) else None
        seconds["frame_files_n"] = parts["files"]
        seconds["frame_kb"] = parts["frame_bytes"] / 1e3
        seconds["script_run"] = (script - start) / 1e3 if script else None
        return seconds

    def close(self) -> None:
        self.context.close()


@contextlib.contextmanager
def floor_app():
    """The floor app in a folder of its own with this project's config and vendored Leaflet; the same page again
    at a page's address (pages/Side.py)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    try:
        (folder / "floor.py").write_text(FLOOR)
        (folder / "pages").mkdir()
        (folder / "pages" / "Side.py").write_text(FLOOR)
        shutil.copytree(ROOT / ".streamlit", folder / ".streamlit", ignore=shutil.ignore_patterns("secrets.toml"))
        (folder / "static").symlink_to(ROOT / "static")
        with running_app(str(folder / "floor.py")) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


# (key, column, what it is): seconds from the navigation (the click, for a switch) until each
PART_ROWS = (
    ("document", "doc", "the page's document received"),
    ("bundle", "bundle", "Streamlit's own scripts loaded (the last of them)"),
    ("socket", "socket", "the websocket open"),
    ("script_run", "script", "the first script run finished (the server says)"),
    ("frame", "frame", "the map's frame created"),
    ("frame_document", "f.doc", "the frame's document received"),
    ("leaflet", "leaflet", "Leaflet defined in the frame"),
    ("frame_files", "f.files", "the frame's files loaded"),
    ("map_made", "L.Map", "the L.Map made"),
    ("drawn", "drawn", "the map drawn"),
    ("all_maps", "all", "every map on the page drawn"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--baseline", help="a git revision of this app to measure beside ours (a worktree of it)")
    parser.add_argument("--parts", action="store_true", help="print where a visit's time goes")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="ours to visit")
    parser.add_argument("--no-switch", action="store_true", help="leave out the page switch")
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        trees = stack.enter_context(checkouts(args.baseline))
        for tree in trees.values():
            same_file_times(tree)
        browser = launch(stack.enter_context(sync_playwright()), OFFLINE)
        stack.callback(browser.close)
        floor = Visitor(browser, stack.enter_context(floor_app()))
        apps = {
            label: Visitor(browser, stack.enter_context(running_app(str(tree / served_script(tree)), cwd=tree)))
            for label, tree in trees.items()
        }
        rows = [(label, name) for name in args.pages for label in apps]
        runs: dict[str, list[dict]] = {"floor": [], FLOOR_PAGE: []}
        runs |= {_row(label, name, apps): [] for label, name in rows}
        switches = {label: _row(label, SWITCH, apps) for label in apps} if not args.no_switch else {}
        runs |= {row: [] for row in switches.values()}
        floor.visit("")  # warm-up visits: caches filled, nothing counted
        floor.visit("Side")
        for app in apps.values():
            for path in PAGES.values():
                app.visit(path)
        for _ in range(args.visits):  # the apps take turns, page by page
            runs["floor"].append(floor.visit(""))
            runs[FLOOR_PAGE].append(floor.visit("Side"))
            for label, name in rows:
                runs[_row(label, name, apps)].append(apps[label].visit(PAGES[name]))
            for label, row in switches.items():
                apps[label].visit("")
                runs[row].append(apps[label].switch("Utslipp"))
        for visitor in [floor, *apps.values()]:
            visitor.close()
    report(runs, args.visits, args.parts)


def same_file_times(tree: Path) -> None:
    """Give a fresh checkout's static files the times ours have: the browser keeps a file served without
    Cache-Control for a tenth of its age, so a file made a minute ago would be fetched again on every visit."""
    for path in (tree / "static").rglob("*"):
        ours = ROOT / path.relative_to(tree)
        if path.is_file() and ours.is_file():
            os.utime(path, ns=(ours.stat().st_atime_ns, ours.stat().st_mtime_ns))


def _row(label: str, name: str, apps: dict) -> str:
    return name if len(apps) == 1 else f"{name} ({label})"


def report(runs: dict[str, list[dict]], visits: int, parts: bool) -> None:
    base = median([r["drawn"] for r in runs["floor"]])
    width = max(26, *(len(name) + 2 for name in runs))
    print(f"\nWarm visit, navigation (or menu click) → map drawn, median of {visits} (s); goal ≤ 1.3× the floor")
    print(f"{'':{width}}{'drawn':>8}{'× floor':>9}{'fastest':>9}{'all maps':>10}{'frame files':>13}{'frame KB':>10}")
    for name, done in runs.items():
        drawn = median([v["drawn"] for v in done])
        print(
            f"{name:{width}}{fmt(drawn):>8}{drawn / base:>8.2f}×{fmt(min(v['drawn'] for v in done)):>9}"
            f"{fmt(median([v['all_maps'] for v in done])):>10}"
            f"{median([v['frame_files_n'] for v in done]):>13.0f}{median([v['frame_kb'] for v in done]):>10.1f}"
        )
    if parts:
        print("\nWhere a visit's time goes: seconds from the navigation (the click, for a switch) until ..., median")
        print(f"{'':{width}}" + "".join(f"{column:>8}" for _, column, _ in PART_ROWS))
        for name, done in runs.items():
            print(f"{name:{width}}" + "".join(f"{fmt(median([v[key] for v in done])):>8}" for key, _, _ in PART_ROWS))
        print("  " + "; ".join(f"{column}: {what}" for _, column, what in PART_ROWS))


if __name__ == "__main__":
    main()
