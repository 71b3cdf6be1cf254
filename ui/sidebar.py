"""The sidebar every map page shares: layers, basemap, filters and search."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import config
from analysis.filters import Filters, filter_options
from core.portfolio import Portfolio
from core.schema import MAP_KINDS, PARK_STATUSES
from i18n import t
from ui.map_view import Selection
from ui.state import LANG_KEY, keep_widget_state
from ui.view_state import Param, choice, choices, flag, key_param

_FILTER_KEYS = ("f_municipalities", "f_statuses", "f_themes", "f_clusters", "f_sectors", "f_only_with_figure")
_MAP_KEYS = ("basemap", "search", *(f"show_{kind}" for kind in MAP_KINDS))
_PRESENT_KEYS = ("present", "present_title", "present_subtitle")


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
    for kind in MAP_KINDS:
        st.session_state.setdefault(f"show_{kind}", True)  # a default here, not value=, as links set it too
    visible = frozenset(kind for kind in MAP_KINDS if sidebar.checkbox(t(f"layer_{kind}", lang), key=f"show_{kind}"))
    st.session_state.setdefault("basemap", config.DEFAULT_BASEMAP)
    basemap = sidebar.selectbox(
        t("basemap", lang),
        list(config.BASEMAPS),
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


def presentation_controls(lang: str) -> bool:
    """The presentation toggle, title and subtitle; True when presenting."""
    keep_widget_state(*_PRESENT_KEYS)
    if st.session_state.get("present"):
        return True  # the page shows its own small editor; the sidebar is hidden
    with st.sidebar.expander(t("present", lang)):
        st.text_input(t("present_title", lang), key="present_title")
        st.text_input(t("present_subtitle", lang), key="present_subtitle")
        st.toggle(t("present_mode", lang), key="present")
    return bool(st.session_state.get("present"))


def share_box(link: str, lang: str) -> None:
    """The link to this view, with Streamlit's copy button."""
    with st.sidebar.expander(f"🔗 {t('share_link', lang)}"):
        st.caption(t("share_help", lang))
        st.code(link, language=None, wrap_lines=True)


def filter_params(portfolio: Portfolio) -> list[Param]:
    """The link parameters of the shared filters (and the language), checked against the data."""
    options = filter_options(portfolio)
    return [
        key_param("lang", LANG_KEY, choice(("nb", "en")), default="nb"),
        key_param("kn", "f_municipalities", choices(portfolio.municipalities["kommunenummer"]), list),
        key_param("status", "f_statuses", choices([*PARK_STATUSES, None], _status_text), _dump_statuses),
        key_param("theme", "f_themes", choices(options["themes"]), list),
        key_param("cluster", "f_clusters", choices(options["clusters"]), list),
        key_param("sector", "f_sectors", choices(options["sectors"]), list),
        key_param("fig", "f_only_with_figure", flag, lambda v: ["1"], default=False),
    ]


def map_params(portfolio: Portfolio) -> list[Param]:
    """Everything the overview map's link restores: filters, layers, basemap, search, view, selection, mode."""
    return [
        *filter_params(portfolio),
        key_param("q", "search", _text(100), default=""),
        Param("layers", _read_layers, _write_layers, choices([*MAP_KINDS, "none"]), list),
        key_param("base", "basemap", choice(config.BASEMAPS), default=config.DEFAULT_BASEMAP),
        key_param("view", "view", _parse_view, _dump_view),
        Param("sel", _read_selection, _write_selection, _selection_parser(portfolio), _dump_selection),
        *presentation_params(),
    ]


def presentation_params() -> list[Param]:
    """?mode=present with the slide's title and subtitle: the same on every page that can present."""
    return [
        key_param("mode", "present", _parse_mode, lambda _: ["present"], default=False),
        key_param("title", "present_title", _text(200), default=""),
        key_param("subtitle", "present_subtitle", _text(300), default=""),
    ]


def _parse_mode(values: list[str]) -> bool:
    if values != ["present"]:
        raise ValueError(values)
    return True


def _status_text(status: str | None) -> str:
    return status or "ukjent"


def _dump_statuses(statuses: list) -> list[str]:
    return [_status_text(s) for s in statuses]


def _text(limit: int):
    def parse(values: list[str]) -> str:
        if len(values) != 1 or len(values[0]) > limit:
            raise ValueError(values)
        return values[0]

    return parse


def _read_layers(state: dict) -> list[str] | None:
    visible = [kind for kind in MAP_KINDS if state.get(f"show_{kind}", True)]
    return None if len(visible) == len(MAP_KINDS) else visible or ["none"]


def _write_layers(state: dict, kinds: list[str]) -> None:
    for kind in MAP_KINDS:
        state[f"show_{kind}"] = kind in kinds


def _parse_view(values: list[str]) -> tuple[float, float, int]:
    lat, lon, zoom = values[0].split(",") if len(values) == 1 else ("x", "x", "x")
    lat, lon, zoom = float(lat), float(lon), int(zoom)
    if not (55 <= lat <= 75 and -5 <= lon <= 35 and 3 <= zoom <= config.MAP_MAX_ZOOM):
        raise ValueError(values)
    return lat, lon, zoom


def _dump_view(view: tuple[float, float, int]) -> list[str]:
    lat, lon, zoom = view
    return [f"{lat:.5f},{lon:.5f},{int(zoom)}"]


def _read_selection(state: dict) -> Selection | None:
    return state.get("selected")


def _write_selection(state: dict, selection: Selection) -> None:
    state["selected"] = selection


def _dump_selection(selection: Selection) -> list[str]:
    return [f"{selection.layer}:{'|'.join(selection.ids)}"]


def _selection_parser(portfolio: Portfolio):
    def parse(values: list[str]) -> Selection:
        layer, _, ids = values[0].partition(":") if len(values) == 1 else ("", "", "")
        if layer not in MAP_KINDS:
            raise ValueError(values)
        known = set(getattr(portfolio, layer)["id"])
        wanted = tuple(ids.split("|"))
        if not ids or not set(wanted) <= known:
            raise ValueError(values)
        return Selection(layer, wanted)

    return parse
