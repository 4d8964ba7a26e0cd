"""A bounded worker pool: at most ``workers`` runs at once and ``queue`` more waiting.

``submit`` accepts a job or raises ``QueueFull`` (the route answers 503 with Retry-After);
every job it accepted runs to its end on a worker thread, never on the event loop, and is
never dropped: only ``shutdown`` cancels, and a cancelled job still completes its future
(with whatever the job returns once the engine aborts its containers).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

__all__ = ["QueueFull", "WorkPool"]

T = TypeVar("T")


class QueueFull(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the queue is full; retry in {retry_after} s")
        self.retry_after = retry_after


class WorkPool:
    def __init__(self, workers: int, queue: int) -> None:
        self.workers, self.capacity = workers, workers + queue
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="serve")
        self._lock = threading.Lock()
        self._admitted = 0  # accepted and not finished
        self._running = 0
        self._closed = False
        self._mean_s = 1.0  # moving average of a job's duration, for Retry-After

    @property
    def closed(self) -> bool:
        with self._lock:
            return self._closed

    @property
    def queued(self) -> int:
        with self._lock:
            return self._admitted - self._running

    @property
    def running(self) -> int:
        with self._lock:
            return self._running

    def submit(self, job: Callable[[float], T]) -> Future[T]:
        """Run ``job(queue_seconds)`` on a worker; QueueFull when every slot is taken."""
        with self._lock:
            if self._closed or self._admitted >= self.capacity:
                raise QueueFull(self._retry_after())
            self._admitted += 1
        accepted = time.monotonic()
        try:
            return self._executor.submit(self._run, job, accepted)
        except RuntimeError:  # shut down between the check and the submit
            with self._lock:
                self._admitted -= 1
            raise QueueFull(self._retry_after()) from None

    def _run(self, job: Callable[[float], T], accepted: float) -> T:
        started = time.monotonic()
        with self._lock:
            self._running += 1
        try:
            return job(started - accepted)
        finally:
            with self._lock:
                self._running -= 1
                self._admitted -= 1
                self._mean_s = 0.8 * self._mean_s + 0.2 * (time.monotonic() - started)

    def _retry_after(self) -> int:
        """Seconds until a slot is likely free: the queue's length in job durations."""
        waiting = max(1, self._admitted - self._running)
        return max(1, math.ceil(self._mean_s * waiting / self.workers))

    def close(self) -> None:
        """Accept nothing more."""
        with self._lock:
            self._closed = True

    def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for every accepted job to finish; True if they did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._admitted == 0:
                    return True
            time.sleep(0.05)
        with self._lock:
            return self._admitted == 0

    def shutdown(self) -> None:
        """Wait for the workers to exit (after ``drain`` or a cancellation)."""
        self.close()
        self._executor.shutdown(wait=True)
