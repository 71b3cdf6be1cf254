"""The sidebar every map page shares: layers, basemap, filters and search."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import config
from analysis.filters import Filters, filter_options
from i18n import t
from loaders import Portfolio
from loaders.schema import PARK_STATUSES
from ui.state import keep_widget_state

LAYER_KINDS = ("parks", "sources", "members")
_FILTER_KEYS = ("f_municipalities", "f_statuses", "f_themes", "f_clusters", "f_sectors", "f_only_with_figure")
_MAP_KEYS = ("basemap", "search", *(f"show_{kind}" for kind in LAYER_KINDS))


@dataclass(frozen=True)
class MapControls:
    filters: Filters
    visible: frozenset[str]
    basemap: str
    query: str


def map_controls(portfolio: Portfolio, lang: str) -> MapControls:
    """Search, layers, basemap and filters: the sidebar of a map page."""
    keep_widget_state(*_MAP_KEYS)
    sidebar = st.sidebar
    query = sidebar.text_input(t("search", lang), key="search", placeholder=t("search_help", lang))

    sidebar.subheader(t("layers", lang))
    visible = frozenset(
        kind for kind in LAYER_KINDS if sidebar.checkbox(t(f"layer_{kind}", lang), value=True, key=f"show_{kind}")
    )
    basemap = sidebar.selectbox(
        t("basemap", lang),
        list(config.BASEMAPS),
        index=list(config.BASEMAPS).index(config.DEFAULT_BASEMAP),
        format_func=lambda key: t(f"basemap_{key}", lang),
        key="basemap",
    )
    return MapControls(portfolio_filters(portfolio, lang), visible, basemap, query.strip())


def portfolio_filters(portfolio: Portfolio, lang: str) -> Filters:
    """The filter widgets; their values carry over between pages."""
    keep_widget_state(*_FILTER_KEYS)
    options = filter_options(portfolio)
    names = dict(zip(portfolio.municipalities["kommunenummer"], portfolio.municipalities["name"], strict=True))
    sidebar = st.sidebar
    sidebar.subheader(t("filters", lang))
    municipalities = sidebar.multiselect(
        t("municipality", lang),
        list(names),
        format_func=lambda number: f"{names[number]} ({number})",
        placeholder=t("all_municipalities", lang),
        key="f_municipalities",
    )
    statuses = sidebar.multiselect(
        t("status", lang),
        [*PARK_STATUSES, None],
        format_func=lambda status: t(f"status_{status}", lang),
        key="f_statuses",
        placeholder=t("all", lang),
    )
    every = t("all", lang)
    themes = sidebar.multiselect(t("theme", lang), options["themes"], key="f_themes", placeholder=every)
    clusters = sidebar.multiselect(t("cluster", lang), options["clusters"], key="f_clusters", placeholder=every)
    sectors = sidebar.multiselect(t("sector", lang), options["sectors"], key="f_sectors", placeholder=every)
    only_with_figure = sidebar.checkbox(t("only_with_figure", lang), key="f_only_with_figure")
    return Filters(
        kommunenummer=tuple(municipalities),
        statuses=tuple(statuses),
        themes=tuple(themes),
        clusters=tuple(clusters),
        sectors=tuple(sectors),
        only_with_figure=only_with_figure,
    )
