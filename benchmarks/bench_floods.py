"""Two anonymous floods against one replica, side by side for a baseline revision and ours.

    .venv/bin/python -m benchmarks.bench_floods [--baseline REV] [--points 300000] [--uploads 3] [--upload-mb 100]

Each set-up is a fresh server (`streamlit run`, editor password set, as a public installation) on a generated store
holding one big layer. The clients are plain websocket and HTTP clients on loopback, as an attacker's would be:
- **upload flood**: an anonymous session (its id from the server's NewSession message, its XSRF cookie from the
  page) PUTs `uploads` files of `upload-mb` MB of zero bytes under made-up file ids; the replica's RSS before and
  after, and the answers;
- **download flood**: an anonymous session opens Kartlag and asks for the big layer's GeoJSON twelve times in one
  websocket batch (Streamlit's deferred download requests), while another session reruns the Kart page every half
  second; that session's rerun seconds before and during the flood, the server's CPU for the flood, and how long
  until every request was answered.
`--baseline REV` runs the same on a git worktree of REV (e.g. the commit before the hardening) with this venv.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import requests

from benchmarks.revisions import checkouts, served_script
from deploy.checks import processes
from tests.helpers.big_layer_fixtures import generated_points, stored_layer
from tests.helpers.browser import free_port
from tests.helpers.streamlit_socket import Session, page_cookie

PASSWORD = "generated-bench-password"


def rss_mb(pid: int) -> float:
    return processes.rss_kb(pid) / 1024


async def upload_flood(url: str, pid: int, uploads: int, megabytes: int) -> dict:
    cookie, xsrf = page_cookie(url)
    session = await Session.open(url, cookie, xsrf)
    await session.run()
    before = rss_mb(pid)
    statuses = []
    for _ in range(uploads):
        address = f"{url.rstrip('/')}/_stcore/upload_file/{session.session_id}/{uuid.uuid4()}"
        response = await asyncio.to_thread(
            requests.put,
            address,
            files={"file": ("generated_flood.bin", b"\0" * (megabytes * 2**20), "application/octet-stream")},
            headers={"X-Xsrftoken": xsrf, "Cookie": cookie},
            timeout=300,
        )
        statuses.append(response.status_code)
    after = rss_mb(pid)
    await session.close()
    return {"statuses": statuses, "rss_before_mb": before, "rss_after_mb": after}


async def download_flood(url: str, pid: int, requests_n: int = 12) -> dict:
    cookie, xsrf = page_cookie(url)
    victim = await Session.open(url, cookie, xsrf)
    await victim.run()
    idle = [await victim.run() for _ in range(6)]
    attacker = await Session.open(url, cookie, xsrf)
    await attacker.run("Kartlag")
    geojson = attacker.deferred[0]  # the first layer's first button: GeoJSON
    cpu, started = processes.cpu_seconds(pid), time.monotonic()
    await attacker.ask_downloads(geojson, requests_n)
    during = []
    while attacker.answers < requests_n and time.monotonic() - started < 600:
        during.append(await victim.run())
        await asyncio.sleep(0.5)
    answered_s, flood_cpu = time.monotonic() - started, processes.cpu_seconds(pid) - cpu
    await attacker.close()
    await victim.close()
    return {
        "idle_p50": statistics.median(idle),
        "during_p50": statistics.median(during) if during else float("nan"),
        "during_max": max(during) if during else float("nan"),
        "answered_s": answered_s,
        "answers": attacker.answers,
        "failures": len(attacker.failures),
        "deferred": len(attacker.deferred),
        "flood_cpu": flood_cpu,
    }


def start(directory: Path, store: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"INDUSTRIKART_STORE": str(store), "INDUSTRIKART_EDITOR_PASSWORD": PASSWORD}
    command = [sys.executable, "-m", "streamlit", "run", served_script(directory), "--server.address", "127.0.0.1"]
    command += ["--server.port", str(port), "--server.headless", "true", "--server.fileWatcherType", "none"]
    process = subprocess.Popen(command, cwd=directory, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"no server from {directory}: {log.read_text()[-2000:]}")


def measure(directory: Path, store: Path, work: Path, name: str, args) -> dict:
    process, url = start(directory, store, work / f"{name}.log")
    try:
        requests.get(url, timeout=60)
        result = asyncio.run(upload_flood(url, process.pid, args.uploads, args.upload_mb))
        result |= asyncio.run(download_flood(url, process.pid))
        result["alive"] = process.poll() is None
        return result
    finally:
        process.terminate()
        process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", help="a git revision to measure beside ours (a worktree of it is made)")
    parser.add_argument("--points", type=int, default=300_000)
    parser.add_argument("--uploads", type=int, default=3)
    parser.add_argument("--upload-mb", type=int, default=100)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-floods-"))
    store = work / "generated_layers.gpkg"
    stored_layer(store, generated_points(args.points), f"Generated {args.points} points")
    with checkouts(args.baseline) as trees:
        setups = {name: measure(tree, store, work, name.split()[0], args) for name, tree in trees.items()}

    rows = [
        ("upload flood: answers", lambda r: " ".join(map(str, r["statuses"]))),
        ("upload flood: RSS before → after (MB)", lambda r: f"{r['rss_before_mb']:.0f} → {r['rss_after_mb']:.0f}"),
        (
            "download flood: requests answered (of them errors)",
            lambda r: f"{r['answers']} ({r['failures']}) in {r['answered_s']:.1f} s",
        ),
        ("download flood: server CPU (s)", lambda r: f"{r['flood_cpu']:.1f}"),
        ("other session's rerun, idle p50 (s)", lambda r: f"{r['idle_p50']:.2f}"),
        ("other session's rerun, during p50 / max (s)", lambda r: f"{r['during_p50']:.2f} / {r['during_max']:.2f}"),
        ("replica alive after both", lambda r: str(r["alive"])),
    ]
    names = list(setups)
    print(f"| figure | {' | '.join(names)} |")
    print(f"|---|{'---|' * len(names)}")
    for label, cell in rows:
        print(f"| {label} | {' | '.join(cell(setups[n]) for n in names)} |")


if __name__ == "__main__":
    main()
