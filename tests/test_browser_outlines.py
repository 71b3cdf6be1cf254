"""The bundled outlines in Debian's chromium: drawn with the map, from the script the frame loads with Leaflet
(static/outlines/outlines.js), not after a fetch of their GeoJSON."""

from __future__ import annotations

import pytest

from tests.helpers.browser import OfflinePage

pytestmark = pytest.mark.browser

# In every map frame: right after the script that made the L.Map (a microtask runs once it ends), how many
# layers the map has in the outlines' pane.
OUTLINES_AT_INIT_JS = """(() => {
  if (window.top === window) return;
  let leaflet;
  Object.defineProperty(window, 'L', {configurable: true, get() { return leaflet; }, set(value) {
    leaflet = value;
    value.Map.addInitHook(function () {
      queueMicrotask(() => { window.__ikOutlinesAtInit = Object.values(this._layers)
        .filter(l => l.options && l.options.pane === 'ikOutlines').length; });
    });
  }});
})();"""
OUTLINE_LAYERS_JS = (
    "(maps) => maps.length && Object.values(maps[0].map._layers)"
    ".filter(l => l.options && l.options.pane === 'ikOutlines').length"
)
GEOJSON_FETCHED_JS = "() => performance.getEntriesByType('resource').filter(r => r.name.endsWith('.geojson')).length"
MUNICIPALITIES = 38


def test_the_outlines_are_drawn_with_the_map_not_after_a_fetch(browser, app_url):
    page = OfflinePage(browser, "about:blank")
    try:
        page.context.add_init_script(OUTLINES_AT_INIT_JS)
        page.page.goto(app_url)
        drawn = page.wait_for_maps(
            f"(maps) => {{ const n = ({OUTLINE_LAYERS_JS})(maps); return n > {MUNICIPALITIES} && n; }}"
        )
        frame = page.map_frame()
        assert frame.evaluate("() => window.__ikOutlinesAtInit") == drawn  # all of them, in the map's own task
        assert frame.evaluate(GEOJSON_FETCHED_JS) == 0
        assert page.unexpected_errors() == []
    finally:
        page.close()
