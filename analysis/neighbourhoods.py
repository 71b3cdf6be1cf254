"""What lies around each site (park): emission sources, cluster members and the nearest large emitter.

All lengths are metres measured in EPSG:25833 (config.METRIC_CRS); the portfolio is projected once
per public call. A source or member is inside a neighbourhood when its distance to the site is at
most the radius (the boundary counts as inside). Buffers are returned in EPSG:4326 for drawing.

Positions are only as good as `location_precision`: several sites and members sit on one shared
point or on a municipal centre ("municipality"). Outputs carry the precision so the UI can warn.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from analysis.errors import CompareError, RadiusError, UnknownSiteError
from analysis.figures import with_latest_figure
from config import (
    BUFFER_QUAD_SEGS,
    COMPARE_MAX_SITES,
    CRS,
    LARGE_EMITTER_MIN_T,
    METRIC_CRS,
    NEIGHBOURHOOD_RADIUS_MAX_M,
    NEIGHBOURHOOD_RADIUS_MIN_M,
)
from core.portfolio import Portfolio

IMPRECISE = "municipality"  # a position placed on the municipal centre, not on the actor


@dataclass(frozen=True)
class EmissionSum:
    """The sum of the latest *stated* figures of some sources, with what went into it."""

    total_t: float | None  # None when none of the sources has a stated figure
    years: tuple[int, ...]  # the known years the summed figures refer to
    unknown_years: int  # how many summed figures have no stated year
    scopes: tuple[str, ...]  # scopes mixed into the sum (co2, total, ...)
    with_figure: int  # sources whose figure is in the sum
    without_figure: int  # sources counted but with no stated figure


@dataclass(frozen=True)
class NearestEmitter:
    source_id: str
    facility: str
    distance_m: float
    figure_t: float | None
    figure_year: int | None
    figure_scope: str | None
    location_precision: str
    # True: the latest stated figure is at least LARGE_EMITTER_MIN_T. False only in the fallback,
    # when no source in the portfolio qualifies: then this is the nearest source of any size.
    large: bool

    @property
    def basis(self) -> str:
        return "large" if self.large else "any size (no source has a stated figure at or above the threshold)"


@dataclass(frozen=True, eq=False)
class Neighbourhood:
    site: pd.Series  # the park's row (EPSG:4326 geometry), incl. status, themes, location_precision
    radius_m: float
    sources: gpd.GeoDataFrame  # inside, nearest first: layer columns + figure_* + distance_m
    emissions: EmissionSum
    members: gpd.GeoDataFrame  # inside, nearest first: layer columns + distance_m
    nearest_emitter: NearestEmitter | None  # None only when the portfolio has no sources at all
    buffer: BaseGeometry  # the neighbourhood in EPSG:4326
    colocated_sites: tuple[str, ...]  # ids of other sites drawn at the same position

    @property
    def site_id(self) -> str:
        return self.site["id"]

    @property
    def location_precision(self) -> str:
        return self.site["location_precision"]

    @property
    def member_companies(self) -> int:
        """Distinct company names inside (one company can be a member of several clusters)."""
        return int(self.members["company"].nunique())


@dataclass(frozen=True, eq=False)
class PortfolioSummary:
    radius_m: float
    sites: int
    sites_by_status: pd.DataFrame  # status (None = not stated), sites
    sites_by_theme: pd.DataFrame  # theme, sites (a site counts once under each of its themes)
    # Sources inside at least one site's neighbourhood, each counted once however many overlap.
    sources_in_neighbourhoods: int
    emissions_in_neighbourhoods: EmissionSum
    members: int  # member rows (company-in-cluster relations) in the portfolio
    member_companies: int
    members_in_neighbourhoods: int
    flows_by_resource: pd.DataFrame  # resource, status, flows


def check_radius(radius_m: object) -> float:
    """The radius as float metres, or `RadiusError` when it is not within the allowed range."""
    low, high = NEIGHBOURHOOD_RADIUS_MIN_M, NEIGHBOURHOOD_RADIUS_MAX_M
    if isinstance(radius_m, bool) or not isinstance(radius_m, numbers.Real):
        raise RadiusError(f"the radius must be a number of metres, got {radius_m!r}")
    if not math.isfinite(radius_m) or not low <= radius_m <= high:
        raise RadiusError(f"the radius must be between {low / 1000:g} and {high / 1000:g} km, got {radius_m!r} m")
    return float(radius_m)


def site_row(portfolio: Portfolio, site_id: str) -> pd.Series:
    """The park with this id, or `UnknownSiteError`."""
    matches = portfolio.parks[portfolio.parks["id"] == site_id]
    if matches.empty:
        raise UnknownSiteError(f"no site with id {site_id!r} in the parks layer")
    return matches.iloc[0]


def distance_m(portfolio: Portfolio, a_id: str, b_id: str) -> float:
    """Metres between two features of any layer (parks, sources, members), in EPSG:25833."""
    found = {}
    for layer in (portfolio.parks, portfolio.sources, portfolio.members):
        hits = layer[layer["id"].isin([a_id, b_id])]
        found.update(zip(hits["id"], hits.geometry, strict=True))
    for ref in (a_id, b_id):
        if ref not in found:
            raise UnknownSiteError(f"no park, emission source or cluster member with id {ref!r}")
    a, b = gpd.GeoSeries([found[a_id], found[b_id]], crs=CRS).to_crs(METRIC_CRS)
    return float(a.distance(b))


def neighbourhood(site_id: str, portfolio: Portfolio, radius_m: float) -> Neighbourhood:
    return _Metric(portfolio).neighbourhood(site_id, check_radius(radius_m))


def neighbourhoods(site_ids: Sequence[str], portfolio: Portfolio, radius_m: float) -> list[Neighbourhood]:
    """`neighbourhood` for several sites, the portfolio projected once for all of them."""
    metric, radius_m = _Metric(portfolio), check_radius(radius_m)
    return [metric.neighbourhood(site_id, radius_m) for site_id in site_ids]


def ranking(portfolio: Portfolio, radius_m: float) -> pd.DataFrame:
    """One row per site (see `RANKING_COLUMNS`), most recorded emissions around it first."""
    metric = _Metric(portfolio)
    radius_m = check_radius(radius_m)
    rows = [_ranking_row(metric.neighbourhood(site_id, radius_m)) for site_id in metric.parks["id"]]
    frame = pd.DataFrame(rows, columns=list(RANKING_COLUMNS))
    frame = frame.sort_values(
        ["emissions_t", "sources_inside", "members_inside", "name"],
        ascending=[False, False, False, True],
        na_position="last",
    )
    return frame.reset_index(drop=True)


def compare(site_ids: Sequence[str], portfolio: Portfolio, radius_m: float) -> pd.DataFrame:
    """Sites side by side: one column per site id (in the order given), one row per measure."""
    if isinstance(site_ids, str):
        site_ids = [site_ids]
    site_ids = list(site_ids)
    if not 1 <= len(site_ids) <= COMPARE_MAX_SITES:
        raise CompareError(f"compare takes 1 to {COMPARE_MAX_SITES} sites, got {len(site_ids)}")
    if len(set(site_ids)) != len(site_ids):
        raise CompareError("compare takes each site once")
    metric = _Metric(portfolio)
    radius_m = check_radius(radius_m)
    columns = {}
    for site_id in site_ids:
        hood = metric.neighbourhood(site_id, radius_m)
        row = _ranking_row(hood)
        row["sources"] = "; ".join(_named(hood.sources, "facility"))
        row["members"] = "; ".join(_named(hood.members.drop_duplicates("company"), "company"))
        columns[site_id] = row
    return pd.DataFrame(columns, index=[*RANKING_COLUMNS, "sources", "members"])


def portfolio_summary(portfolio: Portfolio, flows: pd.DataFrame, radius_m: float) -> PortfolioSummary:
    metric = _Metric(portfolio)
    radius_m = check_radius(radius_m)
    source_ids, member_ids = set(), set()
    for site_id in metric.parks["id"]:
        hood = metric.neighbourhood(site_id, radius_m)
        source_ids.update(hood.sources["id"])
        member_ids.update(hood.members["id"])
    parks = portfolio.parks
    statuses = parks["status"].map(lambda s: s if isinstance(s, str) else None)
    by_status = (
        pd.DataFrame({"status": statuses.astype(object)})
        .groupby("status", dropna=False, sort=False)
        .size()
        .rename("sites")
        .reset_index()
    )
    by_status["status"] = by_status["status"].map(lambda s: s if isinstance(s, str) else None)
    themes = parks["themes"].explode().dropna()
    by_theme = themes.value_counts().rename_axis("theme").rename("sites").reset_index()
    by_resource = (
        flows.groupby(["resource", "status"]).size().rename("flows").reset_index()
        if len(flows)
        else pd.DataFrame({"resource": [], "status": [], "flows": []})
    )
    inside = metric.sources[metric.sources["id"].isin(source_ids)]
    return PortfolioSummary(
        radius_m=radius_m,
        sites=len(parks),
        sites_by_status=by_status.sort_values("sites", ascending=False, kind="stable").reset_index(drop=True),
        sites_by_theme=by_theme,
        sources_in_neighbourhoods=len(inside),
        emissions_in_neighbourhoods=emission_sum(inside),
        members=len(portfolio.members),
        member_companies=int(portfolio.members["company"].nunique()),
        members_in_neighbourhoods=len(member_ids),
        flows_by_resource=by_resource,
    )


def emission_sum(sources: pd.DataFrame) -> EmissionSum:
    """Sum the `figure_t` column (latest stated figures) of sources that have one."""
    with_figure = sources[sources["figure_t"].notna()]
    return EmissionSum(
        total_t=float(with_figure["figure_t"].sum()) if len(with_figure) else None,
        years=tuple(sorted(int(y) for y in with_figure["figure_year"].dropna().unique())),
        unknown_years=int(with_figure["figure_year"].isna().sum()),
        scopes=tuple(sorted(with_figure["figure_scope"].unique())),
        with_figure=len(with_figure),
        without_figure=len(sources) - len(with_figure),
    )


RANKING_COLUMNS = (
    "site_id",
    "name",
    "municipality",
    "status",
    "themes",
    "location_precision",
    "colocated_with",
    "radius_m",
    "sources_inside",
    "sources_with_figure",
    "emissions_t",
    "emission_years",
    "unknown_year_figures",
    "scopes",
    "members_inside",
    "member_companies",
    "imprecise_inside",
    "nearest_emitter_id",
    "nearest_emitter",
    "nearest_emitter_m",
    "nearest_emitter_t",
    "nearest_emitter_year",
    "nearest_emitter_scope",
    "nearest_emitter_large",
)


def sources_with_dated_figure(portfolio: Portfolio) -> gpd.GeoDataFrame:
    """Every source with its latest dated figure: a sum or a "nearest large emitter" names the year it is for."""
    dated = portfolio.figures[portfolio.figures["year"].notna()]
    sources = with_latest_figure(portfolio.sources.reset_index(drop=True), dated)
    return gpd.GeoDataFrame(sources, geometry="geometry", crs=CRS)


class _Metric:
    """The portfolio projected to METRIC_CRS once, for the length of one public call."""

    def __init__(self, portfolio: Portfolio):
        self.parks = portfolio.parks.reset_index(drop=True)
        self.parks_m = self.parks.geometry.to_crs(METRIC_CRS)
        self.sources = sources_with_dated_figure(portfolio)
        self.sources_m = self.sources.geometry.to_crs(METRIC_CRS)
        self.members = portfolio.members.reset_index(drop=True)
        self.members_m = self.members.geometry.to_crs(METRIC_CRS)
        large = self.sources["figure_t"].ge(LARGE_EMITTER_MIN_T).fillna(False).astype(bool)
        # Fallback: with no large emitter anywhere, the nearest source of any size stands in (labelled).
        self.emitter_pool = large if large.any() else pd.Series(True, index=self.sources.index)
        self.pool_is_large = bool(large.any())

    def neighbourhood(self, site_id: str, radius_m: float) -> Neighbourhood:
        i = self.parks.index[self.parks["id"] == site_id]
        if len(i) == 0:
            raise UnknownSiteError(f"no site with id {site_id!r} in the parks layer")
        i = i[0]
        site_m = self.parks_m.loc[i]

        source_m = self.sources_m.distance(site_m)
        sources = self.sources.assign(distance_m=source_m)
        sources = sources[source_m <= radius_m].sort_values("distance_m", kind="stable")
        member_m = self.members_m.distance(site_m)
        members = self.members.assign(distance_m=member_m)
        members = members[member_m <= radius_m].sort_values("distance_m", kind="stable")

        same_place = self.parks_m.geom_equals_exact(site_m, tolerance=1.0) & (self.parks.index != i)
        buffer = gpd.GeoSeries([site_m.buffer(radius_m, quad_segs=BUFFER_QUAD_SEGS)], crs=METRIC_CRS)
        return Neighbourhood(
            site=self.parks.loc[i],
            radius_m=radius_m,
            sources=sources,
            emissions=emission_sum(sources),
            members=members,
            nearest_emitter=self._nearest_emitter(source_m),
            buffer=buffer.to_crs(CRS).iloc[0],
            colocated_sites=tuple(self.parks.loc[same_place, "id"]),
        )

    def _nearest_emitter(self, distance_m: pd.Series) -> NearestEmitter | None:
        pool = distance_m[self.emitter_pool]
        if pool.empty:
            return None
        j = pool.idxmin()
        row = self.sources.loc[j]
        return NearestEmitter(
            source_id=row["id"],
            facility=row["facility"],
            distance_m=float(pool.loc[j]),
            figure_t=None if pd.isna(row["figure_t"]) else float(row["figure_t"]),
            figure_year=None if pd.isna(row["figure_year"]) else int(row["figure_year"]),
            figure_scope=None if pd.isna(row["figure_scope"]) else row["figure_scope"],
            location_precision=row["location_precision"],
            large=self.pool_is_large,
        )


def _ranking_row(hood: Neighbourhood) -> dict:
    site, emissions, nearest = hood.site, hood.emissions, hood.nearest_emitter
    imprecise = int((hood.sources["location_precision"] == IMPRECISE).sum()) + int(
        (hood.members["location_precision"] == IMPRECISE).sum()
    )
    return {
        "site_id": site["id"],
        "name": site["name"],
        "municipality": site["municipality"],
        "status": site["status"] if isinstance(site["status"], str) else None,
        "themes": "; ".join(site["themes"]),
        "location_precision": site["location_precision"],
        "colocated_with": "; ".join(hood.colocated_sites),
        "radius_m": hood.radius_m,
        "sources_inside": len(hood.sources),
        "sources_with_figure": emissions.with_figure,
        "emissions_t": emissions.total_t,
        "emission_years": ", ".join(str(y) for y in emissions.years),
        "unknown_year_figures": emissions.unknown_years,
        "scopes": ", ".join(emissions.scopes),
        "members_inside": len(hood.members),
        "member_companies": hood.member_companies,
        "imprecise_inside": imprecise,
        "nearest_emitter_id": nearest.source_id if nearest else None,
        "nearest_emitter": nearest.facility if nearest else None,
        "nearest_emitter_m": nearest.distance_m if nearest else None,
        "nearest_emitter_t": nearest.figure_t if nearest else None,
        "nearest_emitter_year": nearest.figure_year if nearest else None,
        "nearest_emitter_scope": nearest.figure_scope if nearest else None,
        "nearest_emitter_large": nearest.large if nearest else None,
    }


def _named(frame: pd.DataFrame, column: str) -> list[str]:
    pairs = zip(frame[column], frame["distance_m"], strict=True)
    return [f"{name} ({distance / 1000:.1f} km)" for name, distance in pairs]
