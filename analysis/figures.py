"""Choosing each facility's latest emission figure without mixing in planned numbers."""

from __future__ import annotations

import pandas as pd

# When a facility has several stated figures for the same (or an unknown) year,
# the broadest scope is the one drawn and summed (the ETS's CO₂-eq. leaves biomass CO₂ out: after "total").
SCOPE_PRIORITY = {"co2e": 0, "total": 1, "ets": 2, "co2": 3, "fossil": 4}

LATEST_COLUMNS = ["facility_id", "amount_t", "year", "scope", "quote", "source_url"]


def newest_scope(figures: pd.DataFrame, scopes, municipal: pd.DataFrame | None = None) -> str | None:
    """Of `scopes`, the one with the newest stated, dated figure (or municipal statistics), ties in `scopes` order;
    None when none has one."""
    rows = figures.loc[(figures["basis"] == "stated") & figures["year"].notna(), ["scope", "year"]]
    if municipal is not None and not municipal.empty:
        rows = pd.concat([rows, municipal.loc[municipal["year"].notna(), ["scope", "year"]]], ignore_index=True)
    rows = rows[rows["scope"].isin(list(scopes))]
    if rows.empty:
        return None
    newest = rows.groupby("scope")["year"].max()
    top = newest.max()
    return next(s for s in scopes if newest.get(s) == top)


def latest_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per facility: its latest *stated* CO₂ figure (planned figures are never 'latest'; other
    pollutants such as NOx are not drawn on the overview map).

    Known years beat unknown ones; within a year the broadest scope wins.
    """
    stated = figures[(figures["basis"] == "stated") & figures["scope"].isin(list(SCOPE_PRIORITY))].copy()
    if stated.empty:
        return pd.DataFrame(columns=LATEST_COLUMNS).astype({"amount_t": float, "year": "Int64"})
    stated["_year_known"] = stated["year"].notna()
    stated["_scope_rank"] = stated["scope"].map(SCOPE_PRIORITY)
    ordered = stated.sort_values(
        ["facility_id", "_year_known", "year", "_scope_rank"],
        ascending=[True, False, False, True],
        na_position="last",
    )
    return ordered.groupby("facility_id", sort=True).head(1)[LATEST_COLUMNS].reset_index(drop=True)


def with_latest_figure(sources: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """`sources` with columns figure_t, figure_year, figure_scope, figure_source (NaN/None where no figure)."""
    latest = latest_figures(figures).rename(
        columns={
            "facility_id": "id",
            "amount_t": "figure_t",
            "year": "figure_year",
            "scope": "figure_scope",
            "quote": "figure_quote",
            "source_url": "figure_source",
        }
    )
    return sources.merge(latest, on="id", how="left")
