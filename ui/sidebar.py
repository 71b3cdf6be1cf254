"""The sidebar every map page shares: layers, basemap, filters and search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

import config
from analysis.filters import Filters, filter_options
from core.portfolio import Portfolio
from core.schema import MAP_KINDS, PARK_STATUSES
from i18n import t, theme_label
from store import LayerInfo
from ui.qgis import qgis_address
from ui.uploaded_layers import layer_list


@dataclass(frozen=True)
class MapControls:
    filters: Filters
    visible: frozenset[str]
    basemap: str
    query: str


def map_controls(portfolio: Portfolio, lang: str, uploads: list[LayerInfo] | None = None) -> MapControls:
    """Search, layers (with the uploaded ones in `uploads`, the store's listing), basemap and filters: the sidebar
    of a map page (kept between pages: ui.state.KEPT_KEYS)."""
    sidebar = st.sidebar
    query = sidebar.text_input(t("search", lang), key="search", placeholder=t("search_help", lang))

    sidebar.subheader(t("layers", lang))
    for kind in MAP_KINDS:
        st.session_state.setdefault(f"show_{kind}", True)  # a default here, not value=, as links set it too
    visible = frozenset(kind for kind in MAP_KINDS if sidebar.checkbox(t(f"layer_{kind}", lang), key=f"show_{kind}"))
    layer_list(uploads or [], lang, sidebar)
    return MapControls(portfolio_filters(portfolio, lang), visible, basemap_choice(lang), query.strip())


def basemap_choice(lang: str) -> str:
    """The basemap, one choice for every map page (a default here, not index=, as links set it too)."""
    st.session_state.setdefault("basemap", config.DEFAULT_BASEMAP)
    return st.sidebar.selectbox(
        t("basemap", lang),
        list(config.BASEMAPS),
        format_func=lambda key: t(f"basemap_{key}", lang),
        key="basemap",
        placeholder=t("choose_placeholder", lang),
    )


def sidebar_filter(label: str, options, key: str, lang: str, texts: Callable[[Any], str] = str) -> list:
    """A filter in the sidebar: the options chosen (shown as `texts` gives them), none meaning all as its
    placeholder says; kept between pages and in the link under `key`."""
    return st.sidebar.multiselect(label, list(options), format_func=texts, placeholder=t("all", lang), key=key)


def portfolio_filters(portfolio: Portfolio, lang: str) -> Filters:
    """The filter widgets; their values carry over between pages (ui.state.FILTER_KEYS)."""
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
    statuses = sidebar_filter(
        t("status", lang), [*PARK_STATUSES, None], "f_statuses", lang, lambda status: t(f"status_{status}", lang)
    )
    themes = sidebar_filter(t("theme", lang), options["themes"], "f_themes", lang, lambda v: theme_label(v, lang))
    clusters = sidebar_filter(t("cluster", lang), options["clusters"], "f_clusters", lang)
    sectors = sidebar_filter(t("sector", lang), options["sectors"], "f_sectors", lang)
    only_with_figure = sidebar.checkbox(t("only_with_figure", lang), key="f_only_with_figure")
    return Filters(
        kommunenummer=tuple(municipalities),
        statuses=tuple(statuses),
        themes=tuple(themes),
        clusters=tuple(clusters),
        sectors=tuple(sectors),
        only_with_figure=only_with_figure,
    )


def presentation_controls(lang: str) -> bool:
    """The presentation toggle, title and subtitle; True when presenting."""
    if st.session_state.get("present"):
        return True  # the page shows its own small editor; the sidebar is hidden
    with st.sidebar.expander(t("present", lang)):
        st.text_input(t("present_title", lang), key="present_title")
        st.text_input(t("present_subtitle", lang), key="present_subtitle")
        st.toggle(t("present_mode", lang), key="present")
    return bool(st.session_state.get("present"))


def share_box(link: str, lang: str) -> None:
    """The link to this view, with Streamlit's copy button. In a popover: its content is drawn only when opened,
    and Streamlit's code block brings a 1.5 MB highlighter that cost every visit 0.2 s of the browser's time."""
    with st.sidebar.popover(f"🔗 {t('share_link', lang)}", width="stretch"):
        st.caption(t("share_help", lang))
        st.code(link, language=None, wrap_lines=True)
        qgis_address(lang)  # the layers themselves, live, for QGIS (where the installation runs the service)
