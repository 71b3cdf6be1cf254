"""The features a map shows in its current view, as a list: the map's text alternative and its keyboard way in.

One entry per thing a click on the map selects: a park, a source, a place with cluster members (one marker per
place, maps/styles.members_by_point). The same filters and layers as the map; ordered by layer, then name.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.filters import View
from core.values import is_missing

LAYERS = ("parks", "sources", "members")  # the order the list gives them in


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


@dataclass(frozen=True)
class MapFeature:
    layer: str  # parks, sources or members
    ids: tuple[str, ...]  # what a click on it selects (every membership at a member place)
    name: str  # the park's or source's name; the member place's companies, sorted
    detail: tuple[str, ...] = ()  # a park's status ("" when not stated), a place's clusters
    figure_t: float | None = None  # a source's figure as the map draws it (None: "no figure")


def features_in_view(view: View, visible: frozenset[str] | set[str], bounds: Bounds | None = None) -> list[MapFeature]:
    """Every feature of the layers in `visible` whose point lies in `bounds` (all of them without bounds)."""
    features: list[MapFeature] = []
    if "parks" in visible:
        for row in _inside(view.parks, bounds):
            status = row.get("status")
            features.append(MapFeature("parks", (str(row["id"]),), str(row["name"]), (_text(status),)))
    if "sources" in visible:
        for row in _inside(view.sources, bounds):
            figure = None if is_missing(row.get("figure_t")) else row["figure_t"]
            features.append(MapFeature("sources", (str(row["id"]),), str(row["facility"]), (), figure))
    if "members" in visible:
        places: dict[tuple[float, float], list[dict]] = {}
        for row in _inside(view.members, bounds):
            places.setdefault((row["geometry"].x, row["geometry"].y), []).append(row)
        for rows in places.values():
            names = sorted({str(r["company"]) for r in rows})
            clusters = tuple(sorted({str(r["cluster"]) for r in rows}))
            features.append(MapFeature("members", tuple(str(r["id"]) for r in rows), ", ".join(names), clusters))
    return sorted(features, key=lambda f: (LAYERS.index(f.layer), f.name.casefold(), f.ids))


def bounds_from(state: dict | None) -> Bounds | None:
    """The view's bounds from Leaflet's `getBounds()` as streamlit-folium returns them, or None."""
    try:
        south_west, north_east = state["_southWest"], state["_northEast"]
        bounds = Bounds(
            float(south_west["lat"]), float(south_west["lng"]), float(north_east["lat"]), float(north_east["lng"])
        )
    except (KeyError, TypeError, ValueError):
        return None
    return bounds if bounds.south < bounds.north and bounds.west < bounds.east else None


def _inside(frame, bounds: Bounds | None) -> list[dict]:
    rows = []
    for row in frame.to_dict("records"):
        geometry = row.get("geometry")
        if geometry is None or geometry.is_empty:
            continue
        point = geometry if geometry.geom_type == "Point" else geometry.representative_point()
        if bounds is None or bounds.contains(point.y, point.x):
            rows.append({**row, "geometry": point})
    return rows


def _text(value) -> str:
    return "" if is_missing(value) else str(value)
