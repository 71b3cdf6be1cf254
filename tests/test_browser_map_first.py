"""The map first (ui/map_first.py) in Debian's chromium: a map page's first run sends its map and holds the rest
back until Leaflet has drawn it; then the page is drawn in full around the same map (not drawn anew). A map that
never reports still gets the whole page, after the fallback's time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import OfflinePage

pytestmark = pytest.mark.browser

# In every map frame: when its L.Map is made, note how many headings the page's main area already shows, and how
# wide the map's frame is then.
MAP_MADE_JS = """(() => {
  if (window.top === window) { window.__ikMapsMade = []; return; }
  let leaflet;
  Object.defineProperty(window, 'L', {configurable: true, get() { return leaflet; }, set(value) {
    leaflet = value;
    value.Map.addInitHook(function () {
      const top = window.top;
      top.__ikMapsMade.push({headings: top.document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stHeading"]').length,
        width: window.frameElement.getBoundingClientRect().width});
    });
  }});
})();"""
HEADING = '[data-testid="stMain"] [data-testid="stHeading"]'


def visit(browser) -> OfflinePage:
    page = OfflinePage(browser, "about:blank")
    page.context.add_init_script(MAP_MADE_JS)
    return page


@pytest.mark.parametrize(("path", "maps"), [("", 1), ("Utslipp", 2), ("Portefolje", 3)])
def test_the_map_is_made_before_the_rest_of_the_page_and_kept_when_it_follows(browser, app_url, path, maps):
    page = visit(browser)
    try:
        page.page.goto(app_url + path)
        expect(page.page.locator(HEADING).first).to_be_visible(timeout=90_000)  # the whole page follows
        page.page.wait_for_function("([n]) => window.__ikMapsMade.length >= n", arg=[maps], timeout=60_000)
        made = page.page.evaluate("() => window.__ikMapsMade")
        assert made[0]["headings"] == 0, made  # the first map was made while the page held the rest back
        assert len(made) == maps, made  # and no map was made twice: the full run kept each in its place
        expect(page.page.locator("iframe")).to_have_count(maps)
        # made at the width it keeps: the sidebar, whose elements the held run did not send, takes its place at once
        widths = page.page.evaluate(
            "() => [...document.querySelectorAll('iframe')].map(f => f.getBoundingClientRect().width)"
        )
        assert [m["width"] for m in made] == pytest.approx(widths, abs=1), (made, widths)
        assert page.unexpected_errors() == []
    finally:
        page.close()


def test_a_slide_s_map_is_made_at_the_slide_s_width_in_the_held_run(browser, app_url):
    """The slide's style sheet goes out with the held run: its map is made full width, not first beside a sidebar
    that the style hides a moment later (which drew it again at another size)."""
    page = visit(browser)
    try:
        page.page.set_viewport_size({"width": 1920, "height": 1080})
        page.page.goto(app_url + "?mode=present")
        expect(page.page.locator(HEADING).first).to_be_visible(timeout=90_000)
        page.page.wait_for_function("() => window.__ikMapsMade.length >= 1", timeout=60_000)
        made = page.page.evaluate("() => window.__ikMapsMade")
        assert made[0]["headings"] == 0, made  # made in the held run
        assert made[0]["width"] >= 1800, made  # no sidebar beside it (1443 px with one)
    finally:
        page.close()


def test_a_map_that_never_reports_still_gets_the_whole_page(browser, app_url):
    page = visit(browser)
    try:
        page.page.route("**/vendor/leaflet/leaflet.js", lambda route: route.abort())  # the map cannot draw
        page.page.goto(app_url)
        expect(page.page.locator(HEADING).first).to_be_visible(timeout=90_000)
        expect(page.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first).to_be_visible()
        assert page.page.evaluate("() => window.__ikMapsMade.length") == 0
    finally:
        page.close()
