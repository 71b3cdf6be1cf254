"""The PostgreSQL/PostGIS backend: every layer version as a table in one schema.

Each operation is one transaction on its own connection, so a failed or killed writer leaves
nothing behind (PostgreSQL DDL is transactional too). Identifiers are always quoted by psycopg's
`sql.Identifier`; values are always bound parameters.
"""

from __future__ import annotations

import builtins
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import psycopg
import shapely
from psycopg import sql

from config import AUDIT_LIMIT, STORE_PG_SCHEMA
from core.roles import RoleRule
from store.base import (
    VERSION_COLUMNS,
    LayerStore,
    NewLayer,
    NewVersion,
    audit_from_row,
    audit_values,
    data_table,
    info_from_row,
    layer_key,
    row_range,
    rule_from_row,
)
from store.columns import Encoded, decode, layout_columns
from store.errors import LayerDeleted, LayerNotFound, StoreError
from store.records import AuditEntry, LayerInfo

log = logging.getLogger(__name__)

_PG_TYPES = {
    "str": "text",
    "int": "bigint",
    "float": "double precision",
    "bool": "boolean",
    "datetime": "text",  # ISO text, as in the GeoPackage: keeps the offset exactly as given
    "json": "jsonb",
}
_UPDATABLE = {"title", "description", "style", "visible", "current_version", "deleted_at", "owner"}
_INFO_COLUMNS = """
l.id, l.title, l.kind, v.original_filename, v.original_crs, v.uploader, v.created_at,
v.feature_count, l.description, v.source_licence, l.visible, v.version, l.deleted_at, l.style, l.owner
"""
_AUDIT_COLUMNS = "at, subject, name, action, outcome, layer_id, owner, before, after"


class PostGISStore(LayerStore):
    def __init__(self, url: str, schema: str = STORE_PG_SCHEMA, connect_timeout: int = 10):
        # SQLAlchemy-style URLs (postgresql+psycopg://) are common in deployment settings
        self.url = re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url.strip())
        self.schema = schema
        self.connect_timeout = connect_timeout
        self._ready = False
        with self._transaction():
            pass  # fail now if the database cannot be reached; creates the tables

    def __repr__(self) -> str:
        return f"PostGISStore(schema={self.schema!r})"  # the URL may hold a password

    def _t(self, name: str) -> sql.Composable:
        return sql.Identifier(self.schema, name)

    # --- reading -------------------------------------------------------------------------------

    def get(self, layer_id: int) -> LayerInfo:
        layer_id = layer_key(layer_id)
        with self._transaction() as cur:
            return self._get(cur, layer_id)

    def versions(self, layer_id: int) -> builtins.list[LayerInfo]:
        layer_id = layer_key(layer_id)
        with self._transaction() as cur:
            self._get(cur, layer_id)
            cur.execute(self._info_sql(sql.SQL("l.id = %s ORDER BY v.version"), current=False), (layer_id,))
            return [_info(r) for r in cur.fetchall()]

    def list(self, include_deleted: bool = False) -> builtins.list[LayerInfo]:
        where = "true" if include_deleted else "l.deleted_at IS NULL"
        with self._transaction() as cur:
            cur.execute(self._info_sql(sql.SQL(where + " ORDER BY l.id")))
            return [_info(r) for r in cur.fetchall()]

    def read(
        self, layer_id: int, version: int | None = None, *, start: int = 0, count: int | None = None
    ) -> gpd.GeoDataFrame:
        start, count = row_range(start, count)
        layer_id = layer_key(layer_id)
        with self._transaction() as cur:
            info = self._get(cur, layer_id)
            version = info.version if version is None else int(version)
            cur.execute(
                sql.SQL("SELECT table_name, layout FROM {} WHERE layer_id = %s AND version = %s").format(
                    self._t("layer_versions")
                ),
                (layer_id, version),
            )
            row = cur.fetchone()
            if row is None:
                raise LayerNotFound("store_no_version", layer_id=layer_id, version=version)
            table, layout = row
            spec = layout_columns(layout)
            names = [c.column for c in spec]
            # jsonb as text: the shared decoder parses it, exactly as for the GeoPackage
            select = [sql.SQL("ST_AsBinary(geom)")] + [
                sql.SQL("{}::text").format(sql.Identifier(c.column)) if c.type == "json" else sql.Identifier(c.column)
                for c in spec
            ]
            # the numbers as literals, no parameters: a column name may hold "%s" (psycopg would read it)
            cur.execute(
                sql.SQL("SELECT {} FROM {} ORDER BY _ord LIMIT {} OFFSET {}").format(
                    sql.SQL(", ").join(select), self._t(table), sql.Literal(count), sql.Literal(start)
                )  # LIMIT NULL: every row
            )
            rows = cur.fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(names) + 1)]
        values = {name: list(col) for name, col in zip(names, columns[1:], strict=True)}
        return decode(layout, values, [None if b is None else bytes(b) for b in columns[0]])

    # --- writing -------------------------------------------------------------------------------

    def _save(self, new: NewVersion, layer: NewLayer) -> LayerInfo:
        with self._transaction() as cur:
            cur.execute(
                sql.SQL(
                    "INSERT INTO {} (title, kind, description, style, owner, visible, current_version) "
                    "VALUES (%s, %s, %s, %s, %s, true, 1) RETURNING id"
                ).format(self._t("layers")),
                (layer.title, layer.kind, layer.description, layer.style, layer.owner),
            )
            (layer_id,) = cur.fetchone()
            return self._add_version(cur, layer_id, 1, new, {})

    def _replace(self, layer_id: int, new: NewVersion, description: str | None) -> LayerInfo:
        layer_id = layer_key(layer_id)
        with self._transaction() as cur:
            # FOR UPDATE: two replaces of one layer take turns and get different version numbers
            cur.execute(
                sql.SQL("SELECT deleted_at FROM {} WHERE id = %s FOR UPDATE").format(self._t("layers")), (layer_id,)
            )
            row = cur.fetchone()
            if row is None:
                raise LayerNotFound("store_no_layer", layer_id=layer_id)
            if row[0] is not None:
                raise LayerDeleted("store_layer_deleted", layer_id=layer_id)
            cur.execute(
                sql.SQL("SELECT max(version) FROM {} WHERE layer_id = %s").format(self._t("layer_versions")),
                (layer_id,),
            )
            (last,) = cur.fetchone()
            extra = {} if description is None else {"description": description}
            return self._add_version(cur, layer_id, last + 1, new, extra)

    def _add_version(self, cur, layer_id: int, version: int, new: NewVersion, extra: dict) -> LayerInfo:
        table = data_table(layer_id, version)
        self._write_table(cur, table, new.data)
        cur.execute(
            sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                self._t("layer_versions"),
                sql.SQL(", ").join(map(sql.Identifier, VERSION_COLUMNS)),
                sql.SQL(", ").join(sql.Placeholder() * len(VERSION_COLUMNS)),
            ),
            new.row(layer_id, version, table),
        )
        self._set(cur, layer_id, {"current_version": version, **extra})
        info = self._get(cur, layer_id)
        self._insert_log(cur, info)
        self._before_publish()
        return info

    def _update(self, layer_id: int, **fields) -> LayerInfo:
        layer_id = layer_key(layer_id)
        with self._transaction() as cur:
            self._get(cur, layer_id)
            self._set(cur, layer_id, fields)
            info = self._get(cur, layer_id)
            self._insert_log(cur, info)
            return info

    def _purge(self, cutoff: datetime) -> builtins.list[int]:
        with self._transaction() as cur:
            cur.execute(
                sql.SQL("SELECT id FROM {} WHERE deleted_at <= %s ORDER BY id FOR UPDATE").format(self._t("layers")),
                (cutoff,),
            )
            doomed = [i for (i,) in cur.fetchall()]
            cur.execute(
                sql.SQL("SELECT table_name FROM {} WHERE layer_id = ANY(%s)").format(self._t("layer_versions")),
                (doomed,),
            )
            tables = [t for (t,) in cur.fetchall()]
            cur.execute(sql.SQL("DELETE FROM {} WHERE id = ANY(%s)").format(self._t("layers")), (doomed,))
            for table in tables:
                cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(self._t(table)))
        return doomed

    def _write_table(self, cur, table: str, data: Encoded) -> None:
        definitions = [sql.SQL("_ord integer PRIMARY KEY"), sql.SQL("geom {}").format(sql.SQL(_geometry_type(data)))]
        definitions += [
            sql.SQL("{} {}").format(sql.Identifier(c.column), sql.SQL(_PG_TYPES[c.type])) for c in data.columns
        ]
        cur.execute(sql.SQL("CREATE TABLE {} ({})").format(self._t(table), sql.SQL(", ").join(definitions)))
        names = [sql.Identifier("_ord"), sql.Identifier("geom")] + [sql.Identifier(c.column) for c in data.columns]
        ewkb = shapely.to_wkb(shapely.set_srid(data.geoms, 4326), hex=True, include_srid=True).tolist()
        columns = [data.values[c.column] for c in data.columns]
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(self._t(table), sql.SQL(", ").join(names))
        with cur.copy(copy_sql) as copy:
            for i, row in enumerate(zip(ewkb, *columns, strict=True)):
                copy.write_row((i, *row))
        cur.execute(sql.SQL("CREATE INDEX ON {} USING gist (geom)").format(self._t(table)))

    # --- plumbing ------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Cursor]:
        """One connection, one transaction: committed if the block returns, rolled back if it raises."""
        try:
            conn = psycopg.connect(self.url, connect_timeout=self.connect_timeout)
        except psycopg.OperationalError as exc:
            # The driver's text names the database host, port and user: for the log, never for a page.
            log.warning("cannot reach the PostGIS layer store: %s", exc)
            raise StoreError("store_unreachable") from None
        try:
            with conn, conn.cursor() as cur:
                if not self._ready:
                    self._create_tables(cur)
                yield cur
        except psycopg.Error as exc:
            log.warning("the PostGIS layer store refused the change: %s", exc)
            raise StoreError("store_refused") from exc
        self._ready = True

    def _create_tables(self, cur) -> None:
        # The advisory lock keeps two first-time processes from racing on CREATE ... IF NOT EXISTS.
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"industrikart-store:{self.schema}",))
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
        if cur.fetchone() is None:
            try:
                cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except psycopg.Error as exc:
                log.warning("PostGIS could not be added: %s", exc)
                raise StoreError("store_no_postgis") from None
        cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema)))
        cur.execute(
            sql.SQL(
                """CREATE TABLE IF NOT EXISTS {} (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    title text NOT NULL,
                    kind text NOT NULL,
                    description text NOT NULL DEFAULT '',
                    style text NOT NULL DEFAULT '{{}}',
                    visible boolean NOT NULL DEFAULT true,
                    current_version integer NOT NULL,
                    deleted_at timestamptz
                )"""
            ).format(self._t("layers"))
        )
        # Stores made before layers had a style, or an owner (the county's, then), get the column on first open.
        cur.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS style text NOT NULL DEFAULT '{{}}'").format(
                self._t("layers")
            )
        )
        cur.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS owner text NOT NULL DEFAULT '50'").format(
                self._t("layers")
            )
        )
        self._create_audit_tables(cur)
        cur.execute(
            sql.SQL(
                """CREATE TABLE IF NOT EXISTS {} (
                    layer_id bigint NOT NULL REFERENCES {} (id) ON DELETE CASCADE,
                    version integer NOT NULL,
                    table_name text NOT NULL,
                    original_filename text NOT NULL,
                    original_crs text NOT NULL,
                    uploader text NOT NULL,
                    created_at timestamptz NOT NULL,
                    feature_count integer NOT NULL,
                    source_licence text NOT NULL,
                    layout text NOT NULL,
                    PRIMARY KEY (layer_id, version)
                )"""
            ).format(self._t("layer_versions"), self._t("layers"))
        )

    def _create_audit_tables(self, cur) -> None:
        """The audit log, append-only for everyone but its owner's DDL: triggers refuse UPDATE, DELETE and TRUNCATE."""
        cur.execute(
            sql.SQL(
                """CREATE TABLE IF NOT EXISTS {} (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    at timestamptz NOT NULL,
                    subject text NOT NULL,
                    name text NOT NULL,
                    action text NOT NULL,
                    outcome text NOT NULL,
                    layer_id bigint,
                    owner text NOT NULL,
                    before jsonb NOT NULL,
                    after jsonb NOT NULL
                )"""
            ).format(self._t("audit"))
        )
        cur.execute(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
            ).format(self._t("audit_append_only"))
        )
        for name, when in (("audit_no_change", "UPDATE OR DELETE"), ("audit_no_truncate", "TRUNCATE")):
            each = "STATEMENT" if when == "TRUNCATE" else "ROW"
            cur.execute(
                sql.SQL("CREATE OR REPLACE TRIGGER {} BEFORE {} ON {} FOR EACH {} EXECUTE FUNCTION {}()").format(
                    sql.Identifier(name), sql.SQL(when), self._t("audit"), sql.SQL(each), self._t("audit_append_only")
                )
            )
        cur.execute(
            sql.SQL(
                """CREATE TABLE IF NOT EXISTS {} (
                    position integer PRIMARY KEY,
                    claim text NOT NULL,
                    value text NOT NULL,
                    role text NOT NULL,
                    municipalities text NOT NULL,
                    provider text NOT NULL DEFAULT ''
                )"""
            ).format(self._t("role_rules"))
        )

    def _append_audit(self, entry: AuditEntry) -> None:
        with self._transaction() as cur:
            self._insert_audit(cur, entry)

    def _insert_log(self, cur, after: LayerInfo) -> None:
        entry = self._log_entry(after)
        if entry is not None:
            self._insert_audit(cur, entry)

    def _insert_audit(self, cur, entry: AuditEntry) -> None:
        values = audit_values(entry)
        cur.execute(
            sql.SQL("INSERT INTO {} ({}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb)").format(
                self._t("audit"), sql.SQL(_AUDIT_COLUMNS)
            ),
            values,
        )

    def audit_log(self, layer_id: int | None = None, limit: int = AUDIT_LIMIT) -> builtins.list[AuditEntry]:
        where = sql.SQL("WHERE layer_id = %s") if layer_id is not None else sql.SQL("")
        params = (layer_key(layer_id),) if layer_id is not None else ()
        with self._transaction() as cur:
            cur.execute(
                sql.SQL("SELECT id, {} FROM {} {} ORDER BY id DESC LIMIT %s").format(
                    sql.SQL(_AUDIT_COLUMNS), self._t("audit"), where
                ),
                (*params, int(limit)),
            )
            rows = cur.fetchall()
        return [audit_from_row(r, lambda value: value.astimezone(UTC)) for r in rows]

    def role_rules(self) -> builtins.list[RoleRule]:
        with self._transaction() as cur:
            cur.execute(
                sql.SQL("SELECT claim, value, role, municipalities, provider FROM {} ORDER BY position").format(
                    self._t("role_rules")
                )
            )
            rows = cur.fetchall()
        return [rule_from_row(r) for r in rows]

    def _replace_role_rules(self, rows: builtins.list[tuple], entry: AuditEntry) -> None:
        with self._transaction() as cur:
            cur.execute(sql.SQL("DELETE FROM {}").format(self._t("role_rules")))
            for i, row in enumerate(rows):
                cur.execute(
                    sql.SQL(
                        "INSERT INTO {} (position, claim, value, role, municipalities, provider) "
                        "VALUES (%s, %s, %s, %s, %s, %s)"
                    ).format(self._t("role_rules")),
                    (i, *row),
                )
            self._insert_audit(cur, entry)

    def _info_sql(self, where: sql.Composable, current: bool = True) -> sql.Composed:
        join = "v.layer_id = l.id AND v.version = l.current_version" if current else "v.layer_id = l.id"
        return sql.SQL("SELECT {} FROM {} l JOIN {} v ON {} WHERE {}").format(
            sql.SQL(_INFO_COLUMNS), self._t("layers"), self._t("layer_versions"), sql.SQL(join), where
        )

    def _get(self, cur, layer_id: int) -> LayerInfo:
        cur.execute(self._info_sql(sql.SQL("l.id = %s")), (layer_id,))
        row = cur.fetchone()
        if row is None:
            raise LayerNotFound("store_no_layer", layer_id=layer_id)
        return _info(row)

    def _set(self, cur, layer_id: int, fields: dict) -> None:
        assert fields and set(fields) <= _UPDATABLE, fields  # column names come from code, never from users
        assignments = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(name)) for name in fields)
        cur.execute(
            sql.SQL("UPDATE {} SET {} WHERE id = %s").format(self._t("layers"), assignments),
            (*fields.values(), layer_id),
        )


def _geometry_type(data: Encoded) -> str:
    """A typed geometry column when the layer allows one; PostGIS refuses Z or M in a 2D column."""
    present = data.geoms[[g is not None and not g.is_empty for g in data.geoms]]
    has_m = getattr(shapely, "has_m", lambda g: np.zeros(len(g), bool))(present)
    has_z = shapely.has_z(present)
    if not has_m.any() and not has_z.any():
        return "geometry(Geometry, 4326)"
    if not has_m.any() and has_z.all():
        return "geometry(GeometryZ, 4326)"
    return "geometry CHECK (ST_SRID(geom) = 4326)"


def _info(row: tuple) -> LayerInfo:
    return info_from_row(row, lambda value: value.astimezone(UTC))
