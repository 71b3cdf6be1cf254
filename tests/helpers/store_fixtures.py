"""Helpers for tests/test_store.py: generated layers, the two backends, and subprocess writers.

Run as a script it is the writer process of the concurrency tests:
    python tests/helpers/store_fixtures.py save SPEC PREFIX COUNT  (prints "ready", waits for a line on stdin, saves
                                                                    COUNT layers)
    python tests/helpers/store_fixtures.py hang SPEC               (saves, prints "writing" just before publishing and
                                                                    stops there until killed or its stdin closes)
    python tests/helpers/store_fixtures.py churn SPEC              (prints "ready", then writes until killed)
"""

from __future__ import annotations

import json
import os
import re
import select
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyogrio
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # as a script, only tests/ is on the path
    sys.path.insert(0, str(ROOT))

from loaders import parse_geojson  # noqa: E402
from store import Origin  # noqa: E402
from store.base import LayerStore  # noqa: E402
from store.columns import encode  # noqa: E402
from store.geopackage import GeoPackageStore  # noqa: E402
from store.postgis import PostGISStore  # noqa: E402

DATA_TABLE = re.compile(r"layer_\d+_v\d+")
PG_URL = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""

HOSTILE_TEXTS = [
    "Robert'); DROP TABLE industrikart_layers; --",
    "<script>alert('x')</script>",
    "\"double\" 'single' `back` \\backslash\\",
    "Ærlig talt: Østre Å-gate, blåbærsyltetøy",
    "%s %(name)s {} {0} ? :name $1",
    "line one\nline two\ttabbed",
    "emoji 🏭 and 漢字",
    "   leading and trailing spaces   ",
]


# --- generated layers ---------------------------------------------------------------------------


def generated_parks(n: int = 4, prefix: str = "gen") -> gpd.GeoDataFrame:
    """Parks built through the real loader, so dtypes are exactly what uploads give the store."""
    features = []
    for i in range(n):
        if i % 3 == 2:
            x, y = 9.5 + i * 0.001, 63.2
            geometry = {"type": "Polygon", "coordinates": [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y]]]}
        else:
            geometry = {"type": "Point", "coordinates": [10.0 + i * 0.001, 63.4 + i * 0.0005]}
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": f"{prefix}-{i}",
                    "name": f"Generert park {i} på Ørland – «æøå»",
                    "municipality": "Ørland",
                    "kommunenummer": "5057",
                    "status": ["etablert", "planlagt", None][i % 3],
                    "focus": None if i % 2 else "hydrogen og biogass",
                    "themes": [["biogass", "hydrogen"], [], ["havbruk"]][i % 3],
                    "companies": None,
                    "area": None if i % 4 == 3 else 10.5 * (i + 1),
                    "area_unit": "dekar",
                    "source_url": f"https://example.org/generated/{i}",
                    "source_year": None if i % 2 else 2020 + i % 5,
                    "location_precision": "site",
                },
                "geometry": geometry,
            }
        )
    return parse_geojson(json.dumps({"type": "FeatureCollection", "features": features}), "parks")


def generated_other_layer() -> gpd.GeoDataFrame:
    """An "other" layer with every column type the store maps, missing values and hostile text."""
    square = Polygon([(10.0, 63.0), (10.1, 63.0), (10.1, 63.1), (10.0, 63.1)])
    return gpd.GeoDataFrame(
        {
            "navn": pd.Series(["Første æøå", None, HOSTILE_TEXTS[1], HOSTILE_TEXTS[0]], dtype="str"),
            "antall": np.array([1, 2, 3, 2**62], dtype="int64"),
            "valgfritt tall": pd.Series([1, None, -5, 2**53 + 1], dtype="Int64"),
            "andel": [0.5, np.nan, -1e300, 3.25],
            "aktiv": [True, False, True, False],
            "kanskje": pd.Series([True, None, False, None], dtype="boolean"),
            "tema": [["a", "æ"], [], None, ["x", HOSTILE_TEXTS[2]]],
            "egenskaper": [{"k": 1, "nested": [1, 2]}, None, {"q": "\"'"}, {}],
            "blandet": [1, "to", 3.5, None],
            "tidspunkt": pd.to_datetime(
                ["2024-01-02T03:04:05+01:00", None, "2023-06-30T23:59:59.5+02:00", "2020-02-29T12:00:00Z"],
                utc=True,
                format="ISO8601",
            ).tz_convert("Europe/Oslo"),
            "dato": pd.to_datetime(["2024-01-02", None, "2023-12-31", "2020-02-29"]),
            "kategori": pd.Series(["a", "b", None, "a"], dtype="category"),
            'kolonne "sitert" æøå': ["1", "2", "3", "4"],
            "select * from x; --": ["a", "b", "c", "d"],
        },
        geometry=[
            Point(10.4, 63.4),
            LineString([(10.0, 63.0), (10.5, 63.5)]),
            None,
            MultiPolygon([square, Polygon([(11.0, 64.0), (11.1, 64.0), (11.1, 64.1)])]),
        ],
        crs="EPSG:4326",
    )


# --- backends -----------------------------------------------------------------------------------


class Backend:
    """Where a test's store lives; `open()` gives a fresh store object on the same data."""

    def __init__(self, name: str, tmp_path: Path):
        self.name = name
        if name == "gpkg":
            self.location = str(tmp_path / "store" / "layers.gpkg")
        else:
            self.location = f"test_{uuid.uuid4().hex[:12]}"  # a schema of its own, dropped after the test

    @property
    def spec(self) -> str:
        return json.dumps({"backend": self.name, "location": self.location, "url": PG_URL})

    def open(self, **kwargs) -> LayerStore:
        return open_spec(self.spec, **kwargs)

    def physical_tables(self) -> set[str]:
        """Data tables actually present (not what the metadata claims)."""
        if self.name == "gpkg":
            with closing(sqlite3.connect(self.location)) as con:  # closed now, not at the next garbage collection
                names = [n for (n,) in con.execute("SELECT table_name FROM gpkg_contents")]
                names += [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        else:
            with psycopg.connect(PG_URL) as con:
                query = "SELECT table_name FROM information_schema.tables WHERE table_schema = %s"
                names = [n for (n,) in con.execute(query, (self.location,))]
        return {n for n in names if DATA_TABLE.fullmatch(n)}

    def cleanup(self) -> None:
        if self.name == "postgis":
            with psycopg.connect(PG_URL, autocommit=True) as con:
                con.execute(f'DROP SCHEMA IF EXISTS "{self.location}" CASCADE')


# The GeoPackage layout before the schema table (layout 1): what the copy-on-write backend wrote.
LAYOUT_1_TABLES = """
CREATE TABLE industrikart_layers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    {style}
    visible INTEGER NOT NULL DEFAULT 1,
    current_version INTEGER NOT NULL,
    deleted_at TEXT
);
CREATE TABLE industrikart_layer_versions (
    layer_id INTEGER NOT NULL REFERENCES industrikart_layers(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    original_filename TEXT NOT NULL,
    original_crs TEXT NOT NULL,
    uploader TEXT NOT NULL,
    created_at TEXT NOT NULL,
    feature_count INTEGER NOT NULL,
    source_licence TEXT NOT NULL,
    layout TEXT NOT NULL,
    PRIMARY KEY (layer_id, version)
);
"""


def layout_1_store(path: Path, layers: list[tuple[str, str, list[gpd.GeoDataFrame]]], style: bool = True) -> None:
    """A store file as the copy-on-write backend left it: rollback journal, no schema table.

    `layers` are (title, kind, versions), the last version current; `style=False` makes a file from
    before layers had a style column. Data tables are written by GDAL exactly as that backend did.
    """
    created = datetime(2025, 6, 1, 12, tzinfo=UTC).isoformat()
    rows = []
    for layer_id, (_, _, frames) in enumerate(layers, 1):
        for version, frame in enumerate(frames, 1):
            data = encode(frame)
            table = f"layer_{layer_id}_v{version}"
            pyogrio.write_dataframe(
                data.frame(),
                path,
                layer=table,
                driver="GPKG",
                geometry_type="Unknown" if len(data) == 0 else None,
                promote_to_multi=False,
                layer_options={"GEOMETRY_NAME": "geom", "FID": "fid"},
            )
            upload = (f"v{version}.geojson", "EPSG:4326", "generated", created, len(data), "CC0 generated")
            rows.append((layer_id, version, table, *upload, data.layout_json()))
    with closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA journal_mode = DELETE")
        con.executescript(LAYOUT_1_TABLES.format(style="style TEXT NOT NULL DEFAULT '{}'," if style else ""))
        with con:
            for layer_id, (title, kind, frames) in enumerate(layers, 1):
                con.execute(
                    "INSERT INTO industrikart_layers (id, title, kind, current_version) VALUES (?, ?, ?, ?)",
                    (layer_id, title, kind, len(frames)),
                )
            con.executemany("INSERT INTO industrikart_layer_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def open_spec(spec: str, **kwargs) -> LayerStore:
    where = json.loads(spec)
    if where["backend"] == "gpkg":
        return GeoPackageStore(where["location"], **kwargs)
    return PostGISStore(where["url"], schema=where["location"], **kwargs)


def writer(*args: str) -> subprocess.Popen:
    """Start this file as a writer process (see the module docstring)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, __file__, *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def says(proc: subprocess.Popen, line: str, timeout: float = 60.0) -> None:
    """Wait until the writer prints `line` (blocking on its output, not polling); fail if it ends first or is silent
    for `timeout` seconds."""
    if not select.select([proc.stdout], [], [], timeout)[0]:
        raise AssertionError(f"the writer said nothing in {timeout} s (waiting for {line!r})")
    said = proc.stdout.readline().strip()
    if said != line:
        proc.kill()
        raise AssertionError(f"the writer said {said!r}, not {line!r} ({proc.wait()}): {proc.stderr.read()}")


def _main(argv: list[str]) -> None:
    command, spec = argv[0], argv[1]
    store = open_spec(spec)
    if command == "save":
        prefix, count = argv[2], int(argv[3])
        print("ready", flush=True)
        sys.stdin.readline()  # the parent starts every writer's saves at once
        for i in range(count):
            info = store.save(
                generated_parks(200, prefix=f"{prefix}{i}"), f"{prefix} {i}", "parks", Origin(uploader=prefix)
            )
            print(info.id, flush=True)
    elif command == "hang":

        def hang() -> None:
            print("writing", flush=True)  # everything is written; the parent kills us now
            sys.stdin.read()  # the hang under test: until killed (or the parent is gone: then never publish)
            os._exit(1)

        store._before_publish = hang
        store.save(generated_parks(500, prefix="killed"), "killed writer", "parks", Origin(uploader="killed"))
    elif command == "churn":
        print("ready", flush=True)
        for i in range(10**6):  # until killed: every kind of write, so a kill can land in any of them
            info = store.save(generated_parks(300, prefix=f"churn{i}"), f"churn {i}", "parks", Origin(uploader="churn"))
            store.replace(info.id, generated_parks(100 + i % 50, prefix=f"churn{i}b"))
            store.rename(info.id, f"churn {i} renamed")
            store.set_visible(info.id, False)
            store.restore_version(info.id, 1)
            if i % 2:
                store.delete(info.id)
                store.purge(now=datetime.now(UTC) + timedelta(days=400))
            print(i, flush=True)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    _main(sys.argv[1:])
