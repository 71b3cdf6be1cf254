"""Typed coordinates for placing a facility: "63.32, 9.88" (lat, lon) or UTM east/north, checked to be in Norway."""

from __future__ import annotations

import re

from pyproj import Transformer

from loaders.errors import LayerError

UTM_ZONES = {"32": "EPSG:25832", "33": "EPSG:25833", "35": "EPSG:25835"}
# Mainland Norway with a margin (lon/lat): a placement outside it is almost surely a typo or swapped axes.
NORWAY = (4.0, 57.5, 31.5, 71.5)
_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"


class CoordinateError(LayerError):
    """Typed coordinates that cannot be read, or that land outside Norway."""


def parse_coordinates(text: str, utm_zone: str = "33") -> tuple[float, float]:
    """(lon, lat) in EPSG:4326 from "lat, lon" in degrees or "east north" in UTM (zone `utm_zone`, ETRS89).

    Decimal commas are fine when the two numbers are separated by a semicolon or spaces ("63,32; 9,88").
    """
    numbers = _numbers(text)
    if len(numbers) != 2:
        raise CoordinateError("coords_two_numbers", text=repr(text))
    a, b = numbers
    if abs(a) <= 90 and abs(b) <= 180:
        lat, lon = a, b
    elif a > 1000 and b > 1000:
        if utm_zone not in UTM_ZONES:
            raise CoordinateError("coords_unknown_zone", zone=str(utm_zone), zones=tuple(UTM_ZONES))
        east, north = (a, b) if a < b else (b, a)  # northings in Norway are the larger number
        lon, lat = Transformer.from_crs(UTM_ZONES[utm_zone], "EPSG:4326", always_xy=True).transform(east, north)
    else:
        raise CoordinateError("coords_neither", text=repr(text))
    west, south, east_, north_ = NORWAY
    if not (west <= lon <= east_ and south <= lat <= north_):
        raise CoordinateError("coords_outside", text=repr(text), lat=float(lat), lon=float(lon))
    return lon, lat


def _numbers(text: str) -> list[float]:
    text = text.strip()
    if ";" in text:
        parts = text.split(";")
    elif re.fullmatch(rf"\s*{_NUMBER}\s*,\s*{_NUMBER}\s*", text) and text.count(",") == 1:
        parts = text.split(",")  # "63.32, 9.88": the comma separates
    else:
        parts = re.split(r"[\s,]+" if "." in text else r"\s+", text)
    values = []
    for part in (p.strip() for p in parts if p.strip()):
        if re.fullmatch(r"[NnEeØøXxYy]\s*[:=]?", part):
            continue  # a label standing alone: "N 63.3 E 9.8"
        part = re.sub(r"^[NnEeØøXxYy]\s*[:=]?\s*", "", part)  # "N 7022000", "Ø: 563000"
        if not re.fullmatch(_NUMBER, part):
            raise CoordinateError("coords_not_number", text=repr(part))
        values.append(float(part.replace(",", ".")))
    return values
