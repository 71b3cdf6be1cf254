"""WCAG 2.1 AA in a real browser: axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa) finds nothing on any page or in any
of its frames (the maps'), in bokmål and English, on a slide, in the sign-in box, with an upload form filled in and
with errors shown; the document's language is the text's; the keyboard focus is visible; the pages reflow at
320 CSS px (a 1280 px window at 400 % zoom) and 640 px (200 %) without scrolling sideways.

One app for the module, with an editor password so the sign-in box is checked too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from i18n import t
from tests.helpers.axe import assert_no_violations
from tests.helpers.browser import SCRIPT_RAN_JS, OfflinePage, run, running_app

pytestmark = pytest.mark.browser  # conftest puts every browser test in one xdist group: one chromium at a time

PASSWORD = "generated-a11y-secret"
# Every page: its address, and whether it shows a map
PAGES = {
    "": True,
    "Utslipp": True,
    "Portefolje": True,
    "Last_opp": False,
    "Kartlag": False,
    "Data_og_kilder": False,
    "Importer_utslipp": False,
    "Tilgjengelighet": False,
    "Administrasjon": False,
}
# Each page's name in the menu, which begins its title (WCAG 2.4.2)
MENU_KEYS = {
    "": "nav_map",
    "Utslipp": "nav_emissions",
    "Portefolje": "nav_portfolio",
    "Last_opp": "nav_upload",
    "Kartlag": "nav_layers",
    "Data_og_kilder": "nav_data",
    "Importer_utslipp": "nav_import",
    "Tilgjengelighet": "nav_accessibility",
    "Administrasjon": "nav_admin",
}
MAP_IFRAME = 'iframe[src*="streamlit_folium.st_folium"]'
# One point: a layer with no extent to fit, whose preview map must still draw (Leaflet once zoomed it to NaN)
GEOJSON = (
    b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"navn":"A"},'
    b'"geometry":{"type":"Point","coordinates":[9.85,63.3]}}]}'
)
# Every map frame on the page has drawn its Leaflet map (and the legend, when it has one, is in it)
MAPS_DRAWN = f"""(maps) => {{ const frames = document.querySelectorAll('{MAP_IFRAME}');
    return frames.length > 0 && maps.length === frames.length
        && maps.every(w => w.document.readyState === 'complete'); }}"""


@pytest.fixture(scope="module")
def app_url():
    with running_app(env={"INDUSTRIKART_EDITOR_PASSWORD": PASSWORD}) as url:
        yield url


def open_page(browser, url: str, has_map: bool) -> OfflinePage:
    page = OfflinePage(browser, url)
    page.page.wait_for_function(SCRIPT_RAN_JS, timeout=120_000)
    if has_map:
        page.wait_for_maps(MAPS_DRAWN, timeout_s=60)
    run(page, quiet_s=1.5)
    return page


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_says_its_language_and_axe_finds_nothing(browser, app_url, path, lang):
    page = open_page(browser, f"{app_url}{path}?lang={lang}", PAGES[path])
    try:
        expect(page.page.locator("html")).to_have_attribute("lang", lang, timeout=30_000)
        expect(page.page).to_have_title(f"{t(MENU_KEYS[path], lang)} · {t('app_title', lang)}")
        assert_no_violations(page, f"/{path} ({lang})")
    finally:
        page.close()


def test_the_language_switch_changes_the_documents_language_and_letter_keys_rerun_nothing(browser, app_url):
    page = open_page(browser, app_url + "Data_og_kilder", False)
    try:
        expect(page.page.locator("html")).to_have_attribute("lang", "nb")
        # WCAG 2.1.4: with nothing focused, Streamlit's "r" reran the page (a speech user's word could); now the
        # only run after it is the one the language switch starts
        before = page.page.evaluate("() => window.__ikRuns.finished")
        page.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.page.keyboard.press("r")
        page.page.keyboard.press("Shift+C")
        sidebar = page.page.locator('[data-testid="stSidebar"]')
        run(page, lambda: sidebar.get_by_text("English", exact=True).click())
        expect(page.page.locator("html")).to_have_attribute("lang", "en", timeout=30_000)
        assert page.page.evaluate("() => window.__ikRuns.finished") == before + 1
    finally:
        page.close()


def test_a_slide_has_no_axe_violations(browser, app_url):
    page = open_page(browser, app_url + "?mode=present", True)
    try:
        expect(page.page.locator('[data-testid="stSidebar"]')).to_be_hidden()  # it is the slide
        assert_no_violations(page, "/?mode=present")
    finally:
        page.close()


def test_the_share_popover_opened_has_no_axe_violations(browser, app_url):
    """The share box is drawn only when opened (benchmarks/bench_page_visit.py): axe it open."""
    page = open_page(browser, app_url, True)
    try:
        sidebar = page.page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_role("button", name=t("share_link", "nb")).click()
        popover = page.page.locator('[data-testid="stPopoverBody"]')
        expect(popover).to_be_visible(timeout=30_000)
        expect(popover.locator("code")).to_contain_text("http")  # the link itself, with its copy button
        assert_no_violations(page, "/ with the share box open")
    finally:
        page.close()


def upload(page: OfflinePage, name: str, content: bytes) -> None:
    chooser = page.page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    chooser.set_input_files(files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}])


def test_the_sign_in_and_upload_forms_with_and_without_errors_have_no_axe_violations(browser, app_url):
    page = open_page(browser, app_url + "Last_opp", False)
    try:
        box = page.page.get_by_label("Redaktørpassord")
        run(page, lambda: (box.fill("generated-wrong-guess"), box.press("Enter")))
        expect(page.page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]')).to_be_visible()
        assert_no_violations(page, "sign-in, wrong password")

        run(page, lambda: (box.fill(PASSWORD), box.press("Enter")))
        expect(page.page.locator('input[type="file"]')).to_have_count(1, timeout=30_000)
        assert_no_violations(page, "upload form, empty")

        run(page, lambda: upload(page, "generated_punkt.geojson", GEOJSON))
        expect(page.page.get_by_text("1. Type og felt")).to_be_visible(timeout=60_000)
        page.wait_for_maps(MAPS_DRAWN, timeout_s=60)  # the preview
        centre = page.wait_for_maps(
            "(maps) => { const c = maps[0].map.getCenter(), z = maps[0].map.getZoom();"
            " return Number.isFinite(z) && [c.lat, c.lng]; }",
            what="the one-point preview has no finite view",
        )
        assert centre == pytest.approx([63.3, 9.85], abs=1e-3)  # centred on the layer's one point (to a pixel)
        run(page, quiet_s=1.5)
        assert_no_violations(page, "upload form, filled in")

        run(page, lambda: upload(page, "generated_broken.geojson", b'{"type": "FeatureCollection", "feat'))
        expect(page.page.locator('[data-testid="stMain"] [data-testid="stAlert"]').first).to_be_visible(timeout=60_000)
        assert_no_violations(page, "upload form, error shown")

        # the other editors' pages, signed in (the same session: through the page menu)
        menu = page.page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]')
        signed_in_pages = (("Importer utslipp", "Importer_utslipp"), ("Kartlag", "Kartlag"), ("Administrasjon",) * 2)
        for label, where in signed_in_pages:
            run(page, lambda label=label: menu.get_by_text(label, exact=False).first.click())
            expect(page.page).to_have_url(f"{app_url}{where}", timeout=30_000)
            run(page, quiet_s=1.5)
            assert_no_violations(page, f"/{where}, signed in")
    finally:
        page.close()


# The element with the focus (inside a same-origin frame, the element focused there) and the focus ring drawn on it
# or on the widget box around it (up to three levels up: a text field's or a select's box wraps its <input>): an
# outline at least 2 px wide, or a box-shadow.
FOCUS_JS = """() => {
    let doc = document, el = document.activeElement;
    while (el && el.tagName === 'IFRAME' && el.contentDocument) { doc = el.contentDocument; el = doc.activeElement; }
    if (!el || el === doc.body) return null;
    let ring = '';
    for (let n = el, i = 0; n && n !== doc.body && i < 4 && !ring; n = n.parentElement, i++) {
        const s = doc.defaultView.getComputedStyle(n);
        if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) ring = 'outline ' + s.outlineWidth;
        else if (s.boxShadow !== 'none') ring = 'box-shadow ' + s.boxShadow;
    }
    const text = (el.getAttribute('aria-label') || el.innerText || el.value || el.title || '').trim().slice(0, 30);
    return {what: el.tagName.toLowerCase() + '[' + (el.closest('[data-testid]')?.dataset.testid || '') + '] '
        + JSON.stringify(text), frame: doc !== document, ring};
}"""


def test_the_keyboard_focus_is_visible_on_kart(browser, app_url):
    page = open_page(browser, app_url, True)
    try:
        page.page.evaluate("() => document.activeElement && document.activeElement.blur()")  # from the top
        seen, hidden, in_map = [], [], False
        for _ in range(30):
            page.page.keyboard.press("Tab")
            focus = page.page.evaluate(FOCUS_JS)
            if focus is None:
                continue
            seen.append(f"{focus['what']}: {focus['ring'] or 'NO RING'}")
            in_map = in_map or focus["frame"]
            if not focus["ring"]:
                hidden.append(focus["what"])
        assert len(seen) >= 20, seen
        assert in_map, f"Tab never reached the map: {seen}"
        assert not hidden, "focus not visible on:\n" + "\n".join(seen)
    finally:
        page.close()


def test_the_map_shows_when_it_has_the_focus(browser, app_url):
    page = open_page(browser, app_url, True)
    try:
        frame = page.map_frame()
        frame.locator(".leaflet-container").focus()
        page.page.keyboard.press("Shift+Tab")
        page.page.keyboard.press("Tab")  # by keyboard: :focus-visible
        style = frame.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.classList.contains('leaflet-container'), s.outlineStyle, s.outlineWidth,"
            " s.outlineOffset]; }"
        )
        assert style[0] and style[1] == "solid" and float(style[2][:-2]) >= 2, style
        assert float(style[3][:-2]) < 0, style  # drawn inside the map, which fills its frame
    finally:
        page.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_reflows_at_320_and_640_css_pixels(browser, app_url, path):
    """320 CSS px: a 320 px screen, or a 1280 px window at 400 % zoom; 640: that window at 200 %. Tables and maps
    may scroll inside themselves; the page itself does not scroll sideways, and its title and map stay."""
    page = OfflinePage(browser, "about:blank")
    try:
        page.page.set_viewport_size({"width": 320, "height": 640})
        page.page.goto(app_url + path)
        page.page.wait_for_function(SCRIPT_RAN_JS, timeout=120_000)
        if PAGES[path]:
            page.wait_for_maps(MAPS_DRAWN, timeout_s=60)
        run(page, quiet_s=1.5)
        for width in (320, 640):
            page.page.set_viewport_size({"width": width, "height": 640})
            page.page.wait_for_function(f"() => window.innerWidth === {width}")
            expect(page.page.locator("h1").first).to_be_visible()
            overflow = page.page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth,"
                " [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
                " > window.innerWidth + 1 && !e.closest('[data-testid=\"stSidebar\"]')).slice(0, 5)"
                " .map(e => e.tagName + '.' + (e.dataset.testid || e.className))]"
            )
            assert overflow[0] <= overflow[1] + 1, f"/{path} at {width} px scrolls sideways: {overflow}"
            if PAGES[path]:
                # Streamlit sets a component frame's width after the resize, in its own time: wait for it.
                page.page.wait_for_function(
                    "([selector, width]) => { const r = document.querySelector(selector).getBoundingClientRect();"
                    " return r.width > 0.8 * width && r.x >= 0 && r.right <= width + 1; }",
                    arg=[MAP_IFRAME, width],
                    timeout=15_000,
                )
    finally:
        page.close()
