"""How each feature looks: one pure rule per layer kind, used by the live maps and the PNG/PDF export alike.

Sizes are screen pixels (Leaflet's units); colours come from `config`. No folium or matplotlib here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import geopandas as gpd

import config
from core.values import is_missing


@dataclass(frozen=True)
class FeatureStyle:
    colour: str  # outline
    fill_colour: str
    fill_opacity: float
    weight: float  # outline width, px
    radius: float  # circle radius for points, px
    dashed: bool = False  # placed at a municipal centre: the position is approximate
    fill: bool = True

    def leaflet(self) -> dict:
        """Leaflet path options, as folium reads them from `properties.style`."""
        options = {
            "fill": self.fill,
            "color": self.colour,
            "fillColor": self.fill_colour,
            "fillOpacity": self.fill_opacity,
            "weight": self.weight,
            "radius": self.radius,
        }
        return {**options, "dashArray": "3 3"} if self.dashed else options


def approximate(row: dict) -> bool:
    """Features placed at a municipal centre are drawn with a dashed outline."""
    return row.get("location_precision") == "municipality"


def park_style(row: dict) -> FeatureStyle:
    status = row.get("status") if isinstance(row.get("status"), str) else None
    colour = config.PARK_STATUS_COLOURS.get(status, config.PARK_STATUS_COLOURS[None])
    return FeatureStyle(colour, colour, 0.55, 2, config.PARK_RADIUS, approximate(row))


def source_radius(tonnes: float | None) -> float:
    """Circle radius in pixels with area proportional to tonnes."""
    if tonnes is None or is_missing(tonnes):
        return config.SOURCE_NO_FIGURE_RADIUS
    return max(config.SOURCE_MIN_RADIUS, math.sqrt(tonnes / config.SOURCE_T_PER_PX2 / math.pi))


def figure_style(tonnes: float | None, dashed: bool = False) -> FeatureStyle:
    """A facility circle: area proportional to its figure, hollow with a thicker outline where it has none."""
    has_figure = tonnes is not None and not is_missing(tonnes)
    colour = config.SOURCE_COLOUR
    return FeatureStyle(
        colour, colour, 0.45 if has_figure else 0.0, 1.5 if has_figure else 2.5, source_radius(tonnes), dashed
    )


def source_style(row: dict) -> FeatureStyle:
    return figure_style(row.get("figure_t"), approximate(row))


def cluster_colours(clusters: list[str]) -> dict[str, str]:
    """A stable colour per cluster (from the full list, so filtering does not recolour)."""
    palette = config.CLUSTER_COLOURS
    return {name: palette[i % len(palette)] for i, name in enumerate(sorted(clusters))}


def members_by_point(members: gpd.GeoDataFrame) -> list[list[dict]]:
    """Memberships grouped by point: one marker per place (many sit at a municipal centre)."""
    by_point: dict[tuple[float, float], list[dict]] = {}
    for row in members.to_dict("records"):
        geometry = row.get("geometry")
        if geometry is not None and not geometry.is_empty:
            by_point.setdefault((geometry.x, geometry.y), []).append(row)
    return list(by_point.values())


def member_style(rows: list[dict], colours: dict[str, str]) -> FeatureStyle:
    """Coloured by cluster (a mixed colour where the memberships at a point belong to several), growing with count."""
    clusters = {r["cluster"] for r in rows}
    mixed = config.MIXED_CLUSTER_COLOUR
    colour = colours.get(next(iter(clusters)), mixed) if len(clusters) == 1 else mixed
    radius = config.MEMBER_RADIUS + 1.5 * math.sqrt(len(rows) - 1)
    return FeatureStyle("#ffffff", colour, 0.9, 1.5, radius, approximate(rows[0]))


def stored_style(style: dict, geom_type: str) -> FeatureStyle:
    """An uploaded layer of its own kind, in the colour its uploader chose (else its `layer_colours` one).

    Polygons are outlines unless the style asks for a fill ("Fyll flater"); lines are never filled, points always.
    """
    style = style or {}
    colour = style.get("colour") or config.STORED_DEFAULT_COLOUR
    line = geom_type in ("LineString", "MultiLineString")
    polygon = geom_type.endswith("Polygon")
    opacity = config.STORED_FILL_OPACITY if polygon else 0.8
    base = FeatureStyle(colour, colour, opacity, 2, config.MEMBER_RADIUS)
    fill = bool(style.get("fill", config.STORED_FILL_DEFAULT)) if polygon else not line  # "Fyll flater"
    return replace(base, fill=fill)


def layer_colours(styles: list[dict | None]) -> list[dict]:
    """Each uploaded layer's style with a colour: its own, else the first `STORED_LAYER_COLOURS` entry that
    no other layer in the list has, so every layer is told apart in the legend (pure; order kept)."""
    taken = {str(s["colour"]).lower() for s in styles if s and s.get("colour")}
    free = [c for c in config.STORED_LAYER_COLOURS if c.lower() not in taken] or list(config.STORED_LAYER_COLOURS)
    out, n = [], 0
    for style in styles:
        style = dict(style or {})
        if not style.get("colour"):
            style["colour"] = free[n % len(free)]
            n += 1
        out.append(style)
    return out
