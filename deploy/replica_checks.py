"""Browser checks for deploy/try-replicas.sh: a layer across replicas, and a load run of many sessions.

  python deploy/replica_checks.py crosscheck --via NGINX_URL --a A_URL --b B_URL --out FILE.json
  python deploy/replica_checks.py load --url URL --sessions 20 --seconds 300 --pids P1,P2 --out FILE.json
                                     [--kill-pid PID --killed-port PORT --after-kill 60]
  python deploy/replica_checks.py summary --work DIR --layers-before IDS --layers-after IDS --pids A,B,SINGLE

Debian's chromium through Playwright; every request that is not to 127.0.0.1 is refused. Every loop is
bounded in count and in time. `load` measures, per action (a filter checkbox or a click on a feature),
the time from the action until the server reports the script run finished on the page's websocket.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]


class RunCounter:
    """Counts the app's finished script runs as the server reports them on the page's websockets.

    The page's own run-state attribute is not enough: when the browser is busy, React renders "running" and
    "notRunning" in one batch and a whole run leaves no trace in the DOM (seen under load: about 1 action in 100).
    """

    FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)

    def __init__(self, page) -> None:
        self.runs = 0
        self.end = 0.0  # time.monotonic() of the last run's end
        page.on("websocket", self._watch)  # also the new socket after a reconnect

    def _watch(self, socket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if not isinstance(payload, bytes | bytearray):
            return
        message = ForwardMsg()
        with contextlib.suppress(Exception):  # not a Streamlit message: not a run
            message.ParseFromString(bytes(payload))
            if message.WhichOneof("type") == "script_finished" and message.script_finished in self.FINISHED:
                self.runs += 1
                self.end = time.monotonic()

    async def wait_beyond(self, runs: int, timeout_s: float) -> bool:
        """Until more than `runs` runs have ended; False after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while self.runs <= runs:
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True


def local(url: str) -> bool:
    return url.startswith(("data:", "blob:", "about:")) or (urlparse(url).hostname or "") in ("127.0.0.1", "localhost")


async def _route(route):
    if local(route.request.url):
        await route.continue_()
    else:
        await route.abort("internetdisconnected")


async def new_page(browser, url: str, errors: list[str] | None = None):
    """A fresh context on `url`: (context, page, its RunCounter, the upstream nginx chose)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.route("**/*", _route)
    page = await context.new_page()
    runs = RunCounter(page)
    if errors is not None:
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    response = await page.goto(url, timeout=60_000)
    return context, page, runs, answered_by(response)


def answered_by(response) -> str:
    """The replica that answered: nginx lists every upstream it tried ("A, B" when A failed first); the last one."""
    header = response.headers.get("x-industrikart-upstream", "") if response else ""
    return header.split(",")[-1].strip()


async def wait_idle(page, runs: RunCounter, since: int = 0, timeout_s: float = 60) -> None:
    """Until a script run beyond the first `since` has ended and the map has drawn."""
    if not await runs.wait_beyond(since, timeout_s):
        raise TimeoutError(f"no script run ended within {timeout_s} s")
    await map_frame(page, timeout_s)


async def map_frame(page, timeout_s: float = 60):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                with contextlib.suppress(Exception):
                    if await frame.evaluate("() => !!(window.map && window.L)"):
                        return frame
        await page.wait_for_timeout(250)
    raise TimeoutError("no Leaflet map")


async def main_text(page) -> str:
    return await page.locator('[data-testid="stMain"]').inner_text(timeout=30_000)


async def wait_text(page, text: str, present: bool = True, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    shown = ""
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            shown = await main_text(page)
            if (text in shown) == present:
                return
        await page.wait_for_timeout(300)
    raise AssertionError(f"{text!r} {'never appeared' if present else 'never went away'}; page shows {shown[-800:]!r}")


async def stored_features(page) -> int:
    frame = await map_frame(page)
    return await frame.evaluate(
        """() => { let n = 0; window.map.eachLayer(l => {
            if (l.feature && l.feature.properties && l.feature.properties.layer === 'stored') n++; }); return n; }"""
    )


async def wait_stored(page, wanted, timeout_s: float = 60) -> int:
    """Until the number of stored-layer features on the map satisfies `wanted`."""
    deadline = time.monotonic() + timeout_s
    n = -1
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            n = await stored_features(page)
            if wanted(n):
                return n
        await page.wait_for_timeout(300)
    raise AssertionError(f"stored features on the map: {n}, not as wanted")


# --- crosscheck ------------------------------------------------------------------------------------


async def crosscheck(via: str, a: str, b: str) -> dict:
    from playwright.async_api import async_playwright

    title = f"Replika-test {uuid.uuid4().hex[:8]}"
    folder = Path(tempfile.mkdtemp(prefix="industrikart-crosscheck-"))
    fixture = folder / "replika_test.geojson"
    points = [(10.40, 63.43), (11.30, 63.75), (9.85, 63.31)]
    fixture.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"navn": f"Punkt {i}"},
                        "geometry": {"type": "Point", "coordinates": xy},
                    }
                    for i, xy in enumerate(points)
                ],
            }
        )
    )
    out = {"title": title}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # B has drawn its map (and cached its data) before the upload: its next rerun must see the layer
            ctx_b, page_b, runs_b, _ = await new_page(browser, b)
            await wait_idle(page_b, runs_b)
            baseline = out["b_stored_features_before"] = await stored_features(page_b)

            ctx_a, page_a, runs_a, upstream = await new_page(browser, via.rstrip("/") + "/Last_opp")
            out["upload_upstream"] = upstream
            await page_a.locator('input[type="file"]').set_input_files(str(fixture), timeout=60_000)
            title_box = page_a.get_by_label("Tittel")
            await title_box.wait_for(timeout=90_000)
            await title_box.fill(title)
            await title_box.press("Enter")
            await page_a.wait_for_timeout(1500)
            await page_a.get_by_role("button", name="Lagre").click()
            await wait_text(page_a, f"Lagret «{title}»", timeout_s=90)
            out["uploaded_via_nginx"] = True

            await page_b.reload()
            out["b_stored_features"] = await wait_stored(page_b, lambda n: n > baseline)
            await page_b.goto(b.rstrip("/") + "/Kartlag")
            await wait_text(page_b, title)
            out["seen_on_b"] = True

            # delete on B: open its expander, confirm, delete
            expander = page_b.locator('[data-testid="stExpander"]').filter(has_text=title).first
            await expander.locator("summary").click()
            await expander.get_by_text("Ja, slett dette laget").click()
            await page_b.wait_for_timeout(1500)
            await expander.get_by_role("button", name="Slett", exact=True).click()
            await wait_text(page_b, "Slettet", timeout_s=60)

            since = runs_a.runs
            await page_a.goto(a)
            await wait_idle(page_a, runs_a, since)
            out["a_stored_features_after_delete"] = await wait_stored(page_a, lambda n: n == baseline)
            since = runs_a.runs
            await page_a.goto(a.rstrip("/") + "/Kartlag")
            assert await runs_a.wait_beyond(since, 60), "the Kartlag page on A never finished its run"
            text = await main_text(page_a)
            live = text.split("Slettet (kan gjenopprettes")[0]
            assert title not in live, "the deleted layer is still listed as live on A"
            out["gone_on_a"] = True
            await ctx_a.close()
            await ctx_b.close()
        finally:
            await browser.close()
            shutil.rmtree(folder, ignore_errors=True)
    return out


# --- load ------------------------------------------------------------------------------------------

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


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _stat_cpu_seconds(stat: str) -> float:
    """User + system CPU seconds from the text of /proc/PID/stat (fields after the name in parentheses)."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used."""
    try:
        return _stat_cpu_seconds(Path(f"/proc/{pid}/stat").read_text())
    except OSError:
        return 0.0


PROCESS_GROUPS = {"chromium": "browsers", "chrome": "browsers", "postgres": "postgres", "nginx": "nginx"}


def cpu_by_group() -> dict[str, float]:
    """CPU seconds of the browsers, PostgreSQL and nginx, by process name: where the machine's CPU goes."""
    groups = dict.fromkeys(sorted(set(PROCESS_GROUPS.values())), 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        name = text[text.index("(") + 1 : text.rindex(")")]
        group = next((g for prefix, g in PROCESS_GROUPS.items() if name.startswith(prefix)), None)
        if group:
            groups[group] += _stat_cpu_seconds(text)
    return groups


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, all cores: what the browsers take shows here."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    clk = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / clk, sum(ticks) / clk


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
    print(f"replica_checks: kill -9 {pid}", file=sys.stderr)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


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
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
        "p50_s": percentile(steady, 0.50),
        "p95_s": percentile(steady, 0.95),
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
            "p50_s": percentile(after, 0.50),
            "p95_s": percentile(after, 0.95),
        }
    return result


# --- summary ---------------------------------------------------------------------------------------


def _fmt(x) -> str:
    return f"{x:.2f}" if isinstance(x, float) else "-"


def _rss(run: dict, pid: str):
    return run.get("rss", {}).get(pid, {}).get("last_minute_mb", "?")


def _cpu(run: dict, key: str):
    return run.get("cpu_cores", {}).get(key, "?")


def asset_cache_hits(access_log: Path) -> tuple[int, int]:
    """(answered from nginx's cache, all) requests for Streamlit's frontend files and the map component."""
    hits = total = 0
    if access_log.exists():
        for line in access_log.read_text(errors="replace").splitlines():
            if '"GET /static/' in line or '"GET /component/' in line:
                total += 1
                hits += " cache=HIT " in line
    return hits, total


def summary(work: str, before: str, after: str, pid_a: str, pid_b: str, pid_s: str) -> bool:
    """Print the figures and the checks as two tables; True when every check passed."""

    def read(name: str) -> dict:
        path = Path(work) / name
        return json.loads(path.read_text()) if path.exists() else {"failed": True}

    cross, two, one = read("cross.json"), read("two.json"), read("one.json")
    kill = two.get("kill", {})
    checks: list[tuple[str, bool, str]] = []

    def check(name: str, ok, detail: str = "") -> None:
        checks.append((name, bool(ok), detail))

    stored = f"{cross.get('b_stored_features_before', '?')} -> {cross.get('b_stored_features', '?')}"
    check("upload via nginx seen on B", cross.get("seen_on_b"), f"stored features on B's map {stored}")
    check(
        "delete on B gone on A",
        cross.get("gone_on_a"),
        f"A's map back to {cross.get('a_stored_features_after_delete', '?')}",
    )
    for label, run, pids in (("2 replicas", two, [pid_a, pid_b]), ("1 replica", one, [pid_s])):
        errors = run.get("errors", ["run failed"])
        first = f", first: {errors[0]}" if errors else ""
        check(f"{label}: 0 errors", not run.get("failed") and not errors, f"{len(errors)} errors{first}")
        fewest = run.get("fewest_actions_per_session", 0)
        check(
            f"{label}: every session active",
            fewest >= 5,
            f"{run.get('actions', 0)} reruns, fewest per session {fewest}",
        )
        for pid in pids:
            rss = run.get("rss", {}).get(pid, {})
            mb = f"2nd min {rss.get('second_minute_mb', '?')} MB, last min {rss.get('last_minute_mb', '?')} MB"
            check(f"{label}: RSS flat (pid {pid})", rss.get("flat"), mb)
    upstreams = two.get("per_upstream", {})
    check("2 replicas: sessions on both", len([u for u in upstreams if u]) == 2, str(upstreams))
    recovered = kill.get("killed_sessions", 0) > 0 and kill.get("recovered") == kill.get("killed_sessions")
    detail = f"{kill.get('recovered', 0)}/{kill.get('killed_sessions', 0)} acted again"
    if kill.get("recovered") != kill.get("killed_sessions"):
        detail += f" ({'; '.join(kill.get('killed_session_errors', [])[:2])})"
    check(
        "kill -9 A: its sessions reconnect to B",
        recovered,
        f"{detail}, slowest {kill.get('slowest_recovery_s', '?')} s",
    )
    survivors_ok = kill.get("survivors") and kill.get("survivors_acting") == kill.get("survivors")
    survivor_errors = kill.get("survivor_errors", ["no kill run"])
    detail = f"{kill.get('survivors_acting', 0)}/{kill.get('survivors', 0)} acting, {len(survivor_errors)} errors"
    check("kill -9 A: B's sessions unaffected", survivors_ok and not survivor_errors, detail)
    check("kill -9 A: no stored layer lost", before and before == after, f"layers before {before}, after {after}")
    hits, files = asset_cache_hits(Path(work) / "nginx" / "access.log")
    check("nginx answers page files from its cache", files and hits / files >= 0.5, f"{hits} of {files} requests")

    rows = [
        (
            "sessions x seconds of steady load",
            f"{two.get('sessions', '-')} x {two.get('seconds', '-')}",
            f"{one.get('sessions', '-')} x {one.get('seconds', '-')}",
        ),
        ("reruns measured", two.get("actions", "-"), one.get("actions", "-")),
        ("errors", len(two.get("errors", [])), len(one.get("errors", []))),
        ("rerun latency p50 (s)", _fmt(two.get("p50_s")), _fmt(one.get("p50_s"))),
        ("rerun latency p95 (s)", _fmt(two.get("p95_s")), _fmt(one.get("p95_s"))),
        ("RSS per replica, last minute (MB)", f"{_rss(two, pid_a)} / {_rss(two, pid_b)}", _rss(one, pid_s)),
        ("server CPU per replica (cores)", f"{_cpu(two, pid_a)} / {_cpu(two, pid_b)}", _cpu(one, pid_s)),
        ("whole machine busy, browsers too (%)", _cpu(two, "machine_busy_percent"), _cpu(one, "machine_busy_percent")),
        ("CPU of the browser sessions (cores)", _cpu(two, "browsers"), _cpu(one, "browsers")),
        ("CPU of PostgreSQL / nginx (cores)", f"{_cpu(two, 'postgres')} / {_cpu(two, 'nginx')}", _cpu(one, "postgres")),
        ("page files from nginx's cache (%)", round(100 * hits / files, 1) if files else "-", "-"),
        ("after kill -9 A: p50 / p95 (s)", f"{_fmt(kill.get('p50_s'))} / {_fmt(kill.get('p95_s'))}", "-"),
    ]
    print()
    print(f"| {'figure':<36} | {'2 replicas + nginx':<18} | {'1 replica':<9} |")
    print(f"|{'-' * 38}|{'-' * 20}|{'-' * 11}|")
    for name, a, b in rows:
        print(f"| {name:<36} | {a!s:<18} | {b!s:<9} |")
    print()
    print(f"| {'check':<40} | result | detail")
    print(f"|{'-' * 42}|--------|-------")
    for name, ok, detail in checks:
        print(f"| {name:<40} | {'PASS' if ok else 'FAIL'}   | {detail}")
    return all(ok for _, ok, _ in checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("crosscheck")
    c.add_argument("--via", required=True)
    c.add_argument("--a", required=True)
    c.add_argument("--b", required=True)
    c.add_argument("--out", required=True)
    ld = sub.add_parser("load")
    ld.add_argument("--url", required=True)
    ld.add_argument("--sessions", type=int, default=20)
    ld.add_argument("--seconds", type=float, default=300, help="steady load (errors, latency, RSS)")
    ld.add_argument("--ramp", type=float, default=60, help="seconds over which the sessions arrive")
    ld.add_argument("--pids", default="")
    ld.add_argument("--kill-pid", type=int, default=0, help="kill -9 this replica when the steady load ends")
    ld.add_argument("--killed-port", type=int, default=0)
    ld.add_argument("--after-kill", type=float, default=75, help="seconds of load after the kill")
    ld.add_argument("--out", required=True)
    sm = sub.add_parser("summary")
    sm.add_argument("--work", required=True)
    sm.add_argument("--layers-before", default="")
    sm.add_argument("--layers-after", default="")
    sm.add_argument("--pids", required=True, help="replica A, replica B, the single replica")
    args = parser.parse_args()
    if args.command == "summary":
        pid_a, pid_b, pid_s = args.pids.split(",")
        sys.exit(0 if summary(args.work, args.layers_before, args.layers_after, pid_a, pid_b, pid_s) else 1)
    if not local(getattr(args, "url", None) or args.via):
        sys.exit("replica_checks: only 127.0.0.1 is allowed")
    random.seed(14)
    if args.command == "crosscheck":
        result = asyncio.run(crosscheck(args.via, args.a, args.b))
    else:
        args.sessions = min(args.sessions, 40)  # bounded
        args.seconds = min(args.seconds, 900)
        args.after_kill = min(args.after_kill, 300)
        result = asyncio.run(load(args))
    Path(args.out).write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "rss_samples"}, indent=1))


if __name__ == "__main__":
    main()
