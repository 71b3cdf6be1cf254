"""The emissions page's sections: facility map and series, top N and shares, municipalities, the county's path.

Each function draws one section from the page's data; the page itself only picks scope and year.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

import config
from analysis import emissions as em
from core.schema import ETS_SCOPE
from exports.charts import localised
from i18n import fmt_number, fmt_tonnes, t
from maps.description import description_group
from maps.emissions import choropleth_group, emissions_base_map, facility_circles_group
from maps.layers import basemap_group
from ui import emissions_tables as tables
from ui.downloads import download_buttons
from ui.emissions_charts import path_chart, sector_chart, series_chart, top_chart
from ui.emissions_data import EmissionsData, boundaries
from ui.feature_list import keyboard_picker, map_words
from ui.map_view import show_map
from ui.state import static_url
from ui.text import escape_markdown

_ANSWER_ROWS = 15  # rows the answer table shows before it scrolls


def answer_section(data: EmissionsData, scope: str, lang: str) -> None:
    """The page's answer first: each facility's newest figure in the scope, its base-year figure and the change, with
    a small trend; the base year is the point-source path's (chosen further down)."""
    base_years = em.register_years(data.figures, scope)
    if base_years:
        _default_base_year(data.figures, scope, base_years)
    baseline = st.session_state.get("em_base_year") if base_years else None
    development = em.facility_development(data.figures, data.sources, scope, baseline)
    if development.empty:
        return
    scope_text = t(f"scope_{scope}", lang)
    if baseline is None:
        st.subheader(t("em_answer_title_no_base", lang, scope=scope_text))
        st.caption(t("em_answer_caption_no_base", lang))
    else:
        st.subheader(t("em_answer_title", lang, base=baseline, scope=scope_text))
        st.caption(t("em_answer_caption", lang, base=baseline))
    table = tables.development_table(development, lang)
    trend = t("em_col_trend", lang)
    st.dataframe(
        tables.development_shown(table, development, lang),
        hide_index=True,
        width="stretch",
        height=35 * (min(len(development), _ANSWER_ROWS) + 1) + 3,  # Streamlit's 35 px rows: every row, up to 15
        column_config={trend: st.column_config.LineChartColumn(trend, y_min=0, help=t("em_col_trend_help", lang))},
    )
    register_caption(data, scope, None, lang)
    download_buttons(table, f"development_{scope}_{baseline or 'none'}", lang)


def facility_section(data: EmissionsData, year_table, year: int, scope: str, facility_names: dict, lang: str) -> None:
    scope_text = t(f"scope_{scope}", lang)
    # --- facility map and the clicked facility's series ---
    st.subheader(t("em_map_title", lang, year=year, scope=scope_text))
    if year_table["amount_t"].notna().sum() == 0:
        st.info(t("em_no_facilities_year", lang, year=year, scope=scope_text))
    map_column, series_column = st.columns([3, 2])
    on_map = year_table[year_table["placed"] & year_table["geometry"].notna()]
    with map_column:
        shown = show_map(
            emissions_base_map(static_url()),
            [
                basemap_group(config.DEFAULT_BASEMAP, lang),
                facility_circles_group(year_table, year, scope, lang),
                description_group(
                    t("em_map_title", lang, year=year, scope=scope_text),
                    facilities_described(on_map, lang),
                    map_words(lang),
                ),
            ],
            key="emissions_map",
        )
        if shown.selection is not None and shown.selection.layer == "sources":
            st.session_state["em_selected"] = shown.selection.ids[0]
        facility_picker(on_map, shown.bounds, lang)
        st.caption(t("em_map_caption", lang, year=year))
        register_caption(data, scope, year, lang)
        missing = year_table[year_table["not_reported"]]
        if not missing.empty:
            names = escape_markdown(", ".join(missing["facility"]))  # register text, or an import's
            st.caption(t("em_not_reported_list", lang, year=year, scope=scope_text, names=names))
        unplaced = year_table[~year_table["placed"] & year_table["amount_t"].notna()]
        if not unplaced.empty:
            st.caption(
                t(
                    "em_unplaced",
                    lang,
                    n=len(unplaced),
                    year=year,
                    names=escape_markdown(", ".join(unplaced["facility"])),
                )
            )
        download_buttons(tables.year_table(year_table, lang), f"facilities_{scope}_{year}", lang)
    with series_column:
        selected = st.session_state.get("em_selected")
        facility = facility_names.get(selected)
        shown_name = escape_markdown(facility) if facility is not None else None
        if facility is None:
            st.caption(t("em_series_hint", lang))
        else:
            st.markdown(f"**{t('em_series_title', lang, facility=shown_name)}**")
            series = em.facility_series(data.figures, selected, scope)
            if series.empty:
                st.info(t("em_series_none", lang, facility=shown_name, scope=scope_text))
            else:
                both = em.register_series(data.figures, selected, scope)  # the other register's CO₂ beside it
                if both["scope"].nunique() > 1:
                    st.caption(t("em_series_both", lang))
                labels = {s: t(f"scope_{s}", lang) for s in both["scope"].unique()}
                chart = series_chart(both.assign(series=both["scope"].map(labels)), scope, lang)
                show_chart(chart, t("em_series_title", lang, facility=facility), lang)
                table = tables.series_table(both, facility, lang)
                st.dataframe(tables.shown(table, lang), hide_index=True, width="stretch")
                download_buttons(table, f"series_{scope}", lang)
                for shown_scope in both["scope"].unique():
                    register_caption(data, shown_scope, None, lang)


def show_chart(chart, description: str, lang: str, table: pd.DataFrame | None = None) -> None:
    """A chart a screen reader can name (Vega writes `description` as the chart's aria-label) and whose numbers
    are a table: the one right under it, or `table` in a fold right under it."""
    where = "chart_table_below" if table is None else "chart_table_fold"
    described = chart.properties(description=f"{description.rstrip('.')}. {t(where, lang)}")
    st.altair_chart(localised(described, lang), width="stretch")
    if table is not None:
        with st.expander(t("chart_as_table", lang)):
            st.dataframe(tables.shown(table, lang), hide_index=True, width="stretch")


def facilities_described(on_map, lang: str) -> str:
    """The facility map in words: how many facilities it shows, with a figure and without."""
    with_figure = int(on_map["amount_t"].notna().sum())
    counts = [(with_figure, "em_map_count_figure"), (len(on_map) - with_figure, "em_map_count_none")]
    shown = [t(key, lang, n=n) for n, key in counts if n]
    return t("map_shows", lang, what="; ".join(shown)) if shown else t("map_shows_nothing", lang)


def facility_picker(on_map, bounds, lang: str) -> None:
    """The facilities in the map's view as a list: choosing one shows its series, as a click on it does."""
    rows = [r for r in on_map.to_dict("records") if bounds is None or bounds.contains(r["geometry"].y, r["geometry"].x)]
    rows.sort(key=lambda r: str(r["facility"]).casefold())
    texts = {str(r["id"]): f"{r['facility']} — {fmt_tonnes(r['amount_t'], lang)}" for r in rows}
    label = t("in_view_label", lang, n=len(texts))
    help_text = t("em_in_view_help", lang)
    keyboard_picker(label, texts, st.session_state.get("em_selected"), "em_in_view", help_text, _select_facility, lang)


def _select_facility(facility_id: str) -> None:
    st.session_state["em_selected"] = facility_id


def register_caption(data: EmissionsData, scope: str, year: int | None, lang: str) -> None:
    """The register's credit (the EU ETS's, or the EEA's) under anything that shows its figures."""
    credit = em.register_credit(data.figures, scope, year)
    if credit is None:
        return
    if config.ETS_CREDIT in credit[0]:
        st.caption(t("ets_credit", lang))
    if config.EEA_CREDIT in credit[0]:
        st.caption(t("eea_credit", lang, date=credit[1] or "–"))


_BASE_AUTO = "_em_base_year_auto"


def _default_base_year(figures, scope: str, years: list[int]) -> None:
    """The base year follows the scope (em.scope_base_year) until the user or a link chooses one; a chosen year
    this scope lacks falls back to the default too."""
    auto = em.scope_base_year(figures, scope)
    state = st.session_state
    current = state.get("em_base_year")
    if current is None or current == state.get(_BASE_AUTO) or current not in years:
        state["em_base_year"] = auto
        state[_BASE_AUTO] = auto


def point_path_section(data: EmissionsData, scope: str, year: int | None, lang: str) -> None:
    """The register's large point sources, like for like: the plants with a figure in both the base year and the
    year shown, against their own base-year level. Not the county's total."""
    base_years = em.register_years(data.figures, scope)
    if not base_years or year is None:
        return
    _default_base_year(data.figures, scope, base_years)
    scope_text = t(f"scope_{scope}", lang)
    register = t("em_register_ets" if scope == ETS_SCOPE else "em_register_eprtr", lang)
    st.subheader(t("em_point_path_title", lang, register=register, scope=scope_text))
    baseline = st.selectbox(
        t("em_base_year", lang),
        base_years,
        key="em_base_year",
        help=t("em_base_year_help", lang),
        placeholder=t("choose_placeholder", lang),
    )
    result = em.point_source_path(
        data.figures, scope, year, baseline, config.TARGET_CUT_LOW, config.TARGET_CUT_HIGH, config.TARGET_YEAR
    )
    path = result.path
    names = dict(zip(data.sources["id"], data.sources["facility"], strict=True))

    def listed(ids) -> str:
        return ", ".join(str(names.get(i, i)) for i in ids)

    if not result.plants:
        st.info(t("em_point_path_none", lang, scope=scope_text, baseline=baseline, year=year))
    else:
        st.caption(
            t(
                "em_point_path_set",
                lang,
                n=len(result.plants),
                baseline=baseline,
                year=year,
                names=listed(result.plants),
                baseline_t=fmt_tonnes(path.baseline_t, lang),
            )
        )
        if result.left_out:
            left_out = listed(result.left_out)
            st.caption(
                t("em_point_path_left_out", lang, n=len(result.left_out), baseline=baseline, year=year, names=left_out)
            )
        gaps = path.totals.loc[~path.totals["complete"], "year"].tolist()
        if gaps:
            st.caption(t("em_point_path_gaps", lang, years=", ".join(map(str, gaps))))
        changes = result.reporting[result.reporting["changed"]]
        show_chart(
            path_chart(path, lang, changes), t("em_point_path_title", lang, register=register, scope=scope_text), lang
        )
        if not changes.empty:
            listed_changes = ", ".join(
                t("em_coverage_change", lang, year=int(r.year), before=int(r.previous), after=int(r.reporting))
                for r in changes.itertuples()
            )
            st.caption(t("em_point_path_coverage", lang, changes=listed_changes))
        columns = st.columns(2)
        columns[0].metric(t("em_baseline", lang, year=baseline), fmt_tonnes(path.baseline_t, lang))
        if path.gap is None:
            st.info(t("em_point_path_same_year", lang))
        else:
            columns[1].metric(
                t("em_point_path_series", lang) + f" {year}",
                fmt_tonnes(path.latest_t, lang),
                t("em_change", lang, pct=fmt_number(path.gap.change_since_baseline_pct, lang, 1), year=baseline),
                delta_color="inverse",
            )
    register_caption(data, scope, None, lang)
    if not path.totals.empty:
        table = tables.point_path_table(path, lang)
        st.dataframe(tables.shown(table, lang), hide_index=True, width="stretch")
        download_buttons(table, f"point_sources_{scope}_{baseline}_{year}", lang)


def shares_section(data: EmissionsData, year_table, year: int, scope: str, numbers: list[str], lang: str) -> None:
    scope_text = t(f"scope_{scope}", lang)
    # --- top N and shares of the county total ---
    with_figure = year_table[year_table["amount_t"].notna()]
    if not with_figure.empty:
        top = em.top_n(year_table, config.EMISSIONS_TOP_N)
        top_column, share_column = st.columns(2)
        with top_column:
            st.subheader(t("em_top_title", lang, n=len(top), year=year))
            show_chart(
                top_chart(top, scope, lang),
                t("em_top_title", lang, n=len(top), year=year),
                lang,
                tables.year_table(top, lang),
            )
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


_SOURCE_AUTO = "_em_municipal_source_auto"


def _default_municipal_source(data: EmissionsData, year_table, year: int, scope: str) -> None:
    """«Kommunetall fra» starts at the source that has figures for the year (after a norskeutslipp import the
    municipal statistics are often empty): set while the user has not chosen, or a link has not said, one."""
    has_statistics = not em.municipal_totals(data.municipal, year, scope, None).empty
    has_facilities = not em.facility_municipal_totals(year_table).empty
    auto = "facilities" if has_facilities and not has_statistics else "statistics"
    current = st.session_state.get("em_municipal_source")
    if current is None or current == st.session_state.get(_SOURCE_AUTO):
        st.session_state["em_municipal_source"] = auto
        st.session_state[_SOURCE_AUTO] = auto


def municipal_section(
    data: EmissionsData, year_table, year: int, scope: str, numbers: list[str], names: dict, lang: str
) -> None:
    scope_text = t(f"scope_{scope}", lang)
    # --- municipalities ---
    st.subheader(t("em_municipal_title", lang, year=year, scope=scope_text))
    _default_municipal_source(data, year_table, year, scope)
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
                    placeholder=t("choose_placeholder", lang),
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
            [
                basemap_group(config.DEFAULT_BASEMAP, lang),
                choropleth_group(found.frame, totals, title, lang),
                description_group(title, t("em_choropleth_described", lang, n=len(totals)), map_words(lang)),
            ],
            key="municipal_map",
        )
        label = found.label if found.origin == "store" else Path(found.label).name
        st.caption(t("em_boundaries_source", lang, label=label))
    table = tables.municipal_table(totals, names, source, lang)
    st.dataframe(tables.shown(table, lang), hide_index=True, width="stretch")
    download_buttons(table, f"municipalities_{source}_{scope}_{year}", lang)


def county_path_section(data: EmissionsData, scope: str, numbers: list[str], lang: str) -> None:
    scope_text = t(f"scope_{scope}", lang)
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
        show_chart(
            path_chart(path, lang),
            t("em_path_title", lang, year=config.TARGET_YEAR),
            lang,
            tables.path_table(path, lang),
        )
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
                t(
                    "em_change",
                    lang,
                    pct=fmt_number(path.gap.change_since_baseline_pct, lang, 1),
                    year=path.baseline_year,
                ),
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
            show_chart(
                sector_chart(path, lang),
                f"{t('em_path_title', lang, year=config.TARGET_YEAR)} – {t('em_sector_title', lang)}",
                lang,
            )
            if not path.sector_gaps.empty:
                st.caption(t("em_sector_caption", lang))
                table = tables.sector_table(path, lang)
                st.dataframe(tables.shown(table, lang, {t("em_col_change", lang): 1}), hide_index=True, width="stretch")
                download_buttons(table, f"sectors_{scope}", lang)
