"""Uploaded layers whose values carry HTML, script and Jinja template syntax: in a real browser, on the Kart
and Portefølje pages, they show as the text they are and nothing runs (in the page or on the server)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from store import Origin, open_store
from tests.helpers.browser import OfflinePage, run, running_app

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
TEMPLATE = "Klynge {{ 7*191919 }} {# ik #}"  # rendered by Jinja it would read "Klynge 1343433 "


@pytest.fixture(scope="module")
def sentinel(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("generated_sentinel")


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, sentinel):
    path = tmp_path_factory.mktemp("store") / "generated_hostile_store.gpkg"
    store = open_store({"INDUSTRIKART_STORE": str(path)})
    run_code = f"{{{{ lipsum.__globals__.os.makedirs('{sentinel}/server') }}}}"
    frame = gpd.GeoDataFrame(
        {"navn": [HOSTILE + " " + TEMPLATE], "merknad": ["<b onmouseover=window.__xss=3>fet</b> " + run_code]},
        geometry=[Point(10.4, 63.43)],
        crs=4326,
    )
    style = {"colour": "#123456", "fill": True, "label_field": "navn", "popup_fields": ["navn", "merknad"]}
    store.save(
        frame, HOSTILE + " " + TEMPLATE, "other", Origin(original_filename="generated_hostile.geojson"), style=style
    )
    members = gpd.GeoDataFrame(
        {
            "id": ["generated-member-1", "generated-member-2"],
            "company": [TEMPLATE, run_code],
            "cluster": [TEMPLATE, run_code],
            "role": ["member", "member"],
            "relation_as_stated": [TEMPLATE, run_code],
            "municipality": ["Orkland", "Orkland"],
            "kommunenummer": ["5059", "5059"],
            "source_url": ["https://example.org/", "https://example.org/"],
            "source_year": [2026, 2026],
            "location_precision": ["site", "site"],
        },
        geometry=[Point(9.85, 63.30), Point(9.86, 63.31)],
        crs=4326,
    )
    store.save(members, TEMPLATE, "members", Origin(original_filename="generated_hostile_members.geojson"))
    with running_app(env={"INDUSTRIKART_STORE": str(path)}) as url:
        yield url


def test_hostile_values_show_as_text_and_run_nothing(browser, hostile_app, sentinel):
    page = OfflinePage(browser, hostile_app)
    try:
        page.wait_for_features("f => f.some(x => x.layer === 'stored')")
        frame = page.map_frame()
        # the rerun for the new view could swallow the click
        run(page, lambda: frame.evaluate("() => window.map.setView([63.43, 10.4], 12, {animate: false})"))
        x, y = frame.evaluate(
            "() => { const p = window.map.latLngToContainerPoint([63.43, 10.4]);"
            " const r = document.getElementById('map_div').getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }"
        )
        box = page.page.locator("iframe").first.bounding_box()
        page.page.mouse.click(box["x"] + x, box["y"] + y)
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=30_000)
        assert HOSTILE in popup.inner_text()  # the value, shown as the text it is
        assert popup.locator("img, script, b[onmouseover]").count() == 0
        legend = frame.locator(".ik-legend").inner_text()
        assert HOSTILE in legend and frame.locator(".ik-legend img, .ik-legend script").count() == 0
        assert TEMPLATE in legend and "1343433" not in legend  # cluster names and titles are text, not templates
        # a planted onerror fires when its image fails: wait until every image in both documents has loaded or failed
        for document in (frame, page.page):
            document.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=30_000)
        assert frame.evaluate("() => window.__xss") is None
        assert page.page.evaluate("() => window.__xss") is None
        assert not any(sentinel.iterdir())
    finally:
        page.close()


def test_template_text_on_the_portfolio_page_shows_as_written(browser, hostile_app, sentinel):
    page = OfflinePage(browser, hostile_app)
    try:
        page.wait_for_features()  # the map drawn: its first reply (a rerun of Kart) would undo the click
        run(page, page.page.get_by_role("link", name="Portefølje").click)
        page.wait_for_text("Side om side", 60)
        drawn = page.wait_for_features("f => f.some(x => x.layer === 'members')")
        assert drawn
        frame = page.map_frame()
        tooltips = frame.evaluate(
            "() => { const out = []; window.map.eachLayer(l => { if (l.feature && l.feature.properties"
            " && l.feature.properties.layer === 'members') out.push(l.feature.properties.tooltip); }); return out; }"
        )
        assert any(TEMPLATE in (text or "") for text in tooltips), tooltips
        body = page.page.locator("body").inner_text()
        assert "1343433" not in body and "TemplateSyntaxError" not in body and "Traceback" not in body
        assert frame.evaluate("() => window.__xss") is None
        assert not any(sentinel.iterdir())
    finally:
        page.close()


# --- our uploader labels, the file chip, and uploaded layers in Kart's layer list ----------

# The text a person sees in an element: the text of its rendered nodes and the ::before/::after content drawn
# around them (innerText leaves the latter out), skipping what is not displayed and icons (aria-hidden ligatures).
VISIBLE_TEXT = """(root) => {
    const drawn = (node, pseudo) => {
        const content = getComputedStyle(node, pseudo).content;
        return content && content.startsWith('"') ? JSON.parse(content) : '';
    };
    const walk = (node) => {
        if (node.nodeType === Node.TEXT_NODE) return node.textContent;
        if (node.nodeType !== Node.ELEMENT_NODE || node.getAttribute('aria-hidden') === 'true') return '';
        const style = getComputedStyle(node);  // not checkVisibility(): false for display: contents wrappers
        if (style.display === 'none' || style.visibility === 'hidden') return '';
        return drawn(node, '::before') + [...node.childNodes].map(walk).join('') + drawn(node, '::after');
    };
    return walk(root).replace(/\\s+/g, ' ').trim();
}"""
GEOJSON = (
    b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"navn":"A"},'
    b'"geometry":{"type":"Point","coordinates":[9.85,63.3]}}]}'
)


@pytest.fixture(scope="module")
def plain_app():
    with running_app() as url:
        yield url


@pytest.mark.parametrize(
    ("path", "button", "limit"),
    [
        ("Last_opp", "Last opp fil", "Høyst 200 MB per fil • GEOJSON, JSON, GPKG, ZIP, KML, KMZ, CSV, XLSX"),
        ("Last_opp?lang=en", "Upload file", "200 MB per file • GEOJSON, JSON, GPKG, ZIP, KML, KMZ, CSV, XLSX"),
        ("Importer_utslipp", "Last opp fil", "Høyst 200 MB per fil • XLSX, CSV"),
    ],
)
def test_the_uploader_shows_only_our_label_and_a_readable_file_chip(browser, plain_app, path, button, limit):
    page = OfflinePage(browser, plain_app + path)
    try:
        zone = page.page.locator('[data-testid="stFileUploaderDropzone"]')
        zone.locator("button").wait_for(timeout=60_000)
        run(page)
        assert zone.locator("button").evaluate(VISIBLE_TEXT) == button
        assert "Upload" not in zone.locator("button").inner_text()  # Streamlit's own label is not even laid out
        assert zone.locator('[data-testid="stFileUploaderDropzoneInstructions"]').evaluate(VISIBLE_TEXT) == limit
        name = "generated_parker_og_omraader_i_orkland_kommune_2026.geojson"
        zone.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": name, "mimeType": "application/json", "buffer": GEOJSON}]
        )
        chip = page.page.locator('[data-testid="stFileChip"]')
        chip.wait_for(timeout=60_000)
        remove = chip.locator('[data-testid="stFileChipDeleteBtn"]')
        assert remove.evaluate(VISIBLE_TEXT) == ""  # nothing written over the remove icon
        name_box = chip.locator('[data-testid="stFileChipName"]').bounding_box()
        remove_box = remove.bounding_box()
        assert name_box["x"] + name_box["width"] <= remove_box["x"] + 0.5, (name_box, remove_box)
        assert page.unexpected_errors() == []
    finally:
        page.close()


LADE = (10.44, 63.44, 10.45, 63.445)  # west, south, east, north


@pytest.fixture(scope="module")
def app_with_a_layer(tmp_path_factory):
    from shapely.geometry import box

    path = tmp_path_factory.mktemp("store") / "generated_layer_list_store.gpkg"
    frame = gpd.GeoDataFrame({"navn": ["Generert område Lade"]}, geometry=[box(*LADE)], crs=4326)
    open_store({"INDUSTRIKART_STORE": str(path)}).save(
        frame, "Generert lag Lade", "other", Origin(original_filename="generated_lade.geojson")
    )
    with running_app(env={"INDUSTRIKART_STORE": str(path)}) as url:
        yield url


def test_an_uploaded_layer_in_karts_layer_list_hides_and_zooms(browser, app_with_a_layer):
    page = OfflinePage(browser, app_with_a_layer)
    try:
        page.wait_for_features("f => f.some(x => x.layer === 'stored')")
        sidebar = page.page.locator('[data-testid="stSidebar"]')
        run(page)
        sidebar.get_by_text("Generert lag Lade", exact=True).click()
        page.wait_for_features("f => f.length > 0 && !f.some(x => x.layer === 'stored')", timeout_s=60)
        frame = page.map_frame()
        west, south, east, north = LADE
        inside = (
            f"() => {{ const c = window.map.getCenter(); return window.map.getZoom() >= 12 && c.lat > {south}"
            f" && c.lat < {north} && c.lng > {west} && c.lng < {east}; }}"
        )
        assert not frame.evaluate(inside)  # the map opens on the county, not on the layer
        run(page)
        sidebar.get_by_role("button", name="Zoom til laget").click()
        page.map_frame().wait_for_function(inside, timeout=60_000)
        page.wait_for_features("f => f.some(x => x.layer === 'stored')", timeout_s=60)  # and shows it again
        assert sidebar.get_by_role("checkbox", name="Generert lag Lade").is_checked()
    finally:
        page.close()
