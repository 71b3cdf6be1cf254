"""Crafted GeoPackages (issue 19): SQLite schema objects that run when the file is read are refused before GDAL
opens it, with a clear message, through the upload path and the command line alike.

Every file is generated here: a real GeoPackage written by GDAL (pyogrio), then one object added with sqlite3 and,
for views, registered in gpkg_contents as a feature table the way an attacker would.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

import config
from i18n import error_text
from loaders.errors import FileFormatError
from loaders.upload.ingest import prepare
from store import open_store

CRAFTED = {
    # WITH RECURSIVE without end: `ingest --dry-run` never ended, the upload page held a core for good
    "recursive_view": "CREATE VIEW crafted AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
    "SELECT n AS fid, NULL AS geom FROM r",
    # a 96 KB file whose rows are 100 MB of hex each: peaked at 5.5 GB and was accepted
    "zeroblob_view": "CREATE VIEW crafted AS SELECT fid, geom, hex(zeroblob(50000000)) AS x FROM generated_points",
    "cross_join_view": "CREATE VIEW crafted AS SELECT a.fid AS fid, a.geom AS geom FROM generated_points a, "
    "generated_points b, generated_points c, generated_points d",
    "trigger": "CREATE TRIGGER crafted AFTER INSERT ON generated_points BEGIN DELETE FROM gpkg_contents; END",
    "virtual_table": "CREATE VIRTUAL TABLE crafted USING rtree(id, minx, maxx)",
}


def generated_gpkg(path: Path, crafted: str | None = None) -> bytes:
    frame = gpd.GeoDataFrame(
        {"navn": [f"Generated {i}" for i in range(20)]},
        geometry=[Point(10 + i / 100, 63.4) for i in range(20)],
        crs="EPSG:4326",
    )
    frame.to_file(path, layer="generated_points", driver="GPKG")  # with GDAL's R*Tree index and its triggers
    if crafted is not None:
        with sqlite3.connect(path) as connection:
            connection.execute(CRAFTED[crafted])
            if crafted.endswith("_view"):
                connection.execute(
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                    "VALUES ('crafted', 'features', 'crafted', 4326)"
                )
                connection.execute("INSERT INTO gpkg_geometry_columns VALUES ('crafted', 'geom', 'POINT', 4326, 0, 0)")
    return path.read_bytes()


def test_a_plain_geopackage_from_gdal_is_read_as_before(tmp_path):
    prepared = prepare(generated_gpkg(tmp_path / "generated_plain.gpkg"), "generated_plain.gpkg")
    assert len(prepared.layer) == 20


@pytest.mark.parametrize("crafted", CRAFTED)
def test_a_crafted_geopackage_is_refused_before_gdal_reads_it(crafted, tmp_path):
    data = generated_gpkg(tmp_path / f"generated_{crafted}.gpkg", crafted)
    with pytest.raises(FileFormatError) as refused:
        prepare(data, f"generated_{crafted}.gpkg")
    assert refused.value.code == "gpkg_not_standard" and refused.value.params["name"] == "crafted"
    nb, en = error_text(refused.value, "nb"), error_text(refused.value, "en")
    assert "«crafted»" in nb and "GeoPackage-standarden" in nb and "'crafted'" in en


@pytest.mark.parametrize("crafted", ["recursive_view", "zeroblob_view"])
def test_the_command_line_refuses_it_at_once_and_stores_nothing(crafted, tmp_path):
    path = tmp_path / f"generated_{crafted}.gpkg"
    generated_gpkg(path, crafted)
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "ingest", str(path)],
        cwd=config.ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,  # it used to run for ever: a bound, not a speed goal
    )
    assert done.returncode == 2 and "GeoPackage standard does not define" in done.stderr
    assert open_store().list() == []
