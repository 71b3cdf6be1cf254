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
    point: tuple[float, float] | None = None  # (lat, lon) of the point the map draws it at


def features_in_view(view: View, visible: frozenset[str] | set[str], bounds: Bounds | None = None) -> list[MapFeature]:
    """Every feature of the layers in `visible` whose point lies in `bounds` (all of them without bounds)."""
    features: list[MapFeature] = []
    if "parks" in visible:
        for row in _placed(view.parks):
            status = row.get("status")
            features.append(
                MapFeature("parks", (str(row["id"]),), str(row["name"]), (_text(status),), point=_point(row))
            )
    if "sources" in visible:
        for row in _placed(view.sources):
            figure = None if is_missing(row.get("figure_t")) else row["figure_t"]
            features.append(MapFeature("sources", (str(row["id"]),), str(row["facility"]), (), figure, _point(row)))
    if "members" in visible:
        places: dict[tuple[float, float], list[dict]] = {}
        for row in _placed(view.members):
            places.setdefault((row["geometry"].x, row["geometry"].y), []).append(row)
        for rows in places.values():
            names = sorted({str(r["company"]) for r in rows})
            clusters = tuple(sorted({str(r["cluster"]) for r in rows}))
            ids = tuple(str(r["id"]) for r in rows)
            features.append(MapFeature("members", ids, ", ".join(names), clusters, point=_point(rows[0])))
    ordered = sorted(features, key=lambda f: (LAYERS.index(f.layer), f.name.casefold(), f.ids))
    return ordered if bounds is None else in_bounds(ordered, bounds)


def in_bounds(features: list[MapFeature], bounds: Bounds | None) -> list[MapFeature]:
    """The features whose point lies in `bounds` (all of them without bounds), in their order."""
    return features if bounds is None else [f for f in features if f.point and bounds.contains(*f.point)]


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


def _placed(frame) -> list[dict]:
    """The rows with a geometry, each with the point the map draws it at (a polygon's representative point)."""
    rows = []
    for row in frame.to_dict("records"):
        geometry = row.get("geometry")
        if geometry is None or geometry.is_empty:
            continue
        point = geometry if geometry.geom_type == "Point" else geometry.representative_point()
        rows.append({**row, "geometry": point})
    return rows


def _point(row: dict) -> tuple[float, float]:
    return row["geometry"].y, row["geometry"].x


def _text(value) -> str:
    return "" if is_missing(value) else str(value)
