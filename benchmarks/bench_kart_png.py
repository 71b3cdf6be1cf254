"""Kart's PNG export (1920 × 1080) as the export panel makes it, for the whole county and for Orkland.

    .venv/bin/python -m benchmarks.bench_kart_png [--repeat 3] [--uploaded]

Offline (basemap "none": the bundled boundaries are the background). `--uploaded` adds a generated polygon layer
and a generated layer of 5 500 points (drawn simplified), as Kart hands its uploaded layers to the export.
Prints the first render's time and the median of --repeat more, as wall-clock and as this process's CPU time (the
machine is shared: CPU time is the steadier figure under load).
"""

from __future__ import annotations

import argparse
import statistics
import time

import geopandas as gpd
import matplotlib
import numpy as np
from shapely.geometry import Point, box

matplotlib.use("Agg")

from analysis.filters import Filters, apply_filters  # noqa: E402
from exports.overlays import MapExtras, UploadedLayer  # noqa: E402
from loaders import load_portfolio  # noqa: E402
from maps.styles import cluster_colours  # noqa: E402
from ui.export_panel import ExportSettings, build_export  # noqa: E402


def generated_layers() -> tuple[UploadedLayer, ...]:
    rng = np.random.default_rng(21)
    points = [Point(x, y) for x, y in zip(rng.uniform(9.4, 10.2, 5500), rng.uniform(62.95, 63.4, 5500), strict=True)]
    return (
        UploadedLayer("generated polygon", gpd.GeoDataFrame(geometry=[box(9.45, 63.0, 9.65, 63.1)], crs=4326), {}),
        UploadedLayer("generated points", gpd.GeoDataFrame(geometry=points, crs=4326), {}),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--uploaded", action="store_true")
    args = parser.parse_args()
    portfolio = load_portfolio()
    colours = cluster_colours(list(portfolio.members["cluster"].unique()))
    uploaded = generated_layers() if args.uploaded else ()
    for label, numbers in (("Trøndelag", ()), ("Orkland", ("5059",))):
        view = apply_filters(portfolio, Filters(kommunenummer=numbers))
        times, cpu = [], []
        for _ in range(args.repeat + 1):
            start, start_cpu = time.perf_counter(), time.process_time()
            build_export(
                "png-1920",
                view,
                ExportSettings(
                    visible={"parks", "sources", "members"},
                    basemap="none",
                    colours=colours,
                    lang="nb",
                    map_view=None,
                    title="Orkland møte",
                    subtitle="",
                ),
                extras=MapExtras(uploaded=uploaded, municipalities=numbers),
            )
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(
            f"{label:10s} wall: first {times[0]:.2f} s, median of {args.repeat} more"
            f" {statistics.median(times[1:]):.2f} s"
            f" · CPU: first {cpu[0]:.2f} s, median {statistics.median(cpu[1:]):.2f} s"
        )


if __name__ == "__main__":
    main()
