"""One folium GeoJson layer per layer kind, drawn on the canvas renderer.

Each feature carries only what the browser needs: an id, escaped tooltip and popup HTML,
and its style (read by folium from `properties.style`, so no per-feature JS is generated).
"""

from __future__ import annotations

import math

import folium
import geopandas as gpd
from shapely.geometry import mapping

import config
from i18n import t
from maps import popups


def basemap_group(key: str, lang: str) -> folium.FeatureGroup:
    """The background tiles as a group, so switching basemap does not remount the map."""
    basemap = config.BASEMAPS[key]
    group = folium.FeatureGroup(name=t(f"basemap_{key}", lang), overlay=False, control=False)
    if basemap.url:
        folium.TileLayer(tiles=basemap.url, attr=basemap.attribution, max_zoom=basemap.max_zoom, name=key).add_to(group)
    return group


def parks_group(parks: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    features = []
    for row in _records(parks):
        status = row["status"] if isinstance(row["status"], str) else None
        colour = config.PARK_STATUS_COLOURS[status]
        style = {
            "fill": True,
            "color": colour,
            "fillColor": colour,
            "fillOpacity": 0.55,
            "weight": 2,
            "radius": config.PARK_RADIUS,
        }
        features.append(
            _feature(
                row, "parks", [row["id"]], popups.esc(row["name"]), popups.park_popup(row, lang), _dashed(row, style)
            )
        )
    return _group(features, t("layer_parks", lang), "parks")


def source_radius(tonnes: float | None) -> float:
    """Circle radius in pixels with area proportional to tonnes."""
    if tonnes is None or (isinstance(tonnes, float) and math.isnan(tonnes)):
        return config.SOURCE_NO_FIGURE_RADIUS
    return max(config.SOURCE_MIN_RADIUS, math.sqrt(tonnes / config.SOURCE_T_PER_PX2 / math.pi))


def sources_group(sources: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    features = []
    for row in _records(sources):
        has_figure = not popups._is_na(row.get("figure_t"))
        style = {
            "fill": True,
            "color": config.SOURCE_COLOUR,
            "fillColor": config.SOURCE_COLOUR,
            "fillOpacity": 0.45 if has_figure else 0.0,
            "weight": 1.5 if has_figure else 2.5,
            "radius": source_radius(row["figure_t"] if has_figure else None),
        }
        features.append(
            _feature(
                row,
                "sources",
                [row["id"]],
                popups.esc(row["facility"]),
                popups.source_popup(row, lang),
                _dashed(row, style),
            )
        )
    # Largest circles first, so small ones stay clickable on top.
    features.sort(key=lambda f: -f["properties"]["style"]["radius"])
    return _group(features, t("layer_sources", lang), "sources")


def cluster_colours(clusters: list[str]) -> dict[str, str]:
    """A stable colour per cluster (from the full list, so filtering does not recolour)."""
    palette = config.CLUSTER_COLOURS
    return {name: palette[i % len(palette)] for i, name in enumerate(sorted(clusters))}


MIXED_CLUSTER_COLOUR = "#333333"


def members_group(members: gpd.GeoDataFrame, colours: dict[str, str], lang: str) -> folium.FeatureGroup:
    """One marker per point, listing every membership there (many sit at a municipal centre)."""
    by_point: dict[tuple[float, float], list[dict]] = {}
    for row in _records(members):
        by_point.setdefault((row["geometry"].x, row["geometry"].y), []).append(row)
    features = []
    for rows in by_point.values():
        clusters = {r["cluster"] for r in rows}
        colour = colours.get(next(iter(clusters)), MIXED_CLUSTER_COLOUR) if len(clusters) == 1 else MIXED_CLUSTER_COLOUR
        style = {
            "fill": True,
            "color": "#ffffff",
            "fillColor": colour,
            "fillOpacity": 0.9,
            "weight": 1.5,
            "radius": config.MEMBER_RADIUS + 1.5 * math.sqrt(len(rows) - 1),
        }
        features.append(
            _feature(
                rows[0],
                "members",
                [r["id"] for r in rows],
                popups.members_tooltip(rows, lang),
                popups.members_popup(rows, lang),
                _dashed(rows[0], style),
            )
        )
    return _group(features, t("layer_members", lang), "members")


def _records(frame: gpd.GeoDataFrame) -> list[dict]:
    return frame.to_dict("records")


def _dashed(row: dict, style: dict) -> dict:
    """Features placed at a municipal centre get a dashed outline: their position is approximate."""
    if row.get("location_precision") == "municipality":
        return {**style, "dashArray": "3 3"}
    return style


def _feature(row: dict, layer: str, ids: list[str], tooltip: str, popup: str, style: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": mapping(row["geometry"]),
        "properties": {"layer": layer, "ids": ids, "tooltip": tooltip, "popup": popup, "style": style},
    }


def _group(features: list[dict], name: str, layer: str) -> folium.FeatureGroup:
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


STORED_DEFAULT_COLOUR = "#555555"


def stored_layer_group(title: str, frame: gpd.GeoDataFrame, style: dict, lang: str) -> folium.FeatureGroup:
    """An uploaded layer of its own kind ("other", "boundaries"), drawn with the style its uploader chose."""
    colour = style.get("colour") or STORED_DEFAULT_COLOUR
    fill = style.get("fill", True)
    label_field = style.get("label_field")
    popup_fields = [f for f in style.get("popup_fields") or [] if f in frame.columns]
    features = []
    for i, row in enumerate(_records(frame)):
        if row.get("geometry") is None or row["geometry"].is_empty:
            continue
        label = row.get(label_field) if label_field else None
        tooltip = popups.esc(label if not popups._is_na(label) else title)
        pairs = [(name, popups.esc(row.get(name))) for name in popup_fields]
        popup = f"<b>{popups.esc(title)}</b>" + popups._rows(pairs) if pairs else f"<b>{tooltip}</b>"
        line = row["geometry"].geom_type in ("LineString", "MultiLineString")
        style_props = {
            "color": colour,
            "weight": 2,
            "fill": bool(fill) and not line,
            "fillColor": colour,
            "fillOpacity": 0.25 if row["geometry"].geom_type.endswith("Polygon") else 0.8,
            "radius": config.MEMBER_RADIUS,
        }
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(row["geometry"]),
                "properties": {
                    "layer": "stored",
                    "ids": [str(i)],
                    "tooltip": tooltip,
                    "popup": popup,
                    "style": style_props,
                },
            }
        )
    return _group(features, title, "stored")
