"""Emissions year by year: facility map and charts, municipality choropleth, the county's path to 2030."""

from __future__ import annotations

import streamlit as st

from analysis import emissions as em
from analysis.figures import newest_scope
from core.schema import CLIMATE_SCOPES
from i18n import t
from ui import emissions_tables as tables
from ui import map_first
from ui.data import portfolio
from ui.downloads import download_buttons
from ui.emissions_data import emissions_data, of_data
from ui.emissions_sections import (
    answer_section,
    county_path_section,
    facility_section,
    municipal_section,
    point_path_section,
    shares_section,
)
from ui.measure_data import portfolio_measures
from ui.measures import measures_path_section
from ui.page import PageFrame
from ui.portfolio import flow_store
from ui.presentation import heading
from ui.sidebar import presentation_controls
from ui.view_state import emissions_params

page = PageFrame("nav_emissions")

data = emissions_data(page.lang)
lang = page.link(emissions_params(data), map_key="emissions_map")
names = dict(zip(data.municipalities["kommunenummer"], data.municipalities["name"], strict=True))
numbers = list(names)
facility_names = dict(zip(data.sources["id"], data.sources["facility"], strict=True))

present = presentation_controls(lang)
heading(lang, present, t("em_page_title", lang), t("em_intro", lang))
if data.error:
    st.warning(t("em_store_error", lang, error=data.error))
if data.imported:
    st.caption(t("em_imported", lang, titles=", ".join(data.imported)))

scopes = list(of_data(em.scopes_with_data, data, data.figures, data.municipal)) or ["co2e"]
# the newest year first: the ETS
newest = of_data(newest_scope, data, data.figures, tuple(scopes), data.municipal) or scopes[0]
if st.session_state.get("em_scope") not in scopes:  # seeded, not index=: a kept or linked scope is never overridden
    st.session_state["em_scope"] = newest
scope = st.selectbox(
    t("em_pollutant", lang),
    scopes,
    format_func=lambda s: t(f"scope_{s}", lang),
    key="em_scope",
    help=t("em_pollutant_help", lang) + " " + t("em_scope_help", lang),
    placeholder=t("choose_placeholder", lang),
)
scope_text = t(f"scope_{scope}", lang)
with st.container():  # the answer first: each facility since the base year; the rest below
    if not map_first.holding():  # the page's first run sends its map alone (ui/map_first.py)
        answer_section(data, scope, lang)
municipal_years = sorted(int(y) for y in data.municipal.loc[data.municipal["scope"] == scope, "year"].dropna().unique())
years = sorted(set(of_data(em.years_available, data, data.figures, scope)) | set(municipal_years))

undated = of_data(em.undated_figures, data, data.figures, scope)
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
    year_table = of_data(em.facility_figures_for_year, data, data.figures, data.sources, year, scope)
    duplicates = of_data(em.duplicate_figures, data, data.figures, scope)
    if not duplicates.empty:
        st.caption(t("em_duplicates", lang, n=len(duplicates)))

    facility_section(data, year_table, year, scope, facility_names, lang)
    shares_section(data, year_table, year, scope, numbers, lang)
    municipal_section(data, year_table, year, scope, numbers, names, lang)

point_path_section(data, scope, year if years else None, lang)
register_years = em.register_years(data.figures, scope)
if scope in CLIMATE_SCOPES and st.session_state.get("em_base_year") in register_years:
    # against the register's newest year, whatever the slider shows: a cut that started by then is in the figures
    _, listing = flow_store(lang)
    places = portfolio(lang, listing)
    found = portfolio_measures(places, listing, lang)
    base = st.session_state["em_base_year"]
    measures_path_section(data.figures, found.measures, places, scope, register_years[-1], base, lang, "em_ms")
county_path_section(data, scope, numbers, lang)

page.finish()
