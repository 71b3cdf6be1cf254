"""Flow tables through the layer store (GeoPackage): saved as "flows" layers, read back checked."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.bundled.flow_store import all_flows, flow_layer, flows_from_layer, new_flow_id, save_flows
from loaders.bundled.flows import FLOW_COLUMNS, flows_from_records, load_flows
from loaders.errors import SchemaError
from store import KINDS, open_store


@pytest.fixture
def store(tmp_path):
    return open_store({"INDUSTRIKART_STORE": str(tmp_path / "layers.gpkg")})


@pytest.fixture(scope="module")
def bundled():
    return load_flows()


def one_flow(flow_id="flow-test-1", **changes) -> pd.DataFrame:
    record = {
        "id": flow_id,
        "from_id": "src-elkem-thamshavn",
        "to_id": "park-gronora",
        "resource": "overskuddsvarme",
        "status": "mulig",
        "source_url": "https://example.org/kilde",
        "source_year": "2024",
        "quote": "«sitat»",
        **changes,
    }
    return flows_from_records([record])


def test_flows_is_a_store_kind():
    assert "flows" in KINDS


def test_saved_flows_read_back_as_the_same_table(store, portfolio, bundled):
    renamed = bundled.assign(id=bundled["id"] + "-kopi")
    info = save_flows(store, renamed, portfolio, "Ressursstrømmer: kopi", taken_ids=bundled["id"])
    assert info.kind == "flows" and info.feature_count == len(bundled)
    back = flows_from_layer(store.read(info.id))
    pd.testing.assert_frame_equal(back, renamed.reset_index(drop=True))


def test_the_stored_layer_is_lines_from_giver_to_receiver(store, portfolio):
    layer = flow_layer(one_flow(), portfolio)
    elkem = portfolio.sources.set_index("id").loc["src-elkem-thamshavn"].geometry
    line = layer.geometry.iloc[0]
    assert line.geom_type == "LineString" and line.coords[0] == (elkem.x, elkem.y)
    assert list(layer.columns) == [*FLOW_COLUMNS, "geometry"]


def test_all_flows_adds_visible_stored_layers_after_the_bundled(store, portfolio, bundled):
    first = save_flows(store, one_flow("flow-a"), portfolio, "Ressursstrømmer: a")
    hidden = save_flows(store, one_flow("flow-b"), portfolio, "Ressursstrømmer: b")
    store.set_visible(hidden.id, False)
    found = all_flows(store, portfolio, bundled)
    assert list(found.flows["id"]) == [*bundled["id"], "flow-a"]
    assert list(found.flows["layer"].iloc[-1:]) == ["Ressursstrømmer: a"]
    assert found.flows["layer"].iloc[: len(bundled)].isna().all()
    assert [i.id for i in found.layers] == [first.id] and found.problems == ()


def test_a_taken_id_is_refused_and_nothing_is_stored(store, portfolio, bundled):
    with pytest.raises(SchemaError, match="no recorded flow has yet"):
        save_flows(store, one_flow(bundled["id"].iloc[0]), portfolio, "Ressursstrømmer: dup", taken_ids=bundled["id"])
    assert store.list() == []


def test_a_reference_the_portfolio_lacks_is_refused(store, portfolio):
    with pytest.raises(SchemaError, match="to_id"):
        save_flows(store, one_flow(to_id="park-finnes-ikke"), portfolio, "Ressursstrømmer: x")
    assert store.list() == []


def test_broken_or_repeated_stored_flows_are_reported_not_dropped_quietly(store, portfolio, bundled):
    save_flows(store, one_flow("flow-a"), portfolio, "Ressursstrømmer: a")
    save_flows(store, one_flow("flow-a"), portfolio, "Ressursstrømmer: a igjen")  # a second editor, same id
    # A layer whose park has since gone from the portfolio: stored directly, as an old store might hold it.
    layer = flow_layer(one_flow("flow-c"), portfolio)
    layer.loc[0, "to_id"] = "park-fjernet"
    store.save(layer, "Ressursstrømmer: gammel", "flows")
    other = layer.drop(columns=["quote"])
    store.save(other, "Ikke strømmer", "other")  # another kind is never read as flows

    found = all_flows(store, portfolio, bundled)
    assert list(found.flows["id"]) == [*bundled["id"], "flow-a"]
    titles = [title for title, _ in found.problems]
    assert titles == ["Ressursstrømmer: a igjen", "Ressursstrømmer: gammel"]
    assert "already recorded" in str(found.problems[0][1]) and "park-fjernet" in str(found.problems[1][1])


def test_a_stored_layer_missing_a_column_is_a_schema_error(portfolio):
    layer = flow_layer(one_flow(), portfolio).drop(columns=["source_url"])
    with pytest.raises(SchemaError, match="source_url"):
        flows_from_layer(layer)


def test_no_store_means_the_bundled_flows(portfolio, bundled):
    found = all_flows(None, portfolio, bundled)
    assert list(found.flows["id"]) == list(bundled["id"]) and found.problems == ()


def test_new_flow_ids_are_readable_and_unique():
    first = new_flow_id("src-elkem-thamshavn", "park-gronora", "nitrogenrikt vann", [])
    assert first == "flow-src-elkem-thamshavn-park-gronora-nitrogenrikt-vann"
    assert new_flow_id("a", "b", "biogjødsel", []) == "flow-a-b-biogjodsel"
    assert new_flow_id("src-elkem-thamshavn", "park-gronora", "nitrogenrikt vann", [first]) == first + "-2"
    assert new_flow_id("a", "b", "CO2", ["flow-a-b-co2", "flow-a-b-co2-2"]) == "flow-a-b-co2-3"
