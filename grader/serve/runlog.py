"""The run log: one JSON line per finished run, which is also the usage accounting.

``RunLog.record`` writes the line and adds the same numbers to ``Usage`` and the metrics,
so what a key is billed equals what the log says, by construction. Fields: ``event``
("run"), ``id``, ``kind`` (editor or judge), ``key``, ``language``, ``code_sha256``,
``status``, ``cpu_s``, ``wall_s``, ``memory_bytes``, ``queue_s``, ``elapsed_s``, ``time``
(UTC ISO 8601).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from grader.serve.access import Usage

__all__ = ["RunLog", "RunRecord", "stderr_sink"]

Sink = Callable[[str], None]


@dataclass(frozen=True)
class RunRecord:
    id: str
    kind: str
    key: str
    language: str
    code_sha256: str
    status: str
    cpu_s: float
    wall_s: float
    memory_bytes: int
    queue_s: float
    elapsed_s: float  # on a worker: compile, start and run

    def line(self) -> str:
        fields = {"event": "run", **asdict(self), "time": _now()}
        for name in ("cpu_s", "wall_s", "queue_s", "elapsed_s"):
            fields[name] = round(fields[name], 6)
        return json.dumps(fields, separators=(",", ":"))


def stderr_sink(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


class RunLog:
    def __init__(
        self, usage: Usage, observe: Callable[[RunRecord], None], sink: Sink = stderr_sink
    ) -> None:
        self._usage, self._sink, self._observe = usage, sink, observe
        self._lock = threading.Lock()  # one whole line at a time

    def record(self, record: RunRecord) -> None:
        line = record.line()
        with self._lock:
            self._sink(line)
        self._usage.add(record.key, record.cpu_s)
        self._observe(record)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
