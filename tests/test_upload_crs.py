"""CRS rules for uploads: parsing what files declare, ranked candidates from coordinate ranges, when to ask."""

from __future__ import annotations

import pytest
import shapely

from i18n import error_text, fmt_number
from loaders.errors import CoordinatesOutOfRange, NeedsCRSChoice, UnknownCRS
from loaders.files.crs import geojson_crs_member, infer_candidates, parse_crs, resolve_crs, sample_coordinates

TRONDELAG_LONLAT = (8.14, 62.26, 14.33, 65.21)
TRONDELAG_UTM33 = (160_000.0, 6_960_000.0, 480_000.0, 7_260_000.0)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("urn:ogc:def:crs:EPSG::25833", 25833),
        ("urn:ogc:def:crs:EPSG:6.6:25832", 25832),
        ("EPSG:25835", 25835),
        ("25833", 25833),
        (4326, 4326),
    ],
)
def test_parse_crs(value, code):
    assert parse_crs(value).to_epsg() == code


def test_parse_crs84():
    assert parse_crs("urn:ogc:def:crs:OGC:1.3:CRS84").to_authority() == ("OGC", "CRS84")


@pytest.mark.parametrize("value", ["EPSG:999999", "not a crs", ""])
def test_unknown_crs(value):
    with pytest.raises(UnknownCRS):
        parse_crs(value)


def test_geojson_crs_member_forms():
    assert geojson_crs_member({"type": "name", "properties": {"name": "EPSG:25833"}}) == "EPSG:25833"
    assert geojson_crs_member({"type": "EPSG", "properties": {"code": 25833}}) == "EPSG:25833"
    assert geojson_crs_member({"type": "link", "properties": {"href": "http://example.org/x.prj"}}) is None
    assert geojson_crs_member(None) is None
    with pytest.raises(UnknownCRS, match="names no coordinate system"):
        geojson_crs_member({"type": "name", "properties": {}})


def test_lonlat_inside_norway_is_unambiguous():
    candidates = infer_candidates(TRONDELAG_LONLAT)
    assert [(c.crs, c.swap_axes) for c in candidates] == [("EPSG:4326", False)]
    assert resolve_crs(TRONDELAG_LONLAT).crs == "EPSG:4326"
    assert resolve_crs(TRONDELAG_LONLAT, default_lonlat="GeoJSON default (RFC 7946)").source.startswith("GeoJSON")


def test_swapped_lonlat_is_suspected_first():
    swapped = (62.26, 8.14, 65.21, 14.33)
    candidates = infer_candidates(swapped)
    assert (candidates[0].crs, candidates[0].swap_axes) == ("EPSG:4326", True)
    assert "inside Norway" in error_text(candidates[0].reason, "en")
    assert "i Norge" in error_text(candidates[0].reason, "nb")
    assert (candidates[1].crs, candidates[1].swap_axes) == ("EPSG:4326", False)
    with pytest.raises(NeedsCRSChoice):
        resolve_crs(swapped)


def test_utm_metres_give_three_zones_and_ask():
    candidates = infer_candidates(TRONDELAG_UTM33)
    assert [c.crs for c in candidates] == ["EPSG:25833", "EPSG:25832", "EPSG:25835"]
    assert all(not c.swap_axes for c in candidates)
    assert "x 160,000 to 480,000" in error_text(candidates[0].reason, "en")
    assert f"x {fmt_number(160_000, 'nb')} til {fmt_number(480_000, 'nb')}" in error_text(candidates[0].reason, "nb")
    with pytest.raises(NeedsCRSChoice) as info:
        resolve_crs(TRONDELAG_UTM33)
    assert "the most plausible is EPSG:25833" in str(info.value)


def test_data_in_its_own_zone_ranks_that_zone_higher():
    finnmark_utm35 = (400_000.0, 7_700_000.0, 600_000.0, 7_900_000.0)  # zone 35's own strip (24–30°E)
    candidates = infer_candidates(finnmark_utm35)
    assert candidates[0].crs == "EPSG:25835"


def test_northing_first_utm_is_a_swapped_candidate():
    northing_first = (6_960_000.0, 160_000.0, 7_260_000.0, 480_000.0)
    candidates = infer_candidates(northing_first)
    assert candidates and all(c.swap_axes for c in candidates)
    assert candidates[0].crs == "EPSG:25833"


def test_web_mercator_is_a_candidate():
    candidates = infer_candidates((1_150_000.0, 9_000_000.0, 1_250_000.0, 9_100_000.0))
    assert [c.crs for c in candidates] == ["EPSG:3857"]


def test_declared_crs_is_used_when_the_coordinates_fit():
    decision = resolve_crs(TRONDELAG_UTM33, "urn:ogc:def:crs:EPSG::25833")
    assert (decision.crs, decision.source) == ("EPSG:25833", "declared")


def test_declared_crs_that_does_not_fit_asks_with_candidates():
    with pytest.raises(NeedsCRSChoice, match=r"declares EPSG:4326 .* do not fit it") as info:
        resolve_crs(TRONDELAG_UTM33, "EPSG:4326")
    assert info.value.candidates[0].crs == "EPSG:25833"


def test_declared_utm_far_outside_its_area_is_refused():
    with pytest.raises(CoordinatesOutOfRange, match="do not fit it"):
        resolve_crs((5e7, 7e6, 5e7 + 10, 7e6 + 10), "EPSG:25833")


def test_chosen_crs_wins_and_is_checked():
    assert resolve_crs(TRONDELAG_UTM33, "EPSG:25832", chosen="EPSG:25833").source == "chosen"
    with pytest.raises(CoordinatesOutOfRange, match="do not fit EPSG:4326"):
        resolve_crs(TRONDELAG_UTM33, chosen="EPSG:4326")


@pytest.mark.parametrize(
    "bounds",
    [(4e9, 9e9, 4e9, 9e9), (-5e6, -5e6, -4e6, -4e6), (float("nan"), 0.0, 1.0, 1.0), (0.0, 0.0, float("inf"), 1.0)],
)
def test_coordinates_that_fit_nothing(bounds):
    with pytest.raises(CoordinatesOutOfRange):
        resolve_crs(bounds)


def test_lonlat_outside_norway_is_taken_when_nothing_else_fits():
    assert resolve_crs((-50.0, -20.0, -40.0, -10.0)).crs == "EPSG:4326"


@pytest.mark.parametrize("epsg", [25832, 25833, 25835])
def test_real_municipalities_rank_their_own_zone_first(kommuner, epsg):
    geometries = kommuner.to_crs(epsg).geometry.values
    bounds = tuple(float(v) for v in shapely.total_bounds(geometries))
    candidates = infer_candidates(bounds, sample_coordinates(geometries))
    assert candidates[0].crs == f"EPSG:{epsg}"
    assert "100% of it on or near mainland Norway" in error_text(candidates[0].reason, "en")
