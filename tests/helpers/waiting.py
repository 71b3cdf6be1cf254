"""One wait for conditions outside a browser (a server answering, a process's output): asked again every `every_s`
until it holds, failing the test with `failure()` once `timeout_s` has passed or the process it waits on has ended.

In a browser, wait on the page's own state instead (tests/helpers/browser.py: `run`, `wait_for_maps`, `expect`)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")


def wait_until(
    condition: Callable[[], T],
    timeout_s: float,
    failure: Callable[[], str],
    process: subprocess.Popen | None = None,
    every_s: float = 0.1,
) -> T:
    """`condition()`'s first truthy value; the test fails (with `failure()`) if it never comes or `process` ends."""
    deadline = time.monotonic() + timeout_s
    while not (value := condition()):
        if process is not None and process.poll() is not None:
            pytest.fail(f"the process ended ({process.returncode}): {failure()}")
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout_s} s: {failure()}")
        time.sleep(every_s)
    return value


def stop_process(process: subprocess.Popen, timeout_s: float = 10) -> None:
    """Ask a child process to end; kill it if it has not within `timeout_s`."""
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
