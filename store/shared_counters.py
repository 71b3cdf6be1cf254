"""Counters that every app replica must share, kept in PostgreSQL: the editor password's wrong guesses.

With several replicas behind a load balancer, a per-process count would let an attacker spread guesses
over the replicas. `PostGISGuessCounter` keeps each wrong guess as a timestamped row and the lockout as
one row per name, in two small tables in the store's schema (`INDUSTRIKART_PG_SCHEMA`). Times come from
the database server, so replicas on different machines agree on the window. Only parameterised SQL and
quoted identifiers; nothing of what was typed is stored. A connection per call: sign-ins are rare.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import psycopg
from psycopg import sql

from config import STORE_PG_SCHEMA, StoreLocation, settings

GUESSES_TABLE = "shared_guesses"
LOCKS_TABLE = "shared_locks"


class PostGISGuessCounter:
    """Wrong guesses within a window and a lockout, shared by every process using the same schema."""

    def __init__(self, url: str, schema: str = STORE_PG_SCHEMA, name: str = "editor_password", timeout: int = 5):
        self.url = re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url.strip())
        self.schema = schema
        self.name = name
        self.timeout = timeout
        self._ready = False

    def __repr__(self) -> str:
        return f"PostGISGuessCounter(schema={self.schema!r}, name={self.name!r})"  # never the URL

    def _t(self, table: str) -> sql.Identifier:
        return sql.Identifier(self.schema, table)

    @contextmanager
    def _cursor(self) -> Iterator[psycopg.Cursor]:
        with psycopg.connect(self.url, connect_timeout=self.timeout) as conn, conn.cursor() as cur:
            if not self._ready:
                cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"industrikart-counters:{self.schema}",))
                cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema)))
                cur.execute(
                    sql.SQL("CREATE TABLE IF NOT EXISTS {} (name text NOT NULL, at timestamptz NOT NULL)").format(
                        self._t(GUESSES_TABLE)
                    )
                )
                cur.execute(
                    sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (name, at)").format(
                        sql.Identifier(f"{GUESSES_TABLE}_name_at"), self._t(GUESSES_TABLE)
                    )
                )
                cur.execute(
                    sql.SQL("CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, until timestamptz NOT NULL)").format(
                        self._t(LOCKS_TABLE)
                    )
                )
            yield cur
        self._ready = True

    def add_failure(self, window_s: float) -> int:
        """Record one wrong guess; the number of wrong guesses (every replica's) within the last `window_s`."""
        with self._cursor() as cur:
            cur.execute(
                sql.SQL("DELETE FROM {} WHERE name = %s AND at < now() - make_interval(secs => %s)").format(
                    self._t(GUESSES_TABLE)
                ),
                (self.name, float(window_s)),
            )
            cur.execute(
                sql.SQL("INSERT INTO {} (name, at) VALUES (%s, now())").format(self._t(GUESSES_TABLE)), (self.name,)
            )
            cur.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE name = %s AND at > now() - make_interval(secs => %s)").format(
                    self._t(GUESSES_TABLE)
                ),
                (self.name, float(window_s)),
            )
            return int(cur.fetchone()[0])

    def lock(self, seconds: float) -> bool:
        """Lock everyone out for `seconds` unless a lockout runs already; True when this call started it."""
        with self._cursor() as cur:
            cur.execute(
                sql.SQL(
                    "INSERT INTO {t} (name, until) VALUES (%s, now() + make_interval(secs => %s)) "
                    "ON CONFLICT (name) DO UPDATE SET until = EXCLUDED.until WHERE {t}.until <= now() RETURNING 1"
                ).format(t=self._t(LOCKS_TABLE)),
                (self.name, float(seconds)),
            )
            return cur.fetchone() is not None

    def locked_for(self) -> float:
        """Seconds left of the shared lockout (0 when there is none)."""
        with self._cursor() as cur:
            cur.execute(
                sql.SQL("SELECT extract(epoch FROM until - now()) FROM {} WHERE name = %s").format(
                    self._t(LOCKS_TABLE)
                ),
                (self.name,),
            )
            row = cur.fetchone()
            return max(0.0, float(row[0])) if row else 0.0

    def reset(self) -> None:
        """Forget every guess and lockout under this name (for tests)."""
        with self._cursor() as cur:
            cur.execute(sql.SQL("DELETE FROM {} WHERE name = %s").format(self._t(GUESSES_TABLE)), (self.name,))
            cur.execute(sql.SQL("DELETE FROM {} WHERE name = %s").format(self._t(LOCKS_TABLE)), (self.name,))


def shared_guess_counter(env: Mapping[str, str] | None = None) -> PostGISGuessCounter | None:
    """The PostGIS counter when the store is PostGIS (several replicas share it); None for local use. The store is
    the one the settings name, or the one an environment-like `env` names."""
    location = settings().store if env is None else StoreLocation.from_env(env)
    return PostGISGuessCounter(location.url, schema=location.schema) if location.url else None
