"""The measures' Streamlit side: their filters, the path-with-measures section, a site's list and the summary.
Loading them is in ui/measure_data.py, the tables in ui/measure_tables.py, the editors' side in ui/measure_editor.py."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import urlparse

import geopandas as gpd
import pandas as pd
import streamlit as st

import config
from analysis import emissions as em
from analysis.figures import newest_scope, with_latest_figure
from analysis.measures import filter_measures, measures_path, site_summary
from analysis.neighbourhoods import neighbourhoods
from core.schema import CLIMATE_SCOPES
from exports.charts import chart_pdf, chart_png, localised, measures_chart
from exports.slides import measures_slide, slides_pptx
from exports.tables import csv_bytes, xlsx_bytes
from i18n import fmt_tonnes, t
from loaders import Portfolio
from loaders.bundled.measures import (
    MEASURE_KINDS,
    MEASURE_STATUSES,
    measure_points,
)
from maps.measures import group_label
from store import LayerInfo
from ui.data import derived, listing_key
from ui.measure_tables import chart_measures_table, gap_table, measures_table, sources_sheet
from ui.sidebar import sidebar_filter
from ui.text import escape_markdown


def measure_filters(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sidebar's measure filters (status, kind); kept between pages and in the link."""
    st.sidebar.subheader(t("ms_filters", lang))
    statuses = sidebar_filter(
        t("status", lang), MEASURE_STATUSES, "pf_m_statuses", lang, lambda s: t(f"ms_status_{s}", lang)
    )
    kinds = sidebar_filter(t("ms_kind", lang), MEASURE_KINDS, "pf_m_kinds", lang, lambda k: t(f"ms_kind_{k}", lang))
    return tuple(statuses), tuple(kinds)


def measure_map_points(measures: pd.DataFrame, portfolio: Portfolio, statuses, kinds) -> gpd.GeoDataFrame:
    return measure_points(filter_measures(measures, statuses, kinds), portfolio)


def kept_measure_points(
    measures: pd.DataFrame, portfolio: Portfolio, listing: list[LayerInfo] | None, statuses, kinds
) -> gpd.GeoDataFrame:
    """`measure_map_points` of the measures read with the store's `listing`: worked out once per data, listing and
    filters for every session (ui.data.derived)."""
    key = (listing_key(listing or []), tuple(measures["id"]))  # the ids: bundled ones only, if the store failed
    return derived(measure_map_points, measures, portfolio, tuple(statuses), tuple(kinds), key=key)


def site_measures(hood, measures: pd.DataFrame, portfolio: Portfolio, lang: str) -> None:
    """A site's measures in its tab, with their quotes and sources: those at the site and those on the plants
    inside its neighbourhood (the table names the plant)."""
    ours = measures[(measures["site_id"] == hood.site_id) | measures["facility_id"].isin(list(hood.sources["id"]))]
    st.markdown(f"#### {t('ms_site_title', lang)}")
    if ours.empty:
        st.info(t("ms_site_none", lang))
        return
    st.dataframe(
        measures_table(ours, portfolio, lang), hide_index=True, width="stretch", placeholder=t("no_figure", lang)
    )


def measures_path_section(
    figures: pd.DataFrame,
    measures: pd.DataFrame,
    portfolio: Portfolio,
    scope: str,
    year: int,
    baseline: int,
    lang: str,
    key: str,
) -> None:
    """The path to 2030 with the portfolio's measures: the chart, the gap after each group, what is not added."""
    path = em.point_source_path(
        figures, scope, year, baseline, config.TARGET_CUT_LOW, config.TARGET_CUT_HIGH, config.TARGET_YEAR
    )
    scope_text = t(f"scope_{scope}", lang)
    st.subheader(t("ms_path_title", lang, scope=scope_text))
    if not path.plants:
        st.info(t("em_point_path_none", lang, scope=scope_text, baseline=baseline, year=year))
        return
    result = measures_path(measures, figures, path)
    st.caption(t("ms_path_caption", lang, n=len(path.plants), baseline=baseline, year=year, target=config.TARGET_YEAR))
    # Vega writes `description` as the chart's aria-label: what it is, and that its numbers are in the tables below
    described = f"{t('ms_path_title', lang, scope=scope_text).rstrip('.')}. {t('chart_table_below', lang)}"
    st.vega_lite_chart(
        spec={**_chart_spec(_drawn(result, lang), result, lang), "description": described}, width="stretch"
    )
    names = dict(zip(portfolio.sources["id"], portfolio.sources["facility"], strict=True))
    for row in result.over.itertuples():
        st.warning(
            escape_markdown(
                t(
                    "ms_over",
                    lang,
                    plant=names.get(row.facility_id, row.facility_id),
                    cut=fmt_tonnes(row.cut_t, lang),
                    newest=fmt_tonnes(row.newest_t, lang),
                    year=row.newest_year,
                )
            )
        )
    groups = gap_table(result, lang)
    st.table(groups.set_index(t("ms_group", lang)))  # a plain table: its numbers are text a screen reader reads
    not_started = int((~result.counted["start_stated"]).sum())
    if not_started:
        counted_text = "ms_no_start_counted_one" if not_started == 1 else "ms_no_start_counted"
        st.caption(t(counted_text, lang, n=not_started, target=config.TARGET_YEAR))
    st.markdown(f"**{t('ms_chart_table_title', lang)}**")
    st.table(chart_measures_table(result, measures, lang))
    st.caption(t("ms_never_added", lang))
    title = t("ms_path_title", lang, scope=scope_text)
    subtitle = t("ms_path_caption", lang, n=len(path.plants), baseline=baseline, year=year, target=config.TARGET_YEAR)
    _chart_downloads(result, measures, portfolio, title, subtitle, lang, key)


def newest_path_section(figures: pd.DataFrame, measures: pd.DataFrame, portfolio: Portfolio, lang: str) -> None:
    """The path with measures in the climate scope with the newest register figures, from its default base year
    (the Portefølje page; Utslipp lets the planner choose both)."""
    scope = newest_scope(figures, [s for s in CLIMATE_SCOPES if em.register_years(figures, s)])
    if scope is None:
        return
    year = em.register_years(figures, scope)[-1]
    measures_path_section(figures, measures, portfolio, scope, year, em.scope_base_year(figures, scope), lang, "pf_ms")
    st.caption(t("ms_other_scopes", lang))


def _drawn(result, lang: str) -> str:
    """What the chart draws, as text: the cache key of its spec."""
    path = result.source.path
    parts = (path.scope, path.baseline_year, path.latest_year, path.target_year, lang, result.levels.to_json())
    parts += (path.totals.to_json(),)
    return json.dumps([str(p) for p in parts])


@st.cache_data(show_spinner=False, max_entries=64)
def _chart_spec(drawn: str, _result, lang: str) -> dict:
    # Building the Altair chart costs 0.05 s and its schema check 0.14 s: once per chart drawn, not per rerun.
    # Unvalidated: the chart's shape is fixed by exports/charts.py and tested there.
    return localised(measures_chart(_result, lang), lang).to_dict(validate=False)


def _chart_downloads(result, measures, portfolio, title, subtitle, lang, key) -> None:
    """One click each: the chart as PNG, PDF and slide, the measures as CSV and XLSX, made when clicked (on
    Streamlit's download thread), so a rerun pays for none of them."""
    day = date.today().isoformat()
    files = chart_files(result, measures, portfolio, (title, subtitle), lang)
    labels = {"png": "PNG", "pdf": "PDF", "pptx": t("ms_slide", lang), "csv": t("ms_table_csv", lang)}
    labels["xlsx"] = t("ms_table_xlsx", lang)
    for column, (kind, make) in zip(st.columns([1, 1, 1, 2, 2]), files.items(), strict=True):
        column.download_button(labels[kind], make, f"tiltak_{day}.{kind}", MIME[kind], key=f"{key}_{kind}")


MIME = {
    "png": "image/png",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def chart_files(result, measures: pd.DataFrame, portfolio: Portfolio, titles: tuple[str, str], lang: str) -> dict:
    """What the chart's download buttons hand out, each as a function that makes its file."""
    title, subtitle = titles
    sources = sources_line(measures, lang)

    described = (title, chart_alt_text(title, subtitle, lang))  # the file's title and text alternative

    def png() -> bytes:
        return chart_png(
            measures_chart(result, lang, title=title, notes=(subtitle, sources)), lang, described=described
        )

    def pdf() -> bytes:
        return chart_pdf(
            measures_chart(result, lang, title=title, notes=(subtitle, sources)), lang, described=described
        )

    def pptx() -> bytes:
        picture = chart_png(measures_chart(result, lang, legend=False), lang)  # title and legend: text on the slide
        return slides_pptx([measures_slide(result, picture, title, subtitle, sources, lang)], lang=lang)

    def csv() -> bytes:
        return csv_bytes(measures_table(measures, portfolio, lang))

    def xlsx() -> bytes:
        sheets = {
            t("ms_sheet_measures", lang): measures_table(measures, portfolio, lang),
            t("ms_sheet_gap", lang): gap_table(result, lang),
            t("ms_sheet_sources", lang): sources_sheet(measures, lang),
        }
        return xlsx_bytes(sheets)

    return {"png": png, "pdf": pdf, "pptx": pptx, "csv": csv, "xlsx": xlsx}


def chart_alt_text(title: str, subtitle: str, lang: str) -> str:
    """The path chart's text alternative in a file: what it shows, and where its numbers are as text."""
    return f"{title.rstrip('.')}. {subtitle.rstrip('.')}. {t('ms_chart_alt_numbers', lang)}"


def sources_line(measures: pd.DataFrame, lang: str) -> str:
    """The registers' credits and the hosts of the measures' sources, for a chart or slide handed out alone."""
    hosts = sorted({urlparse(u.strip()).netloc for url in measures["source_url"] for u in str(url).split(";")} - {""})
    return t("ms_sources_line", lang, hosts=", ".join(hosts))


def summary_section(measures: pd.DataFrame, portfolio: Portfolio, radius_m: float, lang: str) -> None:
    """Per site: its emitters' newest figures, its measures, and their sourced cuts by status group and scope."""
    st.subheader(t("ms_summary_title", lang))
    places = dict(zip(portfolio.parks["id"], portfolio.parks["name"], strict=True))
    plants = with_latest_figure(portfolio.sources, portfolio.figures)
    sites = sorted(place for place in set(measures["site_id"].dropna()) if place in places)
    emitters = {hood.site_id: hood.sources for hood in neighbourhoods(sites, portfolio, radius_m)}
    for plant in set(measures.loc[measures["site_id"].isna(), "facility_id"].dropna()):
        emitters[plant] = plants[plants["id"] == plant]
    summary = site_summary(measures, emitters)
    rows = []
    for row in summary.itertuples():
        emitter_text = "; ".join(_emitter_text(e, lang) for e in row.emitters)
        sums = "; ".join(
            f"{group_label(s.group, lang)}: {fmt_tonnes(s.cut_t, lang)} {t('scope_' + s.scope, lang)}"
            for s in row.sums.itertuples()
        )
        rows.append(
            {
                t("ms_place_or_plant", lang): places.get(row.place_id)
                or dict(zip(plants["id"], plants["facility"], strict=True)).get(row.place_id, row.place_id),
                t("ms_col_emitters", lang): emitter_text or t("ms_no_emitters", lang),
                t("ms_col_measures", lang): row.measures,
                t("ms_col_no_figure", lang): row.no_figure,
                t("ms_col_sums", lang): sums or t("no_figure", lang),
            }
        )
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(t("ms_summary_caption", lang, km=int(radius_m // 1000)))
    day = date.today().isoformat()
    columns = st.columns(2)
    columns[0].download_button(
        "CSV", lambda: csv_bytes(table), f"tiltak_oppsummering_{day}.csv", "text/csv", key="ms_summary_csv"
    )
    columns[1].download_button(
        "XLSX",
        lambda: xlsx_bytes(
            {t("ms_sheet_summary", lang): table, t("ms_sheet_sources", lang): sources_sheet(measures, lang)}
        ),
        f"tiltak_oppsummering_{day}.xlsx",
        key="ms_summary_xlsx",
    )


def _emitter_text(emitter: dict, lang: str) -> str:
    """«Elkem Thamshavn: 300 000 t kvotepliktige …, 2022», or «…: ingen tall»."""
    text = f"{emitter['facility']}: {fmt_tonnes(emitter['figure_t'], lang)}"
    if pd.isna(emitter["figure_t"]):
        return text
    year = t("year_unknown", lang) if pd.isna(emitter["figure_year"]) else int(emitter["figure_year"])
    return f"{text} {t('scope_' + emitter['figure_scope'], lang)}, {year}"
