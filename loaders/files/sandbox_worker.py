"""The limited reading worker (loaders/files/sandbox.py): `python -m loaders.files.sandbox_worker MEMORY_BYTES`.

Reads requests from stdin (length, pickle of module, function name, arguments, CPU seconds), answers on stdout
(length, pickle of (ok, result or exception)). Its address space is capped at start; each call may use its CPU
seconds more than the worker has used so far (past that the kernel ends it with SIGXCPU).
"""

from __future__ import annotations

import importlib
import os
import pickle
import resource
import struct
import sys

_HEADER = struct.Struct(">Q")


def main(memory_bytes: int, answer_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker ended past its limits leaves no core file
    source = sys.stdin.buffer
    sink = os.fdopen(os.dup(1), "wb")  # the answers' own descriptor; then nothing printed, by Python or C, reaches it
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    while True:
        header = source.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return  # the parent has gone
        (length,) = _HEADER.unpack(header)
        module, name, args, cpu_s = pickle.loads(source.read(length))
        try:
            _limit_cpu(cpu_s)
            function = getattr(importlib.import_module(module), name)
            answer = (True, function(*args))
        except Exception as exc:  # noqa: BLE001 (the caller gets it as it is)
            answer = (False, exc)
        try:
            payload = pickle.dumps(answer)
        except Exception as exc:  # noqa: BLE001 (an answer that will not pickle: said as text)
            payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        if len(payload) > answer_bytes:
            payload = pickle.dumps((False, MemoryError(f"an answer of {len(payload)} bytes")))
        sink.write(_HEADER.pack(len(payload)) + payload)
        sink.flush()


def _limit_cpu(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (int(usage.ru_utime + usage.ru_stime + seconds) + 1, hard))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
