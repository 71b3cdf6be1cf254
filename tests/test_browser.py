"""The app in a real browser (Debian's chromium via Playwright), with every non-local request refused."""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import expect

from analysis.filters import Filters, apply_filters
from maps.popups import source_label
from tests.helpers.browser import OfflinePage, choose, run, shared_link

pytestmark = pytest.mark.browser


def expected_counts(portfolio, filters: Filters) -> Counter:
    view = apply_filters(portfolio, filters)
    member_points = view.members.geometry.apply(lambda p: (p.x, p.y)).nunique()
    return Counter({"parks": len(view.parks), "sources": len(view.sources), "members": member_points})


def counts(features: list[dict]) -> Counter:
    return Counter(f["layer"] for f in features)


def test_map_draws_all_layers_offline_on_canvas(page, portfolio):
    expected = expected_counts(portfolio, Filters())
    features = page.wait_for_features(counts=expected)
    assert counts(features) == expected
    frame = page.map_frame()
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane canvas').length") >= 1
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-overlay-pane path').length") == 0
    assert frame.evaluate("() => !!document.querySelector('.ik-legend')")
    assert page.blocked, "the default basemap asks for tiles, which this test refuses"
    assert page.unexpected_errors() == []


def test_filter_to_orkland_redraws_in_place_without_moving_the_view(page, portfolio):
    page.wait_for_features(counts=expected_counts(portfolio, Filters()))
    run(page)  # the map's first reply reruns the script; a move made during it may never reach the link
    frame = page.map_frame()
    frame.evaluate("() => { window.__sameMap = true; window.map.setView([63.5, 10.2], 9, {animate: false}); }")
    # The move reruns the script (the view goes into the link); let that finish before touching widgets.
    page.page.wait_for_url("**view=63.50000%2C10.20000%2C9**", timeout=20_000)

    choose(page, "Kommune", "Orkland (5059)")

    expected = expected_counts(portfolio, Filters(kommunenummer=("5059",)))
    features = page.wait_for_features(counts=expected)
    assert counts(features) == expected
    frame = page.map_frame()
    assert frame.evaluate("() => window.__sameMap === true"), "the map was remounted"
    center = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    assert center == pytest.approx([63.5, 10.2, 9], abs=1e-6)
    sidebar_text = page.page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert any(str(expected["parks"]) in text for text in sidebar_text)
    assert page.unexpected_errors() == []


def test_search_zooms_to_elkem_thamshavn_and_shows_its_sourced_figure(page, portfolio):
    page.wait_for_features()
    run(page)  # the map's first reply reruns the script; a search typed during it can be lost
    search = page.page.locator('[data-testid="stSidebar"]').get_by_role("textbox", name="Søk etter navn")
    search.fill("Elkem Thamshavn")
    search.press("Enter")
    body = page.wait_for_text("NRK ↗")  # a source named as a source (core.sources), not a bare host
    assert "Elkem Thamshavn" in body
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
    lat, lng = page.wait_for_maps(
        "(maps, [y, x]) => { const c = maps[0].map.getCenter();"
        " return Math.abs(c.lat - y) < 1e-3 && Math.abs(c.lng - x) < 1e-3 && [c.lat, c.lng]; }",
        [elkem.y, elkem.x],
        timeout_s=15,
        what="the map never centred on Elkem Thamshavn",
    )
    assert (lat, lng) == pytest.approx((elkem.y, elkem.x), abs=1e-3)


def test_search_for_orkland_fits_the_map_to_the_municipalitys_outline(page):
    from ui.map_focus import bundled_boxes

    west, south, east, north = bundled_boxes()["5059"]
    page.wait_for_features()
    run(page)  # the map's first reply reruns the script; a search typed during it can be lost
    frame = page.map_frame()
    county_zoom = frame.evaluate("() => window.map.getZoom()")
    search = page.page.locator('[data-testid="stSidebar"]').get_by_role("textbox", name="Søk etter navn")
    search.fill("Orkland")
    search.press("Enter")
    # the first hit, chosen: the municipality, said as such
    expect(page.page.get_by_role("combobox", name="Treff")).to_have_value("Orkland · kommune", timeout=30_000)
    # Leaflet's own view: the whole outline's box in view, closer than the county view it opened on
    frame.wait_for_function(
        f"""() => window.map.getZoom() > {county_zoom} && window.map.getBounds().contains(
            L.latLngBounds([{south}, {west}], [{north}, {east}]))""",
        timeout=30_000,
    )
    assert page.unexpected_errors() == []


def test_clicking_a_feature_shows_its_record(page, portfolio):
    page.wait_for_features()
    run(page)  # the reruns that follow the first draw swap the map's groups; click on a quiet map
    frame = page.map_frame()
    park = portfolio.parks.set_index("id").loc["park-fiborgtangen"]
    point = park.geometry
    # the map reports its new view, which reruns the page: a click during that run can be lost
    run(
        page, lambda: frame.evaluate(f"() => {{ window.map.setView([{point.y}, {point.x}], 13, {{animate: false}}); }}")
    )
    x, y = frame.evaluate(
        f"() => {{ const p = window.map.latLngToContainerPoint([{point.y}, {point.x}]); "
        "const r = document.getElementById('map_div').getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }"
    )
    box = page.page.locator("iframe").first.bounding_box()
    page.page.mouse.click(box["x"] + x, box["y"] + y)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=30_000)
    assert park["name"] in popup.inner_text()
    page.wait_for_text(park["name"])
    for label in {source_label(url) for url in park["source_url"].split(" ; ")}:
        page.wait_for_text(f"{label} ↗")


def test_a_copied_link_opens_the_same_view_in_a_fresh_browser(browser, app_url, portfolio):
    first = OfflinePage(browser, app_url)
    try:
        first.wait_for_features(counts=expected_counts(portfolio, Filters()))
        choose(first, "Kommune", "Orkland (5059)")
        expected = expected_counts(portfolio, Filters(kommunenummer=("5059",)))
        first.wait_for_features(counts=expected, timeout_s=60)  # a filter, then the zoom to it
        # choosing a municipality zooms to it: let that land before the user moves the map
        first.page.wait_for_url(lambda url: "view=" in url and not url.endswith("%2C7"), timeout=20_000)
        run(first)
        first.map_frame().evaluate("() => { window.map.setView([63.31, 9.86], 13, {animate: false}); }")
        first.page.wait_for_url("**view=63.31000%2C9.86000%2C13**", timeout=20_000)
        link = shared_link(first)
        assert link.startswith(app_url.rstrip("/")) and "kn=5059" in link and "view=63.31000" in link
    finally:
        first.close()

    second = OfflinePage(browser, link)  # a new context: no cookies, no session, only the link
    try:
        features = second.wait_for_features(counts=expected)
        assert counts(features) == expected
        view = second.wait_for_maps(
            "(maps, [lat, lng, zoom]) => { const m = maps[0].map, c = m.getCenter();"
            " return Math.abs(c.lat - lat) <= 1e-4 && Math.abs(c.lng - lng) <= 1e-4 && m.getZoom() === zoom"
            " && [c.lat, c.lng, m.getZoom()]; }",
            [63.31, 9.86, 13],
            timeout_s=15,
            what="the link's view never showed",
        )
        assert view == pytest.approx([63.31, 9.86, 13], abs=1e-4)
        assert second.unexpected_errors() == []
    finally:
        second.close()


def test_a_language_switch_redraws_the_legend_in_place_and_keeps_it_closed(page):
    page.wait_for_features()
    frame = page.map_frame()
    frame.evaluate("() => { window.__sameMap = true; }")
    frame.locator(".ik-legend-toggle").click()  # the reader closes the legend
    assert frame.evaluate("() => document.querySelector('.ik-legend-body').style.display") == "none"
    run(page, page.page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click)
    legend_text = "() => Array.from(document.querySelectorAll('.ik-legend')).map(l => l.textContent)"
    frame.wait_for_function(f"() => ({legend_text})().join(' ').includes('Industrial parks')", timeout=30_000)
    legends = frame.evaluate(legend_text)
    assert len(legends) == 1 and "Industrial parks and symbiosis sites" in legends[0]
    assert frame.evaluate("() => window.__sameMap === true"), "the map was remounted"
    assert frame.evaluate("() => document.querySelector('.ik-legend-body').style.display") == "none"
    assert frame.evaluate("() => document.querySelector('.ik-legend-toggle').title") == "Show the legend"
    assert page.unexpected_errors() == []
