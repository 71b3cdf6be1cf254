"""The portfolio page's Streamlit side: sidebar controls, flows from the layer store, the flow editor."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import config
from analysis.neighbourhoods import Neighbourhood, neighbourhood_around, point_site
from analysis.portfolio_view import MapContent, filter_flows, map_content
from i18n import error_text, fmt_number, t
from loaders import LayerError, Portfolio
from loaders.bundled.boundaries import load_boundaries
from loaders.bundled.flow_store import TITLE_PREFIX, AllFlows, all_flows, new_flow_id, save_flows
from loaders.bundled.flows import (
    FLOW_RESOURCES,
    FLOW_STATUSES,
    flow_lines,
    flows_from_records,
    load_flows,
    parse_flows_csv,
    parse_flows_geojson,
)
from maps.portfolio import LAYERS, flow_heads
from maps.single_pass import require_installed
from store import StoreError, open_store
from store.base import LayerInfo, LayerStore
from ui import map_first
from ui.access import acting_store, editor_access
from ui.data import derived, listing_key
from ui.portfolio_tables import actor_names, actor_options, site_names
from ui.saving import saved
from ui.shared_frames import shared_view
from ui.sidebar import basemap_choice, sidebar_filter
from ui.text import escape_markdown
from ui.widget_texts import table_upload

_LAYER_LABELS = {
    "buffers": "pf_layer_buffers",
    "flows": "pf_layer_flows",
    "parks": "layer_parks",
    "sources": "layer_sources",
    "members": "layer_members",
    "measures": "pf_layer_measures",
}
_FLASH = "pf_flash"


@dataclass(frozen=True)
class PortfolioControls:
    site_ids: tuple[str, ...]
    radius_m: float
    resources: tuple[str, ...]
    statuses: tuple[str, ...]
    visible: frozenset[str]
    basemap: str


@dataclass(frozen=True, eq=False)
class PortfolioFlows:
    flows: AllFlows  # the table analysis takes (bundled + stored)
    lines: gpd.GeoDataFrame  # the same flows as lines to draw (loaders.bundled.flows.flow_lines)
    store: LayerStore | None  # None when the store cannot be reached
    key: tuple = ()  # what they were read from (the store's listing), for results kept by ui.data.derived
    heads: dict | None = None  # each line's arrowhead by flow id (maps.portfolio.flow_heads)


def portfolio_controls(portfolio: Portfolio, lang: str) -> PortfolioControls:
    names = site_names(portfolio)
    state = st.session_state
    # Seed once (not via `default=`), so a kept value is never overridden; drop ids the data lost.
    if "pf_sites" not in state:
        state["pf_sites"] = [s for s in config.PORTFOLIO_DEFAULT_SITES if s in names]
    state["pf_sites"] = [s for s in state["pf_sites"] if s in names][: config.COMPARE_MAX_SITES]
    low, high = config.NEIGHBOURHOOD_RADIUS_MIN_M // 1000, config.NEIGHBOURHOOD_RADIUS_MAX_M // 1000
    if "pf_radius_km" not in state:
        state["pf_radius_km"] = config.NEIGHBOURHOOD_RADIUS_DEFAULT_M // 1000

    sidebar = st.sidebar
    sidebar.subheader(t("pf_page_title", lang))
    sites = sidebar.multiselect(
        t("pf_sites", lang),
        sorted(names, key=lambda i: names[i].casefold()),
        format_func=names.__getitem__,
        max_selections=config.COMPARE_MAX_SITES,
        placeholder=t("pf_sites_placeholder", lang),
        help=t("pf_sites_help", lang, n=config.COMPARE_MAX_SITES),
        key="pf_sites",
    )
    radius_km = sidebar.slider(t("pf_radius_km", lang), int(low), int(high), step=1, key="pf_radius_km")

    sidebar.subheader(t("pf_flow_filters", lang))
    resources = sidebar_filter(t("pf_resource", lang), FLOW_RESOURCES, "pf_resources", lang, _resource_text(lang))
    statuses = sidebar_filter(t("pf_flow_status", lang), FLOW_STATUSES, "pf_statuses", lang, _status_text(lang))

    sidebar.subheader(t("layers", lang))
    for layer in LAYERS:
        state.setdefault(f"pf_show_{layer}", True)
    visible = frozenset(
        layer for layer in LAYERS if sidebar.checkbox(t(_LAYER_LABELS[layer], lang), key=f"pf_show_{layer}")
    )
    return PortfolioControls(
        site_ids=tuple(sites),
        radius_m=float(radius_km) * 1000,
        resources=tuple(resources),
        statuses=tuple(statuses),
        visible=visible,
        basemap=basemap_choice(lang),
    )


@st.cache_resource(show_spinner=False)
def _bundled_flows(path: str) -> pd.DataFrame:
    return load_flows(path)


def flow_store(lang: str) -> tuple[LayerStore | None, list[LayerInfo]]:
    """The layer store and its listing, read once per run; None and one message when it cannot be reached."""
    try:
        store = acting_store(open_store())
        return store, store.list()
    except (StoreError, OSError) as exc:
        st.warning(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
        return None, []


def portfolio_flows(
    portfolio: Portfolio, store: LayerStore | None, layers: list[LayerInfo], lang: str
) -> PortfolioFlows:
    """Bundled plus stored flows; without a store, the bundled ones."""
    try:
        bundled = shared_view(_bundled_flows(str(config.GEODATA_DIR / "flows.csv")))  # cached: a view per session
        flows = all_flows(store, portfolio, bundled, layers)
        key = (store is not None, listing_key(layers))  # the bundled flows plus what the listing says is stored
        lines, heads = derived(drawn_flows, flows.flows, portfolio, key=key)
    except LayerError as exc:
        st.error(escape_markdown(t("data_error", lang, error=error_text(exc, lang))))
        st.stop()
    except StoreError as exc:  # the store went away between listing and reading
        st.warning(escape_markdown(t("pf_store_unreachable", lang, error=error_text(exc, lang))))
        return portfolio_flows(portfolio, None, [], lang)
    for title, error in flows.problems:
        st.warning(escape_markdown(t("pf_store_problem", lang, title=title, error=error_text(error, lang))))
    return PortfolioFlows(flows, lines, store, key, heads)


def drawn_flows(flows: pd.DataFrame, portfolio: Portfolio) -> tuple[gpd.GeoDataFrame, dict]:
    """The flows as lines (loaders.bundled.flows.flow_lines) and their arrowheads by id (maps.portfolio.flow_heads)."""
    lines = flow_lines(flows, portfolio)
    return lines, flow_heads(lines)


def neighbourhood_content(
    hoods: Sequence[Neighbourhood], portfolio: Portfolio, flows: PortfolioFlows, controls: PortfolioControls, lang: str
) -> MapContent:
    """What a portfolio map of `hoods` shows, with the flows the sidebar's filters leave; worked out once per data,
    store listing, neighbourhoods (a site or a clicked point, and a radius), filters and language (the point's name)
    for every session (ui.data.derived)."""
    shown = filter_flows(flows.lines, controls.resources, controls.statuses)
    key = (flows.key, tuple((h.site_id, h.radius_m) for h in hoods), controls.resources, controls.statuses, lang)
    return derived(map_content, tuple(hoods), portfolio, shown, key=key)


def show_table(frame: pd.DataFrame, lang: str, all_rows: bool = False) -> None:
    """A sortable table: numbers stay numbers (so a column sorts by value) but read in the page's
    language (12 466; 1,5), and a missing number reads "ingen tall" / "no figure"."""
    styled = frame.style
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            decimals = 0 if (values.dropna() % 1 == 0).all() else 1
            styled = styled.format(lambda v, d=decimals: fmt_number(v, lang, d), subset=[column])
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        height="content" if all_rows else "auto",
        placeholder=t("no_figure", lang),  # Streamlit draws missing cells itself ("None" unless told)
    )


def table_box(title: str, caption: str, table: pd.DataFrame, empty: str, lang: str, **params) -> None:
    """A bordered box of a site's tab: its title, what it lists, and the table (or what to say when it is empty);
    the texts are message codes, `params` fill the caption's."""
    with st.container(border=True):
        st.markdown(f"#### {t(title, lang)}")
        st.caption(t(caption, lang, **params))
        if table.empty:
            st.info(t(empty, lang))
        else:
            show_table(table, lang)


def flow_editor(portfolio: Portfolio, flows: PortfolioFlows, lang: str) -> None:
    """The editors' form for one flow and the CSV/GeoJSON upload; both save through the layer store."""
    flash = st.session_state.pop(_FLASH, None)
    with st.expander(t("pf_editor_title", lang), expanded=flash is not None):
        if flash:
            st.success(escape_markdown(flash))
        st.caption(t("pf_editor_intro", lang))
        if flows.store is None:
            st.info(t("pf_store_unreachable", lang, error="–"))
            return
        if not editor_access(lang, flows.store):  # viewers only read
            return
        taken = set(flows.flows.flows["id"])
        _flow_form(portfolio, flows.store, taken, lang)
        st.divider()
        _flow_upload(portfolio, flows.store, taken, lang)


def _flow_form(portfolio: Portfolio, store: LayerStore, taken: set[str], lang: str) -> None:
    actors = actor_options(portfolio, lang)
    with st.form("pf_flow_form"):
        left, right = st.columns(2)
        pick = {"format_func": actors.__getitem__, "index": None, "placeholder": t("pf_form_pick", lang)}
        from_id = left.selectbox(t("pf_form_from", lang), list(actors), key="pf_form_from", **pick)
        to_id = right.selectbox(t("pf_form_to", lang), list(actors), key="pf_form_to", **pick)
        resource, status = (
            where.selectbox(label, codes, format_func=texts, key=key, placeholder=t("choose_placeholder", lang))
            for where, label, codes, texts, key in (
                (left, t("pf_resource", lang), FLOW_RESOURCES, _resource_text(lang), "pf_form_res"),
                (right, t("pf_flow_status", lang), FLOW_STATUSES, _status_text(lang), "pf_form_status"),
            )
        )
        url = left.text_input(t("pf_form_url", lang), placeholder="https://", key="pf_form_url")
        year = right.text_input(t("pf_form_year", lang), key="pf_form_year")
        quote = st.text_area(t("pf_form_quote", lang), key="pf_form_quote")
        note = st.text_area(t("pf_form_note", lang), key="pf_form_note")
        submitted = st.form_submit_button(t("pf_form_submit", lang), key="pf_form_submit")
    if not submitted:
        return
    if from_id is None or to_id is None:
        st.error(t("pf_form_need_actors", lang))
        return
    record = {
        "id": new_flow_id(from_id, to_id, resource, taken),
        "from_id": from_id,
        "to_id": to_id,
        "resource": resource,
        "status": status,
        "source_url": url,
        "source_year": year,
        "quote": quote,
        "note": note,
    }
    names = actor_names(portfolio)
    title = f"{TITLE_PREFIX}: {names[from_id]} → {names[to_id]} ({resource})"
    _save(store, [record], portfolio, title, taken, "", lang)


def _resource_text(lang: str) -> Callable[[str], str]:
    """A flow's resource as the filter and the form show it."""
    return lambda resource: t(f"resource_{resource}", lang)


def _status_text(lang: str) -> Callable[[str], str]:
    """A flow's status as the filter and the form show it."""
    return lambda status: t(f"flow_status_{status}", lang)


def _flow_upload(portfolio: Portfolio, store: LayerStore, taken: set[str], lang: str) -> None:
    upload = table_upload(t("pf_upload", lang), "pf_upload_n", lang)  # emptied after each save
    if upload is None:
        return
    data = upload.getvalue()
    try:
        parsed = parse_flows_csv(data) if upload.name.lower().endswith(".csv") else parse_flows_geojson(data)
        flow_lines(parsed, portfolio)  # every referenced id exists
    except LayerError as exc:
        st.error(escape_markdown(t("pf_upload_invalid", lang, error=error_text(exc, lang))))
        return
    st.caption(t("pf_upload_ready", lang, n=len(parsed)))
    if st.button(t("pf_upload_save", lang), key="pf_upload_save"):
        title = f"{TITLE_PREFIX}: {upload.name}"
        _save(store, parsed, portfolio, title, taken, upload.name, lang)


def _save(
    store: LayerStore,
    flows: pd.DataFrame | list[dict],
    portfolio: Portfolio,
    title: str,
    taken: set[str],
    filename: str,
    lang: str,
) -> None:

    def save() -> LayerInfo:
        table = flows_from_records(flows) if isinstance(flows, list) else flows
        return save_flows(store, table, portfolio, title, taken, original_filename=filename)

    info = saved(save, "pf_invalid", lang)
    if info is None:
        return
    st.session_state[_FLASH] = t("pf_saved", lang, title=info.title)
    st.session_state["pf_upload_n"] = st.session_state.get("pf_upload_n", 0) + 1
    st.rerun()


# --- a clicked point as the centre of a neighbourhood ------------------------------------

POINT_KEY = "pf_point"  # "lat,lon" (5 decimals) of the centre the user clicked; kept in the link as `pt`
_SEEN_CLICK = "_pf_seen_click"


def read_point_click(map_key: str) -> None:
    """A new click on the portfolio map (st_folium's returned state, read before the page is drawn) becomes the
    point centre; the same click seen again on a later run does not bring back a point the user removed."""
    state = st.session_state
    clicked = (state.get(map_key) or {}).get("last_clicked") if isinstance(state.get(map_key), dict) else None
    if not isinstance(clicked, dict) or clicked == state.get(_SEEN_CLICK):
        return
    state[_SEEN_CLICK] = clicked
    point = parse_point(f"{clicked.get('lat')},{clicked.get('lng')}")
    if point is not None:
        state[POINT_KEY] = point_text(point)


def parse_point(value: object) -> tuple[float, float] | None:
    """(lat, lon) from "lat,lon" when both are finite and inside config.LINK_BOUNDS, else None (text from a link
    is data)."""
    try:
        lat, lon = (float(part) for part in str(value).split(","))
    except ValueError:
        return None
    west, south, east, north = config.LINK_BOUNDS
    if not (math.isfinite(lat) and math.isfinite(lon) and south <= lat <= north and west <= lon <= east):
        return None
    return lat, lon


def point_text(point: tuple[float, float]) -> str:
    return f"{point[0]:.5f},{point[1]:.5f}"


def point_centre(portfolio: Portfolio, radius_m: float, lang: str):
    """The neighbourhood around the clicked point (None without one), with the sidebar's hint and remove button."""
    sidebar = st.sidebar
    point = parse_point(st.session_state.get(POINT_KEY))
    sidebar.caption(t("pf_point_hint", lang))
    typed_point_field(lang)
    if point is None:
        return None
    sidebar.button(t("pf_point_clear", lang), key="pf_point_clear", on_click=st.session_state.pop, args=(POINT_KEY,))
    lat, lon = point
    name = t("pf_point_name", lang, lat=fmt_number(lat, lang, 4), lon=fmt_number(lon, lang, 4))
    return neighbourhood_around(point_site(lat, lon, name, _municipalities()), portfolio, radius_m)


_TYPED = "pf_point_typed"  # the point as typed (the keyboard's way to what a click on the map does)
_TYPO = "_pf_point_typo"  # text typed that is not a point: kept in the field, with the message, for one run


def typed_point_field(lang: str) -> None:
    """The centre point as text, "lat, lon": showing the clicked point, and taking a typed one instead."""
    state = st.session_state
    typo = state.pop(_TYPO, None)
    if typo is None:
        state[_TYPED] = (state.get(POINT_KEY) or "").replace(",", ", ")
    label = t("pf_point_field", lang)
    st.sidebar.text_input(
        label, key=_TYPED, placeholder="63.31, 9.85", help=t("pf_point_field_help", lang), on_change=_take_typed_point
    )
    if typo is not None:
        st.sidebar.error(t("pf_point_field_invalid", lang, field=label))


def _take_typed_point() -> None:
    state = st.session_state
    text = str(state.get(_TYPED) or "").strip()
    if not text:
        state.pop(POINT_KEY, None)
        return
    point = parse_point(text.replace(" ", ""))
    if point is None:
        state[_TYPO] = text
    else:
        state[POINT_KEY] = point_text(point)


@st.cache_resource(show_spinner=False)
def _municipalities() -> gpd.GeoDataFrame:
    return load_boundaries(config.BUNDLED_KOMMUNER)


def portfolio_map(m, groups: list, key: str, center: tuple[float, float], zoom: float) -> None:
    """The neighbourhood map: a click on the map comes back (read by `read_point_click` on the next run), panning
    and zooming do not."""
    require_installed()
    st_folium(
        m,
        key=key,
        feature_group_to_add=groups,
        center=center,
        zoom=zoom,
        # a click; and the WMS layers on, which no control here changes: its first report (an empty list, not the
        # default None) says the map is drawn, which the page's first run waits for (ui/map_first.py)
        returned_objects=["last_clicked", "selected_layers"],
        use_container_width=True,
        height=config.MAP_HEIGHT,
    )
    map_first.sent(key)
