"""What lies around each site (park): emission sources, cluster members and the nearest large emitter.

All lengths are metres measured in EPSG:25833 (config.METRIC_CRS); the portfolio is projected once
per public call. A source or member is inside a neighbourhood when its distance to the site is at
most the radius (the boundary counts as inside). Buffers are returned in EPSG:4326 for drawing.

Positions are only as good as `location_precision`. A place "at the municipality's centre" ("municipality") is not
known: it is never measured, counted "within N km" or ranked; it is listed apart as "in the same municipality, place
unknown". A site placed so has no distances at all.

One entry per actor (`actor_table`): an emission source and the cluster members that are the same company
(core.names.same_company) are one actor with both roles, at the source's place; a company in several clusters is one
actor. Its sector group (core.sectors) keeps supporting members apart from possible industrial partners.

Every emission sum is `analysis.kpi.one_scope_sum`: the scope and year Kart's key figure takes for the whole
portfolio, the same for every neighbourhood, so no sum mixes scopes or years.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from analysis.errors import CompareError, RadiusError, UnknownSiteError
from analysis.figures import with_latest_figure
from analysis.kpi import ScopeSum, is_large_emitter, one_scope_sum
from config import (
    BUFFER_QUAD_SEGS,
    COMPARE_MAX_SITES,
    CRS,
    METRIC_CRS,
    NEIGHBOURHOOD_RADIUS_MAX_M,
    NEIGHBOURHOOD_RADIUS_MIN_M,
)
from core.names import company_key, same_company
from core.portfolio import Portfolio
from core.sectors import GROUP_INDUSTRY, GROUP_SUPPORTING, GROUP_UNKNOWN, sector_group, sourced_sector
from loaders.upload.municipalities import municipalities_of

IMPRECISE = "municipality"  # a position placed on the municipal centre, not on the actor
PRECISION_ORDER = ("site", "quay", "locality", IMPRECISE)  # best first
ACTOR_COLUMNS = (
    "actor_id",
    "name",
    "roles",  # ("source",), ("member",) or both
    "source_id",  # the emission source, or None
    "member_ids",  # the member records (one per cluster and role)
    "clusters",
    "cluster_roles",  # (cluster, role) per relation, the role as its source states it (core.schema.MEMBER_ROLES)
    "sector",  # core.sectors code; the source's own sector text for a source
    "sector_group",  # industry, supporting or unknown
    "sector_basis",
    "location_precision",
    "kommunenummer",  # the municipalities its records name
    "geometry",
)


@dataclass(frozen=True)
class EmissionSum:
    """The sum of the latest *stated* figures of some sources, with what went into it."""

    total_t: float | None  # None when none of the sources has a stated figure
    years: tuple[int, ...]  # the known years the summed figures refer to
    unknown_years: int  # how many summed figures have no stated year
    scopes: tuple[str, ...]  # scopes mixed into the sum (co2, total, ...)
    with_figure: int  # sources whose figure is in the sum
    without_figure: int  # sources counted but with no stated figure
    scope: str | None = None  # the one scope summed (analysis.kpi.one_scope_sum)
    year: int | None = None  # the one year summed


@dataclass(frozen=True)
class NearestEmitter:
    source_id: str
    facility: str
    distance_m: float
    figure_t: float | None
    figure_year: int | None
    figure_scope: str | None
    location_precision: str
    # True: its figure in the one scope and year is large (analysis.kpi.is_large_emitter). False only in the fallback,
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
    actors: pd.DataFrame  # ACTOR_COLUMNS + distance_m: actors with a known place inside, nearest first
    unplaced: pd.DataFrame  # ACTOR_COLUMNS: in the site's municipality, place unknown (never at a distance)

    @property
    def site_id(self) -> str:
        return self.site["id"]

    @property
    def location_precision(self) -> str:
        return self.site["location_precision"]

    @property
    def placed(self) -> bool:
        """False for a site at its municipality's centre: nothing is measured from it."""
        return self.location_precision != IMPRECISE

    @property
    def member_companies(self) -> int:
        """Actors inside with a cluster membership (one company in several clusters counts once)."""
        return int(self.actors["roles"].map(lambda roles: "member" in roles).sum())

    def group(self, group: str) -> pd.DataFrame:
        """The actors inside in one sector group (industry, supporting, unknown)."""
        return self.actors[self.actors["sector_group"] == group]


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
    members_in_neighbourhoods: int  # actors with a membership inside at least one neighbourhood
    flows_by_resource: pd.DataFrame  # resource, status, flows


def check_radius(radius_m: object) -> float:
    """The radius as float metres, or `RadiusError` when it is not within the allowed range."""
    low, high = NEIGHBOURHOOD_RADIUS_MIN_M, NEIGHBOURHOOD_RADIUS_MAX_M
    if isinstance(radius_m, bool) or not isinstance(radius_m, numbers.Real):
        raise RadiusError("radius_not_number", got=radius_m)
    if not math.isfinite(radius_m) or not low <= radius_m <= high:
        raise RadiusError("radius_out_of_range", low_km=low / 1000, high_km=high / 1000, got=radius_m)
    return float(radius_m)


def site_row(portfolio: Portfolio, site_id: str) -> pd.Series:
    """The park with this id, or `UnknownSiteError`."""
    matches = portfolio.parks[portfolio.parks["id"] == site_id]
    if matches.empty:
        raise UnknownSiteError("unknown_site", got=site_id)
    return matches.iloc[0]


def distance_m(portfolio: Portfolio, a_id: str, b_id: str) -> float:
    """Metres between two features of any layer (parks, sources, members), in EPSG:25833."""
    found = {}
    for layer in (portfolio.parks, portfolio.sources, portfolio.members):
        hits = layer[layer["id"].isin([a_id, b_id])]
        found.update(zip(hits["id"], hits.geometry, strict=True))
    for ref in (a_id, b_id):
        if ref not in found:
            raise UnknownSiteError("unknown_actor", got=ref)
    a, b = gpd.GeoSeries([found[a_id], found[b_id]], crs=CRS).to_crs(METRIC_CRS)
    return float(a.distance(b))


def neighbourhood(site_id: str, portfolio: Portfolio, radius_m: float) -> Neighbourhood:
    return _Metric(portfolio).neighbourhood(site_id, check_radius(radius_m))


POINT_PREFIX = "point:"  # the id of a neighbourhood centred on a point the user chose
COAST_M = 2_000.0  # as scripts/build_geodata.py: a point this near a municipality's simplified outline is in it


def point_site(lat: float, lon: float, name: str, municipalities: gpd.GeoDataFrame | None = None) -> pd.Series:
    """A site row for a point the user clicked: exact ("site"), in the municipality whose outline holds it
    (`municipalities`: kommunenummer, name, geometry in EPSG:4326), else in none."""
    point = Point(float(lon), float(lat))
    found = None
    if municipalities is not None and len(municipalities):
        # the simplified coast cuts off quays and shores: the nearest outline within COAST_M holds the point
        (found,) = municipalities_of(gpd.GeoSeries([point], crs=CRS), municipalities, near_m=COAST_M)
    return pd.Series(
        {
            "id": f"{POINT_PREFIX}{float(lat):.5f},{float(lon):.5f}",
            "name": name,
            "municipality": found.name if found else None,
            "kommunenummer": found.kommunenummer if found else None,
            "status": None,
            "themes": [],
            "location_precision": "site",
            "geometry": point,
        }
    )


def neighbourhood_around(site: pd.Series, portfolio: Portfolio, radius_m: float) -> Neighbourhood:
    """The neighbourhood of a site row that is no park (`point_site`)."""
    site_m = gpd.GeoSeries([site["geometry"]], crs=CRS).to_crs(METRIC_CRS).iloc[0]
    return _Metric(portfolio).around(site, site_m, check_radius(radius_m))


def compare_hoods(hoods: Sequence[Neighbourhood]) -> pd.DataFrame:
    """`compare` for neighbourhoods already made (parks and points alike): one column per site id."""
    columns = {}
    for hood in hoods:
        row = _ranking_row(hood)
        for group in (GROUP_INDUSTRY, GROUP_SUPPORTING, GROUP_UNKNOWN):
            row[f"{group}_actors"] = "; ".join(_named(hood.group(group)))
        row["unplaced_actors"] = "; ".join(hood.unplaced["name"])
        columns[hood.site_id] = row
    rows = [*RANKING_COLUMNS, *(f"{g}_actors" for g in (GROUP_INDUSTRY, GROUP_SUPPORTING, GROUP_UNKNOWN))]
    return pd.DataFrame(columns, index=[*rows, "unplaced_actors"])


def neighbourhoods(site_ids: Sequence[str], portfolio: Portfolio, radius_m: float) -> list[Neighbourhood]:
    """`neighbourhood` for several sites, the portfolio projected once for all of them."""
    metric, radius_m = _Metric(portfolio), check_radius(radius_m)
    return [metric.neighbourhood(site_id, radius_m) for site_id in site_ids]


def ranking(portfolio: Portfolio, radius_m: float) -> pd.DataFrame:
    """One row per site (see `RANKING_COLUMNS`), most emissions (one scope, one year) around it first, then most
    industrial actors, then most actors. Sites equal on all three share a rank (`rank`, a tie is a tie), and sites
    whose neighbourhoods are the same actors say so (`same_actors_as`). A site at its municipality's centre has no
    rank (None) and comes last."""
    metric = _Metric(portfolio)
    radius_m = check_radius(radius_m)
    hoods = [metric.neighbourhood(site_id, radius_m) for site_id in metric.parks["id"]]
    frame = pd.DataFrame([_ranking_row(h) for h in hoods], columns=list(RANKING_COLUMNS))
    sets = {h.site_id: frozenset(h.actors["actor_id"]) for h in hoods if h.placed and len(h.actors)}
    frame["same_actors_as"] = [
        "; ".join(other for other, actors in sets.items() if other != site and actors == sets.get(site))
        for site in frame["site_id"]
    ]
    placed = frame["location_precision"] != IMPRECISE
    key = pd.DataFrame(
        {
            "emissions": frame["emissions_t"].astype(float).fillna(-1.0),
            "industry": frame["industry_inside"],
            "actors": frame["actors_inside"],
        }
    )[placed]
    ordered = key.sort_values(["emissions", "industry", "actors"], ascending=False, kind="stable")
    ranks, previous, rank = {}, None, 0
    for n, (i, row) in enumerate(ordered.iterrows(), start=1):
        current = tuple(row)
        if current != previous:
            rank, previous = n, current
        ranks[i] = rank
    frame["rank"] = pd.Series(ranks, dtype="Int64").reindex(frame.index)
    frame["tied"] = frame["rank"].notna() & frame["rank"].duplicated(keep=False)
    frame = frame.sort_values(["rank", "name"], na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def compare(site_ids: Sequence[str], portfolio: Portfolio, radius_m: float) -> pd.DataFrame:
    """Sites side by side: one column per site id (in the order given), one row per measure."""
    if isinstance(site_ids, str):
        site_ids = [site_ids]
    site_ids = list(site_ids)
    if not 1 <= len(site_ids) <= COMPARE_MAX_SITES:
        raise CompareError("compare_count", limit=COMPARE_MAX_SITES, count=len(site_ids))
    if len(set(site_ids)) != len(site_ids):
        raise CompareError("compare_twice")
    metric = _Metric(portfolio)
    radius_m = check_radius(radius_m)
    return compare_hoods([metric.neighbourhood(site_id, radius_m) for site_id in site_ids])


def portfolio_summary(portfolio: Portfolio, flows: pd.DataFrame, radius_m: float) -> PortfolioSummary:
    metric = _Metric(portfolio)
    radius_m = check_radius(radius_m)
    source_ids, member_actors = set(), set()
    for site_id in metric.parks["id"]:
        hood = metric.neighbourhood(site_id, radius_m)
        source_ids.update(hood.sources["id"])
        member_actors.update(hood.actors.loc[hood.actors["roles"].map(lambda r: "member" in r), "actor_id"])
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
        emissions_in_neighbourhoods=metric.emission_sum(inside),
        members=len(portfolio.members),
        member_companies=int(metric.actors["roles"].map(lambda r: "member" in r).sum()),
        members_in_neighbourhoods=len(member_actors),
        flows_by_resource=by_resource,
    )


def sources_inside_any(portfolio: Portfolio, radius_m: float) -> pd.DataFrame:
    """The sources with a known place inside at least one placed site's neighbourhood, each once, with their
    latest figure: the set `portfolio_summary` sums."""
    metric = _Metric(portfolio)
    radius_m = check_radius(radius_m)
    ids = set()
    for site_id in metric.parks["id"]:
        ids.update(metric.neighbourhood(site_id, radius_m).sources["id"])
    return metric.sources[metric.sources["id"].isin(ids)]


def portfolio_scope(portfolio: Portfolio) -> ScopeSum:
    """The scope and year of every sum on Portefølje: Kart's key-figure rule over the whole portfolio."""
    return one_scope_sum(portfolio.figures, portfolio.sources["id"])


def emission_sum(sources: pd.DataFrame, figures: pd.DataFrame, scope: str | None, year: int | None) -> EmissionSum:
    """The sources' figures in one scope and one year (`one_scope_sum`), with how many had none."""
    summed = one_scope_sum(figures, sources["id"], scope, year) if scope else ScopeSum(None, None, None, 0)
    return EmissionSum(
        total_t=summed.total_t,
        years=(summed.year,) if summed.total_t is not None else (),
        unknown_years=0,
        scopes=(summed.scope,) if summed.total_t is not None else (),
        with_figure=summed.facilities,
        without_figure=len(sources) - summed.facilities,
        scope=scope,
        year=year,
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
    "emission_scope",
    "emission_year",
    "actors_inside",
    "industry_inside",
    "supporting_inside",
    "unknown_sector_inside",
    "members_inside",
    "member_companies",
    "unplaced_in_municipality",
    "nearest_emitter_id",
    "nearest_emitter",
    "nearest_emitter_m",
    "nearest_emitter_t",
    "nearest_emitter_year",
    "nearest_emitter_scope",
    "nearest_emitter_large",
)


def sources_in_scope(portfolio: Portfolio, rule: ScopeSum) -> gpd.GeoDataFrame:
    """Every source with its figure in the portfolio's one scope and year (`rule`; none where it has none there):
    a "nearest large emitter" is large by the same figure Kart draws and names it by."""
    figures = portfolio.figures
    chosen = figures[(figures["scope"] == rule.scope) & (figures["year"] == rule.year)] if rule.scope else figures[:0]
    sources = with_latest_figure(portfolio.sources.reset_index(drop=True), chosen)
    return gpd.GeoDataFrame(sources, geometry="geometry", crs=CRS)


def actor_table(portfolio: Portfolio) -> gpd.GeoDataFrame:
    """One row per actor (`ACTOR_COLUMNS`). A member joins the emission source that is the same company (the one
    with the best-known place when several are); other members are one actor per company (`company_key`), at
    their best-known place."""
    rows: list[dict] = []
    by_source: dict[str, dict] = {}
    for source in portfolio.sources.to_dict("records"):
        row = {
            "actor_id": source["id"],
            "name": source["facility"],
            "roles": ("source",),
            "source_id": source["id"],
            "member_ids": (),
            "clusters": (),
            "cluster_roles": (),
            "sector": source.get("sector") if isinstance(source.get("sector"), str) else None,
            "sector_group": GROUP_INDUSTRY,  # a point emission source is an industrial plant
            "sector_basis": "emission source",
            "location_precision": source["location_precision"],
            "kommunenummer": (source["kommunenummer"],),
            "geometry": source["geometry"],
            "_names": (source["facility"], source.get("operator")),
            "_orgnr": source.get("orgnr"),
        }
        rows.append(row)
        by_source[source["id"]] = row
    companies: dict[str, dict] = {}
    for member in portfolio.members.to_dict("records"):
        names = [member["company"]]
        matches = [r for r in by_source.values() if same_company(member.get("orgnr"), names, r["_orgnr"], r["_names"])]
        if matches:
            actor = min(matches, key=lambda r: _precision_rank(r["location_precision"]))
        else:
            key = company_key(member["company"]) or member["id"]
            actor = companies.get(key)
            if actor is None:
                actor = companies[key] = {
                    "actor_id": f"company:{key}",
                    "name": member["company"],
                    "roles": (),
                    "source_id": None,
                    "member_ids": (),
                    "clusters": (),
                    "cluster_roles": (),
                    "sector": None,
                    "sector_group": GROUP_UNKNOWN,
                    "sector_basis": None,
                    "location_precision": member["location_precision"],
                    "kommunenummer": (),
                    "geometry": member["geometry"],
                }
                rows.append(actor)
            if _precision_rank(member["location_precision"]) < _precision_rank(actor["location_precision"]):
                actor["location_precision"], actor["geometry"] = member["location_precision"], member["geometry"]
            sector = sourced_sector(member.get("sector"), member.get("sector_basis"))
            if actor["sector"] is None and sector is not None:
                actor["sector"], actor["sector_basis"] = sector, member.get("sector_basis")
                actor["sector_group"] = sector_group(sector)
        if "member" not in actor["roles"]:
            actor["roles"] = (*actor["roles"], "member")
        actor["member_ids"] = (*actor["member_ids"], member["id"])
        if member["cluster"] not in actor["clusters"]:
            actor["clusters"] = (*actor["clusters"], member["cluster"])
        if (member["cluster"], member["role"]) not in actor["cluster_roles"]:
            actor["cluster_roles"] = (*actor["cluster_roles"], (member["cluster"], member["role"]))
        if actor["source_id"] is None and member["kommunenummer"] not in actor["kommunenummer"]:
            actor["kommunenummer"] = (*actor["kommunenummer"], member["kommunenummer"])
    frame = pd.DataFrame(rows, columns=[*ACTOR_COLUMNS, "_names", "_orgnr"]).drop(columns=["_names", "_orgnr"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS)


class _Metric:
    """The portfolio projected to METRIC_CRS once, for the length of one public call."""

    def __init__(self, portfolio: Portfolio):
        self.parks = portfolio.parks.reset_index(drop=True)
        self.parks_m = self.parks.geometry.to_crs(METRIC_CRS)
        rule = portfolio_scope(portfolio)
        self.scope, self.year = rule.scope, rule.year
        self.sources = sources_in_scope(portfolio, rule)
        self.sources_m = self.sources.geometry.to_crs(METRIC_CRS)
        self.members = portfolio.members.reset_index(drop=True)
        self.actors = actor_table(portfolio)
        self.actors_m = self.actors.geometry.to_crs(METRIC_CRS)
        self.figures = portfolio.figures
        placed = self.sources["location_precision"] != IMPRECISE
        large = self.sources["figure_t"].map(is_large_emitter).astype(bool) & placed
        # Fallback: with no large emitter anywhere, the nearest placed source of any size stands in (labelled).
        self.emitter_pool = large if large.any() else placed
        self.pool_is_large = bool(large.any())

    def emission_sum(self, sources: pd.DataFrame) -> EmissionSum:
        return emission_sum(sources, self.figures, self.scope, self.year)

    def neighbourhood(self, site_id: str, radius_m: float) -> Neighbourhood:
        i = self.parks.index[self.parks["id"] == site_id]
        if len(i) == 0:
            raise UnknownSiteError("unknown_site", got=site_id)
        i = i[0]
        return self.around(self.parks.loc[i], self.parks_m.loc[i], radius_m, i)

    def around(self, site: pd.Series, site_m: BaseGeometry, radius_m: float, i: int | None = None) -> Neighbourhood:
        """The neighbourhood of `site` (a park's row, or a point's from `point_site`; `i`: the park's index)."""
        placed_site = site["location_precision"] != IMPRECISE

        distance = self.actors_m.distance(site_m)
        known = self.actors["location_precision"] != IMPRECISE
        inside = known & (distance <= radius_m) & placed_site
        actors = self.actors.assign(distance_m=distance)[inside].sort_values("distance_m", kind="stable")
        here = self.actors["kommunenummer"].map(lambda numbers: site["kommunenummer"] in numbers)
        unplaced = self.actors[here & ~inside & (~known | (not placed_site))].sort_values("name", kind="stable")

        source_m = self.sources_m.distance(site_m)
        source_ids = set(actors["source_id"].dropna())
        sources = self.sources.assign(distance_m=source_m)
        sources = sources[sources["id"].isin(source_ids)].sort_values("distance_m", kind="stable")
        alone = actors[actors["source_id"].isna()]  # members that are no source: drawn at their own place
        members = self.members[self.members["id"].isin({m for ids in alone["member_ids"] for m in ids})]
        member_distance = dict(zip(alone["actor_id"], alone["distance_m"], strict=True))
        by_member = {m: a for a, ids in zip(alone["actor_id"], alone["member_ids"], strict=True) for m in ids}
        members = members.assign(distance_m=members["id"].map(lambda m: member_distance[by_member[m]]))

        same_place = self.parks_m.distance(site_m).lt(1.0) & (self.parks.index != i)
        buffer = gpd.GeoSeries([site_m.buffer(radius_m, quad_segs=BUFFER_QUAD_SEGS)], crs=METRIC_CRS)
        return Neighbourhood(
            site=site,
            radius_m=radius_m,
            sources=sources,
            emissions=self.emission_sum(sources),
            members=members.sort_values("distance_m", kind="stable"),
            nearest_emitter=self._nearest_emitter(source_m) if placed_site else None,
            buffer=buffer.to_crs(CRS).iloc[0],
            colocated_sites=tuple(self.parks.loc[same_place, "id"]),
            actors=actors,
            unplaced=unplaced,
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


def _precision_rank(precision: object) -> int:
    return PRECISION_ORDER.index(precision) if precision in PRECISION_ORDER else len(PRECISION_ORDER)


def _ranking_row(hood: Neighbourhood) -> dict:
    site, emissions, nearest = hood.site, hood.emissions, hood.nearest_emitter
    groups = hood.actors["sector_group"]
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
        "emission_scope": emissions.scope,
        "emission_year": emissions.year,
        "actors_inside": len(hood.actors),
        "industry_inside": int((groups == GROUP_INDUSTRY).sum()),
        "supporting_inside": int((groups == GROUP_SUPPORTING).sum()),
        "unknown_sector_inside": int((groups == GROUP_UNKNOWN).sum()),
        "members_inside": int(hood.actors["member_ids"].map(len).sum()),
        "member_companies": hood.member_companies,
        "unplaced_in_municipality": len(hood.unplaced),
        "nearest_emitter_id": nearest.source_id if nearest else None,
        "nearest_emitter": nearest.facility if nearest else None,
        "nearest_emitter_m": nearest.distance_m if nearest else None,
        "nearest_emitter_t": nearest.figure_t if nearest else None,
        "nearest_emitter_year": nearest.figure_year if nearest else None,
        "nearest_emitter_scope": nearest.figure_scope if nearest else None,
        "nearest_emitter_large": nearest.large if nearest else None,
    }


def _named(actors: pd.DataFrame) -> list[str]:
    pairs = zip(actors["name"], actors["distance_m"], strict=True)
    return [f"{name} ({distance / 1000:.1f} km)" for name, distance in pairs]
