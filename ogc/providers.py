"""The pygeoapi feature providers the service uses.

- GeoPackageProvider: one table of a GeoPackage read through pyogrio's GDAL (the store's file or the derived
  bundled file). pygeoapi's own OGR and SQLiteGPKG providers need GDAL's Python bindings (osgeo) or an SQLite
  that loads mod_spatialite, neither of which the app's Python has; pyogrio's wheel brings GDAL with it. GDAL
  filters by bbox through the GeoPackage's R-tree, pages with skip/max and filters properties in SQL.
- PostgreSQLProvider: pygeoapi's own, on psycopg 3 (the driver the app already has) instead of psycopg2.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pygeoapi.provider.base import BaseProvider, ProviderItemNotFoundError, ProviderQueryError
from pygeoapi.provider.sql import PostgreSQLProvider as _PygeoapiPostgreSQL
from pygeoapi.util import crs_transform

_JSON_TYPES = {"int": "integer", "float": "number", "bool": "boolean"}


class GeoPackageProvider(BaseProvider):
    """Features of `table` in the GeoPackage `data`; feature ids are the table's fid."""

    def __init__(self, provider_def: dict):
        super().__init__(provider_def)
        self.table = provider_def["table"]
        self.get_fields()

    def get_fields(self) -> dict:
        if not self._fields:
            info = pyogrio.read_info(self.data, layer=self.table)
            for name, dtype in zip(info["fields"], info["dtypes"], strict=True):
                kind = next((v for k, v in _JSON_TYPES.items() if str(dtype).startswith(k)), "string")
                self._fields[str(name)] = {"type": kind}
        return self._fields

    @crs_transform
    def query(  # noqa: PLR0913 (pygeoapi's provider interface)
        self,
        offset=0,
        limit=10,
        resulttype="results",
        bbox=None,
        datetime_=None,
        properties=None,
        sortby=None,
        select_properties=None,
        skip_geometry=False,
        q=None,
        **kwargs,
    ):
        where = self._where(properties or [])
        box = tuple(bbox) if bbox else None
        matched = self._count(where, box)
        collection = {"type": "FeatureCollection", "features": [], "numberMatched": matched}
        if resulttype == "hits" or offset >= matched or limit <= 0:
            collection["numberReturned"] = 0
            return collection
        frame = self._read(
            where=where,
            bbox=box,
            skip_features=int(offset),
            max_features=int(limit),
            columns=self._columns(select_properties),
            read_geometry=not skip_geometry,
        )
        collection["features"] = _features(frame)
        collection["numberReturned"] = len(collection["features"])
        return collection

    @crs_transform
    def get(self, identifier, **kwargs):
        try:
            fid = int(identifier)
        except (TypeError, ValueError):
            raise ProviderItemNotFoundError(f"no feature {identifier!r}") from None
        frame = self._read(fids=[fid], columns=self._columns(None))
        if frame.empty:
            raise ProviderItemNotFoundError(f"no feature {identifier!r}")
        return _features(frame)[0]

    def _read(self, **options) -> pd.DataFrame:
        try:
            return pyogrio.read_dataframe(self.data, layer=self.table, fid_as_index=True, **options)
        except pyogrio.errors.FeatureError:  # GDAL's answer to a fid the table does not have
            raise ProviderItemNotFoundError(f"no feature {options.get('fids')!r}") from None
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError) as exc:
            raise ProviderQueryError(str(exc)) from None

    def _count(self, where: str | None, bbox: tuple | None) -> int:
        if where is None and bbox is None:
            return int(pyogrio.read_info(self.data, layer=self.table, force_feature_count=True)["features"])
        return len(self._read(where=where, bbox=bbox, columns=[], read_geometry=False))

    def _columns(self, select_properties) -> list[str]:
        chosen = set(select_properties or []) | set(self.properties or [])
        return [name for name in self._fields if not chosen or name in chosen]

    def _where(self, properties: list[tuple[str, object]]) -> str | None:
        """Property filters as SQL: names only from the table's own fields, values always as quoted literals."""
        clauses = []
        for name, value in properties:
            if name not in self._fields:
                raise ProviderQueryError(f"no property {name!r}")
            column = '"' + name.replace('"', '""') + '"'
            if self._fields[name]["type"] in ("integer", "number"):
                try:
                    number = float(value)
                except (TypeError, ValueError):
                    raise ProviderQueryError(f"{name} is a number") from None
                if not math.isfinite(number):
                    raise ProviderQueryError(f"{name} is a number")
                clauses.append(f"{column} = {number!r}")
            else:
                clauses.append(f"{column} = '" + str(value).replace("'", "''") + "'")
        return " AND ".join(clauses) or None


def _features(frame: pd.DataFrame) -> list[dict]:
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame), index=frame.index))
    frame = frame.astype({c: object for c in frame.columns if c != frame.geometry.name})
    frame = frame.replace({np.nan: None})
    features = frame.to_geo_dict(na="null", drop_id=False)["features"]
    for feature in features:
        feature["id"] = int(feature["id"])
        feature["properties"] = {k: _json_value(v) for k, v in feature["properties"].items()}
    return features


def _json_value(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class PostgreSQLProvider(_PygeoapiPostgreSQL):
    """pygeoapi's PostgreSQL provider through psycopg 3 (SQLAlchemy's "postgresql+psycopg")."""

    def __init__(self, provider_def: dict):
        # pygeoapi names psycopg2; GenericSQLProvider takes the driver as an argument, so go around its subclass
        super(_PygeoapiPostgreSQL, self).__init__(
            provider_def, "postgresql+psycopg", {"client_encoding": "utf8", "application_name": "industrikart-ogc"}
        )

    def get(self, identifier, crs_transform_spec=None, **kwargs):
        """One feature by its id. The id comes from the address as text: psycopg 3 sends it as text, and PostgreSQL
        will not compare text with an integer key (psycopg2 let the server guess), so it becomes the key's type."""
        return super().get(self._as_key(identifier), crs_transform_spec, **kwargs)

    def _as_key(self, identifier):
        column = getattr(self.table_model, self.id_field)
        try:
            key_type = column.type.python_type
        except NotImplementedError:
            return identifier
        if key_type is not int:
            return identifier
        try:
            return int(str(identifier))
        except ValueError:
            raise ProviderItemNotFoundError(f"No such item: {self.id_field}={identifier}.") from None
