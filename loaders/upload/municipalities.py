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
    found: list[Municipality | None] = [None] * len(shapes)
    present = np.array([g is not None and not g.is_empty for g in shapes], dtype=bool)
    if not present.any():
        return found
    indices = np.flatnonzero(present)
    outlines = np.asarray(places.geometry.array, dtype=object)
    hit, place = places.sindex.query(shapes[indices], predicate="intersects")
    best: dict[int, tuple[float, int]] = {}
    if len(hit):
        overlaps = _overlap(shapes[indices][hit], outlines[place])
        for h, p, size in zip(hit, place, overlaps, strict=True):
            if size > best.get(h, (-1.0, -1))[0]:
                best[h] = (size, p)
    missing = np.array([h for h in range(len(indices)) if h not in best], dtype=int)
    if len(missing):
        near, nearest = places.sindex.nearest(shapes[indices][missing], max_distance=near_m, return_all=False)
        for h, p in zip(missing[near], nearest, strict=True):
            best[h] = (0.0, p)
    for h, (_, p) in best.items():
        number = str(places.iloc[p]["kommunenummer"])
        found[indices[h]] = Municipality(number, municipality_name(number) or str(places.iloc[p]["name"]))
    return found


def municipality_name(kommunenummer: str) -> str | None:
    """Today's short name of a Trøndelag municipality ("Trondheim", as the bundled layers write it), or None."""
    return CURRENT.get(kommunenummer)


def _overlap(shapes: np.ndarray, outlines: np.ndarray) -> np.ndarray:
    """How much of each shape lies in its outline: area for polygons, length for lines, points for points."""
    shared = shapely.intersection(shapes, outlines)
    dimension = shapely.get_dimensions(shapes)
    return np.where(
        dimension == 2,
        shapely.area(shared),
        np.where(dimension == 1, shapely.length(shared), shapely.get_num_geometries(shared)),
    ).astype(float)
