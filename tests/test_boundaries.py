"""Municipality boundaries: reading Kartverket-style files, the download cache, and which boundaries are used.

The shared Kartverket-based file is read from ../shared (never copied here); the Geonorge-style variants
are generated from it in a temporary folder.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from core.kommunenummer import CURRENT
from loaders.bundled.boundaries import (
    CACHE_NAME,
    BoundariesError,
    boundaries_signature,
    download_boundaries,
    find_boundaries,
    load_boundaries,
    to_current_numbers,
)
from loaders.errors import CRSError, FileFormatError


@pytest.fixture(scope="module")
def kommuner_path(shared_geodata) -> Path:
    return shared_geodata / "trondelag_kommuner.geojson"


@pytest.fixture
def geonorge_style(kommuner_path) -> dict:
    """The shared file reshaped like Geonorge's "Administrative enheter": nested collections, EPSG:4258,
    names as a list per language, and a boundary-line collection beside the polygons."""
    source = json.loads(kommuner_path.read_text(encoding="utf-8"))
    polygons, lines = [], []
    for feature in source["features"]:
        names = [{"navn": part, "sprak": "nor"} for part in feature["properties"]["name"].split(" - ")]
        polygons.append(
            {
                "type": "Feature",
                "properties": {"kommunenummer": feature["properties"]["kommunenummer"], "navn": names},
                "geometry": feature["geometry"],
            }
        )
        ring = feature["geometry"]["coordinates"][0]
        ring = ring[0] if feature["geometry"]["type"] == "MultiPolygon" else ring
        lines.append(
            {
                "type": "Feature",
                "properties": {"objtype": "Kommunegrense"},
                "geometry": {"type": "LineString", "coordinates": ring[:5]},
            }
        )
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4258"}}
    return {
        "Kommune": {"type": "FeatureCollection", "crs": crs, "features": polygons},
        "Kommunegrense": {"type": "FeatureCollection", "crs": crs, "features": lines},
    }


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Basisdata_Kommunegrense_readme.txt", "generated for a test")
        archive.writestr(name, data)
    return buffer.getvalue()


def test_load_shared_kommuner(kommuner_path, kommuner):
    frame = load_boundaries(kommuner_path)
    assert len(frame) == 38 and frame.crs == "EPSG:4326"
    assert set(frame["kommunenummer"]) == set(CURRENT)
    assert all(isinstance(n, str) and len(n) == 4 for n in frame["kommunenummer"])
    assert frame.set_index("kommunenummer").loc["5001", "name"] == "Trondheim - Tråante"
    assert frame.geometry.is_valid.all()
    assert frame.to_crs(25833).area.sum() == pytest.approx(kommuner.to_crs(25833).area.sum(), rel=1e-3)


def test_load_geonorge_style_nested_zip(geonorge_style, kommuner_path):
    data = zipped("Basisdata_50_Trondelag_4258_Kommuner_GeoJSON.geojson", json.dumps(geonorge_style).encode())
    frame = load_boundaries(data, "kommuner.zip")
    plain = load_boundaries(kommuner_path)
    assert frame["kommunenummer"].tolist() == plain["kommunenummer"].tolist()
    assert frame.set_index("kommunenummer").loc["5041", "name"] == "Snåase - Snåsa"
    assert frame.total_bounds == pytest.approx(plain.total_bounds, abs=1e-6)  # ETRS89 ≈ WGS84 here


def test_load_projected_file_with_its_crs(tmp_path, kommuner):
    projected = kommuner[["kommunenummer", "name", "geometry"]].to_crs(25833)
    document = json.loads(projected.to_json())
    document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}
    frame = load_boundaries(json.dumps(document).encode())
    assert frame.total_bounds == pytest.approx(kommuner.total_bounds, abs=1e-6)
    del document["crs"]
    with pytest.raises(CRSError, match="not longitude/latitude"):
        load_boundaries(json.dumps(document).encode())


def test_load_geopackage_with_integer_numbers(tmp_path, kommuner):
    frame = kommuner[["kommunenummer", "name", "geometry"]].copy()
    frame["kommunenummer"] = frame["kommunenummer"].astype(int)
    frame.to_file(tmp_path / "kommuner.gpkg", layer="kommune", driver="GPKG")
    loaded = load_boundaries(tmp_path / "kommuner.gpkg")
    assert set(loaded["kommunenummer"]) == set(CURRENT)


def test_files_without_municipalities_are_refused():
    points = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kommunenummer": "5001"},
                "geometry": {"type": "Point", "coordinates": [10, 63]},
            }
        ],
    }
    with pytest.raises(FileFormatError, match="no municipality polygons"):
        load_boundaries(json.dumps(points).encode())
    with pytest.raises(FileFormatError, match="not valid JSON"):
        load_boundaries(b"{not json")
    with pytest.raises(FileFormatError, match="zip"):
        load_boundaries(zipped("readme.txt", b"x")[:40] + b"broken", "kommuner.zip")


def test_old_division_numbers_are_dissolved_into_todays(kommuner):
    trondheim = kommuner.set_index("kommunenummer").loc["5001", "geometry"]
    west, east = trondheim.bounds[0], trondheim.bounds[2]
    from shapely.geometry import box

    old = gpd.GeoDataFrame(
        {
            "kommunenummer": ["1601", "5030", "5012"],  # Trondheim, Klæbu (2018 number), Snillfjord (split)
            "name": ["Trondheim", "Klæbu", "Snillfjord"],
        },
        geometry=[
            trondheim.intersection(box(west, -90, (west + east) / 2, 90)),
            trondheim.intersection(box((west + east) / 2, -90, east, 90)),
            kommuner.set_index("kommunenummer").loc["5056", "geometry"],
        ],
        crs=4326,
    )
    current, report = to_current_numbers(old)
    assert current["kommunenummer"].tolist() == ["5001"]
    assert current["name"].tolist() == ["Trondheim"]
    assert current.to_crs(25833).area.iloc[0] == pytest.approx(
        gpd.GeoSeries([trondheim], crs=4326).to_crs(25833).area[0], rel=1e-4
    )
    assert report.county_only == ["5012"] and report.mapped == {"1601": "5001", "5030": "5001"}


# --- download and cache ----------------------------------------------------------------------------------


class Opener:
    """Serves a local file as the download would, counting calls."""

    def __init__(self, path: Path):
        self.path, self.calls = path, []

    def __call__(self, url, timeout=None):
        self.calls.append((url, timeout))
        return open(self.path, "rb")  # noqa: SIM115 (the caller closes it, as with urlopen)


def failing_opener(url, timeout=None):
    raise OSError("network unreachable (test)")


def test_download_caches_once(tmp_path, kommuner_path, geonorge_style):
    served = tmp_path / "served.zip"
    served.write_bytes(
        zipped("Basisdata_0000_Norge_4258_Kommuner_GeoJSON.geojson", json.dumps(geonorge_style).encode())
    )
    opener = Opener(served)
    cache = tmp_path / "cache"
    path = download_boundaries("https://example.invalid/kommuner.zip", cache, opener)
    assert path == cache / CACHE_NAME and len(opener.calls) == 1
    cached = load_boundaries(path)
    assert set(cached["kommunenummer"]) == set(CURRENT)
    assert json.loads((cache / "kommuner.source.json").read_text())["url"] == "https://example.invalid/kommuner.zip"
    assert download_boundaries("https://example.invalid/kommuner.zip", cache, opener) == path
    assert len(opener.calls) == 1, "a cached download is not fetched again"
    assert sorted(p.name for p in cache.iterdir()) == [CACHE_NAME, "kommuner.source.json"]


def test_failed_download_keeps_the_old_cache(tmp_path, kommuner_path):
    cache = tmp_path / "cache"
    path = download_boundaries("file:///kommuner.geojson", cache, Opener(kommuner_path))
    before = path.read_bytes()
    with pytest.raises(BoundariesError, match="could not be downloaded.*network unreachable"):
        download_boundaries("https://example.invalid/kommuner.zip", cache, failing_opener, force=True)
    garbage = tmp_path / "garbage.html"
    garbage.write_text("<html>Service unavailable</html>")
    with pytest.raises(BoundariesError, match="not usable boundaries"):
        download_boundaries("https://example.invalid/kommuner.zip", cache, Opener(garbage), force=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in cache.iterdir()) == [CACHE_NAME, "kommuner.source.json"], "no temporary file left"


def test_failed_first_download_leaves_no_cache(tmp_path):
    with pytest.raises(BoundariesError):
        download_boundaries("https://example.invalid/kommuner.zip", tmp_path, failing_opener)
    assert list(tmp_path.iterdir()) == []


# --- which boundaries are used ----------------------------------------------------------------------------


def test_find_boundaries_order(tmp_path, kommuner_path, kommuner):
    from store.geopackage import GeoPackageStore

    cache = tmp_path / "cache"
    assert find_boundaries(env={}, store=None, cache_dir=cache).origin == "bundled"  # static/outlines/, last
    download_boundaries("file:///k.geojson", cache, Opener(kommuner_path))
    assert find_boundaries(env={}, store=None, cache_dir=cache).origin == "cache"

    store = GeoPackageStore(tmp_path / "store.gpkg")
    three = kommuner[kommuner["kommunenummer"].isin(["5001", "5059", "5006"])][["kommunenummer", "name", "geometry"]]
    store.save(three, "Generated boundaries (3)", "boundaries")
    found = find_boundaries(env={}, store=store, cache_dir=cache)
    assert (found.origin, len(found.frame)) == ("store", 3)

    env = {"INDUSTRIKART_BOUNDARIES": str(kommuner_path)}
    found = find_boundaries(env=env, store=store, cache_dir=cache)
    assert (found.origin, len(found.frame)) == ("file", 38)
    assert boundaries_signature(env, store, cache) != boundaries_signature({}, store, cache)
    with pytest.raises(FileNotFoundError):
        find_boundaries(env={"INDUSTRIKART_BOUNDARIES": str(tmp_path / "missing.geojson")}, cache_dir=cache)
