"""The municipality an uploaded feature lies in, from the bundled boundaries, for a file that has no such column.

A point takes the municipality it lies in; a line or polygon the one it overlaps most (by length or area, in
metres, UTM 33N). The bundled outlines (static/outlines/kommunegrenser.geojson, © Kartverket, CC BY 4.0) are
simplified (about 0.01°), so a quay or a shore park can fall just outside its municipality's outline, into the
sea: a feature within `config.UPLOAD_MUNICIPALITY_NEAR_M` of an outline takes the nearest municipality. Any
farther is outside Trøndelag: None, for the caller to say so, never a guessed number.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

import config
from core.kommunenummer import CURRENT
from loaders.bundled.boundaries import load_boundaries

METRIC_CRS = "EPSG:25833"  # ETRS89 / UTM 33N: metres for areas and lengths across all of Trøndelag


@dataclass(frozen=True)
class Municipality:
    kommunenummer: str
    name: str


@functools.lru_cache(maxsize=2)
def bundled_municipalities(path: str = str(config.BUNDLED_KOMMUNER)) -> gpd.GeoDataFrame:
    """The bundled 38 municipalities (kommunenummer, name, geometry) in metres."""
    return load_boundaries(Path(path)).to_crs(METRIC_CRS).reset_index(drop=True)


def municipalities_of(
    geometries: gpd.GeoSeries,
    boundaries: gpd.GeoDataFrame | None = None,
    near_m: float = config.UPLOAD_MUNICIPALITY_NEAR_M,
) -> list[Municipality | None]:
    """For each geometry the municipality it lies in or overlaps most; None when outside them all (or empty).

    `boundaries`: kommunenummer, name and polygons (the bundled ones unless given), in any CRS.
    """
    places = bundled_municipalities() if boundaries is None else boundaries.to_crs(METRIC_CRS)
    places = places.reset_index(drop=True)
    if geometries.crs is None:
        geometries = geometries.set_crs(config.CRS)
    shapes = np.asarray(geometries.to_crs(METRIC_CRS).array, dtype=object)
    present = np.flatnonzero(~(shapely.is_missing(shapes) | shapely.is_empty(shapes)))
    chosen = np.full(len(shapes), -1)  # row of `places` for each shape
    hit, place = places.sindex.query(shapes[present], predicate="intersects")
    if len(hit):
        size = _overlap(shapes[present][hit], np.asarray(places.geometry.array, dtype=object)[place])
        order = np.lexsort((size, hit))  # by shape, then by overlap: the last of each shape's run is its largest
        last = np.r_[hit[order][1:] != hit[order][:-1], True]
        chosen[present[hit[order][last]]] = place[order][last]
    missing = present[chosen[present] < 0]
    if len(missing):
        near, nearest = places.sindex.nearest(shapes[missing], max_distance=near_m, return_all=False)
        chosen[missing[near]] = nearest
    numbers = places["kommunenummer"].astype(str).tolist()
    names = [municipality_name(n) or str(name) for n, name in zip(numbers, places["name"], strict=True)]
    return [None if p < 0 else Municipality(numbers[p], names[p]) for p in chosen]


def municipality_name(kommunenummer: str) -> str | None:
    """Today's short name of a Trøndelag municipality ("Trondheim", as the bundled layers write it), or None."""
    return CURRENT.get(kommunenummer)


def _overlap(shapes: np.ndarray, outlines: np.ndarray) -> np.ndarray:
    """How much of each shape lies in its outline: area for polygons, length for lines, points for points (a
    single point that intersects lies wholly in it: no intersection to compute)."""
    size = np.ones(len(shapes))
    dimension = shapely.get_dimensions(shapes)
    parts = (dimension > 0) | (shapely.get_type_id(shapes) != shapely.GeometryType.POINT)
    shared = shapely.intersection(shapes[parts], outlines[parts])
    size[parts] = np.where(
        dimension[parts] == 2,
        shapely.area(shared),
        np.where(dimension[parts] == 1, shapely.length(shared), shapely.get_num_geometries(shared)),
    )
    return size
