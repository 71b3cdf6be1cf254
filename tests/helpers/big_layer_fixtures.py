"""Generated big layers (names start with generated_) for the tile tests and benchmarks/bench_map_scale.py."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from store import LayerInfo, open_store
from tests.helpers.browser import OfflinePage

# Inside Trøndelag's bounding box, away from the bundled features' label clutter.
WEST, EAST, SOUTH, NORTH = 9.0, 14.0, 62.5, 65.0
HOSTILE = ' <b>&amp;</b> {{ 7*7 }} <img src=x onerror="alert(1)">'


def generated_points(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    geometry = gpd.points_from_xy(rng.uniform(WEST, EAST, n), rng.uniform(SOUTH, NORTH, n))
    return _with_fields(geometry, "point")


def generated_polygons(n: int, seed: int = 11) -> gpd.GeoDataFrame:
    """Small rectangles (about 200 × 200 m) scattered over the county, like plan areas."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(WEST, EAST, n), rng.uniform(SOUTH, NORTH, n)
    return _with_fields(shapely.box(x, y, x + 0.004, y + 0.0018), "area")


def generated_dense_counties(shared_geodata: Path, vertices: int = 181_000) -> gpd.GeoDataFrame:
    """Norway's 15 counties from ../shared, densified to about `vertices` vertices in all: the shape of
    Geonorge's own county file (15 MultiPolygons, 181 000 vertices), which is not in ../shared."""
    counties = gpd.read_file(shared_geodata / "norge_fylker_s.geojson").to_crs(4326)
    length = shapely.length(counties.geometry.boundary.to_numpy()).sum()  # degrees: only a spacing
    dense = counties.geometry.segmentize(length / vertices)
    return gpd.GeoDataFrame(
        {"name": counties.get("name", counties.index.astype(str)).astype(str) + HOSTILE, "kind": "county"},
        geometry=dense.to_numpy(),
        crs=4326,
    )


def _with_fields(geometry, what: str) -> gpd.GeoDataFrame:
    n = len(geometry)
    names = np.char.add(np.char.add(f"generated_{what}_", np.arange(n).astype(str)), HOSTILE)
    return gpd.GeoDataFrame({"name": names, "value": np.arange(n), "kind": what}, geometry=geometry, crs=4326)


def stored_layer(path: Path, frame: gpd.GeoDataFrame, title: str) -> LayerInfo:
    """`frame` saved as an "other" layer in a GeoPackage store at `path`."""
    store = open_store({"INDUSTRIKART_STORE": str(path)})
    return store.save(frame, title, "other", style={"colour": "#1f78b4", "label_field": "name"})


# Through Leaflet itself (a tile renderer leaves no per-feature DOM): for every protomaps-leaflet layer on the map in
# window `w`, whether tiles are still loading, how many tiles are shown and how many distinct features (fid) the
# loaded tiles hold.
TILE_STATE_OF_JS = """(w) => { const out = {layers: 0, loading: false, tiles: 0, features: 0};
    w.map.eachLayer(l => { if (!l.views) return;
        out.layers++; out.loading = out.loading || !!l._loading; out.tiles += Object.keys(l._tiles).length;
        const ids = new Set();
        l.views.forEach(v => v.tileCache.cache.forEach(e => (e.data.get('features') || []).forEach(
            f => ids.add(f.props.fid))));
        out.features += ids.size; });
    return out; }"""
TILE_STATE_JS = f"() => ({TILE_STATE_OF_JS})(window)"  # evaluated in the map's frame


def tiles_drawn(state: dict) -> bool:
    return state["layers"] > 0 and not state["loading"] and state["tiles"] > 0 and state["features"] > 0


class CountingPage(OfflinePage):
    """An offline page that also counts the bytes the server sends over Streamlit's websocket, and notes when
    the server reports a script run finished (`script_ends`, time.monotonic())."""

    def __init__(self, browser, url: str):
        super().__init__(browser, "about:blank")
        self.received = 0
        self.script_ends: list[float] = []
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._count))
        self.page.goto(url)

    def _count(self, payload):
        data = payload.encode() if isinstance(payload, str) else payload
        self.received += len(data)
        if len(data) < 1024:  # a script_finished message is a few bytes: the layers' big frames are not parsed
            message = ForwardMsg()
            with contextlib.suppress(Exception):
                message.ParseFromString(bytes(data))
                if message.WhichOneof("type") == "script_finished" and message.script_finished in (
                    ForwardMsg.FINISHED_SUCCESSFULLY,
                    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                ):
                    self.script_ends.append(time.monotonic())

    def wait_for_tiles(self, timeout_s: float = 120) -> dict:
        """The tile layers' state (TILE_STATE_OF_JS) once the first map has drawn its tiles (as `tiles_drawn`)."""
        return self.wait_for_maps(
            f"""(maps) => {{ if (!maps.length) return false; const s = ({TILE_STATE_OF_JS})(maps[0]);
                return s.layers > 0 && !s.loading && s.tiles > 0 && s.features > 0 ? s : false; }}""",
            timeout_s=timeout_s,
            what="the tile layer never drew",
        )
