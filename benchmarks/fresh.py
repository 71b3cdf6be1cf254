"""One measurement in a fresh process, so its peak memory and imports are its own."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable


def in_fresh_process(target: Callable, *args):
    """What `target(*args, queue)` put on its queue, run in a newly spawned process that is then joined."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    return result
