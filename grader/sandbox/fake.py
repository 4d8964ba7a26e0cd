"""A scripted sandbox for testing the logic above the seam without an engine.

``FakeSandbox(script)`` answers each ``run`` with ``script(argv, stdin)``: a RunResult, or
an exception to raise (a ``SandboxError`` simulates a broken engine). It records every box
it opened and every run, so tests can assert what the judge asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from grader.errors import SandboxError
from grader.model import ProgramFile, RunResult
from grader.sandbox.base import BoxSpec, RunSpec, Stream

__all__ = ["FakeBox", "FakeSandbox", "ok_run"]

Script = Callable[[RunSpec, Sequence[ProgramFile]], RunResult]


def ok_run(stdout: bytes = b"", **changes: object) -> RunResult:
    """A clean, fast run printing ``stdout``; override any field with ``changes``."""
    values: dict[str, object] = {
        "exit_code": 0,
        "signal": None,
        "cpu_time": 0.01,
        "wall_time": 0.02,
        "memory_peak": 8 << 20,
        "stdout": stdout,
        "stderr": b"",
        "stdout_bytes": len(stdout),
    }
    values.update(changes)
    return RunResult(**values)  # type: ignore[arg-type]


@dataclass
class FakeBox:
    script: Script
    spec: BoxSpec
    program: tuple[ProgramFile, ...] = ()
    runs: list[RunSpec] = field(default_factory=list)

    def load(self, files: Sequence[ProgramFile]) -> None:
        self.program = tuple(files)

    def run(self, spec: RunSpec) -> RunResult:
        self.runs.append(spec)
        return self.script(spec, self.program)

    def stream(self, spec: RunSpec) -> Stream:
        """Interaction needs real processes: test it on the Docker sandbox."""
        raise SandboxError("the fake sandbox does not stream")


@dataclass
class FakeSandbox:
    script: Script
    boxes: list[FakeBox] = field(default_factory=list)

    recoveries: int = 0

    @contextmanager
    def open(self, spec: BoxSpec) -> Iterator[FakeBox]:
        box = FakeBox(self.script, spec)
        self.boxes.append(box)
        yield box

    def recover(self, timeout: float) -> bool:
        self.recoveries += 1
        return True
