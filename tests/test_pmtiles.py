"""Tile building and the tile layer element (maps/pmtiles_build.py, maps/pmtiles_layer.py), the stored record
(ui/record.py)."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point

import config
from maps.build import base_map, overview_layers
from maps.pmtiles_build import (
    FID,
    TILE_LAYER,
    LayerVersion,
    TileBuildError,
    build_tiles,
    ensure_tiles,
    is_big,
    read_tile_set,
    remove_stale,
    store_folder,
    tile_path,
)
from maps.pmtiles_layer import STORED_LAYER, tile_layer_group
from tests.helpers.big_layer_fixtures import HOSTILE, generated_points, generated_polygons
from ui.map_view import Selection, selection_from
from ui.record import stored_record_rows


def tile_features(path) -> gpd.GeoDataFrame:
    """The features at the highest zoom, as GDAL's PMTiles driver reads them."""
    return pyogrio.read_dataframe(path, layer=TILE_LAYER).to_crs(4326)


@pytest.fixture(scope="module")
def points():
    return generated_points(3_000)


@pytest.fixture(scope="module")
def built(points, tmp_path_factory):
    return build_tiles(points, tmp_path_factory.mktemp("tiles") / "points.pmtiles")


def test_every_feature_is_at_the_highest_zoom_with_its_id(points, built):
    features = tile_features(built)
    assert sorted(set(features[FID].astype(int))) == list(range(len(points)))
    assert set(features.columns) <= {FID, "mvt_id", "geometry"}  # no user text in tiles


def test_ids_point_at_the_right_features(points, built):
    features = tile_features(built).drop_duplicates(FID)  # points in a tile's buffer appear twice
    for _, feature in features.sample(50, random_state=1).iterrows():
        assert feature.geometry.distance(points.geometry.iloc[int(feature[FID])]) < 1e-3


def test_header_bounds_and_zooms(points, built):
    tiles = read_tile_set(built)
    west, south, east, north = points.total_bounds
    assert tiles.bounds == pytest.approx((west, south, east, north), abs=1e-4)
    assert tiles.min_zoom == 0 and tiles.max_zoom >= config.TILE_MIN_MAX_ZOOM


def test_polygons_keep_their_count_and_empty_rows_keep_positions(tmp_path):
    polygons = generated_polygons(500)
    polygons.loc[7, "geometry"] = None
    features = tile_features(build_tiles(polygons, tmp_path / "polygons.pmtiles"))
    assert set(features[FID].astype(int)) == set(range(500)) - {7}


def test_tiles_are_rebuilt_when_missing_and_stale_ones_removed(points, tmp_path):
    folder = store_folder("generated_store.gpkg", tmp_path)
    first = LayerVersion(1, 1, "2026-12-01T10:00:00+00:00", len(points))
    reads = []

    def read():
        reads.append(1)
        return points

    tiles = ensure_tiles(folder, first, read)
    assert tiles.path == tile_path(folder, first) and len(reads) == 1
    ensure_tiles(folder, first, read)
    assert len(reads) == 1  # cached
    tiles.path.unlink()
    ensure_tiles(folder, first, read)
    assert len(reads) == 2 and tiles.path.exists()  # a fresh replica, a cleaned cache
    second = LayerVersion(1, 2, "2026-12-01T11:00:00+00:00", len(points))
    assert tile_path(folder, second) != tiles.path
    assert remove_stale(folder, [second]) == [tiles.path]
    assert not tiles.path.exists()


def test_names_differ_by_store_and_by_version_stamp(tmp_path):
    layer = LayerVersion(3, 1, "2026-12-01", 10)
    assert store_folder("a.gpkg", tmp_path) != store_folder("b.gpkg", tmp_path)
    assert tile_path(tmp_path, layer) != tile_path(tmp_path, LayerVersion(3, 1, "2026-12-02", 10))


def test_not_a_pmtiles_file_is_refused(tmp_path):
    (tmp_path / "x.pmtiles").write_bytes(b"not tiles" * 20)
    with pytest.raises(TileBuildError):
        read_tile_set(tmp_path / "x.pmtiles")


def test_threshold():
    assert not is_big(generated_points(10), threshold=10)
    assert is_big(generated_points(11), threshold=10)
    assert is_big(generated_polygons(3), threshold=10, vertices=14)  # 5 coordinates a rectangle


def test_the_tile_group_is_tiny_and_carries_no_user_text(built, tmp_path):
    from streamlit_folium import _get_feature_group_string  # the string streamlit-folium re-sends

    tiles = read_tile_set(built)
    title = "generated" + HOSTILE + "</script>"
    group = tile_layer_group(title, tiles, "/app/static/tiles/x/layer.pmtiles", 5, {"colour": "#1f78b4"})
    m = base_map(vector_tiles=True)
    text = _get_feature_group_string(group, m, 0)
    assert len(text) < 5_000  # the JS renderer setup; the same for 10 or 1 000 000 features
    assert "</script>" not in text and "onerror" not in text and "49" not in text
    assert "/app/static/vendor/protomaps-leaflet/protomaps-leaflet.js" in [url for _, url in m.default_js]
    options = json.loads(text.split("})(", 1)[1].split(");", 1)[0])
    assert options["layerId"] == 5 and options["maxDataZoom"] == tiles.max_zoom


def test_overview_puts_tile_groups_above_the_background(built):
    from analysis.filters import Filters, apply_filters
    from loaders import load_portfolio

    group = tile_layer_group("t", read_tile_set(built), "/x.pmtiles", 1, {})
    groups = overview_layers(apply_filters(load_portfolio(), Filters()), set(), "none", {}, "nb", tiled=[group])
    assert groups[1] is group


def test_a_click_on_a_tile_feature_becomes_a_selection():
    state = {"last_active_drawing": {"properties": {"layer": STORED_LAYER, "layer_id": 4, "ids": ["17"]}}}
    selection = selection_from(state)
    assert selection.layer == STORED_LAYER and selection.ids == ("4", "17")
    bad = {"last_active_drawing": {"properties": {"layer": STORED_LAYER, "layer_id": "4", "ids": ["1"]}}}
    assert selection_from(bad) is None


def test_the_record_lists_every_property_as_text():
    row = {"name": "generated" + HOSTILE, "value": 3, "empty": None, "geometry": Point(10, 63)}
    rows = stored_record_rows(row, "en")
    assert rows["Field"].tolist() == ["name", "value", "empty"]
    assert rows["Value"].tolist() == ["generated" + HOSTILE, "3", ""]


def test_a_big_layer_with_tiles_is_drawn_unread_and_only_a_clicked_row_is_read(monkeypatch):
    import os
    from pathlib import Path

    from store import open_store
    from tests.helpers.apptest import app, map_args
    from tests.helpers.big_layer_fixtures import stored_layer
    from ui.data import store_key
    from ui.uploaded_layers import version_of

    frame = generated_points(config.TILE_MIN_FEATURES + 1)
    info = stored_layer(Path(os.environ["INDUSTRIKART_STORE"]), frame, "generated_points_big")
    tiles = ensure_tiles(store_folder(store_key()), version_of(info), lambda: open_store().read(info.id))
    store_class = type(open_store())
    reads = []
    real_read = store_class.read

    def counted_read(self, layer_id, version=None, **rows):
        reads.append((layer_id, rows))
        return real_read(self, layer_id, version, **rows)

    monkeypatch.setattr(store_class, "read", counted_read)
    at = app("dashboard.py").run()
    assert not at.exception
    assert tiles.path.name in map_args(at)["feature_group"]
    assert reads == [], "the big layer was read to draw it"

    at.session_state["selected"] = Selection(STORED_LAYER, (str(info.id), "17"))
    at.run()
    assert not at.exception
    assert reads == [(info.id, {"start": 17, "count": 1})], "more than the clicked row was read"
    shown = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown]  # Markdown escapes read back
    assert any("Objekt 18 i generated_points_big" in text for text in shown), shown
    assert any(str(frame["name"].iloc[17]) in df.value.to_string() for df in at.dataframe)


def test_a_tile_folder_is_no_function_of_the_store_address(tmp_path):
    """The folder was sha256(DATABASE_URL)[:16], so a guessable address's password fell to a dictionary."""
    import hashlib
    import stat

    from maps.pmtiles_build import tile_secret

    url = "postgresql://industrikart:generated-password@db.example/industrikart"
    one, other = (store_folder(url, tmp_path, secret=key) for key in (b"a" * 32, b"b" * 32))
    assert one != other  # the same address, another machine's key: another name
    assert hashlib.sha256(url.encode()).hexdigest()[:16] not in (one.name, other.name)
    path = tmp_path / "keys" / "tile_secret"
    key = tile_secret(path)
    assert len(key) == 32 and tile_secret(path) == key  # made once, then kept
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not config.TILE_SECRET_FILE.resolve().is_relative_to(config.STATIC_DIR.resolve())  # never served


def test_a_failed_store_listing_deletes_no_tiles(monkeypatch):
    """An unreadable store listed as empty, and the stale-tile clean-up then removed every tile."""
    import os
    from pathlib import Path

    from store import StoreError, open_store
    from tests.helpers.apptest import app
    from tests.helpers.big_layer_fixtures import stored_layer
    from ui.data import store_key
    from ui.uploaded_layers import version_of

    info = stored_layer(Path(os.environ["INDUSTRIKART_STORE"]), generated_points(config.TILE_MIN_FEATURES + 1), "big")
    tiles = ensure_tiles(store_folder(store_key()), version_of(info), lambda: open_store().read(info.id))

    def unreadable(self, *args, **kwargs):
        raise StoreError("generated: the database did not answer")

    monkeypatch.setattr(type(open_store()), "list", unreadable)
    at = app("dashboard.py").run()
    assert not at.exception
    assert any("generated: the database did not answer" in w.value for w in at.warning)
    assert tiles.path.exists(), "a failed listing removed the tiles"


def test_the_folder_named_the_old_way_is_removed():
    """The folder a store's tiles had before (sha256 of its address) is guessable and still served: it goes."""
    import hashlib

    from tests.helpers.apptest import app
    from ui.data import store_key

    # the test's own private store: its old-style folder name is its own too
    legacy = config.TILE_DIR / hashlib.sha256(store_key().encode()).hexdigest()[:16]
    legacy.mkdir(parents=True, exist_ok=True)
    (legacy / "layer_1_v1_generated.pmtiles").write_bytes(b"generated")
    at = app("dashboard.py").run()
    assert not at.exception
    assert not legacy.exists()
