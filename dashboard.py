"""Industrikart Trøndelag: the overview map of parks, emission sources and cluster members."""

from __future__ import annotations

import streamlit as st

import config
from analysis.filters import apply_filters
from analysis.kpi import key_figures
from analysis.search import search
from i18n import fmt_number, fmt_tonnes, fmt_year_range, t
from maps.build import base_map, overview_layers
from maps.layers import cluster_colours
from ui.data import own_layers, portfolio, stored_layers
from ui.map_view import Selection, show_map
from ui.record import record_panel
from ui.sidebar import map_controls
from ui.state import language_selector, static_url

st.set_page_config(page_title="Industrikart Trøndelag", page_icon="🏭", layout="wide")

lang = language_selector()
layers = stored_layers(lang)
data = portfolio(lang, layers)
uploaded = own_layers(lang, layers)
controls = map_controls(data, lang)
view = apply_filters(data, controls.filters)

st.title(t("app_title", lang))
st.caption(t("app_subtitle", lang))

kpi = key_figures(view)
columns = st.columns(4)
columns[0].metric(t("kpi_parks", lang), fmt_number(kpi.parks, lang))
columns[1].metric(t("kpi_sources", lang), fmt_number(kpi.sources, lang))
columns[2].metric(t("kpi_members", lang), fmt_number(kpi.members, lang))
columns[3].metric(
    t("kpi_total", lang),
    fmt_tonnes(kpi.total_t, lang),
    help=t("kpi_total_help", lang, scopes=", ".join(t(f"scope_{s}", lang) for s in kpi.scopes) or "–"),
)
if kpi.total_t is not None:
    columns[3].caption(fmt_year_range(list(kpi.years), kpi.unknown_years, lang))

center, zoom, selected = None, None, st.session_state.get("selected")
if controls.query:
    matches = search(data, controls.query)
    if not matches:
        st.info(t("search_none", lang, q=controls.query))
    else:
        match = matches[0]
        if len(matches) > 1:
            match = st.selectbox(
                t("search_pick", lang),
                matches,
                format_func=lambda m: f"{m.label} · {t('layer_' + m.layer, lang)}",
                key="search_match",
            )
        center, zoom = (match.lat, match.lon), config.SEARCH_ZOOM
        if st.session_state.get("_shown_match") != (match.layer, match.id):
            st.session_state["_shown_match"] = (match.layer, match.id)
            selected = Selection(match.layer, (match.id,))

colours = cluster_colours(list(data.members["cluster"].unique()))
map_column, record_column = st.columns([3, 1])
with map_column:
    clicked = show_map(
        base_map(colours, lang, static_url(), [(title, style) for title, _, style in uploaded]),
        overview_layers(view, controls.visible, controls.basemap, colours, lang, uploaded),
        key="overview_map",
        center=center,
        zoom=zoom,
    )
    st.caption(t("attribution_note", lang))
if clicked is not None and clicked != st.session_state.get("_last_click"):
    st.session_state["_last_click"] = clicked
    selected = clicked
st.session_state["selected"] = selected
with record_column:
    record_panel(data, selected.layer if selected else None, list(selected.ids) if selected else [], lang)
