"""Big uploaded layers on the Kart page, beside the baseline, in headless chromium, offline.

    .venv/bin/python -m benchmarks.bench_map_scale [--sizes 10000 100000 1000000] [--polygons 100000]
        [--counties | --no-counties] [--no-baseline]

For each generated layer (generated_points_N, generated_polygons_N, saved as an "other" layer in a fresh
GeoPackage store; generated_dense_counties is Norway's 15 counties from ../shared densified to 181 000
vertices, the shape of Geonorge's county file) the tiles are built as the Last opp page builds them at
save, then the app is started on that store and opened: cold (a fresh server), then a fresh
page (first draw, a layer toggle in the sidebar, a zoom, a click on a feature of the layer, the basemap, the
language: seconds until the map shows it and KB sent). The baseline
is a 10-line app doing folium.GeoJson(gdf) + st_folium(m, returned_objects=[]) (canvas circle markers,
local Leaflet) on the same store. Drawn means, through Leaflet: our tile layer has loaded every tile in
view; the baseline has every feature on the map. Websocket bytes are what the server sent (Playwright's
framereceived).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import textwrap
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from maps.highlight import HIGHLIGHT_CLASS
from maps.pmtiles_build import ensure_tiles, store_folder
from store import open_store
from tests.helpers.big_layer_fixtures import (
    TILE_STATE_JS,
    CountingPage,
    generated_dense_counties,
    generated_points,
    generated_polygons,
    stored_layer,
    tiles_drawn,
)
from tests.helpers.browser import running_app
from tests.helpers.chromium import launch
from ui.uploaded_layers import version_of

ROOT = Path(__file__).resolve().parents[1]
SHARED_GEODATA = ROOT.parent / "shared" / "geodata"

BASELINE = textwrap.dedent(
    """
    import folium, streamlit as st
    from streamlit_folium import st_folium
    from store import open_store
    st.sidebar.checkbox("Punktutslipp", value=True)
    gdf = st.cache_resource(lambda: open_store().read(open_store().list()[0].id))()
    m = folium.Map(location=[63.6, 11.0], zoom_start=7, tiles=None, prefer_canvas=True)
    m.default_js = [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")]
    folium.GeoJson(gdf, marker=folium.CircleMarker(radius=3)).add_to(m)
    st_folium(m, returned_objects=[], height=600, use_container_width=True)
    """
)
FEATURES_JS = "() => { let n = 0; window.map.eachLayer(l => { if (l.feature) n++; }); return n; }"
NO_TILE_BASEMAP_JS = "() => !Object.values(window.map._layers).some(l => l._url)"
ENGLISH_LEGEND_JS = (
    "() => (document.querySelector('.ik-legend')?.innerText || '').includes('Industrial parks and symbiosis sites')"
)
SOURCES_JS = (
    "() => { let n = 0; window.map.eachLayer(l => { if (l.feature && l.feature.properties"
    " && l.feature.properties.layer === 'sources') n++; }); return n; }"
)


RING_AT_JS = (
    "([lat, lon, tolerance]) => { let hit = false; window.map.eachLayer(l => { if (l.options"
    f" && l.options.className === '{HIGHLIGHT_CLASS}' && l.getLatLng) {{ const p = l.getLatLng();"
    " if (Math.abs(p.lat - lat) < tolerance && Math.abs(p.lng - lon) < tolerance) hit = true; } }); return hit; }"
)


def ring_at(frame, point) -> bool:
    """A highlight ring drawn near `point` (the click lands within a pixel or two of it)."""
    return frame.evaluate(RING_AT_JS, [point.y, point.x, 1e-3])


def read_stored(store: Path, layer_id: int):
    return open_store({"INDUSTRIKART_STORE": str(store)}).read(layer_id)


def wait(predicate, page: CountingPage, timeout_s: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        try:
            if predicate():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 (the iframe comes and goes while Streamlit reruns)
            pass
        page.pause(0.05)
    raise TimeoutError(f"not drawn within {timeout_s} s")


def open_ours(browser, url: str, timeout_s: float, layer: tuple | None = None) -> dict:
    started = time.monotonic()
    page = CountingPage(browser, url)
    try:
        frame_s = wait(lambda: page.map_frame(timeout_s=1) is not None, page, timeout_s)
        drawn_s = wait(lambda: tiles_drawn(page.map_frame(timeout_s=1).evaluate(TILE_STATE_JS)), page, timeout_s)
        result = {"draw_s": time.monotonic() - started, "after_map_s": drawn_s, "ws_mb": page.received / 1e6}
        result["after_script_s"] = time.monotonic() - page.script_ends[0]
        result["frame_s"] = frame_s
        page.pause(1.5)
        before = page.received
        sidebar = page.page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Punktutslipp", exact=True).first.click()
        result["toggle_s"] = wait(lambda: page.map_frame(timeout_s=1).evaluate(SOURCES_JS) == 0, page, 60)
        page.pause(1.5)
        result["toggle_kb"] = (page.received - before) / 1e3
        frame = page.map_frame()
        frame.evaluate("() => { window.map.setView([63.43, 10.4], 12, {animate: false}); }")
        result["zoom_s"] = wait(lambda: tiles_drawn(frame.evaluate(TILE_STATE_JS)), page, 60)
        if layer is not None:
            result |= widget_changes(page, *layer)
        return result
    finally:
        page.close()


def change(page: CountingPage, action, done) -> tuple[float, float]:
    """Seconds from `action()` until `done()`, and the KB the server sent for it (counted 1.5 s on)."""
    page.pause(1.5)
    before = page.received
    action()
    seconds = wait(done, page, 60)
    page.pause(1.5)
    return seconds, (page.received - before) / 1e3


def widget_changes(page: CountingPage, title: str, frame) -> dict:
    """Clicks on three of the big layer's features (until its record shows; the median), the basemap, the
    language."""
    main = page.page.locator('[data-testid="stMain"]')
    clicks = []
    for position in (3, 7, 11):
        point = frame.geometry.iloc[position].representative_point()
        leaflet = page.map_frame()
        leaflet.evaluate(f"() => {{ window.map.setView([{point.y}, {point.x}], 15, {{animate: false}}); }}")
        wait(lambda: tiles_drawn(page.map_frame(timeout_s=1).evaluate(TILE_STATE_JS)), page, 60)
        x, y = leaflet.evaluate(
            f"() => {{ const p = window.map.latLngToContainerPoint([{point.y}, {point.x}]); "
            "const r = document.getElementById('map_div').getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }"
        )
        box = page.page.locator("iframe").first.bounding_box()
        page.pause(1.5)
        before = page.received
        started = time.monotonic()
        page.page.mouse.click(box["x"] + x, box["y"] + y)
        ring_s = wait(lambda p=point: ring_at(page.map_frame(timeout_s=1), p), page, 60)
        wait(lambda n=position: f"Objekt {n + 1} i {title}" in main.inner_text(), page, 60)
        record_s = time.monotonic() - started
        page.pause(1.5)
        clicks.append((ring_s, record_s, (page.received - before) / 1e3))
    out = {
        "ring_s": statistics.median(c[0] for c in clicks),
        "click_s": statistics.median(c[1] for c in clicks),
        "click_kb": statistics.median(c[2] for c in clicks),
    }
    sidebar = page.page.locator('[data-testid="stSidebar"]')

    def no_background():
        box = sidebar.get_by_role("combobox", name="Bakgrunnskart")
        box.click()
        box.fill("Ingen bakgrunn")  # Streamlit's select box lists its options once something is typed
        page.page.get_by_role("option", name="Ingen bakgrunn").click()

    out["basemap_s"], out["basemap_kb"] = change(
        page, no_background, lambda: page.map_frame(timeout_s=1).evaluate(NO_TILE_BASEMAP_JS)
    )
    out["language_s"], out["language_kb"] = change(
        page,
        lambda: sidebar.get_by_text("English", exact=True).click(),
        lambda: page.map_frame(timeout_s=1).evaluate(ENGLISH_LEGEND_JS),
    )
    return out


def open_baseline(browser, url: str, n: int, timeout_s: float) -> dict:
    started = time.monotonic()
    page = CountingPage(browser, url)
    try:
        wait(lambda: page.map_frame(timeout_s=1).evaluate(FEATURES_JS) >= n, page, timeout_s)
        result = {"draw_s": time.monotonic() - started, "ws_mb": page.received / 1e6}
        result["after_script_s"] = time.monotonic() - page.script_ends[0]
        page.pause(1.5)
        before = page.received
        page.page.locator('[data-testid="stSidebar"]').get_by_text("Punktutslipp", exact=True).first.click()
        page.pause(3)
        result["toggle_kb"] = (page.received - before) / 1e3
        return result
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--polygons", type=int, nargs="*", default=[100_000])
    parser.add_argument("--counties", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--baseline-max", type=int, default=100_000, help="larger layers skip the baseline")
    parser.add_argument("--timeout", type=float, default=240)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="industrikart-bench-scale-"))
    baseline_dir = work / "baseline"
    baseline_dir.mkdir()
    (baseline_dir / "generated_baseline_app.py").write_text(BASELINE)
    (baseline_dir / "static").symlink_to(ROOT / "static")
    layers = [(f"generated_points_{n}", lambda n=n: generated_points(n)) for n in args.sizes]
    layers += [(f"generated_polygons_{n}", lambda n=n: generated_polygons(n)) for n in args.polygons]
    if args.counties:
        layers.append(("generated_dense_counties", lambda: generated_dense_counties(SHARED_GEODATA)))
    rows = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for title, make in layers:
            frame = make()
            store = work / f"{title}.gpkg"
            info = stored_layer(store, frame, title)
            # what the Last opp page does after saving a big layer (ui.uploaded_layers.build_tiles_at_save)
            started = time.monotonic()
            ensure_tiles(store_folder(str(store)), version_of(info), lambda s=store, i=info.id: read_stored(s, i))
            build_s = time.monotonic() - started
            env = {"INDUSTRIKART_STORE": str(store)}
            with running_app(env=env) as url:
                cold = open_ours(browser, url, args.timeout * 2)
                warm = open_ours(browser, url, args.timeout, (title, frame))
            base = None
            if not args.no_baseline and len(frame) <= args.baseline_max:
                with running_app(str(baseline_dir / "generated_baseline_app.py"), env=env) as url:
                    try:
                        base = open_baseline(browser, url, len(frame), args.timeout)
                    except TimeoutError as exc:
                        base = {"error": str(exc)}
            shutil.rmtree(store_folder(str(store)), ignore_errors=True)  # the tiles the app built
            rows.append((title, build_s, cold, warm, base))
            print(f"{title}: tiles at save {build_s:.1f} s, cold {cold}\n  warm {warm}\n  baseline {base}", flush=True)
        browser.close()
    print()
    print(
        "| layer | tiles built at save s | first display after a restart s | first draw s: ours / baseline "
        "| of which after the page's script s: ours / baseline "
        "| websocket MB: ours / baseline | toggle: ours s, KB / baseline KB "
        "| zoom to z12 s | click → ring on the map s | click → record s, KB (median of 3) "
        "| basemap s, KB | language s, KB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for title, build_s, cold, warm, base in rows:
        if base is None:
            b_draw = b_after = b_ws = b_toggle = "skipped"
        elif "error" in base:
            b_draw, b_after, b_ws, b_toggle = base["error"], "–", "–", "–"
        else:
            b_draw, b_ws, b_toggle = f"{base['draw_s']:.1f}", f"{base['ws_mb']:.1f}", f"{base['toggle_kb']:.1f}"
            b_after = f"{base['after_script_s']:.2f}"
        print(
            f"| {title} | {build_s:.1f} | {cold['draw_s']:.1f} | {warm['draw_s']:.1f} / {b_draw} "
            f"| {warm['after_script_s']:.2f} / {b_after} "
            f"| {warm['ws_mb']:.2f} / {b_ws} | {warm['toggle_s']:.2f} s, {warm['toggle_kb']:.0f} KB / {b_toggle} "
            f"| {warm['zoom_s']:.2f} | {warm['ring_s']:.2f} | {warm['click_s']:.2f}, {warm['click_kb']:.0f} "
            f"| {warm['basemap_s']:.2f}, {warm['basemap_kb']:.0f} "
            f"| {warm['language_s']:.2f}, {warm['language_kb']:.0f} |"
        )


if __name__ == "__main__":
    main()
