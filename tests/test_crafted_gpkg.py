"""Crafted GeoPackages: SQLite schema objects that run when the file is read are refused before GDAL
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
    # two spaces slipped past a prefix test; fts5 is no R*Tree whatever the table is called
    "spaced_virtual_table": "CREATE  VIRTUAL   TABLE crafted USING fts5(x)",
    "rtree_named_fts": 'CREATE VIRTUAL TABLE "rtree_crafted_geom" USING fts5(x)',
    # a generated column runs its expression on every row read
    "generated_column": "CREATE TABLE crafted (id INTEGER PRIMARY KEY, x AS (hex(zeroblob(50000000))))",
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
    assert refused.value.code == "gpkg_not_standard" and "crafted" in refused.value.params["name"]
    nb, en = error_text(refused.value, "nb"), error_text(refused.value, "en")
    assert "crafted" in nb and "GeoPackage-standarden" in nb and "GeoPackage standard" in en


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


def test_an_sqlite_database_in_another_formats_clothes_is_refused(tmp_path):
    """GDAL opened a zipped Shapefile's layer.shp that was really SQLite with its SQLite driver, and
    ran a view named like the layer, past the GeoPackage check."""
    import io
    import zipfile

    database = tmp_path / "generated_disguised.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute(CRAFTED["recursive_view"].replace("VIEW crafted", "VIEW layer"))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("layer.shp", database.read_bytes())
        zipped.writestr("layer.shx", b"")
        zipped.writestr("layer.dbf", b"")
    with pytest.raises(FileFormatError) as refused:
        prepare(archive.getvalue(), "generated_disguised.zip")
    assert "SQLite" in str(refused.value)
    with pytest.raises(FileFormatError):  # a .kml of SQLite bytes: refused before GDAL sees it too
        prepare(database.read_bytes(), "generated.kml")
