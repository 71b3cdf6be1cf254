"""The stored layers the service shows: every visible, not deleted layer at its current version, read straight from
the store with read-only means, and the pygeoapi provider for each.

- GeoPackage: GDAL (pyogrio) reads the store file. Only GDAL touches the store in the service's process (never
  Python's sqlite3 as well: two SQLite copies in one process break each other's locks, see store/geopackage.py).
- PostGIS: psycopg for the listing, pygeoapi's PostgreSQL provider for the features, both as the role in
  INDUSTRIKART_OGC_DATABASE_URL (a role with SELECT only: see README "Open in QGIS").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pyogrio
import pyogrio.errors
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from config import OGC_COLLECTION, StoreLocation
from store.geopackage import LAYERS_TABLE, VERSIONS_TABLE

log = logging.getLogger(__name__)

# Kinds that hold a table without geometry (imported figures, municipal statistics) or map services' addresses
# (overlays): nothing for a map client. Stored flows and measures have geometry: collections of their own.
TABLE_KINDS = ("figures", "municipal_statistics", "overlays")
WORLD = (-180.0, -90.0, 180.0, 90.0)


@dataclass(frozen=True)
class StoredLayer:
    """What the service shows of one layer; a change to any field makes the service rebuild its collections."""

    id: int
    version: int
    title: str
    description: str
    source_licence: str
    table: str
    feature_count: int
    bbox: tuple[float, float, float, float] | None = None  # lon/lat; None: not known from the listing

    @property
    def collection_id(self) -> str:
        return OGC_COLLECTION.format(id=self.id)


class GeoPackageLayers:
    """The stored layers of the GeoPackage store at `path`."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def listing(self) -> tuple[StoredLayer, ...]:
        if not self.path.exists():
            return ()
        kinds = ", ".join(f"'{k}'" for k in TABLE_KINDS)
        query = f"""
            SELECT l.id, v.version, l.title, l.description, v.source_licence, v.table_name, v.feature_count,
                   c.min_x, c.min_y, c.max_x, c.max_y
            FROM {LAYERS_TABLE} l
            JOIN {VERSIONS_TABLE} v ON v.layer_id = l.id AND v.version = l.current_version
            JOIN gpkg_contents c ON c.table_name = v.table_name
            WHERE l.deleted_at IS NULL AND l.visible = 1 AND l.kind NOT IN ({kinds})
            ORDER BY l.id"""
        try:
            rows = pyogrio.read_dataframe(self.path, sql=query)
        except pyogrio.errors.DataSourceError as exc:
            if "no such table" in str(exc):  # a store no layer was saved in yet
                return ()
            raise
        layers = []
        for row in rows.itertuples(index=False):
            box = (row.min_x, row.min_y, row.max_x, row.max_y)
            known = all(v == v and v is not None for v in box)  # NaN: an empty layer has no extent
            layers.append(
                StoredLayer(
                    int(row.id),
                    int(row.version),
                    str(row.title),
                    str(row.description or ""),
                    str(row.source_licence or ""),
                    str(row.table_name),
                    int(row.feature_count),
                    tuple(float(v) for v in box) if known else None,
                )
            )
        return tuple(layers)

    def extent(self, layer: StoredLayer) -> tuple[float, float, float, float]:
        return layer.bbox or WORLD

    def provider(self, layer: StoredLayer) -> dict:
        return {
            "name": "ogc.providers.GeoPackageProvider",
            "data": str(self.path),
            "table": layer.table,
            "id_field": "fid",
        }


class PostGISLayers:
    """The stored layers of the PostGIS store at `url` (the read-only role's address), tables in `schema`."""

    def __init__(self, url: str, schema: str):
        self.url = re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url.strip())
        self.schema = schema
        self._extents: dict[str, tuple[float, float, float, float]] = {}  # a version's table never changes

    def _connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url, connect_timeout=10, autocommit=True)

    def listing(self) -> tuple[StoredLayer, ...]:
        query = sql.SQL(
            """SELECT l.id, v.version, l.title, l.description, v.source_licence, v.table_name, v.feature_count
            FROM {} l JOIN {} v ON v.layer_id = l.id AND v.version = l.current_version
            WHERE l.deleted_at IS NULL AND l.visible AND l.kind <> ALL(%s)
            ORDER BY l.id"""
        ).format(sql.Identifier(self.schema, "layers"), sql.Identifier(self.schema, "layer_versions"))
        try:
            with self._connect() as con:
                rows = con.execute(query, (list(TABLE_KINDS),)).fetchall()
        except psycopg.errors.UndefinedTable:  # the app has not opened this store yet
            return ()
        return tuple(StoredLayer(int(r[0]), int(r[1]), r[2], r[3] or "", r[4] or "", r[5], int(r[6])) for r in rows)

    def extent(self, layer: StoredLayer) -> tuple[float, float, float, float]:
        if layer.table not in self._extents:
            query = sql.SQL(
                "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) e FROM {}) x"
            )
            with self._connect() as con:
                row = con.execute(query.format(sql.Identifier(self.schema, layer.table))).fetchone()
            self._extents[layer.table] = tuple(float(v) for v in row) if row and row[0] is not None else WORLD
        return self._extents[layer.table]

    def provider(self, layer: StoredLayer) -> dict:
        parts = conninfo_to_dict(self.url)
        data = {
            "host": parts.get("host", "localhost"),
            "port": int(parts.get("port") or 5432),
            "dbname": parts.get("dbname"),
            "user": parts.get("user"),
            "password": parts.get("password"),
            "search_path": [self.schema],
        }
        return {
            "name": "ogc.providers.PostgreSQLProvider",
            "data": data,
            "table": layer.table,
            "id_field": "_ord",
            "geom_field": "geom",
        }


_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def read_only_role_sql(role: str, schema: str, writer: str) -> list[str]:
    """The statements that give `role` SELECT on the store's schema and nothing else: on the tables there now and,
    through default privileges, on every version table `writer` (the app's role) makes later. Run them as
    `writer` or a superuser, after `CREATE ROLE <role> LOGIN PASSWORD '…'`."""
    for name in (role, schema, writer):
        if not _ROLE_NAME.fullmatch(name):
            raise ValueError(f"{name!r}: a plain lower-case name, please")
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {writer} IN SCHEMA {schema} GRANT SELECT ON TABLES TO {role}",
        # who changed what is not map data: the change log and the role rules stay the app's
        f"REVOKE SELECT ON {schema}.audit, {schema}.role_rules FROM {role}",
        f"ALTER ROLE {role} SET default_transaction_read_only = on",
    ]


def geopackage_provider(path: Path, table: str) -> dict:
    """pygeoapi's provider entry for one table of a GeoPackage; features are named by its fid."""
    return {"name": "ogc.providers.GeoPackageProvider", "data": str(path), "table": table, "id_field": "fid"}


def stored_layers(location: StoreLocation, ogc_database_url: str = ""):
    """The stored layers of the store at `location`: PostGIS read as `ogc_database_url` where it is given."""
    if location.url:
        if not ogc_database_url:
            log.warning("INDUSTRIKART_OGC_DATABASE_URL is not set: the OGC service reads PostGIS as DATABASE_URL")
        return PostGISLayers(ogc_database_url or location.url, location.schema)
    return GeoPackageLayers(location.path)
