"""Serve Leaflet from this app instead of a CDN, so vector layers (and the outlines under them) draw with no network."""

from __future__ import annotations

import re

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from config import BUNDLED_OUTLINES_SCRIPT, LEAFLET_CSS, LEAFLET_JS, PROTOMAPS_JS, STATIC_DIR
from maps.outlines import outlines, outlines_url

# The other scripts vendored under static/ (from the npm registry) that a map may ask for by name.
VENDORED_JS = {"protomaps_leaflet": PROTOMAPS_JS}


# folium writes `<meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1.0,
# user-scalable=no">` into every map's page: readers could not zoom the map's page on a phone (WCAG 1.4.4).
_ZOOM_LOCK = re.compile(r'<meta name="viewport"[^>]*>')
ZOOMABLE_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
# A visible focus ring on the map and its controls (WCAG 2.4.7), drawn inside the map: the map fills its frame, so
# the browser's own ring, outside it, would be cut off at the frame's edge. Constant CSS, no user text.
FOCUS_CSS = """<style>
.leaflet-container:focus-visible {outline: 3px solid #0b5cad !important; outline-offset: -3px !important}
.leaflet-container a:focus-visible, .leaflet-container button:focus-visible, .ik-legend-body:focus-visible
  {outline: 2px solid #0b5cad !important; outline-offset: 1px !important}
</style>"""


# Esc closes the tooltips a pointer opened (WCAG 1.4.13: content on hover can be dismissed without moving the
# pointer), wherever the keyboard focus is: in the map's frame, or in the app's page around it (the usual case:
# the pointer is over the map, the focus is not). Leaflet's own Esc closes only a popup, only while the map has
# the focus. A frame that is gone drops out of the page's list. Constant script, in the map's own script: the
# frame's header is added as HTML, where scripts do not run.
class EscapeClosesTooltips(MacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  function closeTips() {
    if (window.parent !== window && !window.frameElement) { throw new Error("this map's frame is gone"); }
    Object.keys(window).forEach(function (name) {
      var map = window[name];
      if (!window.L || !(map instanceof L.Map)) { return; }
      map.eachLayer(function (layer) {  // the hover tooltips, not the names shown as permanent labels
        var tip = layer.getTooltip && layer.getTooltip();
        if (tip && !tip.options.permanent) { layer.closeTooltip(); }
      });
    });
  }
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { closeTips(); } });
  try {
    var page = window.parent;
    if (page === window) { return; }
    if (!page.__ikEscape) {
      page.__ikEscape = [];
      page.document.addEventListener("keydown", function (e) {
        if (e.key !== "Escape") { return; }
        page.__ikEscape = page.__ikEscape.filter(function (close) {
          try { close(); return true; } catch (err) { return false; }
        });
      });
    }
    page.__ikEscape.push(closeTips);
  } catch (err) {}  // a page of another origin: Esc in the map's own frame only
})();
{% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        self._name = "EscapeClosesTooltips"


class ZoomableMap(folium.Map):
    """folium's Map whose page lets the reader zoom (pinch or browser zoom): its viewport sets no maximum scale
    and does not forbid scaling; shows where the keyboard focus is (FOCUS_CSS); closes its tooltips on Esc
    (EscapeClosesTooltips). Every map of this app is one
    (maps/build.new_map, the upload preview)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_child(EscapeClosesTooltips(), name="ik_escape_closes_tooltips")

    def render(self, **kwargs):
        super().render(**kwargs)
        header = _ZOOM_LOCK.sub(ZOOMABLE_VIEWPORT + FOCUS_CSS, self._template.module.__dict__["header"](self, kwargs))
        # under the same name: replaces, in its place, the header folium has just added
        self.get_root().header.add_child(Element(header), name=self.get_name())


class OfflineAssetError(RuntimeError):
    """A map element wants a JS/CSS file that is not vendored under static/."""


def use_local_assets(
    m: folium.Map,
    static_url: str = "/app/static",
    vendored_js: tuple[str, ...] = (),
    inline_ground: bool = False,
) -> folium.Map:
    """Point the map's JS/CSS at the vendored Leaflet under `static_url`, plus the `vendored_js` named
    in VENDORED_JS (loaded after Leaflet; each must exist under static/), and lay the bundled outlines
    under it (fetched from `static_url`, or inline for a file that must open on its own).

    folium's Map also asks for jQuery, Bootstrap and Awesome Markers from CDNs; the maps here
    use none of them, so they are dropped. Any other element that brings its own assets is an
    error: it would silently break the map offline.
    """
    base = static_url.rstrip("/")
    for name in vendored_js:
        if name not in VENDORED_JS or not (STATIC_DIR / VENDORED_JS[name]).is_file():
            raise OfflineAssetError(f"{name!r} is not a script vendored under static/")
    m.default_js = [("leaflet", f"{base}/{LEAFLET_JS}"), *((n, f"{base}/{VENDORED_JS[n]}") for n in vendored_js)]
    m.default_css = [("leaflet_css", f"{base}/{LEAFLET_CSS}")]
    ground = outlines(base, inline=inline_ground)
    if ground is not None:
        m.add_child(ground, name="ik_outlines")  # one ground per map, however often this is called
        if not inline_ground and BUNDLED_OUTLINES_SCRIPT.is_file():  # drawn with the map, not after a fetch
            m.default_js.append(("ik_outlines", outlines_url(base, BUNDLED_OUTLINES_SCRIPT)))
    for element in _walk(m):
        if element is m:
            continue
        links = getattr(element, "default_js", []) + getattr(element, "default_css", [])
        if links:
            raise OfflineAssetError(f"{type(element).__name__} needs {[url for _, url in links]}; vendor them first")
    return m


def external_links(links: list[str]) -> list[str]:
    """The links that would need the network (anything with a scheme or a protocol-relative URL)."""
    return [link for link in links if "://" in link or link.startswith("//")]


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)
