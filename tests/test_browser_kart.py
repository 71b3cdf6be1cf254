"""Kart's readable map in a real browser: a brief popup drawn over the legend, a legend that folds by
keyboard, names from zoom 11 on, the chosen municipality outlined, and the map's top on a laptop's first screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import config
from analysis.filters import Filters, apply_filters
from analysis.kpi import key_figures
from i18n import fmt_tonnes, key_figure_label
from tests.helpers.browser import OfflinePage, choose, run

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'
ELKEM = "src-elkem-thamshavn"


def ready(page):
    """The map drawn and the runs its first reply starts finished (input during a run can be lost)."""
    page.wait_for_features()
    run(page)
    frame = page.map_frame()
    # Leaflet's stylesheet can apply a moment after the script ran; until then a control is a full-width block
    frame.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-control-container .leaflet-right')).position"
        " === 'absolute'",
        timeout=15_000,
    )
    return frame


def elkem_point(portfolio):
    point = portfolio.sources.set_index("id").loc[ELKEM].geometry
    return point.y, point.x


def test_a_brief_popup_is_drawn_over_the_legend(page, portfolio):
    frame = ready(page)
    lat, lon = elkem_point(portfolio)
    run(page, lambda: frame.evaluate(f"() => window.map.setView([{lat}, {lon}], 12, {{animate: false}})"))
    frame = page.map_frame()
    # Elkem's circle just inside the legend's top-left corner: its popup opens above the circle, across the
    # legend's top edge
    opened = frame.evaluate(
        """(id) => { const map = window.map; let hit = null;
            map.eachLayer(l => { const p = l.feature && l.feature.properties;
                if (p && p.layer === 'sources' && p.ids.includes(id)) hit = l; });
            if (!hit) return false;
            const legend = document.querySelector('.ik-legend').getBoundingClientRect();
            const box = map.getContainer().getBoundingClientRect();
            const want = L.point(legend.left - box.left + 60, legend.top - box.top + hit.getRadius() + 50);
            map.panBy(map.latLngToContainerPoint(hit.getLatLng()).subtract(want), {animate: false});
            hit.fire('click', {latlng: hit.getLatLng(), layer: hit}, true);
            return true; }""",
        ELKEM,
    )
    assert opened
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_be_visible(timeout=30_000)
    kpi = key_figures(apply_filters(portfolio, Filters()))
    expect(popup).to_contain_text(f"{key_figure_label(kpi, 'nb')}: {fmt_tonnes(kpi.figure_of(ELKEM), 'nb')}")
    found = frame.evaluate(
        """() => { const p = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
            const l = document.querySelector('.ik-legend').getBoundingClientRect();
            const left = Math.max(p.left, l.left), right = Math.min(p.right, l.right);
            const top = Math.max(p.top, l.top), bottom = Math.min(p.bottom, l.bottom);
            const size = window.map.getSize();
            if (right - left < 4 || bottom - top < 4) return {overlap: false, popup: [p.width, p.height]};
            const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
            return {overlap: true, inPopup: !!hit.closest('.leaflet-popup'), inLegend: !!hit.closest('.ik-legend'),
                    popup: [p.width, p.height], map: [size.x, size.y]}; }"""
    )
    assert found["overlap"], found  # the setup put the popup across the legend
    assert found["inPopup"] and not found["inLegend"], found
    width, height = found["popup"]
    assert width * height < found["map"][0] * found["map"][1] / 10, found  # small: name and the one figure


def test_the_legend_folds_and_unfolds_by_keyboard(page):
    frame = ready(page)
    toggle = frame.locator(".ik-legend-toggle")
    body = frame.locator(".ik-legend-body")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_have_attribute("aria-label", "Skjul tegnforklaringen")
    assert frame.evaluate(
        "() => { const t = document.querySelector('.ik-legend-toggle');"
        " return document.getElementById(t.getAttribute('aria-controls')) !== null; }"
    )
    toggle.focus()
    page.page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(body).to_be_hidden()
    expect(toggle).to_have_attribute("aria-label", "Vis tegnforklaringen")
    page.page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(body).to_be_visible()


def test_key_points_are_named_from_zoom_11_on(page, portfolio):
    frame = ready(page)
    lat, lon = elkem_point(portfolio)
    park = portfolio.parks.set_index("id").loc["park-fiborgtangen", "name"]
    run(
        page,
        lambda: frame.evaluate(
            f"() => window.map.setView([{lat}, {lon}], {config.LABEL_MIN_ZOOM - 2}, {{animate: false}})"
        ),
    )
    elkem_label = frame.locator(".ik-label", has_text="Elkem Thamshavn")
    expect(frame.locator(".ik-label")).to_have_count(0)  # not made while they would be hidden
    frame.evaluate(f"() => window.map.setView([{lat}, {lon}], {config.LABEL_MIN_ZOOM}, {{animate: false}})")
    expect(elkem_label).to_be_visible()
    expect(frame.locator(".ik-label", has_text=park)).to_have_count(1)  # parks are named too
    frame.evaluate(f"() => window.map.setZoom({config.LABEL_MIN_ZOOM - 1}, {{animate: false}})")
    expect(elkem_label).to_have_count(1)  # kept, hidden: their size and place stay
    expect(elkem_label).to_be_hidden()
    assert page.unexpected_errors() == []


def test_a_map_opened_close_in_names_its_key_points_at_once(browser, app_url, portfolio):
    lat, lon = elkem_point(portfolio)
    page = OfflinePage(browser, f"{app_url}?view={lat},{lon},{config.LABEL_MIN_ZOOM + 1}")
    try:
        frame = page.map_frame()
        expect(frame.locator(".ik-label", has_text="Elkem Thamshavn")).to_be_visible(timeout=30_000)
        assert page.unexpected_errors() == []
    finally:
        page.close()


def test_the_chosen_municipality_is_outlined(page):
    frame = ready(page)
    frame.wait_for_function("() => window.ikOutlines && window.ikOutlines.chosen().length === 0")
    choose(page, "Kommune", "Orkland (5059)")
    frame = page.map_frame()
    frame.wait_for_function("() => window.ikOutlines.chosen().join(',') === '5059'", timeout=30_000)
    expect(frame.locator(".ik-legend")).to_contain_text("Valgt kommune")
    # the outline is where Orkland is: its bounds hold Orkanger
    assert frame.evaluate(
        """() => { let inside = false; window.map.eachLayer(l => {
            if (l.feature && l.feature.properties.kommunenummer === '5059' && l.options.weight === 3)
                inside = l.getBounds().contains([63.30, 9.85]); });
            return inside; }"""
    )
    assert page.unexpected_errors() == []


def test_the_map_starts_on_a_laptops_first_screen(browser, app_url):
    laptop = OfflinePage(browser, app_url)
    try:
        laptop.page.set_viewport_size({"width": 1366, "height": 768})
        ready(laptop)
        box = laptop.page.locator(MAP_IFRAME).bounding_box()
        assert box["y"] < 768
        assert (768 - box["y"]) / box["height"] >= 0.75, box  # most of the map without scrolling
        for metric in laptop.page.locator('[data-testid="stMetric"]').all():  # the key figures above it, in view
            assert metric.bounding_box()["y"] + metric.bounding_box()["height"] <= box["y"]
    finally:
        laptop.close()
