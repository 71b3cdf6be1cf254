"""Map image exports against a bare GeoDataFrame.plot() + savefig of the same layers at the same size.

    .venv/bin/python -m benchmarks.bench_exports [--repeat 3] [--shared ../shared]

The bundled portfolio, with the municipal boundaries from ../shared/geodata when they are there.
No network: exports get a fetcher that returns no tile (the vector-background path), plus one row
with a generated tile for every request (the tile-mosaic path). Each case runs in a fresh process
(multiprocessing "spawn"), so its peak resident memory (ru_maxrss on its first render, minus the
process after imports and data loading) is its own. Prints the first render's time (fonts and caches
cold) and the median of --repeat more.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import time
from pathlib import Path

from benchmarks.fresh import in_fresh_process

ROOT = Path(__file__).resolve().parents[1]

CASES = [
    ("export-png-hd", "exports.image.render_map PNG 1920x1080"),
    ("export-png-a4", "exports.image.render_map PNG A4 300 dpi"),
    ("export-pdf", "exports.image.render_map PDF A4"),
    ("export-png-hd-tiles", "  same PNG 1920x1080, generated tiles"),
    ("bare-png-hd", "baseline: GeoDataFrame.plot PNG 1920x1080"),
    ("bare-png-a4", "baseline: GeoDataFrame.plot PNG A4 300 dpi"),
    ("bare-pdf", "baseline: GeoDataFrame.plot PDF A4"),
]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _run(case: str, shared: str, repeat: int, queue) -> None:
    import geopandas as gpd
    import matplotlib

    matplotlib.use("Agg")
    from PIL import Image

    from analysis.filters import Filters, apply_filters
    from exports.image import render_map
    from exports.request import MapRequest
    from loaders import load_portfolio
    from maps.styles import cluster_colours

    portfolio = load_portfolio()
    view = apply_filters(portfolio, Filters())
    colours = cluster_colours(list(portfolio.members["cluster"].unique()))
    path = Path(shared) / "geodata" / "trondelag_kommuner.geojson"
    boundaries = gpd.read_file(path) if path.exists() else None
    tile = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 210, 220)).save(tile, format="PNG")
    tile_bytes = tile.getvalue()

    def export(size: str, fmt: str, fetcher) -> bytes:
        return render_map(
            view, MapRequest(size=size, format=fmt, colours=colours, boundaries=boundaries), tile_fetcher=fetcher
        )

    def bare(size: str, fmt: str) -> bytes:
        import matplotlib.pyplot as plt

        width, height, dpi = {"hd": (1920, 1080, 150), "a4": (3508, 2480, 300)}[size]
        fig, ax = plt.subplots(figsize=(width / dpi, height / dpi), dpi=dpi)
        if boundaries is not None:
            boundaries.to_crs(3857).plot(ax=ax, facecolor="#f7f6f1", edgecolor="#9b9b9b", linewidth=0.5)
        view.parks.to_crs(3857).plot(ax=ax, color="#1b7837", markersize=60)
        view.members.to_crs(3857).plot(ax=ax, color="#7b3294", markersize=30)
        view.sources.to_crs(3857).plot(ax=ax, color="#b2182b", markersize=90)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi)
        plt.close(fig)
        return buffer.getvalue()

    jobs = {
        "export-png-hd": lambda: export("1920x1080", "png", lambda z, x, y: None),
        "export-png-a4": lambda: export("a4-landscape-300dpi", "png", lambda z, x, y: None),
        "export-pdf": lambda: export("a4-landscape-300dpi", "pdf", lambda z, x, y: None),
        "export-png-hd-tiles": lambda: export("1920x1080", "png", lambda z, x, y: tile_bytes),
        "bare-png-hd": lambda: bare("hd", "png"),
        "bare-png-a4": lambda: bare("a4", "png"),
        "bare-pdf": lambda: bare("a4", "pdf"),
    }
    job = jobs[case]
    before = _peak_mb()
    start = time.perf_counter()
    size = len(job())
    first = time.perf_counter() - start
    peak = _peak_mb() - before
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    queue.put((first, statistics.median(times) if times else first, peak, before, size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed renders after the first")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="folder holding geodata/")
    args = parser.parse_args()
    boundaries = (args.shared / "geodata" / "trondelag_kommuner.geojson").exists()
    print(f"python {sys.version.split()[0]}; boundaries: {'trondelag_kommuner.geojson' if boundaries else 'none'}")
    print(f"{'case':<44} {'first s':>8} {'median s':>9} {'peak MB':>8} {'bytes':>10}")
    base = 0.0
    for case, label in CASES:
        first, median, peak, base, size = in_fresh_process(_run, case, str(args.shared), args.repeat)
        print(f"{label:<44} {first:>8.2f} {median:>9.2f} {peak:>8.1f} {size:>10,}")
    print(f"(peak MB: resident memory above the process after imports and data loading, ~{base:.0f} MB)")


if __name__ == "__main__":
    main()
