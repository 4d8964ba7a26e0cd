"""Programs and their runs: a language (a row of ``languages.yaml``), a submission's
files, and what the sandbox observed of one run (``RunResult``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath

__all__ = ["KilledBy", "Language", "ProgramFile", "RunResult", "Submission"]


@dataclass(frozen=True)
class Language:
    """A row of ``languages.yaml``: how to compile and run one language."""

    key: str
    name: str
    extensions: tuple[str, ...]
    image: str  # folder under images/
    run: tuple[str, ...]  # argv; {entry} and {main} are substituted
    compile: tuple[str, ...] | None = None
    entry_names: tuple[str, ...] = ()  # entry point file names tried in a folder submission
    env: Mapping[str, str] = field(default_factory=dict)
    memory_allowance: int = 0  # extra container memory the runtime needs, bytes
    notes: str = ""
    headers: tuple[str, ...] = ()  # extensions of files compiled with the sources, not as one
    check_only: bool = False  # compile is a check (a syntax check): the run gets the sources
    jvm_main: bool = False  # the run starts the compiled class that declares main

    def is_source(self, name: str) -> bool:
        """Whether ``name``'s extension is one of this language's: as listed, or in any
        case but for one letter (``.CPP`` is C++ like ``.cpp``; ``.C`` is C++, ``.c`` C)."""
        suffix = PurePosixPath(name).suffix[1:]
        return any(
            suffix == ext or (len(ext) > 1 and suffix.lower() == ext.lower())
            for ext in self.extensions
        )


@dataclass(frozen=True)
class ProgramFile:
    path: str  # relative, "/"-separated
    data: bytes
    mode: int = 0o644


@dataclass(frozen=True)
class Submission:
    """What one participant handed in. ``problem_reason`` explains why it cannot be run
    (unknown language, no entry point, ...) and makes it CE without a sandbox."""

    id: str
    path: Path
    language: Language | None
    files: tuple[ProgramFile, ...]
    entry: str = ""
    reason: str = ""


class KilledBy(StrEnum):
    """Which limit made the supervisor kill a program."""

    CPU = "cpu"
    WALL = "wall"
    OUTPUT = "output"
    MEMORY = "memory"  # the container's memory at its cap (see the supervisor's TreeMemory)


@dataclass(frozen=True)
class RunResult:
    """What the sandbox observed of one run of a program."""

    exit_code: int | None
    signal: int | None
    cpu_time: float
    wall_time: float
    memory_peak: int
    stdout: bytes
    stderr: bytes
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    oom: bool = False
    killed_by: KilledBy | None = None
    files: tuple[ProgramFile, ...] = ()
    start_error: str = ""  # the program could not be started at all
    # When it ended, on the kernel's monotonic clock (shared by the host and its containers
    # under runc): orders the ends of an interaction's two programs. None if unknown.
    ended_at: float | None = None
