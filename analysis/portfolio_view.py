"""What the portfolio maps show: the chosen neighbourhoods, what lies inside them, the flows touching them.

Inside means within the radius in metres (EPSG:25833), as in analysis/neighbourhoods.py. A flow
touches a neighbourhood when either of its ends lies inside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from analysis.neighbourhoods import Neighbourhood, sources_inside_any  # noqa: F401  (the page's one import)
from config import CRS, METRIC_CRS
from core.portfolio import Portfolio


@dataclass(frozen=True, eq=False)
class MapContent:
    hoods: tuple[Neighbourhood, ...]
    parks: gpd.GeoDataFrame  # every park inside at least one neighbourhood (the chosen sites too)
    sources: gpd.GeoDataFrame  # inside, with figure_* columns; each once
    members: gpd.GeoDataFrame  # inside; each membership once
    flows: gpd.GeoDataFrame  # flow lines (loaders.bundled.flows.flow_lines) touching a neighbourhood

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """minx, miny, maxx, maxy (degrees) of the neighbourhoods' buffers."""
        return tuple(gpd.GeoSeries([h.buffer for h in self.hoods], crs=CRS).total_bounds)


def filter_flows(lines: pd.DataFrame, resources: Sequence[str] = (), statuses: Sequence[str] = ()) -> pd.DataFrame:
    """The flows with one of `resources` and one of `statuses`; an empty choice keeps all."""
    keep = pd.Series(True, index=lines.index)
    if resources:
        keep &= lines["resource"].isin(resources)
    if statuses:
        keep &= lines["status"].isin(statuses)
    return lines[keep]


def flows_touching(lines: gpd.GeoDataFrame, hood: Neighbourhood) -> gpd.GeoDataFrame:
    """Flows with at least one end within the neighbourhood's radius of its site."""
    if lines.empty:
        return lines
    site = gpd.GeoSeries([hood.site.geometry], crs=CRS).to_crs(METRIC_CRS).iloc[0]
    inside = pd.Series(False, index=lines.index)
    for end in ("from", "to"):
        points = gpd.GeoSeries(gpd.points_from_xy(lines[f"{end}_lon"], lines[f"{end}_lat"]), index=lines.index, crs=CRS)
        inside |= points.to_crs(METRIC_CRS).distance(site) <= hood.radius_m
    return lines[inside]


def parks_inside(portfolio: Portfolio, hood: Neighbourhood) -> gpd.GeoDataFrame:
    site = gpd.GeoSeries([hood.site.geometry], crs=CRS).to_crs(METRIC_CRS).iloc[0]
    distance = portfolio.parks.geometry.to_crs(METRIC_CRS).distance(site)
    return portfolio.parks[distance <= hood.radius_m]


def map_content(hoods: Sequence[Neighbourhood], portfolio: Portfolio, lines: gpd.GeoDataFrame) -> MapContent:
    """Everything inside any of `hoods`, each feature once; `lines` already filtered by the user."""
    hoods = tuple(hoods)
    return MapContent(
        hoods=hoods,
        parks=_union([parks_inside(portfolio, h) for h in hoods], portfolio.parks),
        sources=_union([h.sources for h in hoods], portfolio.sources),
        members=_union([h.members for h in hoods], portfolio.members),
        flows=_union([flows_touching(lines, h) for h in hoods], lines),
    )


def _union(frames: list[pd.DataFrame], layer: pd.DataFrame) -> gpd.GeoDataFrame:
    """The frames' rows, each id once; with no rows, an empty frame with the layer's columns."""
    frames = [f for f in frames if len(f)] or [layer.iloc[0:0]]
    joined = pd.concat(frames).drop_duplicates("id")
    # distance_m belongs to one neighbourhood; in a union it would mislead
    joined = joined.drop(columns=["distance_m"], errors="ignore")
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=CRS)
