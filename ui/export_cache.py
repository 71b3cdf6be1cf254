"""Layer downloads built once, one at a time, within a budget per session.

Each "Last ned" of a stored layer used to export it again: twelve clicks on a 300 000-point layer in one batch cost
about 92 s of server work, and another user's rerun went from 0.1 s to 12 s. Now a download is kept per (store, layer,
version, format) up to EXPORT_CACHE_BYTES, the process builds one export at a time (a second request for the same
file waits for the first and takes its bytes), and a session may start at most EXPORTS_PER_WINDOW builds within
EXPORT_WINDOW_S; past that the download fails (Streamlit shows it as failed) until the window moves on. The budget
is kept per client address (ui.access.client_address), so opening a new session does not renew it. A build that
failed is remembered for EXPORT_FAILURE_S, so a layer that cannot be exported is not tried on every click.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable

import config


class ExportRefused(RuntimeError):
    """This session started too many exports lately."""


class ExportCache:
    def __init__(
        self,
        max_bytes: int = config.EXPORT_CACHE_BYTES,
        failure_s: float = config.EXPORT_FAILURE_S,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_bytes, self.failure_s, self._clock = max_bytes, failure_s, clock
        self._failed: dict[Hashable, tuple[float, Exception]] = {}  # key -> (until, the error)
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._building = threading.Lock()  # one export at a time in the process, whoever asks

    def get(self, key: Hashable, build: Callable[[], bytes], budget: ExportBudget | None = None) -> bytes:
        """The bytes for `key`: kept ones, else `build()` (after the builds before it, and within `budget`)."""
        kept = self._kept(key)
        if kept is not None:
            return kept
        with self._building:
            kept = self._kept(key)  # built while this request waited
            if kept is not None:
                return kept
            failed = self._failed.get(key)
            if failed is not None and failed[0] > self._clock():
                raise failed[1]
            if budget is not None:
                budget.take()
            try:
                data = build()
            except Exception as exc:
                self._failed[key] = (self._clock() + self.failure_s, exc)
                raise
        with self._lock:
            if len(data) <= self.max_bytes and key not in self._entries:
                self._entries[key] = data
                self._size += len(data)
                while self._size > self.max_bytes:
                    _, old = self._entries.popitem(last=False)
                    self._size -= len(old)
        return data

    def run(self, build: Callable[[], bytes], budget: ExportBudget | None = None) -> bytes:
        """`build()` after the builds before it and within `budget`, kept nowhere: for files with no version to key
        them by (a map export of a view: its filters, uploaded layers and title)."""
        with self._building:
            if budget is not None:
                budget.take()
            return build()

    def _kept(self, key: Hashable) -> bytes | None:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        return None


class ExportBudget:
    """How many exports one session may start within a window (thread-safe: downloads run outside the script)."""

    def __init__(
        self,
        limit: int = config.EXPORTS_PER_WINDOW,
        window_s: float = config.EXPORT_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._started: deque[float] = deque()
        self._lock = threading.Lock()

    def left(self) -> int:
        """How many exports may start now (the page says so, and offers none, when it is 0)."""
        with self._lock:
            self._forget_old()
            return self.limit - len(self._started)

    def _forget_old(self) -> None:
        now = self._clock()
        while self._started and self._started[0] <= now - self.window_s:
            self._started.popleft()

    def take(self) -> None:
        with self._lock:
            now = self._clock()
            self._forget_old()
            if len(self._started) >= self.limit:
                raise ExportRefused(f"{self.limit} exports within {self.window_s:.0f} s")
            self._started.append(now)


LAYER_EXPORTS = ExportCache()  # one per process, for every session
_BUDGETS: dict[str, ExportBudget] = {}
_budgets_lock = threading.Lock()


def client_budget(client: str) -> ExportBudget:
    """The export budget of one client address (shared by all its sessions on this replica)."""
    with _budgets_lock:
        if len(_BUDGETS) > 10_000:  # addresses seen long ago: their windows have long passed
            _BUDGETS.clear()
        return _BUDGETS.setdefault(client, ExportBudget())
