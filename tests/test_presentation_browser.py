"""In chromium: the slide fills a 1920 × 1080 screen's width at 16:9, «Rediger» is off the slide,
the legend folds away and never covers more than a quarter of the map, a popup opens above its circle, and the
standalone HTML export shows its title and subtitle on the map."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from analysis.filters import Filters, apply_filters
from exports.html import standalone_html
from exports.request import MapRequest
from tests.helpers.browser import OfflinePage, run, serve_file

pytestmark = pytest.mark.browser


@pytest.fixture
def slide(browser, app_url):
    page = OfflinePage(browser, app_url.rstrip("/") + "/?mode=present")
    page.page.set_viewport_size({"width": 1920, "height": 1080})
    yield page
    page.close()


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None
    return found


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_the_slide_fills_the_width_at_16_to_9(slide):
    slide.wait_for_features()
    frame = slide.map_frame()
    iframe = box(slide.page.locator('iframe[src*="streamlit_folium.st_folium"]').first)
    assert iframe["width"] >= 1800, iframe  # not a 1024 px column with white margins
    assert iframe["width"] / iframe["height"] == pytest.approx(16 / 9, rel=0.02)
    frame.wait_for_function("() => Math.abs(window.map.getSize().y - window.innerHeight) < 2", timeout=15_000)
    size = frame.evaluate("() => [window.map.getSize().x, window.map.getSize().y]")
    assert size[0] == pytest.approx(iframe["width"], abs=3) and size[1] == pytest.approx(iframe["height"], abs=3)

    edit = slide.page.get_by_role("button", name="Rediger")
    assert not overlaps(box(edit), iframe)  # «Rediger» is not on the map frame
    tools = slide.page.locator(".st-key-ik_present_tools")
    # unobtrusive until pointed at (no border), yet legible (its contrast: tests/test_browser_a11y.py)
    assert edit.evaluate("e => getComputedStyle(e).borderTopColor") == "rgba(0, 0, 0, 0)"
    assert tools.evaluate("e => getComputedStyle(e).opacity") == "1"
    assert box(slide.page.locator("h1").first)["y"] < iframe["y"]


def test_the_legend_folds_and_covers_at_most_a_quarter_of_the_map(slide):
    slide.wait_for_features()
    frame = slide.map_frame()
    map_w, map_h = frame.evaluate("() => [window.map.getSize().x, window.map.getSize().y]")
    legend = frame.locator(".ik-legend")
    rect = (
        "() => { const r = document.querySelector('.ik-legend').getBoundingClientRect(); return [r.width, r.height]; }"
    )
    # streamlit-folium writes the map's HTML into its frame: Leaflet's stylesheet can apply a moment after the
    # script ran, and until then a control is a full-width block (seen once in CI: 1856 px wide)
    frame.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-control-container .leaflet-right')).position"
        " === 'absolute'",
        timeout=15_000,
    )
    width, height = frame.evaluate(rect)
    assert 0 < width * height <= map_w * map_h / 4 and width <= map_w / 2 and height <= map_h / 2
    assert "Tegnforklaring" in legend.inner_text()
    frame.locator(".ik-legend-toggle").click()
    assert frame.evaluate(rect)[1] < 40 and "Tegnforklaring" not in legend.inner_text()
    frame.locator(".ik-legend-toggle").click()
    assert "Tegnforklaring" in legend.inner_text()


def test_a_popup_opens_above_its_circle(slide, portfolio):
    slide.wait_for_features()
    frame = slide.map_frame()
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
    # the map reports its new view, which reruns the page: the click below is made on the map that run leaves
    run(
        slide,
        lambda: frame.evaluate(f"() => {{ window.map.setView([{elkem.y}, {elkem.x}], 12, {{animate: false}}); }}"),
    )
    found = frame.evaluate(
        """() => { let best = null;
            window.map.eachLayer(l => { if (l.feature && l.feature.properties.layer === 'sources' && l.getRadius
                && (!best || l.getRadius() > best.getRadius())) best = l; });
            if (!best) return null;
            // a click on the lower half of the circle, as Leaflet hands it to the layer's bound popup
            const p = window.map.latLngToContainerPoint(best.getLatLng()).add([0, best.getRadius() / 2]);
            best.fire("click", {latlng: window.map.containerPointToLatLng(p), layer: best}, true);
            return true; }"""
    )
    assert found
    popup = frame.locator(".leaflet-popup")
    popup.wait_for(timeout=15_000)
    expect(popup).to_have_css("opacity", "1", timeout=15_000)  # faded in: where it stays
    map_box = frame.evaluate(
        "() => { const r = window.map.getContainer().getBoundingClientRect(); return [r.x, r.y]; }"
    )
    circle = frame.evaluate(
        """() => { let best = null;
            window.map.eachLayer(l => { if (l.feature && l.feature.properties.layer === 'sources' && l.getRadius
                && (!best || l.getRadius() > best.getRadius())) best = l; });
            const p = window.map.latLngToContainerPoint(best.getLatLng());
            return {x: p.x, y: p.y, r: best.getRadius()}; }"""
    )
    bottom = (
        frame.evaluate("() => document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect().bottom")
        - map_box[1]
    )  # both in the map frame's own coordinates
    content = {"bottom": bottom}
    assert bottom <= circle["y"] - circle["r"] + 1, (content, circle)  # the circle stays visible below


def test_the_standalone_html_shows_title_and_subtitle_on_the_map(browser, portfolio, tmp_path):
    view = apply_filters(portfolio, Filters(kommunenummer=("5059",)))
    hostile = "<b>Møte</b> {{ 7*191919 }}"
    document = standalone_html(
        view, MapRequest(basemap="none", title=hostile, subtitle="Orkland, " + date.today().isoformat())
    )
    map_name = re.search(r"var (map_[0-9a-f]+) = L\.map\(", document).group(1)
    path = tmp_path / "generated_titled_map.html"
    path.write_text(document, encoding="utf-8")
    with serve_file(path) as url:
        page = OfflinePage(browser, url)
        try:
            page.page.wait_for_function(f"() => window.{map_name} && window.L", timeout=30_000)
            title = page.page.locator("#ik-title")
            assert title.is_visible()
            assert title.locator("h1").inner_text() == hostile  # literal, never markup or a template
            assert "Orkland" in title.locator("p").inner_text()
            shown = box(title)
            assert shown["y"] < 80 and shown["x"] > 40  # on the map, beside the zoom buttons
            zoom = box(page.page.locator(".leaflet-control-zoom"))
            assert not overlaps(shown, zoom)
        finally:
            page.close()
