"""GeoJSON features as the maps send them, and the one folium layer that draws a list of them.

Each feature carries only what the browser needs: its layer, ids, escaped tooltip and popup HTML, and its
style (read by folium from `properties.style`, so no per-feature JS is generated).
"""

from __future__ import annotations

import folium
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry


def feature(geometry: BaseGeometry, layer: str, ids: list[str], tooltip: str, popup: str, style: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": mapping(geometry),
        "properties": {"layer": layer, "ids": ids, "tooltip": tooltip, "popup": popup, "style": style},
    }


def geojson_group(features: list[dict], name: str) -> folium.FeatureGroup:
    """One canvas-drawn GeoJson layer in a group of its own (so streamlit-folium swaps it in place)."""
    group = folium.FeatureGroup(name=name)
    if not features:  # folium refuses tooltip fields on an empty collection; an empty group draws nothing
        return group
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        marker=folium.CircleMarker(),
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=380),
        highlight_function=None,
    ).add_to(group)
    return group
