"""Reading layer files: valid files come back typed and in EPSG:4326; every kind of bad file gets a clear error."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from core.schema import FIGURE_COLUMNS, LAYERS
from loaders import CRSError, FileFormatError, SchemaError, parse_geojson, read_figures, read_layer


def generated_park(**overrides) -> dict:
    properties = {
        "id": "p1",
        "name": "Generated test park",
        "municipality": "Orkland",
        "kommunenummer": "5059",
        "status": "planlagt",
        "focus": None,
        "themes": ["biogass"],
        "companies": None,
        "area": 12.5,
        "area_unit": "dekar",
        "source_url": "https://example.org/generated",
        "source_year": 2024,
        "location_precision": "site",
    }
    geometry = overrides.pop("geometry", {"type": "Point", "coordinates": [9.85, 63.31]})
    properties.update(overrides)
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features, **extra) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra})


def test_valid_file_gives_schema_columns_and_types():
    frame = parse_geojson(collection(generated_park(), generated_park(id="p2", status=None)), "parks")
    assert list(frame.columns) == LAYERS["parks"].columns
    assert frame.crs.to_epsg() == 4326
    assert frame.loc[0, "themes"] == ["biogass"]
    assert frame["source_year"].dtype == "Int64"
    assert pd.isna(frame.loc[1, "status"])
    assert frame.geometry.iloc[0].equals(Point(9.85, 63.31))


def test_bom_and_crlf_are_accepted():
    text = collection(generated_park()).replace(",", ",\r\n")
    frame = parse_geojson(b"\xef\xbb\xbf" + text.encode("utf-8"), "parks")
    assert len(frame) == 1


def test_integer_kommunenummer_gets_its_leading_zero_back():
    frame = parse_geojson(collection(generated_park(kommunenummer=301)), "parks")
    assert frame.loc[0, "kommunenummer"] == "0301"


def test_single_feature_is_taken_as_a_collection():
    assert len(parse_geojson(json.dumps(generated_park()), "parks")) == 1


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", FileFormatError, "empty"),
        (b"   \n", FileFormatError, "empty"),
        (b"\xff\xfe{\x00", FileFormatError, "UTF-8"),
        (b'{"type": "FeatureCollection", "features": [', FileFormatError, "not valid JSON (line 1"),
        (b"[1, 2, 3]", FileFormatError, "not GeoJSON"),
        (b'{"type": "Topology"}', FileFormatError, "FeatureCollection"),
    ],
)
def test_unreadable_files(data, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(")):
        parse_geojson(data, "parks")


def test_projected_crs_is_refused_with_its_name():
    text = collection(generated_park(), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}})
    with pytest.raises(CRSError, match="25833"):
        parse_geojson(text, "parks")


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"name": ""}, "name", "present and non-empty"),
        ({"id": None}, "id", "present and non-empty"),
        ({"status": "ferdig"}, "status", "one of"),
        ({"themes": "biogass"}, "themes", "a list of text values"),
        ({"area": "stor"}, "area", "a number"),
        ({"source_year": "2020a"}, "source_year", "a whole number"),
        ({"kommunenummer": "50590"}, "kommunenummer", "4 digits"),
        ({"location_precision": "exact"}, "location_precision", "one of"),
        ({"geometry": None}, "geometry", "a geometry"),
        ({"geometry": {"type": "LineString", "coordinates": [[9, 63], [10, 63]]}}, "geometry", "one of Point"),
        ({"geometry": {"type": "Point", "coordinates": [563000, 7022000]}}, "geometry", "longitude/latitude"),
        ({"geometry": {"type": "Point", "coordinates": ["a"]}}, "geometry", "a GeoJSON geometry"),
        (
            {"geometry": {"type": "Polygon", "coordinates": [[[9, 63], [10, 64], [10, 63], [9, 64], [9, 63]]]}},
            "geometry",
            "a valid geometry",
        ),
    ],
)
def test_schema_errors_name_feature_field_and_expectation(overrides, field, expected):
    good = generated_park(id="p0")
    with pytest.raises(SchemaError) as info:
        parse_geojson(collection(good, generated_park(**overrides)), "parks")
    error = info.value
    assert (error.feature, error.field) == (1, field)
    assert expected in str(error)
    assert str(error).startswith("feature 1: field")


def test_duplicate_ids_are_refused():
    with pytest.raises(SchemaError, match="unique"):
        parse_geojson(collection(generated_park(), generated_park()), "parks")


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown layer kind"):
        parse_geojson(collection(generated_park()), "rivers")


def test_geopackage_round_trip(tmp_path):
    frame = parse_geojson(collection(generated_park(themes=[])), "parks")
    path = tmp_path / "generated_parks.gpkg"
    frame.drop(columns=["themes"]).to_crs(25833).to_file(path)  # GPKG has no list type; projected on purpose
    back = read_layer(path, "parks")
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].distance(Point(9.85, 63.31)) < 1e-6
    assert back.loc[0, "themes"] == []
    assert back.loc[0, "name"] == "Generated test park"


def test_other_file_types_are_refused(tmp_path):
    path = tmp_path / "generated.txt"
    path.write_text("x")
    with pytest.raises(FileFormatError, match=r"\.geojson"):
        read_layer(path, "parks")


def write_figures(tmp_path, rows: list[list[str]]):
    path = tmp_path / "generated_figures.csv"
    lines = [",".join(FIGURE_COLUMNS)] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_figures_read_typed(tmp_path):
    path = write_figures(tmp_path, [["s1", "", "1200.5", "fossil", "stated", "q", "", "https://example.org"]])
    figures = read_figures(path)
    assert figures.loc[0, "amount_t"] == 1200.5
    assert figures["year"].isna().all() and figures["year"].dtype == "Int64"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (["s1", "2020", "", "fossil", "stated", "q", "", "https://example.org"], "amount_t"),
        (["s1", "2020", "-5", "fossil", "stated", "q", "", "https://example.org"], "amount_t"),
        (["s1", "2020", "5", "methane", "stated", "q", "", "https://example.org"], "scope"),
        (["s1", "2020", "5", "fossil", "guess", "q", "", "https://example.org"], "basis"),
        (["s1", "twenty", "5", "fossil", "stated", "q", "", "https://example.org"], "year"),
        (["s1", "2020", "5", "fossil", "stated", "q", "", ""], "source_url"),
    ],
)
def test_bad_figure_rows(tmp_path, row, field):
    with pytest.raises(SchemaError) as info:
        read_figures(write_figures(tmp_path, [row]))
    assert info.value.field == field


def test_figure_table_without_a_column(tmp_path):
    path = tmp_path / "generated_figures.csv"
    path.write_text("facility_id,year\ns1,2020\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="amount_t"):
        read_figures(path)


def test_points_read_by_geopandas_match(tmp_path):
    """The GeoJSON we accept is the GeoJSON geopandas reads: same coordinates."""
    path = tmp_path / "generated_parks.geojson"
    path.write_text(collection(generated_park()), encoding="utf-8")
    ours, theirs = read_layer(path, "parks"), gpd.read_file(path)
    assert ours.geometry.iloc[0].equals(theirs.geometry.iloc[0])
