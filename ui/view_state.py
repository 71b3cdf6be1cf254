"""The view in the URL: query parameters <-> session state, so a link restores what the user saw.

Pure parsing and writing (`Param`, `parse`, `dump`) are kept apart from the Streamlit glue
(`restore`, `publish`) so they can be tested without a running app.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

import config
from analysis.emissions import scopes_with_data
from analysis.filters import filter_options
from core.portfolio import Portfolio
from core.schema import FIGURE_SCOPES, MAP_KINDS, PARK_STATUSES
from i18n import DEFAULT_LANGUAGE, LANGUAGES
from loaders.bundled.flows import FLOW_RESOURCES, FLOW_STATUSES
from loaders.bundled.measures import MEASURE_KINDS, MEASURE_STATUSES
from maps.pmtiles_layer import STORED_LAYER
from maps.portfolio import LAYERS as PORTFOLIO_LAYERS
from ui.emissions_data import EmissionsData
from ui.map_focus import link_view
from ui.map_view import Selection
from ui.overlays import OVERLAYS_ON
from ui.overview import selection_point
from ui.portfolio import POINT_KEY, parse_point, point_text
from ui.portfolio_tables import site_names
from ui.state import LANG_KEY

_RESTORED = "_view_state_restored"
_PROBLEMS = "_view_state_problems"


@dataclass(frozen=True)
class Param:
    """One query parameter: where its value lives in session state and how it is written.

    `read(state)` gives the value (None: leave it out of the URL); `write(state, value)` sets it;
    `parse(values)` turns the parameter's strings into a value or raises ValueError.
    """

    name: str
    read: Callable[[dict], object]
    write: Callable[[dict, object], None]
    parse: Callable[[list[str]], object]
    dump: Callable[[object], list[str]]


def key_param(name: str, key: str, parse: Callable[[list[str]], object], dump=None, default=None) -> Param:
    """A parameter stored under one session-state key; the default value is left out of the URL."""

    def read(state: dict) -> object:
        value = state.get(key, default)
        return None if value == default else value

    def write(state: dict, value: object) -> None:
        state[key] = value

    return Param(name, read, write, parse, dump or (lambda v: [str(v)]))


def choice(options: Iterable[object], encode=str) -> Callable[[list[str]], object]:
    """A parser for one value out of `options` (compared by their encoded text)."""
    by_text = {encode(o): o for o in options}

    def parse(values: list[str]) -> object:
        if len(values) != 1 or values[0] not in by_text:
            raise ValueError(values)
        return by_text[values[0]]

    return parse


def choices(options: Iterable[object], encode=str) -> Callable[[list[str]], list]:
    """A parser for several values out of `options`, kept in the order given."""
    by_text = {encode(o): o for o in options}

    def parse(values: list[str]) -> list:
        if any(v not in by_text for v in values):
            raise ValueError(values)
        return list(dict.fromkeys(by_text[v] for v in values))

    return parse


def number(low: float, high: float, cast=float) -> Callable[[list[str]], float]:
    def parse(values: list[str]) -> float:
        if len(values) != 1:
            raise ValueError(values)
        value = cast(values[0])
        if not low <= value <= high:
            raise ValueError(values)
        return value

    return parse


def flag(values: list[str]) -> bool:
    if values not in (["1"], ["0"]):
        raise ValueError(values)
    return values == ["1"]


def parse(query: dict[str, list[str]], params: list[Param]) -> tuple[dict[str, object], list[str]]:
    """Values for the known parameters, and the names of those that were unknown or malformed."""
    known = {p.name: p for p in params}
    values, problems = {}, []
    for name, raw in query.items():
        param = known.get(name)
        if param is None:
            problems.append(name)
            continue
        try:
            values[name] = param.parse(raw)
        except (ValueError, TypeError):
            problems.append(name)
    return values, problems


def dump(state: dict, params: list[Param]) -> dict[str, list[str]]:
    """The query parameters for the current state (defaults left out)."""
    query = {}
    for param in params:
        value = param.read(state)
        if value is not None and value != [] and value != ():
            query[param.name] = param.dump(value)
    return query


def restore(params: list[Param]) -> list[str]:
    """On a session's first run, set session state from the URL; return the parameters ignored.

    Later runs leave state alone: from then on the widgets own it and `publish` writes the URL.
    """
    if _RESTORED in st.session_state:
        return st.session_state.get(_PROBLEMS, [])
    query = {name: st.query_params.get_all(name) for name in st.query_params}
    values, problems = parse(query, params)
    by_name = {p.name: p for p in params}
    for name, value in values.items():
        by_name[name].write(st.session_state, value)
    st.session_state[_RESTORED] = True
    st.session_state[_PROBLEMS] = problems
    return problems


def publish(params: list[Param]) -> str:
    """Write the current state into the URL (no rerun, no reload); return the query string."""
    query = dump(st.session_state, params)
    current = {name: st.query_params.get_all(name) for name in st.query_params}
    if current != query:
        st.query_params.from_dict(query)
    return urlencode(query, doseq=True)


def share_link(query_string: str) -> str:
    """The full link to this page with `query_string`."""
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{query_string}" if query_string else base


# --- every page's parameters, declared -----------------------------------------------------------------------


def language_params() -> list[Param]:
    """For pages whose only link state is the language."""
    return [key_param("lang", LANG_KEY, choice(LANGUAGES), default=DEFAULT_LANGUAGE)]


def filter_params(portfolio: Portfolio) -> list[Param]:
    """The link parameters of the shared filters (and the language), checked against the data."""
    options = filter_options(portfolio)
    return [
        *language_params(),
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
        layers_param(MAP_KINDS, "show_"),
        key_param("base", "basemap", choice(config.BASEMAPS), default=config.DEFAULT_BASEMAP),
        Param("view", _view_reader(portfolio), _write_view, _parse_view, _dump_view),
        Param("sel", _read_selection, _write_selection, _selection_parser(portfolio), _dump_selection),
        overlays_param(),
        *presentation_params(),
    ]


MAX_OVERLAYS_IN_LINK = 50


def overlays_param() -> Param:
    """?ov=<stored layer id>.<row>, once per map service overlay switched on (ui/overlays.py). Only the form is
    checked here: an overlay the store no longer has is simply not drawn."""

    def parse(values: list[str]) -> list[str]:
        if len(values) > MAX_OVERLAYS_IN_LINK or not all(_overlay_key(v) for v in values):
            raise ValueError(values)
        return list(dict.fromkeys(values))

    return key_param("ov", OVERLAYS_ON, parse, list, default=[])


def _overlay_key(value: str) -> bool:
    return re.fullmatch(r"[0-9]{1,12}\.[0-9]{1,6}", value) is not None


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


def layers_param(layers: Iterable[str], prefix: str) -> Param:
    """The shown layers, each a checkbox under `prefix` + its name (all shown by default): left out of the URL
    when all are shown, "none" when none is."""
    layers = tuple(layers)

    def read(state: dict) -> list[str] | None:
        shown = [layer for layer in layers if state.get(f"{prefix}{layer}", True)]
        return None if len(shown) == len(layers) else shown or ["none"]

    def write(state: dict, shown: list[str]) -> None:
        for layer in layers:
            state[f"{prefix}{layer}"] = layer in shown

    return Param("layers", read, write, choices([*layers, "none"]), list)


def _parse_view(values: list[str]) -> tuple[float, float, int]:
    lat, lon, zoom = values[0].split(",") if len(values) == 1 else ("x", "x", "x")
    lat, lon, zoom = float(lat), float(lon), int(zoom)
    west, south, east, north = config.LINK_BOUNDS
    if not (south <= lat <= north and west <= lon <= east and 3 <= zoom <= config.MAP_MAX_ZOOM):
        raise ValueError(values)
    return lat, lon, zoom


def _dump_view(view: tuple[float, float, int]) -> list[str]:
    lat, lon, zoom = view
    return [f"{lat:.5f},{lon:.5f},{int(zoom)}"]


def _view_reader(portfolio: Portfolio) -> Callable[[dict], tuple[float, float, int] | None]:
    """The link's view: the map's, or centred on the selection where that view would not show it
    (ui/map_focus.link_view: a popup's auto-pan must not take the selected feature out of a shared link)."""

    def read(state: dict) -> tuple[float, float, int] | None:
        return link_view(state.get("view"), selection_point(portfolio, state.get("selected")))

    return read


def _write_view(state: dict, view: tuple[float, float, int]) -> None:
    state["view"] = view


def _read_selection(state: dict) -> Selection | None:
    return state.get("selected")


def _write_selection(state: dict, selection: Selection) -> None:
    state["selected"] = selection


def _dump_selection(selection: Selection) -> list[str]:
    return [f"{selection.layer}:{'|'.join(selection.ids)}"]


def _selection_parser(portfolio: Portfolio):
    def parse(values: list[str]) -> Selection:
        layer, _, ids = values[0].partition(":") if len(values) == 1 else ("", "", "")
        wanted = tuple(ids.split("|"))
        # a big uploaded layer's (layer id, row): digits only, and short enough to be a row of any layer
        if layer == STORED_LAYER and len(wanted) == 2 and all(p.isdigit() and len(p) <= 12 for p in wanted):
            return Selection(layer, wanted)  # a big uploaded layer's feature: (layer id, row); checked when shown
        if layer not in MAP_KINDS:
            raise ValueError(values)
        known = set(getattr(portfolio, layer)["id"])
        if not ids or not set(wanted) <= known:
            raise ValueError(values)
        return Selection(layer, wanted)

    return parse


def emissions_params(data: EmissionsData) -> list[Param]:
    """The emissions page's link: language, scope, year, base year, municipal source, sector and chosen facility."""
    scopes = scopes_with_data(data.figures, data.municipal) or list(FIGURE_SCOPES)
    return [
        *language_params(),
        key_param("scope", "em_scope", choice(scopes)),
        key_param("year", "em_year", number(1990, 2100, int)),
        key_param("base", "em_base_year", number(1990, 2100, int)),
        key_param("src", "em_municipal_source", choice(("statistics", "facilities")), default="statistics"),
        key_param("sector", "em_sector", _text(200), default=""),
        key_param("sel", "em_selected", choice(list(data.sources["id"]))),
        *presentation_params(),
    ]


def portfolio_params(portfolio: Portfolio) -> list[Param]:
    """The portfolio page's link: language, sites, radius, flow and measure filters, layers and basemap."""

    low, high = config.NEIGHBOURHOOD_RADIUS_MIN_M // 1000, config.NEIGHBOURHOOD_RADIUS_MAX_M // 1000

    def sites(values: list[str]) -> list[str]:
        chosen = choices(site_names(portfolio))(values)
        if len(chosen) > config.COMPARE_MAX_SITES:
            raise ValueError(values)
        return chosen

    return [
        *language_params(),
        key_param("sites", "pf_sites", sites, list),
        key_param("r", "pf_radius_km", number(low, high, int), default=config.NEIGHBOURHOOD_RADIUS_DEFAULT_M // 1000),
        key_param("res", "pf_resources", choices(FLOW_RESOURCES), list),
        key_param("fst", "pf_statuses", choices(FLOW_STATUSES), list),
        key_param("mst", "pf_m_statuses", choices(MEASURE_STATUSES), list),
        key_param("mkind", "pf_m_kinds", choices(MEASURE_KINDS), list),
        layers_param(PORTFOLIO_LAYERS, "pf_show_"),
        key_param("base", "basemap", choice(config.BASEMAPS), default=config.DEFAULT_BASEMAP),
        key_param("pt", POINT_KEY, clicked_point),  # the clicked centre
        overlays_param(),
        *presentation_params(),
    ]


def clicked_point(values: list[str]) -> str:
    """ "lat,lon" of a clicked centre, or ValueError (the link shows its notice)."""
    point = parse_point(values[0]) if len(values) == 1 else None
    if point is None:
        raise ValueError(values)
    return point_text(point)
