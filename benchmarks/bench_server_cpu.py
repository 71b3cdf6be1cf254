"""What a page load and a rerun cost the app server, beside Streamlit's defaults, in headless chromium.

    .venv/bin/python -m benchmarks.bench_server_cpu [--loads 10] [--reruns 20] [--together 10]

Three set-ups, each a fresh server on the bundled data (an empty generated store), measured one after the other:
- "Streamlit defaults": `--runner.postScriptGC true`, Streamlit's default (a full gc.collect() after every run);
- "ours": the repository's `.streamlit/config.toml` (postScriptGC off);
- "ours + nginx": the same server behind `deploy/nginx.conf.template`, which keeps Streamlit's frontend files and
  the map component in nginx's cache (skipped when Debian's nginx is not installed).
For each: `loads` fresh browser contexts opened one by one (server CPU per load, from /proc/PID/stat, and the
seconds until the first run has ended and the map is drawn), `together` contexts opened at once (the meeting
room opening one link: seconds until the last is drawn), then `reruns` clicks on a sidebar checkbox in one
session (server CPU per rerun; click → the server's script_finished on the websocket).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deploy import render_nginx
from deploy.checks import pages, processes
from tests.helpers.browser import free_port
from tests.helpers.chromium import UNTHROTTLED, launch

ROOT = Path(__file__).resolve().parents[1]

CHECKBOX = "Bare kilder med utslippstall"


def wait_health(url: str, process: subprocess.Popen, timeout_s: float = 90) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no health from {url}")


def start_app(port: int, store: Path, extra: list[str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1"]
    command += ["--server.port", str(port), "--server.fileWatcherType", "none", *extra]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["INDUSTRIKART_STORE"] = str(store)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def start_nginx(work: Path, upstream: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    rundir = work / "nginx"
    rundir.mkdir()
    conf = work / "nginx.conf"
    conf.write_text(render_nginx.render(f"127.0.0.1:{port}", str(rundir), [upstream]))
    process = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(rundir), "-g", "daemon off;"],
        stdout=(work / "nginx.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}"


async def open_drawn(browser, url: str) -> tuple[object, object, pages.RunCounter, float]:
    started = time.monotonic()
    context, page, runs, _ = await pages.new_page(browser, url)
    await pages.wait_idle(page, runs, 0, 180)
    return context, page, runs, time.monotonic() - started


async def measure(url: str, pid: int, loads: int, together: int, reruns: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await launch(pw, UNTHROTTLED)
        try:
            context, *_ = await open_drawn(browser, url)  # warm: caches, nginx's copy, the browser's first start
            await context.close()
            cpu, seconds = processes.cpu_seconds(pid), []
            for _ in range(loads):
                context, _page, _runs, took = await open_drawn(browser, url)
                seconds.append(took)
                await context.close()
            load_cpu = (processes.cpu_seconds(pid) - cpu) / loads

            started = time.monotonic()
            opened = await asyncio.gather(*[open_drawn(browser, url) for _ in range(together)])
            together_s = time.monotonic() - started
            for context, *_ in opened:
                await context.close()

            context, page, runs, _ = await open_drawn(browser, url)
            box = page.locator('[data-testid="stSidebar"]').get_by_text(CHECKBOX, exact=True)
            cpu, latencies = processes.cpu_seconds(pid), []
            for _ in range(reruns):
                await page.wait_for_timeout(1000)  # let the map settle, as a person would
                before, clicked = runs.runs, time.monotonic()
                await box.click()
                if not await runs.wait_beyond(before, 60):
                    raise TimeoutError("no rerun ended within 60 s")
                latencies.append(runs.end - clicked)
            rerun_cpu = (processes.cpu_seconds(pid) - cpu) / reruns
            await context.close()
        finally:
            await browser.close()
    return {
        "load_cpu": load_cpu,
        "load_s": statistics.median(seconds),
        "together_s": together_s,
        "rerun_cpu": rerun_cpu,
        "rerun_s": statistics.median(latencies),
        "rss_mb": processes.rss_kb(pid) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--together", type=int, default=10)
    parser.add_argument("--reruns", type=int, default=20)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-server-cpu-"))
    work.chmod(0o755)  # nginx's workers (nobody, when started as root) must reach their cache below
    setups = [("Streamlit defaults", ["--runner.postScriptGC", "true"], False), ("ours", [], False)]
    if shutil.which("nginx"):
        setups.append(("ours + nginx", [], True))
    results = {}
    try:
        for name, extra, behind_nginx in setups:
            port = free_port()
            app = start_app(port, work / f"generated_store_{port}.gpkg", extra, work / f"app-{port}.log")
            nginx = None
            try:
                url = f"http://127.0.0.1:{port}"
                wait_health(url, app)
                if behind_nginx:
                    nginx, url = start_nginx(work, f"127.0.0.1:{port}")
                    wait_health(url, nginx)
                print(f"bench_server_cpu: {name} ({url})", file=sys.stderr)
                results[name] = asyncio.run(measure(url, app.pid, args.loads, args.together, args.reruns))
            finally:
                for process in (nginx, app):
                    if process:
                        process.terminate()
                        process.wait(timeout=20)
    finally:
        if results.keys() == {name for name, *_ in setups}:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"bench_server_cpu: logs kept in {work}", file=sys.stderr)

    rows = [
        (f"server CPU per page load (s), {args.loads} one by one", "load_cpu", 3),
        ("page load until the map is drawn, median (s)", "load_s", 2),
        (f"{args.together} page loads at once, until the last is drawn (s)", "together_s", 1),
        (f"server CPU per rerun (s), {args.reruns} checkbox clicks", "rerun_cpu", 3),
        ("rerun, click to script finished, median (s)", "rerun_s", 2),
        ("server RSS at the end (MB)", "rss_mb", 0),
    ]
    names = list(results)
    print("| figure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for label, key, digits in rows:
        print(f"| {label} | " + " | ".join(f"{results[n][key]:.{digits}f}" for n in names) + " |")
    if "ours + nginx" not in results:
        print("(nginx is not installed: `apt-get install nginx` adds the third column)")


if __name__ == "__main__":
    main()
