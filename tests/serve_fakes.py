"""A service on the fake sandbox, for the tests of ``grader serve``'s logic: every run
answers what ``script`` says, no container starts. ``Served.log`` holds the run-log lines."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from grader.model import ProgramFile, RunResult
from grader.sandbox.base import RunSpec
from grader.sandbox.fake import FakeSandbox, ok_run
from grader.serve.app import create_app
from grader.serve.backend import Backend
from grader.serve.config import ServiceConfig

__all__ = ["Served", "echo", "served"]

LANGUAGES = ("python", "c", "cpp", "java", "javascript", "go", "rust")
TAGS = {name: f"grader-{name}:test" for name in LANGUAGES}


def echo(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
    """Compiles anything (a file named main); every run prints its stdin back."""
    if spec.collect:
        return ok_run(files=(ProgramFile("main", b"\x7fELF", 0o755),))
    return ok_run(spec.stdin, cpu_time=0.25)


@dataclass
class Clock:
    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Served:
    client: TestClient
    sandbox: FakeSandbox
    clock: Clock
    log: list[str] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log]


@contextmanager
def served(config: ServiceConfig | None = None, script: Any = echo, **app: Any) -> Iterator[Served]:
    sandbox = FakeSandbox(script)
    clock = Clock()
    log: list[str] = []
    backend = Backend(sandbox, TAGS)
    application = create_app(
        config or ServiceConfig(workers=2, queue=4), backend, sink=log.append, clock=clock, **app
    )
    with TestClient(application, raise_server_exceptions=False) as client:
        yield Served(client, sandbox, clock, log)
