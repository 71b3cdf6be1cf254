"""Several replicas: cached frames are read-only per session, the guess limit is shared in PostGIS."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from shapely.geometry import Point

import config
import ui.data
from store.shared_counters import PostGISGuessCounter, shared_guess_counter
from tests.helpers.store_fixtures import PG_URL
from ui.password_throttle import GuessLimiter, GuessRules
from ui.shared_frames import shared_view

ROOT = Path(__file__).resolve().parents[1]
NO_PG = 'needs TEST_DATABASE_URL or DATABASE_URL: start one with eval "$(bash tests/postgis.sh start)"'


def _fingerprint(portfolio) -> tuple:
    return tuple(
        (name, tuple(frame.columns), len(frame), frame.astype(str).to_csv())
        for name in ("parks", "sources", "members", "figures", "municipalities")
        for frame in [getattr(portfolio, name)]
    )


def test_an_in_place_change_in_one_session_never_reaches_another():
    first = ui.data.portfolio("nb", layers=[])  # what one session gets from st.cache_resource
    pristine = _fingerprint(first)
    parks = first.parks
    parks.loc[parks.index[0], "name"] = "endret av økt 1"
    parks.loc[parks.index[0], "geometry"] = Point(0, 0)
    parks["added_by_session"] = 1
    del parks[parks.columns[1]]
    first.sources.iloc[0, 0] = "x"
    first.figures.loc[first.figures.index[0], first.figures.columns[0]] = None
    first.members.index = range(100, 100 + len(first.members))
    first.municipalities.rename(columns=str.upper, inplace=True)  # noqa: PD002 (the in-place change under test)
    second = ui.data.portfolio("nb", layers=[])  # the next session
    assert _fingerprint(second) == pristine
    assert ui.data._bundled(str(config.GEODATA_DIR)) is not second  # a view, not the cached object


def test_shared_view_copies_containers_around_frames():
    frame = ui.data.portfolio("nb", layers=[]).parks
    nested = shared_view([("title", frame, {"color": "red"})])
    nested[0][1]["x"] = 1
    nested[0][2]["color"] = "blue"
    assert "x" not in frame.columns


class _Broken:
    def add_failure(self, window_s):
        raise OSError("database down")

    def lock(self, seconds):
        raise OSError("database down")

    def locked_for(self):
        raise OSError("database down")

    def reset(self):
        pass


def test_an_unreadable_shared_count_refuses_the_try():
    limiter = GuessLimiter(shared=_Broken())
    refusal = limiter.refusal("session")
    assert refusal is not None and refusal.locked
    limiter.failure("session")  # counted per session still; nothing raises


def test_no_database_url_means_the_in_memory_limiter():
    assert shared_guess_counter({}) is None
    counter = shared_guess_counter({"DATABASE_URL": "postgresql://u:secret@h/db", "INDUSTRIKART_PG_SCHEMA": "s"})
    assert counter.schema == "s" and "secret" not in repr(counter)


@pytest.fixture
def pg_schema():
    if not PG_URL:
        if os.environ.get("REQUIRE_POSTGIS"):
            raise RuntimeError("REQUIRE_POSTGIS is set but no PostGIS URL: " + NO_PG)
        pytest.skip(NO_PG)
    schema = f"counters_{uuid.uuid4().hex[:10]}"
    yield schema
    with psycopg.connect(PG_URL) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def test_the_limit_for_everyone_holds_across_replicas(pg_schema):
    # two replicas: two processes' limiters, each with its own connection to the same schema
    replicas = [
        GuessLimiter(
            GuessRules(free_failures=100, session_limit=100, global_limit=6),
            shared=PostGISGuessCounter(PG_URL, pg_schema),
        )
        for _ in range(2)
    ]
    for i in range(5):  # 5 wrong guesses spread over both replicas and many sessions: not yet
        replica = replicas[i % 2]
        assert replica.refusal(f"s{i}") is None
        replica.failure(f"s{i}")
    assert replicas[0].refusal("fresh") is None and replicas[1].refusal("fresh") is None
    replicas[1].failure("s5")  # the 6th, on either replica, locks everyone out on both
    for replica in replicas:
        refusal = replica.refusal("someone-else")
        assert refusal is not None and refusal.locked
        assert refusal.seconds > config.EDITOR_GUESS_GLOBAL_LOCKOUT_S - 30
    replicas[0].reset()
    assert replicas[1].refusal("someone-else") is None


def test_hostile_names_stay_data(pg_schema):
    counter = PostGISGuessCounter(PG_URL, pg_schema, name="x'); DROP TABLE shared_locks; --")
    assert counter.add_failure(60) == 1
    assert counter.lock(60) and not counter.lock(60)  # a running lockout is not extended
    assert counter.locked_for() > 50


def test_nginx_config_balances_sticky_with_websockets_and_the_upload_limit(tmp_path):
    out = subprocess.run(
        [sys.executable, "deploy/render_nginx.py", "--listen", "127.0.0.1:8080", "--rundir", str(tmp_path)]
        + ["127.0.0.1:8501", "127.0.0.1:8502"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"client_max_body_size {config.MAX_UPLOAD_BYTES};" in out
    assert "hash $route_key consistent;" in out
    assert out.count("max_fails=1 fail_timeout=10s;") == 2
    assert "location /_stcore/stream" in out and "proxy_set_header Upgrade $http_upgrade;" in out
    if shutil.which("nginx"):
        (tmp_path / "nginx.conf").write_text(out)
        check = subprocess.run(
            ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], capture_output=True
        )
        assert check.returncode == 0, check.stderr.decode()


def test_shared_view_shares_what_cannot_change_and_copies_what_holds_frames():
    from analysis.filters import Filters
    from analysis.in_view import MapFeature
    from ui.overview import OverviewContent, overview_content

    feature = MapFeature("parks", ("park-malm",), "Malm", ("planned",), None, (64.07, 11.23))
    pair = (feature, "x")
    assert shared_view(feature) is feature and shared_view(pair) is pair
    kept = overview_content(ui.data.portfolio("nb", layers=[]), Filters(), frozenset({"parks"}), "nb")
    view = shared_view(kept)
    assert isinstance(view, OverviewContent) and view is not kept and view.view.parks is not kept.view.parks
    assert view.on_map is not kept.on_map and view.on_map[0] is kept.on_map[0]  # a new list of the same features
    view.view.parks["x"] = 1
    assert "x" not in kept.view.parks.columns
