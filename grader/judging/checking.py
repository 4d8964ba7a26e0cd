"""A problem's comparison rule as a judge uses it: a built-in checker (``grader.checkers``)
or the problem's checker program (``checker_program``), behind one ``session`` per
submission whose ``check(case, output)`` gives the case's ``Outcome``; and the rule's
identity in result-cache keys (a checker program by the digest of its sources, image and
settings; an interactive problem's apart from any other).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext

from grader import checkers
from grader.judging.checker_program import CheckerSession, ProgramChecker, checker_box, identity
from grader.judging.compile import SUPERVISOR_ALLOWANCE, Compiled, expand
from grader.judging.conventions import Outcome
from grader.model import CheckerProgram, Problem, TestCase, Verdict
from grader.sandbox.base import Sandbox

__all__ = ["BuiltinCheck", "Checking", "program_checker"]


class BuiltinCheck:
    """A built-in checker with a checker program's session's ``check``: pure, nothing to
    open. A checker that raises is the grader's fault: IE."""

    def __init__(self, checker: checkers.Checker) -> None:
        self._checker = checker

    def check(self, case: TestCase, output: bytes) -> Outcome:
        try:
            checked = self._checker(case.expected, output)
        except Exception as exc:  # a checker bug is the grader's fault
            return Outcome(Verdict.IE, 0.0, f"checker failed: {type(exc).__name__}: {exc}")
        if checked.accepted:
            return Outcome(Verdict.AC, 1.0)
        return Outcome(Verdict.WA, 0.0, checked.message)


class Checking:
    """The problem's rule: ``program`` (None for a built-in checker), ``identity`` for
    cache keys, and ``session()`` for the cases of one submission."""

    def __init__(self, problem: Problem, program: ProgramChecker | None) -> None:
        spec = problem.checker
        self.program = program
        self._builtin: BuiltinCheck | None = None
        if program is None:
            self._builtin = BuiltinCheck(checkers.resolve(spec.name, dict(spec.options)))
        rule: object = [spec.name, dict(spec.options)] + ([program.identity] if program else [])
        self.identity: object = ["interactive", rule] if problem.interactive else rule

    def session(self) -> AbstractContextManager[CheckerSession | BuiltinCheck]:
        """Checks the cases of one submission (a checker program's box opens on its first
        check and closes with the session)."""
        if self.program is None:
            assert self._builtin is not None
            return nullcontext(self._builtin)
        return self.program.session()


def program_checker(
    sandbox: Sandbox,
    program: CheckerProgram,
    tests: Sequence[TestCase],
    image: str,
    compile: Callable[[], Compiled],
) -> ProgramChecker:
    """The problem's checker program, to run in ``image``; ``compile`` compiles it."""
    source, language = program.source, program.source.language
    assert language is not None  # the problem loader refuses a checker of no language
    overhead = SUPERVISOR_ALLOWANCE + language.memory_allowance
    return ProgramChecker(
        sandbox,
        program,
        language,
        box=checker_box(program, image, tests, overhead),
        argv=expand(language.run, source, language, program.limits.memory),
        compile=compile,
        identity=identity(program, image),
    )
