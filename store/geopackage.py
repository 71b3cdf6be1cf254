"""The default backend: every layer version as a table in one GeoPackage file, changed in place.

Writing a version: GDAL (pyogrio) writes it as a one-layer GeoPackage in a private file beside the
store, `layer_<id>_v<n>` with GDAL's column types, R-tree index and registry rows. One SQLite
transaction then moves that table into the store (ATTACH, CREATE ... and INSERT ... SELECT of what
GDAL made) together with its metadata row: from the commit on readers see the new version, before
it they see the previous state, and a writer killed at any moment leaves no trace in the store, only
the private file, which the next writer (or the next open) removes. Metadata changes (rename,
hide/show, description, style, delete/restore, restore a version, purge) are one small transaction
each. Nothing copies the store file.

The file is in WAL mode, so readers never wait for a writer and each read sees one committed state.
Writers take turns through a lock file. Why GDAL never opens the live file: the pyogrio wheel's GDAL
carries its own copy of SQLite, and two SQLite copies in one process on one file break each other's
POSIX locks (sqlite.org/howtocorrupt.html, 2.2.1); so in this process only Python's sqlite3 touches
the store, and GDAL only private files. That is also why geometries are read from GDAL's blobs here
(the GeoPackage header, then standard WKB) rather than through pyogrio.

The layout version is in the table industrikart_schema. A file from before it (layout 1: the store
that copied the whole file on every write) is migrated in place, in one transaction, when opened:
its layers and tables stay as they are; it gains the schema table, the style column if it lacks
one, and WAL mode. A GeoPackage without the store's tables (layout 0) gets them. A newer layout is
refused with StoreLayoutError.
"""

from __future__ import annotations

import builtins
import logging
import os
import re
import sqlite3
import struct
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors
from filelock import FileLock, Timeout

from config import STORE_LOCK_TIMEOUT
from core.roles import RoleRule
from store.base import (
    AUDIT_LIMIT,
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
from store.errors import LayerDeleted, LayerNotFound, StoreBusy, StoreError, StoreLayoutError
from store.records import AuditEntry, LayerInfo

log = logging.getLogger(__name__)

LAYERS_TABLE = "industrikart_layers"
VERSIONS_TABLE = "industrikart_layer_versions"
SCHEMA_TABLE = "industrikart_schema"  # an attribute table, made by GDAL: one row, the layout version
SCHEMA_VERSION = 3
AUDIT_TABLE = "industrikart_audit"  # append-only: triggers refuse UPDATE and DELETE
RULES_TABLE = "industrikart_role_rules"
GEOMETRY_COLUMN = "geom"
INCOMING = "incoming"  # the schema name a private GDAL file is attached under

_TABLES = (
    f"""CREATE TABLE IF NOT EXISTS {LAYERS_TABLE} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a purged id is never given out again
        title TEXT NOT NULL,
        kind TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        style TEXT NOT NULL DEFAULT '{{}}',
        visible INTEGER NOT NULL DEFAULT 1,
        current_version INTEGER NOT NULL,
        deleted_at TEXT,
        owner TEXT NOT NULL DEFAULT '50'
    )""",
    f"""CREATE TABLE IF NOT EXISTS {VERSIONS_TABLE} (
        layer_id INTEGER NOT NULL REFERENCES {LAYERS_TABLE}(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        table_name TEXT NOT NULL,
        original_filename TEXT NOT NULL,
        original_crs TEXT NOT NULL,
        uploader TEXT NOT NULL,
        created_at TEXT NOT NULL,
        feature_count INTEGER NOT NULL,
        source_licence TEXT NOT NULL,
        layout TEXT NOT NULL,
        PRIMARY KEY (layer_id, version)
    )""",
    f"""CREATE TABLE IF NOT EXISTS {AUDIT_TABLE} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        subject TEXT NOT NULL,
        name TEXT NOT NULL,
        action TEXT NOT NULL,
        outcome TEXT NOT NULL,
        layer_id INTEGER,
        owner TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL
    )""",
    *(
        f"""CREATE TRIGGER IF NOT EXISTS {AUDIT_TABLE}_no_{verb.lower()} BEFORE {verb} ON {AUDIT_TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
        for verb in ("UPDATE", "DELETE")
    ),
    f"""CREATE TABLE IF NOT EXISTS {RULES_TABLE} (
        position INTEGER PRIMARY KEY,
        claim TEXT NOT NULL,
        value TEXT NOT NULL,
        role TEXT NOT NULL,
        municipalities TEXT NOT NULL,
        provider TEXT NOT NULL DEFAULT ''
    )""",
)

_INFO_SELECT = f"""
SELECT l.id, l.title, l.kind, v.original_filename, v.original_crs, v.uploader, v.created_at,
       v.feature_count, l.description, v.source_licence, l.visible, v.version, l.deleted_at, l.style, l.owner
FROM {LAYERS_TABLE} l JOIN {VERSIONS_TABLE} v ON v.layer_id = l.id
"""
_CURRENT = "v.version = l.current_version"
_UPDATABLE = {"title", "description", "style", "visible", "current_version", "deleted_at", "owner"}
_DATA_TABLE = re.compile(r"layer_\d+_v\d+")
# A version's table, or the R-tree GDAL keeps for its geometry (with the R-tree's own tables).
_OWNED = re.compile(r"(?:rtree_)?(?P<table>layer_\d+_v\d+)(?:_geom(?:_node|_parent|_rowid)?)?")
_RTREE_SHADOWS = ("_node", "_parent", "_rowid")
_ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}  # GeoPackage 1.4 §2.1.3: envelope contents indicator


class GeoPackageStore(LayerStore):
    def __init__(self, path: str | os.PathLike, lock_timeout: float = STORE_LOCK_TIMEOUT):
        self.path = Path(path).expanduser().resolve()  # resolve(): the lock and the WAL follow the real file
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(f"{self.path}.lock", timeout=lock_timeout)
        self._tmp_prefix = f".{self.path.name}.tmp-"
        with self._reader() as con:  # fail now, not at the first page view, if the file is not usable
            layout = None if con is None else _layout(con)
        if layout is not None and layout > SCHEMA_VERSION:
            raise _too_new(self.path, layout)
        must_upgrade = layout is not None and layout < SCHEMA_VERSION
        try:
            # an upgrade waits for the lock; tidying up after a dead writer is left to the writer busy now
            with self._locked(timeout=None if must_upgrade else 0):
                self._remove_strays()
                if self.path.exists():
                    with self._writer() as con:
                        self._upgrade(con)
                        _drop_orphans(con)
        except StoreBusy:
            if must_upgrade:
                raise

    def __repr__(self) -> str:
        return f"GeoPackageStore({str(self.path)!r})"

    # --- reading -------------------------------------------------------------------------------

    def get(self, layer_id: int) -> LayerInfo:
        layer_id = layer_key(layer_id)
        with self._reader() as con:
            return _get(con, layer_id)

    def versions(self, layer_id: int) -> builtins.list[LayerInfo]:
        layer_id = layer_key(layer_id)
        with self._reader() as con:
            _get(con, layer_id)
            rows = con.execute(_INFO_SELECT + " WHERE l.id = ? ORDER BY v.version", (layer_id,)).fetchall()
        return [_info(r) for r in rows]

    def list(self, include_deleted: bool = False) -> builtins.list[LayerInfo]:
        with self._reader() as con:
            if con is None or not _has_tables(con):
                return []
            where = _CURRENT if include_deleted else f"{_CURRENT} AND l.deleted_at IS NULL"
            rows = con.execute(f"{_INFO_SELECT} WHERE {where} ORDER BY l.id").fetchall()
        return [_info(r) for r in rows]

    def read(
        self, layer_id: int, version: int | None = None, *, start: int = 0, count: int | None = None
    ) -> gpd.GeoDataFrame:
        start, count = row_range(start, count)
        layer_id = layer_key(layer_id)
        with self._reader() as con:  # one read transaction: the metadata and the table it names
            info = _get(con, layer_id)
            version = info.version if version is None else int(version)
            rows = con.execute(
                f"SELECT table_name, layout FROM {VERSIONS_TABLE} WHERE layer_id = ? AND version = ?",
                (layer_id, version),
            ).fetchall()
            if not rows:
                raise LayerNotFound("store_no_version", layer_id=layer_id, version=version)
            table, layout = rows[0]
            return _read_table(con, table, layout, start, count)

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection | None]:
        """A read-only connection in one read transaction: all read through it is one committed state."""
        if not self.path.exists():
            yield None
            return
        uri = self.path.as_uri() + "?mode=ro"
        con = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=self._lock.timeout)
        try:
            try:
                con.execute("BEGIN")
                con.execute("SELECT count(*) FROM gpkg_contents").fetchall()
            except sqlite3.DatabaseError as exc:
                log.warning("the layer store %s is not a GeoPackage (%s)", self.path, exc)  # the path: log only
                raise StoreError("store_not_geopackage") from None
            yield con
        finally:
            con.close()

    # --- writing -------------------------------------------------------------------------------

    def _save(self, new: NewVersion, layer: NewLayer) -> LayerInfo:
        with self._writing() as con:
            layer_id = _next_id(con)

            def insert_layer() -> None:
                con.execute(
                    f"INSERT INTO {LAYERS_TABLE} (id, title, kind, description, style, owner, visible, "
                    "current_version) VALUES (?, ?, ?, ?, ?, ?, 1, 1)",
                    (layer_id, layer.title, layer.kind, layer.description, layer.style, layer.owner),
                )

            return self._add_version(con, layer_id, 1, new, {}, insert_layer)

    def _replace(self, layer_id: int, new: NewVersion, description: str | None) -> LayerInfo:
        layer_id = layer_key(layer_id)
        with self._writing() as con:
            if _get(con, layer_id).deleted:
                raise LayerDeleted("store_layer_deleted", layer_id=layer_id)
            ((last,),) = con.execute(
                f"SELECT max(version) FROM {VERSIONS_TABLE} WHERE layer_id = ?", (layer_id,)
            ).fetchall()
            extra = {} if description is None else {"description": description}
            return self._add_version(con, layer_id, last + 1, new, extra)

    def _add_version(
        self,
        con: sqlite3.Connection,
        layer_id: int,
        version: int,
        new: NewVersion,
        fields: dict,
        insert_layer: Callable[[], None] | None = None,
    ) -> LayerInfo:
        """GDAL writes the version privately; one transaction moves it in and publishes it (lock held)."""
        table = data_table(layer_id, version)
        with self._incoming() as incoming:
            _write_table(incoming, table, new.data)
            _attach(con, incoming)
            try:
                with _transaction(con):
                    _adopt(con, table)
                    if insert_layer is not None:
                        insert_layer()
                    con.execute(
                        f"INSERT INTO {VERSIONS_TABLE} ({', '.join(VERSION_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(VERSION_COLUMNS))})",
                        new.row(layer_id, version, table, datetime.isoformat),
                    )
                    _set(con, layer_id, {"current_version": version, **fields})
                    info = _get(con, layer_id)
                    self._insert_log(con, info)
                    self._before_publish()  # all written, nothing visible: a writer killed here leaves no trace
            finally:
                con.execute(f"DETACH DATABASE {INCOMING}")
        return info

    def _update(self, layer_id: int, **fields) -> LayerInfo:
        layer_id = layer_key(layer_id)
        with self._writing() as con, _transaction(con):
            _get(con, layer_id)
            _set(con, layer_id, fields)
            info = _get(con, layer_id)
            self._insert_log(con, info)
            return info

    def _purge(self, cutoff: datetime) -> builtins.list[int]:
        with self._reader() as con:
            if not _doomed(con, cutoff):
                return []  # the usual case: no need to take the lock
        with self._writing() as con, _transaction(con):
            doomed = _doomed(con, cutoff)
            marks = ",".join("?" * len(doomed))
            tables = [
                t
                for (t,) in con.execute(
                    f"SELECT table_name FROM {VERSIONS_TABLE} WHERE layer_id IN ({marks})", doomed
                ).fetchall()
            ]
            con.execute(f"DELETE FROM {VERSIONS_TABLE} WHERE layer_id IN ({marks})", doomed)
            con.execute(f"DELETE FROM {LAYERS_TABLE} WHERE id IN ({marks})", doomed)
            _drop_tables(con, tables)  # their pages are free for later versions; the file does not shrink
        return doomed

    def _append_audit(self, entry: AuditEntry) -> None:
        with self._writing() as con, _transaction(con):
            _insert_audit(con, entry)

    def _insert_log(self, con: sqlite3.Connection, after: LayerInfo) -> None:
        entry = self._log_entry(after)
        if entry is not None:
            _insert_audit(con, entry)

    def audit_log(self, layer_id: int | None = None, limit: int = AUDIT_LIMIT) -> builtins.list[AuditEntry]:
        where, params = ("WHERE layer_id = ?", (layer_key(layer_id),)) if layer_id is not None else ("", ())
        with self._reader() as con:
            if con is None or not _table_exists(con, AUDIT_TABLE):
                return []
            rows = con.execute(
                f"SELECT id, at, subject, name, action, outcome, layer_id, owner, before, after FROM {AUDIT_TABLE} "
                f"{where} ORDER BY id DESC LIMIT ?",
                (*params, int(limit)),
            ).fetchall()
        return [audit_from_row(r, lambda value: datetime.fromisoformat(value).astimezone(UTC)) for r in rows]

    def role_rules(self) -> builtins.list[RoleRule]:
        with self._reader() as con:
            if con is None or not _table_exists(con, RULES_TABLE):
                return []
            rows = con.execute(
                f"SELECT claim, value, role, municipalities, provider FROM {RULES_TABLE} ORDER BY position"
            ).fetchall()
        return [rule_from_row(r) for r in rows]

    def _replace_role_rules(self, rows: builtins.list[tuple], entry: AuditEntry) -> None:
        with self._writing() as con, _transaction(con):
            con.execute(f"DELETE FROM {RULES_TABLE}")
            con.executemany(
                f"INSERT INTO {RULES_TABLE} (position, claim, value, role, municipalities, provider) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(i, *row) for i, row in enumerate(rows)],
            )
            _insert_audit(con, entry)

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """Hold the writer lock and yield a connection to the store, made or upgraded first if need be."""
        with self._locked():
            self._remove_strays()
            if not self.path.exists():
                self._create()
            with self._writer() as con:
                self._upgrade(con)
                yield con

    @contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[None]:
        try:
            self._lock.acquire(timeout=timeout)
        except Timeout:
            raise StoreBusy("store_busy", seconds=round(self._lock.timeout)) from None
        try:
            yield
        finally:
            self._lock.release()

    @contextmanager
    def _writer(self) -> Iterator[sqlite3.Connection]:
        con = _connect(self.path, self._lock.timeout)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def _incoming(self) -> Iterator[Path]:
        """A private file name beside the store for GDAL to write (lock held); removed afterwards."""
        path = self.path.with_name(f"{self._tmp_prefix}{uuid.uuid4().hex}.gpkg")  # GDAL wants the suffix
        try:
            yield path
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)

    def _create(self) -> None:
        """A new store: GDAL makes the GeoPackage with the schema table, SQLite adds the rest, then it moves in."""
        with self._incoming() as tmp:
            _write_frame(tmp, SCHEMA_TABLE, pd.DataFrame({"version": [SCHEMA_VERSION]}))
            con = _connect(tmp, self._lock.timeout)
            try:
                con.execute("PRAGMA journal_mode = WAL")
                with _transaction(con):
                    for statement in _TABLES:
                        con.execute(statement)
            finally:
                con.close()
            _fsync(tmp)
            os.replace(tmp, self.path)
            _fsync(self.path.parent)

    def _upgrade(self, con: sqlite3.Connection) -> None:
        """Bring the file to SCHEMA_VERSION (lock held), in one transaction; refuse a newer layout."""
        layout = _layout(con)
        if layout == SCHEMA_VERSION:
            return
        if layout > SCHEMA_VERSION:
            raise _too_new(self.path, layout)
        if con.execute("PRAGMA journal_mode = WAL").fetchall() != [("wal",)]:
            raise StoreLayoutError("store_no_wal", path=str(self.path))
        with self._incoming() as incoming:
            if not _table_exists(con, SCHEMA_TABLE):
                _write_frame(incoming, SCHEMA_TABLE, pd.DataFrame({"version": [layout]}))
                _attach(con, incoming)
            try:
                with _transaction(con):
                    if not _table_exists(con, SCHEMA_TABLE):
                        _adopt(con, SCHEMA_TABLE)
                    for statement in _TABLES:  # layout 0: a GeoPackage without the store's tables
                        con.execute(statement)
                    # layout 1: a store from before layers had a style gets the column
                    columns = {row[1] for row in con.execute(f"PRAGMA table_info({LAYERS_TABLE})").fetchall()}
                    if "style" not in columns:
                        con.execute(f"ALTER TABLE {LAYERS_TABLE} ADD COLUMN style TEXT NOT NULL DEFAULT '{{}}'")
                    # layout 2: layers from before they had an owner belong to the county
                    if "owner" not in columns:
                        con.execute(f"ALTER TABLE {LAYERS_TABLE} ADD COLUMN owner TEXT NOT NULL DEFAULT '50'")
                    con.execute(f"UPDATE {SCHEMA_TABLE} SET version = ?", (SCHEMA_VERSION,))
            finally:
                if _attached(con):
                    con.execute(f"DETACH DATABASE {INCOMING}")

    def _remove_strays(self) -> None:
        """Remove private files left by writers that died (only call with the lock held)."""
        for entry in self.path.parent.iterdir():
            if entry.name.startswith(self._tmp_prefix):
                entry.unlink(missing_ok=True)


# --- connections and transactions --------------------------------------------------------------------


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, timeout=timeout)  # transactions are explicit
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA synchronous = FULL")  # a committed version survives a power cut, not only a crash
    return con


@contextmanager
def _transaction(con: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed if the block returns, rolled back if it (or the commit) raises."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise


def _attach(con: sqlite3.Connection, path: Path) -> None:
    con.execute(f"ATTACH DATABASE ? AS {INCOMING}", (str(path),))


def _attached(con: sqlite3.Connection) -> bool:
    return INCOMING in {row[1] for row in con.execute("PRAGMA database_list").fetchall()}


# --- layout --------------------------------------------------------------------------------------------


def _layout(con: sqlite3.Connection) -> int:
    """The file's layout version: 0 a GeoPackage without the store's tables, 1 the copy-on-write store."""
    if _table_exists(con, SCHEMA_TABLE):
        ((version,),) = con.execute(f"SELECT max(version) FROM {SCHEMA_TABLE}").fetchall()
        return int(version or 0)
    return 1 if _table_exists(con, LAYERS_TABLE) else 0


def _too_new(path: Path, layout: int) -> StoreLayoutError:
    return StoreLayoutError("store_too_new", path=str(path), layout=layout, known=SCHEMA_VERSION)


def _table_exists(con: sqlite3.Connection, name: str, schema: str = "main") -> bool:
    query = f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?"
    return bool(con.execute(query, (name,)).fetchall())


def _has_tables(con: sqlite3.Connection) -> bool:
    return _table_exists(con, LAYERS_TABLE)


# --- metadata ------------------------------------------------------------------------------------------


def _get(con: sqlite3.Connection | None, layer_id: int) -> LayerInfo:
    rows = []
    if con is not None and _has_tables(con):
        rows = con.execute(f"{_INFO_SELECT} WHERE {_CURRENT} AND l.id = ?", (layer_id,)).fetchall()
    if not rows:
        raise LayerNotFound("store_no_layer", layer_id=layer_id)
    return _info(rows[0])


def _next_id(con: sqlite3.Connection) -> int:
    """The id the next layer gets: above every id given out so far, purged ones included."""
    query = "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = ?"
    ((seq,),) = con.execute(query, (LAYERS_TABLE,)).fetchall()
    ((top,),) = con.execute(f"SELECT coalesce(max(id), 0) FROM {LAYERS_TABLE}").fetchall()
    return max(int(seq), int(top)) + 1


def _doomed(con: sqlite3.Connection | None, cutoff: datetime) -> list[int]:
    if con is None or not _has_tables(con):
        return []
    rows = con.execute(f"SELECT id, deleted_at FROM {LAYERS_TABLE} WHERE deleted_at IS NOT NULL ORDER BY id")
    return [i for i, deleted in rows.fetchall() if datetime.fromisoformat(deleted) <= cutoff]


def _insert_audit(con: sqlite3.Connection, entry: AuditEntry) -> None:
    con.execute(
        f"INSERT INTO {AUDIT_TABLE} (at, subject, name, action, outcome, layer_id, owner, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        audit_values(entry, datetime.isoformat),
    )


def _set(con: sqlite3.Connection, layer_id: int, fields: dict) -> None:
    assert fields and set(fields) <= _UPDATABLE, fields  # column names come from code, never from users
    values = [v.isoformat() if isinstance(v, datetime) else v for v in fields.values()]
    assignments = ", ".join(f"{name} = ?" for name in fields)
    con.execute(f"UPDATE {LAYERS_TABLE} SET {assignments} WHERE id = ?", (*values, layer_id))


def _info(row: tuple) -> LayerInfo:
    return info_from_row(row, lambda value: datetime.fromisoformat(value).astimezone(UTC))


# --- data tables: written by GDAL, moved in by SQLite ----------------------------------------------------


def _write_table(path: Path, table: str, data: Encoded) -> None:
    """One version as a one-layer GeoPackage at `path` (a private file: GDAL never opens the store)."""
    frame = data.frame()
    _write_frame(
        path,
        table,
        frame,
        geometry_type="Unknown" if len(frame) == 0 else None,
        promote_to_multi=False,
        layer_options={"GEOMETRY_NAME": GEOMETRY_COLUMN, "FID": "fid"},
    )


def _write_frame(path: Path, table: str, frame: pd.DataFrame, **options) -> None:
    try:
        pyogrio.write_dataframe(frame, path, layer=table, driver="GPKG", **options)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise StoreError("store_write_failed", reason=str(exc)) from None


def _adopt(con: sqlite3.Connection, table: str) -> None:
    """Copy `table` with everything GDAL made for it from the attached private file (in a transaction).

    Order: registry tables the store lacks, the table and its rows, its R-tree and entries, its
    registry rows (the spatial reference system first: the others refer to it), then its triggers
    and indexes, last, so they do not fire on the copied rows (they call GDAL's SQL functions).
    """
    objects = con.execute(f"SELECT type, name, tbl_name, sql FROM {INCOMING}.sqlite_master").fetchall()
    registries = _registries(con, INCOMING)
    for name in registries:
        if not _table_exists(con, name):
            con.execute(_ddl(objects, "table", name))
            for kind, _, owner, sql in objects:
                if owner == name and kind in ("index", "trigger") and sql:
                    con.execute(sql)
    con.execute(_ddl(objects, "table", table))
    con.execute(f"INSERT INTO main.{_quote(table)} SELECT * FROM {INCOMING}.{_quote(table)}")
    rtrees = [
        obj
        for kind, obj, _, sql in objects
        if kind == "table" and obj.startswith(f"rtree_{table}_") and (sql or "").upper().startswith("CREATE VIRTUAL")
    ]
    for rtree in rtrees:
        con.execute(_ddl(objects, "table", rtree))
        con.execute(f"INSERT INTO main.{_quote(rtree)} SELECT * FROM {INCOMING}.{_quote(rtree)}")
    srs = f"SELECT srs_id FROM {INCOMING}.gpkg_contents WHERE table_name = ?"
    _copy_rows(con, "gpkg_spatial_ref_sys", f"srs_id IN ({srs})", (table,), ignore_existing=True)
    for name in sorted(registries, key=lambda n: (n != "gpkg_contents", n)):
        _copy_rows(con, name, "table_name = ?", (table,))
    for kind, _, owner, sql in objects:
        if owner == table and kind in ("index", "trigger") and sql:
            con.execute(sql)


def _copy_rows(con: sqlite3.Connection, name: str, where: str, params: tuple, ignore_existing: bool = False) -> None:
    """Copy rows of a registry table by column name (files made by other GDAL versions may differ)."""
    ours = [row[1] for row in con.execute(f"PRAGMA main.table_info({_quote(name)})").fetchall()]
    theirs = {row[1] for row in con.execute(f"PRAGMA {INCOMING}.table_info({_quote(name)})").fetchall()}
    columns = ", ".join(_quote(c) for c in ours if c in theirs)
    verb = "INSERT OR IGNORE" if ignore_existing else "INSERT"
    con.execute(
        f"{verb} INTO main.{_quote(name)} ({columns}) SELECT {columns} FROM {INCOMING}.{_quote(name)} WHERE {where}",
        params,
    )


def _ddl(objects: list[tuple], kind: str, name: str) -> str:
    for obj_kind, obj, _, sql in objects:
        if obj_kind == kind and obj == name and sql:
            return sql
    raise StoreError("store_gdal_wrote_nothing", object=kind, name=name)


def _read_table(
    con: sqlite3.Connection, table: str, layout: str, start: int = 0, count: int | None = None
) -> gpd.GeoDataFrame:
    names = [c.column for c in layout_columns(layout)]
    select = ", ".join(_quote(n) for n in [GEOMETRY_COLUMN, *names])
    try:
        rows = con.execute(
            f"SELECT {select} FROM {_quote(table)} ORDER BY fid LIMIT ? OFFSET ?",
            (-1 if count is None else count, start),  # LIMIT -1: every row
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise StoreError("store_damaged_table", table=table, reason=str(exc)) from None
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(names) + 1)]
    values = {name: list(col) for name, col in zip(names, columns[1:], strict=True)}
    return decode(layout, values, [_wkb(blob) for blob in columns[0]])


def _wkb(blob: bytes | None) -> bytes | None:
    """The standard WKB inside a GeoPackage geometry blob: after the 'GP' header and its envelope."""
    if blob is None:
        return None
    if len(blob) < 8 or blob[:2] != b"GP" or blob[3] & 0x20:  # 0x20: an extended (non-standard) geometry
        raise StoreError("store_bad_geometry")
    envelope = (blob[3] >> 1) & 0x07
    if envelope not in _ENVELOPE_DOUBLES:
        raise StoreError("store_bad_envelope")
    return bytes(blob[8 + struct.calcsize("d") * _ENVELOPE_DOUBLES[envelope] :])


def _drop_orphans(con: sqlite3.Connection) -> None:
    """Drop store tables no metadata row names (none should exist: the publish moves tables in atomically)."""
    if not _has_tables(con):
        return
    named = {t for (t,) in con.execute(f"SELECT table_name FROM {VERSIONS_TABLE}").fetchall()}
    found = set()
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        match = _OWNED.fullmatch(name)
        if match:
            found.add(match["table"])
    for registry in _registries(con):
        found |= {t for (t,) in con.execute(f"SELECT table_name FROM {registry}").fetchall() if _is_data_table(t)}
    orphans = sorted(found - named)
    if orphans:
        with _transaction(con):
            _drop_tables(con, orphans)


def _drop_tables(con: sqlite3.Connection, tables: Iterable[str]) -> None:
    """Drop feature tables as GDAL's DeleteLayer does: the table, its R-tree, its registry rows (in a transaction)."""
    registries = _registries(con)
    for table in tables:
        assert _is_data_table(table), table  # names come from the store, never from users
        rtrees = {f"rtree_{table}_{GEOMETRY_COLUMN}"}
        if "gpkg_geometry_columns" in registries:
            rows = con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,))
            rtrees |= {f"rtree_{table}_{c}" for (c,) in rows.fetchall()}
        for rtree in sorted(rtrees):
            con.execute(f"DROP TABLE IF EXISTS {_quote(rtree)}")  # a virtual table: its own tables go with it
            for shadow in _RTREE_SHADOWS:  # left alone only if the R-tree itself was lost
                con.execute(f"DROP TABLE IF EXISTS {_quote(rtree + shadow)}")
        con.execute(f"DROP TABLE IF EXISTS {_quote(table)}")  # its triggers go with it
        for registry in sorted(registries, key=lambda n: (n == "gpkg_contents", n)):  # gpkg_contents last
            con.execute(f"DELETE FROM {registry} WHERE table_name = ?", (table,))


def _registries(con: sqlite3.Connection, schema: str = "main") -> list[str]:
    """The GeoPackage registry tables that name tables (gpkg_contents, gpkg_geometry_columns, ...)."""
    query = f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name LIKE 'gpkg%'"
    names = [n for (n,) in con.execute(query).fetchall() if re.fullmatch(r"gpkg\w*", n)]
    return [
        n
        for n in names
        if "table_name" in {row[1] for row in con.execute(f"PRAGMA {schema}.table_info({n})").fetchall()}
    ]


def _is_data_table(name: object) -> bool:
    return isinstance(name, str) and _DATA_TABLE.fullmatch(name) is not None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fsync(path: Path) -> None:
    if path.is_dir() and os.name != "posix":
        return  # only POSIX can fsync a directory
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
