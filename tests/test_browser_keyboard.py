"""The map by keyboard and by screen reader, in a real browser: Tab reaches the map and leaves it, the map pans and
zooms by keys, a feature chosen from the list of features in view is selected as a click selects it, and the map
has the name and description a screen reader reads (WCAG 2.1.1, 2.1.2, 1.1.1, 4.1.2)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from analysis.filters import Filters, apply_filters
from analysis.in_view import features_in_view
from i18n import t
from tests.helpers.browser import OfflinePage, run
from tests.test_browser_view import RINGS_IN
from ui.feature_list import map_description

pytestmark = pytest.mark.browser

ALL_LAYERS = frozenset({"parks", "sources", "members"})
# Where the keyboard focus is: "map" (Leaflet's container in the map's frame), "frame" (elsewhere in that frame),
# "page" (the app's own document), as seen from the app's page.
FOCUS_JS = """() => { const active = document.activeElement;
    if (!active || active.tagName !== 'IFRAME' || !String(active.src).includes('streamlit_folium')) return 'page';
    const inner = active.contentDocument && active.contentDocument.activeElement;
    return inner && inner.classList.contains('leaflet-container') ? 'map' : 'frame'; }"""


def ready(page: OfflinePage):
    page.wait_for_features()
    run(page)
    return page.map_frame()


def tab_until(page: OfflinePage, where: str, most: int) -> int:
    """Press Tab until the focus is `where` (FOCUS_JS); the number of presses. Fails after `most`."""
    for presses in range(1, most + 1):
        page.page.keyboard.press("Tab")
        if page.page.evaluate(FOCUS_JS) == where:
            return presses
    raise AssertionError(f"{most} presses of Tab never reached {where}")


def test_tab_reaches_the_map_keys_pan_and_zoom_it_and_tab_leaves_it(page):
    frame = ready(page)
    page.page.locator("body").focus()
    tab_until(page, "map", 150)  # past the sidebar's controls and the key figures
    zoom = frame.evaluate("() => window.map.getZoom()")
    lng = frame.evaluate("() => window.map.getCenter().lng")
    page.page.keyboard.press("+")
    frame.wait_for_function(f"() => window.map.getZoom() > {zoom}", timeout=15_000)
    page.page.keyboard.press("ArrowRight")
    frame.wait_for_function(f"() => window.map.getCenter().lng > {lng}", timeout=15_000)
    assert page.page.evaluate(FOCUS_JS) == "map"  # the keys moved the map, the focus stayed on it
    # no trap: the map's own controls (zoom, legend), then out of the frame to the list beside it
    tab_until(page, "page", 20)
    focused = page.page.evaluate("() => document.activeElement.closest('[data-testid]')?.dataset.testid || ''")
    assert focused  # the next control of the page, not nowhere


def test_a_feature_chosen_from_the_list_by_keyboard_is_selected_as_a_click_selects_it(page, portfolio):
    ready(page)
    park = portfolio.parks.set_index("id").loc["park-fiborgtangen"]
    picker = page.page.get_by_role("combobox", name=re.compile("^I kartutsnittet"))
    picker.focus()
    run(page, lambda: (page.page.keyboard.type(park["name"][:12]), page.page.keyboard.press("Enter")))
    page.wait_for_text(park["name"])  # the record panel
    point = park.geometry.representative_point()
    rings = page.wait_for_maps(
        f"(maps) => {{ const rings = ({RINGS_IN})(maps[0]); return rings.length > 0 && rings; }}",
        timeout_s=20,
        what="no ring was drawn",
    )
    assert all(abs(lat - point.y) < 0.05 and abs(lon - point.x) < 0.05 for lat, lon in rings)
    page.page.wait_for_url("**sel=parks%3Apark-fiborgtangen**", timeout=20_000)  # the link keeps it
    expect(picker).to_have_value(re.compile(re.escape(park["name"])))  # what a reader hears the box says


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_map_has_a_name_and_a_description_a_screen_reader_reads(browser, app_url, portfolio, lang):
    page = OfflinePage(browser, app_url + ("?lang=en" if lang == "en" else ""))
    try:
        frame = ready(page)
        name = t("map_name_overview", lang)
        features = features_in_view(apply_filters(portfolio, Filters()), ALL_LAYERS)
        description = map_description(features, Filters(), portfolio, lang)
        expect(page.page.locator('iframe[src*="streamlit_folium"]')).to_have_attribute("title", name)
        box = frame.locator(".leaflet-container")
        expect(box).to_have_attribute("role", "region")
        expect(box).to_have_accessible_name(name)
        expect(box).to_have_accessible_description(description)
        tree = frame.locator("body").aria_snapshot()
        assert f'region "{name}"' in tree
        assert f'button "{t("map_zoom_in", lang)}"' in tree  # Leaflet's zoom buttons in the page's language
        print(f"\n[{lang}] the map frame as a screen reader gets it:\n{tree[:1200]}")
    finally:
        page.close()


def test_utslipp_lists_the_facilities_on_its_map_and_a_choice_shows_the_series(browser, app_url, portfolio):
    page = OfflinePage(browser, app_url + "Utslipp")
    try:
        page.wait_for_features()
        run(page)
        picker = page.page.get_by_role("combobox", name=re.compile("^I kartutsnittet"))
        picker.focus()
        run(page, lambda: (page.page.keyboard.type("Elkem Thams"), page.page.keyboard.press("Enter")))
        page.wait_for_text(t("em_series_title", "nb", facility="Elkem Thamshavn"))
        page.page.wait_for_url("**sel=src-elkem-thamshavn**", timeout=20_000)
    finally:
        page.close()


def test_esc_closes_a_tooltip_the_pointer_opened(page, portfolio):
    """WCAG 1.4.13: content shown on hover can be dismissed without moving the pointer."""
    frame = ready(page)
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
    run(page, lambda: frame.evaluate(f"() => window.map.setView([{elkem.y}, {elkem.x}], 12, {{animate: false}})"))
    page.page.mouse.move(*page.map_point(elkem.y, elkem.x))
    frame = page.map_frame()
    tooltip = frame.locator(".leaflet-tooltip:not(.ik-label)")  # not the names shown from zoom 11 on
    expect(tooltip).to_have_count(1, timeout=15_000)
    expect(tooltip).to_contain_text("Elkem Thamshavn")
    labels = frame.locator(".leaflet-tooltip.ik-label").count()
    assert labels > 0
    page.page.keyboard.press("Escape")  # the pointer stays where it is
    expect(tooltip).to_have_count(0, timeout=10_000)
    assert frame.locator(".leaflet-tooltip.ik-label").count() == labels  # the names stay
