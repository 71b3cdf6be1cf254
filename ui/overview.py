"""The overview map page's parts: what it draws, the key-figure row, where the map goes, what was clicked."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import config
from analysis.filters import Filters, View
from analysis.in_view import MapFeature, features_in_view
from analysis.kpi import KeyFigures, key_scoped_view
from analysis.search import MUNICIPALITIES, search
from core.portfolio import Portfolio
from i18n import fmt_number, fmt_tonnes, key_figure_label, key_figure_source, search_hit_text, t
from maps.build import PointFeatures, point_features
from maps.labels import key_point_labels
from maps.legend import LegendContent, legend_content
from maps.styles import cluster_colours
from ui import map_focus
from ui.map_view import MapState, Selection, selection_from
from ui.state import arrived
from ui.style import style_sheet
from ui.text import escape_markdown
from ui.uploaded_layers import ZOOM_REQUEST

# Our own constant CSS (no user text): Kart's header (title, subtitle, key figures) kept to a few lines, so the
# map's top is on the first screen of a 1366×768 laptop. Only inside the header's own container.
_COMPACT_HEADER_CSS = """
<style>
[data-testid="stMainBlockContainer"]:has(.st-key-ik_kart_header) {padding-top: 2.6rem !important;}
.st-key-ik_kart_header {flex-direction: row !important; flex-wrap: wrap; align-items: baseline;
  gap: 0.1rem 1rem !important;}
.st-key-ik_kart_header > [data-testid="stElementContainer"] {width: auto !important;}
.st-key-ik_kart_header > [data-testid="stLayoutWrapper"] {width: 100% !important;}
.st-key-ik_kart_header h1 {font-size: 1.45rem !important; padding: 0 !important; margin: 0 !important;
  line-height: 1.3 !important;}
.st-key-ik_kart_header [data-testid="stHorizontalBlock"] {gap: 1rem !important; align-items: baseline;}
.st-key-ik_kart_header [data-testid="stColumn"] [data-testid="stVerticalBlock"] {flex-direction: row !important;
  flex-wrap: wrap; align-items: baseline; gap: 0 0.6rem !important;}
.st-key-ik_kart_header [data-testid="stColumn"] [data-testid="stElementContainer"] {width: auto !important;}
.st-key-ik_kart_header [data-testid="stMetric"] > div {display: flex; align-items: baseline; gap: 0.45rem;}
.st-key-ik_kart_header [data-testid="stMetricLabel"] {min-height: 0 !important;}
.st-key-ik_kart_header [data-testid="stMetricValue"] {font-size: 1.25rem !important; line-height: 1.3 !important;}
</style>
"""


@dataclass(frozen=True)
class OverviewContent:
    view: View  # the filtered layers, each source with its figure in the key figure's scope and year
    kpi: KeyFigures
    labels: list[tuple[float, float, str]]  # names of the key points (maps.labels)
    on_map: list[MapFeature]  # the map in words: its description, its list
    legend: LegendContent  # what the legend lists
    colours: dict[str, str]  # each cluster's colour (maps.styles.cluster_colours, over every member)
    points: PointFeatures  # the points as the map draws them, brief popups in the key figure's scope and year


def overview_content(portfolio: Portfolio, filters: Filters, visible: frozenset[str], lang: str) -> OverviewContent:
    """What Kart draws for these filters and layers: circles, names, legend and exports in the key figure's one
    scope and year. Pure: Kart works it out once per data revision, filters, layers and language for every session
    (ui.data.derived)."""
    view, kpi = key_scoped_view(portfolio, filters)
    labels = key_point_labels(view, visible, kpi)
    scope = key_figure_label(kpi, lang) if kpi.scope else ""
    legend = legend_content(view, visible, area=bool(filters.kommunenummer), labels=bool(labels), scope=scope)
    colours = cluster_colours(list(portfolio.members["cluster"].unique()))
    points = point_features(view, visible, colours, lang, kpi)
    return OverviewContent(view, kpi, labels, features_in_view(view, visible), legend, colours, points)


def compact_header():
    """The container Kart's heading and key figures go in, styled compact (not on a slide: presentation mode has
    its own large type)."""
    style_sheet(_COMPACT_HEADER_CSS)
    return st.container(key="ik_kart_header")


def key_figure_row(kpi: KeyFigures, lang: str) -> None:
    """The counts and the one-scope, one-year sum above the map (analysis.kpi.key_figures: one rule; its scope and
    year are the map's popups' and the record panel's too)."""
    columns = st.columns([1, 1, 1, 2.6])
    columns[0].metric(t("kpi_parks", lang), fmt_number(kpi.parks, lang))
    columns[1].metric(t("kpi_sources", lang), fmt_number(kpi.sources, lang))
    columns[2].metric(t("kpi_members", lang), fmt_number(kpi.members, lang))
    columns[3].metric(
        kpi_total_label(kpi, lang),
        fmt_tonnes(kpi.total_t, lang),
        help=t("kpi_one_scope_help", lang),
    )
    if kpi.total_t is not None:
        source = key_figure_source(kpi, lang)
        columns[3].caption(" · ".join(p for p in (t("kpi_facilities", lang, n=kpi.facilities), source) if p))


def kpi_total_label(kpi, lang: str) -> str:
    """ "Fossilt CO₂ 2017" for the one scope and year summed; the plain label when nothing is."""
    return key_figure_label(kpi, lang)


def map_target(
    data: Portfolio, query: str, lang: str, present: bool, municipalities: tuple[str, ...] = (), map_key: str = ""
) -> tuple:
    """(center, zoom, selection) for this run.

    The map is told where to go by a `Command` (ui/map_focus.py: which view wins), repeated unchanged on every
    rerun so the map moves only when it changes (passing back the view the map reports would make the two
    chase each other). `map_key`: the st_folium key, whose new click is read before the map is drawn (so the
    highlight shows the feature just clicked).
    """
    state = st.session_state
    match = _search_match(data, query, lang, present)
    match_key = (match.layer, match.id) if match else None
    match_view = _match_view(match)
    found = Selection(match.layer, match.ids) if match and match.layer != MUNICIPALITIES else None
    selected = _new_click(state.get(map_key) if map_key else None) or state.get("selected")
    area = tuple(municipalities)
    # drawn afresh: presentation mode flipped, or back from another page (the map was unmounted meanwhile)
    opened = arrived()  # read on every run: it is once per arrival
    redrawn = state.get("_map_present", present) != present or opened
    area_changed = state.get("_map_area", area) != area
    state["_map_present"], state["_map_area"] = present, area
    if "map_command" not in state:  # the first run: the link's view wins over its search and selection
        if found and selected is None:
            selected = found
        state["_shown_match"] = match_key
        area_target = map_focus.area_view(area, map_focus.bundled_boxes()) if area else None
        command = map_focus.first_command(state.get("view"), match_view, selection_view(data, selected), area_target)
    else:
        new_match = match_key is not None and state.get("_shown_match") != match_key
        state["_shown_match"] = match_key
        if new_match and found:
            selected = found
        elif new_match and match.layer == MUNICIPALITIES:
            selected = None  # the map leaves the old selection: neither the record nor a link may keep it
        command = map_focus.next_command(
            state["map_command"],
            state.get("view"),
            match_view=match_view if new_match else None,
            area_changed=area_changed,
            area_view=map_focus.area_view(area, map_focus.bundled_boxes()) if area_changed else None,
            redrawn=redrawn,
        )
    if (asked := state.pop(ZOOM_REQUEST, None)) is not None:  # "zoom to layer" in the sidebar's layer list
        command = map_focus.goto(asked, command)
    state["map_command"] = command
    return command.center, command.zoom_to_send(), selected


def _search_match(data: Portfolio, query: str, lang: str, present: bool):
    """The search's match (the user's pick among several), or None; says so when nothing matches."""
    if not query:
        return None
    matches = search(data, query)
    if not matches:
        st.info(t("search_none", lang, q=escape_markdown(query)))
        return None
    match = matches[0]
    if len(matches) > 1 and not present:
        match = st.selectbox(
            t("search_pick", lang),
            matches,
            format_func=lambda m: search_hit_text(m, lang),
            key="search_match",
            placeholder=t("choose_placeholder", lang),
        )
    if (
        match.layer == MUNICIPALITIES
        and not present
        and list(st.session_state.get("f_municipalities") or []) != [match.id]
    ):
        st.button(
            t("search_filter_municipality", lang, name=escape_markdown(match.label)),
            on_click=_filter_to_municipality,
            args=(match.id,),
            key="search_filter_municipality",
        )
    return match


def _filter_to_municipality(number: str) -> None:
    """The municipality filter set to a searched municipality (a callback: it runs before the sidebar is drawn)."""
    st.session_state["f_municipalities"] = [number]


def _match_view(match) -> tuple[float, float, int] | None:
    """Where a search hit takes the map: a municipality's outline fitted (None without one), else its feature."""
    if match is None:
        return None
    if match.layer == MUNICIPALITIES:
        return map_focus.area_view((match.id,), map_focus.bundled_boxes())
    return match.lat, match.lon, config.SEARCH_ZOOM


def selection_view(data: Portfolio, selected: Selection | None) -> tuple[float, float, int] | None:
    """The view centred on a selected portfolio feature (None for another layer's or an unknown one)."""
    point = selection_point(data, selected)
    return None if point is None else (*point, config.SEARCH_ZOOM)


def selection_point(data: Portfolio, selected: Selection | None) -> tuple[float, float] | None:
    """(lat, lon) of a selected portfolio feature (None for another layer's or an unknown one)."""
    geometries = selected_geometries(data, selected)
    if not geometries:
        return None
    point = geometries[0].representative_point()
    return round(point.y, 5), round(point.x, 5)


def selected_geometries(data, selected: Selection | None, visible=None) -> list:
    """The geometries of the selected portfolio features in `data` (a Portfolio or a filtered View), for the
    highlight; none for a hidden layer (`visible`) or a big uploaded layer's feature."""
    if selected is None or selected.layer not in ("parks", "sources", "members"):
        return []
    if visible is not None and selected.layer not in visible:
        return []
    frame = getattr(data, selected.layer)
    rows = frame[frame["id"].isin(selected.ids)]
    geometries = [g for g in rows.geometry if g is not None and not g.is_empty]
    return geometries[:1] if selected.layer == "members" else geometries  # members of one place share a point


def _new_click(returned: dict | None) -> Selection | None:
    """A feature clicked since the last run (st_folium's returned state), else None.

    The click is kept as the selection at once, with the note that it was seen: a run stopped by the next rerun
    (the popup's auto-pan reports a new view at once) must not leave it seen but not selected."""
    clicked = selection_from(returned)
    if clicked is None or clicked == st.session_state.get("_last_click"):
        return None
    st.session_state["_last_click"] = clicked
    st.session_state["selected"] = clicked
    return clicked


def remember(shown: MapState, selected: Selection | None) -> Selection | None:
    """Keep the view for the link, and let a new click on the map replace the selection."""
    state = st.session_state
    if shown.view is not None and map_focus.keeps_report(shown.view, state.get("map_command")):
        state["view"] = shown.view
    if shown.selection is not None and shown.selection != state.get("_last_click"):
        state["_last_click"] = shown.selection
        selected = shown.selection
    state["selected"] = selected
    return selected
