"""The layer store: one suite, run against the GeoPackage and the PostGIS backend.

PostGIS runs when TEST_DATABASE_URL (or DATABASE_URL) is set: `eval "$(bash tests/postgis.sh start)"`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import sqlite3
import threading
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point

from config import STORE_PATH
from core.roles import COUNTY
from loaders import load_portfolio
from store import LayerDeleted, LayerNotFound, Origin, StoreBusy, StoreError, StoreLayoutError, open_store
from store.base import data_table
from store.geopackage import SCHEMA_VERSION, GeoPackageStore
from tests.helpers.store_fixtures import (
    DATA_TABLE,
    HOSTILE_TEXTS,
    PG_URL,
    Backend,
    generated_other_layer,
    generated_parks,
    layout_1_store,
    says,
    writer,
)

NO_PG = 'PostGIS tests need TEST_DATABASE_URL or DATABASE_URL: start one with eval "$(bash tests/postgis.sh start)"'
if os.environ.get("REQUIRE_POSTGIS") and not PG_URL:
    # CI sets REQUIRE_POSTGIS: there, a skipped PostGIS suite would be a silent failure.
    raise RuntimeError("REQUIRE_POSTGIS is set but no PostGIS URL: " + NO_PG)
BACKENDS = [
    pytest.param("gpkg", id="gpkg"),
    pytest.param("postgis", id="postgis", marks=pytest.mark.skipif(not PG_URL, reason=NO_PG)),
]


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path):
    b = Backend(request.param, tmp_path)
    yield b
    b.cleanup()


@pytest.fixture
def store(backend):
    return backend.open()


def save_parks(store, n=4, title="Generated parks", *args, **kwargs):
    return store.save(generated_parks(n), title, "parks", *args, **kwargs)


# --- round trips ---------------------------------------------------------------------------------


def test_generated_parks_round_trip_with_dtypes_lists_and_norwegian_letters(store):
    parks = generated_parks(6)
    info = store.save(
        parks,
        "Parker i Ørland",
        "parks",
        Origin(
            original_filename="parker.geojson", original_crs="EPSG:4326", uploader="Åse", source_licence="CC BY 4.0"
        ),
        description="",
    )
    back = store.read(info.id)
    assert_geodataframe_equal(back, parks, check_dtype=True)
    assert back.crs.to_epsg() == 4326
    assert back.loc[0, "themes"] == ["biogass", "hydrogen"] and back.loc[1, "themes"] == []
    assert back.loc[0, "name"] == "Generert park 0 på Ørland – «æøå»"


def test_bundled_layers_round_trip(store):
    portfolio = load_portfolio()
    for kind in ("parks", "sources", "members"):
        frame = getattr(portfolio, kind)
        info = store.save(frame, f"Bundled {kind}", kind)
        assert_geodataframe_equal(store.read(info.id), frame, check_dtype=True)


def test_other_kind_keeps_any_columns_types_and_missing_values(store):
    other = generated_other_layer()
    info = store.save(other, "Generated other layer", "other")
    back = store.read(info.id)
    assert list(back.columns) == list(other.columns)
    assert_geodataframe_equal(back, other, check_dtype=True)
    assert back.loc[0, "egenskaper"] == {"k": 1, "nested": [1, 2]}
    assert back.loc[3, "antall"] == 2**62 and back.loc[3, "valgfritt tall"] == 2**53 + 1
    assert back.geometry[2] is None


def test_a_range_of_rows_is_read_without_the_rest(store):
    other = generated_other_layer()
    info = store.save(other, "Generated other layer", "other")
    first = store.save(generated_parks(3), "Generated parks", "parks")
    replaced = store.replace(first.id, generated_parks(5))
    for start, count in [(0, 1), (2, 2), (1, None), (3, 10)]:
        part = store.read(info.id, start=start, count=count)
        whole = other.iloc[start : None if count is None else start + count].reset_index(drop=True)
        # a categorical column's categories are those of the rows read
        plain = {c: object for c in other.columns if isinstance(other[c].dtype, pd.CategoricalDtype)}
        assert_geodataframe_equal(part.astype(plain), whole.astype(plain), check_dtype=True)
    assert store.read(info.id, start=len(other), count=1).empty
    assert len(store.read(first.id, version=1, start=2, count=5)) == 1  # an older version's rows
    assert len(store.read(first.id, version=replaced.version, start=2, count=5)) == 3
    for start, count in [(-1, 1), (0, -1), (True, 1)]:
        with pytest.raises(ValueError):
            store.read(info.id, start=start, count=count)
    # A row number from a crafted link (?sel=stored:1|9223372036854775808 overflowed SQLite's integer).
    for start, count in [(2**63, 1), (0, 2**63), (10**30, None)]:
        with pytest.raises(ValueError):
            store.read(info.id, start=start, count=count)


def test_clashing_column_names_are_mapped_not_lost(store):
    frame = gpd.GeoDataFrame(
        {"Navn": ["stor"], "navn": ["liten"], "fid": [7], "GEOM": ["tekst"], "x" * 70: [1.5]},
        geometry=[Point(10, 63)],
        crs="EPSG:4326",
    )
    info = store.save(frame, "Generated clashing columns", "other")
    assert_geodataframe_equal(store.read(info.id), frame, check_dtype=True)


def test_column_names_either_backend_reserves_are_stored_the_same_way_on_both(store):
    """PostGIS refused ctid, xmin, xmax, cmin, cmax and tableoid, which GeoPackage took."""
    frame = gpd.GeoDataFrame(
        {name: [i] for i, name in enumerate(("ctid", "xmin", "xmax", "cmin", "cmax", "tableoid", "OID", "navn"))},
        geometry=[Point(10, 63)],
        crs="EPSG:4326",
    )
    info = store.save(frame, "Generated system column names", "other")
    assert_geodataframe_equal(store.read(info.id), frame, check_dtype=True)


def test_geopackage_download_works_for_every_stored_layer(store):
    """The GeoPackage download failed for a column "fid" or "geom", or two names differing in case."""
    import io

    import pyogrio

    frame = gpd.GeoDataFrame(
        {"fid": [7], "geom": ["tekst"], "Navn": ["stor"], "navn": ["liten"], "navn_2": ["ekstra"]},
        geometry=[Point(10, 63)],
        crs="EPSG:4326",
    )
    info = store.save(frame, "Generated GeoPackage-hostile names", "other")
    back = pyogrio.read_dataframe(io.BytesIO(store.export(info.id, "gpkg")))
    assert back.drop(columns="geometry").iloc[0].to_dict() == {
        "fid_2": 7,
        "geom_2": "tekst",
        "Navn": "stor",
        "navn_3": "liten",  # "navn_2" is the layer's own column, kept as it is
        "navn_2": "ekstra",
    }
    geojson = store.export(info.id, "geojson").decode()
    assert '"fid": 7' in geojson and '"navn": "liten"' in geojson  # GeoJSON keeps the layer's own names


def test_z_coordinates_and_empty_layer_round_trip(store):
    points = gpd.GeoDataFrame({"h": [1.0, 2.0]}, geometry=[Point(10, 63, 120.5), Point(11, 64, 3)], crs=4326)
    back = store.read(store.save(points, "Generated 3D points", "other").id)
    assert back.geometry[0].has_z and back.geometry[0].z == 120.5
    empty = generated_parks(3).iloc[:0]
    info = store.save(empty, "Generated empty parks", "parks")
    assert info.feature_count == 0
    assert_geodataframe_equal(store.read(info.id), empty, check_dtype=True, check_index_type=False)


def test_stored_in_4326_with_original_crs_recorded(store):
    parks = generated_parks(3)
    utm = parks.to_crs("EPSG:25833")
    info = store.save(utm, "Generated parks in UTM", "parks", Origin(original_filename="utm.gpkg"))
    back = store.read(info.id)
    assert info.original_crs == "EPSG:25833"
    assert back.crs.to_epsg() == 4326
    # back to degrees: within a millimetre of the original coordinates
    assert back.geometry.geom_equals_exact(parks.geometry, tolerance=1e-8).all()


# --- metadata and management ---------------------------------------------------------------------


def test_metadata_is_recorded(store):
    before = datetime.now(UTC)
    info = save_parks(
        store,
        5,
        "Tittel",
        Origin(
            original_filename="parker.geojson",
            original_crs="EPSG:4326",
            uploader="Ola Nordmann",
            source_licence="© Trøndelag fylkeskommune, CC BY 4.0",
        ),
        description="Beskrivelse",
    )
    after = datetime.now(UTC)
    again = store.get(info.id)
    assert again == info
    assert (info.title, info.kind, info.original_filename, info.uploader) == (
        "Tittel",
        "parks",
        "parker.geojson",
        "Ola Nordmann",
    )
    assert (info.description, info.source_licence) == ("Beskrivelse", "© Trøndelag fylkeskommune, CC BY 4.0")
    assert info.original_crs == "EPSG:4326" and info.feature_count == 5
    assert info.visible is True and info.version == 1 and info.deleted_at is None
    assert before <= info.created_at <= after and info.created_at.tzinfo is not None


def test_list_gives_every_layer_in_upload_order(store):
    assert store.list() == []
    infos = [save_parks(store, 2, f"Layer {i}") for i in range(3)]
    listed = store.list()
    assert [i.id for i in listed] == [i.id for i in infos]
    assert len({i.id for i in listed}) == 3
    assert [i.title for i in listed] == ["Layer 0", "Layer 1", "Layer 2"]


def test_rename_description_and_visibility_persist(backend, store):
    info = save_parks(store)
    store.rename(info.id, "Nytt navn")
    store.set_description(info.id, "Ny beskrivelse")
    hidden = store.set_visible(info.id, False)
    assert hidden.visible is False
    reopened = backend.open().get(info.id)
    assert (reopened.title, reopened.description, reopened.visible) == ("Nytt navn", "Ny beskrivelse", False)
    assert reopened.version == 1 and reopened.feature_count == info.feature_count
    assert store.set_visible(info.id, True).visible is True


def test_style_is_saved_checked_and_kept_across_versions(backend, store):
    style = {"colour": "#1f78b4", "fill": True, "label_field": "navn", "popup_fields": ["navn", "kommune"]}
    info = store.save(generated_parks(2), "Styled", "other", style=style)
    assert info.style == style
    store.replace(info.id, generated_parks(3))
    assert backend.open().get(info.id).style == style
    assert store.set_style(info.id, {"colour": "#000000"}).style == {"colour": "#000000"}
    for bad in ({"colour": "red"}, {"colour": "#12345g"}, {"script": "x"}, {"popup_fields": [1]}, {"fill": "yes"}):
        with pytest.raises(StoreError):
            store.set_style(info.id, bad)
    assert store.get(info.id).style == {"colour": "#000000"}


def test_replace_keeps_previous_versions_and_restore_version(store):
    first = generated_parks(4)
    second = generated_parks(2, prefix="v2")
    info = store.save(
        first, "Parker", "parks", Origin(original_filename="v1.geojson", source_licence="CC0"), description="første"
    )
    replaced = store.replace(info.id, second, Origin(original_filename="v2.geojson", uploader="Kari"))
    assert (replaced.id, replaced.version, replaced.feature_count) == (info.id, 2, 2)
    assert (replaced.title, replaced.description, replaced.source_licence) == ("Parker", "første", "CC0")
    assert_geodataframe_equal(store.read(info.id), second, check_dtype=True)
    assert_geodataframe_equal(store.read(info.id, version=1), first, check_dtype=True)
    versions = store.versions(info.id)
    assert [(v.version, v.original_filename, v.feature_count) for v in versions] == [
        (1, "v1.geojson", 4),
        (2, "v2.geojson", 2),
    ]
    assert len(store.list()) == 1

    restored = store.restore_version(info.id, 1)
    assert restored.version == 1 and restored.feature_count == 4
    assert_geodataframe_equal(store.read(info.id), first, check_dtype=True)
    third = store.replace(
        info.id,
        generated_parks(1),
        Origin(original_filename="v3.geojson", source_licence="CC BY"),
        description="tredje",
    )
    assert third.version == 3 and [v.version for v in store.versions(info.id)] == [1, 2, 3]
    assert (third.description, third.source_licence) == ("tredje", "CC BY")
    with pytest.raises(LayerNotFound):
        store.restore_version(info.id, 9)


def test_delete_is_soft_and_restorable(store):
    keep = save_parks(store, 2, "Beholdes")
    gone = save_parks(store, 3, "Slettes")
    deleted = store.delete(gone.id)
    assert deleted.deleted_at is not None
    assert [i.id for i in store.list()] == [keep.id]
    assert {i.id for i in store.list(include_deleted=True)} == {keep.id, gone.id}
    assert len(store.read(gone.id)) == 3  # the bin can still be previewed
    for change in (
        lambda: store.rename(gone.id, "x"),
        lambda: store.set_visible(gone.id, False),
        lambda: store.replace(gone.id, generated_parks(1)),
    ):
        with pytest.raises(LayerDeleted):
            change()
    assert store.delete(gone.id).deleted_at == deleted.deleted_at  # deleting twice keeps the first time
    restored = store.restore(gone.id)
    assert restored.deleted_at is None and restored.title == "Slettes"
    assert [i.id for i in store.list()] == [keep.id, gone.id]
    assert_geodataframe_equal(store.read(gone.id), generated_parks(3), check_dtype=True)


def test_purge_removes_only_layers_deleted_more_than_30_days_ago(backend, store):
    t0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
    old = save_parks(store, 2, "Slettet for lenge siden")
    store.replace(old.id, generated_parks(1))
    recent = save_parks(store, 2, "Nylig slettet")
    live = save_parks(store, 2, "Lever")
    store.delete(old.id, now=t0)
    store.delete(recent.id, now=t0 + timedelta(days=10))
    tables_before = backend.physical_tables()
    assert {f"layer_{old.id}_v1", f"layer_{old.id}_v2"} <= tables_before

    assert store.purge(now=t0 + timedelta(days=29)) == []
    assert len(store.list(include_deleted=True)) == 3
    assert store.purge(now=t0 + timedelta(days=31)) == [old.id]
    for lookup in (lambda: store.get(old.id), lambda: store.read(old.id), lambda: store.restore(old.id)):
        with pytest.raises(LayerNotFound):
            lookup()
    assert backend.physical_tables() == tables_before - {f"layer_{old.id}_v1", f"layer_{old.id}_v2"}
    assert store.restore(recent.id).deleted_at is None
    assert_geodataframe_equal(store.read(live.id), generated_parks(2), check_dtype=True)
    assert store.purge(now=t0 + timedelta(days=400)) == []  # nothing left in the bin
    assert save_parks(store, 1).id not in {old.id, recent.id, live.id}  # ids are never reused


def test_unknown_layers_and_versions(store):
    info = save_parks(store)
    for lookup in (
        lambda: store.get(info.id + 100),
        lambda: store.read(info.id + 100),
        lambda: store.read(info.id, version=5),
        lambda: store.get("not-an-id"),
        lambda: store.versions(info.id + 100),
        lambda: store.rename(info.id + 100, "x"),
        lambda: store.delete(info.id + 100),
        lambda: store.export(info.id, version=5),
    ):
        with pytest.raises(LayerNotFound):
            lookup()


def test_bad_input_is_refused_and_changes_nothing(backend, store):
    info = save_parks(store, 2, "Først")
    bad = [
        lambda: store.save(generated_parks(1), "x", "unknown-kind"),
        lambda: store.save(generated_parks(1), "   ", "parks"),
        lambda: store.save(generated_parks(1), "nul\x00byte", "parks"),
        lambda: store.save(pd.DataFrame({"a": [1]}), "not geo", "other"),
        lambda: store.save(gpd.GeoDataFrame({"a": [1]}), "no geometry column", "other"),
        lambda: store.save(gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)]), "no crs", "other"),
        lambda: store.save(gpd.GeoDataFrame({"a": ["x\x00"]}, geometry=[Point(0, 0)], crs=4326), "nul", "other"),
        lambda: store.rename(info.id, ""),
        lambda: store.export(info.id, "shp"),
    ]
    tables = backend.physical_tables()
    for call in bad:
        with pytest.raises(StoreError):
            call()
    assert store.list() == [store.get(info.id)] and store.get(info.id).title == "Først"
    assert backend.physical_tables() == tables


def test_hostile_titles_and_values_are_stored_verbatim(backend, store):
    ids = []
    for text in HOSTILE_TEXTS:
        frame = gpd.GeoDataFrame({text[:40]: [text], "verdi": [text]}, geometry=[Point(10, 63)], crs=4326)
        info = store.save(
            frame,
            text,
            "other",
            Origin(original_filename=text, original_crs="EPSG:4326", uploader=text, source_licence=text),
            description=text,
        )
        ids.append(info.id)
        back = store.read(info.id)
        assert list(back.columns) == [text[:40], "verdi", "geometry"]
        assert back.loc[0, "verdi"] == text and back.loc[0, text[:40]] == text
    reopened = backend.open()
    assert [i.title for i in reopened.list()] == HOSTILE_TEXTS
    for info, text in zip(reopened.list(), HOSTILE_TEXTS, strict=True):
        assert (info.description, info.uploader, info.original_filename, info.source_licence) == (text,) * 4
    assert {f"layer_{i}_v1" for i in ids} == backend.physical_tables()


# --- export --------------------------------------------------------------------------------------


def test_export_geojson_reopens_with_the_same_rows(store):
    parks = generated_parks(5)
    info = store.save(parks, "Parker «æøå»", "parks", Origin(source_licence="CC BY 4.0 Generated"))
    data = store.export(info.id, "geojson")
    assert "Ørland".encode() in data  # UTF-8, not \u escapes
    document = json.loads(data)
    assert document["name"] == "Parker «æøå»" and document["metadata"]["source_licence"] == "CC BY 4.0 Generated"
    assert [f["properties"]["themes"] for f in document["features"]] == parks["themes"].tolist()
    back = gpd.read_file(io.BytesIO(data))
    assert len(back) == 5 and back.crs.to_epsg() == 4326
    assert back["id"].tolist() == parks["id"].tolist() and back["name"].tolist() == parks["name"].tolist()
    assert back.geometry.geom_equals_exact(parks.geometry, tolerance=1e-12).all()


def test_export_gpkg_reopens_with_the_same_rows(tmp_path, store):
    parks = generated_parks(5)
    info = store.save(parks, "Parker", "parks", Origin(source_licence="CC BY 4.0 Generated"))
    store.replace(info.id, generated_parks(2))
    path = tmp_path / "download.gpkg"
    path.write_bytes(store.export(info.id, "gpkg", version=1))
    back = gpd.read_file(path)
    assert len(back) == 5 and back.crs.to_epsg() == 4326
    assert back["name"].tolist() == parks["name"].tolist()
    assert [json.loads(t) for t in back["themes"]] == parks["themes"].tolist()
    assert back.geometry.geom_equals_exact(parks.geometry, tolerance=1e-12).all()
    assert pyogrio.read_info(path)["layer_metadata"]["source_licence"] == "CC BY 4.0 Generated"
    current = tmp_path / "current.gpkg"
    current.write_bytes(store.export(info.id, "gpkg"))
    assert len(gpd.read_file(current)) == 2


def test_export_other_layer_as_geojson_keeps_types(store):
    other = generated_other_layer()
    document = json.loads(store.export(store.save(other, "Generated other", "other").id))
    first, missing = document["features"][0], document["features"][2]
    assert first["properties"]["egenskaper"] == {"k": 1, "nested": [1, 2]}
    assert first["properties"]["antall"] == 1 and first["properties"]["kanskje"] is True
    assert missing["geometry"] is None and missing["properties"]["andel"] == -1e300
    assert document["features"][1]["properties"]["andel"] is None  # NaN is not JSON


# --- atomicity and concurrency -------------------------------------------------------------------


def test_a_failed_write_leaves_the_store_as_it_was(backend, store):
    earlier = save_parks(store, 3, "Tidligere")
    tables = backend.physical_tables()

    def fail():
        raise RuntimeError("simulated failure after writing, before publishing")

    store._before_publish = fail
    with pytest.raises(RuntimeError):
        store.save(generated_parks(50), "Feiler", "parks")
    with pytest.raises(RuntimeError):
        store.replace(earlier.id, generated_parks(1))
    del store._before_publish
    assert store.list() == [earlier]
    assert_geodataframe_equal(store.read(earlier.id), generated_parks(3), check_dtype=True)
    assert backend.physical_tables() == tables
    if backend.name == "gpkg":
        assert not [p for p in os.listdir(store.path.parent) if ".tmp-" in p]
    assert store.save(generated_parks(1), "Etterpå", "parks").id != earlier.id


def test_two_processes_saving_at_once_both_land(backend, store):
    earlier = save_parks(store, 2, "Tidligere")
    writers = [writer("save", backend.spec, prefix, "5") for prefix in ("A", "B")]
    for w in writers:
        says(w, "ready")  # imported, store open
    for w in writers:  # start their saves together
        w.stdin.write("go\n")
        w.stdin.flush()
    seen = 0
    while any(w.poll() is None for w in writers):
        # a reader during the writes sees complete states only: every listed layer reads whole
        listed = store.list()
        assert len(listed) >= seen
        seen = len(listed)
        for info in listed:
            assert len(store.read(info.id)) == info.feature_count
        time.sleep(0.05)
    for w in writers:
        out, err = w.communicate(timeout=60)
        assert w.returncode == 0, err
    titles = sorted(i.title for i in store.list())
    assert titles == sorted(["Tidligere"] + [f"{p} {i}" for p in "AB" for i in range(5)])
    fresh = backend.open()
    for info in fresh.list():
        assert len(fresh.read(info.id)) == info.feature_count == (2 if info.id == earlier.id else 200)
    assert len(backend.physical_tables()) == 11
    if backend.name == "gpkg":
        assert_valid_geopackage(store.path, 11)


def test_two_threads_saving_at_once_both_land(store):
    # Streamlit serves sessions from threads of one process: they must not overwrite each other
    errors = []

    def save(prefix):
        try:
            for i in range(4):
                store.save(generated_parks(100, prefix=prefix), f"{prefix} {i}", "parks")
        except Exception as exc:  # reported below; a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(p,)) for p in "AB"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(i.title for i in store.list()) == sorted(f"{p} {i}" for p in "AB" for i in range(4))
    assert all(len(store.read(i.id)) == 100 for i in store.list())


def test_a_killed_writer_leaves_earlier_layers_intact(backend, store):
    earlier = save_parks(store, 3, "Tidligere")
    replaced = store.replace(earlier.id, generated_parks(2))
    tables = backend.physical_tables()
    proc = writer("hang", backend.spec)
    says(proc, "writing", timeout=120)  # the writer has written everything but not published it
    if backend.name == "gpkg":
        strays = [p for p in os.listdir(store.path.parent) if ".tmp-" in p]
        assert strays, "GDAL should have written the version into a private file"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    fresh = backend.open()  # opening removes the private file
    assert fresh.list() == [replaced]
    assert_geodataframe_equal(fresh.read(earlier.id), generated_parks(2), check_dtype=True)
    assert_geodataframe_equal(fresh.read(earlier.id, version=1), generated_parks(3), check_dtype=True)
    assert backend.physical_tables() == tables
    if backend.name == "gpkg":
        assert not [p for p in os.listdir(store.path.parent) if ".tmp-" in p]
        assert_valid_geopackage(store.path, 2)
    # the dead writer's lock is gone: the next save goes through at once
    after = backend.open(**({"lock_timeout": 5} if backend.name == "gpkg" else {})).save(
        generated_parks(1), "Etterpå", "parks"
    )
    assert [i.title for i in fresh.list()] == ["Tidligere", after.title]


def test_writers_killed_at_random_moments_leave_a_sound_store(backend, store):
    earlier = save_parks(store, 3, "Tidligere")
    moments = random.Random(20260401)  # a fixed seed: runs differ only by machine speed
    for _ in range(3):
        proc = writer("churn", backend.spec)
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(moments.uniform(0.05, 1.5))  # inside a save, replace, rename, delete or purge
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()

        fresh = backend.open()
        listed = fresh.list(include_deleted=True)
        assert listed[0] == earlier
        named = set()
        for info in listed:
            for version in fresh.versions(info.id):
                assert len(fresh.read(info.id, version=version.version)) == version.feature_count
                named.add(data_table(info.id, version.version))
        assert backend.physical_tables() == named  # nothing half-written, nothing left behind
        if backend.name == "gpkg":
            assert not [p for p in os.listdir(store.path.parent) if ".tmp-" in p]
            assert_valid_geopackage(store.path, len(named))
    assert_geodataframe_equal(fresh.read(earlier.id), generated_parks(3), check_dtype=True)


# --- choosing the backend, and GeoPackage specifics ----------------------------------------------


def test_open_store_follows_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "valgt" / "lag.gpkg"
    chosen = open_store({"INDUSTRIKART_STORE": str(path)})
    assert isinstance(chosen, GeoPackageStore) and chosen.path == path.resolve()
    monkeypatch.setattr("config.STORE_PATH", tmp_path / "default.gpkg")
    assert open_store({}).path == (tmp_path / "default.gpkg").resolve()
    assert STORE_PATH.name == "layers.gpkg" and STORE_PATH.parent.name == "data"
    # DATABASE_URL wins over the path: a closed port proves PostGIS was tried
    with pytest.raises(StoreError, match="cannot reach the PostGIS layer store"):
        open_store({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "INDUSTRIKART_STORE": str(path)})


def test_a_file_that_is_not_a_geopackage_is_refused(tmp_path):
    path = tmp_path / "notes.gpkg"
    path.write_text("not a database")
    with pytest.raises(StoreError, match="not a GeoPackage"):
        open_store({"INDUSTRIKART_STORE": str(path)})


def test_a_busy_store_times_out_with_store_busy(tmp_path):
    from filelock import FileLock

    store = GeoPackageStore(tmp_path / "layers.gpkg", lock_timeout=0.3)
    info = store.save(generated_parks(1), "Først", "parks")
    with FileLock(f"{store.path}.lock"), pytest.raises(StoreBusy):
        store.rename(info.id, "Blokkert")
    assert store.get(info.id).title == "Først"


def test_the_store_file_is_a_geopackage_gdal_reads(tmp_path):
    store = GeoPackageStore(tmp_path / "layers.gpkg")
    parks = generated_parks(4)
    info = store.save(parks.to_crs(25833), "Parker", "parks")
    assert_valid_geopackage(store.path, 1)
    table = gpd.read_file(store.path, layer=f"layer_{info.id}_v1")  # as QGIS would open it
    assert table.crs.to_epsg() == 4326 and len(table) == 4
    assert table["name"].tolist() == parks["name"].tolist()


@pytest.mark.skipif(not PG_URL, reason=NO_PG)
def test_postgis_tables_are_registered_in_4326(tmp_path):
    import psycopg

    backend = Backend("postgis", tmp_path)
    try:
        info = backend.open().save(generated_parks(3), "Parker", "parks")
        with psycopg.connect(PG_URL) as con:
            row = con.execute(
                "SELECT srid, type FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s",
                (backend.location, f"layer_{info.id}_v1"),
            ).fetchone()
        assert row == (4326, "GEOMETRY")
    finally:
        backend.cleanup()


def assert_valid_geopackage(path, data_tables: int) -> None:
    with closing(sqlite3.connect(path)) as con:  # closed before GDAL opens the file (see store/geopackage.py)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA application_id").fetchone() == (0x47504B47,)  # "GPKG"
        registered = {n for (n,) in con.execute("SELECT table_name FROM gpkg_contents")}
        tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {n for n in registered if n.startswith("layer_")} == {n for n in tables if DATA_TABLE.fullmatch(n)}
    layers = [name for name, _ in pyogrio.list_layers(path) if name.startswith("layer_")]
    assert len(layers) == data_tables


def test_every_change_is_made_in_place_in_wal_mode(tmp_path):
    store = GeoPackageStore(tmp_path / "layers.gpkg")
    info = store.save(generated_parks(3), "Først", "parks")
    inode = store.path.stat().st_ino
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    store.rename(info.id, "Nytt navn")
    store.set_visible(info.id, False)
    store.set_description(info.id, "Beskrivelse")
    store.set_style(info.id, {"colour": "#123456"})
    store.replace(info.id, generated_parks(2))
    store.restore_version(info.id, 1)
    gone = store.save(generated_parks(1), "Slettes", "parks")
    store.delete(gone.id, now=t0)
    store.restore(gone.id)
    store.delete(gone.id, now=t0)
    assert store.purge(now=t0 + timedelta(days=31)) == [gone.id]
    assert store.path.stat().st_ino == inode  # never replaced by a copy
    with closing(sqlite3.connect(store.path)) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert con.execute("SELECT version FROM industrikart_schema").fetchall() == [(SCHEMA_VERSION,)]
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]
    got = store.get(info.id)
    assert (got.title, got.visible, got.version, got.style) == ("Nytt navn", False, 1, {"colour": "#123456"})
    assert_valid_geopackage(store.path, 2)


@pytest.mark.parametrize("style", [True, False], ids=["with-style", "before-style"])
def test_a_store_from_the_copy_on_write_backend_is_migrated_in_place(tmp_path, style):
    path = tmp_path / "layers.gpkg"
    parks, other = generated_parks(4), generated_other_layer()
    layout_1_store(path, [("Gamle parker", "parks", [parks, generated_parks(2)]), ("Annet", "other", [other])], style)
    with closing(sqlite3.connect(path)) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    store = GeoPackageStore(path)
    assert [(i.id, i.title, i.version, i.style) for i in store.list()] == [
        (1, "Gamle parker", 2, {}),
        (2, "Annet", 1, {}),
    ]
    assert {i.owner for i in store.list()} == {COUNTY}  # from before owners (layouts 1 and 2): the county's
    assert_geodataframe_equal(store.read(1, version=1), parks, check_dtype=True)
    assert_geodataframe_equal(store.read(2), other, check_dtype=True)
    with closing(sqlite3.connect(path)) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert con.execute("SELECT version FROM industrikart_schema").fetchall() == [(SCHEMA_VERSION,)]
    assert_valid_geopackage(path, 3)
    assert store.set_style(1, {"colour": "#00aa00"}).style == {"colour": "#00aa00"}
    assert store.save(generated_parks(1), "Ny", "parks").id == 3
    assert store.replace(2, other).version == 2
    assert GeoPackageStore(path).get(1).style == {"colour": "#00aa00"}  # a second open changes nothing
    assert_valid_geopackage(path, 5)


def test_a_store_from_a_newer_app_is_refused(tmp_path):
    store = GeoPackageStore(tmp_path / "layers.gpkg")
    store.save(generated_parks(1), "Først", "parks")
    with closing(sqlite3.connect(store.path)) as con, con:
        con.execute("UPDATE industrikart_schema SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreLayoutError, match="upgrade the app"):
        GeoPackageStore(store.path)


def test_tables_no_metadata_names_are_dropped_on_open(tmp_path):
    store = GeoPackageStore(tmp_path / "layers.gpkg")
    info = store.save(generated_parks(3), "Beholdes", "parks")
    # a table with a store name that no version names, as an outside edit or a crash could leave
    pyogrio.write_dataframe(generated_parks(2), store.path, layer="layer_99_v1", driver="GPKG")
    assert "layer_99_v1" in {name for name, _ in pyogrio.list_layers(store.path)}
    fresh = GeoPackageStore(store.path)
    with closing(sqlite3.connect(store.path)) as con:
        names = {n for (n,) in con.execute("SELECT name FROM sqlite_master")}
        registered = {n for (n,) in con.execute("SELECT table_name FROM gpkg_contents")}
    assert not {n for n in names | registered if "layer_99" in n}
    assert [i.id for i in fresh.list()] == [info.id]
    assert_valid_geopackage(store.path, 1)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux /proc to list open files")
def test_no_operation_leaves_the_store_file_open(tmp_path):
    # An open connection would keep SQLite locks (and stale WAL state) in this process between calls
    store = GeoPackageStore(tmp_path / "layers.gpkg")
    info = store.save(generated_parks(3), "Først", "parks")
    store.replace(info.id, generated_parks(2))
    store.rename(info.id, "Nytt")
    store.read(info.id, version=1)
    store.list()
    store.export(info.id, "gpkg")
    store.delete(info.id, now=datetime(2026, 1, 1, tzinfo=UTC))
    store.purge(now=datetime(2026, 3, 1, tzinfo=UTC))
    GeoPackageStore(store.path)
    open_files = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            open_files.append(os.readlink(f"/proc/self/fd/{fd}"))
    assert not [f for f in open_files if f.startswith(str(store.path))]
