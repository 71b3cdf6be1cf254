"""The key numbers above the map."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from analysis.figures import newest_scope, with_latest_figure
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
    # Each of those sources' figure in `scope` and `year` (facility id → tonnes): what the map's popups and the
    # record panel show beside the key figure, so a plant is never shown with a figure of another scope or year.
    by_facility: dict[str, float] = field(default_factory=dict, compare=False)

    def figure_of(self, facility_id: str) -> float | None:
        """The facility's figure in the key figure's scope and year; None where it has none there."""
        return self.by_facility.get(facility_id)


def key_figures(view: View, scope: str | None = None) -> KeyFigures:
    """The sum of one scope's figures for one year: `scope` (else the climate scope whose newest dated, stated
    figure among the shown sources is the newest, ties in CLIMATE_SCOPES order: the ETS first) and that scope's
    latest year. Undated figures, planned ones and other scopes never go into it."""
    figures = view.figures if view.figures is not None else pd.DataFrame(columns=["facility_id", "basis", "scope"])
    rows = figures[
        figures["facility_id"].isin(set(view.sources["id"])) & (figures["basis"] == "stated") & figures["year"].notna()
    ]
    chosen = scope or newest_scope(rows, CLIMATE_SCOPES)
    rows = rows[rows["scope"] == chosen]
    year = int(rows["year"].max()) if len(rows) else None
    rows = rows[rows["year"] == year].drop_duplicates(["facility_id", "year", "scope"], keep="last")
    return KeyFigures(
        parks=len(view.parks),
        sources=len(view.sources),
        members=len(view.members),
        total_t=float(rows["amount_t"].sum()) if len(rows) else None,
        years=(year,) if year is not None else (),
        unknown_years=0,
        scopes=(chosen,) if year is not None else (),
        scope=chosen if year is not None else None,
        year=year,
        facilities=len(rows),
        by_facility=dict(zip(rows["facility_id"], rows["amount_t"].astype(float), strict=True)),
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
