"""Industrikart Trøndelag: the overview map of parks, emission sources and cluster members."""

from __future__ import annotations

from datetime import date

import streamlit as st

import config
from analysis.filters import apply_filters
from analysis.kpi import key_figures
from analysis.search import search
from i18n import fmt_number, fmt_tonnes, fmt_year_range, t
from maps.build import base_map, overview_layers
from maps.layers import cluster_colours
from ui import view_state
from ui.data import own_layers, portfolio, stored_layers
from ui.map_view import Selection, show_map
from ui.presentation import apply_presentation_style, plain
from ui.record import record_panel
from ui.sidebar import map_controls, map_params, presentation_controls, share_box
from ui.state import current_language, language_selector, static_url

st.set_page_config(page_title="Industrikart Trøndelag", page_icon="🏭", layout="wide")

layers = stored_layers(current_language())
data = portfolio(current_language(), layers)
params = map_params(data)
ignored = view_state.restore(params)
lang = language_selector()
uploaded = own_layers(lang, layers)
controls = map_controls(data, lang)
present = presentation_controls(lang)
view = apply_filters(data, controls.filters)
if ignored:
    st.toast(t("url_ignored", lang, names=", ".join(ignored)))

if present:
    apply_presentation_style()
    with st.popover(t("present_edit", lang)):
        st.text_input(t("present_title", lang), key="present_title")
        st.text_input(t("present_subtitle", lang), key="present_subtitle")
        st.toggle(t("present_mode", lang), key="present")
    st.title(plain(st.session_state.get("present_title") or t("present_default_title", lang)))
    subtitle = st.session_state.get("present_subtitle") or t("app_subtitle", lang)
    st.caption(f"{plain(subtitle)} · {date.today().isoformat()}")
else:
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

# Where the map is told to go: a link's view on the first run, then each new search match. The same
# command is repeated on every rerun, so the map only moves when it changes (passing back the view the
# map reports would make the two chase each other).
if "map_command" not in st.session_state:
    link_view = st.session_state.get("view")
    st.session_state["map_command"] = (link_view[:2], link_view[2]) if link_view else (None, None)
center, zoom = st.session_state["map_command"]
selected = st.session_state.get("selected")
if controls.query:
    matches = search(data, controls.query)
    if not matches:
        st.info(t("search_none", lang, q=plain(controls.query)))
    else:
        match = matches[0]
        if len(matches) > 1 and not present:
            match = st.selectbox(
                t("search_pick", lang),
                matches,
                format_func=lambda m: f"{m.label} · {t('layer_' + m.layer, lang)}",
                key="search_match",
            )
        if st.session_state.get("_shown_match") != (match.layer, match.id):
            st.session_state["_shown_match"] = (match.layer, match.id)
            center, zoom = st.session_state["map_command"] = (match.lat, match.lon), config.SEARCH_ZOOM
            selected = Selection(match.layer, (match.id,))

colours = cluster_colours(list(data.members["cluster"].unique()))
map_column, record_column = st.columns([1, 0.0001] if present else [3, 1])
with map_column:
    shown = show_map(
        base_map(colours, lang, static_url(), [(title, style) for title, _, style in uploaded]),
        overview_layers(view, controls.visible, controls.basemap, colours, lang, uploaded),
        key="overview_map",
        center=center,
        zoom=zoom,
        height=config.PRESENT_MAP_HEIGHT if present else config.MAP_HEIGHT,
    )
    st.caption(t("sources_line", lang, count=len(data.parks) + len(data.sources) + len(data.members)))
if shown.view is not None:
    st.session_state["view"] = shown.view
if shown.selection is not None and shown.selection != st.session_state.get("_last_click"):
    st.session_state["_last_click"] = shown.selection
    selected = shown.selection
st.session_state["selected"] = selected
if not present:
    with record_column:
        record_panel(data, selected.layer if selected else None, list(selected.ids) if selected else [], lang)

query = view_state.publish(params)
if not present:
    share_box(view_state.share_link(query), lang)
