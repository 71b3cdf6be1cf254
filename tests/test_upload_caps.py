"""Hard caps per upload (config.MAX_UPLOAD_FEATURES, MAX_UPLOAD_VERTICES), through the page's and the CLI's path.

The caps are monkeypatched small; every file here is generated in tmp_path and named generated_….
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

import config
from i18n import error_text
from loaders import cli
from loaders.errors import LayerError, LayerTooLarge, TooManyFeatures, TooManyFields, TooManyVertices
from loaders.upload.ingest import prepare, save
from loaders.upload.upload import inspect_upload
from store import open_store
from ui.upload_form import file_error

CAP = 5


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(config, "MAX_UPLOAD_FEATURES", CAP)
    monkeypatch.setattr(config, "MAX_UPLOAD_VERTICES", 4 * CAP)


@pytest.fixture
def store_with_a_layer():
    store = open_store()  # the test's private store (conftest)
    existing = generated_points_frame(2)
    store.save(existing, "Generated existing layer", "other")
    return store


def state(store) -> list[tuple]:
    return [(i.id, i.version, i.feature_count, i.title) for i in store.list(include_deleted=True)]


def generated_points_frame(n: int) -> gpd.GeoDataFrame:
    points = [Point(10.0 + i * 0.001, 63.4 + i * 0.0005) for i in range(n)]
    return gpd.GeoDataFrame({"navn": [f"Generert punkt {i}" for i in range(n)]}, geometry=points, crs="EPSG:4326")


def generated_lines_frame(vertices: int) -> gpd.GeoDataFrame:
    """Two features whose vertices add up to `vertices` (at least 4)."""
    first = vertices // 2
    lines = [
        LineString([(10.0 + i * 0.001, 63.4 + i * 0.001) for i in range(first)]),
        LineString([(11.0 + i * 0.001, 63.5) for i in range(vertices - first)]),
    ]
    return gpd.GeoDataFrame({"navn": ["Generert a", "Generert b"]}, geometry=lines, crs="EPSG:4326")


def geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    return frame.to_json(drop_id=True).encode()


def gpkg_bytes(frame: gpd.GeoDataFrame, tmp_path: Path) -> bytes:
    path = tmp_path / "generated_caps.gpkg"
    frame.to_file(path, layer="generated_caps", driver="GPKG")
    return path.read_bytes()


def shapefile_zip_bytes(frame: gpd.GeoDataFrame, tmp_path: Path) -> bytes:
    folder = tmp_path / "generated_shp"
    folder.mkdir(exist_ok=True)
    frame.to_file(folder / "generated_caps.shp")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in folder.iterdir():
            archive.writestr(part.name, part.read_bytes())
    return out.getvalue()


def kml_bytes(frame: gpd.GeoDataFrame, tmp_path: Path) -> bytes:
    path = tmp_path / "generated_caps.kml"
    frame.to_file(path, driver="KML")
    return path.read_bytes()


def csv_bytes(n: int) -> bytes:
    rows = ["navn;lat;lon"] + [f"Generert {i};63,{4000 + i};10,{3900 + i}" for i in range(n)]
    return "\n".join(rows).encode()


FEATURE_FILES = {
    "geojson": lambda n, tmp: (geojson_bytes(generated_points_frame(n)), "generated_caps.geojson"),
    "gpkg": lambda n, tmp: (gpkg_bytes(generated_points_frame(n), tmp), "generated_caps.gpkg"),
    "shapefile": lambda n, tmp: (shapefile_zip_bytes(generated_points_frame(n), tmp), "generated_caps.zip"),
    "kml": lambda n, tmp: (kml_bytes(generated_points_frame(n), tmp), "generated_caps.kml"),
    "csv": lambda n, tmp: (csv_bytes(n), "generated_caps.csv"),
}
VERTEX_FILES = {
    "geojson": lambda n, tmp: (geojson_bytes(generated_lines_frame(n)), "generated_caps_lines.geojson"),
    "gpkg": lambda n, tmp: (gpkg_bytes(generated_lines_frame(n), tmp), "generated_caps_lines.gpkg"),
    "shapefile": lambda n, tmp: (shapefile_zip_bytes(generated_lines_frame(n), tmp), "generated_caps_lines.zip"),
    "kml": lambda n, tmp: (kml_bytes(generated_lines_frame(n), tmp), "generated_caps_lines.kml"),
}


@pytest.mark.parametrize("fmt", list(FEATURE_FILES))
def test_one_feature_over_the_cap_is_refused_and_nothing_is_stored(fmt, small_caps, store_with_a_layer, tmp_path):
    store = store_with_a_layer
    before = state(store)
    data, filename = FEATURE_FILES[fmt](CAP + 1, tmp_path)
    with pytest.raises(TooManyFeatures) as caught:
        inspect_upload(data, filename)
    assert (caught.value.count, caught.value.limit) == (CAP + 1, CAP)
    with pytest.raises(TooManyFeatures, match=r"the layer has 6 features; one upload may hold at most 5"):
        prepare(data, filename)
    assert state(store) == before


@pytest.mark.parametrize("fmt", list(FEATURE_FILES))
def test_a_file_at_the_feature_cap_is_stored(fmt, small_caps, store_with_a_layer, tmp_path):
    store = store_with_a_layer
    data, filename = FEATURE_FILES[fmt](CAP, tmp_path)
    assert inspect_upload(data, filename).layers[0].feature_count == CAP
    info = save(prepare(data, filename), store, title="Generated at the cap")
    assert info.feature_count == CAP and len(store.list()) == 2


@pytest.mark.parametrize("fmt", list(VERTEX_FILES))
def test_one_vertex_over_the_cap_is_refused_and_one_at_it_is_stored(fmt, small_caps, store_with_a_layer, tmp_path):
    store = store_with_a_layer
    before = state(store)
    cap = config.MAX_UPLOAD_VERTICES
    data, filename = VERTEX_FILES[fmt](cap + 1, tmp_path)
    with pytest.raises(TooManyVertices, match=r"the layer has 21 vertices \(coordinate points\); .* at most 20"):
        prepare(data, filename)
    with pytest.raises(TooManyVertices):
        inspect_upload(data, filename)
    assert state(store) == before
    (tmp_path / "at").mkdir()
    data, filename = VERTEX_FILES[fmt](cap, tmp_path / "at")  # a folder of its own for the written files
    info = save(prepare(data, filename), store, title="Generated at the vertex cap")
    assert info.feature_count == 2 and len(store.list()) == 2


@pytest.fixture
def no_geometry_reading(monkeypatch):
    """Reading any geometry fails the test: the caps must refuse from the counts alone."""
    import pyogrio

    import loaders.files.geojson as geojson

    def refuse(*args, **kwargs):
        raise AssertionError("geometries were read although the count was known")

    monkeypatch.setattr(pyogrio, "read_dataframe", refuse)
    monkeypatch.setattr(geojson, "_geojson_frame", refuse)


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shapefile", "kml"])
def test_the_feature_cap_is_checked_before_geometries_are_read(fmt, small_caps, tmp_path, request):
    data, filename = FEATURE_FILES[fmt](CAP + 1, tmp_path)
    request.getfixturevalue("no_geometry_reading")
    with pytest.raises(TooManyFeatures):
        prepare(data, filename)
    with pytest.raises(TooManyFeatures):
        inspect_upload(data, filename)


@pytest.mark.parametrize("fmt", ["geojson", "shapefile"])
def test_the_vertex_cap_is_checked_before_geometries_are_read(fmt, small_caps, tmp_path, request):
    data, filename = VERTEX_FILES[fmt](config.MAX_UPLOAD_VERTICES + 1, tmp_path)
    request.getfixturevalue("no_geometry_reading")
    with pytest.raises(TooManyVertices):
        prepare(data, filename)


def test_the_cli_refuses_with_exit_2_and_stores_nothing(small_caps, store_with_a_layer, tmp_path, capsys):
    before = state(store_with_a_layer)
    path = tmp_path / "generated_caps_cli.geojson"
    path.write_bytes(geojson_bytes(generated_points_frame(CAP + 1)))
    assert cli.main(["ingest", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the layer has 6 features; one upload may hold at most 5") and "Traceback" not in err
    assert state(open_store()) == before

    path.write_bytes(geojson_bytes(generated_points_frame(CAP)))
    assert cli.main(["ingest", str(path), "--title", "Generated at the cap"]) == 0
    assert len(open_store().list()) == 2


def test_the_message_is_in_bokmal_and_english():
    error = TooManyFeatures(1_000_001, 1_000_000)
    assert isinstance(error, LayerTooLarge) and isinstance(error, LayerError)
    assert error.code == "too_many_features" and error.params == {"count": 1_000_001, "limit": 1_000_000}
    assert str(error) == error_text(error, "en")
    assert error_text(error, "en").startswith("the layer has 1,000,001 features; one upload may hold at most 1,000,000")
    assert error_text(error, "nb").startswith("laget har 1\u00a0000\u00a0001 objekter; én opplasting kan ha høyst")
    assert file_error(error_text(error, "nb"), "nb").startswith("«Velg fil»: filen kan ikke brukes – laget har")
    vertices = TooManyVertices(20_000_001, 20_000_000)
    assert "koordinatpunkter" in error_text(vertices, "nb") and "vertices" in str(vertices)
    assert error_text(LayerError("plain"), "nb") == "plain"  # an unknown code stays as it is


def test_more_fields_than_a_table_takes_are_refused_and_as_many_as_the_cap_stored(monkeypatch, store_with_a_layer):
    monkeypatch.setattr(config, "MAX_UPLOAD_FIELDS", 6)
    before = state(store_with_a_layer)

    def generated_wide(fields: int) -> bytes:
        frame = generated_points_frame(2)
        for i in range(fields - 1):
            frame[f"felt {i}"] = i
        return geojson_bytes(frame)

    with pytest.raises(TooManyFields, match=r"the layer has 7 fields \(properties\); a layer may have at most 6"):
        prepare(generated_wide(7), "generated_wide.geojson")
    assert state(store_with_a_layer) == before
    assert save(prepare(generated_wide(6), "generated_wide.geojson"), store_with_a_layer, title="Generated wide").id


def test_the_default_caps_are_the_documented_ones():
    assert (config.MAX_UPLOAD_FEATURES, config.MAX_UPLOAD_VERTICES) == (1_000_000, 20_000_000)
    assert config.MAX_UPLOAD_FIELDS < 1600  # PostgreSQL's column limit; SQLite's is 2000
    assert config.FEATURE_COUNT_WARNING < config.MAX_UPLOAD_FEATURES


def test_in_a_file_of_several_layers_only_the_layer_over_the_cap_is_refused(small_caps):
    big = json.loads(geojson_bytes(generated_points_frame(CAP + 1)))
    small = json.loads(geojson_bytes(generated_points_frame(2)))
    data = json.dumps({"Stor": big, "Liten": small}).encode()
    inspection = inspect_upload(data, "generated_two_layers.geojson")
    assert "6 features" in error_text(inspection.layer("Stor").problem, "en")
    assert inspection.layer("Liten").problem is None
    with pytest.raises(TooManyFeatures):
        prepare(data, "generated_two_layers.geojson", layer="Stor")
    assert len(prepare(data, "generated_two_layers.geojson", layer="Liten").layer) == 2


def test_the_upload_page_shows_the_refusal_and_stores_nothing(small_caps, store_with_a_layer):
    from tests.helpers.uploads import upload

    before = state(store_with_a_layer)
    at = upload(geojson_bytes(generated_points_frame(CAP + 1)), "generated_caps_page.geojson")
    assert not at.exception, [e.message for e in at.exception]
    assert any("6" in e.value and "5" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "upload_save"]
    assert state(open_store()) == before


def test_a_csv_of_a_million_empty_columns_is_refused_from_its_header(monkeypatch):
    """A 2 MB CSV with 1 000 000 empty columns ran 156 s and peaked at 3.4 GB before the field cap
    refused it, because the cap was checked after pandas had parsed everything. Now the header is counted first."""
    import tracemalloc

    import pandas as pd

    data = ("lat;lon" + ";" * 1_000_000 + "\n63.4;10.4" + ";" * 1_000_000 + "\n").encode()

    def parsed(*args, **kwargs):
        raise AssertionError("pandas parsed a table the header had already ruled out")

    monkeypatch.setattr(pd, "read_csv", parsed)
    tracemalloc.start()
    try:
        with pytest.raises(TooManyFields) as refused:
            prepare(data, "generated_wide_million.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.count == 1_000_002 and refused.value.limit == config.MAX_UPLOAD_FIELDS
    assert peak < 100 * 2**20, f"{peak / 2**20:.0f} MB to refuse a 2 MB file"


def test_a_header_that_only_looks_short_is_counted_as_pandas_would_read_it():
    """A vertical tab ends a line for str.splitlines, not a record for pandas: 5 001 columns, not 1."""
    data = ("navn\x0b" + ";" * 5_000 + "\n63.4;10.4\n").encode()
    with pytest.raises(TooManyFields) as refused:
        prepare(data, "generated_vertical_tab.csv")
    assert refused.value.count == 5_001
