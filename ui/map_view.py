"""The bridge to streamlit-folium: one stable map, layers swapped in place, clicks read back."""

from __future__ import annotations

from dataclasses import dataclass

import folium
from streamlit_folium import st_folium

import config


@dataclass(frozen=True)
class Selection:
    layer: str
    ids: tuple[str, ...]


def show_map(
    m: folium.Map,
    groups: list[folium.FeatureGroup],
    key: str,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    height: int = config.MAP_HEIGHT,
    clickable: bool = True,
) -> Selection | None:
    """Draw `m` with `groups` and return the feature last clicked, if any.

    Only `last_active_drawing` is returned, so panning and zooming do not rerun the script;
    the groups go through `feature_group_to_add`, so a filter change does not remount the map.
    With `clickable=False` nothing is returned: no interaction with the map reruns the script.
    """
    state = st_folium(
        m,
        key=key,
        feature_group_to_add=groups,
        center=center,
        zoom=zoom,
        returned_objects=["last_active_drawing"] if clickable else [],
        use_container_width=True,
        height=height,
    )
    return selection_from(state)


def selection_from(state: dict | None) -> Selection | None:
    """The clicked feature's layer and ids, from st_folium's returned state."""
    drawing = (state or {}).get("last_active_drawing") or {}
    properties = drawing.get("properties") or {}
    layer, ids = properties.get("layer"), properties.get("ids")
    if layer not in ("parks", "sources", "members") or not isinstance(ids, list):
        return None
    return Selection(layer, tuple(str(i) for i in ids))
