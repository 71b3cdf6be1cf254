"""The app as served (app.py: Streamlit's st.App with ui/serving.py's middleware), on a real server: Streamlit's page
document names the server's address, so a page opened at its own address connects at once (also under a base URL
path); every other response passes as Streamlit makes it; a component's content-hashed files are kept by the browser
(in Debian's chromium, a second visit takes the map's script from its cache)."""

from __future__ import annotations

import contextlib
import gzip
import re
import urllib.request
from pathlib import Path

import pytest

from tests.helpers.browser import BASE_PATH_PROBE, OfflinePage, running_app
from tests.helpers.chromium import CHROMIUM, CHROMIUM_ARGS
from ui.serving import LASTING, STREAMLIT_INDEX, server_address_script

MAP_COMPONENT = "component/streamlit_folium.st_folium/"
MAP_SCRIPT = next((Path(__import__("streamlit_folium").__file__).parent / "frontend/build/static/js").glob("main.*.js"))
DOCUMENT = {"Sec-Fetch-Dest": "document", "Accept-Encoding": "gzip"}
OFFLINE_RESOLVER = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
MAPS_DRAWN = "(maps) => maps.length > 0 && maps.every(w => w.map._loaded)"


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, {k.lower(): v for k, v in response.headers.items()}, body


@pytest.mark.parametrize(
    ("base_url_path", "named"),
    [
        ("", "/"),
        ("industrikart", "/industrikart/"),
        ("/a/b/", "/a/b/"),
        ("x</script><script>alert(1)//", None),
        ("\\evil.example", "/%5Cevil.example/"),  # not //evil.example, another host
        ("a?b#c", "/a%3Fb%23c/"),
    ],
)
def test_the_script_names_the_root_or_the_base_url_path_and_nothing_else(base_url_path, named):
    script = server_address_script(base_url_path).decode()
    assert script.startswith("<script>") and script.endswith("</script>")
    assert script.count("<") == 2  # its own two tags: a path never closes it
    if named is not None:
        assert f'new URL("{named}", location.href)' in script


def test_a_page_address_asked_for_as_a_document_names_the_server_first_in_its_head(app_url):
    index = STREAMLIT_INDEX.read_bytes()
    status, headers, body = get(app_url + "Utslipp", DOCUMENT)
    assert status == 200 and "content-encoding" not in headers
    script = server_address_script("")
    assert body == index.replace(b"<head>", b"<head>" + script, 1)
    assert int(headers["content-length"]) == len(body)
    assert not {"etag", "last-modified", "accept-ranges"} & set(headers)  # those are the unchanged file's
    # never a range cut from the unchanged file either
    etag = get(app_url + "Utslipp")[1]["etag"]
    status, _, whole = get(app_url + "Utslipp", {**DOCUMENT, "Range": "bytes=0-99", "If-Range": etag})
    assert status == 200 and whole == body
    # never a "304: keep yours", which could be a copy made for another address
    status, _, again = get(app_url + "Utslipp", {**DOCUMENT, "If-None-Match": etag})
    assert status == 200 and again == body


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("Utslipp", {}),  # not a browser's document: Streamlit's own file (a client that asks gzip gets it)
        ("Utslipp", {"Accept-Encoding": "gzip"}),
        ("app/static/vendor/leaflet/leaflet.js", {"Sec-Fetch-Dest": "document"}),  # larger than the page document
        ("_stcore/health", {"Sec-Fetch-Dest": "document"}),
    ],
)
def test_every_other_response_passes_as_streamlit_makes_it(app_url, path, headers):
    _, _, plain = get(app_url + path)
    status, _, body = get(app_url + path, headers)
    assert status == 200 and body == plain
    assert b"__streamlit" not in body


@pytest.mark.browser
def test_a_component_s_hashed_files_are_kept_a_year_its_document_is_not(page, app_url):
    page.wait_for_maps(MAPS_DRAWN, timeout_s=60)  # a page has used the component: Streamlit serves its files now
    _, headers, body = get(app_url + MAP_COMPONENT + "static/js/" + MAP_SCRIPT.name, {"Accept-Encoding": "gzip"})
    assert headers["cache-control"] == LASTING.decode() and body == MAP_SCRIPT.read_bytes()
    _, headers, document = get(app_url + MAP_COMPONENT + "index.html", {"Sec-Fetch-Dest": "iframe"})
    assert headers["cache-control"] == "no-cache"
    assert b"__streamlit" not in document  # the map's frame has a document of its own, left as it is
    _, headers, _ = get(app_url + "app/static/vendor/leaflet/leaflet.js")  # not a component's: as Streamlit sends it
    assert "cache-control" not in headers


def _asked_for(page: OfflinePage) -> list[str]:
    asked: list[str] = []
    page.page.on("request", lambda request: asked.append(request.url))
    return asked


@pytest.mark.browser
@pytest.mark.parametrize("options", [(), ("--server.baseUrlPath", "industrikart")])
def test_a_page_opened_at_its_address_asks_the_server_at_once(browser, options):
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(running_app(options=options))
        page = OfflinePage(browser, "about:blank")
        stack.callback(page.close)
        asked = _asked_for(page)
        page.page.goto(url + "Utslipp")
        page.wait_for_maps(MAPS_DRAWN, timeout_s=60)
        assert page.page.evaluate("() => window.__streamlit.BACKEND_BASE_URL") == url
        assert url + "_stcore/health" in asked
        assert not [a for a in asked if BASE_PATH_PROBE.search(a.replace(url, "/"))], asked  # no /Utslipp/_stcore/…
        assert page.page.url.startswith(url + "Utslipp")
        assert page.unexpected_errors() == []


@pytest.mark.browser
def test_a_second_visit_takes_the_map_s_script_from_the_browser_s_cache(browser, app_url):
    """In a context that routes nothing (Playwright turns the HTTP cache off in one that does): a browser of its own,
    offline by its host resolver, as the page-speed benchmark runs."""
    offline = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, OFFLINE_RESOLVER])
    try:
        page = offline.new_context().new_page()
        sizes = []
        for _ in range(2):
            page.goto("about:blank")
            page.goto(app_url + "Utslipp")
            frame = page.frame_locator("iframe").first
            frame.locator(".leaflet-container").wait_for(timeout=60_000)
            script = next(f for f in page.frames if MAP_COMPONENT in f.url)
            sizes.append(
                script.evaluate(
                    """(name) => performance.getEntriesByType('resource')
                        .filter(r => r.name.includes(name)).map(r => r.transferSize)""",
                    MAP_SCRIPT.name,
                )
            )
        assert sizes[0] and sizes[0][0] > 0, sizes  # fetched once
        assert sizes[1] == [0], sizes  # then taken from the cache, not asked again
    finally:
        offline.close()


def test_the_map_script_s_name_carries_its_content_s_hash():
    """What LastingComponentFiles relies on: streamlit-folium's build names its script by content."""
    assert re.fullmatch(r"main\.[0-9a-f]{8,}\.js", MAP_SCRIPT.name)
