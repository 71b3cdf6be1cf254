"""Map layer build time and size: our one-GeoJson-per-layer builder beside one folium object per feature.

    .venv/bin/python -m benchmarks.bench_map_layers [--points 10000] [--repeat 3]

Generated points in Trøndelag (named generated_...) are shaped like the emission-source layer. For each
size the script prints, in one run, the seconds to build and render the map's JavaScript and the size of
that JavaScript for (a) `maps.layers.sources_group` (one folium.GeoJson, styles in the features, drawn on
canvas) and (b) the baseline: a folium.CircleMarker per feature with its own escaped tooltip and popup.
"""

from __future__ import annotations

import argparse
import random
import time

import folium
import geopandas as gpd
from shapely.geometry import Point

from maps.build import new_map
from maps.layers import sources_group
from maps.popups import esc
from maps.styles import source_radius


def generated_sources(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        figure = rng.choice([None, rng.uniform(1_000, 300_000)])
        rows.append(
            {
                "id": f"generated-{i}",
                "facility": f"Generated facility {i} – «æøå»",
                "operator": "Generated AS",
                "municipality": "Orkland",
                "kommunenummer": "5059",
                "sector": "Generated",
                "note": "",
                "source_url": "https://example.org/generated",
                "source_year": 2024,
                "location_precision": "site",
                "figure_t": figure,
                "figure_year": None,
                "figure_scope": "co2e" if figure else None,
                "figure_source": "https://example.org/generated" if figure else None,
                "geometry": Point(rng.uniform(8.2, 14.3), rng.uniform(62.3, 65.2)),
            }
        )
    return gpd.GeoDataFrame(rows, crs=4326)


def ours(frame: gpd.GeoDataFrame) -> str:
    m = new_map()
    sources_group(frame, "nb").add_to(m)
    return m.get_root().render()


def per_feature(frame: gpd.GeoDataFrame) -> str:
    m = new_map()
    group = folium.FeatureGroup().add_to(m)
    for row in frame.itertuples():
        folium.CircleMarker(
            [row.geometry.y, row.geometry.x],
            radius=source_radius(row.figure_t),
            tooltip=esc(row.facility),
            popup=folium.Popup(f"<b>{esc(row.facility)}</b>"),
            fill=True,
        ).add_to(group)
    return m.get_root().render()


def best(fn, frame, repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        html = fn(frame)
        times.append(time.perf_counter() - start)
        size = len(html.encode("utf-8"))
    return min(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'points':>8}  {'variant':<34} {'build+render s':>14} {'HTML MB':>8}")
    for n in args.points:
        frame = generated_sources(n)
        for name, fn in (("one GeoJson on canvas (ours)", ours), ("CircleMarker per feature (baseline)", per_feature)):
            seconds, size = best(fn, frame, args.repeat)
            print(f"{n:>8}  {name:<34} {seconds:>14.3f} {size / 1e6:>8.2f}")


if __name__ == "__main__":
    main()
