"""The bridge to streamlit-folium: one stable map, layers swapped in place, clicks read back."""

from __future__ import annotations

from dataclasses import dataclass

import folium
from streamlit_folium import st_folium

import config
from analysis.in_view import Bounds, bounds_from
from maps.pmtiles_layer import STORED_LAYER
from maps.single_pass import require_installed
from ui import map_first


@dataclass(frozen=True)
class Selection:
    layer: str
    ids: tuple[str, ...]  # for STORED_LAYER: (layer id, row position in the stored frame)


@dataclass(frozen=True)
class MapState:
    selection: Selection | None
    view: tuple[float, float, int] | None  # lat, lon, zoom the user is looking at
    bounds: Bounds | None = None  # what the map shows (None until it has said)


def show_map(
    m: folium.Map,
    groups: list[folium.FeatureGroup],
    key: str,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    height: int = config.MAP_HEIGHT,
    clickable: bool = True,
) -> MapState:
    """Draw `m` with `groups`; return the feature last clicked, the view (for the link) and its bounds.

    Only the clicked feature, centre, zoom and bounds come back (not hover), and the groups go
    through `feature_group_to_add`, so a filter change swaps layers without remounting the map.
    With `clickable=False` nothing comes back: no interaction with the map reruns the script.
    """
    require_installed()
    state = st_folium(
        m,
        key=key,
        feature_group_to_add=groups,
        center=center,
        zoom=zoom,
        returned_objects=RETURNED if clickable else [],
        use_container_width=True,
        height=height,
    )
    map_first.sent(key)
    return MapState(selection_from(state), view_from(state), bounds_from((state or {}).get("bounds")))


# The bounds change with the centre or the zoom (one report, one rerun), or when the frame is resized.
RETURNED = ["last_active_drawing", "center", "zoom", "bounds"]


def view_from(state: dict | None) -> tuple[float, float, int] | None:
    """(lat, lon, zoom) from st_folium's returned state, rounded for the link."""
    state = state or {}
    center, zoom = state.get("center"), state.get("zoom")
    if not isinstance(center, dict) or not isinstance(zoom, (int, float)):
        return None
    try:
        return round(float(center["lat"]), 5), round(float(center["lng"]), 5), int(zoom)
    except (KeyError, TypeError, ValueError):
        return None


def selection_from(state: dict | None) -> Selection | None:
    """The clicked feature's layer and ids, from st_folium's returned state."""
    drawing = (state or {}).get("last_active_drawing") or {}
    properties = drawing.get("properties") or {}
    layer, ids = properties.get("layer"), properties.get("ids")
    layer_id = properties.get("layer_id")
    if layer == STORED_LAYER and isinstance(layer_id, int) and isinstance(ids, list) and len(ids) == 1:
        return Selection(STORED_LAYER, (str(layer_id), str(ids[0])))  # a big uploaded layer's feature
    if layer not in ("parks", "sources", "members") or not isinstance(ids, list):
        return None
    return Selection(layer, tuple(str(i) for i in ids))


def clicked_point(m: folium.Map, key: str, height: int = 420) -> tuple[float, float] | None:
    """Draw `m` and return (lon, lat) of the user's last click on it (the only thing that comes back)."""
    require_installed()
    state = st_folium(m, key=key, returned_objects=["last_clicked"], use_container_width=True, height=height)
    last = (state or {}).get("last_clicked")
    if not isinstance(last, dict):
        return None
    return round(float(last["lng"]), 6), round(float(last["lat"]), 6)
