"""What every rerun pays to know the store's revision: one `store.list()`, the key of the caches.

    eval "$(bash tests/postgis.sh start)"   # optional: adds the PostGIS rows
    .venv/bin/python -m benchmarks.bench_revision [--layers 1 50] [--repeat 50]

For each backend (a fresh GeoPackage; the PostGIS at TEST_DATABASE_URL, in a throwaway schema, when set)
and each layer count, generated point layers of 1 000 features are saved, then the median of `repeat`
calls is printed for `list()` (every rerun) beside reading every layer (what a rerun would pay if the
caches were not keyed by the listing, the baseline).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np

from store import open_store


def generated_points(n: int, seed: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    geometry = gpd.points_from_xy(rng.uniform(9, 14, n), rng.uniform(62.5, 65, n))
    return gpd.GeoDataFrame({"name": [f"generated_{i}" for i in range(n)]}, geometry=geometry, crs=4326)


def median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def backends() -> list[tuple[str, dict, callable]]:
    out = [("GeoPackage", {"INDUSTRIKART_STORE": str(Path(tempfile.mkdtemp()) / "generated_store.gpkg")}, None)]
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        schema = f"bench_revision_{uuid.uuid4().hex[:8]}"

        def drop(url=url, schema=schema):
            import psycopg

            with psycopg.connect(url, autocommit=True) as con:
                con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

        out.append(("PostGIS", {"DATABASE_URL": url, "INDUSTRIKART_PG_SCHEMA": schema}, drop))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=int, nargs="*", default=[1, 50])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    rows = []
    for name, env, cleanup in backends():
        store = open_store(env)
        saved = 0
        try:
            for count in sorted(args.layers):
                while saved < count:
                    store.save(generated_points(1_000, saved), f"generated layer {saved}", "other")
                    saved += 1
                listing = median_ms(store.list, args.repeat)
                ids = [i.id for i in store.list()]
                reading = median_ms(lambda s=store, ids=ids: [s.read(i) for i in ids], max(3, args.repeat // 10))
                rows.append((name, count, listing, reading))
                print(f"{name}, {count} layers: list {listing:.2f} ms, read all {reading:.1f} ms", flush=True)
        finally:
            if cleanup:
                cleanup()
    print()
    print("| store | layers | list() per rerun, ms | baseline: read every layer, ms |")
    print("|---|---|---|---|")
    for name, count, listing, reading in rows:
        print(f"| {name} | {count} | {listing:.2f} | {reading:.1f} |")


if __name__ == "__main__":
    main()
