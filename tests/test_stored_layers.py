"""Uploaded layers join the bundled ones on the maps: known kinds with their filters, others with their style."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from analysis.filters import Filters, apply_filters
from loaders.bundled.portfolio import with_stored_layers
from store import open_store
from tests.helpers.apptest import app, js_unescaped, map_args, metrics

HOSTILE = '<img src=x onerror="alert(1)">'


def generated_uploaded_park(portfolio, **changes) -> gpd.GeoDataFrame:
    row = portfolio.parks.iloc[[0]].copy()
    row["id"] = "park-malm"  # the same id as a bundled park: the prefix must keep them apart
    row["name"] = "Generated uploaded park"
    row["municipality"], row["kommunenummer"] = "Orkland", "5059"
    row["geometry"] = [Point(9.9, 63.3)]
    for key, value in changes.items():
        row[key] = value
    return gpd.GeoDataFrame(row, crs=4326).reset_index(drop=True)


def test_stored_ids_are_prefixed_and_filters_apply(portfolio):
    combined = with_stored_layers(portfolio, [(7, "parks", generated_uploaded_park(portfolio))])
    assert len(combined.parks) == len(portfolio.parks) + 1
    assert combined.parks["id"].is_unique and "L7:park-malm" in set(combined.parks["id"])
    orkland = apply_filters(combined, Filters(kommunenummer=("5059",))).parks
    assert "Generated uploaded park" in set(orkland["name"])
    assert len(combined.sources) == len(portfolio.sources)


def test_other_kinds_do_not_join_the_portfolio(portfolio):
    frame = gpd.GeoDataFrame({"navn": ["x"]}, geometry=[Point(10, 63)], crs=4326)
    assert len(with_stored_layers(portfolio, [(1, "other", frame)]).parks) == len(portfolio.parks)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("INDUSTRIKART_STORE", str(tmp_path / "generated_store.gpkg"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return open_store()


def test_dashboard_counts_an_uploaded_park_until_it_is_hidden(store, portfolio):
    info = store.save(generated_uploaded_park(portfolio), "Generated parks", "parks")
    at = app("dashboard.py").run()
    assert not at.exception
    assert metrics(at)["Parker og områder"] == str(len(portfolio.parks) + 1)
    store.set_visible(info.id, False)
    at = app("dashboard.py").run()
    assert metrics(at)["Parker og områder"] == str(len(portfolio.parks))


def test_an_other_layer_is_drawn_with_its_style_and_escaped(store):
    frame = gpd.GeoDataFrame(
        {"navn": [HOSTILE], "merknad": ["<b>fet</b>"]},
        geometry=[Polygon([(10, 63), (10.1, 63), (10.1, 63.1)])],
        crs=4326,
    )
    style = {"colour": "#123456", "fill": True, "label_field": "navn", "popup_fields": ["navn", "merknad"]}
    store.save(frame, HOSTILE, "other", style=style)
    at = app("dashboard.py").run()
    assert not at.exception
    args = map_args(at)
    assert "#123456" in args["feature_group"]
    everything = js_unescaped(args["feature_group"] + args["script"] + args["header"])
    assert "<img src=x" not in everything and "<b>fet</b>" not in everything  # \u003c read back as <
    assert "&lt;img src=x" in everything and "&lt;b&gt;fet&lt;/b&gt;" in everything


def test_an_unreadable_store_warns_and_shows_the_bundled_data(tmp_path, monkeypatch, portfolio):
    bad = tmp_path / "generated_not_a_store.gpkg"
    bad.write_text("not a geopackage", encoding="utf-8")
    monkeypatch.setenv("INDUSTRIKART_STORE", str(bad))
    at = app("dashboard.py").run()
    assert not at.exception
    assert any("Lagrede kartlag kunne ikke leses" in w.value for w in at.warning)
    assert metrics(at)["Parker og områder"] == str(len(portfolio.parks))
