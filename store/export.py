"""Layer downloads: GeoJSON (RFC 7946) and GeoPackage bytes, with title and licence carried along."""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from shapely.geometry import mapping

from store.columns import json_default
from store.records import LayerInfo


def metadata(info: LayerInfo) -> dict[str, str]:
    return {
        "title": info.title,
        "kind": info.kind,
        "description": info.description,
        "source_licence": info.source_licence,
        "original_filename": info.original_filename,
        "original_crs": info.original_crs,
        "version": str(info.version),
        "saved_at": info.created_at.isoformat(),
    }


def to_geojson(frame: gpd.GeoDataFrame, info: LayerInfo) -> bytes:
    geometry_name = frame.geometry.name
    names = [c for c in frame.columns if c != geometry_name]
    features = []
    for row, geom in zip(frame[names].itertuples(index=False, name=None), frame.geometry, strict=True):
        features.append(
            {
                "type": "Feature",
                "properties": {n: _plain(v) for n, v in zip(names, row, strict=True)},
                "geometry": None if geom is None or geom.is_empty else mapping(geom),
            }
        )
    # "name" is GDAL's convention for a layer name; "metadata" is an RFC 7946 foreign member.
    collection = {"type": "FeatureCollection", "name": info.title, "metadata": metadata(info), "features": features}
    return json.dumps(collection, ensure_ascii=False, default=json_default).encode("utf-8")


def to_gpkg(frame: gpd.GeoDataFrame, info: LayerInfo) -> bytes:
    out = frame.rename(columns=gpkg_names(frame))
    for name in out.columns:
        if name != out.geometry.name and out[name].dtype == object and _has_nested(out[name]):
            # GeoPackage has no list type: lists and objects go as JSON text
            out[name] = [
                None if _plain(v) is None else json.dumps(v, ensure_ascii=False, default=json_default)
                for v in out[name]
            ]
    with tempfile.TemporaryDirectory(prefix="industrikart-export-") as tmp:
        path = Path(tmp) / "layer.gpkg"
        pyogrio.write_dataframe(
            out,
            path,
            layer=layer_name(info),
            driver="GPKG",
            geometry_type="Unknown" if out.empty else None,
            layer_metadata=metadata(info),
        )
        return path.read_bytes()


# A GeoPackage table has its own id and geometry columns, and SQLite compares column names ignoring case.
_GPKG_OWN = {"fid", "geom"}


def gpkg_names(frame: gpd.GeoDataFrame) -> dict[str, str]:
    """The attribute columns a GeoPackage cannot take as they are ("fid", "geom", "navn" after "Navn"), each with
    a free name it can ("fid_2", "navn_2"); every other column keeps its name (the GeoJSON keeps them all)."""
    names = [str(c) for c in frame.columns if c != frame.geometry.name]
    taken, clashing = set(_GPKG_OWN), []
    for name in names:  # the first of each name keeps it
        if name.casefold() in taken:
            clashing.append(name)
        else:
            taken.add(name.casefold())
    renamed = {}
    for name in clashing:
        n = 2
        while f"{name}_{n}".casefold() in taken:
            n += 1
        renamed[name] = f"{name}_{n}"
        taken.add(renamed[name].casefold())
    return renamed


def layer_name(info: LayerInfo) -> str:
    """A table name for the exported file: the title's letters and digits, else layer_<id>."""
    name = re.sub(r"\W+", "_", info.title).strip("_")[:60]
    return name or f"layer_{info.id}"


def _has_nested(series: pd.Series) -> bool:
    return any(isinstance(v, list | dict | tuple) for v in series)


def _plain(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value
