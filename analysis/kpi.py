"""The key numbers above the map."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from analysis.figures import newest_scope, with_latest_figure
from analysis.filters import Filters, View, apply_filters
from config import LARGE_EMITTER_MIN_T
from core.portfolio import Portfolio
from core.schema import CLIMATE_SCOPES
from core.values import is_missing


@dataclass(frozen=True)
class KeyFigures:
    parks: int
    sources: int
    members: int
    total_t: float | None  # None when no shown source has a dated figure in the chosen scope
    years: tuple[int, ...]  # the one year summed (empty when nothing is summed)
    unknown_years: int  # always 0: undated figures are never summed
    scopes: tuple[str, ...]  # the one scope summed
    scope: str | None = None
    year: int | None = None
    facilities: int = 0  # how many shown sources have a figure in `scope` and `year`
    # Each of those sources' figure in `scope` and `year` (facility id → tonnes): what the map's popups and the
    # record panel show beside the key figure, so a plant is never shown with a figure of another scope or year.
    by_facility: dict[str, float] = field(default_factory=dict, compare=False)

    def figure_of(self, facility_id: str) -> float | None:
        """The facility's figure in the key figure's scope and year; None where it has none there."""
        return self.by_facility.get(facility_id)


@dataclass(frozen=True)
class ScopeSum:
    """One scope's stated figures for one year, summed over a set of facilities."""

    total_t: float | None  # None when none of the facilities has a figure in `scope` and `year`
    scope: str | None  # None when nothing is summed
    year: int | None
    facilities: int  # how many facilities have a figure in `scope` and `year`
    facility_ids: tuple[str, ...] = ()  # which
    amounts_t: tuple[float, ...] = ()  # each one's figure, in the order of `facility_ids`


def one_scope_sum(
    figures: pd.DataFrame | None, facility_ids, scope: str | None = None, year: int | None = None
) -> ScopeSum:
    """The rule of every summed emission figure: one scope, one year, stated and dated figures only.

    `scope` (else the climate scope whose newest dated, stated figure among the facilities is the newest, ties in
    CLIMATE_SCOPES order: the ETS first) and `year` (else that scope's latest year among them). Undated figures,
    planned ones and other scopes never go into it."""
    figures = figures if figures is not None else pd.DataFrame(columns=["facility_id", "basis", "scope", "year"])
    rows = figures[figures["facility_id"].isin(set(facility_ids)) & (figures["basis"] == "stated")]
    rows = rows[rows["year"].notna()]
    chosen = scope or newest_scope(rows, CLIMATE_SCOPES)
    rows = rows[rows["scope"] == chosen]
    if year is None:
        year = int(rows["year"].max()) if len(rows) else None
    rows = rows[rows["year"] == year].drop_duplicates(["facility_id", "year", "scope"], keep="last")
    if rows.empty:
        return ScopeSum(None, chosen if year is not None else None, year, 0)
    ids, amounts = tuple(rows["facility_id"]), tuple(rows["amount_t"].astype(float))
    return ScopeSum(float(rows["amount_t"].sum()), chosen, year, len(rows), ids, amounts)


def key_figures(view: View, scope: str | None = None) -> KeyFigures:
    """Kart's key figures: the shown sources' `one_scope_sum` in `scope` (else the newest climate scope)."""
    summed = one_scope_sum(view.figures, view.sources["id"], scope)
    return KeyFigures(
        parks=len(view.parks),
        sources=len(view.sources),
        members=len(view.members),
        total_t=summed.total_t,
        years=(summed.year,) if summed.total_t is not None else (),
        unknown_years=0,
        scopes=(summed.scope,) if summed.total_t is not None else (),
        scope=summed.scope if summed.total_t is not None else None,
        year=summed.year if summed.total_t is not None else None,
        facilities=summed.facilities,
        by_facility=dict(zip(summed.facility_ids, summed.amounts_t, strict=True)),
    )


# The columns analysis.figures.with_latest_figure adds to the sources.
_FIGURE_COLUMNS = ["figure_t", "figure_year", "figure_scope", "figure_quote", "figure_source"]


def in_key_scope(view: View, kpi: KeyFigures) -> View:
    """`view` with each source's figure in the key figure's scope and year (none where it has none there), so one
    map sizes its circles, names its large emitters and exports its figures in the scope and year its key figure
    sums: a circle is never drawn from another scope's number."""
    figures = view.figures if view.figures is not None else pd.DataFrame(columns=["facility_id", "scope", "year"])
    chosen = figures[(figures["scope"] == kpi.scope) & (figures["year"] == kpi.year)] if kpi.scope else figures[:0]
    sources = with_latest_figure(view.sources.drop(columns=_FIGURE_COLUMNS, errors="ignore"), chosen)
    return dataclasses.replace(view, sources=gpd.GeoDataFrame(sources, crs=view.sources.crs))


def is_large_emitter(figure_t) -> bool:
    """Named on every map and export, and the "nearest large emitter" on Portefølje: a figure of at least
    config.LARGE_EMITTER_MIN_T (the portfolio's threshold) in the one scope and year shown."""
    return not is_missing(figure_t) and float(figure_t) >= LARGE_EMITTER_MIN_T


def key_scoped_view(portfolio: Portfolio, filters: Filters) -> tuple[View, KeyFigures]:
    """What Kart shows: the filtered layers, each source with its figure in the key figure's one scope and year
    (`in_key_scope`), and the key figures themselves (counted on the filtered layers)."""
    view = apply_filters(portfolio, filters)
    kpi = key_figures(view)
    return in_key_scope(view, kpi), kpi
