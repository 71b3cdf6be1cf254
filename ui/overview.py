"""The overview map page's parts: the key-figure row, where the map goes, what was clicked."""

from __future__ import annotations

import streamlit as st

import config
from analysis.filters import View
from analysis.kpi import key_figures
from analysis.search import search
from core.portfolio import Portfolio
from i18n import fmt_number, fmt_tonnes, fmt_year_range, t
from ui.map_view import MapState, Selection
from ui.text import escape_markdown


def key_figure_row(view: View, lang: str) -> None:
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


def map_target(data: Portfolio, query: str, lang: str, present: bool) -> tuple:
    """(center, zoom, selection) for this run.

    The map is told where to go only by a link's view (first run) and by each new search match. That
    command is repeated unchanged on every rerun, so the map moves only when it changes (passing back the
    view the map reports would make the two chase each other).
    """
    state = st.session_state
    if "map_command" not in state:
        link_view = state.get("view")
        state["map_command"] = (link_view[:2], link_view[2]) if link_view else (None, None)
    center, zoom = state["map_command"]
    selected = state.get("selected")
    if not query:
        return center, zoom, selected
    matches = search(data, query)
    if not matches:
        st.info(t("search_none", lang, q=escape_markdown(query)))
        return center, zoom, selected
    match = matches[0]
    if len(matches) > 1 and not present:
        match = st.selectbox(
            t("search_pick", lang),
            matches,
            format_func=lambda m: f"{m.label} · {t('layer_' + m.layer, lang)}",
            key="search_match",
        )
    if state.get("_shown_match") != (match.layer, match.id):
        state["_shown_match"] = (match.layer, match.id)
        center, zoom = state["map_command"] = (match.lat, match.lon), config.SEARCH_ZOOM
        selected = Selection(match.layer, (match.id,))
    return center, zoom, selected


def remember(shown: MapState, selected: Selection | None) -> Selection | None:
    """Keep the view for the link, and let a new click on the map replace the selection."""
    state = st.session_state
    if shown.view is not None:
        state["view"] = shown.view
    if shown.selection is not None and shown.selection != state.get("_last_click"):
        state["_last_click"] = shown.selection
        selected = shown.selection
    state["selected"] = selected
    return selected
