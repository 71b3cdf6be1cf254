"""Field mapping: suggestions from Norwegian column names, and mapped layers checked exactly like bundled ones."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from core.schema import LAYERS
from i18n import error_text
from loaders.errors import SchemaError
from loaders.upload.field_mapping import (
    BOUNDARY_COLUMNS,
    LayerStyle,
    apply_mapping,
    check_style,
    pad_codes,
    suggest_mapping,
)
from loaders.upload.upload import read_upload


def generated_parks_upload() -> gpd.GeoDataFrame:
    """What read_upload gives for a planner's own park list: Norwegian columns, codes as integers, text lists."""
    frame = pd.DataFrame(
        {
            "Navn": ["Generert park Øra", "Generert park Fannrem"],
            "Kommune": ["Orkland", "Orkland"],
            "Kommunenr": [5059, 5059],
            "Status": ["Etablert", "planlagt"],
            "Tema": ["biogass; varme", '["havbruk"]'],
            "Areal": ["1 250,5", None],
            "Kilde": ["https://example.org/generated/1", "https://example.org/generated/2"],
            "År": ["2024", 2023.0],
            "Merknad": ["fritekst", None],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=[Point(9.85, 63.31), box(9.7, 63.2, 9.72, 63.21)], crs=4326)


def test_suggestions_for_norwegian_park_columns():
    mapping = suggest_mapping(generated_parks_upload().columns, "parks")
    assert mapping == {
        "name": "Navn",
        "municipality": "Kommune",
        "kommunenummer": "Kommunenr",
        "status": "Status",
        "themes": "Tema",
        "area": "Areal",
        "source_url": "Kilde",
        "source_year": "År",
    }


@pytest.mark.parametrize(
    ("kind", "columns", "expected"),
    [
        (
            "sources",
            ["Anleggsnavn", "Bedrift", "Organisasjonsnummer", "Kommunenavn", "KOMNR", "Bransje", "URL", "Year"],
            {
                "facility": "Anleggsnavn",
                "operator": "Bedrift",
                "orgnr": "Organisasjonsnummer",
                "municipality": "Kommunenavn",
                "kommunenummer": "KOMNR",
                "sector": "Bransje",
                "source_url": "URL",
                "source_year": "Year",
            },
        ),
        (
            "members",
            ["firma", "klynge", "rolle", "kommune", "kommune_nr", "kilde"],
            {
                "company": "firma",
                "cluster": "klynge",
                "role": "rolle",
                "municipality": "kommune",
                "kommunenummer": "kommune_nr",
                "source_url": "kilde",
            },
        ),
        (
            "boundaries",
            ["id", "kommunenummer", "name", "kommunenavn"],
            {"name": "name", "kommunenummer": "kommunenummer"},
        ),
        ("boundaries", ["fylkesnummer", "fylkesnavn"], {"name": "fylkesnavn", "fylkesnummer": "fylkesnummer"}),
        ("other", ["navn", "kommune"], {}),
    ],
)
def test_suggestions_per_kind(kind, columns, expected):
    assert suggest_mapping(columns, kind) == expected


def test_facility_prefers_anlegg_over_navn():
    # "navn" is a synonym of facility too, further down its list.
    assert suggest_mapping(["navn", "anlegg"], "sources") == {"facility": "anlegg"}
    assert suggest_mapping(["navn"], "sources") == {"facility": "navn"}


def test_apply_mapping_gives_a_valid_parks_layer():
    upload = generated_parks_upload()
    mapping = suggest_mapping(upload.columns, "parks")
    parks = apply_mapping(upload, "parks", mapping, {"location_precision": "site"}, id_prefix="park-upload")
    assert list(parks.columns) == LAYERS["parks"].columns
    assert list(parks["id"]) == ["park-upload-1", "park-upload-2"]
    assert list(parks["kommunenummer"]) == ["5059", "5059"]
    assert list(parks["status"]) == ["etablert", "planlagt"]
    assert parks.loc[0, "themes"] == ["biogass", "varme"] and parks.loc[1, "themes"] == ["havbruk"]
    assert parks.loc[0, "area"] == 1250.5 and pd.isna(parks.loc[1, "area"])
    assert list(parks["source_year"]) == [2024, 2023]
    assert parks.crs.to_epsg() == 4326
    assert parks.geometry.iloc[1].geom_type == "Polygon"


def test_a_required_field_left_empty_names_feature_and_field():
    upload = generated_parks_upload()
    upload.loc[1, "Kilde"] = None
    mapping = suggest_mapping(upload.columns, "parks")
    with pytest.raises(SchemaError) as info:
        apply_mapping(upload, "parks", mapping, {"location_precision": "site"})
    assert (info.value.feature, info.value.field) == (1, "source_url")
    assert str(info.value) == "feature 1: field 'source_url' must be present and non-empty"


def test_an_unmapped_required_field_without_default_is_refused():
    upload = generated_parks_upload()
    with pytest.raises(SchemaError, match="feature 0: field 'location_precision' must be present and non-empty"):
        apply_mapping(upload, "parks", suggest_mapping(upload.columns, "parks"))


def test_a_wrong_value_gets_the_bundled_check_message():
    upload = generated_parks_upload()
    upload.loc[0, "Status"] = "ferdig"
    with pytest.raises(SchemaError, match="feature 0: field 'status' must be one of 'etablert'"):
        apply_mapping(upload, "parks", suggest_mapping(upload.columns, "parks"), {"location_precision": "site"})


def test_sources_need_points():
    upload = generated_parks_upload().rename(columns={"Navn": "Anlegg"})
    mapping = suggest_mapping(upload.columns, "sources")
    with pytest.raises(SchemaError, match="feature 1: field 'geometry' must be one of Point"):
        apply_mapping(upload, "sources", mapping, {"location_precision": "site"})


def test_mapping_to_a_missing_column_is_refused():
    with pytest.raises(SchemaError, match="field 'name' must be mapped to a column of the uploaded layer, got 'Nme'"):
        apply_mapping(generated_parks_upload(), "parks", {"name": "Nme"})
    with pytest.raises(SchemaError, match="field 'colour' must be a field of the park layer"):
        apply_mapping(generated_parks_upload(), "parks", {}, {"colour": "red"})


def test_members_from_an_upload(shared_geodata):
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"firma": "Generert AS", "klynge": "Generert klynge", "rolle": "Member"},
                    "geometry": {"type": "Point", "coordinates": [10.39, 63.43]},
                }
            ],
        }
    ).encode()
    upload = read_upload(data, "generated_members.geojson").frame
    mapping = suggest_mapping(upload.columns, "members")
    defaults = {
        "municipality": "Trondheim",
        "kommunenummer": "5001",
        "source_url": "https://example.org/generated",
        "location_precision": "municipality",
    }
    members = apply_mapping(upload, "members", mapping, defaults)
    assert list(members.columns) == LAYERS["members"].columns
    assert members.loc[0, "role"] == "member"


def test_boundaries_from_the_real_municipality_file(shared_geodata):
    upload = read_upload((shared_geodata / "trondelag_kommuner.geojson").read_bytes(), "kommuner.geojson").frame
    boundaries = apply_mapping(upload, "boundaries", suggest_mapping(upload.columns, "boundaries"))
    assert list(boundaries.columns) == [*BOUNDARY_COLUMNS, "geometry"]
    assert len(boundaries) == 38 and boundaries["kommunenummer"].str.fullmatch(r"\d{4}").all()
    assert boundaries["fylkesnummer"].isna().all()


def test_boundaries_need_a_code_and_polygons():
    upload = gpd.GeoDataFrame({"navn": ["a"], "knr": [301]}, geometry=[box(10, 63, 11, 64)], crs=4326)
    with pytest.raises(SchemaError, match="field 'kommunenummer' must be mapped to a column"):
        apply_mapping(upload, "boundaries", {"name": "navn"})
    assert apply_mapping(upload, "boundaries", {"kommunenummer": "knr"}).loc[0, "kommunenummer"] == "0301"
    lines = upload.set_geometry([LineString([(10, 63), (11, 64)])])
    with pytest.raises(SchemaError, match="feature 0: field 'geometry' must be one of Polygon, MultiPolygon"):
        apply_mapping(lines, "boundaries", {"kommunenummer": "knr"})
    upload.loc[0, "knr"] = 123456
    with pytest.raises(SchemaError, match="feature 0: field 'kommunenummer' must be 4 digits such as \"5001\""):
        apply_mapping(upload, "boundaries", {"kommunenummer": "knr"})


def test_other_keeps_its_fields():
    upload = generated_parks_upload()
    other = apply_mapping(upload, "other", {})
    assert list(other.columns) == list(upload.columns) and other is not upload


def test_style_for_other_layers():
    columns = ["navn", "type"]
    assert check_style(LayerStyle("#aa00ff", True, "navn", ("navn", "type")), columns).label_field == "navn"
    with pytest.raises(SchemaError, match="colour"):
        check_style(LayerStyle("red"), columns)
    with pytest.raises(SchemaError, match="field 'popup_fields' must be a column, got 'x'"):
        check_style(LayerStyle(popup_fields=("x",)), columns)


def test_pad_codes():
    frame = pd.DataFrame(
        {"kommunenummer": pd.array([301, 5001, None], dtype="Int64"), "fylkesnr": ["3", "50", None], "nr": [1, 2, 3]}
    )
    frame, notes = pad_codes(frame)
    assert list(frame["kommunenummer"].fillna("-")) == ["0301", "5001", "-"]
    assert list(frame["fylkesnr"].fillna("-")) == ["03", "50", "-"]
    assert list(frame["nr"]) == [1, 2, 3]
    assert len(notes) == 2 and 'padded to 4 digits (301 → "0301")' in error_text(notes[0], "en")
    assert "fylt ut til 4 sifre (301 → «0301»)" in error_text(notes[0], "nb")


def test_unknown_kind():
    with pytest.raises(ValueError, match="unknown layer kind 'rivers'"):
        suggest_mapping(["navn"], "rivers")


# --- Kartverket's boundary files are suggested as boundaries -----------------------------


@pytest.mark.parametrize(
    "columns, types, expected",
    [
        (["objtype", "lokalId", "kommunenummer", "kommunenavn", "navn"], {"MultiPolygon": 38}, "boundaries"),
        (["objtype", "lokalId", "fylkesnummer", "fylkesnavn"], {"Polygon": 1}, "boundaries"),
        (["id", "kommunenummer", "name", "kommunenavn"], {"MultiPolygon": 38}, "boundaries"),
        (["navn", "kommunenummer", "status", "tema"], {"Polygon": 3}, "other"),  # parks drawn as areas
        (["navn", "kommunenummer"], {"Point": 3}, "other"),
        (["objtype", "fylkesnummer"], {"LineString": 2}, "other"),  # Kartverket's border lines
        (["navn", "areal"], {"Polygon": 2}, "other"),
    ],
)
def test_kartverket_boundary_files_are_suggested_as_boundaries(columns, types, expected):
    from loaders.upload.field_mapping import suggest_kind

    assert suggest_kind(columns, types) == expected


def test_kartverket_names_prefer_the_plain_name_column_over_the_nested_navn():
    columns = ["objtype", "lokalId", "kommunenummer", "kommunenavn", "navn"]
    assert suggest_mapping(columns, "boundaries") == {"kommunenummer": "kommunenummer", "name": "kommunenavn"}


# --- municipality from the geometry, generated ids, the default label --------------------------------


def generated_three_areas(municipality_columns: bool = False) -> gpd.GeoDataFrame:
    """A planner's three areas as a file gives them: a name, no id, no municipality (unless asked)."""
    columns = {"navn": ["Generert område Orkanger", "Generert område Fannrem", "Generert område Lade"]}
    if municipality_columns:
        columns["kommunenr"] = [None, "5059", None]
    return gpd.GeoDataFrame(
        columns,
        geometry=[Point(9.85, 63.30), box(9.70, 63.26, 9.72, 63.27), box(10.44, 63.44, 10.45, 63.445)],
        crs=4326,
    )


DEFAULTS = {"source_url": "https://example.org/generated", "location_precision": "site"}


def test_a_point_in_orkland_gets_5059_orkland_from_the_bundled_boundaries():
    parks = apply_mapping(generated_three_areas(), "parks", {"name": "navn"}, DEFAULTS, id_prefix="generated")
    assert list(parks["kommunenummer"]) == ["5059", "5059", "5001"]
    assert list(parks["municipality"]) == ["Orkland", "Orkland", "Trondheim"]


def test_a_polygon_across_two_municipalities_gets_the_one_it_overlaps_most():
    from loaders.upload.municipalities import bundled_municipalities, municipalities_of

    places = bundled_municipalities().to_crs(4326).set_index("kommunenummer")
    orkland, skaun = places.loc["5059", "geometry"], places.loc["5029", "geometry"]
    border = orkland.boundary.intersection(skaun.boundary).representative_point()
    square = box(border.x - 0.05, border.y - 0.03, border.x + 0.05, border.y + 0.03)
    # Two polygons, each mostly on one side: a bigger piece of one municipality and a smaller of the other.
    mostly_orkland = square.intersection(orkland).union(square.intersection(skaun).buffer(-0.01))
    mostly_skaun = square.intersection(skaun).union(square.intersection(orkland).buffer(-0.01))
    for shape, ok, sk in ((mostly_orkland, orkland, skaun), (mostly_skaun, skaun, orkland)):
        assert shape.intersection(ok).area > shape.intersection(sk).area > 0  # it does straddle the border
    found = municipalities_of(gpd.GeoSeries([mostly_orkland, mostly_skaun], crs=4326))
    assert [(m.kommunenummer, m.name) for m in found] == [("5059", "Orkland"), ("5029", "Skaun")]


def test_a_feature_outside_trondelag_is_named_in_the_users_language():
    outside = generated_three_areas()
    outside.loc[1, "navn"] = "Generert område Bergen"
    outside.loc[1, "geometry"] = Point(5.32, 60.39)
    with pytest.raises(SchemaError) as info:
        apply_mapping(outside, "parks", {"name": "navn"}, DEFAULTS)
    assert (info.value.feature, info.value.field) == (1, "kommunenummer")
    assert error_text(info.value, "nb").startswith("objekt 1 («Generert område Bergen») ligger utenfor Trøndelag")
    assert error_text(info.value, "en").startswith("feature 1 ('Generert område Bergen') lies outside Trøndelag")


def test_a_mapped_column_or_a_default_overrides_the_derived_municipality():
    upload = generated_three_areas(municipality_columns=True)
    upload.loc[0, "kommunenr"] = "5001"  # says Trondheim for a point in Orkland: the file is believed
    parks = apply_mapping(upload, "parks", {"name": "navn", "kommunenummer": "kommunenr"}, DEFAULTS)
    assert list(parks["kommunenummer"]) == ["5001", "5059", "5001"]
    assert list(parks["municipality"]) == ["Trondheim", "Orkland", "Trondheim"]
    typed = apply_mapping(generated_three_areas(), "parks", {"name": "navn"}, {**DEFAULTS, "kommunenummer": "5029"})
    assert set(typed["kommunenummer"]) == {"5029"} and set(typed["municipality"]) == {"Skaun"}


def test_ids_are_generated_from_the_layer_name_and_row_and_are_stable():
    from loaders.upload.ingest import LayerMapping, prepare

    data = generated_three_areas().to_json(drop_id=True).encode()
    first = prepare(data, "generated_parker.geojson", fields=LayerMapping("parks", {"name": "navn"}, DEFAULTS))
    again = prepare(data, "generated_parker.geojson", fields=LayerMapping("parks", {"name": "navn"}, DEFAULTS))
    assert list(first.layer["id"]) == ["generated-parker-1", "generated-parker-2", "generated-parker-3"]
    assert list(again.layer["id"]) == list(first.layer["id"])
    assert list(first.layer["kommunenummer"]) == ["5059", "5059", "5001"]


@pytest.mark.parametrize(
    ("columns", "label"),
    [
        (["id", "areal", "navn"], "navn"),
        (["ID", "NAVN", "kommune"], "NAVN"),
        (["Navn", "name"], "name"),  # the list's order decides, not the file's
        (["objekt_navn", "tittel"], "objekt_navn"),
        (["stedsnavn", "kommune"], "stedsnavn"),
        (["label", "tittel"], "label"),
        (["id", "areal"], None),
    ],
)
def test_a_name_like_column_is_the_default_label(columns, label):
    from loaders.upload.field_mapping import suggest_label

    assert suggest_label(columns) == label
