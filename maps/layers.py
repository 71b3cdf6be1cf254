"""One folium GeoJson layer per layer kind, drawn on the canvas renderer, styled by `maps.styles`."""

from __future__ import annotations

from collections.abc import Callable

import folium
import geopandas as gpd
import xyzservices

import config
from core.values import is_missing
from i18n import t
from maps import popups
from maps.features import feature, geojson_group
from maps.outlines import OutlinesMode
from maps.styles import member_style, members_by_point, park_style, source_style, stored_style


def basemap_group(key: str, lang: str) -> folium.FeatureGroup:
    """The background tiles as a group, so switching basemap does not remount the map.

    Every map draws the bundled outlines (maps/outlines.py, so a map whose tiles cannot load still shows
    Trøndelag); the offline basemap (config.OFFLINE_BASEMAP) asks for the land tint, "none" for no outlines.
    """
    basemap = config.BASEMAPS[key]
    group = folium.FeatureGroup(name=t(f"basemap_{key}", lang), overlay=False, control=False)
    if basemap.url:
        # as a provider of our own: with a URL folium searched all of xyzservices' ~1000 names for it (2.7 ms a map)
        tiles = xyzservices.TileProvider(
            name=key, url=basemap.url, attribution=basemap.attribution, html_attribution=basemap.attribution
        )
        folium.TileLayer(tiles=tiles, attr=basemap.attribution, max_zoom=basemap.max_zoom, name=key).add_to(group)
    if key == config.OFFLINE_BASEMAP or key == "none":
        OutlinesMode("tint" if key == config.OFFLINE_BASEMAP else "hide").add_to(group)
    return group


def parks_group(parks: gpd.GeoDataFrame, lang: str, brief: bool = False) -> folium.FeatureGroup:
    """`brief`: popups with the name and status only (Kart: the record panel beside the map has the rest)."""
    return geojson_group(park_features(parks, lang, brief), t("layer_parks", lang))


def park_features(parks: gpd.GeoDataFrame, lang: str, brief: bool = False) -> list[dict]:
    def popup(row: dict) -> str:
        return popups.brief_park_popup(row, lang) if brief else popups.park_popup(row, lang)

    return _row_features(parks, "parks", "name", popup, park_style)


def sources_group(sources: gpd.GeoDataFrame, lang: str, kpi=None) -> folium.FeatureGroup:
    """`kpi` (analysis.kpi.KeyFigures): brief popups with the name and the figure in the key figure's scope and
    year (Kart); without it the full record with the latest figure, its scope named."""
    return geojson_group(source_features(sources, lang, kpi), t("layer_sources", lang))


def source_features(sources: gpd.GeoDataFrame, lang: str, kpi=None) -> list[dict]:
    def popup(row: dict) -> str:
        return popups.brief_source_popup(row, kpi, lang) if kpi is not None else popups.source_popup(row, lang)

    features = _row_features(sources, "sources", "facility", popup, source_style)
    # Largest circles first, so small ones stay clickable on top.
    features.sort(key=lambda f: -f["properties"]["style"]["radius"])
    return features


def _row_features(frame: gpd.GeoDataFrame, layer: str, name: str, popup: Callable[[dict], str], style) -> list[dict]:
    """One feature a row of `frame`: its id, its `name` column as the tooltip, `popup(row)` and `style(row)`."""
    return [
        feature(row["geometry"], layer, [row["id"]], popups.esc(row[name]), popup(row), style(row).leaflet())
        for row in frame.to_dict("records")
    ]


def members_group(
    members: gpd.GeoDataFrame, colours: dict[str, str], lang: str, brief: bool = False
) -> folium.FeatureGroup:
    """One marker per point, listing every membership there (many sit at a municipal centre); `brief`: the popup
    gives the count and the first names only."""
    return geojson_group(member_features(members, colours, lang, brief), t("layer_members", lang))


def member_features(members: gpd.GeoDataFrame, colours: dict[str, str], lang: str, brief: bool = False) -> list[dict]:
    return [
        feature(
            rows[0]["geometry"],
            "members",
            [r["id"] for r in rows],
            popups.members_tooltip(rows, lang),
            popups.brief_members_popup(rows, lang) if brief else popups.members_popup(rows, lang),
            member_style(rows, colours).leaflet(),
        )
        for rows in members_by_point(members)
    ]


def stored_layer_group(title: str, frame: gpd.GeoDataFrame, style: dict, lang: str) -> folium.FeatureGroup:
    """An uploaded layer of its own kind ("other", "boundaries"), drawn with the style its uploader chose."""
    label_field = style.get("label_field")
    popup_fields = [f for f in style.get("popup_fields") or [] if f in frame.columns]
    features = []
    for i, row in enumerate(frame.to_dict("records")):
        if row.get("geometry") is None or row["geometry"].is_empty:
            continue
        label = row.get(label_field) if label_field else None
        tooltip = popups.esc(title if is_missing(label) else label)
        pairs = [(name, popups.esc(row.get(name))) for name in popup_fields]
        popup = f"<b>{popups.esc(title)}</b>" + popups.rows_table(pairs) if pairs else f"<b>{tooltip}</b>"
        geometry_style = stored_style(style, row["geometry"].geom_type).leaflet()
        features.append(feature(row["geometry"], "stored", [str(i)], tooltip, popup, geometry_style))
    return geojson_group(features, title)
