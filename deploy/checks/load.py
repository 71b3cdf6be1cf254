"""A load run: many browser sessions at human pace against one URL, with the replicas' RSS and CPU sampled.

  python -m deploy.checks.load --url URL --sessions 20 --seconds 300 --pids P1,P2 --out FILE.json
                               [--kill-pid PID --killed-port PORT --after-kill 60]

Each session acts every 5-10 s (a filter checkbox, a layer, a click on a feature) and the time from the action
until the server reports the script run finished on the page's websocket is its latency. With --kill-pid, that
replica is killed with -9 when the steady load ends and the load goes on --after-kill seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import statistics
import sys
import time

from deploy.checks.pages import RunCounter, answered_by, map_frame, new_page, only_local, wait_idle, write_result
from deploy.checks.processes import cpu_by_group, cpu_seconds, machine_busy_seconds, rss_kb
from tests.helpers.chromium import UNTHROTTLED, launch

ACTIONS = ("only_with_figure", "layer", "click", "click")
LAYER_LABELS = ("Industriparker og symbioseområder", "Punktutslipp", "Klyngemedlemmer")
PICK_FEATURE = """(previous) => {
  const found = [];
  window.map.eachLayer(l => {
    if (l.feature && l.feature.properties && l.feature.properties.ids !== undefined) found.push(l); });
  const others = found.filter(l => JSON.stringify(l.feature.properties.ids) !== previous);
  if (!others.length) return null;
  const l = others[Math.floor(Math.random() * others.length)];
  const latlng = l.getLatLng ? l.getLatLng() : l.getBounds().getCenter();
  l.fire('click', {latlng: latlng}, true);  // propagates to the group, as a real click does
  return JSON.stringify(l.feature.properties.ids);
}"""


class Session:
    """One browser session at human pace; errors and latencies are kept with the time they happened."""

    def __init__(self, number: int, url: str, start: float, killed_port: int = 0):
        self.number = number
        self.url = url
        self.start = start
        self.killed_port = killed_port
        self.errors: list[tuple[float, str]] = []
        self.latencies: list[tuple[float, float]] = []  # (seconds since start, latency)
        self.kinds: list[str] = []  # the action behind each latency
        self.upstream = ""
        self.upstream_after = ""
        self.previous_click = ""
        self.noop_clicks = 0

    def on_killed_replica(self) -> bool:
        return bool(self.killed_port) and self.upstream.endswith(f":{self.killed_port}")

    def now(self) -> float:
        return time.monotonic() - self.start

    def error(self, text: str) -> None:
        self.errors.append((round(self.now(), 1), text[:300]))

    async def act(self, page, runs: RunCounter, kill_time: list[float]) -> None:
        kind = random.choice(ACTIONS)
        before, started = runs.runs, time.monotonic()
        if kind == "click":
            frame = await map_frame(page, 30)
            picked = await frame.evaluate(PICK_FEATURE, self.previous_click)
            if picked is None:
                kind = "only_with_figure"
            else:
                self.previous_click = picked
        if kind == "only_with_figure":
            await (
                page.locator('[data-testid="stSidebar"]')
                .get_by_text("Bare kilder med utslippstall", exact=True)
                .click()
            )
        elif kind == "layer":
            await page.locator('[data-testid="stSidebar"]').get_by_text(random.choice(LAYER_LABELS), exact=True).click()
        if not await runs.wait_beyond(before, 30):
            if kind == "click":  # a click on the feature already selected reruns nothing
                self.noop_clicks += 1
                return
            # an error either way; waiting on tells a slow rerun from an action never acted on (not worth it
            # on the killed replica: that session reloads through nginx at once)
            if kill_time and self.on_killed_replica():
                outcome = "its replica was killed"
            elif await runs.wait_beyond(before, 90):
                outcome = f"slow: its rerun ended after {runs.end - started:.1f} s"
            else:
                outcome = "lost: no rerun ended within 120 s"
            raise TimeoutError(f"{kind}: no rerun ended within 30 s ({outcome})")
        self.latencies.append((self.now(), runs.end - started))
        self.kinds.append(kind)

    async def run(self, browser, stop_at: float, kill_time: list[float], max_actions: int = 300) -> None:
        context = None
        try:
            context, page, runs, self.upstream = await new_page(browser, self.url, [])
            page.on("pageerror", lambda exc: self.error(f"pageerror: {exc}"))
            await wait_idle(page, runs, 0, 120)
        except Exception as exc:  # noqa: BLE001 (any failure to start is an error of the run)
            self.error(f"start: {exc!r}")
            if context:
                await context.close()
            return
        try:
            for _ in range(max_actions):
                await page.wait_for_timeout(random.uniform(5000, 10000))  # human pace
                if time.monotonic() >= stop_at:
                    break
                try:
                    await self.act(page, runs, kill_time)
                    if await page.locator('[data-testid="stException"]').count():
                        self.error("st.exception on the page")
                except Exception as exc:  # noqa: BLE001
                    self.error(f"action: {exc!r}")
                    if kill_time:
                        # the replica went away under this session: reload through nginx, as a user would
                        with contextlib.suppress(Exception):
                            since = runs.runs
                            response = await page.reload(timeout=60_000)
                            self.upstream_after = answered_by(response)
                            await wait_idle(page, runs, since, 120)
        finally:
            with contextlib.suppress(Exception):
                await context.close()


async def sample_rss(pids: list[int], stop_at: float, samples: list[dict], start: float) -> None:
    """Every 10 s: each replica's RSS (KB) and CPU seconds, and the machine's busy and total CPU seconds."""
    for _ in range(10_000):
        busy, total = machine_busy_seconds()
        samples.append(
            {
                "t": round(time.monotonic() - start, 1),
                **{str(p): rss_kb(p) for p in pids},
                "cpu": {str(p): cpu_seconds(p) for p in pids},
                "machine": [busy, total],
                "groups": cpu_by_group(),
            }
        )
        if time.monotonic() >= stop_at:
            return
        await asyncio.sleep(10)


async def killer(pid: int, at: float, kill_time: list[float]) -> None:
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    os.kill(pid, signal.SIGKILL)
    kill_time.append(time.monotonic())
    print(f"load: kill -9 {pid}", file=sys.stderr)


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (1 to 99), between the nearest ranks as numpy's default does."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def cpu_shares(samples: list[dict], pids: list[int], seconds: float) -> dict:
    """From the second minute to the end of the steady load: each replica's CPU in cores, and the machine's."""
    window = [s for s in samples if 60 <= s["t"] <= seconds]
    if len(window) < 2:
        return {}
    first, last = window[0], window[-1]
    wall = last["t"] - first["t"]
    shares = {str(p): round((last["cpu"][str(p)] - first["cpu"][str(p)]) / wall, 2) for p in pids}
    busy = last["machine"][0] - first["machine"][0]
    total = last["machine"][1] - first["machine"][1]
    shares["machine_busy_percent"] = round(100 * busy / total, 1) if total else 0.0
    for group, seconds in last["groups"].items():
        shares[group] = round((seconds - first["groups"][group]) / wall, 2)
    return shares


def flat(samples: list[dict], pid: int, seconds: float) -> tuple[bool, float, float]:
    """RSS flat: the last minute's mean within 10 % of the second minute's."""
    key = str(pid)
    second = [s[key] for s in samples if 60 <= s["t"] < 120 and s[key]]
    last = [s[key] for s in samples if seconds - 60 <= s["t"] <= seconds and s[key]]
    if not second or not last:
        return False, 0.0, 0.0
    a, b = statistics.mean(second), statistics.mean(last)
    return abs(b - a) <= 0.10 * a, a / 1024, b / 1024


async def load(args) -> dict:
    """`seconds` of steady load; with --kill-pid, the replica is killed then and the load goes on `after_kill` s."""
    from playwright.async_api import async_playwright

    pids = [int(p) for p in args.pids.split(",") if p]
    total = args.seconds + (args.after_kill if args.kill_pid else 0)
    async with async_playwright() as pw:
        browser = await launch(pw, UNTHROTTLED)
        try:
            start = time.monotonic()
            sessions = [Session(i, args.url, start, args.killed_port) for i in range(args.sessions)]
            stop_at = start + total
            kill_time: list[float] = []
            samples: list[dict] = []
            tasks = [asyncio.create_task(sample_rss(pids, start + args.seconds, samples, start))]
            if args.kill_pid:
                tasks.append(asyncio.create_task(killer(args.kill_pid, start + args.seconds, kill_time)))
            for s in sessions:  # people open the link over a minute or so, not all in the same second
                tasks.append(asyncio.create_task(s.run(browser, stop_at, kill_time)))
                await asyncio.sleep(args.ramp / max(1, args.sessions))
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=total + 300)
        finally:
            await browser.close()
    steady = [x for s in sessions for t, x in s.latencies if t < args.seconds]
    timed = [
        (x, t, s, kind) for s in sessions for (t, x), kind in zip(s.latencies, s.kinds, strict=True) if t < args.seconds
    ]
    result = {
        "sessions": args.sessions,
        "seconds": args.seconds,
        "actions": len(steady),
        "fewest_actions_per_session": min(sum(1 for t, _ in s.latencies if t < args.seconds) for s in sessions),
        "noop_clicks": sum(s.noop_clicks for s in sessions),
        "errors": [f"{t}s session {s.number}: {e}" for s in sessions for t, e in s.errors if t < args.seconds],
        "p50_s": percentile(steady, 50),
        "p95_s": percentile(steady, 95),
        "per_upstream": {u: sum(1 for s in sessions if s.upstream == u) for u in {s.upstream for s in sessions}},
        "slowest": [  # what the p95 is made of: when, which session on which replica, which action
            f"{t:.0f}s session {s.number} on {s.upstream or 'direct'}, {kind}: {x:.1f} s"
            for x, t, s, kind in sorted(timed, key=lambda row: row[0])[-8:]
        ],
        "rss_samples": samples,
        "rss": {},
        "cpu_cores": cpu_shares(samples, pids, args.seconds),
    }
    for pid in pids:
        ok, second, last = flat(samples, pid, args.seconds)
        result["rss"][str(pid)] = {"flat": ok, "second_minute_mb": round(second, 1), "last_minute_mb": round(last, 1)}
    if args.kill_pid:
        killed_at = args.seconds
        on_killed = [s for s in sessions if s.on_killed_replica()]
        survivors = [s for s in sessions if s not in on_killed]
        back = [min((t for t, _ in s.latencies if t > killed_at), default=None) for s in on_killed]
        after = [x for s in sessions for t, x in s.latencies if t > killed_at]
        result["kill"] = {
            "after_kill_s": args.after_kill,
            "killed_sessions": len(on_killed),
            "recovered": sum(1 for b in back if b is not None),
            "moved_to": sorted({s.upstream_after for s in on_killed if s.upstream_after}),
            "slowest_recovery_s": round(max((b - killed_at for b in back if b is not None), default=-1), 1),
            "survivors_acting": sum(1 for s in survivors if any(t > killed_at for t, _ in s.latencies)),
            "survivors": len(survivors),
            "survivor_errors": [
                f"{t}s session {s.number}: {e}" for s in survivors for t, e in s.errors if t >= killed_at
            ],
            "killed_session_errors": [
                f"{t}s session {s.number}: {e}" for s in on_killed for t, e in s.errors if t >= killed_at
            ],
            "p50_s": percentile(after, 50),
            "p95_s": percentile(after, 95),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=300, help="steady load (errors, latency, RSS)")
    parser.add_argument("--ramp", type=float, default=60, help="seconds over which the sessions arrive")
    parser.add_argument("--pids", default="")
    parser.add_argument("--kill-pid", type=int, default=0, help="kill -9 this replica when the steady load ends")
    parser.add_argument("--killed-port", type=int, default=0)
    parser.add_argument("--after-kill", type=float, default=75, help="seconds of load after the kill")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    only_local(args.url, "load")
    random.seed(14)
    args.sessions = min(args.sessions, 40)  # bounded
    args.seconds = min(args.seconds, 900)
    args.after_kill = min(args.after_kill, 300)
    write_result(asyncio.run(load(args)), args.out)


if __name__ == "__main__":
    main()
