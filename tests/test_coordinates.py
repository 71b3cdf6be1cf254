"""Typed coordinates for placing facilities: degrees or UTM, Norwegian decimals, Norway only."""

from __future__ import annotations

import pytest
from pyproj import Transformer

from loaders.files.coordinates import CoordinateError, parse_coordinates

ELKEM = (9.87833, 63.32083)  # lon, lat of the Elkem Thamshavn quay in the bundled data


@pytest.mark.parametrize(
    "text",
    ["63.32083, 9.87833", "63,32083; 9,87833", "63.32083 9.87833", " 63.32083 ,9.87833 ", "N 63.32083 E 9.87833"],
)
def test_degrees(text):
    assert parse_coordinates(text) == pytest.approx(ELKEM)


@pytest.mark.parametrize(
    "zone,epsg,place",
    [("32", 25832, (5.32, 60.39)), ("33", 25833, ELKEM), ("35", 25835, (30.05, 69.73))],  # Bergen, Kirkenes
)
def test_utm_in_each_norwegian_zone_both_orders(zone, epsg, place):
    east, north = Transformer.from_crs(4326, epsg, always_xy=True).transform(*place)
    for text in (f"{east:.1f} {north:.1f}", f"Ø {east:.1f}; N {north:.1f}", f"{north:.1f}, {east:.1f}"):
        assert parse_coordinates(text, zone) == pytest.approx(place, abs=1e-5), text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("63.3", "two numbers"),
        ("63.3, 9.8, 1", "two numbers"),
        ("abc, def", "not a number"),
        ("9.87833, 63.32083", "outside Norway"),  # lon, lat: swapped
        ("500, 600", "neither"),
        ("10.0, 40.0", "outside Norway"),
    ],
)
def test_bad_coordinates_say_what_is_wrong(text, words):
    with pytest.raises(CoordinateError, match=words):
        parse_coordinates(text)


def test_unknown_utm_zone():
    with pytest.raises(CoordinateError, match="UTM zone"):
        parse_coordinates("563000 7022000", "31")
