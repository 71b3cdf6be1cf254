"""The key numbers above the map."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.figures import newest_scope
from analysis.filters import View
from core.schema import CLIMATE_SCOPES


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


@dataclass(frozen=True)
class ScopeSum:
    """One scope's stated figures for one year, summed over a set of facilities."""

    total_t: float | None  # None when none of the facilities has a figure in `scope` and `year`
    scope: str | None  # None when nothing is summed
    year: int | None
    facilities: int  # how many facilities have a figure in `scope` and `year`
    facility_ids: tuple[str, ...] = ()  # which


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
    return ScopeSum(float(rows["amount_t"].sum()), chosen, year, len(rows), tuple(rows["facility_id"]))


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
    )
