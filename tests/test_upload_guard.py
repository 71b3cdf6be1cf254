"""Uploads are for editors: an anonymous session cannot park files on a replica, directly or through nginx.

A real Streamlit server with an editor password, a real chromium session (its session id read from the server's own
NewSession message, its XSRF cookie from the browser) and real nginx in front; the flood is bounded (a few requests
of generated zero bytes, loopback only). Then an editor signs in and uploads through the page as before.
"""

from __future__ import annotations

import json
import urllib.request
import uuid

import psutil
import pytest
import requests
from playwright.sync_api import expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.helpers.browser import running_app
from tests.helpers.nginx import needs_nginx, running_nginx

pytestmark = [pytest.mark.browser, needs_nginx]

PASSWORD = "generated-editor-secret"
FLOOD_FILES = 4
FLOOD_MB = 40


@pytest.fixture(scope="module")
def app_url():
    with running_app("dashboard.py", {"INDUSTRIKART_EDITOR_PASSWORD": PASSWORD}) as url:
        yield url


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


class Visitor:
    """An anonymous browser session on the app: its session id (from the server's NewSession) and XSRF cookie."""

    def __init__(self, browser, url: str, path: str = ""):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.session_id: str | None = None
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.page.goto(url + path)
        expect(self.page.get_by_role("heading").first).to_be_visible(timeout=30_000)
        self.page.wait_for_function("() => true")  # the frames seen so far have been handled
        assert self.session_id, "no NewSession message seen"
        self.xsrf = next(c["value"] for c in self.context.cookies() if c["name"] == "_streamlit_xsrf")

    def _frame(self, payload):
        if isinstance(payload, bytes | bytearray) and self.session_id is None:
            message = ForwardMsg()
            try:
                message.ParseFromString(bytes(payload))
            except Exception:  # a frame that is not a ForwardMsg (none should be): not ours to judge here
                return
            if message.HasField("new_session"):
                self.session_id = message.new_session.initialize.session_id

    def put(self, base: str, size: int, file_id: str | None = None, cookies: dict | None = None) -> int:
        """One upload PUT of `size` generated zero bytes to this session under a made-up (or given) file id."""
        address = f"{base.rstrip('/')}/_stcore/upload_file/{self.session_id}/{file_id or uuid.uuid4()}"
        response = requests.put(
            address,
            files={"file": ("generated_flood.bin", b"\0" * size, "application/octet-stream")},
            headers={"X-Xsrftoken": self.xsrf},
            cookies={"_streamlit_xsrf": self.xsrf, **(cookies or {})},
            timeout=120,
        )
        return response.status_code

    def close(self):
        self.context.close()


def healthy(url: str) -> bool:
    with urllib.request.urlopen(url.rstrip("/") + "/_stcore/health", timeout=10) as response:
        return response.status == 200


def test_an_anonymous_session_cannot_park_files_on_the_replica(browser, app_url):
    visitor = Visitor(browser, app_url)
    try:
        before = rss_mb(app_url.pid)
        statuses = [visitor.put(app_url, FLOOD_MB * 2**20) for _ in range(FLOOD_FILES)]
        grown = rss_mb(app_url.pid) - before
        assert statuses == [400] * FLOOD_FILES  # refused before the body is read
        assert grown < FLOOD_MB / 2, f"the replica grew {grown:.0f} MB for {FLOOD_FILES} × {FLOOD_MB} MB refused"
        assert healthy(app_url)
    finally:
        visitor.close()


def test_through_nginx_the_flood_is_refused_and_limited_per_client(browser, app_url):
    upstream = app_url.removeprefix("http://").rstrip("/")
    with running_nginx([upstream]) as proxy:
        visitor = Visitor(browser, proxy + "/")
        try:
            before = rss_mb(app_url.pid)
            statuses = [visitor.put(proxy, FLOOD_MB * 2**20) for _ in range(FLOOD_FILES)]
            grown = rss_mb(app_url.pid) - before
            assert set(statuses) <= {400, 429} and statuses[0] == 400
            assert grown < FLOOD_MB / 2, f"the replica grew {grown:.0f} MB behind nginx"
            # Small requests past the burst: nginx answers 429 itself, the replica never sees them.
            quick = [visitor.put(proxy, 1024) for _ in range(15)]
            assert 429 in quick and set(quick) <= {400, 429}
            assert healthy(proxy) and healthy(app_url)
        finally:
            visitor.close()


def test_an_editor_still_uploads_through_the_page(browser, app_url, tmp_path):
    path = tmp_path / "generated_one_point.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"navn": "Generated punkt"},
                        "geometry": {"type": "Point", "coordinates": [10.4, 63.43]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    editor = Visitor(browser, app_url, "Last_opp")
    page = editor.page
    try:
        # A viewer gets no uploader, and no upload address either: its own session is refused too.
        assert page.locator('input[type="file"]').count() == 0
        assert editor.put(app_url, 1024) == 400
        box = page.get_by_label("Redaktørpassord")
        box.fill(PASSWORD)
        box.press("Enter")
        chooser = page.locator('input[type="file"]')
        expect(chooser).to_have_count(1, timeout=30_000)
        chooser.set_input_files(str(path))
        expect(page.get_by_text("1. Type og felt")).to_be_visible(timeout=60_000)  # the file reached the server
        # The editor's session takes the files its own widget asked for, never a made-up id.
        assert editor.put(app_url, 1024) == 204  # accepted by the route, dropped by the manager (logged)
    finally:
        editor.close()


def test_a_replica_started_as_deployed_is_guarded_before_any_script_runs():
    """A session stopped before its first script run never reaches the page that installs the guard under plain
    `streamlit run dashboard.py`; the app as served (app.py, as deploy/start-replica.sh starts it) is guarded from the
    start."""
    import asyncio
    import concurrent.futures

    from tests.helpers.streamlit_socket import Session, page_cookie

    with running_app(env={"INDUSTRIKART_EDITOR_PASSWORD": PASSWORD}) as url:

        async def flood() -> tuple[list[int], float]:
            cookie, xsrf = page_cookie(url)
            session = await Session.open(url, cookie, xsrf)
            await session.socket.send(session.rerun_message())
            await session.stop()  # at once: the page's code never gets as far as PageFrame
            await asyncio.wait_for(session.started.wait(), 30)
            # The memory the stopped run itself took (what it imported before the stop) is no upload's.
            await asyncio.wait_for(session.finished.wait(), 60)
            before = rss_mb(url.pid)
            statuses = []
            for _ in range(3):
                response = await asyncio.to_thread(
                    requests.put,
                    f"{url}_stcore/upload_file/{session.session_id}/{uuid.uuid4()}",
                    files={"file": ("generated_flood.bin", b"\0" * (8 * 2**20), "application/octet-stream")},
                    headers={"X-Xsrftoken": xsrf, "Cookie": cookie},
                    timeout=60,
                )
                statuses.append(response.status_code)
            await session.close()
            return statuses, before

        # in a thread of its own: this test process's browser fixture keeps an event loop running in this one
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            statuses, before = pool.submit(asyncio.run, flood()).result(120)
        assert statuses == [400, 400, 400]
        assert rss_mb(url.pid) - before < 8 * 3 / 2
