"""The sandbox seam: what the judge asks of a sandbox, with no engine behind it.

``Sandbox.open(BoxSpec)`` gives a ``Box``: one locked-down container for one program.
``Box.load`` hands it the program's files once; every ``Box.run`` then runs the program in
a fresh process, fresh /box and /tmp (plus that run's own ``RunSpec.files``), and returns a
``RunResult``; ``Box.stream`` starts a run whose stdin and stdout the caller relays
while it runs (an interactive problem's two programs). Implementations: the Docker one
(``grader.sandbox.docker``) and a scripted fake for tests (``grader.sandbox.fake``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from grader.model import MIB, ProgramFile, RunResult

__all__ = ["Box", "BoxSpec", "RunSpec", "Sandbox", "Stream"]


@dataclass(frozen=True)
class BoxSpec:
    """How to make a container. Memory is the container's cap (no swap); the judge adds the
    supervisor's and the runtime's allowance to the problem's limit."""

    image: str
    memory: int
    cpus: float = 1.0
    processes: int = 64
    scratch: int = 64 * MIB
    purpose: str = "run"  # a label: "run", "compile" or "checker"
    # May serve more than one submission (scrubbed between runs as between cases): only
    # for trusted programs on untrusted input, i.e. compilers and checkers, never runs.
    reusable: bool = False


@dataclass(frozen=True)
class RunSpec:
    """One run of the loaded program."""

    argv: tuple[str, ...]
    stdin: bytes = b""
    cpu: float = 1.0  # seconds of CPU for the whole process tree
    wall: float = 3.0  # seconds of wall clock
    output: int = 8 * MIB  # stdout or stderr beyond this stops the run (OLE)
    env: Mapping[str, str] = field(default_factory=dict)
    stack: int | None = None  # RLIMIT_STACK, bytes
    stderr_keep: int = 64 * 1024  # how much of stderr to bring back
    collect: bool = False  # bring back the files the run made (compilation)
    collect_cap: int = 64 * MIB
    # Per-run files, placed in /box after the program's (and wiped with /box after the
    # run); never collected. A checker's input, answer and the submission's output.
    files: tuple[ProgramFile, ...] = ()
    # A folder made empty in /box before the run; with ``collect``, only its files come
    # back (a Kattis checker's feedback directory).
    collect_dir: str = ""


class Stream(Protocol):
    """A run in progress: ``write`` feeds its stdin (``b""`` closes it), ``read`` gives
    its next stdout chunk (``b""`` once it closed its stdout), and last its ``RunResult``
    (with an empty ``stdout``). One thread may read while another writes."""

    def write(self, data: bytes) -> None: ...

    def read(self) -> bytes | RunResult: ...


class Box(Protocol):
    def load(self, files: Sequence[ProgramFile]) -> None: ...

    def run(self, spec: RunSpec) -> RunResult: ...

    def stream(self, spec: RunSpec) -> Stream:
        """Start a run with ``spec`` (but its ``stdin``) whose stdio the caller relays."""
        ...


class Sandbox(Protocol):
    def open(self, spec: BoxSpec) -> AbstractContextManager[Box]: ...

    def recover(self, timeout: float) -> bool:
        """After a failure: wait (up to ``timeout`` s) until the sandbox can open boxes
        again, dropping anything the failure may have broken; False if it cannot."""
        ...
