"""Rename and hide a layer in a small (~1 MB) and a large (>= 300 MB) GeoPackage layer store.

    .venv/bin/python -m benchmarks.bench_store [--repeat 15] [--large-mb 300] [--no-baseline]

Both stores are generated in a temporary directory (removed afterwards unless --keep): the small one
holds one generated polygon layer, the large one many versions of a bigger generated polygon layer.
Each operation goes through the public API (LayerStore.rename, LayerStore.set_visible) and is timed
--repeat times; the table shows the median. The baseline is the copy-on-write backend this one
replaced (store/geopackage.py from the newest commit that still copies the file on every write, or
--baseline-rev), loaded from a temporary file and run on a copy of each store in the same run.
The goal: the large store no more than 3x slower than the small one.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

import store.base
from store import Origin, errors
from store.base import LayerStore
from store.geopackage import GeoPackageStore

ROOT = Path(__file__).resolve().parents[1]

COPY_ON_WRITE = "shutil.copyfile(self.path, tmp)"  # how to recognise the old backend's source


def generated_polygons(n: int, vertices: int, seed: int) -> gpd.GeoDataFrame:
    """`n` generated star-shaped polygons of `vertices` corners in Trøndelag, with a few attributes."""
    rng = np.random.default_rng(seed)
    centres = np.column_stack([rng.uniform(9.0, 12.0, n), rng.uniform(62.5, 64.5, n)])
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    radii = rng.uniform(0.002, 0.01, (n, 1)) * rng.uniform(0.6, 1.0, (n, vertices))
    rings = np.stack([np.cos(angles) * radii, np.sin(angles) * radii], axis=-1) + centres[:, None, :]
    rings = np.concatenate([rings, rings[:, :1]], axis=1)  # closed
    polygons = shapely.polygons(rings)
    return gpd.GeoDataFrame(
        {
            "navn": [f"Generert polygon {i}" for i in range(n)],
            "verdi": rng.normal(100, 30, n),
            "antall": rng.integers(0, 1000, n),
        },
        geometry=polygons,
        crs="EPSG:4326",
    )


def file_mb(path: Path) -> float:
    with closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size / 1e6


def build_small(directory: Path) -> tuple[Path, int]:
    store = GeoPackageStore(directory / "small.gpkg")
    info = store.save(generated_polygons(1_700, 24, seed=1), "Generated polygons (small store)", "other")
    return store.path, info.id


def build_large(directory: Path, target_mb: float) -> tuple[Path, int]:
    store = GeoPackageStore(directory / "large.gpkg")
    info = store.save(generated_polygons(20_000, 60, seed=2), "Generated polygons (large store)", "other")
    version = 1
    while file_mb(store.path) < target_mb:
        version += 1
        store.replace(
            info.id,
            generated_polygons(20_000, 60, seed=version),
            Origin(original_filename=f"generated-v{version}.gpkg"),
        )
        print(f"  large store: version {version}, {file_mb(store.path):.0f} MB", file=sys.stderr)
    return store.path, info.id


def time_ops(store: LayerStore, layer_id: int, repeat: int) -> dict[str, float]:
    """Median milliseconds of rename and hide (alternating with show, so each call changes something)."""
    results = {}
    for name, op in (
        ("rename", lambda i: store.rename(layer_id, f"Generated polygons, renamed {i}")),
        ("hide", lambda i: store.set_visible(layer_id, i % 2 == 1)),
    ):
        times = []
        for i in range(repeat):
            start = time.perf_counter()
            op(i)
            times.append((time.perf_counter() - start) * 1000)
        results[name] = statistics.median(times)
    return results


def load_baseline(rev: str | None) -> tuple[type[LayerStore] | None, str]:
    """The copy-on-write GeoPackageStore class from git history, or None with the reason."""

    def show(commit: str) -> str | None:
        out = subprocess.run(
            ["git", "show", f"{commit}:store/geopackage.py"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return out.stdout if out.returncode == 0 else None

    if rev:
        commits = [rev]
    else:
        log = subprocess.run(
            ["git", "log", "--format=%H", "--", "store/geopackage.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        commits = log.stdout.split()
    for commit in commits:
        source = show(commit)
        if source and COPY_ON_WRITE in source:
            break
    else:
        return None, "no copy-on-write store/geopackage.py found in git history"

    # Its error classes moved from store.base to store.errors: import whatever base no longer has from there.
    def imports(match: re.Match) -> str:
        names = [n.strip() for n in match.group(1).replace("\n", " ").split(",") if n.strip()]
        base = [n for n in names if hasattr(store.base, n)]
        moved = [n for n in names if not hasattr(store.base, n) and hasattr(errors, n)]
        lines = [f"from store.base import ({', '.join(base)})"]
        if moved:
            lines.append(f"from store.errors import ({', '.join(moved)})")
        return "\n".join(lines)

    source = re.sub(r"from store\.base import \(([^)]*)\)", imports, source, count=1)
    with tempfile.TemporaryDirectory(prefix="industrikart-bench-old-") as tmp:
        path = Path(tmp) / "old_geopackage.py"
        path.write_text(source)
        spec = importlib.util.spec_from_file_location("old_geopackage", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module.GeoPackageStore, f"store/geopackage.py at {commit[:10]}"


def old_layout_copy(path: Path) -> Path:
    """A copy of a store as the old backend kept its files: rollback journal, not WAL."""
    copy = path.with_name(f"old-{path.name}")
    shutil.copyfile(path, copy)
    with closing(sqlite3.connect(copy)) as con:
        con.execute("PRAGMA journal_mode = DELETE")
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed calls per operation (new backend)")
    parser.add_argument("--baseline-repeat", type=int, default=3, help="timed calls per operation (old backend)")
    parser.add_argument("--large-mb", type=float, default=300.0)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--baseline-rev", help="git revision of the old store/geopackage.py")
    parser.add_argument("--keep", action="store_true", help="keep the generated stores (prints where)")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="industrikart-bench-store-"))
    try:
        print("generating stores ...", file=sys.stderr)
        stores = {"small": build_small(directory), "large": build_large(directory, args.large_mb)}
        sizes = {name: file_mb(path) for name, (path, _) in stores.items()}
        new = {name: time_ops(GeoPackageStore(path), lid, args.repeat) for name, (path, lid) in stores.items()}

        baseline, where = (None, "skipped (--no-baseline)") if args.no_baseline else load_baseline(args.baseline_rev)
        old = {}
        if baseline is not None:
            for name, (path, layer_id) in stores.items():
                old[name] = time_ops(baseline(old_layout_copy(path)), layer_id, args.baseline_repeat)

        print(f"\nGeoPackage layer store, median ms per call (new: {args.repeat} calls; old: {where})")
        header = f"{'operation':<10} {'store':<6} {'size MB':>8} {'new ms':>9} {'old ms':>10} {'old/new':>8}"
        print(header)
        print("-" * len(header))
        for op in ("rename", "hide"):
            for name in ("small", "large"):
                o = old.get(name, {}).get(op)
                n = new[name][op]
                old_text = f"{o:10.1f}" if o is not None else f"{'-':>10}"
                speedup = f"{o / n:7.1f}x" if o is not None else f"{'-':>8}"
                print(f"{op:<10} {name:<6} {sizes[name]:8.1f} {n:9.2f} {old_text} {speedup}")
        print()
        for op in ("rename", "hide"):
            ratio = new["large"][op] / new["small"][op]
            line = f"{op}: large/small = {ratio:.2f}x new ({'within' if ratio <= 3 else 'OVER'} the 3x goal)"
            if old:
                line += f", {old['large'][op] / old['small'][op]:.1f}x old"
            print(line)
    finally:
        if args.keep:
            print(f"stores kept in {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
