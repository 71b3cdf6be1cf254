"""The sidebar's filters as a value, and applying them to the portfolio."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from analysis.figures import with_latest_figure
from core.portfolio import Portfolio


@dataclass(frozen=True)
class Filters:
    """Empty tuples mean "no restriction"."""

    kommunenummer: tuple[str, ...] = ()
    statuses: tuple[str | None, ...] = ()
    themes: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    only_with_figure: bool = False


@dataclass(frozen=True)
class View:
    """What the filters leave of each layer; sources carry their latest figure, `figures` are the shown sources'."""

    parks: gpd.GeoDataFrame
    sources: gpd.GeoDataFrame
    members: gpd.GeoDataFrame
    figures: pd.DataFrame | None = None


def apply_filters(portfolio: Portfolio, filters: Filters) -> View:
    parks = _in_municipalities(portfolio.parks, filters)
    if filters.statuses:
        wanted = set(filters.statuses)
        parks = parks[parks["status"].map(lambda s: (s if isinstance(s, str) else None) in wanted)]
    if filters.themes:
        wanted = set(filters.themes)
        parks = parks[parks["themes"].map(lambda themes: bool(wanted.intersection(themes)))]

    sources = with_latest_figure(_in_municipalities(portfolio.sources, filters), portfolio.figures)
    if filters.sectors:
        sources = sources[sources["sector"].isin(filters.sectors)]
    if filters.only_with_figure:
        sources = sources[sources["figure_t"].notna()]

    members = _in_municipalities(portfolio.members, filters)
    if filters.clusters:
        members = members[members["cluster"].isin(filters.clusters)]
    figures = portfolio.figures[portfolio.figures["facility_id"].isin(set(sources["id"]))]
    return View(
        parks=parks, sources=gpd.GeoDataFrame(sources, crs=portfolio.sources.crs), members=members, figures=figures
    )


def filter_options(portfolio: Portfolio) -> dict[str, list]:
    """The values each filter can take, sorted for display."""
    return {
        "themes": sorted({theme for themes in portfolio.parks["themes"] for theme in themes}),
        "clusters": sorted(portfolio.members["cluster"].unique()),
        "sectors": sorted(portfolio.sources["sector"].dropna().unique()),
    }


def _in_municipalities(frame: gpd.GeoDataFrame, filters: Filters) -> gpd.GeoDataFrame:
    if not filters.kommunenummer:
        return frame
    return frame[frame["kommunenummer"].isin(filters.kommunenummer)]
