"""deploy/checks without a browser: the process figures psutil gives, the percentiles, the summary's verdicts and
the three command lines deploy/try-replicas.sh runs."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from deploy.checks import processes
from deploy.checks.load import percentile
from deploy.checks.summary import summary

ROOT = Path(__file__).resolve().parents[1]


def gone_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_process_rss_and_cpu_time_and_nothing_for_one_that_is_gone():
    assert processes.rss_kb(os.getpid()) == pytest.approx(psutil.Process().memory_info().rss / 1024, rel=0.2)
    before = processes.cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    assert processes.cpu_seconds(os.getpid()) >= before + 0.1
    pid = gone_pid()
    assert processes.rss_kb(pid) == 0 and processes.cpu_seconds(pid) == 0.0


def test_the_machine_and_the_process_groups():
    busy, total = processes.machine_busy_seconds()
    assert 0 < busy < total
    groups = processes.cpu_by_group()
    assert set(groups) == {"browsers", "postgres", "nginx"} and all(v >= 0 for v in groups.values())


def test_percentiles_lie_between_the_nearest_ranks_as_numpy_puts_them():
    values = [0.31, 2.5, 0.92, 1.4, 0.45, 7.9, 0.6, 1.1, 0.77, 3.2, 0.5]
    for q in (50, 95):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert percentile([1.5], 95) == 1.5 and math.isnan(percentile([], 50))


def passing_work(folder: Path) -> Path:
    """What crosscheck and the two load runs write when all went well (generated figures)."""
    rss = {"flat": True, "second_minute_mb": 300.0, "last_minute_mb": 310.0}
    run = {"sessions": 20, "seconds": 300, "actions": 900, "fewest_actions_per_session": 30, "errors": []}
    one = {**run, "p50_s": 0.4, "p95_s": 1.2, "rss": {"3": rss}, "cpu_cores": {"3": 0.1}}
    kill = {"killed_sessions": 9, "recovered": 9, "survivors": 11, "survivors_acting": 11, "survivor_errors": []}
    two = {**one, "rss": {"1": rss, "2": rss}, "per_upstream": {"127.0.0.1:1": 9, "127.0.0.1:2": 11}, "kill": kill}
    cross = {"seen_on_b": True, "gone_on_a": True}
    for name, result in (("cross.json", cross), ("one.json", one), ("two.json", two)):
        (folder / name).write_text(json.dumps(result))
    (folder / "nginx").mkdir()
    (folder / "nginx" / "access.log").write_text('"GET /static/x.js HTTP/1.1" 200 cache=HIT \n' * 3)
    return folder


def verdict(printed: str, check: str) -> str:
    """PASS or FAIL for one row of the summary's table of checks."""
    row = next(line for line in printed.splitlines() if line.startswith(f"| {check} "))
    return row.split("|")[2].strip()


def test_the_summary_passes_a_good_run_and_fails_a_lost_layer_or_a_missing_run(tmp_path, capsys):
    work = str(passing_work(tmp_path))
    assert summary(work, "1,2", "1,2", "1", "2", "3")
    assert "FAIL" not in capsys.readouterr().out
    assert not summary(work, "1,2", "1", "1", "2", "3")
    assert verdict(capsys.readouterr().out, "kill -9 A: no stored layer lost") == "FAIL"
    (tmp_path / "two.json").unlink()
    assert not summary(work, "1,2", "1,2", "1", "2", "3")
    assert verdict(capsys.readouterr().out, "kill -9 A: its sessions reconnect to B") == "FAIL"


@pytest.mark.parametrize("command", ["crosscheck", "load", "summary"])
def test_each_command_runs_as_try_replicas_runs_it(command):
    done = subprocess.run(
        [sys.executable, "-m", f"deploy.checks.{command}", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert f"python -m deploy.checks.{command}" in done.stdout


def test_a_check_drives_no_browser_at_another_machine(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "deploy.checks.load", "--url", "http://example.org", "--out", str(tmp_path / "x")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "only 127.0.0.1" in done.stderr and not (tmp_path / "x").exists()
