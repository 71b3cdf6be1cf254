"""Chunked EEA F1_4 import against a naive whole-file pd.read_csv, on a generated file of ~100 MB.

    .venv/bin/python -m benchmarks.bench_eea_import [--rows 500000] [--chunk-rows N] [--file F]

Each method runs in a fresh process (multiprocessing "spawn"), so its peak resident memory
(resource.ru_maxrss, minus the process's size after imports) is its own. Prints rows/s and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.fresh import in_fresh_process


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _run(method: str, path: str, chunk_rows: int, queue) -> None:
    import pandas as pd

    from loaders.official.eea import read_eea_f1_4

    before = _peak_mb()
    start = time.perf_counter()
    if method == "chunked":
        result = read_eea_f1_4(path, chunk_rows=chunk_rows)
        rows, kept = result.summary.rows_read, result.summary.rows_kept
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows = len(frame)
        kept = int((frame["countryName"] == "Norway").sum())
    seconds = time.perf_counter() - start
    queue.put((rows, kept, seconds, _peak_mb() - before, before))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000, help="rows of the generated file")
    parser.add_argument("--chunk-rows", type=int, default=None, help="default: config.EEA_CHUNK_ROWS")
    parser.add_argument("--file", type=Path, help="an F1_4 file to use instead of a generated one")
    args = parser.parse_args()
    from config import EEA_CHUNK_ROWS

    chunk_rows = args.chunk_rows or EEA_CHUNK_ROWS
    with tempfile.TemporaryDirectory() as folder:
        path = args.file
        if path is None:
            from tests.fixtures.make_fixtures import write_generated_f1_4

            path = Path(folder) / "generated_f1_4_bench.csv"
            write_generated_f1_4(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"file: {path.name}, {size_mb:.1f} MB; chunk rows: {chunk_rows:,}; python {sys.version.split()[0]}")
        print(f"{'method':<42} {'rows':>9} {'kept':>6} {'seconds':>8} {'rows/s':>10} {'peak MB':>8}")
        methods = [
            ("chunked", "loaders.official.eea.read_eea_f1_4 (chunked)"),
            ("naive", "naive pd.read_csv(whole file) + filter"),
        ]
        for method, label in methods:
            rows, kept, seconds, peak, base = in_fresh_process(_run, method, str(path), chunk_rows)
            print(f"{label:<42} {rows:>9,} {kept:>6,} {seconds:>8.2f} {rows / seconds:>10,.0f} {peak:>8.1f}")
        print(f"(peak MB: resident memory above the process after imports, ~{base:.0f} MB)")


if __name__ == "__main__":
    main()
