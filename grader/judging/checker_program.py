"""Checker programs: a problem's own checker, read like a submission, compiled once per
batch (safe from the batch's many threads) and run per case in a box of its own, one box per
submission, with the checker's own limits. How it is called and how its exit status reads
are in ``conventions``; a checker that does not compile is a ``ProblemError``.

Its sources are read with the problem (``submissions.program_source``); the judge supplies
the sandbox, the argv and how to compile.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import asdict
from types import TracebackType

from grader.errors import ProblemError
from grader.judging.compile import Compiled
from grader.judging.conventions import ANSWER, FEEDBACK, INPUT, OUTPUT, Outcome, outcome
from grader.model import (
    CheckerProgram,
    Convention,
    Language,
    ProgramFile,
    TestCase,
)
from grader.sandbox.base import Box, BoxSpec, RunSpec, Sandbox

__all__ = [
    "CheckerSession",
    "ProgramChecker",
    "checker_box",
    "identity",
]

_FEEDBACK_CAP = 1 << 20

Compile = Callable[[], Compiled]


def identity(program: CheckerProgram, image: str) -> str:
    """A digest of everything that decides the checker's verdicts, for cache keys."""
    files = [(f.path, f.mode, hashlib.sha256(f.data).hexdigest()) for f in program.source.files]
    described = [
        image,
        program.source.entry,
        files,
        program.convention.value,
        list(program.args),
        program.presentation_error.value,
        asdict(program.limits),
    ]
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def checker_box(
    program: CheckerProgram, image: str, tests: Sequence[TestCase], overhead: int
) -> BoxSpec:
    """The checker's container: its limits, plus ``overhead`` (the supervisor's and the
    runtime's memory) and room on /box for the largest case's files."""
    data = max(len(c.stdin) + len(c.expected) + c.limits.output + 1 for c in tests)
    limits = program.limits
    return BoxSpec(
        image=image,
        memory=limits.memory + overhead + 2 * data,
        cpus=limits.cpus,
        processes=limits.processes,
        scratch=limits.scratch + data,
        purpose="checker",
        reusable=True,
    )


# ---- running it --------------------------------------------------------------------------


class ProgramChecker:
    """One problem's checker program: compiled once (safe from many threads), then run in
    ``CheckerSession`` boxes, one per submission."""

    def __init__(
        self,
        sandbox: Sandbox,
        program: CheckerProgram,
        language: Language,
        *,
        box: BoxSpec,
        argv: tuple[str, ...],
        compile: Compile,
        identity: str,
    ) -> None:
        self.sandbox = sandbox
        self.program = program
        self.language = language
        self.box = box
        self.argv = argv
        self.identity = identity
        self._compile = compile
        self._lock = threading.Lock()
        self._files: tuple[ProgramFile, ...] | None = None
        self._failed: str | None = None  # the compile log of a checker that does not compile

    def compiled(self) -> tuple[ProgramFile, ...]:
        """The checker's program files, compiled on the first call; ProblemError if it
        does not compile (every later call too, without compiling again)."""
        with self._lock:
            if self._files is None and self._failed is None:
                files, log = self._compile()
                self._files, self._failed = (files, None) if files is not None else (None, log)
        if self._files is None:
            message = f"the checker does not compile:\n{self._failed}".rstrip()
            raise ProblemError(self.program.source.path, "checker.program", message)
        return self._files

    def session(self) -> CheckerSession:
        return CheckerSession(self)

    def run_spec(self, case: TestCase, output: bytes) -> RunSpec:
        """How to run the checker on ``output``, the submission's output for ``case``."""
        program, limits = self.program, self.program.limits
        files = [ProgramFile(INPUT, case.stdin), ProgramFile(ANSWER, case.expected)]
        kattis = program.convention is Convention.KATTIS
        if kattis:
            paths = (INPUT, ANSWER, FEEDBACK + "/")
        else:
            files.append(ProgramFile(OUTPUT, output))
            paths = (INPUT, OUTPUT, ANSWER)
        return RunSpec(
            argv=(*self.argv, *(f"/box/{p}" for p in paths), *program.args),
            stdin=output if kattis else b"",
            cpu=limits.time,
            wall=limits.wall,
            output=limits.output,
            env=self.language.env,
            stack=limits.memory,
            files=tuple(files),
            collect=kattis,
            collect_dir=FEEDBACK if kattis else "",
            collect_cap=_FEEDBACK_CAP,
        )

    def interactor_spec(self, case: TestCase, wall: float) -> RunSpec:
        """How to run the program as ``case``'s interactor (``Box.stream``) for an
        interaction of ``wall`` seconds: Kattis arguments, its stdio the submission's."""
        limits = self.program.limits
        files = (ProgramFile(INPUT, case.stdin), ProgramFile(ANSWER, case.expected))
        paths = (INPUT, ANSWER, FEEDBACK + "/")
        return RunSpec(
            argv=(*self.argv, *(f"/box/{p}" for p in paths), *self.program.args),
            cpu=limits.time,
            wall=wall,
            output=max(limits.output, case.limits.output),
            env=self.language.env,
            stack=limits.memory,
            files=files,
            collect=True,
            collect_dir=FEEDBACK,
            collect_cap=_FEEDBACK_CAP,
        )


class CheckerSession:
    """Checks the cases of one submission in one box, opened on the first check."""

    def __init__(self, checker: ProgramChecker) -> None:
        self._checker = checker
        self._stack = ExitStack()
        self._box: Box | None = None

    def __enter__(self) -> CheckerSession:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stack.close()

    @property
    def checker(self) -> ProgramChecker:
        return self._checker

    def check(self, case: TestCase, output: bytes) -> Outcome:
        checker = self._checker
        run = self.box().run(checker.run_spec(case, output))
        return outcome(checker.program, run, checker.language.memory_allowance)

    def box(self) -> Box:
        """The session's box with the checker loaded (opened on the first call)."""
        if self._box is None:
            files = self._checker.compiled()  # before the box: a broken checker opens none
            self._box = self._stack.enter_context(self._checker.sandbox.open(self._checker.box))
            self._box.load(files)
        return self._box
