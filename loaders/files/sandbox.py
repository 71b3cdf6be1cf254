"""GDAL reads of uploaded files in a child process with CPU-time and memory limits (issue 19).

A crafted file can make GDAL (or the SQLite inside a GeoPackage) run for ever or allocate without end: a recursive
view held a core long after the browser left, a zeroblob view took 5.5 GB. The schema check (formats.py) refuses the
known ways before GDAL opens a file; this is the limit for the unknown ones. Every pyogrio call on an uploaded file
runs in one worker process of this process (`python -m loaders.files.sandbox_worker`, a clean interpreter: not a
fork of a threaded server, and never a re-run of the page that asked), whose address space is capped at
READ_MEMORY_BYTES and which may spend READ_CPU_S of CPU on each call; past either, or READ_WALL_S of waiting, the
worker is ended, the next call starts a new one, and the upload is refused with a clear message.
"""

from __future__ import annotations

import pickle
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from config import READ_CPU_S, READ_MEMORY_BYTES, READ_WALL_S, ROOT
from loaders.errors import FileFormatError

_HEADER = struct.Struct(">Q")  # each message: its length, then the pickle
_lock = threading.Lock()  # one call at a time in the worker
_worker: subprocess.Popen | None = None


class _Stopped(Exception):
    """The worker died (past its CPU or memory limit) or did not answer in time."""


def pyogrio_call(name: str, *args: Any, **kwargs: Any) -> Any:
    """`pyogrio.<name>(*args, **kwargs)` in the limited worker; its own errors come back as they are."""
    return run_limited(pyogrio_in_worker, name, args, kwargs)


def run_limited(function: Callable, *args: Any, cpu_s: float = READ_CPU_S, wall_s: float = READ_WALL_S) -> Any:
    """`function(*args)` (a module-level function) in the limited worker, or FileFormatError("read_limits")."""
    request = pickle.dumps((function.__module__, function.__qualname__, args, cpu_s))
    with _lock:
        try:
            ok, value = _ask(request, wall_s)
        except _Stopped:
            _end_worker()
            raise FileFormatError(
                "read_limits", seconds=int(cpu_s), memory_bytes=READ_MEMORY_BYTES, wall_seconds=int(wall_s)
            ) from None
    if ok:
        return value
    if isinstance(value, MemoryError):  # the worker's address space is full: the same limit, said the same way
        raise FileFormatError(
            "read_limits", seconds=int(cpu_s), memory_bytes=READ_MEMORY_BYTES, wall_seconds=int(wall_s)
        )
    raise value


def pyogrio_in_worker(name: str, args: tuple, kwargs: dict) -> Any:
    """In the worker: the pyogrio call, its layer list as plain tuples."""
    import pyogrio

    result = getattr(pyogrio, name)(*args, **kwargs)
    return [tuple(row) for row in result] if name == "list_layers" else result


def _ask(request: bytes, wall_s: float) -> tuple[bool, Any]:
    worker = _running_worker()
    try:
        worker.stdin.write(_HEADER.pack(len(request)) + request)
        worker.stdin.flush()
    except OSError as exc:
        raise _Stopped from exc
    answer: list = []
    reader = threading.Thread(target=_read_answer, args=(worker, answer), daemon=True)
    reader.start()
    reader.join(wall_s)
    if not answer:
        raise _Stopped
    return answer[0]


def _read_answer(worker: subprocess.Popen, answer: list) -> None:
    try:
        (length,) = _HEADER.unpack(_read_exactly(worker.stdout, _HEADER.size))
        answer.append(pickle.loads(_read_exactly(worker.stdout, length)))
    except (OSError, EOFError, pickle.UnpicklingError, struct.error):
        return  # no answer: the caller ends the worker


def _read_exactly(stream, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def _running_worker() -> subprocess.Popen:
    global _worker
    if _worker is None or _worker.poll() is not None:
        _worker = subprocess.Popen(
            [sys.executable, "-m", "loaders.files.sandbox_worker", str(READ_MEMORY_BYTES)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
    return _worker


def _end_worker() -> None:
    global _worker
    worker, _worker = _worker, None
    if worker is not None and worker.poll() is None:
        worker.kill()
        deadline = time.monotonic() + 10
        while worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
