"""Debian's chromium through Playwright, offline: the one launcher of the browser tests, benchmarks and deploy checks.

Free of pytest, so `deploy/checks` can use it too. `launch` works with Playwright's sync and async API alike (with
the async one, await what it returns).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from urllib.parse import urlparse

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# For many pages at once in one browser (the replica checks' load): a page in the background keeps its pace.
UNTHROTTLED = (
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
)


def launch(playwright, extra_args: Sequence[str] = ()):
    """Chromium at CHROMIUM with our flags, from a (sync or async) Playwright instance."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])


def is_local(url: str) -> bool:
    """A request the offline browser lets through: to this machine, or not over the network at all."""
    host = urlparse(url).hostname or ""
    return url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost")
