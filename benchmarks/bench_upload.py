"""Upload read + validate time and peak memory, beside plain geopandas.read_file in the same run.

    .venv/bin/python -m benchmarks.bench_upload [--features 50000] [--repeat 3] [--shared ../shared/geodata]

Files: the real 346-part Trøndelag county file (../shared/geodata/trondelag_fylke.geojson), the same county
reprojected to UTM 33 and wrapped Geonorge-style ({"Fylke": …, "Grense": …}, legacy `crs` member), and a
generated GeoJSON of N features (points, lines and polygons in Trøndelag, nested and æøå properties, one
integer kommunenummer column). Each measurement runs in a fresh process (multiprocessing "spawn"), so its
peak resident memory (the kernel's VmHWM, reset after imports and reading the bytes, less the size
then) is its own; times are the best of
--repeat runs inside that process. The baseline reads the bytes with geopandas.read_file (pyogrio), which
neither validates, repairs nor counts duplicates (GDAL 3.12 does list the wrapper's collections as layers).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.fresh import in_fresh_process

ROOT = Path(__file__).resolve().parents[1]


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        return None
    return None


def _reset_peak() -> float:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current size and return that size in MB."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_mb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_mb() -> float:
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(method: str, path: str, layer: str | None, repeat: int, queue) -> None:
    import geopandas as gpd

    from loaders.upload.upload import read_upload

    data = Path(path).read_bytes()
    base = _reset_peak()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        if method == "upload":
            result = read_upload(data, Path(path).name, layer=layer)
            rows = len(result.frame)
            note = f"repaired {result.report.invalid_repaired}, duplicates {result.report.duplicates}"
        else:
            frame = gpd.read_file(path, layer=layer)
            if frame.crs is not None and frame.crs.to_epsg() != 4326:
                frame = frame.to_crs(4326)
            rows, note = len(frame), ""
        best = min(best, time.perf_counter() - start)
    queue.put((rows, best, _peak_mb() - base, base, note))


def write_generated(path: Path, count: int) -> None:
    rng = random.Random(1)
    features = []
    for i in range(count):
        x, y = rng.uniform(8.2, 14.3), rng.uniform(62.3, 65.1)
        if i % 3 == 0:
            geometry = {"type": "Point", "coordinates": [x, y]}
        elif i % 3 == 1:
            geometry = {"type": "LineString", "coordinates": [[x, y], [x + 0.01, y + 0.005], [x + 0.02, y]]}
        else:
            ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
            geometry = {"type": "Polygon", "coordinates": [ring]}
        properties = {
            "id": f"generated-{i}",
            "navn": f"Generert objekt {i} på Ørland",
            "kommunenummer": 5057,
            "aktiv": i % 2 == 0,
            "areal": round(rng.random() * 100, 2),
            "adresse": {"gate": "Storgata", "nr": i % 200},
        }
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), "utf-8")


def write_wrapped(county: Path, path: Path) -> None:
    import geopandas as gpd

    frame = gpd.read_file(county).to_crs(25833)
    lines = gpd.GeoDataFrame({"objtype": ["Fylkesgrense"]}, geometry=frame.boundary.values, crs=frame.crs)
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}
    document = {
        "Fylke": {**json.loads(frame.to_json(drop_id=True)), "crs": crs},
        "Grense": {**json.loads(lines.to_json(drop_id=True)), "crs": crs},
    }
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")


def write_many_parts(path: Path, parts: int = 5000) -> None:
    """One MultiPolygon of `parts` small squares (the case tests/test_upload.py once timed inline)."""
    squares = [
        [[[x, y], [x + 0.005, y], [x + 0.005, y + 0.005], [x, y + 0.005], [x, y]]]
        for i in range(parts)
        for x, y in [(10 + (i % 100) * 0.01, 63 + (i // 100) * 0.01)]
    ]
    geometry = {"type": "MultiPolygon", "coordinates": squares}
    feature = {"type": "Feature", "properties": {"navn": "mange"}, "geometry": geometry}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=50_000, help="features in the generated GeoJSON")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best time is shown")
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared")) / "geodata"
    )
    args = parser.parse_args()
    county = args.shared / "trondelag_fylke.geojson"
    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / f"generated_{args.features}_features.geojson"
        write_generated(generated, args.features)
        wrapped = Path(folder) / "generated_fylker_25833_wrapped.json"
        write_wrapped(county, wrapped)
        many_parts = Path(folder) / "generated_multipolygon_5000_parts.geojson"
        write_many_parts(many_parts)
        files = [(county, None), (wrapped, "Fylke"), (generated, None), (many_parts, None)]
        print(f"python {sys.version.split()[0]}; best of {args.repeat}; peak MB: resident memory above the process")
        print(f"{'file':<42} {'MB':>6} {'method':<34} {'rows':>7} {'seconds':>8} {'peak MB':>8}  notes")
        for path, layer in files:
            size = path.stat().st_size / 1e6
            for method, label in (("upload", "read_upload (read + validate)"), ("baseline", "geopandas.read_file")):
                rows, seconds, peak, base, note = in_fresh_process(_run, method, str(path), layer, args.repeat)
                print(f"{path.name:<42} {size:>6.1f} {label:<34} {rows:>7,} {seconds:>8.3f} {peak:>8.1f}  {note}")
        print(f"(process size after imports ~{base:.0f} MB)")


if __name__ == "__main__":
    main()
