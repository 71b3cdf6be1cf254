"""The default backend: every layer version as a table in one GeoPackage file.

Atomic writes: each write takes an exclusive lock file, works on a copy of the store in the same
directory, fsyncs it and `os.replace`s it over the original. A writer that dies leaves the old file
untouched plus a stray copy, which the next writer (or the next open) removes. The live file is
never changed in place, so readers need no lock and always see one complete state.
Each write copies the whole file: fine for a regional store of some hundred MB.
"""

from __future__ import annotations

import builtins
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from filelock import FileLock, Timeout

from config import CRS, STORE_LOCK_TIMEOUT
from store.base import (
    LayerDeleted,
    LayerInfo,
    LayerNotFound,
    LayerStore,
    NewVersion,
    StoreBusy,
    StoreError,
    data_table,
    info_from_row,
    layer_key,
)
from store.columns import Encoded, decode

LAYERS_TABLE = "industrikart_layers"
VERSIONS_TABLE = "industrikart_layer_versions"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {LAYERS_TABLE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: a purged id is never given out again
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    style TEXT NOT NULL DEFAULT '{{}}',
    visible INTEGER NOT NULL DEFAULT 1,
    current_version INTEGER NOT NULL,
    deleted_at TEXT
);
CREATE TABLE IF NOT EXISTS {VERSIONS_TABLE} (
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
);
"""

_INFO_SELECT = f"""
SELECT l.id, l.title, l.kind, v.original_filename, v.original_crs, v.uploader, v.created_at,
       v.feature_count, l.description, v.source_licence, l.visible, v.version, l.deleted_at, l.style
FROM {LAYERS_TABLE} l JOIN {VERSIONS_TABLE} v ON v.layer_id = l.id
"""
_CURRENT = "v.version = l.current_version"
_UPDATABLE = {"title", "description", "style", "visible", "current_version", "deleted_at"}
_GPKG_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


class GeoPackageStore(LayerStore):
    def __init__(self, path: str | os.PathLike, lock_timeout: float = STORE_LOCK_TIMEOUT):
        # resolve(): os.replace on a symlink would replace the link, not the store
        self.path = Path(path).expanduser().resolve()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(f"{self.path}.lock", timeout=lock_timeout)
        self._tmp_prefix = f".{self.path.name}.tmp-"
        try:
            with self._lock.acquire(timeout=0):
                self._remove_strays()
        except Timeout:
            pass  # a writer is busy; it removes strays itself
        with self._reader():
            pass  # fail now, not at the first page view, if the file is not a GeoPackage

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
            if con is None or not _has_schema(con):
                return []
            where = _CURRENT if include_deleted else f"{_CURRENT} AND l.deleted_at IS NULL"
            rows = con.execute(f"{_INFO_SELECT} WHERE {where} ORDER BY l.id").fetchall()
        return [_info(r) for r in rows]

    def read(self, layer_id: int, version: int | None = None) -> gpd.GeoDataFrame:
        layer_id = layer_key(layer_id)
        with self._reader() as con:
            info = _get(con, layer_id)
            version = info.version if version is None else int(version)
            row = con.execute(
                f"SELECT table_name, layout FROM {VERSIONS_TABLE} WHERE layer_id = ? AND version = ?",
                (layer_id, version),
            ).fetchone()
            if row is None:
                raise LayerNotFound(f"layer {layer_id} has no version {version}")
            return _read_table(con, *row)

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection | None]:
        if not self.path.exists():
            yield None
            return
        try:
            con = sqlite3.connect(self.path.as_uri() + "?mode=ro", uri=True)
            con.execute("SELECT count(*) FROM gpkg_contents").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the layer store {self.path} is not a GeoPackage ({exc})") from None
        with closing(con):
            yield con

    # --- writing -------------------------------------------------------------------------------

    def _save(self, new: NewVersion, title: str, kind: str, description: str, style: str) -> LayerInfo:
        with self._writing() as tmp:
            with _connect(tmp) as con, con:
                cur = con.execute(
                    f"INSERT INTO {LAYERS_TABLE} (title, kind, description, style, visible, current_version) "
                    "VALUES (?, ?, ?, ?, 1, 1)",
                    (title, kind, description, style),
                )
                layer_id = cur.lastrowid
            return self._add_version(tmp, layer_id, 1, new, {})

    def _replace(self, layer_id: int, new: NewVersion, description: str | None) -> LayerInfo:
        layer_id = layer_key(layer_id)
        with self._writing() as tmp:
            with _connect(tmp) as con:
                if _get(con, layer_id).deleted:
                    raise LayerDeleted(f"layer {layer_id} is deleted; restore it first")
                (last,) = con.execute(
                    f"SELECT max(version) FROM {VERSIONS_TABLE} WHERE layer_id = ?", (layer_id,)
                ).fetchone()
            extra = {} if description is None else {"description": description}
            return self._add_version(tmp, layer_id, last + 1, new, extra)

    def _add_version(self, tmp: Path, layer_id: int, version: int, new: NewVersion, extra: dict) -> LayerInfo:
        table = data_table(layer_id, version)
        _write_table(tmp, table, new.data)
        with _connect(tmp) as con, con:
            con.execute(
                f"INSERT INTO {VERSIONS_TABLE} (layer_id, version, table_name, original_filename, original_crs, "
                "uploader, created_at, feature_count, source_licence, layout) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    layer_id,
                    version,
                    table,
                    new.original_filename,
                    new.original_crs,
                    new.uploader,
                    new.created_at.isoformat(),
                    len(new.data),
                    new.source_licence,
                    new.data.layout_json(),
                ),
            )
            _set(con, layer_id, {"current_version": version, **extra})
            return _get(con, layer_id)

    def _update(self, layer_id: int, **fields) -> LayerInfo:
        layer_id = layer_key(layer_id)
        with self._writing() as tmp, _connect(tmp) as con, con:
            _get(con, layer_id)
            _set(con, layer_id, fields)
            return _get(con, layer_id)

    def _purge(self, cutoff: datetime) -> builtins.list[int]:
        with self._reader() as con:
            if not _doomed(con, cutoff):
                return []  # the usual case: no need to rewrite the file
        with self._writing() as tmp, _connect(tmp) as con:
            with con:
                doomed = _doomed(con, cutoff)
                marks = ",".join("?" * len(doomed))
                tables = [
                    t
                    for (t,) in con.execute(
                        f"SELECT table_name FROM {VERSIONS_TABLE} WHERE layer_id IN ({marks})", doomed
                    )
                ]
                con.execute(f"DELETE FROM {VERSIONS_TABLE} WHERE layer_id IN ({marks})", doomed)
                con.execute(f"DELETE FROM {LAYERS_TABLE} WHERE id IN ({marks})", doomed)
                for table in tables:
                    _drop_table(con, table)
            con.execute("VACUUM")  # give the space back: the file is rewritten anyway
        return doomed

    @contextmanager
    def _writing(self) -> Iterator[Path]:
        """Yield a private copy of the store to change; publish it only if the block succeeds."""
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreBusy(f"the layer store is busy (another save held it for {self._lock.timeout:.0f} s)") from None
        try:
            self._remove_strays()
            tmp = self.path.with_name(f"{self._tmp_prefix}{uuid.uuid4().hex}.gpkg")  # GDAL wants the suffix
            try:
                if self.path.exists():
                    shutil.copyfile(self.path, tmp)
                else:
                    _create_geopackage(tmp)
                yield tmp
                _fsync(tmp)
                self._before_publish()
                os.replace(tmp, self.path)
                _fsync(self.path.parent)
            finally:
                for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
                    leftover.unlink(missing_ok=True)
        finally:
            self._lock.release()

    def _remove_strays(self) -> None:
        """Remove copies left by writers that died (only call with the lock held)."""
        for entry in self.path.parent.iterdir():
            if entry.name.startswith(self._tmp_prefix):
                entry.unlink(missing_ok=True)


def _connect(path: Path) -> closing[sqlite3.Connection]:
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    # A copy that is lost in a crash is thrown away anyway; _writing fsyncs it once at the end.
    con.execute("PRAGMA synchronous = OFF")
    con.executescript(_SCHEMA)
    # Stores made before layers had a style get the column on first write.
    if "style" not in {row[1] for row in con.execute(f"PRAGMA table_info({LAYERS_TABLE})")}:
        con.execute(f"ALTER TABLE {LAYERS_TABLE} ADD COLUMN style TEXT NOT NULL DEFAULT '{{}}'")
    return closing(con)


def _has_schema(con: sqlite3.Connection) -> bool:
    row = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (LAYERS_TABLE,)).fetchone()
    return row is not None


def _get(con: sqlite3.Connection | None, layer_id: int) -> LayerInfo:
    row = None
    if con is not None and _has_schema(con):
        row = con.execute(f"{_INFO_SELECT} WHERE {_CURRENT} AND l.id = ?", (layer_id,)).fetchone()
    if row is None:
        raise LayerNotFound(f"no layer with id {layer_id}")
    return _info(row)


def _doomed(con: sqlite3.Connection | None, cutoff: datetime) -> list[int]:
    if con is None or not _has_schema(con):
        return []
    rows = con.execute(f"SELECT id, deleted_at FROM {LAYERS_TABLE} WHERE deleted_at IS NOT NULL ORDER BY id")
    return [i for i, deleted in rows if datetime.fromisoformat(deleted) <= cutoff]


def _set(con: sqlite3.Connection, layer_id: int, fields: dict) -> None:
    assert fields and set(fields) <= _UPDATABLE, fields  # column names come from code, never from users
    values = [v.isoformat() if isinstance(v, datetime) else v for v in fields.values()]
    assignments = ", ".join(f"{name} = ?" for name in fields)
    con.execute(f"UPDATE {LAYERS_TABLE} SET {assignments} WHERE id = ?", (*values, layer_id))


def _info(row: tuple) -> LayerInfo:
    return info_from_row(row, lambda value: datetime.fromisoformat(value).astimezone(UTC))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _write_table(path: Path, table: str, data: Encoded) -> None:
    columns = {}
    for c in data.columns:
        values = data.values[c.column]
        if c.type == "int":
            columns[c.column] = pd.Series(values, dtype="Int64")
        elif c.type == "float":
            columns[c.column] = pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
        elif c.type == "bool":
            columns[c.column] = pd.Series(values, dtype="boolean")
        else:
            columns[c.column] = pd.Series(values, dtype=object)
    frame = gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(data.geoms, crs=CRS), crs=CRS)
    pyogrio.write_dataframe(
        frame,
        path,
        layer=table,
        driver="GPKG",
        geometry_type="Unknown" if len(frame) == 0 else None,
        promote_to_multi=False,
        layer_options={"GEOMETRY_NAME": "geom", "FID": "fid"},
    )


def _read_table(con: sqlite3.Connection, table: str, layout: str) -> gpd.GeoDataFrame:
    info = {row[1]: row for row in con.execute(f"PRAGMA table_info({_quote(table)})")}
    if not info:
        raise StoreError(f"the layer store is damaged: table {table} is missing")
    names = [n for n in info if n not in ("fid", "geom")]
    select = ", ".join(_quote(n) for n in ["geom", *names])
    rows = con.execute(f"SELECT {select} FROM {_quote(table)} ORDER BY fid").fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(names) + 1)]
    values = {name: list(col) for name, col in zip(names, columns[1:], strict=True)}
    return decode(layout, values, [_wkb(b) for b in columns[0]])


def _wkb(blob: bytes | None) -> bytes | None:
    """The WKB inside a GeoPackage geometry blob: skip the 'GP' header and its envelope."""
    if blob is None:
        return None
    envelope = (blob[3] >> 1) & 0x07
    return bytes(blob[8 + _GPKG_ENVELOPE_BYTES[envelope] :])


def _create_geopackage(path: Path) -> None:
    """A new, empty GeoPackage: GDAL writes the core tables with a layer, which is then dropped."""
    seed = gpd.GeoDataFrame({"seed": pd.Series([], dtype=object)}, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    pyogrio.write_dataframe(seed, path, layer="industrikart_seed", driver="GPKG", geometry_type="Unknown")
    with closing(sqlite3.connect(path)) as con, con:
        _drop_table(con, "industrikart_seed")


def _drop_table(con: sqlite3.Connection, table: str) -> None:
    """Drop a feature table and its entries in the GeoPackage registry tables."""
    geometry_columns = [
        c for (c,) in con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,))
    ]
    for column in geometry_columns:
        con.execute(f"DROP TABLE IF EXISTS {_quote(f'rtree_{table}_{column}')}")
    con.execute(f"DROP TABLE IF EXISTS {_quote(table)}")
    registry = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for name in ("gpkg_extensions", "gpkg_geometry_columns", "gpkg_ogr_contents", "gpkg_metadata_reference"):
        if name in registry:
            con.execute(f"DELETE FROM {name} WHERE table_name = ?", (table,))
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (table,))


def _fsync(path: Path) -> None:
    if path.is_dir() and os.name != "posix":
        return  # only POSIX can fsync a directory
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
