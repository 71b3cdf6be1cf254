"""Layer downloads: built once per layer version and format, one at a time, within a budget per session.

Twelve "Last ned GeoJSON" requests for a 300 000-point layer in one websocket batch used to cost about 92 s of
server work (each exported again, all at once). The AppTest below records the page's deferred downloads and runs
their callables as twelve clicks at once would.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from store import open_store
from tests.helpers.apptest import app
from ui.export_cache import ExportBudget, ExportCache, ExportRefused


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Arrivals:
    """Counts the requests that have reached the cache; `all_in` is set when the last of `expected` has."""

    def __init__(self, expected: int):
        self.expected, self.count = expected, 0
        self.lock, self.all_in = threading.Lock(), threading.Event()

    def ask(self, cache: ExportCache, key, build) -> bytes:
        with self.lock:
            self.count += 1
            if self.count == self.expected:
                self.all_in.set()
        return cache.get(key, build)


def test_twelve_requests_at_once_build_the_file_once():
    cache, builds, arrivals = ExportCache(), [], Arrivals(12)

    def build() -> bytes:
        builds.append(1)
        assert arrivals.all_in.wait(10)  # every request arrives while the first build is under way
        return b"generated export"

    with ThreadPoolExecutor(12) as pool:
        futures = [pool.submit(arrivals.ask, cache, ("store", 1, 1, "geojson"), build) for _ in range(12)]
        results = [f.result(20) for f in futures]
    assert builds == [1] and set(results) == {b"generated export"}


def test_builds_of_different_files_never_overlap():
    cache, running, most, arrivals = ExportCache(), [0], [0], Arrivals(8)
    lock = threading.Lock()

    def build() -> bytes:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        assert arrivals.all_in.wait(10)  # without the cache's lock every build would be under way by now
        with lock:
            running[0] -= 1
        return b"x"

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda layer: arrivals.ask(cache, ("store", layer, 1, "gpkg"), build), range(8)))
    assert most == [1]


def test_the_cache_keeps_at_most_its_bytes_newest_first():
    cache = ExportCache(max_bytes=10)
    cache.get("a", lambda: b"12345")
    cache.get("b", lambda: b"12345")
    cache.get("c", lambda: b"12345")  # "a" goes
    assert cache.get("b", lambda: b"rebuilt") == b"12345" and cache.get("a", lambda: b"rebuilt") == b"rebuilt"
    assert cache.get("huge", lambda: b"x" * 11) == b"x" * 11 and cache.get("huge", lambda: b"again") == b"again"


def test_a_session_may_start_a_few_exports_a_minute_and_hits_are_free():
    clock = Clock()
    cache, budget = ExportCache(), ExportBudget(limit=3, window_s=60, clock=clock)
    for layer in range(3):
        cache.get(layer, lambda: b"built", budget)
    assert cache.get(0, lambda: b"rebuilt", budget) == b"built"  # kept: costs nothing
    with pytest.raises(ExportRefused):
        cache.get(99, lambda: b"built", budget)
    clock.now = 61
    assert cache.get(99, lambda: b"built", budget) == b"built"


def test_the_layer_page_exports_a_layer_once_for_many_clicks_in_the_worker(portfolio, monkeypatch):
    import ui.layer_admin

    store = open_store()
    info = store.save(portfolio.parks.head(5), "Generated parks for downloads", "parks")
    built = []
    real_run = ui.layer_admin.run_limited

    def counted(function, *args, **kwargs):
        built.append((function.__name__, args[1:]))
        return real_run(function, *args, **kwargs)  # the real worker process, with its limits

    monkeypatch.setattr(ui.layer_admin, "run_limited", counted)
    callables = {}
    add_deferred = MediaFileManager.add_deferred

    def recording(self, data_callable, *args, **kwargs):
        callables[kwargs.get("file_name")] = data_callable
        return add_deferred(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    at = app("pages/4_Kartlag.py").run()
    assert not at.exception
    click = callables[f"industrikart_lag_{info.id}_v{info.version}.geojson"]
    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(lambda _: click(), range(12)))
    assert built == [("export_stored", (info.id, "geojson", info.version))] and len(set(results)) == 1
    assert b"Generated parks for downloads" in results[0]
    assert results[0] == store.export(info.id, "geojson")  # the worker's file is the store's own


def test_a_failed_export_is_not_tried_again_at_once():
    clock, tries = Clock(), []
    cache = ExportCache(failure_s=60, clock=clock)

    def broken() -> bytes:
        tries.append(1)
        raise RuntimeError("generated: the layer cannot be exported")

    for _ in range(5):
        with pytest.raises(RuntimeError):
            cache.get("broken", broken)
    assert tries == [1]
    clock.now = 61
    with pytest.raises(RuntimeError):
        cache.get("broken", broken)
    assert tries == [1, 1]


def test_the_budget_belongs_to_the_client_not_the_session():
    from ui.export_cache import client_budget

    assert client_budget("198.51.100.20") is client_budget("198.51.100.20")  # a new session: the same budget
    assert client_budget("198.51.100.20") is not client_budget("198.51.100.21")


def test_map_exports_run_one_at_a_time_are_never_kept_and_count_against_the_budget():
    """A map export (a view with no version) is built on every click, one at a time, within the budget."""
    cache, running, most, builds = ExportCache(), [0], [0], []
    changed = threading.Condition()
    started = threading.Barrier(4, timeout=10)

    def build() -> bytes:
        with changed:
            running[0] += 1
            most[0] = max(most[0], running[0])
            builds.append(1)
            changed.notify_all()
            changed.wait_for(lambda: running[0] > 1, timeout=0.3)  # without the lock a second build starts here
            running[0] -= 1
            return b"map %d" % len(builds)

    def click() -> bytes:
        started.wait()  # all four clicks arrive together
        return cache.run(build)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: click(), range(4)))
    assert most == [1] and len(builds) == 4 and len(set(results)) == 4  # each click built its own file
    budget = ExportBudget(limit=2, window_s=60, clock=Clock())
    cache.run(build, budget)
    cache.run(build, budget)
    with pytest.raises(ExportRefused):
        cache.run(build, budget)
