"""Coordinate reference systems of uploaded files: parse what a file declares, infer what it may be, check ranges.

Rules (see `infer_candidates` and `resolve_crs`):
- A declared CRS is used when the coordinates fit it: degrees within ±180/±90 for a geographic CRS; for a
  projected one, every corner of the data's box must turn into finite lon/lat near the CRS's area of use.
  A declaration the coordinates do not fit is treated like no declaration, with the declared one named.
- With no (usable) CRS the candidates are: lon/lat degrees; lon/lat with the axes swapped; ETRS89 / UTM
  zones 32, 33 and 35 (EPSG:25832/25833/25835, Norway's map projections); Web Mercator (EPSG:3857); and
  each projected one with the axes swapped (northing first, as Norwegian "X = nord" tables do).
  A projected candidate counts only if the whole box lands in and around Norway (lon −10…35, lat 57…81.5);
  they are ranked by the share of the file's points that land on or near mainland Norway (a coarse outline
  in core/norway_outline.py), then UTM 33 (the national default) before 32, 35 and Web Mercator.
- The choice is unambiguous only for plain lon/lat: inside Norway, or anywhere within ±180/±90 when no
  other reading fits (a GeoJSON file with no `crs` member is lon/lat by RFC 7946). Everything else is asked.
- No candidate at all: the coordinates are outside every CRS's range, a `CoordinatesOutOfRange` error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyproj
import shapely
from pyproj.exceptions import CRSError as ProjCRSError

from core import norway_outline
from core.messages import Message
from loaders.errors import CoordinatesOutOfRange, NeedsCRSChoice, UnknownCRS

WGS84 = "EPSG:4326"
# Mainland Norway, Svalbard and Jan Mayen in one coarse lon/lat box (it takes in some sea and neighbours).
NORWAY_BBOX = (-10.0, 57.0, 35.0, 81.5)
_PROJECTED_CANDIDATES = ("EPSG:25833", "EPSG:25832", "EPSG:25835", "EPSG:3857")
# Before the share of points landing in Norway (up to +30) and a swap (−25): UTM 33 is the national default.
_BASE_SCORE = {"EPSG:25833": 50, "EPSG:25832": 45, "EPSG:25835": 40, "EPSG:3857": 30}
# How far outside a projected CRS's published area of use data may lie and still be taken as in that CRS
# (Norway's national data is in UTM 33 from 4.6°E to 31°E, far outside zone 33's own 12–18°E).
_AREA_MARGIN_DEG = (20.0, 10.0)  # lon, lat
# Degrees a geographic box may overshoot ±180/±90 by rounding.
_DEG_EPS = 1e-9

Bounds = tuple[float, float, float, float]  # minx, miny, maxx, maxy in the file's own units


@dataclass(frozen=True)
class CRSCandidate:
    """One reading of a file's coordinates: which CRS, with the axes swapped or not, and why it is plausible."""

    crs: str  # "EPSG:25833"
    name: str | Message  # "ETRS89 / UTM zone 33N" (the registry's name), or a message for plain lon/lat
    reason: Message  # a sentence a planner can judge: units, ranges and where the data would land
    swap_axes: bool = False
    lonlat_bounds: Bounds | None = None  # where the data lands (min lon, min lat, max lon, max lat)
    score: int = 0

    @property
    def label(self) -> Message:
        """ "EPSG:4326 (WGS 84, longitude/latitude, axes swapped)", rendered by i18n.error_text or str()."""
        return Message("crs_candidate", crs=self.crs, name=self.name, swapped=True if self.swap_axes else None)


@dataclass(frozen=True)
class CRSDecision:
    """What `resolve_crs` settled on: the CRS to read the coordinates in, and how that was decided."""

    crs: str
    source: str  # "declared", "chosen", "GeoJSON default (RFC 7946)", "inferred"


def parse_crs(value: object) -> pyproj.CRS:
    """A pyproj CRS from an EPSG code, "EPSG:25833", an OGC URN, WKT or a pyproj CRS; `UnknownCRS` if none."""
    if isinstance(value, pyproj.CRS):
        return value
    text = str(value).strip() if value is not None else ""
    if not text:
        raise UnknownCRS("crs_not_named")
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return pyproj.CRS.from_user_input(text)
    except ProjCRSError:
        raise UnknownCRS("crs_unknown", name=_quote(text)) from None


def crs_code(crs: pyproj.CRS) -> str:
    """ "EPSG:25833", "OGC:CRS84"; the CRS's name when no authority code matches."""
    authority = crs.to_authority(min_confidence=70)
    return f"{authority[0]}:{authority[1]}" if authority else crs.name


def crs_label(crs: pyproj.CRS | str) -> str:
    crs = parse_crs(crs)
    code = crs_code(crs)
    return code if code == crs.name else f"{code} ({crs.name})"


def geojson_crs_member(member: object) -> str | None:
    """The CRS named by a GeoJSON (2008) `crs` member, or None when there is none or it only links elsewhere."""
    if member is None:
        return None
    if not isinstance(member, dict):
        raise UnknownCRS("crs_member_not_object", member=_quote(member))
    properties = member.get("properties") if isinstance(member.get("properties"), dict) else {}
    kind = str(member.get("type", "")).lower()
    if kind == "name" and properties.get("name"):
        return str(properties["name"])
    if kind == "epsg" and properties.get("code") is not None:
        return f"EPSG:{properties['code']}"
    if kind == "link":
        return None  # a URL to a .prj: nothing to read offline; the coordinates decide
    raise UnknownCRS("crs_member_no_name", member=_quote(member))


def infer_candidates(bounds: Bounds, sample: np.ndarray | None = None) -> list[CRSCandidate]:
    """Every plausible reading of coordinates inside `bounds`, most plausible first.

    `sample` (an (n, 2) array of the file's own x, y, a few thousand at most) sharpens the ranking of
    projected readings: the share of points that land on or near mainland Norway adds up to 30 points,
    so data in zone 32 is not read as zone 33 just because 33 is the national default.
    """
    if not all(math.isfinite(v) for v in bounds):
        return []
    if sample is None or len(sample) == 0:
        sample = _box_sample(bounds)
    candidates = []
    for swap in (False, True):
        box = _swapped(bounds) if swap else bounds
        points = sample[:, ::-1] if swap else sample
        if _in_degrees(box):
            inside = _inside(box, NORWAY_BBOX)
            if swap and not inside:
                continue
            where = Message("lands_inside" if inside else "lands_outside")
            axes = Message("axes_latlon" if swap else "axes_lonlat")
            score = (90 if swap else 100) if inside else 30
            candidates.append(
                CRSCandidate(
                    WGS84,
                    Message("crs_wgs84"),
                    Message("reason_degrees", axes=axes, lands=where, box=_where(box)),
                    swap,
                    box,
                    score,
                )
            )
        for code in _PROJECTED_CANDIDATES:
            landed = _projected_box(box, code)
            if landed is None or not _inside(landed, NORWAY_BBOX):
                continue
            share = _share_in_norway(points, code)
            score = _BASE_SCORE[code] - (25 if swap else 0) + round(30 * share)
            axes = Message("axes_northing_first" if swap else "axes_easting_first")
            name = pyproj.CRS.from_user_input(code).name
            candidates.append(
                CRSCandidate(
                    code,
                    name,
                    Message(
                        "reason_metres",
                        axes=axes,
                        x=_metres(box[0], box[2]),
                        y=_metres(box[1], box[3]),
                        name=name,
                        box=_where(landed),
                        percent=round(100 * share),
                    ),
                    swap,
                    landed,
                    score,
                )
            )
    return sorted(candidates, key=lambda c: -c.score)


def sample_coordinates(geometries: np.ndarray, limit: int = 2000) -> np.ndarray:
    """Up to `limit` x, y pairs spread over the geometries, for `infer_candidates`."""
    if len(geometries) > limit:
        geometries = geometries[np.linspace(0, len(geometries) - 1, limit).astype(int)]
    xy = shapely.get_coordinates(geometries)
    if len(xy) > limit:
        xy = xy[np.linspace(0, len(xy) - 1, limit).astype(int)]
    return xy


def _box_sample(bounds: Bounds) -> np.ndarray:
    xs = np.linspace(bounds[0], bounds[2], 5)
    ys = np.linspace(bounds[1], bounds[3], 5)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


_NORWAY = shapely.MultiPolygon(
    [
        shapely.Polygon(norway_outline.MAINLAND),
        shapely.Polygon(norway_outline.SVALBARD),
        shapely.Polygon(norway_outline.JAN_MAYEN),
    ]
)
shapely.prepare(_NORWAY)


def _share_in_norway(points: np.ndarray, code: str) -> float:
    with np.errstate(all="ignore"):
        lon, lat = _transformer(code).transform(points[:, 0], points[:, 1], errcheck=False)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return 0.0
    return float(shapely.contains_xy(_NORWAY, lon[ok], lat[ok]).sum() / len(points))


def resolve_crs(
    bounds: Bounds,
    declared: str | None = None,
    *,
    chosen: str | None = None,
    default_lonlat: str | None = None,
    layer: str | None = None,
    sample: np.ndarray | None = None,
) -> CRSDecision:
    """Settle the CRS of one layer whose raw coordinates lie in `bounds`.

    `chosen` (the user's answer) wins over `declared` (what the file says). `default_lonlat` names the
    format's default when nothing is declared (GeoJSON: RFC 7946). Raises `NeedsCRSChoice` with ranked
    candidates when the coordinates could be in several, `CoordinatesOutOfRange` when they fit none and
    `UnknownCRS` for a name no registry knows.
    """
    if not all(math.isfinite(v) for v in bounds):
        raise CoordinatesOutOfRange("coords_not_numbers")
    if chosen is not None:
        crs = parse_crs(chosen)
        problem = fit_problem(bounds, crs)
        if problem:
            raise CoordinatesOutOfRange("coords_not_fit", crs=crs_label(crs), problem=problem)
        return CRSDecision(crs_code(crs), "chosen")
    candidates = infer_candidates(bounds, sample)
    if declared is not None:
        crs = parse_crs(declared)
        problem = fit_problem(bounds, crs)
        if not problem:
            if crs.is_geographic and not _inside(bounds, NORWAY_BBOX) and _inside(_swapped(bounds), NORWAY_BBOX):
                raise NeedsCRSChoice(
                    "crs_swapped_choice",
                    _swap_or_as_written(crs, bounds),
                    layer,
                    crs=crs_label(crs),
                    where=_where(bounds),
                )
            return CRSDecision(crs_code(crs), "declared")
        if not candidates:
            raise CoordinatesOutOfRange("crs_declared_misfit", crs=crs_label(crs), problem=problem)
        raise NeedsCRSChoice(
            "crs_misfit_choice", candidates, layer, crs=crs_label(crs), problem=problem, top=candidates[0].label
        )
    if not candidates:
        raise CoordinatesOutOfRange("coords_fit_none", **_ranges(bounds))
    top = candidates[0]
    if top.crs == WGS84 and not top.swap_axes and (top.score >= 100 or len(candidates) == 1):
        return CRSDecision(WGS84, default_lonlat or "inferred")
    code = "crs_choice_several" if len(candidates) > 1 else "crs_choice_one"
    raise NeedsCRSChoice(code, candidates, layer, top=top.label)


def fit_problem(bounds: Bounds, crs: pyproj.CRS) -> Message | None:
    """Why coordinates in `bounds` cannot be in `crs`, or None when they can."""
    if not all(math.isfinite(v) for v in bounds):
        return Message("fit_not_numbers")
    if crs.is_geographic:
        if _in_degrees(bounds):
            return None
        return Message("fit_not_degrees", **_ranges(bounds))
    landed = _projected_box(bounds, crs)
    if landed is None:
        return Message("fit_out_of_range")
    area = crs.area_of_use
    if area is not None:
        west, south, east, north = area.bounds
        if east < west:  # the area crosses the antimeridian: no useful box check
            return None
        margin_lon, margin_lat = _AREA_MARGIN_DEG
        if not _inside(landed, (west - margin_lon, south - margin_lat, east + margin_lon, north + margin_lat)):
            return Message("fit_far", box=_where(landed), name=crs.name, area=area.name)
    return None


def inside_norway(lonlat: Bounds) -> bool:
    return _inside(lonlat, NORWAY_BBOX)


def where(lonlat: Bounds) -> Message:
    """ "longitude 8.14 to 14.33, latitude 62.26 to 65.21": a box in words."""
    return _where(lonlat)


def _swap_or_as_written(crs: pyproj.CRS, bounds: Bounds) -> list[CRSCandidate]:
    code, swapped = crs_code(crs), _swapped(bounds)
    return [
        CRSCandidate(code, crs.name, Message("reason_lat_first", box=_where(swapped)), True, swapped, 90),
        CRSCandidate(code, crs.name, Message("reason_as_written", box=_where(bounds)), False, bounds, 0),
    ]


def _projected_box(bounds: Bounds, crs: pyproj.CRS | str) -> Bounds | None:
    """The lon/lat box of the corners, edge midpoints and centre of `bounds` read in `crs`; None if not finite."""
    minx, miny, maxx, maxy = bounds
    xs = np.array([minx, maxx, minx, maxx, (minx + maxx) / 2, minx, maxx, (minx + maxx) / 2, (minx + maxx) / 2])
    ys = np.array([miny, miny, maxy, maxy, (miny + maxy) / 2, (miny + maxy) / 2, (miny + maxy) / 2, miny, maxy])
    transformer = _transformer(crs)
    with np.errstate(all="ignore"):
        lon, lat = transformer.transform(xs, ys, errcheck=False)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        return None
    box = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    if not _in_degrees(box):
        return None
    # A projection read far outside its range folds back onto the globe: the round trip gives it away.
    with np.errstate(all="ignore"):
        back_x, back_y = transformer.transform(lon, lat, direction="INVERSE", errcheck=False)
    tolerance = max(1.0, 1e-6 * max(abs(minx), abs(maxx), abs(miny), abs(maxy)))
    if not (np.allclose(back_x, xs, atol=tolerance, rtol=0) and np.allclose(back_y, ys, atol=tolerance, rtol=0)):
        return None
    return box


_TRANSFORMERS: dict[str, pyproj.Transformer] = {}


def _transformer(crs: pyproj.CRS | str) -> pyproj.Transformer:
    key = crs if isinstance(crs, str) else crs.to_wkt()
    if key not in _TRANSFORMERS:
        _TRANSFORMERS[key] = pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)
    return _TRANSFORMERS[key]


def _swapped(bounds: Bounds) -> Bounds:
    return (bounds[1], bounds[0], bounds[3], bounds[2])


def _in_degrees(bounds: Bounds) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180 - _DEG_EPS <= minx <= maxx <= 180 + _DEG_EPS and -90 - _DEG_EPS <= miny <= maxy <= 90 + _DEG_EPS


def _inside(inner: Bounds, outer: Bounds) -> bool:
    return outer[0] <= inner[0] and inner[2] <= outer[2] and outer[1] <= inner[1] and inner[3] <= outer[3]


def _where(lonlat: Bounds) -> Message:
    if lonlat[0] != lonlat[2] or lonlat[1] != lonlat[3]:
        return Message("where_box", lon_min=lonlat[0], lon_max=lonlat[2], lat_min=lonlat[1], lat_max=lonlat[3])
    return Message("where_point", lon=lonlat[0], lat=lonlat[1])


def _metres(low: float, high: float) -> Message:
    return Message("metres_range", low=round(low), high=round(high))


def _ranges(bounds: Bounds) -> dict[str, float]:
    """The box's ranges as plain numbers; the texts show them to six significant digits ({xmin:.6g})."""
    return {"xmin": float(bounds[0]), "xmax": float(bounds[2]), "ymin": float(bounds[1]), "ymax": float(bounds[3])}


def _quote(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
