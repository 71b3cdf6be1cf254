"""The tables behind the emissions page's charts and maps, with translated headings (no Streamlit here).

Each `*_table` is the export (numbers as numbers, scope and year in their own columns); `shown` turns
one into text with Norwegian number format for `st.dataframe`.
"""

from __future__ import annotations

import pandas as pd

from analysis.emissions import CountyPath, CountyTotal
from core.values import is_missing
from i18n import fmt_number, fmt_quote, t


def _scope(scope: str, lang: str) -> str:
    return t(f"scope_{scope}", lang)


def year_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every facility for the year: the table behind the facility map."""
    return pd.DataFrame(
        {
            t("field_facility", lang): table["facility"],
            t("municipality", lang): table["municipality"],
            t("sector", lang): table["sector"],
            t("field_year", lang): table["year"],
            t("field_amount_t", lang): table["amount_t"],
            t("field_scope", lang): [_scope(s, lang) for s in table["scope"]],
            t("em_col_placed", lang): [t("em_yes" if p else "em_no", lang) for p in table["placed"]],
            t("field_quote", lang): table["quote"],
            t("field_source_url", lang): table["source_url"],
            t("field_licence", lang): table["licence"],
            t("field_note", lang): [
                t("em_not_reported_short", lang) if missing else note
                for note, missing in zip(table["note"], table["not_reported"], strict=True)
            ],
        }
    )


def series_table(series: pd.DataFrame, facility: str, lang: str) -> pd.DataFrame:
    """A facility's series (one or both registers' scopes), with the ETS's free allocation and compliance code."""
    table = pd.DataFrame(
        {
            t("field_facility", lang): facility,
            t("field_year", lang): series["year"],
            t("field_amount_t", lang): series["amount_t"],
            t("field_scope", lang): [_scope(s, lang) for s in series["scope"]],
            t("field_quote", lang): series["quote"],
            t("field_source_url", lang): series["source_url"],
            t("field_licence", lang): series["licence"],
        }
    )
    if "free_allocation_t" in series and series["free_allocation_t"].notna().any():
        table.insert(3, t("em_col_free_allocation", lang), series["free_allocation_t"].values)
        table.insert(4, t("em_col_compliance", lang), series["compliance_code"].values)
    return table


def shares_table(shares: pd.DataFrame, total: CountyTotal, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("field_facility", lang): shares["facility"],
            t("municipality", lang): shares["municipality"],
            t("field_year", lang): shares["year"],
            t("field_amount_t", lang): shares["amount_t"],
            t("field_scope", lang): [_scope(s, lang) for s in shares["scope"]],
            t("em_col_share", lang): 100 * shares["share"],
            t("em_col_total", lang): total.amount_t,
            t("em_total_basis", lang): t(f"em_basis_{total.basis}", lang),
        }
    )


def municipal_table(totals: pd.DataFrame, names: dict[str, str], source: str, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("em_col_kommunenummer", lang): totals["kommunenummer"],
            t("municipality", lang): [names.get(n, "") for n in totals["kommunenummer"]],
            t("field_year", lang): totals.get("year"),
            t("field_amount_t", lang): totals["amount_t"],
            t("field_scope", lang): [_scope(s, lang) for s in totals.get("scope", pd.Series(dtype=object))],
            t("em_col_rows", lang): totals["rows"],
            t("em_total_basis", lang): t(f"em_source_{source}", lang),
        }
    )


def path_table(path: CountyPath, lang: str) -> pd.DataFrame:
    totals = path.totals
    return pd.DataFrame(
        {
            t("field_year", lang): totals["year"],
            t("field_amount_t", lang): totals["amount_t"],
            t("field_scope", lang): _scope(path.scope, lang),
            t("em_col_covered", lang): totals["covered"],
            t("em_col_complete", lang): [t("em_yes" if c else "em_no", lang) for c in totals["complete"]],
        }
    )


def sector_table(path: CountyPath, lang: str) -> pd.DataFrame:
    gaps = path.sector_gaps
    base, latest = path.baseline_year, path.latest_year
    low, high = round(100 * path.target_cut_low), round(100 * path.target_cut_high)
    return pd.DataFrame(
        {
            t("sector", lang): gaps["sector"],
            t("em_col_at_year", lang, year=base): gaps["baseline_t"],
            t("em_col_at_year", lang, year=latest): gaps["latest_t"],
            t("em_col_change", lang): gaps["change_pct"],
            t("em_col_gap", lang, cut=low): gaps["gap_to_high_t"],
            t("em_col_gap", lang, cut=high): gaps["gap_to_low_t"],
            t("field_scope", lang): _scope(path.scope, lang),
        }
    )


def undated_table(figures: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("field_facility", lang): [names.get(i, i) for i in figures["facility_id"]],
            t("field_year", lang): t("year_unknown", lang),
            t("field_amount_t", lang): figures["amount_t"],
            t("field_scope", lang): [_scope(s, lang) for s in figures["scope"]],
            t("field_quote", lang): figures["quote"],
            t("field_note", lang): figures["note"],
            t("field_source_url", lang): figures["source_url"],
        }
    )


def shown(table: pd.DataFrame, lang: str, decimals: dict[str, int] | None = None) -> pd.DataFrame:
    """The table as text: numbers in the language's format (12 346; 1,5), empty cells for missing values."""
    decimals = decimals or {}
    out = pd.DataFrame(index=table.index)
    quote = t("field_quote", lang)
    for column in table.columns:
        values = table[column]
        if column == quote:  # on screen "213 000 000 kg"; the files keep the quote as the register prints it
            out[column] = [fmt_quote(v, lang) for v in values]
        elif pd.api.types.is_float_dtype(values):
            out[column] = ["" if pd.isna(v) else fmt_number(v, lang, decimals.get(column, _places(v))) for v in values]
        else:
            out[column] = ["" if is_missing(v) else str(v) for v in values]
    return out


def _places(value: float) -> int:
    """Whole numbers from 100 up; small values keep a decimal or two, so 0,45 t is not shown as 0."""
    size = abs(value)
    return 0 if size >= 100 or size == 0 or float(value).is_integer() else 1 if size >= 1 else 2


def point_path_table(path, lang: str) -> pd.DataFrame:
    """The point-source path over its constant set of plants per year, against the base year, with the credit."""
    totals = path.totals
    base = path.baseline_t
    credit = t("ets_credit_short", lang) if path.scope == "ets" else t("eea_credit_short", lang)
    return pd.DataFrame(
        {
            t("field_year", lang): totals["year"],
            t("field_amount_t", lang): totals["amount_t"],
            t("field_scope", lang): _scope(path.scope, lang),
            t("em_col_facilities", lang): totals["covered"],
            t("em_col_vs_baseline", lang, year=path.baseline_year): [
                round(100 * v / base, 1) if base and not is_missing(v) else None for v in totals["amount_t"]
            ],
            t("field_licence", lang): credit,
        }
    )


def development_table(development: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each facility's newest figure against the base year (analysis.emissions.facility_development), for export:
    numbers as numbers, empty where there is no figure or no change to compute."""
    base = development["baseline_year"].iloc[0] if not development.empty else None
    base_label = t("em_col_base_t", lang, year="–" if is_missing(base) else int(base))
    return pd.DataFrame(
        {
            t("field_facility", lang): development["facility"],
            t("municipality", lang): development["municipality"],
            t("em_col_newest_t", lang): development["latest_t"],
            t("em_col_newest_year", lang): development["latest_year"],
            base_label: development["baseline_t"],
            t("em_col_change_t", lang): development["change_t"],
            t("em_col_change_pct", lang): development["change_pct"],
            t("field_scope", lang): [_scope(s, lang) for s in development["scope"]],
        }
    )


def development_shown(table: pd.DataFrame, development: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`development_table` as text, "no figure" where a facility has no base-year figure or no change, and the
    facility's series beside it for a small trend chart."""
    text = shown(table, lang, {t("em_col_change_pct", lang): 1})
    for column in table.columns[4:7]:  # the base-year figure and the change in t and %
        text[column] = text[column].replace("", t("no_figure", lang))
    text[t("em_col_trend", lang)] = development["series"].values
    return text.drop(columns=[t("field_scope", lang)])
