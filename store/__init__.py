"""The layer store: uploaded layers with metadata, versions and a bin, in a GeoPackage or PostGIS.

`open_store()` picks the backend from the environment:
  DATABASE_URL        set -> PostgreSQL/PostGIS (tables in INDUSTRIKART_PG_SCHEMA, default config.STORE_PG_SCHEMA)
  INDUSTRIKART_STORE  set -> the GeoPackage file at that path
  neither             -> the GeoPackage at config.STORE_PATH (data/layers.gpkg, git-ignored)

Inside the package imports go one way: errors, records <- columns <- export <- base <- geopackage, postgis.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from config import STORE_PATH, STORE_PG_SCHEMA
from store.base import KINDS, LayerStore, Origin
from store.errors import LayerDeleted, LayerNotFound, StoreBusy, StoreError, StoreLayoutError
from store.geopackage import GeoPackageStore
from store.postgis import PostGISStore
from store.records import LayerInfo


def open_store(env: Mapping[str, str] | None = None) -> LayerStore:
    env = os.environ if env is None else env
    url = (env.get("DATABASE_URL") or "").strip()
    if url:
        return PostGISStore(url, schema=(env.get("INDUSTRIKART_PG_SCHEMA") or "").strip() or STORE_PG_SCHEMA)
    return GeoPackageStore(Path((env.get("INDUSTRIKART_STORE") or "").strip() or STORE_PATH))


def export_stored(env: Mapping[str, str], layer_id: int, fmt: str, version: int | None = None) -> bytes:
    """A layer version's download from the store `env` names: a module-level function, so a worker process can run
    it (ui/layer_admin.py does, keeping a big export's Python work off the server's lock)."""
    return open_store(env).export(layer_id, fmt, version)


__all__ = [
    "KINDS",
    "GeoPackageStore",
    "LayerDeleted",
    "LayerInfo",
    "LayerNotFound",
    "LayerStore",
    "Origin",
    "PostGISStore",
    "StoreBusy",
    "StoreError",
    "StoreLayoutError",
    "export_stored",
    "open_store",
]
