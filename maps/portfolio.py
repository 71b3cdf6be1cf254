"""The portfolio page's maps: neighbourhood buffers, recorded flows as arrows, and what lies inside. No Streamlit.

Arrowheads are small triangles computed here (in metres, EPSG:25833) and drawn as GeoJSON, so no
plugin has to fetch JavaScript from a CDN. A flow whose two ends share one point has no direction
to draw: it becomes a ring round that point, one ring per flow.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import folium
import geopandas as gpd
from shapely.geometry import Point, Polygon

import config
from analysis.neighbourhoods import Neighbourhood
from analysis.portfolio_view import MapContent
from core.values import is_missing
from i18n import fmt_number, fmt_tonnes, key_figure_label, t
from maps import popups
from maps.assets import use_local_assets
from maps.build import new_map
from maps.features import feature, geojson_group
from maps.layers import basemap_group, members_group, parks_group, sources_group
from maps.legend import Legend, legend_box
from maps.measures import measures_group, measures_legend
from maps.popups import esc

LAYERS = ("buffers", "flows", "parks", "sources", "members", "measures")
ZOOM_SNAP = 0.25  # fractional zoom, so a neighbourhood fills its map instead of a quarter of it


# --- the stable part of each map ---------------------------------------------------------------


def portfolio_base_map(lang: str, static_url: str = "/app/static", legend: bool = True) -> folium.Map:
    """The map that stays put while sites, radius and filters change (they arrive as feature groups)."""
    m = new_map(zoom_snap=ZOOM_SNAP, zoom_delta=0.5)
    if legend:
        Legend(portfolio_legend_html(lang), lang).add_to(m)
    return use_local_assets(m, static_url)


def fit_view(
    bounds: Sequence[float], width_px: int, height_px: int, padding_px: int = 12
) -> tuple[tuple[float, float], float]:
    """Centre (lat, lon) and the largest zoom (in ZOOM_SNAP steps) at which `bounds` fits a map of that size.

    Computed here because st_folium moves a mounted map with `center`/`zoom` without rebuilding it.
    """
    min_lon, min_lat, max_lon, max_lat = bounds

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    y_low, y_high = mercator_y(min_lat), mercator_y(max_lat)
    span_x = max(max_lon - min_lon, 1e-9) / 360
    span_y = max(y_high - y_low, 1e-9) / (2 * math.pi)
    zoom_x = math.log2(max(width_px - 2 * padding_px, 1) / (256 * span_x))
    zoom_y = math.log2(max(height_px - 2 * padding_px, 1) / (256 * span_y))
    zoom = min(config.MAP_MAX_ZOOM, max(1.0, math.floor(min(zoom_x, zoom_y) / ZOOM_SNAP) * ZOOM_SNAP))
    lat = math.degrees(2 * math.atan(math.exp((y_low + y_high) / 2)) - math.pi / 2)
    return (lat, (min_lon + max_lon) / 2), zoom


# --- the groups that change ----------------------------------------------------------------------


def portfolio_layers(
    content: MapContent,
    visible: Iterable[str],
    basemap: str,
    cluster_colours: dict[str, str],
    lang: str,
    measures: gpd.GeoDataFrame | None = None,
    heads: Mapping[str, Polygon | None] | None = None,
) -> list[folium.FeatureGroup]:
    """Groups for st_folium's `feature_group_to_add`: background, buffers, flows, then points, measures on top
    (`measures`: loaders.bundled.measures.measure_points, filtered; `heads`: `flow_heads` of the flows, if known)."""
    visible = set(visible)
    groups = [basemap_group(basemap, lang)]
    if "buffers" in visible:
        groups.append(buffers_group(content.hoods, lang))
    if "flows" in visible:
        groups.append(flows_group(content.flows, lang, heads))
    if "parks" in visible:
        groups.append(parks_group(content.parks, lang))
    if "members" in visible:
        groups.append(members_group(content.members, cluster_colours, lang))
    if "sources" in visible:
        groups.append(sources_group(content.sources, lang))
    if "measures" in visible and measures is not None:
        groups.append(measures_group(measures, lang))
    return groups


def buffers_group(hoods: Iterable[Neighbourhood], lang: str) -> folium.FeatureGroup:
    features = []
    for hood in hoods:
        name = hood.site["name"]
        km = fmt_number(hood.radius_m / 1000, lang, 0 if hood.radius_m % 1000 == 0 else 1)
        style = {
            "color": config.BUFFER_COLOUR,
            "weight": 2,
            "fill": True,
            "fillColor": config.BUFFER_COLOUR,
            "fillOpacity": 0.07,
        }
        emissions = hood.emissions
        scope = t("pf_row_emissions_scope", lang, scope=key_figure_label(emissions, lang))
        popup = f"<b>{esc(name)}</b>" + popups.rows_table(
            [
                (t("pf_radius", lang), esc(f"{km} km")),
                (t("pf_row_sources_inside", lang), esc(len(hood.sources))),
                (scope, esc(fmt_tonnes(emissions.total_t, lang))),
                (t("pf_row_actors_inside", lang), esc(len(hood.actors))),
                (t("pf_row_unplaced", lang), esc(len(hood.unplaced))),
            ]
        )
        features.append(feature(hood.buffer, "buffers", [hood.site_id], esc(f"{name} · {km} km"), popup, style))
    return geojson_group(features, t("pf_layer_buffers", lang))


def flows_group(
    lines: gpd.GeoDataFrame, lang: str, heads: Mapping[str, Polygon | None] | None = None
) -> folium.FeatureGroup:
    """Every flow in one GeoJson layer: line plus arrowhead, or a ring where both ends share a point."""
    return geojson_group(flow_features(lines, lang, heads), t("pf_layer_flows", lang))


def flow_features(lines: gpd.GeoDataFrame, lang: str, known: Mapping[str, Polygon | None] | None = None) -> list[dict]:
    """`known`: the arrowheads by flow id (`flow_heads`), if they were worked out before."""
    if lines.empty:
        return []
    ids = list(lines["id"])
    heads = [known[i] for i in ids] if known is not None and set(ids) <= known.keys() else arrowheads(lines)
    line_features, head_features, rings = [], [], []
    for (_, row), head in zip(lines.iterrows(), heads, strict=True):
        row = row.to_dict()
        colour = config.FLOW_RESOURCE_COLOURS.get(row["resource"], "#333333")
        dash = config.FLOW_STATUS_DASH.get(row["status"])
        tooltip, popup = flow_tooltip(row, lang), flow_popup(row, lang)
        if row["colocated"]:
            rings.append((row, colour, dash, tooltip, popup))
            continue
        line_style = {"color": colour, "weight": config.FLOW_WEIGHT, "opacity": 0.9}
        head_style = {"color": colour, "weight": 1, "fill": True, "fillColor": colour, "fillOpacity": 0.95}
        if dash:
            line_style["dashArray"] = dash
        line_features.append(_flow_feature(row, "line", row["geometry"], tooltip, popup, line_style))
        head_features.append(_flow_feature(row, "head", head, tooltip, popup, head_style))
    # Rings at one point grow outwards; the widest is drawn first so every ring stays reachable.
    at_point: dict[tuple[float, float], int] = {}
    ring_features = []
    for row, colour, dash, tooltip, popup in rings:
        point = Point(row["from_lon"], row["from_lat"])
        n = at_point.get((point.x, point.y), 0)
        at_point[(point.x, point.y)] = n + 1
        style = {
            "color": colour,
            "weight": 2.5,
            "fill": False,
            "radius": config.FLOW_RING_RADIUS + n * config.FLOW_RING_STEP,
        }
        if dash:
            style["dashArray"] = dash
        ring_features.append(_flow_feature(row, "ring", point, tooltip, popup, style))
    ring_features.sort(key=lambda f: -f["properties"]["style"]["radius"])
    # Rings under the lines, heads over everything: a head ending on a ringed point stays visible.
    return ring_features + line_features + head_features


def flow_heads(lines: gpd.GeoDataFrame) -> dict[str, Polygon | None]:
    """Each flow's arrowhead by its id: worked out once for every session (ui.portfolio), since the metric
    round trip makes PROJ set itself up again in each new script thread (4 ms a run)."""
    return dict(zip(lines["id"], arrowheads(lines), strict=True))


def arrowheads(lines: gpd.GeoDataFrame) -> list[Polygon | None]:
    """One triangle (EPSG:4326) per line, its tip on the line's end; None for lines with no length.

    Sized on the ground: FLOW_ARROW_SHARE of the line's length in metres, within the configured
    bounds and never longer than the line itself.
    """
    metric = lines.geometry.to_crs(config.METRIC_CRS)
    triangles = []
    for line in metric:
        (x0, y0), (x1, y1) = line.coords[0][:2], line.coords[-1][:2]
        length = math.hypot(x1 - x0, y1 - y0)
        if length < 1.0:
            triangles.append(None)
            continue
        size = min(length, max(config.FLOW_ARROW_MIN_M, min(config.FLOW_ARROW_MAX_M, length * config.FLOW_ARROW_SHARE)))
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx, by = x1 - ux * size, y1 - uy * size
        half = size * config.FLOW_ARROW_WIDTH / 2
        triangles.append(Polygon([(x1, y1), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)]))
    present = [tri for tri in triangles if tri is not None]
    back = iter(gpd.GeoSeries(present, crs=config.METRIC_CRS).to_crs(config.CRS)) if present else iter(())
    return [next(back) if tri is not None else None for tri in triangles]


def flow_tooltip(row: dict, lang: str) -> str:
    text = (
        f"{row['from_name']} → {row['to_name']}: {t('resource_' + row['resource'], lang)} "
        f"({t('flow_status_' + row['status'], lang)})"
    )
    if row.get("colocated"):
        text += f" · {t('pf_same_point', lang)}"
    return esc(text)


def flow_popup(row: dict, lang: str) -> str:
    year = row.get("source_year")
    year_text = t("year_unknown", lang) if is_missing(year) else str(int(year))
    sources = " ; ".join(u.strip() for u in str(row.get("source_url") or "").split(";") if u.strip())
    layer = row.get("layer")
    return f"<b>{esc(t('pf_recorded_flow', lang))}</b>" + popups.rows_table(
        [
            (t("pf_from", lang), esc(_actor(row, "from", lang))),
            (t("pf_to", lang), esc(_actor(row, "to", lang))),
            (t("pf_resource", lang), esc(t(f"resource_{row['resource']}", lang))),
            (t("status", lang), esc(t(f"flow_status_{row['status']}", lang))),
            (t("field_quote", lang), esc(row.get("quote"))),
            (t("field_note", lang), esc(row.get("note"))),
            (t("pf_layer", lang), esc(layer if isinstance(layer, str) else t("pf_bundled", lang))),
            (t("source", lang), f"{popups.source_links(sources, lang)} ({esc(year_text)})"),
        ]
    )


def portfolio_legend_html(lang: str) -> str:
    """Buffers, flows by resource and status, and the point symbols. Every text escaped."""

    def swatch(svg: str, label: str) -> str:
        return f'<div style="display:flex;align-items:center;gap:6px">{svg}<span>{esc(label)}</span></div>'

    def line(colour: str, dash: str | None = None, width: float = 3) -> str:
        dashed = f' stroke-dasharray="{esc(dash)}"' if dash else ""
        return (
            f'<svg width="26" height="10"><line x1="1" y1="5" x2="25" y2="5" stroke="{esc(colour)}" '
            f'stroke-width="{width}"{dashed}/></svg>'
        )

    def dot(colour: str, hollow: bool = False, dashed: bool = False) -> str:
        fill = "none" if hollow else esc(colour)
        dash = ' stroke-dasharray="2 2"' if dashed else ""
        return (
            f'<svg width="26" height="12"><circle cx="13" cy="6" r="5" fill="{fill}" stroke="{esc(colour)}" '
            f'stroke-width="2"{dash}/></svg>'
        )

    resources = "".join(
        swatch(line(colour), t(f"resource_{resource}", lang))
        for resource, colour in config.FLOW_RESOURCE_COLOURS.items()
    )
    statuses = "".join(
        swatch(line("#444444", dash, 2), t(f"flow_status_{status}", lang))
        for status, dash in config.FLOW_STATUS_DASH.items()
    )
    area = (
        f'<svg width="26" height="12"><rect x="2" y="1" width="22" height="10" fill="{config.BUFFER_COLOUR}" '
        f'fill-opacity="0.15" stroke="{config.BUFFER_COLOUR}" stroke-width="2"/></svg>'
    )
    parts = [
        f'<div style="font-weight:600;margin-bottom:2px">{esc(t("legend", lang))}</div>',
        swatch(area, t("pf_legend_buffer", lang)),
        f"<div><i>{esc(t('pf_legend_flows', lang))}</i></div>",
        f'<div style="display:grid;grid-template-columns:auto auto;column-gap:8px">{resources}</div>',
        statuses,
        swatch(dot("#444444", hollow=True), t("pf_legend_ring", lang)),
        f"<div><i>{esc(t('pf_legend_points', lang))}</i></div>",
        swatch(dot(config.PARK_STATUS_COLOURS["etablert"]), t("layer_parks", lang)),
        swatch(dot(config.SOURCE_COLOUR), t("layer_sources", lang)),
        swatch(dot(config.CLUSTER_COLOURS[0]), t("layer_members", lang)),
        swatch(dot("#555555", hollow=True, dashed=True), t("legend_dashed", lang)),
        *measures_legend(lang, swatch, dot),
    ]
    return legend_box("".join(parts), max_width=340)


def _actor(row: dict, end: str, lang: str) -> str:
    name = row[f"{end}_name"]
    precision = row.get(f"{end}_precision")
    if isinstance(precision, str) and precision != "site":
        return f"{name} · {t('placed_at', lang).lower()} {t('precision_' + precision, lang)}"
    return str(name)


def _flow_feature(row: dict, part: str, geometry, tooltip: str, popup: str, style: dict) -> dict:
    flow = feature(geometry, "flows", [row["id"]], tooltip, popup, style)
    flow["properties"].update(part=part, resource=row["resource"])
    return flow
