"""A bounded thread pool that stops at the first failure or interrupt. Standard library only:
the epicbox peer (which runs in its own virtualenv, without grader) uses it too."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TypeVar

__all__ = ["for_each"]

T = TypeVar("T")


def for_each(
    items: Sequence[T], work: Callable[[T], None], jobs: int, stop: threading.Event
) -> None:
    """Call ``work(item)`` for every item on ``jobs`` threads. The first exception (or a
    Ctrl-C in the calling thread) sets ``stop``, cancels what has not started and is raised
    once the running calls have returned; ``work`` should check ``stop`` between steps."""

    def guarded(item: T) -> None:
        if not stop.is_set():
            work(item)

    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="bench") as pool:
        futures = [pool.submit(guarded, item) for item in items]
        try:
            for future in as_completed(futures):
                future.result()
        except BaseException:
            stop.set()
            for future in futures:
                future.cancel()
            raise
