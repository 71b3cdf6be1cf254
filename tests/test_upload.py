"""Uploads: real Kartverket-based files and generated variants in every format, validation counts, bad input.

Generated files are written in tmp_path and named generated_…; the real ones come from ../shared/geodata.
"""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from core.messages import Message
from i18n import error_text
from loaders.errors import (
    CoordinatesOutOfRange,
    FileFormatError,
    LayerError,
    NeedsCRSChoice,
    NeedsLayerChoice,
    SchemaError,
    UnknownCRS,
    UnsafeArchive,
    UploadTooLarge,
)
from loaders.upload.upload import UploadLimits, inspect_upload, read_upload

UTM33_URN = "urn:ogc:def:crs:EPSG::25833"
HTML = "<img src=x onerror=alert(1)>"


# --- helpers ---------------------------------------------------------------------------------------


def feature(geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def point(lon=10.39, lat=63.43) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def collection_bytes(*features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}, ensure_ascii=False).encode()


def legacy_crs(name: str) -> dict:
    return {"type": "name", "properties": {"name": name}}


def geojson_dict(frame: gpd.GeoDataFrame, crs_name: str | None = None) -> dict:
    document = json.loads(frame.to_json(drop_id=True))
    if crs_name:
        document["crs"] = legacy_crs(crs_name)
    return document


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def shapefile_members(frame: gpd.GeoDataFrame, folder: Path, stem: str) -> dict[str, bytes]:
    folder.mkdir(exist_ok=True)
    frame = frame.rename(columns={"fylkesnummer": "fylkesnr"})  # .dbf names stop at 10 characters
    pyogrio.write_dataframe(frame, folder / f"{stem}.shp", driver="ESRI Shapefile")
    return {p.name: p.read_bytes() for p in sorted(folder.glob(f"{stem}.*"))}


@pytest.fixture(scope="module")
def county(shared_geodata) -> gpd.GeoDataFrame:
    return gpd.read_file(shared_geodata / "trondelag_fylke.geojson")


@pytest.fixture(scope="module")
def county_utm33(county) -> gpd.GeoDataFrame:
    return county.to_crs(25833)


@pytest.fixture(scope="module")
def geonorge_wrapped(county_utm33) -> bytes:
    """Geonorge-style: one JSON object holding a "Fylke" and a "Grense" FeatureCollection, in UTM 33."""
    lines = gpd.GeoDataFrame({"objtype": ["Fylkesgrense"]}, geometry=county_utm33.boundary.values, crs=county_utm33.crs)
    document = {
        "Fylke": geojson_dict(county_utm33, UTM33_URN),
        "Grense": geojson_dict(lines, UTM33_URN),
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def assert_bounds_close(actual, expected, tolerance=1e-6):
    assert np.allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), atol=tolerance, rtol=0)


# --- the real shared files -------------------------------------------------------------------------


def test_real_municipality_file(shared_geodata):
    data = (shared_geodata / "trondelag_kommuner.geojson").read_bytes()
    inspection = inspect_upload(data, "trondelag_kommuner.geojson")
    (layer,) = inspection.layers
    assert inspection.format == "geojson"
    assert layer.feature_count == 38
    assert layer.geometry_types == {"Polygon": 17, "MultiPolygon": 21}
    assert (layer.crs, layer.crs_source, layer.declared_crs) == ("EPSG:4326", "GeoJSON default (RFC 7946)", None)
    assert layer.fields == ("id", "kommunenummer", "name", "kommunenavn")
    uploaded = read_upload(data, "trondelag_kommuner.geojson")
    frame = uploaded.frame
    assert len(frame) == 38 and frame.crs.to_epsg() == 4326
    assert shapely.is_valid(frame.geometry.values).all()
    assert "Trondheim - Tråante" in set(frame["name"])
    assert set(frame["kommunenummer"].str.len()) == {4}
    assert_bounds_close(uploaded.report.bbox, (8.1394, 62.2557, 14.3260, 65.2102), 1e-4)
    assert uploaded.report.features_read == uploaded.report.features_kept == 38
    assert uploaded.original_crs == "EPSG:4326"


def test_real_county_file_with_346_parts(shared_geodata, county):
    data = (shared_geodata / "trondelag_fylke.geojson").read_bytes()
    uploaded = read_upload(data, "trondelag_fylke.geojson")
    (geometry,) = uploaded.frame.geometry
    assert len(county.geometry[0].geoms) == 346
    assert geometry.geom_type == "MultiPolygon" and geometry.is_valid
    # The simplified source has one self-intersection; make_valid repairs it and the report counts it.
    assert uploaded.report.invalid_repaired == 1
    assert_bounds_close(geometry.bounds, county.total_bounds)
    assert uploaded.frame.loc[0, "fylkesnavn"] == "Trøndelag - Trööndelage"


def test_real_national_file(shared_geodata):
    data = (shared_geodata / "norge_fylker_s.geojson").read_bytes()
    uploaded = read_upload(data, "norge_fylker_s.geojson")
    assert len(uploaded.frame) == 15
    assert uploaded.report.geometry_types == {"Polygon": 1, "MultiPolygon": 14}
    assert shapely.is_valid(uploaded.frame.geometry.values).all()
    assert sorted(uploaded.frame["fylkesnummer"])[0] == "03"
    assert_bounds_close(uploaded.report.bbox, (4.6419, 57.9745, 31.1470, 71.1730), 1e-4)


# --- generated variants of the county file ---------------------------------------------------------


def test_legacy_crs_member_utm33_is_reprojected(tmp_path, county, county_utm33):
    path = tmp_path / "generated_fylke_25833.geojson"
    path.write_text(json.dumps(geojson_dict(county_utm33, UTM33_URN), ensure_ascii=False), encoding="utf-8")
    inspection = inspect_upload(path.read_bytes(), path.name)
    (layer,) = inspection.layers
    assert (layer.declared_crs, layer.crs, layer.crs_source) == (UTM33_URN, "EPSG:25833", "declared")
    assert_bounds_close(layer.lonlat_bounds, county.total_bounds)
    uploaded = read_upload(path.read_bytes(), path.name)
    assert uploaded.original_crs == "EPSG:25833"
    assert uploaded.report.crs_found == UTM33_URN
    assert_bounds_close(uploaded.frame.total_bounds, county.total_bounds)


def test_geonorge_wrapper_lists_layers_and_reads_fylke(geonorge_wrapped, county):
    inspection = inspect_upload(geonorge_wrapped, "generated_Basisdata_50_Trondelag_25833_Fylker.json")
    assert inspection.layer_names == ["Fylke", "Grense"]
    assert inspection.needs_layer_choice
    assert inspection.layer("Grense").geometry_types == {"MultiLineString": 1}
    assert all(layer.crs == "EPSG:25833" for layer in inspection.layers)
    with pytest.raises(NeedsLayerChoice) as info:
        read_upload(geonorge_wrapped, "generated_fylker.json")
    assert info.value.layers == ("Fylke", "Grense")
    assert "choose one" in str(info.value)
    uploaded = read_upload(geonorge_wrapped, "generated_fylker.json", layer="Fylke")
    assert uploaded.name == "Fylke"
    assert len(uploaded.frame) == 1
    assert uploaded.frame.geometry.iloc[0].geom_type == "MultiPolygon"
    assert uploaded.frame.crs.to_epsg() == 4326
    assert uploaded.original_crs == "EPSG:25833"
    assert_bounds_close(uploaded.frame.total_bounds, county.total_bounds)
    with pytest.raises(LayerError, match="no layer named 'Kommune'"):
        read_upload(geonorge_wrapped, "generated_fylker.json", layer="Kommune")


def test_zipped_shapefile_with_prj(tmp_path, county, county_utm33):
    members = shapefile_members(county_utm33, tmp_path / "shp", "generated_fylke")
    data = zip_bytes(members)
    inspection = inspect_upload(data, "generated_fylke_shp.zip")
    assert inspection.format == "shapefile"
    assert inspection.layers[0].crs == "EPSG:25833"
    uploaded = read_upload(data, "generated_fylke_shp.zip")
    assert uploaded.original_crs == "EPSG:25833"
    assert uploaded.frame.loc[0, "fylkesnavn"] == "Trøndelag - Trööndelage"
    assert_bounds_close(uploaded.frame.total_bounds, county.total_bounds)


def test_zipped_shapefile_without_prj_or_cpg_asks_for_the_crs(tmp_path, county):
    members = shapefile_members(county.to_crs(25833), tmp_path / "shp", "generated_fylke")
    members = {n: b for n, b in members.items() if not n.endswith((".prj", ".cpg"))}
    data = zip_bytes({f"mappe/{n}": b for n, b in members.items()})
    (layer,) = inspect_upload(data, "generated_noprj.zip").layers
    assert layer.needs_crs_choice and layer.crs is None
    codes = [c.crs for c in layer.candidates]
    assert codes[0] == "EPSG:25833" and {"EPSG:25832", "EPSG:25835"} <= set(codes)
    assert "Trøndelag" not in error_text(layer.candidates[0].reason, "en")  # reasons give ranges, not guesses at names
    assert "latitude 62." in error_text(layer.candidates[0].reason, "en")
    with pytest.raises(NeedsCRSChoice) as info:
        read_upload(data, "generated_noprj.zip")
    assert info.value.candidates[0].crs == "EPSG:25833"
    uploaded = read_upload(data, "generated_noprj.zip", crs="EPSG:25833")
    assert uploaded.crs_source == "chosen"
    assert uploaded.frame.loc[0, "fylkesnavn"] == "Trøndelag - Trööndelage"  # UTF-8 .dbf found without .cpg
    assert_bounds_close(uploaded.frame.total_bounds, county.total_bounds)


def test_geopackage_with_two_layers(tmp_path, shared_geodata):
    kommuner = gpd.read_file(shared_geodata / "trondelag_kommuner.geojson")
    path = tmp_path / "generated_two_layers.gpkg"
    pyogrio.write_dataframe(kommuner.to_crs(25833), path, layer="kommuner")
    points = gpd.GeoDataFrame({"navn": ["Orkanger", "Verdal"]}, geometry=[Point(9.85, 63.31), Point(11.48, 63.79)])
    pyogrio.write_dataframe(points.set_crs(4326), path, layer="steder", append=False)
    data = path.read_bytes()
    inspection = inspect_upload(data, path.name)
    assert inspection.format == "gpkg"
    assert sorted(inspection.layer_names) == ["kommuner", "steder"]
    assert inspection.layer("kommuner").crs == "EPSG:25833"
    assert inspection.layer("steder").crs == "EPSG:4326"
    assert inspection.layer("steder").feature_count == 2
    uploaded = read_upload(data, path.name, layer="kommuner")
    assert len(uploaded.frame) == 38 and uploaded.original_crs == "EPSG:25833"
    assert_bounds_close(uploaded.frame.total_bounds, kommuner.total_bounds)
    steder = read_upload(data, path.name, layer="steder")
    assert list(steder.frame["navn"]) == ["Orkanger", "Verdal"]


def test_kml(tmp_path, shared_geodata):
    kommuner = gpd.read_file(shared_geodata / "trondelag_kommuner.geojson").iloc[:3]
    path = tmp_path / "generated_kommuner.kml"
    pyogrio.write_dataframe(kommuner[["kommunenummer", "kommunenavn", "geometry"]], path, driver="KML")
    data = path.read_bytes()
    inspection = inspect_upload(data, path.name)
    assert inspection.format == "kml"
    (layer,) = inspection.layers
    assert layer.crs == "EPSG:4326" and layer.feature_count == 3
    uploaded = read_upload(data, path.name)
    assert list(uploaded.frame["kommunenavn"]) == list(kommuner["kommunenavn"])
    assert "tessellate" not in uploaded.frame.columns  # LIBKML's empty housekeeping columns are dropped
    assert_bounds_close(uploaded.frame.total_bounds, kommuner.total_bounds)
    kmz = zip_bytes({"doc.kml": data})
    assert len(read_upload(kmz, "generated_kommuner.kmz").frame) == 3


# --- CSV and XLSX ----------------------------------------------------------------------------------

PLACES = [("Orkanger", 9.8497, 63.3093), ("Verdal", 11.4834, 63.7929), ("Røros", 11.3853, 62.5747)]


def utm33(lon, lat):
    from pyproj import Transformer

    return Transformer.from_crs(4326, 25833, always_xy=True).transform(lon, lat)


def norwegian(number: float) -> str:
    return f"{number:.2f}".replace(".", ",")


def test_csv_with_ost_nord_utm33_and_decimal_commas(tmp_path):
    lines = ["Navn;Øst;Nord;Kommunenummer"]
    for name, lon, lat in PLACES:
        east, north = utm33(lon, lat)
        lines.append(f"{name};{norwegian(east)};{norwegian(north)};{5059 if name == 'Orkanger' else 301}")
    path = tmp_path / "generated_steder_utm33.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    inspection = inspect_upload(path.read_bytes(), path.name)
    (layer,) = inspection.layers
    assert layer.needs_crs_choice
    assert layer.candidates[0].crs == "EPSG:25833"
    uploaded = read_upload(path.read_bytes(), path.name, crs=layer.candidates[0].crs)
    got = [(g.x, g.y) for g in uploaded.frame.geometry]
    assert np.allclose(got, [(lon, lat) for _, lon, lat in PLACES], atol=1e-6)
    assert list(uploaded.frame["Navn"]) == ["Orkanger", "Verdal", "Røros"]
    assert list(uploaded.frame["Kommunenummer"]) == ["5059", "0301", "0301"]


def test_csv_declaring_utm33_in_the_header_needs_no_choice(tmp_path):
    east, north = utm33(9.8497, 63.3093)
    data = f"navn,Øst (EUREF89 UTM33),Nord (EUREF89 UTM33)\nOrkanger,{east:.2f},{north:.2f}\n".encode()
    (layer,) = inspect_upload(data, "generated_header.csv").layers
    assert (layer.crs, layer.declared_crs) == ("EPSG:25833", "EPSG:25833")
    uploaded = read_upload(data, "generated_header.csv")
    assert uploaded.frame.geometry.iloc[0].distance(Point(9.8497, 63.3093)) < 1e-6


def test_csv_with_lat_and_lon_swapped(tmp_path):
    # The header says lat;lon but the numbers are lon;lat: read as written they land in the Indian Ocean.
    lines = ["navn;lat;lon"] + [f"{n};{norwegian(lon)};{norwegian(lat)}" for n, lon, lat in PLACES]
    data = "\n".join(lines).encode()
    (layer,) = inspect_upload(data, "generated_swapped.csv").layers
    assert layer.swapped_axes_suspected
    assert layer.candidates[0].swap_axes and layer.candidates[0].crs == "EPSG:4326"
    with pytest.raises(NeedsCRSChoice, match="Choose"):
        read_upload(data, "generated_swapped.csv")
    uploaded = read_upload(data, "generated_swapped.csv", crs="EPSG:4326", swap_axes=True)
    assert uploaded.swap_axes
    assert np.allclose([(g.x, g.y) for g in uploaded.frame.geometry], [(lon, lat) for _, lon, lat in PLACES], atol=1e-2)


def test_csv_lat_lon_in_either_column_order_needs_no_choice():
    data = b"lat,lon,navn\n63.4305,10.3951,Trondheim\n"
    uploaded = read_upload(data, "generated_latlon.csv")
    assert uploaded.frame.geometry.iloc[0].equals(Point(10.3951, 63.4305))
    assert uploaded.crs_source == "inferred"


def test_xlsx_with_lat_lon(tmp_path):
    frame = pd.DataFrame({"Navn": [n for n, _, _ in PLACES], "Lat": [p[2] for p in PLACES]})
    frame["Lon"] = [p[1] for p in PLACES]
    frame["Komnr"] = [5059, 5038, 5025]
    path = tmp_path / "generated_steder.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame([["Steder i Trøndelag"], [None]]).to_excel(writer, sheet_name="Ark1", header=False, index=False)
        frame.to_excel(writer, sheet_name="Ark1", startrow=3, index=False)
    data = path.read_bytes()
    inspection = inspect_upload(data, path.name)
    assert inspection.format == "xlsx" and inspection.layer_names == ["Ark1"]
    uploaded = read_upload(data, path.name)
    assert np.allclose([(g.x, g.y) for g in uploaded.frame.geometry], [(lon, lat) for _, lon, lat in PLACES])
    assert list(uploaded.frame["Navn"]) == ["Orkanger", "Verdal", "Røros"]
    assert list(uploaded.frame["Komnr"]) == ["5059", "5038", "5025"]


def test_csv_bad_coordinate_names_row_and_column():
    data = b"navn;lat;lon\nA;63,1;10,2\nB;sju;10,3\n"
    with pytest.raises(SchemaError, match="row 3, column 'lat'"):
        read_upload(data, "generated_bad_cell.csv")


def test_csv_without_coordinate_columns():
    with pytest.raises(FileFormatError, match="no coordinate columns"):
        inspect_upload(b"navn;kommune\nA;Orkland\n", "generated_nocoords.csv")


def test_csv_in_windows_1252_is_read_with_a_note():
    data = "navn;lat;lon\nRøros;62,5747;11,3853\n".encode("cp1252")
    uploaded = read_upload(data, "generated_cp1252.csv")
    assert uploaded.frame.loc[0, "navn"] == "Røros"
    assert error_text(Message("read_as_cp1252"), "en") in [error_text(w, "en") for w in uploaded.report.warnings]
    nb = [error_text(w, "nb") for w in uploaded.report.warnings]
    assert "filen er ikke UTF-8; den ble lest som Windows-1252 (slik Excel i Norge lagrer)" in nb


# --- awkward GeoJSON -------------------------------------------------------------------------------


def test_integer_kommunenummer_gets_leading_zero():
    data = collection_bytes(feature(point(), navn="Oslo", kommunenummer=301), feature(point(), kommunenummer=5001))
    uploaded = read_upload(data, "generated_int_codes.geojson")
    assert list(uploaded.frame["kommunenummer"]) == ["0301", "5001"]
    assert any('301 → "0301"' in error_text(w, "en") for w in uploaded.report.warnings)
    assert any("301 → «0301»" in error_text(w, "nb") for w in uploaded.report.warnings)


def test_bom_and_crlf():
    text = collection_bytes(feature(point(), navn="Å"), feature(point(11, 64), navn="Ø")).decode()
    data = b"\xef\xbb\xbf" + text.replace(",", ",\r\n").replace("{", "{\r\n").encode("utf-8")
    uploaded = read_upload(data, "generated_bom_crlf.geojson")
    assert list(uploaded.frame["navn"]) == ["Å", "Ø"]


def test_aeoeaa_keys_nested_properties_booleans_and_nulls():
    properties = {
        "Næringsområde": "Øra",
        "åpen": True,
        "merknad": None,
        "adresse": {"gate": "Havnegata", "postnummer": "7300", "sted": {"navn": "Orkanger"}},
        "bedrifter": [{"navn": "Elkem", "ansatte": 300}, {"navn": "Ørsted"}],
        "tema": ["biogass", "varme"],
        "areal.daa": 12.5,
    }
    second = {"Næringsområde": "Fannrem", "åpen": False, "merknad": "ny", "adresse": {}, "areal.daa": None}
    data = collection_bytes(feature(point(), **properties), feature(point(9.9, 63.3), **second))
    uploaded = read_upload(data, "generated_nested.geojson")
    frame = uploaded.frame
    assert list(frame.columns[:4]) == ["Næringsområde", "åpen", "merknad", "adresse.gate"]
    assert frame.loc[0, "adresse.sted.navn"] == "Orkanger"
    assert frame.loc[0, "adresse.postnummer"] == "7300"
    assert json.loads(frame.loc[0, "bedrifter"]) == properties["bedrifter"]
    assert "Ørsted" in frame.loc[0, "bedrifter"]  # JSON text keeps æøå as they are
    assert json.loads(frame.loc[0, "tema"]) == ["biogass", "varme"]
    assert frame.loc[0, "areal.daa"] == 12.5 and pd.isna(frame.loc[1, "areal.daa"])
    assert str(frame["åpen"].dtype) == "boolean"
    assert list(frame["åpen"]) == [True, False]
    assert pd.isna(frame.loc[0, "merknad"]) and frame.loc[1, "merknad"] == "ny"
    assert frame.loc[1, "adresse"] == "{}"  # an empty object is kept as text, not lost


def test_mixed_geometry_types_are_reported():
    data = collection_bytes(
        feature(point()),
        feature({"type": "LineString", "coordinates": [[10, 63], [10.5, 63.2]]}),
        feature(json.loads(shapely.to_geojson(box(10, 63, 10.1, 63.1)))),
        feature({"type": "GeometryCollection", "geometries": [point()]}),
    )
    uploaded = read_upload(data, "generated_mixed.geojson")
    assert uploaded.report.geometry_types == {"Point": 1, "LineString": 1, "Polygon": 1, "GeometryCollection": 1}
    mixed = [w for w in uploaded.report.warnings if w.code == "mixed_geometry"]
    assert error_text(mixed[0], "en") == "mixed geometry types: 1 Point, 1 LineString, 1 Polygon, 1 GeometryCollection"
    assert error_text(mixed[0], "nb").startswith("blandede geometrityper: 1 Point, 1 LineString")


def test_bow_tie_is_repaired_and_counted():
    bow_tie = {"type": "Polygon", "coordinates": [[[10, 63], [11, 64], [11, 63], [10, 64], [10, 63]]]}
    data = collection_bytes(feature(bow_tie, navn="sløyfe"), feature(point()))
    uploaded = read_upload(data, "generated_bowtie.geojson")
    assert uploaded.report.invalid_repaired == 1
    repaired = uploaded.frame.geometry.iloc[0]
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon" and len(repaired.geoms) == 2
    assert repaired.area == pytest.approx(0.5)


def test_empty_geometries_are_dropped_and_counted():
    data = collection_bytes(
        feature(point(), navn="a"),
        feature(None, navn="no geometry"),
        feature({"type": "Polygon", "coordinates": []}, navn="empty polygon"),
        feature({"type": "GeometryCollection", "geometries": []}, navn="empty collection"),
    )
    uploaded = read_upload(data, "generated_empty.geojson")
    assert uploaded.report.empty_dropped == 3
    assert (uploaded.report.features_read, uploaded.report.features_kept) == (4, 1)
    assert list(uploaded.frame["navn"]) == ["a"]


def test_duplicates_are_noted_not_dropped():
    data = collection_bytes(
        feature(point(), navn="a"), feature(point(), navn="a"), feature(point(), navn="b"), feature(point(), navn="a")
    )
    uploaded = read_upload(data, "generated_duplicates.geojson")
    assert uploaded.report.duplicates == 2
    assert len(uploaded.frame) == 4


def test_multipolygon_with_thousands_of_parts_reads_back_whole():
    """Its speed is measured in benchmarks/bench_upload.py, not here."""
    parts = [
        box(10 + (i % 100) * 0.01, 63 + (i // 100) * 0.01, 10.005 + (i % 100) * 0.01, 63.005 + (i // 100) * 0.01)
        for i in range(5000)
    ]
    geometry = json.loads(shapely.to_geojson(MultiPolygon(parts)))
    data = collection_bytes(feature(geometry, navn="mange"))
    uploaded = read_upload(data, "generated_5000_parts.geojson")
    assert len(uploaded.frame.geometry.iloc[0].geoms) == 5000


def test_feature_count_warning():
    data = collection_bytes(*[feature(point(10 + i / 100, 63)) for i in range(12)])
    limits = UploadLimits(feature_warning=10)
    uploaded = read_upload(data, "generated_many.geojson", limits=limits)
    assert error_text(uploaded.report.warnings[0], "en").startswith("the layer has 12 features, more than 10")


def test_progress_reports_stages():
    calls = []
    data = collection_bytes(feature(point()))
    read_upload(data, "generated_progress.geojson", progress=lambda f, s: calls.append((f, s)))
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    stages = [s for _, s in calls]
    assert sorted(set(stages), key=stages.index) == ["checking", "reading", "validating", "done"]
    inspected = []
    inspect_upload(data, "generated_progress.geojson", progress=lambda f, s: inspected.append((f, s)))
    assert [s for _, s in inspected][0] == "checking" and inspected[-1] == (1.0, "done")


def test_html_in_properties_and_layer_names_stays_verbatim_text():
    data = json.dumps(
        {HTML: {"type": "FeatureCollection", "features": [feature(point(), **{"navn": HTML, HTML: "x"})]}}
    ).encode()
    inspection = inspect_upload(data, "generated_html.json")
    assert inspection.layer_names == [HTML]
    uploaded = read_upload(data, "generated_html.json")
    assert uploaded.name == HTML
    assert uploaded.frame.loc[0, "navn"] == HTML
    assert uploaded.frame.loc[0, HTML] == "x"


def test_out_of_norway_lonlat_is_read_with_a_warning():
    uploaded = read_upload(collection_bytes(feature(point(-47.9, -15.8))), "generated_brasilia.geojson")
    assert uploaded.original_crs == "EPSG:4326"
    assert any(w.code == "outside_norway" for w in uploaded.report.warnings)
    assert any("outside Norway" in error_text(w, "en") for w in uploaded.report.warnings)


def test_geojson_in_metres_without_crs_member_asks():
    east, north = utm33(10.39, 63.43)
    data = collection_bytes(feature({"type": "Point", "coordinates": [east, north]}))
    with pytest.raises(NeedsCRSChoice) as info:
        read_upload(data, "generated_metres.geojson")
    assert info.value.candidates[0].crs == "EPSG:25833"
    uploaded = read_upload(data, "generated_metres.geojson", crs="EPSG:25833")
    assert uploaded.frame.geometry.iloc[0].distance(Point(10.39, 63.43)) < 1e-6


# --- bad input: one test per class, asserting the message -------------------------------------------


def test_too_large():
    with pytest.raises(UploadTooLarge, match=r"the file is 1 KB; the limit for an upload is 100 bytes"):
        inspect_upload(b"{" + b" " * 1023, "generated_big.geojson", limits=UploadLimits(max_bytes=100))


def test_zip_with_path_traversal(tmp_path):
    data = zip_bytes({"../evil.shp": b"x", "evil.shx": b"x", "evil.dbf": b"x"})
    with pytest.raises(UnsafeArchive, match=r"climbs out of the archive \('../evil.shp'\)"):
        inspect_upload(data, "generated_evil.zip")


@pytest.mark.parametrize("name", ["/etc/evil.shp", "C:/evil.shp", "C:\\evil.shp"])
def test_zip_with_absolute_path(name):
    with pytest.raises(UnsafeArchive, match="absolute path"):
        inspect_upload(zip_bytes({name: b"x"}), "generated_abs.zip")


def test_zip_with_symlink():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("layer.shp")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeArchive, match=r"symbolic link \('layer.shp'\)"):
        inspect_upload(buffer.getvalue(), "generated_link.zip")


def test_zip_bomb_ratio():
    data = zip_bytes({"bomb.geojson": b"\0" * (20 * 1024 * 1024)})
    assert len(data) < 100_000
    with pytest.raises(UnsafeArchive, match=r"looks like a zip bomb: 'bomb.geojson' unpacks from"):
        inspect_upload(data, "generated_bomb.zip")


def test_zip_total_size_cap():
    members = {f"del{i}.geojson": bytes(range(256)) * 400 for i in range(3)}  # 100 KB each, packs poorly
    limits = UploadLimits(zip_max_uncompressed=200 * 1024)
    with pytest.raises(UnsafeArchive, match=r"unpacks to 300 KB, more than the 200 KB accepted"):
        inspect_upload(zip_bytes(members), "generated_big.zip", limits=limits)


def test_zip_with_too_many_members():
    members = {f"f{i}.txt": b"x" for i in range(12)}
    with pytest.raises(UnsafeArchive, match="holds 12 files; at most 10 are accepted"):
        inspect_upload(zip_bytes(members), "generated_many.zip", limits=UploadLimits(zip_max_members=10))


def test_zip_without_readable_files():
    with pytest.raises(FileFormatError, match="the zip holds no file this app reads"):
        inspect_upload(zip_bytes({"les_meg.txt": b"hei"}), "generated_nothing.zip")


def test_zip_shapefile_without_dbf(tmp_path, county):
    members = shapefile_members(county, tmp_path / "shp", "generated_fylke")
    members.pop("generated_fylke.dbf")
    with pytest.raises(FileFormatError, match=r"lacks its \.dbf"):
        inspect_upload(zip_bytes(members), "generated_nodbf.zip")


def test_invalid_json():
    with pytest.raises(FileFormatError, match=r"the file is not valid JSON \(line 2, column"):
        inspect_upload(b'{"type": "FeatureCollection",\n "features": [,]}', "generated_bad.geojson")


def test_json_that_is_not_geojson():
    with pytest.raises(FileFormatError, match=r"the JSON is not GeoJSON: .*no 'type' member \(keys: 'navn', 'tall'\)"):
        inspect_upload(b'{"navn": "x", "tall": 3}', "generated_notgeo.json")
    with pytest.raises(FileFormatError, match="expected an object at the top, found a list"):
        inspect_upload(b"[1, 2]", "generated_list.json")


@pytest.mark.parametrize("data", [b"", b"  \r\n ", b"\xef\xbb\xbf"])
def test_empty_file(data):
    with pytest.raises(FileFormatError, match="the file is empty"):
        inspect_upload(data, "generated_empty.geojson")


def test_file_with_no_features():
    with pytest.raises(FileFormatError, match="holds no features"):
        inspect_upload(collection_bytes(), "generated_nofeatures.geojson")


def test_coordinates_outside_every_crs():
    data = collection_bytes(feature({"type": "Point", "coordinates": [4e9, 9e9]}))
    with pytest.raises(CoordinatesOutOfRange, match="fit no coordinate system"):
        inspect_upload(data, "generated_far.geojson")
    declared = collection_bytes(feature(point(500, 500)), crs=legacy_crs("EPSG:4326"))
    with pytest.raises(CoordinatesOutOfRange, match=r"declares EPSG:4326 .* do not fit it"):
        read_upload(declared, "generated_far.geojson")


def test_unknown_crs():
    data = collection_bytes(feature(point()), crs=legacy_crs("EPSG:999999"))
    with pytest.raises(UnknownCRS, match="the coordinate system 'EPSG:999999' is not known"):
        inspect_upload(data, "generated_unknown_crs.geojson")
    with pytest.raises(UnknownCRS, match="'EPSG:999999' is not known"):
        read_upload(collection_bytes(feature(point())), "generated_ok.geojson", crs="EPSG:999999")


def test_non_utf8_text():
    data = collection_bytes(feature(point(), navn="Ørland")).decode().encode("latin-1")
    with pytest.raises(FileFormatError, match=r"the file is not UTF-8 text: byte \d+ \(line 1\) is b'\\xd8'"):
        inspect_upload(data, "generated_latin1.geojson")


def test_unsupported_formats():
    with pytest.raises(FileFormatError, match="zip the .shp together"):
        inspect_upload(b"\0\0\x27\x0a", "generated.shp")
    with pytest.raises(FileFormatError, match="not a format this app reads"):
        inspect_upload(b"\x89PNG....", "generated.png")


def test_broken_geometry_names_the_feature():
    data = collection_bytes(feature(point()), feature({"type": "Point", "coordinates": ["a", "b"]}))
    with pytest.raises(SchemaError, match="feature 1: field 'geometry' must be a GeoJSON geometry"):
        read_upload(data, "generated_broken.geojson")


def test_unclosed_ring_is_mended():
    ring = [[10, 63], [11, 63], [11, 64], [10, 64]]  # not closed: GEOS refuses, shapely closes it
    uploaded = read_upload(collection_bytes(feature({"type": "Polygon", "coordinates": [ring]})), "generated.geojson")
    assert uploaded.frame.geometry.iloc[0].area == pytest.approx(1.0)


def test_damaged_geopackage():
    with pytest.raises(FileFormatError, match="not a GeoPackage"):
        inspect_upload(b"not sqlite at all", "generated_bad.gpkg")


def test_line_geometries_stay_lines():
    data = collection_bytes(feature(json.loads(shapely.to_geojson(LineString([(10, 63), (11, 64)])))))
    assert read_upload(data, "generated_line.geojson").report.geometry_types == {"LineString": 1}


def test_polygon_with_z_is_flattened():
    ring = [[10, 63, 5], [11, 63, 5], [11, 64, 5], [10, 63, 5]]
    uploaded = read_upload(collection_bytes(feature({"type": "Polygon", "coordinates": [ring]})), "generated_z.geojson")
    assert not uploaded.frame.geometry.iloc[0].has_z
    assert Polygon(uploaded.frame.geometry.iloc[0]).equals(Polygon([(10, 63), (11, 63), (11, 64)]))


# --- more real-world shapes ----------------------------------------------------------------------------


def test_geonorge_zipped_download(geonorge_wrapped, county):
    data = zip_bytes({"Basisdata_50_Trondelag_25833_Fylker_GeoJSON/Fylker.json": geonorge_wrapped, "LES_MEG.txt": b"x"})
    inspection = inspect_upload(data, "generated_Basisdata_GeoJSON.zip")
    assert inspection.format == "zip" and inspection.layer_names == ["Fylke", "Grense"]
    uploaded = read_upload(data, "generated_Basisdata_GeoJSON.zip", layer="Fylke")
    assert uploaded.original_crs == "EPSG:25833"
    assert_bounds_close(uploaded.frame.total_bounds, county.total_bounds)


def test_one_bad_layer_does_not_hide_the_others(county_utm33):
    document = {
        "Fylke": geojson_dict(county_utm33, UTM33_URN),
        "Ukjent": geojson_dict(county_utm33, "EPSG:999999"),
    }
    data = json.dumps(document).encode()
    inspection = inspect_upload(data, "generated_partly_bad.json")
    assert inspection.layer("Fylke").problem is None
    assert "'EPSG:999999' is not known" in error_text(inspection.layer("Ukjent").problem, "en")
    assert len(read_upload(data, "generated_partly_bad.json", layer="Fylke").frame) == 1
    with pytest.raises(UnknownCRS):
        read_upload(data, "generated_partly_bad.json", layer="Ukjent")


def test_geopackage_without_crs_asks(tmp_path):
    east, north = utm33(10.39, 63.43)
    path = tmp_path / "generated_nocrs.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        gpd.GeoDataFrame({"navn": ["x"]}, geometry=[Point(east, north)]).to_file(path)
    (layer,) = inspect_upload(path.read_bytes(), path.name).layers
    assert layer.declared_crs is None and layer.candidates[0].crs == "EPSG:25833"


def test_declared_lonlat_with_swapped_numbers_asks():
    data = collection_bytes(feature(point(63.43, 10.39)), crs=legacy_crs("urn:ogc:def:crs:EPSG::4326"))
    (layer,) = inspect_upload(data, "generated_declared_swapped.geojson").layers
    assert layer.swapped_axes_suspected
    assert [(c.crs, c.swap_axes) for c in layer.candidates] == [("EPSG:4326", True), ("EPSG:4326", False)]
    uploaded = read_upload(data, "generated_declared_swapped.geojson", crs="EPSG:4326", swap_axes=True)
    assert uploaded.frame.geometry.iloc[0].equals(Point(10.39, 63.43))
    as_written = read_upload(data, "generated_declared_swapped.geojson", crs="EPSG:4326")
    assert any("outside Norway" in error_text(w, "en") for w in as_written.report.warnings)


def test_kml_in_a_declared_latin1_encoding():
    kml = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        "<Placemark><name>Røros</name><Point><coordinates>11.3853,62.5747</coordinates></Point></Placemark>"
        "</Document></kml>"
    ).encode("latin-1")
    uploaded = read_upload(kml, "generated_latin1.kml")
    assert list(uploaded.frame.columns) == ["Name", "geometry"]
    assert uploaded.frame.loc[0, "Name"] == "Røros"
    with pytest.raises(FileFormatError, match="not UTF-8 text"):
        read_upload(kml.replace(b"ISO-8859-1", b"UTF-8"), "generated_lying.kml")
