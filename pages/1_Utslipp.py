"""Emissions year by year: facility map and charts, municipality choropleth, the county's path to 2030."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import config
from analysis import emissions as em
from i18n import fmt_number, fmt_tonnes, t
from maps.emissions import choropleth_group, emissions_base_map, facility_circles_group
from maps.layers import basemap_group
from ui import emissions_tables as tables
from ui.downloads import download_buttons
from ui.emissions_charts import localised, path_chart, sector_chart, series_chart, top_chart
from ui.emissions_data import boundaries, emissions_data
from ui.map_view import show_map
from ui.state import keep_widget_state, language_selector, static_url

st.set_page_config(page_title="Industrikart Trøndelag", page_icon="🏭", layout="wide")

lang = language_selector()
keep_widget_state("em_scope", "em_year", "em_municipal_source", "em_sector")
data = emissions_data(lang)
names = dict(zip(data.municipalities["kommunenummer"], data.municipalities["name"], strict=True))
numbers = list(names)
facility_names = dict(zip(data.sources["id"], data.sources["facility"], strict=True))

st.title(t("em_page_title", lang))
st.caption(t("em_intro", lang))
if data.error:
    st.warning(t("em_store_error", lang, error=data.error))
if data.imported:
    st.caption(t("em_imported", lang, titles=", ".join(data.imported)))

scopes = em.scopes_with_data(data.figures, data.municipal) or ["co2e"]
scope = st.radio(
    t("em_scope", lang),
    scopes,
    index=scopes.index("co2e") if "co2e" in scopes else 0,
    format_func=lambda s: t(f"scope_{s}", lang),
    horizontal=True,
    key="em_scope",
    help=t("em_scope_help", lang),
)
scope_text = t(f"scope_{scope}", lang)
municipal_years = sorted(int(y) for y in data.municipal.loc[data.municipal["scope"] == scope, "year"].dropna().unique())
years = sorted(set(em.years_available(data.figures, scope)) | set(municipal_years))

undated = em.undated_figures(data.figures, scope)
if not years:
    st.info(t("em_no_dated", lang, scope=scope_text))
if not undated.empty:
    with st.expander(t("em_undated_title", lang, n=len(undated)), expanded=not years):
        st.caption(t("em_undated_caption", lang))
        table = tables.undated_table(undated, facility_names, lang)
        st.dataframe(tables.shown(table, lang), hide_index=True, width="stretch")
        download_buttons(table, f"undated_{scope}", lang)

if years:
    if st.session_state.get("em_year") not in years:  # a kept year the chosen scope does not have
        st.session_state["em_year"] = years[-1]
    if len(years) > 1:
        year = st.select_slider(t("em_year", lang), options=years, key="em_year")
    else:
        year = years[0]
        st.caption(t("em_only_year", lang, year=year))
    year_table = em.facility_figures_for_year(data.figures, data.sources, year, scope)
    duplicates = em.duplicate_figures(data.figures, scope)
    if not duplicates.empty:
        st.caption(t("em_duplicates", lang, n=len(duplicates)))

    # --- facility map and the clicked facility's series ---
    st.subheader(t("em_map_title", lang, year=year, scope=scope_text))
    if year_table["amount_t"].notna().sum() == 0:
        st.info(t("em_no_facilities_year", lang, year=year, scope=scope_text))
    map_column, series_column = st.columns([3, 2])
    with map_column:
        clicked = show_map(
            emissions_base_map(static_url()),
            [basemap_group(config.DEFAULT_BASEMAP, lang), facility_circles_group(year_table, year, scope, lang)],
            key="emissions_map",
        ).selection
        st.caption(t("em_map_caption", lang, year=year))
        unplaced = year_table[~year_table["placed"] & year_table["amount_t"].notna()]
        if not unplaced.empty:
            st.caption(t("em_unplaced", lang, n=len(unplaced), year=year, names=", ".join(unplaced["facility"])))
        download_buttons(tables.year_table(year_table, lang), f"facilities_{scope}_{year}", lang)
    if clicked is not None and clicked.layer == "sources":
        st.session_state["em_selected"] = clicked.ids[0]
    with series_column:
        selected = st.session_state.get("em_selected")
        facility = facility_names.get(selected)
        if facility is None:
            st.caption(t("em_series_hint", lang))
        else:
            st.markdown(f"**{t('em_series_title', lang, facility=facility)}**")
            series = em.facility_series(data.figures, selected, scope)
            if series.empty:
                st.info(t("em_series_none", lang, facility=facility, scope=scope_text))
            else:
                st.altair_chart(localised(series_chart(series, scope, lang), lang), width="stretch")
                table = tables.series_table(series, facility, lang)
                st.dataframe(tables.shown(table, lang), hide_index=True, width="stretch")
                download_buttons(table, f"series_{scope}", lang)

    # --- top N and shares of the county total ---
    with_figure = year_table[year_table["amount_t"].notna()]
    if not with_figure.empty:
        top = em.top_n(year_table, config.EMISSIONS_TOP_N)
        top_column, share_column = st.columns(2)
        with top_column:
            st.subheader(t("em_top_title", lang, n=len(top), year=year))
            st.altair_chart(localised(top_chart(top, scope, lang), lang), width="stretch")
            download_buttons(tables.year_table(top, lang), f"top_{scope}_{year}", lang)
        with share_column:
            st.subheader(t("em_shares_title", lang, year=year))
            total = em.county_total(data.municipal, year_table, year, scope, numbers)
            if total.basis == "municipal":
                st.caption(
                    t(
                        "em_total_municipal",
                        lang,
                        year=year,
                        total=fmt_tonnes(total.amount_t, lang),
                        scope=scope_text,
                        covered=total.covered,
                        expected=total.expected,
                    )
                )
            else:
                reason = t(f"em_reason_{total.reason}", lang, year=year, covered=total.covered, expected=total.expected)
                st.caption(
                    t("em_total_facilities", lang, year=year, total=fmt_tonnes(total.amount_t, lang), scope=scope_text)
                    + " "
                    + reason
                )
            table = tables.shares_table(em.shares_of_total(year_table, total), total, lang)
            st.dataframe(tables.shown(table, lang, {t("em_col_share", lang): 1}), hide_index=True, width="stretch")
            download_buttons(table, f"shares_{scope}_{year}", lang)

    # --- municipalities ---
    st.subheader(t("em_municipal_title", lang, year=year, scope=scope_text))
    source = st.radio(
        t("em_municipal_source", lang),
        ["statistics", "facilities"],
        format_func=lambda s: t(f"em_source_{s}", lang),
        horizontal=True,
        key="em_municipal_source",
    )
    sector = None
    if source == "statistics":
        sector_options = em.sectors(data.municipal, scope)
        if sector_options:
            # "" for all sectors: a None option reads as "nothing chosen" after a rerun
            sector = (
                st.selectbox(
                    t("sector", lang),
                    ["", *sector_options],
                    format_func=lambda s: s or t("em_all_sectors", lang),
                    key="em_sector",
                )
                or None
            )
        totals = em.municipal_totals(data.municipal, year, scope, sector)
        if totals.empty:
            st.info(t("em_no_municipal_year", lang, year=year, scope=scope_text))
    else:
        totals = em.facility_municipal_totals(year_table)
        if totals.empty:
            st.info(t("em_no_facilities_year", lang, year=year, scope=scope_text))
    report = data.numbers
    if report.mapped:
        st.caption(t("em_numbers_mapped", lang, mapped=", ".join(f"{o}→{n}" for o, n in report.mapped.items())))
    if report.partial:
        st.caption(t("em_numbers_partial", lang, codes=", ".join(report.partial)))
    if report.county_only:
        st.caption(t("em_numbers_county_only", lang, codes=", ".join(report.county_only)))
    if report.unknown:
        st.caption(t("em_numbers_unknown", lang, codes=", ".join(report.unknown)))
    found, _ = boundaries(numbers, lang)
    if found is None:
        st.info(t("em_boundaries_missing", lang))
    else:
        title = t("em_choropleth_title", lang, year=year, scope=scope_text)
        if sector:
            title += f" · {sector}"
        show_map(
            emissions_base_map(static_url()),
            [basemap_group(config.DEFAULT_BASEMAP, lang), choropleth_group(found.frame, totals, title, lang)],
            key="municipal_map",
        )
        label = found.label if found.origin == "store" else Path(found.label).name
        st.caption(t("em_boundaries_source", lang, label=label))
    table = tables.municipal_table(totals, names, source, lang)
    st.dataframe(tables.shown(table, lang), hide_index=True, width="stretch")
    download_buttons(table, f"municipalities_{source}_{scope}_{year}", lang)

# --- the county's path to 2030 ---
st.subheader(t("em_path_title", lang, year=config.TARGET_YEAR))
path = em.county_path(
    data.municipal,
    scope,
    numbers,
    config.TARGET_CUT_LOW,
    config.TARGET_CUT_HIGH,
    config.TARGET_BASELINE_YEAR,
    config.TARGET_YEAR,
)
if path.totals.empty:
    st.info(t("em_path_no_data", lang, scope=scope_text))
else:
    st.altair_chart(localised(path_chart(path, lang), lang), width="stretch")
    incomplete = path.totals.loc[~path.totals["complete"], "year"].tolist()
    if incomplete:
        st.caption(t("em_incomplete_years", lang, expected=len(numbers), years=", ".join(map(str, incomplete))))
    if path.baseline_t is None:
        st.warning(t(f"em_no_baseline_{path.baseline_reason}", lang, year=path.baseline_year))
    elif path.gap is None:
        st.info(t("em_no_gap", lang, year=path.baseline_year))
    else:
        low, high = round(100 * path.target_cut_low), round(100 * path.target_cut_high)
        st.caption(t("em_target_band", lang, year=path.target_year, low=low, high=high, base=path.baseline_year))
        columns = st.columns(4)
        columns[0].metric(t("em_baseline", lang, year=path.baseline_year), fmt_tonnes(path.baseline_t, lang))
        columns[1].metric(
            t("em_latest", lang, year=path.latest_year),
            fmt_tonnes(path.latest_t, lang),
            t("em_change", lang, pct=fmt_number(path.gap.change_since_baseline_pct, lang, 1), year=path.baseline_year),
            delta_color="inverse",
        )
        for column, cut, gap_t, gap_pct in (
            (columns[2], low, path.gap.gap_to_high_t, path.gap.gap_to_high_pct),
            (columns[3], high, path.gap.gap_to_low_t, path.gap.gap_to_low_pct),
        ):
            column.metric(
                t("em_gap", lang, cut=cut),
                fmt_tonnes(max(gap_t, 0.0), lang),
                t("em_gap_pct", lang, pct=fmt_number(max(gap_pct, 0.0), lang, 1), year=path.latest_year)
                if gap_t > 0
                else t("em_gap_done", lang),
                delta_color="off",
            )
    download_buttons(tables.path_table(path, lang), f"county_{scope}", lang)
    if not path.sector_totals.empty:
        st.markdown(f"**{t('em_sector_title', lang)}**")
        st.altair_chart(localised(sector_chart(path, lang), lang), width="stretch")
        if not path.sector_gaps.empty:
            st.caption(t("em_sector_caption", lang))
            table = tables.sector_table(path, lang)
            st.dataframe(tables.shown(table, lang, {t("em_col_change", lang): 1}), hide_index=True, width="stretch")
            download_buttons(table, f"sectors_{scope}", lang)
