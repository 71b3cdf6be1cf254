"""GDAL reads of uploaded files, and layer exports, in worker processes with CPU-time and memory limits.

A crafted file can make GDAL (or the SQLite inside a GeoPackage) run for ever or allocate without end: a recursive
view held a core long after the browser left, a zeroblob view took 5.5 GB. The schema check (ogr.py) refuses the
known ways before GDAL opens a file; this is the limit for the unknown ones. Every pyogrio call on an uploaded file
runs in a worker process (`python -m loaders.files.sandbox_worker`: a clean interpreter, not a fork of a threaded
server and never a re-run of the page that asked; without the server's secrets in its environment), whose address
space is capped at READ_MEMORY_BYTES and which may spend READ_CPU_S of CPU on each call; past either, or READ_WALL_S
of waiting, or an answer over READ_ANSWER_BYTES, the worker is ended, the next call starts a new one, and the upload
is refused with a clear message. Layer exports run the same way in a worker of their own.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from config import READ_ANSWER_BYTES, READ_CPU_S, READ_MEMORY_BYTES, READ_WALL_S, ROOT
from loaders.errors import FileFormatError

_HEADER = struct.Struct(">Q")  # each message: its length, then the pickle
# What the worker gets of the server's environment: no password, cookie secret or database address (an export is
# told its store explicitly), only what Python, GDAL and PROJ need to run.
_ENV_NAMES = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TMP", "TEMP", "PYTHONPATH", "VIRTUAL_ENV")
_ENV_PREFIXES = ("GDAL_", "PROJ_", "OPENBLAS_", "OMP_", "MKL_")


class _Stopped(Exception):
    """The worker died (past its CPU or memory limit), did not answer in time, or answered too much."""


class _Worker:
    """One worker process and the lock that lets one call at a time use it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None

    def running(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            env = {k: v for k, v in os.environ.items() if k in _ENV_NAMES or k.startswith(_ENV_PREFIXES)}
            self.process = subprocess.Popen(
                [sys.executable, "-m", "loaders.files.sandbox_worker", str(READ_MEMORY_BYTES), str(READ_ANSWER_BYTES)],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        return self.process

    def end(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)


# Uploads' reads and layer exports each have a worker: a flood of downloads never queues an editor's upload.
_WORKERS = {"read": _Worker(), "export": _Worker()}


def pyogrio_call(name: str, *args: Any, **kwargs: Any) -> Any:
    """`pyogrio.<name>(*args, **kwargs)` in the limited reading worker; its own errors come back as they are."""
    return run_limited(pyogrio_in_worker, name, args, kwargs)


def run_limited(
    function: Callable,
    *args: Any,
    cpu_s: float = READ_CPU_S,
    wall_s: float = READ_WALL_S,
    worker: str = "read",
) -> Any:
    """`function(*args)` (a module-level function) in the limited worker `worker` ("read" or "export"), or
    FileFormatError("read_limits")."""
    request = pickle.dumps((function.__module__, function.__qualname__, args, cpu_s))
    slot = _WORKERS[worker]
    with slot.lock:
        try:
            ok, value = _ask(slot.running(), request, wall_s)
        except _Stopped:
            slot.end()
            raise _past_limits(cpu_s, wall_s) from None
    if ok:
        return value
    if isinstance(value, MemoryError):  # the worker's address space is full: the same limit, said the same way
        raise _past_limits(cpu_s, wall_s)
    raise value


def pyogrio_in_worker(name: str, args: tuple, kwargs: dict) -> Any:
    """In the worker: the pyogrio call, its layer list as plain tuples."""
    import pyogrio

    result = getattr(pyogrio, name)(*args, **kwargs)
    return [tuple(row) for row in result] if name == "list_layers" else result


def _past_limits(cpu_s: float, wall_s: float) -> FileFormatError:
    return FileFormatError("read_limits", seconds=int(cpu_s), memory_bytes=READ_MEMORY_BYTES, wall_seconds=int(wall_s))


def _ask(process: subprocess.Popen, request: bytes, wall_s: float) -> tuple[bool, Any]:
    try:
        process.stdin.write(_HEADER.pack(len(request)) + request)
        process.stdin.flush()
    except OSError as exc:
        raise _Stopped from exc
    answer: list = []
    reader = threading.Thread(target=_read_answer, args=(process, answer), daemon=True)
    reader.start()
    reader.join(wall_s)
    if not answer:
        raise _Stopped
    return answer[0]


def _read_answer(process: subprocess.Popen, answer: list) -> None:
    try:
        (length,) = _HEADER.unpack(_read_exactly(process.stdout, _HEADER.size))
        if length > READ_ANSWER_BYTES:
            return  # more than any answer may be: no answer
        answer.append(pickle.loads(_read_exactly(process.stdout, length)))
    except Exception:  # noqa: BLE001 (a broken or unreadable answer is no answer: the caller ends the worker)
        return


def _read_exactly(stream, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)
