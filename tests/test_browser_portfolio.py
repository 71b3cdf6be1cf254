"""The portfolio page's comparison view in Debian's chromium, with every non-local request refused."""

from __future__ import annotations

import contextlib
from collections import Counter

import pytest

from analysis.neighbourhoods import distance_m, neighbourhood
from analysis.portfolio_view import flows_touching
from loaders.bundled.flows import flow_lines, load_flows
from loaders.bundled.measures import load_measures, measure_points
from tests.helpers.browser import FEATURES_OF_JS, OfflinePage, choose, run, running_app

pytestmark = pytest.mark.browser

SITES = {"park-gronora": "Grønøra industriområde (Orkanger)", "park-malm": "Malm Industripark"}
FEATURES_JS = f"() => ({FEATURES_OF_JS})(window)"
# Every drawn map, by the sites whose buffers it shows (sorted ids joined by ","): its feature counts per layer.
MAPS_JS = f"""(maps) => {{ const out = {{}};
    maps.forEach(w => {{ const features = ({FEATURES_OF_JS})(w), counts = {{}};
        features.forEach(f => {{ counts[f.layer] = (counts[f.layer] || 0) + 1; }});
        out[features.filter(f => f.layer === "buffers").map(f => f.ids[0]).sort().join(",")] = counts; }});
    return out; }}"""


@pytest.fixture
def page(browser, tmp_path):
    with running_app(env={"INDUSTRIKART_STORE": str(tmp_path / "layers.gpkg"), "DATABASE_URL": ""}) as url:
        offline = OfflinePage(browser, url)
        yield offline
        offline.close()


def expected(portfolio, site_ids: list[str], radius_m: float) -> Counter:
    """Features one map should draw for these neighbourhoods, from the analysis modules."""
    hoods = [neighbourhood(s, portfolio, radius_m) for s in site_ids]
    parks = {p for s in site_ids for p in portfolio.parks["id"] if distance_m(portfolio, s, p) <= radius_m}
    sources = {i for h in hoods for i in h.sources["id"]}
    members = {(g.x, g.y) for h in hoods for g in h.members.geometry}  # one marker per point
    lines = flow_lines(load_flows(), portfolio)
    touching = lines[lines["id"].isin({i for h in hoods for i in flows_touching(lines, h)["id"]})]
    parts = 2 * int((~touching["colocated"]).sum()) + int(touching["colocated"].sum())  # line+head, or a ring
    return Counter(buffers=len(hoods), parks=len(parks), sources=len(sources), members=len(members), flows=parts)


def all_maps(portfolio, radius_m: float) -> dict[tuple[str, ...], Counter]:
    """The main map with both neighbourhoods and every measure (no filter chosen), and one small map per site."""
    wanted = {tuple(sorted(SITES)): expected(portfolio, list(SITES), radius_m)}
    wanted[tuple(sorted(SITES))]["measures"] = len(measure_points(load_measures(portfolio=portfolio), portfolio))
    wanted.update({(site,): expected(portfolio, [site], radius_m) for site in SITES})
    return wanted


def drawn_maps(page: OfflinePage) -> dict[tuple[str, ...], Counter]:
    """Every drawn map, by the sites whose buffers it shows: feature counts per layer."""
    maps = {}
    for frame in page.page.frames:
        if "streamlit_folium" not in frame.url:
            continue
        with contextlib.suppress(Exception):
            if frame.evaluate("() => !!(window.map && window.L)"):
                features = frame.evaluate(FEATURES_JS)
                sites = tuple(sorted(f["ids"][0] for f in features if f["layer"] == "buffers"))
                maps[sites] = Counter(f["layer"] for f in features)
    return maps


def wait_for_maps(page: OfflinePage, wanted: dict[tuple[str, ...], Counter], timeout_s: float = 45) -> None:
    """Until the drawn maps are `wanted` (as `drawn_maps`: the same maps, the same counts; a layer counted 0 may be
    absent)."""
    expected = {",".join(sites): {k: n for k, n in counts.items() if n} for sites, counts in wanted.items()}
    try:
        page.wait_for_maps(
            f"(maps, expected) => {{ const seen = ({MAPS_JS})(maps);"
            " return JSON.stringify(Object.keys(seen).sort()) === JSON.stringify(Object.keys(expected).sort())"
            " && Object.keys(expected).every(k => JSON.stringify(Object.entries(seen[k]).sort())"
            " === JSON.stringify(Object.entries(expected[k]).sort())); }",
            expected,
            timeout_s=timeout_s,
        )
    except AssertionError:
        raise AssertionError(f"maps drawn {drawn_maps(page)}, expected {wanted}") from None


def set_slider(page: OfflinePage, slider, value: int) -> None:
    """Step the slider with the arrow keys, one rerun per step, until it reads `value`."""
    for _ in range(3 * abs(int(slider.input_value()) - value) + 3):  # a step lost to a rerun is taken again
        current = int(slider.input_value())
        if current == value:
            return
        slider.focus()
        run(page, lambda key="ArrowRight" if current < value else "ArrowLeft": page.page.keyboard.press(key))
    raise AssertionError(f"the slider stayed at {slider.input_value()}, not {value}")


def main_frame(page: OfflinePage, sites: tuple[str, ...]):
    for frame in page.page.frames:
        if "streamlit_folium" in frame.url:
            with contextlib.suppress(Exception):
                ids = frame.evaluate(FEATURES_JS)
                if tuple(sorted(f["ids"][0] for f in ids if f["layer"] == "buffers")) == sites:
                    return frame
    raise AssertionError("no map shows every chosen neighbourhood")


def test_comparison_of_gronora_and_malm_at_15_km_draws_offline(page, portfolio):
    sidebar = page.page.locator('[data-testid="stSidebar"]')
    page.wait_for_features()  # the map drawn: its first reply (a rerun of Kart) would undo the click
    run(page, page.page.get_by_role("link", name="Portefølje").click)
    page.wait_for_text("Side om side", 60)

    # Start from an empty choice, then pick the two sites the way a planner does.
    for name in SITES.values():
        run(page, sidebar.get_by_role("button", name=f"Remove {name}").click)
    page.wait_for_text("Velg minst ett område")
    for name in SITES.values():
        choose(page, "Områder å sammenligne", name)
    page.wait_for_text("(10\u00a0km)")  # the default radius
    wait_for_maps(page, all_maps(portfolio, 10_000))

    # The main map is marked, so we can tell later that it was updated in place, not remounted.
    main_frame(page, tuple(sorted(SITES))).evaluate("() => { window.__sameMap = true; }")
    set_slider(page, sidebar.get_by_role("slider", name="Radius (km)"), 15)
    page.wait_for_text("(15\u00a0km)")

    wanted = all_maps(portfolio, 15_000)
    assert wanted != all_maps(portfolio, 10_000)  # the radius changes what is drawn
    wait_for_maps(page, wanted)

    main = main_frame(page, tuple(sorted(SITES)))
    assert main.evaluate("() => window.__sameMap === true"), "the main map was remounted"
    for site in SITES:
        frame = main_frame(page, (site,))
        assert frame.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane canvas').length") >= 1
        assert frame.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane path').length") == 0
        zoom = frame.evaluate("() => window.map.getZoom()")
        assert zoom % 0.25 == 0 and zoom > 8  # fitted to a 15 km neighbourhood, not the default view
    assert main.evaluate("() => !!document.querySelector('.ik-legend')")
    assert page.blocked, "the default basemap asks for tiles, which this test refuses"
    assert page.unexpected_errors() == []


POINT_BUFFERS_JS = """() => { const out = []; if (!window.map) return out;  // a small map may be mounting
    window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.layer === "buffers" && String(p.ids[0]).startsWith("point:")) out.push(p.ids[0]); });
    return out; }"""
# True once some map in the page draws a buffer whose id starts with the argument.
BUFFER_DRAWN_JS = """(prefix) => [...document.querySelectorAll('iframe')].some(f => { try {
    const w = f.contentWindow; if (!w.map) return false; let found = false;
    w.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.layer === "buffers" && String(p.ids[0]).startsWith(prefix)) found = true; });
    return found; } catch (e) { return false; } })"""
# A point right of the buffer (fitted to the map's height), where Leaflet places it, and 3 px of tolerance.
TARGET_JS = """() => { const size = window.map.getSize(); const at = L.point(Math.round(size.x * 0.85), size.y / 2);
    const ll = window.map.containerPointToLatLng(at), off = window.map.containerPointToLatLng(at.add([3, 3]));
    return {x: at.x, y: at.y, lat: ll.lat, lng: ll.lng,
            dlat: Math.abs(off.lat - ll.lat), dlng: Math.abs(off.lng - ll.lng)}; }"""


def test_a_click_on_the_map_makes_a_neighbourhood_around_that_point(browser, tmp_path):
    env = {"INDUSTRIKART_STORE": str(tmp_path / "generated_layers.gpkg"), "DATABASE_URL": ""}
    with running_app(env=env) as url:
        page = OfflinePage(browser, url + "Portefolje?sites=park-malm&r=5")
        try:
            page.wait_for_text("Side om side", 60)
            page.page.wait_for_function(BUFFER_DRAWN_JS, arg="park-malm", timeout=60_000)
            run(page)
            frame = main_frame(page, ("park-malm",))
            target = frame.evaluate(TARGET_JS)
            frame.locator(".leaflet-container").first.click(position={"x": target["x"], "y": target["y"]})
            page.wait_for_text("Valgt punkt (", 60)
            page.page.wait_for_function(BUFFER_DRAWN_JS, arg="point:", timeout=60_000)
            ids = [i for f in page.page.frames if "streamlit_folium" in f.url for i in f.evaluate(POINT_BUFFERS_JS)]
            lat, lon = (float(v) for v in ids[0].removeprefix("point:").split(","))
            assert abs(lat - target["lat"]) <= target["dlat"] and abs(lon - target["lng"]) <= target["dlng"]
            page.page.wait_for_function("() => location.search.includes('pt=')", timeout=30_000)  # in the link
            assert page.unexpected_errors() == []
        finally:
            page.close()
