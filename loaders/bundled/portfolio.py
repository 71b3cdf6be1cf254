"""The bundled Trøndelag starter portfolio in geodata/."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from config import GEODATA_DIR
from core.kommunenummer import MUNICIPALITIES
from core.portfolio import Portfolio
from loaders.errors import SchemaError
from loaders.files.layers import read_figures, read_layer


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
        municipalities=MUNICIPALITIES[["kommunenummer", "name"]].copy(),
    )


def with_stored_layers(portfolio: Portfolio, stored: list[tuple[int, str, gpd.GeoDataFrame]]) -> Portfolio:
    """The portfolio with uploaded layers of a known kind added to the bundled ones.

    `stored` holds (layer id, kind, frame) for visible layers; their ids get a "L<layer id>:" prefix,
    so two layers (or a layer and the bundled data) can never claim the same feature id.
    """
    extra: dict[str, list[gpd.GeoDataFrame]] = {"parks": [], "sources": [], "members": []}
    for layer_id, kind, frame in stored:
        if kind in extra and len(frame):
            frame = frame.copy()
            frame["id"] = [f"L{layer_id}:{value}" for value in frame["id"]]
            extra[kind].append(frame)

    def joined(kind: str) -> gpd.GeoDataFrame:
        bundled = getattr(portfolio, kind)
        if not extra[kind]:
            return bundled
        frames = [bundled, *(f[bundled.columns] for f in extra[kind])]
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=bundled.crs)

    return Portfolio(
        parks=joined("parks"),
        sources=joined("sources"),
        members=joined("members"),
        figures=portfolio.figures,
        municipalities=portfolio.municipalities,
    )
