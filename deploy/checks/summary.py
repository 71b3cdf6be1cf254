"""The replica checks' figures and verdicts as two tables, from the JSON the other checks wrote into one folder.

  python -m deploy.checks.summary --work DIR --layers-before IDS --layers-after IDS --pids A,B,SINGLE

Reads cross.json (crosscheck), one.json (load on one replica), two.json (load through nginx on two, then kill -9
A) and nginx/access.log; exits non-zero when any check failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


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
    parser.add_argument("--work", required=True)
    parser.add_argument("--layers-before", default="")
    parser.add_argument("--layers-after", default="")
    parser.add_argument("--pids", required=True, help="replica A, replica B, the single replica")
    args = parser.parse_args()
    pid_a, pid_b, pid_s = args.pids.split(",")
    sys.exit(0 if summary(args.work, args.layers_before, args.layers_after, pid_a, pid_b, pid_s) else 1)


if __name__ == "__main__":
    main()
