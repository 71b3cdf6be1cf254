"""What the replica checks share: a page on the app, offline, whose finished script runs are counted; its map.

Every request that is not to 127.0.0.1 is refused; every wait is bounded in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.helpers.chromium import is_local


def only_local(url: str, command: str) -> None:
    """Leave at once unless `url` is on this machine: the checks never drive a browser at anything else."""
    if not is_local(url):
        sys.exit(f"{command}: only 127.0.0.1 is allowed")


def write_result(result: dict, out: str) -> None:
    """The whole result to `out`; on stdout, all but the RSS samples."""
    Path(out).write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "rss_samples"}, indent=1))


class RunCounter:
    """Counts the app's finished script runs as the server reports them on the page's websockets.

    The page's own run-state attribute is not enough: when the browser is busy, React renders "running" and
    "notRunning" in one batch and a whole run leaves no trace in the DOM (seen under load: about 1 action in 100).
    """

    FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)

    def __init__(self, page) -> None:
        self.runs = 0
        self.end = 0.0  # time.monotonic() of the last run's end
        page.on("websocket", self._watch)  # also the new socket after a reconnect

    def _watch(self, socket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if not isinstance(payload, bytes | bytearray):
            return
        message = ForwardMsg()
        with contextlib.suppress(Exception):  # not a Streamlit message: not a run
            message.ParseFromString(bytes(payload))
            if message.WhichOneof("type") == "script_finished" and message.script_finished in self.FINISHED:
                self.runs += 1
                self.end = time.monotonic()

    async def wait_beyond(self, runs: int, timeout_s: float) -> bool:
        """Until more than `runs` runs have ended; False after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while self.runs <= runs:
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True


async def _route(route):
    if is_local(route.request.url):
        await route.continue_()
    else:
        await route.abort("internetdisconnected")


async def new_page(browser, url: str, errors: list[str] | None = None):
    """A fresh context on `url`: (context, page, its RunCounter, the upstream nginx chose)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.route("**/*", _route)
    page = await context.new_page()
    runs = RunCounter(page)
    if errors is not None:
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    response = await page.goto(url, timeout=60_000)
    return context, page, runs, answered_by(response)


def answered_by(response) -> str:
    """The replica that answered: nginx lists every upstream it tried ("A, B" when A failed first); the last one."""
    header = response.headers.get("x-industrikart-upstream", "") if response else ""
    return header.split(",")[-1].strip()


async def wait_idle(page, runs: RunCounter, since: int = 0, timeout_s: float = 60) -> None:
    """Until a script run beyond the first `since` has ended and the map has drawn."""
    if not await runs.wait_beyond(since, timeout_s):
        raise TimeoutError(f"no script run ended within {timeout_s} s")
    await map_frame(page, timeout_s)


async def map_frame(page, timeout_s: float = 60):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                with contextlib.suppress(Exception):
                    if await frame.evaluate("() => !!(window.map && window.L)"):
                        return frame
        await page.wait_for_timeout(250)
    raise TimeoutError("no Leaflet map")


async def main_text(page) -> str:
    return await page.locator('[data-testid="stMain"]').inner_text(timeout=30_000)


async def wait_text(page, text: str, present: bool = True, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    shown = ""
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            shown = await main_text(page)
            if (text in shown) == present:
                return
        await page.wait_for_timeout(300)
    raise AssertionError(f"{text!r} {'never appeared' if present else 'never went away'}; page shows {shown[-800:]!r}")


async def stored_features(page) -> int:
    frame = await map_frame(page)
    return await frame.evaluate(
        """() => { let n = 0; window.map.eachLayer(l => {
            if (l.feature && l.feature.properties && l.feature.properties.layer === 'stored') n++; }); return n; }"""
    )


async def wait_stored(page, wanted, timeout_s: float = 60) -> int:
    """Until the number of stored-layer features on the map satisfies `wanted`."""
    deadline = time.monotonic() + timeout_s
    n = -1
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            n = await stored_features(page)
            if wanted(n):
                return n
        await page.wait_for_timeout(300)
    raise AssertionError(f"stored features on the map: {n}, not as wanted")
