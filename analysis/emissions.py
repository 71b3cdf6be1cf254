"""Emissions by year: facility figures for a year, series, shares, municipal totals and the county's path.

Plain pandas, no Streamlit. Every function works on one scope (ets / fossil / total / co2e / co2 / another
pollutant) and never adds figures of different scopes together. Only *stated* figures are used: planned or applied-for
numbers are never drawn, summed or charted.

Duplicates: when a facility has more than one stated figure for the same year and scope, the *last*
row wins. The page puts the bundled figures first and then each import in the order it was saved,
so a newer import replaces an older figure for the same facility, year and scope.
`duplicate_figures` lists what was set aside, so the page can say so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd

from config import ETS_SCOPE_WIDENED_YEAR, TARGET_BASELINE_YEAR
from core.kommunenummer import in_county, map_numbers
from core.schema import ETS_SCOPE, FIGURE_SCOPES, REGISTER_ID_COLUMNS

STATED = "stated"
_KEY = ["facility_id", "year", "scope"]
YEAR_COLUMNS = [
    "id",
    "facility",
    "municipality",
    "kommunenummer",
    "sector",
    "amount_t",
    "year",
    "scope",
    "quote",
    "source_url",
    "note",
    "licence",  # the source's credit and licence line (the EEA register's figures), else empty
    "not_reported",  # a register facility without a row for the year: not reported above the threshold, not zero
    "placed",
    "geometry",
]


def stated(figures: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Stated figures of one scope, duplicates resolved (last row wins)."""
    rows = figures[(figures["basis"] == STATED) & (figures["scope"] == scope)]
    return rows.drop_duplicates(subset=_KEY, keep="last")


def duplicate_figures(figures: pd.DataFrame, scope: str) -> pd.DataFrame:
    """The stated figures set aside because a later row has the same facility, year and scope."""
    rows = figures[(figures["basis"] == STATED) & (figures["scope"] == scope)]
    return rows[rows.duplicated(subset=_KEY, keep="last")]


def years_available(figures: pd.DataFrame, scope: str) -> list[int]:
    """Years with at least one stated figure in `scope`, oldest first."""
    years = stated(figures, scope)["year"].dropna()
    return sorted(int(y) for y in years.unique())


def undated_figures(figures: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Stated figures in `scope` whose source gives no year: shown as they are, never put on a year."""
    rows = figures[(figures["basis"] == STATED) & (figures["scope"] == scope)]
    return rows[rows["year"].isna()]


def scopes_with_data(figures: pd.DataFrame, municipal: pd.DataFrame | None = None) -> list[str]:
    """Scopes with any stated figure (dated or not) or municipal statistics, in FIGURE_SCOPES order."""
    present = set(figures.loc[figures["basis"] == STATED, "scope"])
    if municipal is not None and not municipal.empty:
        present |= set(municipal["scope"])
    return [s for s in FIGURE_SCOPES if s in present]


def facility_figures_for_year(figures: pd.DataFrame, sources: pd.DataFrame, year: int, scope: str) -> pd.DataFrame:
    """Every known facility with its stated figure for `year` in `scope` (NaN where it has none).

    Facilities that have a figure but are not among `sources` (an import's unplaced facilities) are
    included with `placed` False and no geometry: they count in sums and tables but cannot be drawn.
    Their name and municipality come from the figures' optional `facility_name`, `facility_municipality`
    and `facility_kommunenummer` columns (loaders/official/imported.py), else the id stands for the name.
    Sorted by tonnes, largest first; facilities without a figure last.
    """
    rows = stated(figures, scope)
    if "licence" not in rows:
        rows = rows.assign(licence=None)
    wanted = ["facility_id", "amount_t", "year", "quote", "source_url", "note", "licence"]
    rows = rows[rows["year"] == year]
    names = rows["facility_name"] if "facility_name" in rows else rows["facility_id"]
    names = names.where(names.notna(), rows["facility_id"])
    extra = {c: rows.get(f"facility_{c}") for c in ("municipality", "kommunenummer")}
    rows = rows[wanted]
    known = pd.DataFrame(
        {
            "id": sources["id"].astype(object),
            "facility": sources["facility"].astype(object),
            "municipality": sources["municipality"].astype(object),
            "kommunenummer": sources["kommunenummer"].astype(object),
            "sector": sources["sector"].astype(object) if "sector" in sources else None,
            "geometry": sources.geometry.values if hasattr(sources, "geometry") else None,
            "placed": True,
        }
    )
    table = known.merge(rows.rename(columns={"facility_id": "id"}), on="id", how="left")
    unplaced = rows[~rows["facility_id"].isin(known["id"])]
    if not unplaced.empty:
        extra = unplaced.rename(columns={"facility_id": "id"}).assign(
            facility=names[unplaced.index].values,
            municipality=extra["municipality"][unplaced.index].values if extra["municipality"] is not None else None,
            kommunenummer=extra["kommunenummer"][unplaced.index].values if extra["kommunenummer"] is not None else None,
            sector=None,
            geometry=None,
            placed=False,
        )
        table = pd.concat([table, extra], ignore_index=True)
    table["scope"] = scope
    table["year"] = year
    table["amount_t"] = table["amount_t"].astype(float)
    register = set(sources["id"][sources["inspire_id"].notna()]) if "inspire_id" in sources else set()
    table["not_reported"] = table["amount_t"].isna() & table["id"].isin(register)
    table = table.sort_values(["amount_t", "facility"], ascending=[False, True], na_position="last", kind="stable")
    return table[YEAR_COLUMNS].reset_index(drop=True)


def top_n(year_table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` facilities with the largest figure (ties by name), from `facility_figures_for_year`."""
    with_figure = year_table[year_table["amount_t"].notna()]
    ordered = with_figure.sort_values(["amount_t", "facility"], ascending=[False, True], kind="stable")
    return ordered.head(n).reset_index(drop=True)


def facility_series(figures: pd.DataFrame, facility_id: str, scope: str) -> pd.DataFrame:
    """One facility's stated, dated figures in `scope`, by year."""
    rows = stated(figures, scope)
    rows = rows[(rows["facility_id"] == facility_id) & rows["year"].notna()]
    if "licence" not in rows:
        rows = rows.assign(licence=None)
    series = rows[["year", "amount_t", "scope", "quote", "source_url", "note", "licence"]].copy()
    series["year"] = series["year"].astype(int)
    return series.sort_values("year").reset_index(drop=True)


# The other register's CO₂ series shown beside a facility's series (never added to it): the ETS's verified
# emissions beside E-PRTR's CO₂ (excluding biomass, and total), and the other way round.
COMPANION_SCOPES = {"ets": ("fossil", "total"), "fossil": ("ets",), "total": ("ets",)}
SERIES_COLUMNS = [
    "year",
    "amount_t",
    "scope",
    "quote",
    "source_url",
    "note",
    "licence",
    "free_allocation_t",
    "compliance_code",
]


def register_series(figures: pd.DataFrame, facility_id: str, scope: str) -> pd.DataFrame:
    """One facility's dated figures in `scope` and in the other register's CO₂ scopes (COMPANION_SCOPES), each
    row labelled by its scope; with the ETS's free allocation and compliance code where the register states them."""
    parts = []
    for each in (scope, *COMPANION_SCOPES.get(scope, ())):
        rows = stated(figures, each)
        rows = rows[(rows["facility_id"] == facility_id) & rows["year"].notna()]
        if not rows.empty:
            parts.append(rows.reindex(columns=SERIES_COLUMNS))
    if not parts:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    series = pd.concat(parts, ignore_index=True)
    series["year"] = series["year"].astype(int)
    series["amount_t"] = series["amount_t"].astype(float)
    series["free_allocation_t"] = series["free_allocation_t"].astype(float)
    return series.sort_values(["scope", "year"], kind="stable").reset_index(drop=True)


def register_credit(figures: pd.DataFrame, scope: str, year: int | None = None) -> tuple[str, str] | None:
    """(licence line, publication dates) of the register figures in `scope` (and `year`), or None if there are none."""
    if "licence" not in figures:
        return None
    rows = stated(figures, scope)
    rows = rows[rows["licence"].notna() & (rows["licence"] != "")]
    if year is not None:
        rows = rows[rows["year"] == year]
    if rows.empty:
        return None
    dates = sorted({str(d) for d in rows.get("publication_date", pd.Series(dtype=object)).dropna() if str(d)})
    return " ; ".join(sorted(set(rows["licence"]))), ", ".join(dates)


def register_figures(figures: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Stated, dated figures in `scope` of the registers' large point sources (a FacilityInspireId or an EUTL id)."""
    rows = stated(figures, scope)
    rows = rows[rows["year"].notna()]
    held = pd.Series(False, index=rows.index)
    for column in REGISTER_ID_COLUMNS:
        if column in rows:
            held |= rows[column].notna() & (rows[column].astype(str).str.strip() != "")
    return rows[held]


def register_years(figures: pd.DataFrame, scope: str) -> list[int]:
    """The years with a register figure in `scope`: the base years a point-source path can start from."""
    return sorted(int(y) for y in register_figures(figures, scope)["year"].unique())


def default_base_year(years: list[int], preferred: int) -> int | None:
    """`preferred` where the register has it, else its first year (None without any)."""
    if not years:
        return None
    return preferred if preferred in years else years[0]


def scope_base_year(figures: pd.DataFrame, scope: str) -> int | None:
    """The default base year of a scope's point-source path: 2013 for the ETS (its scope widened then), 2009 (the
    county's target) else, where the register has it; else its first year (None without any)."""
    preferred = ETS_SCOPE_WIDENED_YEAR if scope == ETS_SCOPE else TARGET_BASELINE_YEAR
    return default_base_year(register_years(figures, scope), preferred)


def reporting_counts(figures: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Per year, how many register plants have a figure in `scope` (`reporting`), and `changed` where that differs
    from the year before: a sum over "whatever reported" would jump there without any change on the ground."""
    rows = register_figures(figures, scope)
    counts = rows.groupby("year")["facility_id"].nunique().sort_index()
    frame = pd.DataFrame({"year": counts.index.astype(int), "reporting": counts.values.astype(int)})
    frame["previous"] = frame["reporting"].shift(1).astype("Int64")
    frame["changed"] = frame["previous"].notna() & (frame["previous"] != frame["reporting"])
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class PointSourcePath:
    """The registers' large point sources summed over one constant set of plants: those with a figure in both the
    base year and the year shown. A year where one of them has no figure is not summed (`complete` False)."""

    path: CountyPath  # totals over the set; baseline_t the set's base-year level; latest the year shown
    year: int | None  # the year shown
    plants: tuple[str, ...]  # the set: facility ids with a figure in the base year and the year shown
    left_out: tuple[str, ...]  # register plants with a figure in `scope` in some year, not in the set
    reporting: pd.DataFrame  # reporting_counts: how many register plants have a figure each year


def point_source_path(
    figures: pd.DataFrame,
    scope: str,
    year: int | None,
    baseline_year: int,
    target_cut_low: float = 0.50,
    target_cut_high: float = 0.55,
    target_year: int = 2030,
) -> PointSourcePath:
    """Like for like: the register's plants with a figure in both `baseline_year` and `year`, summed per year,
    against their own `baseline_year` level and the band `target_cut_low`–`target_cut_high` below it. A plant that
    enters later, closes, or drops under E-PRTR's threshold is left out (and named), so the path and its change
    never move because the set of plants did. This is not the county's total."""
    rows = register_figures(figures, scope)
    reporting = reporting_counts(figures, scope)
    target = (baseline_year, target_year, target_cut_low, target_cut_high)
    everyone = tuple(sorted(rows["facility_id"].unique()))
    if rows.empty or year is None:
        return PointSourcePath(_no_path(scope, *target), year, (), everyone, reporting)
    in_base = set(rows.loc[rows["year"] == baseline_year, "facility_id"])
    in_year = set(rows.loc[rows["year"] == year, "facility_id"])
    plants = tuple(sorted(in_base & in_year))
    left_out = tuple(p for p in everyone if p not in plants)
    if not plants:
        reason = "no_baseline_year" if not in_base else "no_common_plants"
        empty = _no_path(scope, *target)
        return PointSourcePath(dataclasses.replace(empty, baseline_reason=reason), year, (), left_out, reporting)
    ours = rows[rows["facility_id"].isin(plants)]
    totals = ours.groupby("year").agg(amount_t=("amount_t", "sum"), covered=("facility_id", "nunique")).reset_index()
    totals["year"] = totals["year"].astype(int)
    totals["complete"] = totals["covered"] == len(plants)
    totals.loc[~totals["complete"], "amount_t"] = float("nan")  # a part of the set is no level of the set
    totals = totals.sort_values("year").reset_index(drop=True)
    level = dict(zip(totals["year"], totals["amount_t"], strict=True))
    baseline_t, latest_t = float(level[baseline_year]), float(level[year])
    path_gap = gap(baseline_t, latest_t, target_cut_low, target_cut_high) if year != baseline_year else None
    path = CountyPath(
        scope,
        totals,
        baseline_year,
        baseline_t,
        None,
        target_year,
        target_cut_low,
        target_cut_high,
        year,
        latest_t,
        path_gap,
    )
    return PointSourcePath(path, year, plants, left_out, reporting)


# --- municipal statistics ------------------------------------------------------------------------


def prepare_municipal(municipal: pd.DataFrame) -> tuple[pd.DataFrame, object]:
    """The municipal table on today's numbers: `kommunenummer` mapped (None where there is none),
    `original_kommunenummer` as in the file, `in_county` for rows that count for Trøndelag's total.

    Returns the table and the `NumberReport` of what was mapped.
    """
    table = municipal.copy()
    table["original_kommunenummer"] = table["kommunenummer"]
    table["kommunenummer"], report = map_numbers(table["kommunenummer"])
    table["in_county"] = [in_county(v) for v in table["original_kommunenummer"]]
    return table, report


def municipal_totals(municipal: pd.DataFrame, year: int, scope: str, sector: str | None = None) -> pd.DataFrame:
    """Per municipality (today's numbers), the sum over its rows for `year` and `scope` (one sector if given).

    `municipal` is a table from `prepare_municipal`. Columns: kommunenummer, amount_t, rows.
    """
    rows = municipal[(municipal["year"] == year) & (municipal["scope"] == scope) & municipal["kommunenummer"].notna()]
    if sector is not None:
        rows = rows[rows["sector"] == sector]
    totals = rows.groupby("kommunenummer", as_index=False).agg(amount_t=("amount_t", "sum"), rows=("amount_t", "size"))
    totals["year"], totals["scope"] = year, scope
    return totals.sort_values("amount_t", ascending=False, kind="stable").reset_index(drop=True)


def facility_municipal_totals(year_table: pd.DataFrame) -> pd.DataFrame:
    """Per municipality, the sum of its facilities' figures in a `facility_figures_for_year` table."""
    rows = year_table[year_table["amount_t"].notna() & year_table["kommunenummer"].notna()]
    totals = rows.groupby("kommunenummer", as_index=False).agg(amount_t=("amount_t", "sum"), rows=("amount_t", "size"))
    if not year_table.empty:
        totals["year"], totals["scope"] = year_table["year"].iloc[0], year_table["scope"].iloc[0]
    return totals.sort_values("amount_t", ascending=False, kind="stable").reset_index(drop=True)


def sectors(municipal: pd.DataFrame, scope: str) -> list[str]:
    rows = municipal[(municipal["scope"] == scope) & municipal["sector"].notna()]
    return sorted(rows["sector"].unique())


# --- shares of the county total ------------------------------------------------------------------


@dataclass(frozen=True)
class CountyTotal:
    year: int
    scope: str
    amount_t: float | None
    basis: str  # "municipal" (the municipal statistics) or "facilities" (the sum of facilities)
    covered: int = 0  # municipalities with statistics that year (basis "municipal" or the reason below)
    expected: int = 0
    reason: str | None = None  # why not "municipal": "no_municipal" or "municipal_incomplete"


def county_total(
    municipal: pd.DataFrame | None,
    year_table: pd.DataFrame,
    year: int,
    scope: str,
    municipalities: list[str],
) -> CountyTotal:
    """Trøndelag's total for `year` in `scope`: the municipal statistics when they cover every municipality,
    else the sum of the facilities' figures (labelled, with the reason)."""
    expected = len(municipalities)
    if municipal is not None and not municipal.empty:
        rows = municipal[(municipal["year"] == year) & (municipal["scope"] == scope) & municipal["in_county"]]
        covered = rows.loc[rows["kommunenummer"].isin(municipalities), "kommunenummer"].nunique()
        if not rows.empty and covered >= expected:
            return CountyTotal(year, scope, float(rows["amount_t"].sum()), "municipal", covered, expected)
        reason = "municipal_incomplete" if not rows.empty else "no_municipal"
    else:
        covered, reason = 0, "no_municipal"
    amounts = year_table["amount_t"].dropna()
    total = float(amounts.sum()) if not amounts.empty else None
    return CountyTotal(year, scope, total, "facilities", covered, expected, reason)


def shares_of_total(year_table: pd.DataFrame, total: CountyTotal) -> pd.DataFrame:
    """Facilities with a figure and their share (0–1) of `total` for that year."""
    rows = year_table[year_table["amount_t"].notna()].copy()
    rows["share"] = rows["amount_t"] / total.amount_t if total.amount_t else float("nan")
    rows["total_basis"] = total.basis
    return rows.reset_index(drop=True)


# --- the county's path to 2030 ---------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """The way from the latest complete year to the target band."""

    target_low_t: float  # the 2030 level for the larger cut (e.g. 55 % below the baseline)
    target_high_t: float  # the 2030 level for the smaller cut (e.g. 50 % below)
    gap_to_high_t: float  # latest - target_high_t: tonnes still to cut to reach the smaller cut
    gap_to_low_t: float
    gap_to_high_pct: float  # the same as a percentage of the latest year's total
    gap_to_low_pct: float
    change_since_baseline_pct: float  # latest vs baseline, negative = lower than the baseline


@dataclass(frozen=True)
class CountyPath:
    scope: str
    totals: pd.DataFrame  # year, amount_t, covered, complete
    baseline_year: int
    baseline_t: float | None
    baseline_reason: str | None  # None, "no_data", "no_baseline_year", "baseline_incomplete", "no_common_plants"
    target_year: int
    target_cut_low: float  # 0.50
    target_cut_high: float  # 0.55
    latest_year: int | None  # the latest year that covers every municipality (a point-source path: the year shown)
    latest_t: float | None
    gap: Gap | None
    sector_totals: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, sector, amount_t
    sector_gaps: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per sector


def gap(baseline_t: float, latest_t: float, cut_low: float, cut_high: float) -> Gap:
    """The remaining cut from `latest_t` to the band `cut_low`–`cut_high` below `baseline_t`."""
    at_smaller_cut = baseline_t * (1 - cut_low)
    at_larger_cut = baseline_t * (1 - cut_high)
    to_high, to_low = latest_t - at_smaller_cut, latest_t - at_larger_cut
    return Gap(
        target_low_t=at_larger_cut,
        target_high_t=at_smaller_cut,
        gap_to_high_t=to_high,
        gap_to_low_t=to_low,
        gap_to_high_pct=100 * to_high / latest_t if latest_t else float("nan"),
        gap_to_low_pct=100 * to_low / latest_t if latest_t else float("nan"),
        change_since_baseline_pct=100 * (latest_t - baseline_t) / baseline_t if baseline_t else float("nan"),
    )


def county_path(
    municipal: pd.DataFrame,
    scope: str,
    municipalities: list[str] | None = None,
    target_cut_low: float = 0.50,
    target_cut_high: float = 0.55,
    baseline_year: int = 2009,
    target_year: int = 2030,
) -> CountyPath:
    """Trøndelag's yearly totals from the municipal statistics (a `prepare_municipal` table), the baseline
    year's total if the data has it for every municipality, the target band and the gap from the latest
    complete year. A year is complete when every number in `municipalities` has statistics (every year
    is taken as complete when `municipalities` is None). The baseline is never estimated: without a
    complete baseline year, `baseline_t` is None and `baseline_reason` says why.
    """
    rows = municipal[(municipal["scope"] == scope) & municipal["in_county"]] if not municipal.empty else municipal
    expected = set(municipalities) if municipalities is not None else None
    target = (baseline_year, target_year, target_cut_low, target_cut_high)
    if rows.empty:
        return _no_path(scope, *target)
    totals = rows.groupby("year").agg(amount_t=("amount_t", "sum")).reset_index()
    covered = (
        rows[rows["kommunenummer"].notna()]
        .groupby("year")["kommunenummer"]
        .agg(lambda c: len(set(c) & expected) if expected is not None else c.nunique())
    )
    totals["covered"] = totals["year"].map(covered).fillna(0).astype(int)
    totals["complete"] = totals["covered"] >= len(expected) if expected is not None else True
    totals["year"] = totals["year"].astype(int)
    totals = totals.sort_values("year").reset_index(drop=True)

    figures = _path_figures(totals, *target)
    baseline_t, latest_year = figures[0], figures[5]
    complete = totals[totals["complete"]]
    sector_totals, sector_gaps = _sectors(
        rows, complete, baseline_year, baseline_t, latest_year, target_cut_low, target_cut_high
    )
    return CountyPath(scope, totals, baseline_year, *figures, sector_totals, sector_gaps)


def _no_path(scope: str, baseline_year: int, target_year: int, cut_low: float, cut_high: float) -> CountyPath:
    empty = pd.DataFrame(columns=["year", "amount_t", "covered", "complete"])
    return CountyPath(scope, empty, baseline_year, None, "no_data", target_year, cut_low, cut_high, None, None, None)


def _path_figures(totals: pd.DataFrame, baseline_year: int, target_year: int, cut_low: float, cut_high: float):
    """From yearly totals (with `complete`): baseline_t, reason, target_year, the cut band, latest year and
    total, and the gap — CountyPath's fields after `baseline_year`, up to its sectors. Never estimated."""
    complete = totals[totals["complete"]]
    baseline_t, reason = None, None
    if baseline_year not in set(totals["year"]):
        reason = "no_baseline_year"
    elif baseline_year not in set(complete["year"]):
        reason = "baseline_incomplete"
    else:
        baseline_t = float(complete.loc[complete["year"] == baseline_year, "amount_t"].iloc[0])
    latest_year = int(complete["year"].max()) if not complete.empty else None
    latest_t = float(complete.loc[complete["year"] == latest_year, "amount_t"].iloc[0]) if latest_year else None
    path_gap = (
        gap(baseline_t, latest_t, cut_low, cut_high)
        if baseline_t is not None and latest_t is not None and latest_year != baseline_year
        else None
    )
    return baseline_t, reason, target_year, cut_low, cut_high, latest_year, latest_t, path_gap


def _sectors(rows, complete, baseline_year, baseline_t, latest_year, cut_low, cut_high):
    """Totals by sector and year (complete years only), and each sector's gap if it made the county's cut.

    The 50–55 % target is set for the county's total; a sector's gap at the same percentage is an
    illustration of scale, not a sector target.
    """
    with_sector = rows[rows["sector"].notna() & rows["year"].isin(complete["year"])]
    if with_sector.empty:
        return pd.DataFrame(columns=["year", "sector", "amount_t"]), pd.DataFrame(columns=SECTOR_GAP_COLUMNS)
    by_sector = with_sector.groupby(["year", "sector"], as_index=False).agg(amount_t=("amount_t", "sum"))
    by_sector["year"] = by_sector["year"].astype(int)
    gaps = []
    if baseline_t is not None and latest_year is not None and latest_year != baseline_year:
        for sector, group in by_sector.groupby("sector"):
            values = dict(zip(group["year"], group["amount_t"], strict=True))
            base, latest = values.get(baseline_year), values.get(latest_year)
            if base is None or latest is None or base == 0:
                continue  # a sector the baseline year does not have gets no percentage
            g = gap(base, latest, cut_low, cut_high)
            gaps.append(
                {
                    "sector": sector,
                    "baseline_t": base,
                    "latest_t": latest,
                    "change_pct": g.change_since_baseline_pct,
                    "target_high_t": g.target_high_t,
                    "target_low_t": g.target_low_t,
                    "gap_to_high_t": g.gap_to_high_t,
                    "gap_to_low_t": g.gap_to_low_t,
                }
            )
    return by_sector.sort_values(["year", "sector"]).reset_index(drop=True), pd.DataFrame(
        gaps, columns=SECTOR_GAP_COLUMNS
    )


SECTOR_GAP_COLUMNS = [
    "sector",
    "baseline_t",
    "latest_t",
    "change_pct",
    "target_high_t",
    "target_low_t",
    "gap_to_high_t",
    "gap_to_low_t",
]


# --- each facility since the base year (the emissions page's first table) -------------------------------------

DEVELOPMENT_COLUMNS = [
    "id",
    "facility",
    "municipality",
    "scope",
    "latest_year",
    "latest_t",
    "baseline_year",
    "baseline_t",
    "change_t",
    "change_pct",
    "years",
    "series",
]


def facility_development(
    figures: pd.DataFrame, sources: pd.DataFrame, scope: str, baseline_year: int | None
) -> pd.DataFrame:
    """Every facility with a stated, dated figure in `scope`: its newest figure and year, its figure in
    `baseline_year` (NaN without one), the change between the two (t and %; NaN unless it has both and its newest
    year is after the base year: a change is never taken against another year or another set), and its series
    (`years`, `series`: lists, oldest first). Names and municipalities as `facility_figures_for_year` gives them.
    Largest newest figure first."""
    rows = stated(figures, scope)
    rows = rows[rows["year"].notna()].assign(year=lambda r: r["year"].astype(int))
    if rows.empty:
        return pd.DataFrame(columns=DEVELOPMENT_COLUMNS)
    newest = rows.sort_values("year").groupby("facility_id")["year"].last()
    named = pd.concat(
        [facility_figures_for_year(figures, sources, year, scope) for year in sorted(newest.unique())],
        ignore_index=True,
    )
    named = named[named["id"].map(newest).eq(named["year"])]  # each facility in its own newest year
    ordered = rows.sort_values("year")
    series = ordered.groupby("facility_id").agg(years=("year", list), series=("amount_t", list))
    base = (
        {}
        if baseline_year is None
        else dict(ordered.loc[ordered["year"] == baseline_year, ["facility_id", "amount_t"]].values)
    )
    table = pd.DataFrame(
        {
            "id": named["id"].values,
            "facility": named["facility"].values,
            "municipality": named["municipality"].values,
            "scope": scope,
            "latest_year": named["year"].astype(int).values,
            "latest_t": named["amount_t"].astype(float).values,
            "baseline_year": baseline_year,
            "baseline_t": [float(base.get(i, float("nan"))) for i in named["id"]],
        }
    )
    comparable = table["baseline_t"].notna() & (table["latest_year"] > (baseline_year or 0))
    table["change_t"] = (table["latest_t"] - table["baseline_t"]).where(comparable)
    table["change_pct"] = (100 * table["change_t"] / table["baseline_t"].where(table["baseline_t"] > 0)).where(
        comparable
    )
    table["years"] = [series.at[i, "years"] for i in table["id"]]
    table["series"] = [[float(v) for v in series.at[i, "series"]] for i in table["id"]]
    table = table.sort_values(["latest_t", "facility"], ascending=[False, True], kind="stable")
    return table[DEVELOPMENT_COLUMNS].reset_index(drop=True)
