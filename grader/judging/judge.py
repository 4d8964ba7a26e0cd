"""One submission x one problem -> ``SubmissionResult``.

Compiles once (``compile``: a compile box with generous limits of its own, the result
cache asked first, ``recall``), then runs every case in one run box (``boxes``): a fresh
process, /box and /tmp per case (see ``sandbox/``). Each run becomes a ``CaseResult`` by the
pure step in ``results``, compared by the problem's rule (``checking``: a built-in checker,
or its own program, compiled once, one box per submission); an interactive problem's cases
are relayed instead (``interactive``). A sandbox or checker failure is IE for this
submission only. How it judges is a value (``JudgeOptions``); cancellation and the cache
come with the run (``JudgeContext``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from functools import partial

from grader.errors import SandboxError
from grader.judging import interactive
from grader.judging.boxes import run_box, run_spec, timed_tests
from grader.judging.cache import ResultCache, program_key
from grader.judging.checker_program import CheckerSession, ProgramChecker
from grader.judging.checking import BuiltinCheck, Checking, program_checker
from grader.judging.compile import COMPILE_LIMITS, SUPERVISOR_ALLOWANCE, Compiled, compile_program
from grader.judging.options import JudgeContext, JudgeOptions
from grader.judging.recall import Recall
from grader.judging.results import graded, not_run, skipped, submission_result
from grader.model import (
    CaseResult,
    CheckerProgram,
    Language,
    Problem,
    ProgramFile,
    Submission,
    SubmissionResult,
    TestCase,
    Verdict,
)
from grader.sandbox.base import Box, Sandbox

__all__ = ["COMPILE_LIMITS", "SUPERVISOR_ALLOWANCE", "Judge", "JudgeContext", "JudgeOptions"]

Session = CheckerSession | BuiltinCheck


class Judge:
    """Grades submissions to one problem with one sandbox."""

    def __init__(
        self,
        sandbox: Sandbox,
        problem: Problem,
        image_tags: Mapping[str, str],
        options: JudgeOptions | None = None,
        context: JudgeContext | None = None,
    ) -> None:
        self.problem = problem
        self._sandbox = sandbox
        self._tags = image_tags
        self._options = options or JudgeOptions()
        self._context = context or JudgeContext()
        program = problem.checker.program
        self._checking = Checking(problem, self._program_checker(program) if program else None)
        self._recall = Recall(self._context.cache, self.checker_identity, self.cancelled)

    # ---- what callers may ask of it ----------------------------------------------------

    @property
    def cancelled(self) -> threading.Event:
        """The run's cancellation: set, no more cases run and nothing more is cached."""
        return self._context.cancelled

    @property
    def cache(self) -> ResultCache | None:
        return self._context.cache

    @property
    def program_checker(self) -> ProgramChecker | None:
        return self._checking.program

    @property
    def checker_identity(self) -> object:
        """What identifies the comparison rule in cache keys."""
        return self._checking.identity

    def prepare(self) -> None:
        """Compile the problem's checker program now, if it has one (a ProblemError if it
        does not compile), so that no submission runs before it is known to work."""
        if self._checking.program is not None:
            self._checking.program.compiled()

    def recover(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the sandbox to answer again (an engine
        restarting); whether it did."""
        return self._sandbox.recover(timeout)

    # ---- judging -------------------------------------------------------------------------

    def judge(self, submission: Submission) -> SubmissionResult:
        if submission.reason or submission.language is None:
            return not_run(self.problem, submission, Verdict.CE, submission.reason)
        language = submission.language
        try:
            key, tests = self._planned(submission, language)
            cached = self._recall.cases(key, tests)
            if all(result is not None for result in cached):
                program: tuple[ProgramFile, ...] | None = ()
                log = self._recall.log(key)
            else:
                program, log = self._compiled(submission, language, key)
            if program is None:
                return not_run(self.problem, submission, Verdict.CE, "compilation failed", log)
            cases = self._run_cases(submission, language, program, key, tests, cached)
        except SandboxError as exc:
            return not_run(self.problem, submission, Verdict.IE, str(exc))
        return submission_result(self.problem, submission, cases, log)

    def from_cache(self, submission: Submission) -> SubmissionResult | None:
        """What ``judge`` would return, found without the sandbox: CE for a submission that
        cannot run, or every case from the result cache; None when some case must run."""
        if submission.reason or submission.language is None:
            return not_run(self.problem, submission, Verdict.CE, submission.reason)
        key, tests = self._planned(submission, submission.language)
        cases: list[CaseResult] = []
        for case, stored in zip(tests, self._recall.cases(key, tests), strict=True):
            if self._should_stop(cases):
                cases.append(skipped(case))
            elif stored is None:
                return None
            else:
                cases.append(stored)
        return submission_result(self.problem, submission, tuple(cases), self._recall.log(key))

    def case_keys(self, submission: Submission) -> tuple[str, ...]:
        """The result-cache key of each of the submission's cases, in order (none for a
        submission that cannot run)."""
        if submission.reason or submission.language is None:
            return ()
        key, tests = self._planned(submission, submission.language)
        return tuple(self._recall.case_key(key, case) for case in tests)

    def _planned(
        self, submission: Submission, language: Language
    ) -> tuple[str, tuple[TestCase, ...]]:
        """The program's cache key (sources, language, image) and the cases with the
        language's time multipliers applied."""
        key = program_key(self._image(language), submission, language)
        return key, timed_tests(self.problem, language)

    def _compiled(self, submission: Submission, language: Language, key: str) -> Compiled:
        """The compiled program (None for a compile error) and its log, from the cache
        when the same sources were compiled before in the same image."""
        if not language.compile:
            return self._compile(submission, language)
        return self._recall.compiled(key, lambda: self._compile(submission, language))

    def _compile(self, submission: Submission, language: Language) -> Compiled:
        image = self._image(language) if language.compile else ""
        limits = self._options.compile_limits
        return compile_program(self._sandbox, image, submission, language, limits)

    def _run_cases(
        self,
        submission: Submission,
        language: Language,
        program: Sequence[ProgramFile],
        key: str,
        tests: Sequence[TestCase],
        cached: Sequence[CaseResult | None],
    ) -> tuple[CaseResult, ...]:
        """Every case in order: from the cache when stored, else run in one box, opened
        only if some case needs running."""
        results: list[CaseResult] = []
        with ExitStack() as stack:
            box: Box | None = None
            session = stack.enter_context(self._checking.session())
            for case, stored in zip(tests, cached, strict=True):
                if self._should_stop(results):
                    results.append(skipped(case))
                elif stored is not None:
                    results.append(stored)
                else:
                    box = box or self._open(stack, language, program)
                    result = self._case(submission, language, case, box, session)
                    results.append(self._recall.store(key, case, result))
        return tuple(results)

    def _open(self, stack: ExitStack, language: Language, program: Sequence[ProgramFile]) -> Box:
        """The submission's run box, sized for every case, with its program loaded."""
        limits = [case.limits for case in self.problem.tests]
        spec = run_box(self._image(language), language, limits, self._options.reuse_run_boxes)
        box = stack.enter_context(self._sandbox.open(spec))
        box.load(program)
        return box

    def _case(
        self, submission: Submission, language: Language, case: TestCase, box: Box, session: Session
    ) -> CaseResult:
        spec = run_spec(submission, language, case.stdin, case.limits)
        allowance = language.memory_allowance
        if self.problem.interactive:
            assert isinstance(session, CheckerSession)  # the loader requires an interactor
            return interactive.judge_case(case, box, spec, session, allowance)
        return graded(case, box.run(spec), allowance, session.check)

    def _should_stop(self, results: list[CaseResult]) -> bool:
        if self.cancelled.is_set():
            return True
        failed = any(not r.verdict.accepted for r in results)
        return self._options.stop_on_failure and failed

    def _program_checker(self, program: CheckerProgram) -> ProgramChecker:
        source, language = program.source, program.source.language
        assert language is not None  # the problem loader refuses a checker of no language
        image = self._image(language)
        compile = partial(self._compile, source, language)
        return program_checker(self._sandbox, program, self.problem.tests, image, compile)

    def _image(self, language: Language) -> str:
        try:
            return self._tags[language.image]
        except KeyError:
            raise SandboxError(f"no image for {language.name} ({language.image})") from None
