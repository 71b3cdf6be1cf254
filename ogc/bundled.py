"""The bundled layers as OGC API collections: built from geodata/ by the app's own loaders (so the joins are the
app's), written once per start to one derived GeoPackage (data/ogc/bundled.gpkg, git-ignored) that the service
reads with GDAL."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from config import CRS, ROOT, settings
from core.portfolio import Portfolio
from loaders.bundled.flows import flow_lines, load_flows
from loaders.bundled.measures import load_measures, measure_points
from loaders.bundled.portfolio import load_portfolio

BUNDLED_PATH = ROOT / "data" / "ogc" / "bundled.gpkg"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Bundled:
    """One bundled collection: its id (also the table in the derived GeoPackage), its features, its title and
    description (keys in the .po files) and the licence link, where the source gives one."""

    id: str
    frame: Callable[[Portfolio, Path], gpd.GeoDataFrame]
    title: str
    description: str
    licence_url: str = ""


def _figures(portfolio: Portfolio, _: Path) -> gpd.GeoDataFrame:
    """Every emission figure (hand-made, E-PRTR and EU ETS) at its source's place: one point per figure."""
    places = portfolio.sources[["id", "facility", "geometry"]].rename(columns={"id": "facility_id"})
    joined = places.merge(portfolio.figures, on="facility_id", how="inner")
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=CRS)


def _flows(portfolio: Portfolio, directory: Path) -> gpd.GeoDataFrame:
    return flow_lines(load_flows(directory / "flows.csv"), portfolio)


def _measures(portfolio: Portfolio, directory: Path) -> gpd.GeoDataFrame:
    return measure_points(load_measures(directory / "measures.csv", portfolio), portfolio)


BUNDLED = (
    Bundled("parks", lambda p, _: p.parks, "ogc_parks_title", "ogc_parks_description"),
    Bundled(
        "emission_sources", lambda p, _: p.sources, "ogc_emission_sources_title", "ogc_emission_sources_description"
    ),
    Bundled("emission_figures", _figures, "ogc_emission_figures_title", "ogc_emission_figures_description"),
    Bundled("cluster_members", lambda p, _: p.members, "ogc_cluster_members_title", "ogc_cluster_members_description"),
    Bundled(
        "eprtr_facilities",
        lambda _, d: gpd.read_file(d / "eprtr_facilities.geojson"),
        "ogc_eprtr_facilities_title",
        "ogc_eprtr_facilities_description",
        CC_BY_4,
    ),
    Bundled(
        "ets_installations",
        lambda _, d: gpd.read_file(d / "ets_installations.geojson"),
        "ogc_ets_installations_title",
        "ogc_ets_installations_description",
        CC_BY_4,
    ),
    Bundled("flows", _flows, "ogc_flows_title", "ogc_flows_description"),
    Bundled("measures", _measures, "ogc_measures_title", "ogc_measures_description"),
)


def bundled_frames(directory: Path | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Each bundled collection's features as the service serves them (plain columns, EPSG:4326)."""
    directory = Path(directory or settings().geodata_dir)
    portfolio = load_portfolio(directory)
    return {b.id: plain(b.frame(portfolio, directory)) for b in BUNDLED}


def write_bundled(path: Path = BUNDLED_PATH, directory: Path | None = None) -> Path:
    """The derived GeoPackage, written beside `path` and moved into place: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")
    partial.unlink(missing_ok=True)
    for table, frame in bundled_frames(directory).items():
        pyogrio.write_dataframe(frame, partial, layer=table, driver="GPKG", append=partial.exists())
    os.replace(partial, path)
    return path


def plain(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns a GeoPackage keeps: lists and dicts as JSON text, nullable types as their plain kind."""
    out = frame.to_crs(CRS).reset_index(drop=True)
    for name in out.columns:
        if name == out.geometry.name:
            continue
        column = out[name]
        if column.dtype == object or str(column.dtype) == "str":
            out[name] = column.map(_text)
        elif str(column.dtype) == "boolean":
            out[name] = column.astype(object).where(column.notna(), None)
    return out


def _text(value: object) -> object:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    return str(value)
