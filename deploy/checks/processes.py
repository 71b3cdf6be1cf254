"""Where the CPU and memory go during a load run, from psutil: a replica's RSS and CPU time, the browsers',
PostgreSQL's and nginx's CPU time, and the whole machine's busy and total CPU time. A process that has gone
(or was never there) counts as nothing."""

from __future__ import annotations

import psutil

PROCESS_GROUPS = {"chromium": "browsers", "chrome": "browsers", "postgres": "postgres", "nginx": "nginx"}


def rss_kb(pid: int) -> int:
    """The resident set of a process in KB; 0 when it is gone."""
    try:
        return psutil.Process(pid).memory_info().rss // 1024
    except psutil.Error:
        return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used; 0 when it is gone."""
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def cpu_by_group() -> dict[str, float]:
    """CPU seconds of the browsers, PostgreSQL and nginx, by process name: where the machine's CPU goes."""
    groups = dict.fromkeys(sorted(set(PROCESS_GROUPS.values())), 0.0)
    for process in psutil.process_iter(["name", "cpu_times"]):
        name, times = process.info["name"] or "", process.info["cpu_times"]
        group = next((g for prefix, g in PROCESS_GROUPS.items() if name.startswith(prefix)), None)
        if group and times is not None:  # None: it ended meanwhile, or may not be read
            groups[group] += times.user + times.system
    return groups


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, all cores: what the browsers take shows here."""
    times = psutil.cpu_times()
    total = sum(times)
    return total - times.idle - getattr(times, "iowait", 0.0), total
