"""The portfolio: every layer the maps draw, as one plain value passed from the loaders to analysis and maps."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd


@dataclass(frozen=True)
class Portfolio:
    """Three layer kinds, the figure table and the municipality list."""

    parks: gpd.GeoDataFrame
    sources: gpd.GeoDataFrame
    members: gpd.GeoDataFrame
    figures: pd.DataFrame
    municipalities: pd.DataFrame  # kommunenummer, name (2024 division)
    # Which data this is (the bundled folder, the store's layers and their versions): the key under which results
    # worked out from it are kept for every session (ui/data.derived). Empty: not known, nothing is kept.
    revision: tuple = ()
