"""The overview map page's parts: the key-figure row, where the map goes, what was clicked."""

from __future__ import annotations

import streamlit as st

import config
from analysis.filters import View
from analysis.kpi import key_figures
from analysis.search import search
from core.portfolio import Portfolio
from i18n import fmt_number, fmt_tonnes, key_figure_label, key_figure_source, t
from ui import map_focus
from ui.map_view import MapState, Selection, selection_from
from ui.state import arrived
from ui.text import escape_markdown


def key_figure_row(view: View, lang: str) -> None:
    kpi = key_figures(view)
    columns = st.columns(4)
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
    match_view = (match.lat, match.lon, config.SEARCH_ZOOM) if match else None
    selected = _new_click(state.get(map_key) if map_key else None) or state.get("selected")
    area = tuple(municipalities)
    # drawn afresh: presentation mode flipped, or back from another page (the map was unmounted meanwhile)
    opened = arrived()  # read on every run: it is once per arrival
    redrawn = state.get("_map_present", present) != present or opened
    area_changed = state.get("_map_area", area) != area
    state["_map_present"], state["_map_area"] = present, area
    if "map_command" not in state:  # the first run: the link's view wins over its search and selection
        if match and selected is None:
            selected = Selection(match.layer, (match.id,))
        state["_shown_match"] = match_key
        area_target = map_focus.area_view(area, map_focus.bundled_boxes()) if area else None
        command = map_focus.first_command(state.get("view"), match_view, selection_view(data, selected), area_target)
    else:
        new_match = match_key is not None and state.get("_shown_match") != match_key
        state["_shown_match"] = match_key
        if new_match:
            selected = Selection(match.layer, (match.id,))
        command = map_focus.next_command(
            state["map_command"],
            state.get("view"),
            match_view=match_view if new_match else None,
            area_changed=area_changed,
            area_view=map_focus.area_view(area, map_focus.bundled_boxes()) if area_changed else None,
            redrawn=redrawn,
        )
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
    if len(matches) > 1 and not present:
        return st.selectbox(
            t("search_pick", lang),
            matches,
            format_func=lambda m: f"{m.label} · {t('layer_' + m.layer, lang)}",
            key="search_match",
        )
    return matches[0]


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
