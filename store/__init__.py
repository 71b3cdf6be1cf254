"""The layer store: uploaded layers with metadata, versions and a bin, in a GeoPackage or PostGIS.

`open_store()` opens the store the settings name (`config.settings().store`, decided by `config.StoreLocation`):
  DATABASE_URL        set -> PostgreSQL/PostGIS (tables in INDUSTRIKART_PG_SCHEMA, default config.STORE_PG_SCHEMA)
  INDUSTRIKART_STORE  set -> the GeoPackage file at that path
  neither             -> the GeoPackage at config.STORE_PATH (data/layers.gpkg, git-ignored)

Inside the package imports go one way: errors, records <- columns <- export <- base <- geopackage, postgis.
"""

from __future__ import annotations

from collections.abc import Mapping

from config import StoreLocation, settings
from store.base import KINDS, LayerStore, Origin
from store.errors import LayerDeleted, LayerNotFound, StoreBusy, StoreError, StoreLayoutError
from store.geopackage import GeoPackageStore
from store.postgis import PostGISStore
from store.records import LayerInfo


def open_store(env: Mapping[str, str] | None = None) -> LayerStore:
    """The store this process's settings name, or the one an environment-like `env` names."""
    return store_at(settings().store if env is None else StoreLocation.from_env(env))


def store_at(location: StoreLocation) -> LayerStore:
    if location.url:
        return PostGISStore(location.url, schema=location.schema)
    return GeoPackageStore(location.path)


def export_stored(location: StoreLocation, layer_id: int, fmt: str, version: int | None = None) -> bytes:
    """A layer version's download from the store at `location`: a module-level function, so a worker process can run
    it (ui/layer_admin.py does, keeping a big export's Python work off the server's lock)."""
    return store_at(location).export(layer_id, fmt, version)


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
    "store_at",
]
