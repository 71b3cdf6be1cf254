"""Measures through the layer store, on both backends: add, change (a version), retire (the bin), restore, import."""

from __future__ import annotations

import os

import pytest

from loaders import load_portfolio
from loaders.bundled.measure_store import (
    BUNDLED,
    CHANGED,
    STORED,
    PartialImport,
    add_measure,
    all_measures,
    apply_import,
    binned_measure_ids,
    change_measure,
    plan_import,
)
from loaders.bundled.measures import load_measures
from loaders.errors import SchemaError
from store import KINDS, StoreError
from tests.helpers.store_fixtures import PG_URL, Backend
from tests.test_store import NO_PG

if os.environ.get("REQUIRE_POSTGIS") and not PG_URL:
    raise RuntimeError("REQUIRE_POSTGIS is set but no PostGIS URL: " + NO_PG)


@pytest.fixture(
    params=[
        pytest.param("gpkg", id="gpkg"),
        pytest.param("postgis", id="postgis", marks=pytest.mark.skipif(not PG_URL, reason=NO_PG)),
    ]
)
def backend(request, tmp_path):
    backend = Backend(request.param, tmp_path)
    yield backend
    backend.cleanup()


@pytest.fixture
def store(backend):
    return backend.open()


@pytest.fixture(scope="module")
def portfolio():
    return load_portfolio()


@pytest.fixture(scope="module")
def bundled(portfolio):
    return load_measures(portfolio=portfolio)


def record(**fields) -> dict:
    """A made-up measure (testdata) at a real site and plant of the bundled portfolio."""
    base = {
        "id": "tiltak-test-1",
        "site_id": "park-gronora",
        "facility_id": "src-elkem-thamshavn",
        "title": "Testtiltak: fangst av CO₂",
        "kind": "karbonfangst",
        "status": "utredes",
        "cut_t": "50000",
        "scope": "ets",
        "start_year": "2028",
        "quote": "«50 000 tonn»",
        "source_url": "https://example.org/testdata",
    }
    return base | fields


def shown(store, bundled, portfolio):
    return all_measures(store, bundled, portfolio).measures.set_index("id")


def test_measures_is_a_store_kind():
    assert "measures" in KINDS


def test_an_added_measure_is_shown_beside_the_bundled_ones(store, bundled, portfolio):
    info = add_measure(store, record(), portfolio, uploader="editor")
    table = shown(store, bundled, portfolio)
    assert len(table) == len(bundled) + 1
    assert table.at["tiltak-test-1", "origin"] == STORED and table.at["tiltak-test-1", "layer_id"] == info.id
    assert table.at["tiltak-test-1", "cut_t"] == 50_000.0 and table.at["tiltak-test-1", "start_year"] == 2028
    assert table.at["tiltak-malm-biogass", "origin"] == BUNDLED
    assert info.kind == "measures" and info.title == "Tiltak: Testtiltak: fangst av CO₂"


def test_a_change_is_a_new_version_and_the_old_one_stays_restorable(store, bundled, portfolio):
    info = add_measure(store, record(), portfolio)
    change_measure(store, info.id, record(status="vedtatt", cut_t="60000"), portfolio)
    assert shown(store, bundled, portfolio).at["tiltak-test-1", "status"] == "vedtatt"
    assert [v.version for v in store.versions(info.id)] == [1, 2]
    store.restore_version(info.id, 1)
    assert shown(store, bundled, portfolio).at["tiltak-test-1", "cut_t"] == 50_000.0


def test_a_change_cannot_take_another_measures_id(store, portfolio):
    info = add_measure(store, record(), portfolio)
    with pytest.raises(SchemaError):
        change_measure(store, info.id, record(id="tiltak-annet"), portfolio)
    assert [v.version for v in store.versions(info.id)] == [1]


def test_retire_moves_it_to_the_bin_and_restore_brings_it_back(store, bundled, portfolio):
    info = add_measure(store, record(), portfolio)
    store.delete(info.id)
    assert "tiltak-test-1" not in shown(store, bundled, portfolio).index
    store.restore(info.id)
    assert "tiltak-test-1" in shown(store, bundled, portfolio).index


def test_a_stored_change_of_a_bundled_measure_shows_over_it_until_retired(store, bundled, portfolio):
    original = bundled.set_index("id").loc["tiltak-vormstad-biogass"].to_dict()
    moved_on = {**original, "id": "tiltak-vormstad-biogass", "status": "vedtatt", "start_year": 2027}
    info = add_measure(store, moved_on, portfolio)
    table = shown(store, bundled, portfolio)
    assert table.at["tiltak-vormstad-biogass", "origin"] == CHANGED
    assert table.at["tiltak-vormstad-biogass", "status"] == "vedtatt"
    assert len(table) == len(bundled)
    store.delete(info.id)
    assert shown(store, bundled, portfolio).at["tiltak-vormstad-biogass", "status"] == "utredes"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"source_url": ""}, "present"),
        ({"cut_t": "-1"}, "cut_number"),
        ({"cut_t": "tusen"}, "cut_number"),
        ({"start_year": "1900"}, "year_between"),
        ({"site_id": "park-ukjent"}, "site_ref"),
        ({"facility_id": "src-ukjent"}, "facility_ref"),
        ({"scope": "metan"}, "one_of"),
    ],
)
def test_a_bad_measure_is_refused_and_the_store_is_unchanged(store, portfolio, fields, expected):
    before = store.list(include_deleted=True)
    with pytest.raises(SchemaError) as caught:
        add_measure(store, record(**fields), portfolio)
    assert caught.value.expected == expected
    assert store.list(include_deleted=True) == before


def test_an_import_reports_added_changed_unchanged_and_refused_rows(store, bundled, portfolio):
    first = add_measure(store, record(), portfolio)
    current = all_measures(store, bundled, portfolio).measures
    malm = {k: v for k, v in bundled.set_index("id").loc["tiltak-malm-biogass"].to_dict().items()}
    rows = [
        record(id="tiltak-test-2", title="Nytt tiltak"),  # added
        record(cut_t="55000"),  # changes the stored one
        {**malm, "id": "tiltak-malm-biogass"},  # the bundled measure as it is: nothing to do
        record(id="tiltak-test-3", cut_t="-4"),  # refused
        record(id="tiltak-test-4", facility_id="src-ukjent"),  # refused
        record(id="tiltak-test-2", title="Samme id igjen"),  # refused: twice in one file
    ]
    plan = plan_import(rows, portfolio, current)
    assert [r["id"] for r in plan.added] == ["tiltak-test-2"]
    assert [(layer, r["id"]) for layer, r in plan.changed] == [(first.id, "tiltak-test-1")]
    assert plan.unchanged == ("tiltak-malm-biogass",)
    assert [(n, i, e.expected) for n, i, e in plan.refused] == [
        (4, "tiltak-test-3", "cut_number"),
        (5, "tiltak-test-4", "facility_ref"),
        (6, "tiltak-test-2", "unique"),
    ]
    apply_import(store, plan, portfolio)
    table = shown(store, bundled, portfolio)
    assert table.at["tiltak-test-1", "cut_t"] == 55_000.0 and "tiltak-test-2" in table.index
    assert "tiltak-test-3" not in table.index and "tiltak-test-4" not in table.index
    assert [v.version for v in store.versions(first.id)] == [1, 2]


def test_a_second_store_handle_sees_the_same_measures(backend, store, bundled, portfolio):
    # Every replica opens its own handle on the one store.
    add_measure(store, record(), portfolio)
    other = backend.open()
    assert "tiltak-test-1" in all_measures(other, bundled, portfolio).measures["id"].tolist()


def test_an_import_refuses_an_id_in_the_bin_and_an_unknown_counted_in(store, bundled, portfolio):
    retired = add_measure(store, record(), portfolio)
    store.delete(retired.id)
    binned = binned_measure_ids(store, store.list(include_deleted=True))
    assert binned == {"tiltak-test-1"}
    current = all_measures(store, bundled, portfolio).measures
    rows = [
        record(),  # the retired measure's id: restore it instead
        record(id="tiltak-test-5", counted_in="tiltak-finnes-ikke"),
        record(id="tiltak-test-6", counted_in="tiltak-malm-biogass"),  # itself counted in another: no chains
        record(id="tiltak-test-7", counted_in="tiltak-malm-sisu-biogass"),  # fine
    ]
    plan = plan_import(rows, portfolio, current, binned)
    assert [(n, e.expected) for n, _, e in plan.refused] == [
        (1, "id_in_bin"),
        (2, "counted_in_known"),
        (3, "counted_in_counted"),
    ]
    assert [r["id"] for r in plan.added] == ["tiltak-test-7"]


def test_a_store_failing_part_way_through_an_import_says_how_many_were_saved(backend, bundled, portfolio):
    class FailingSecondWrite(type(backend.open())):
        writes = 0

        def _before_publish(self):
            FailingSecondWrite.writes += 1
            if FailingSecondWrite.writes == 2:
                raise StoreError("generated failure on the second write")

    failing = backend.open()
    failing.__class__ = FailingSecondWrite
    plan = plan_import([record(id=f"tiltak-test-{i}") for i in range(3)], portfolio, bundled.assign(layer_id=None))
    with pytest.raises(PartialImport) as caught:
        apply_import(failing, plan, portfolio)
    assert (caught.value.saved, caught.value.total) == (1, 3)
    shown = all_measures(backend.open(), bundled, portfolio).measures
    assert "tiltak-test-0" in set(shown["id"]) and "tiltak-test-1" not in set(shown["id"])
