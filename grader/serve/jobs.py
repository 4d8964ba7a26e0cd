"""Asynchronous judgings (``POST /api/judge?wait=false``): their state by id, kept in
memory for ``GET /api/judge/{id}``. Only the newest ``keep`` finished ones are kept."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Job", "Jobs"]

State = Literal["queued", "running", "done"]


@dataclass
class Job:
    id: str
    key: str
    state: State = "queued"
    result: dict[str, Any] | None = None


class Jobs:
    def __init__(self, keep: int = 10_000) -> None:
        self._keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, job_id: str, key: str) -> Job:
        with self._lock:
            job = self._jobs[job_id] = Job(job_id, key)
            return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def forget(self, job_id: str) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)

    def running(self, job_id: str) -> None:
        with self._lock:
            self._jobs[job_id].state = "running"

    def done(self, job_id: str, result: dict[str, Any]) -> None:
        with self._lock:
            job = self._jobs[job_id]
            job.state, job.result = "done", result
            self._jobs.move_to_end(job_id)
            finished = [j.id for j in self._jobs.values() if j.state == "done"]
            for old in finished[: max(0, len(finished) - self._keep)]:
                del self._jobs[old]
