"""The prepared view survives, in chromium: prepare a view, switch, reopen the link in a fresh
browser context, and compare Leaflet's own centre and zoom."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

import config
from i18n import t
from maps.highlight import HIGHLIGHT_CLASS
from tests.helpers.browser import OfflinePage, choose, run, shared_link
from ui.map_focus import area_view, bundled_boxes

pytestmark = pytest.mark.browser

LEAFLET_VIEW = "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
RINGS_IN = (  # the highlight rings on the map in the given window
    "(window) => { const out = []; window.map.eachLayer(l => { if (l.options && l.options.className === '"
    + HIGHLIGHT_CLASS
    + "' && l.getLatLng) out.push([l.getLatLng().lat, l.getLatLng().lng]); }); return out; }"
)
RINGS = f"() => ({RINGS_IN})(window)"


def pixels(zoom: int, n: float = 1.5) -> float:
    """n pixels in degrees of longitude at `zoom`: Leaflet keeps a centre to the pixel (a resized frame
    shifts it by up to half of one), so views are compared to that precision."""
    return n * 360 / (256 * 2**zoom)


def same_view(view, expected) -> bool:
    return (
        bool(view) and view[2] == expected[2] and view[:2] == pytest.approx(list(expected[:2]), abs=pixels(expected[2]))
    )


def leaflet_view(page: OfflinePage) -> list[float]:
    return page.map_frame().evaluate(LEAFLET_VIEW)


def wait_for_view(page: OfflinePage, expected, timeout_s: float = 20) -> list[float]:
    """Leaflet's centre and zoom once they are `expected` (lat, lon, zoom), else the assertion fails."""
    lat, lon, zoom = expected
    view = page.wait_for_maps(
        "(maps, [lat, lon, zoom, tolerance]) => { const m = maps[0].map, c = m.getCenter();"
        " return m.getZoom() === zoom && Math.abs(c.lat - lat) <= tolerance && Math.abs(c.lng - lon) <= tolerance"
        " && [c.lat, c.lng, m.getZoom()]; }",
        [lat, lon, zoom, pixels(zoom)],
        timeout_s=timeout_s,
        what=f"Leaflet never showed {expected}",
    )
    assert same_view(view, expected), view
    return view


def stays(page: OfflinePage, expected, seconds: float = 3.0) -> None:
    """The view is still `expected` once the app has run nothing for `seconds` (nothing snaps it elsewhere later)."""
    run(page, quiet_s=seconds)
    view = leaflet_view(page)
    assert same_view(view, expected), view


def link_view(page: OfflinePage) -> tuple[float, float, int] | None:
    return view_in(page.page.url)


def view_in(url: str) -> tuple[float, float, int] | None:
    values = parse_qs(urlparse(url).query).get("view")
    if not values:
        return None
    lat, lon, zoom = values[0].split(",")
    return float(lat), float(lon), int(zoom)


def wait_for_link_view(page: OfflinePage, expected, timeout_s: float = 20) -> tuple[float, float, int]:
    try:
        page.page.wait_for_url(lambda url: same_view(view_in(url), expected), timeout=timeout_s * 1000)
    except PlaywrightTimeoutError:
        raise AssertionError(f"the link says view={link_view(page)}, the screen {expected}") from None
    return link_view(page)


def move_to(page: OfflinePage, lat: float, lon: float, zoom: int) -> None:
    run(page)  # not while a rerun is under way: the move must reach the link
    page.map_frame().evaluate(f"() => {{ window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); }}")
    wait_for_link_view(page, (lat, lon, zoom))


def reopen(browser, url: str, expected) -> OfflinePage:
    """The link in a new context (no cookies, no session): Leaflet shows `expected` and keeps it."""
    fresh = OfflinePage(browser, url)
    wait_for_view(fresh, expected)
    stays(fresh, expected)
    return fresh


def set_presentation(page: OfflinePage, on: bool) -> None:
    run(page)
    if on:
        sidebar = page.page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Presentasjon", exact=True).click()
        switch = sidebar.get_by_text("Presentasjonsmodus")
        switch.wait_for(timeout=10_000)
        run(page)  # the expander has opened and nothing reruns: the switch's change cannot be swallowed
        switch.click()
        page.page.wait_for_url("**mode=present**", timeout=30_000)
    else:
        page.page.get_by_role("button", name="Rediger").click()
        page.page.get_by_text("Presentasjonsmodus").click()
        page.page.wait_for_url(lambda url: "mode=present" not in url, timeout=20_000)
        assert "mode=present" not in page.page.url


def search_for(page: OfflinePage, text: str) -> None:
    run(page)
    box = page.page.locator('[data-testid="stSidebar"]').get_by_role("textbox", name="Søk etter navn")
    box.fill(text)
    box.press("Enter")


def test_presentation_mode_keeps_the_view_on_and_off_and_in_the_link(browser, app_url):
    prepared = (63.4, 10.4, 9)
    page = OfflinePage(browser, app_url)
    try:
        page.wait_for_features()
        move_to(page, *prepared)
        set_presentation(page, True)
        wait_for_view(page, prepared)
        stays(page, prepared)
        assert same_view(link_view(page), leaflet_view(page))
        presented = page.page.url
        set_presentation(page, False)
        wait_for_view(page, prepared)
        stays(page, prepared)
        assert same_view(link_view(page), leaflet_view(page))
        expect(page.page.locator('[data-testid="stSidebar"]')).to_be_visible()  # the slide's style sheet went with it
        assert page.unexpected_errors() == []
    finally:
        page.close()
    fresh = reopen(browser, presented, prepared)
    try:
        assert fresh.page.locator('[data-testid="stSidebar"]').is_hidden()  # it opened presenting
    finally:
        fresh.close()


def test_a_links_view_wins_over_its_search_and_selection_and_the_selection_is_highlighted(browser, app_url, portfolio):
    shared = (63.32085, 9.87834, 12)
    url = f"{app_url}?kn=5059&q=Elkem&view=63.32085,9.87834,12&sel=sources:src-elkem-thamshavn"
    page = reopen(browser, url, shared)
    try:
        page.wait_for_text("Elkem Thamshavn")
        assert same_view(link_view(page), shared)
        elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
        rings = page.map_frame().evaluate(RINGS)
        assert rings == [pytest.approx([elkem.y, elkem.x], abs=1e-6)]
        assert page.unexpected_errors() == []
    finally:
        page.close()


def test_after_a_search_without_a_match_the_link_still_describes_the_screen(browser, app_url, portfolio):
    malm = portfolio.parks.set_index("id").loc["park-malm"].geometry
    at_malm = (malm.y, malm.x, config.SEARCH_ZOOM)
    page = OfflinePage(browser, app_url)
    try:
        page.wait_for_features()
        search_for(page, "Malm")
        wait_for_view(page, at_malm)
        wait_for_link_view(page, at_malm)
        search_for(page, "xyzzy")
        page.wait_for_text("Ingen treff for «xyzzy».")
        stays(page, leaflet_view(page))
        shown = leaflet_view(page)
        assert shown[:2] == pytest.approx([malm.y, malm.x], abs=1e-3) and shown[2] == config.SEARCH_ZOOM
        wait_for_link_view(page, shown)
        link = page.page.url
        assert page.unexpected_errors() == []
    finally:
        page.close()
    reopen(browser, link, shown).close()


def test_choosing_a_municipality_zooms_to_it_and_the_link_keeps_it(browser, app_url):
    orkland = area_view(("5059",), bundled_boxes())
    page = OfflinePage(browser, app_url)
    try:
        page.wait_for_features()
        choose(page, "Kommune", "Orkland (5059)")
        wait_for_view(page, orkland)
        stays(page, orkland)
        wait_for_link_view(page, leaflet_view(page))
        link = page.page.url
    finally:
        page.close()
    reopen(browser, link, orkland).close()


def test_a_clicked_feature_is_highlighted(browser, app_url, portfolio):
    page = OfflinePage(browser, app_url)
    try:
        page.wait_for_features()
        park = portfolio.parks.set_index("id").loc["park-fiborgtangen"]
        point = park.geometry
        move_to(page, point.y, point.x, 13)
        page.page.mouse.click(*page.map_point(point.y, point.x))
        page.wait_for_text(park["name"])
        rings = page.wait_for_maps(
            f"(maps) => {{ const rings = ({RINGS_IN})(maps[0]); return rings.length > 0 && rings; }}",
            timeout_s=20,
            what="no ring was drawn",
        )
        assert rings == [pytest.approx([point.y, point.x], abs=1e-6)]
        assert "sel=parks%3Apark-fiborgtangen" in page.page.url
        assert leaflet_view(page)[2] == 13  # the selection did not zoom the map (the popup may pan it)
        popup = page.map_frame().locator(".leaflet-popup-content")  # redrawn with the highlight, still open
        popup.wait_for(timeout=10_000)
        assert park["name"] in popup.inner_text()
    finally:
        page.close()


def test_choosing_a_municipality_after_moving_the_map_leaves_the_view_alone(browser, app_url):
    moved = (63.5, 10.2, 10)
    page = OfflinePage(browser, app_url)
    try:
        page.wait_for_features()
        move_to(page, *moved)
        choose(page, "Kommune", "Orkland (5059)")
        page.page.wait_for_url("**kn=5059**", timeout=20_000)
        stays(page, moved)
        assert same_view(link_view(page), moved)
    finally:
        page.close()


FIRE_AND_COUNT = f"""([layer, id]) => {{
  const features = () => {{ let n = 0; window.map.eachLayer(l => {{ if (l.feature) n++; }}); return n; }};
  let target = null;
  window.map.eachLayer(l => {{ const p = l.feature && l.feature.properties;
    if (p && p.layer === layer && (p.ids || []).includes(id)) target = l; }});
  const before = features();
  target.fire("click", {{latlng: target.getLatLng ? target.getLatLng() : target.getBounds().getCenter()}}, true);
  const rings = [];  // in the same task as the click: no rerun can have answered yet
  window.map.eachLayer(l => {{ if (l.options && l.options.className === '{HIGHLIGHT_CLASS}' && l.getLatLng)
    rings.push([l.getLatLng().lat, l.getLatLng().lng]); }});
  return {{rings: rings, features_before: before, features_after: features()}};
}}"""


def test_a_click_is_marked_at_once_in_the_browser_and_the_servers_highlight_replaces_it(browser, app_url, portfolio):
    park = portfolio.parks.set_index("id").loc["park-fiborgtangen"].geometry
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
    page = OfflinePage(browser, app_url + "?sel=parks:park-fiborgtangen")
    try:
        page.wait_for_features()
        assert page.map_frame().evaluate(RINGS) == [pytest.approx([park.y, park.x], abs=1e-6)]  # the server's
        run(page)
        at_once = page.map_frame().evaluate(FIRE_AND_COUNT, ["sources", "src-elkem-thamshavn"])
        assert at_once["rings"] == [pytest.approx([elkem.y, elkem.x], abs=1e-6)]  # the old ring gone, a new one
        assert at_once["features_after"] == at_once["features_before"]  # the ring is no feature of the map
        page.wait_for_text("Elkem Thamshavn")
        page.page.wait_for_url("**sel=sources%3Asrc-elkem-thamshavn**", timeout=20_000)
        run(page)
        assert page.map_frame().evaluate(RINGS) == [pytest.approx([elkem.y, elkem.x], abs=1e-6)]  # one, not two
        assert page.unexpected_errors() == []
    finally:
        page.close()


SHOWN_ON_MAP = "([lat, lon]) => window.map.getBounds().contains([lat, lon])"
PIXEL_IN_PAGE = (
    "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); "
    "const r = document.getElementById('map_div').getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }"
)


def record_column(page: OfflinePage):
    """The column beside the map that holds the clicked feature's record."""
    heading = page.page.get_by_role("heading", name=t("record", "nb"))
    return page.page.locator('[data-testid="stColumn"]', has=heading)


def test_a_shared_link_of_a_clicked_plant_opens_with_the_plant_on_the_map_and_its_record(browser, app_url, portfolio):
    """A plant clicked near the map's top edge, whose popup opens above it and pans the map, then
    the link from the share box in a fresh browser: the plant inside Leaflet's bounds, ringed, its record shown."""
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"]
    point, name = elkem.geometry, elkem["facility"]
    page = OfflinePage(browser, app_url)
    try:
        page.wait_for_features()
        move_to(page, point.y, point.x, 11)
        frame = page.map_frame()
        frame.evaluate("() => window.map.panBy([0, 270], {animate: false})")  # Elkem ~40 px below the top edge
        before = wait_for_link_view(page, leaflet_view(page))
        x, y = frame.evaluate(PIXEL_IN_PAGE, [point.y, point.x])
        box = page.page.locator("iframe").first.bounding_box()
        run(page)
        page.page.mouse.click(box["x"] + x, box["y"] + y)
        expect(record_column(page)).to_contain_text(name, timeout=30_000)
        page.page.wait_for_url("**sel=sources%3Asrc-elkem-thamshavn**", timeout=30_000)
        if page.map_frame().locator(".leaflet-popup").count():  # where Kart opens a popup, it moved the map
            assert not same_view(leaflet_view(page), before)
        run(page)
        link = shared_link(page)
        assert "sel=sources%3Asrc-elkem-thamshavn" in link
        assert page.unexpected_errors() == []
    finally:
        page.close()

    fresh = OfflinePage(browser, link)  # a new context: no cookies, no session, only the link
    try:
        expect(record_column(fresh)).to_contain_text(name, timeout=30_000)
        fresh.wait_for_features("f => f.some(p => p.layer === 'sources')")
        run(fresh)
        shown = fresh.map_frame()
        assert shown.evaluate(SHOWN_ON_MAP, [point.y, point.x]), shown.evaluate("() => window.map.getBounds()")
        assert leaflet_view(fresh)[2] == 11  # the sender's zoom
        assert shown.evaluate(RINGS) == [pytest.approx([point.y, point.x], abs=1e-6)]
        assert fresh.unexpected_errors() == []
    finally:
        fresh.close()


def test_the_filter_view_and_selection_survive_a_visit_to_utslipp(browser, app_url, portfolio):
    """Kart → Utslipp → Kart through the page menu keeps the municipality, the map where the user
    left it, and the clicked feature's record and ring."""
    moved = (63.3, 9.9, 11)
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
    page = OfflinePage(browser, app_url + "?sel=sources:src-elkem-thamshavn")
    sidebar = page.page.locator('[data-testid="stSidebar"]')
    try:
        page.wait_for_features()
        choose(page, "Kommune", "Orkland (5059)")
        page.page.wait_for_url("**kn=5059**", timeout=20_000)
        wait_for_view(page, area_view(("5059",), bundled_boxes()))
        move_to(page, *moved)
        run(page)
        sidebar.get_by_role("link", name=t("nav_emissions", "nb"), exact=True).click()
        page.wait_for_text(t("em_page_title", "nb"), timeout_s=60)
        run(page)
        sidebar.get_by_role("link", name=t("nav_map", "nb"), exact=True).click()
        page.page.wait_for_url("**kn=5059**", timeout=30_000)
        expect(sidebar.get_by_text("Orkland (5059)")).to_be_visible()
        wait_for_view(page, moved)
        stays(page, moved)
        wait_for_link_view(page, moved)
        expect(record_column(page)).to_contain_text("Elkem Thamshavn", timeout=30_000)
        assert page.map_frame().evaluate(RINGS) == [pytest.approx([elkem.y, elkem.x], abs=1e-6)]
        assert page.unexpected_errors() == []
    finally:
        page.close()
