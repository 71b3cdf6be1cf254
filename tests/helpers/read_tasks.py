"""Module-level tasks for the limited reading worker (loaders/files/sandbox.py): what a crafted file could make GDAL
do, without needing one."""

from __future__ import annotations

import os
import time


def burn_cpu() -> None:
    while True:
        pass


def allocate(size: int) -> int:
    return len(bytearray(size))


def sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def worker_pid() -> int:
    return os.getpid()
