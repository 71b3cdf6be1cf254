"""What a warm rerun of each page costs, side by side for a baseline revision and ours (the measures).

    .venv/bin/python -m benchmarks.bench_page_reruns [--baseline REV] [--repeat 7]

Each page runs in Streamlit's AppTest (the script itself, no browser, no websocket) on the bundled data with an
empty store of its own: two warm-up runs, then the median and the fastest of `repeat` reruns. `--baseline REV`
runs the same in a git worktree of REV with this venv, in a process of its own per page (imports differ).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.revisions import checkouts

PAGES = ("dashboard.py", "pages/1_Utslipp.py", "pages/2_Portefolje.py")

# Run inside the checkout being measured: prints {"median": s, "fastest": s, "rss_mb": MB}.
_ONE_PAGE = """
import json, os, statistics, sys, time
root, page, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(os.path.join(root, page), default_timeout=300)
at.run()
at.run()
times = []
for _ in range(repeat):
    started = time.perf_counter()
    at.run()
    times.append(time.perf_counter() - started)
assert not at.exception, [e.message for e in at.exception]
rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
print(json.dumps({"median": statistics.median(times), "fastest": min(times), "rss_mb": rss}))
"""


def measure(tree: Path, page: str, repeat: int) -> dict:
    store = Path(tempfile.mkdtemp(prefix="bench-pages-")) / "generated_layers.gpkg"
    env = {"INDUSTRIKART_STORE": str(store), "PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()}
    done = subprocess.run(
        [sys.executable, "-c", _ONE_PAGE, str(tree), page, str(repeat)],
        cwd=tree,  # `python -c` imports from the working directory first: the checkout measured
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="a git revision to measure beside ours (a worktree of it is made)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with checkouts(args.baseline) as trees:
        print(f"{'page':<24} " + " ".join(f"{name:>30}" for name in trees))
        for page in PAGES:
            cells = []
            for tree in trees.values():
                result = measure(tree, page, args.repeat)
                cells.append(f"{result['median']:.2f} s (fastest {result['fastest']:.2f}), {result['rss_mb']:.0f} MB")
            print(f"{page:<24} " + " ".join(f"{cell:>30}" for cell in cells))


if __name__ == "__main__":
    main()
