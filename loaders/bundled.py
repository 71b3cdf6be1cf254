"""The bundled Trøndelag starter portfolio in geodata/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from config import GEODATA_DIR
from loaders.errors import SchemaError
from loaders.layers import read_figures, read_layer


@dataclass(frozen=True)
class Portfolio:
    """All layers the maps draw: three layer kinds, the figure table and the municipality list."""

    parks: gpd.GeoDataFrame
    sources: gpd.GeoDataFrame
    members: gpd.GeoDataFrame
    figures: pd.DataFrame
    municipalities: pd.DataFrame  # kommunenummer, name (2024 division)


def load_portfolio(directory: str | Path = GEODATA_DIR) -> Portfolio:
    directory = Path(directory)
    sources = read_layer(directory / "emission_sources.geojson", "sources")
    figures = read_figures(directory / "emission_figures.csv")
    unknown = sorted(set(figures["facility_id"]) - set(sources["id"]))
    if unknown:
        raise SchemaError(None, "facility_id", "the id of a bundled emission source", unknown[0])
    return Portfolio(
        parks=read_layer(directory / "parks.geojson", "parks"),
        sources=sources,
        members=read_layer(directory / "cluster_members.geojson", "members"),
        figures=figures,
        municipalities=pd.read_csv(directory / "kommuner.csv", dtype=str)[["kommunenummer", "name"]],
    )
