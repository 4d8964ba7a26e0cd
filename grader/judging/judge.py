"""One submission x one problem -> ``SubmissionResult``.

Compiles once (``compiler``: a compile box with generous limits of its own), then runs every case
in one run box: a fresh process, /box and /tmp per case (see ``sandbox/``). Resource
verdicts come from ``verdicts.classify``; a clean run goes to the problem's checker
(built in, or its own program: ``checkers.program``, compiled once, one box per submission).
A sandbox or checker failure is IE for this submission only.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass, field, replace

from grader import checkers
from grader.errors import SandboxError
from grader.judging.cache import ResultCache, case_key, program_key
from grader.judging.checker_program import CheckerSession, ProgramChecker, checker_box, identity
from grader.judging.compile import COMPILE_LIMITS, SUPERVISOR_ALLOWANCE, compile_program, expand
from grader.judging.interactive import interact, interaction_wall
from grader.judging.interactive import verdict as interactive_verdict
from grader.judging.scoring import score
from grader.judging.verdicts import classify
from grader.model import (
    MIB,
    CaseResult,
    CheckerProgram,
    Language,
    Limits,
    Problem,
    ProgramFile,
    RunResult,
    Submission,
    SubmissionResult,
    TestCase,
    Verdict,
)
from grader.sandbox.base import Box, BoxSpec, RunSpec, Sandbox

__all__ = ["COMPILE_LIMITS", "SUPERVISOR_ALLOWANCE", "Judge", "JudgeOptions", "overall"]

_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class JudgeOptions:
    compile_limits: Limits = COMPILE_LIMITS
    stop_on_failure: bool = False
    cancelled: threading.Event = field(default_factory=threading.Event)
    cache: ResultCache | None = None  # reuse verdicts of unchanged (program, case) pairs
    # Let a run box serve several submissions in turn, scrubbed between them as between
    # cases (files, processes, IPC), instead of a fresh container per submission.
    reuse_run_boxes: bool = False


class Judge:
    """Grades submissions to one problem with one sandbox."""

    def __init__(
        self,
        sandbox: Sandbox,
        problem: Problem,
        image_tags: Mapping[str, str],
        options: JudgeOptions | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.problem = problem
        self.image_tags = image_tags
        self.options = options or JudgeOptions()
        spec = problem.checker
        self.checker = None if spec.program else checkers.resolve(spec.name, dict(spec.options))
        self.program_checker = self._program_checker(spec.program) if spec.program else None
        # What identifies the comparison rule in cache keys (a checker program by its digest).
        self.checker_identity: object = [spec.name, dict(spec.options)] + (
            [self.program_checker.identity] if self.program_checker else []
        )
        if problem.interactive:
            self.checker_identity = ["interactive", self.checker_identity]

    def judge(self, submission: Submission) -> SubmissionResult:
        language = submission.language
        if submission.reason or language is None:
            return self._not_run(submission, Verdict.CE, submission.reason)
        try:
            key = program_key(self._image(language), submission, language)
            tests = self._tests(language)
            cached = self._cached_cases(key, tests)
            if all(result is not None for result in cached):
                program: tuple[ProgramFile, ...] | None = ()
                log = self._cached_log(key)
            else:
                program, log = self._compiled(submission, language, key)
            if program is None:
                return self._not_run(submission, Verdict.CE, "compilation failed", log)
            cases = self._run_cases(submission, language, program, key, tests, cached)
        except SandboxError as exc:
            return self._not_run(submission, Verdict.IE, str(exc))
        return self._result(submission, language, cases, log)

    def from_cache(self, submission: Submission) -> SubmissionResult | None:
        """What ``judge`` would return, found without the sandbox: CE for a submission that
        cannot run, or every case from the result cache; None when some case must run."""
        language = submission.language
        if submission.reason or language is None:
            return self._not_run(submission, Verdict.CE, submission.reason)
        key = program_key(self._image(language), submission, language)
        tests = self._tests(language)
        cases: list[CaseResult] = []
        for case, stored in zip(tests, self._cached_cases(key, tests), strict=True):
            if self._should_stop(cases):
                cases.append(_skipped(case))
            elif stored is None:
                return None
            else:
                cases.append(stored)
        return self._result(submission, language, tuple(cases), self._cached_log(key))

    def case_keys(self, submission: Submission) -> tuple[str, ...]:
        """The result-cache key of each of the submission's cases, in order (none for a
        submission that cannot run)."""
        language = submission.language
        if submission.reason or language is None:
            return ()
        key = program_key(self._image(language), submission, language)
        return tuple(self._case_key(key, case) for case in self._tests(language))

    def _result(
        self,
        submission: Submission,
        language: Language,
        cases: tuple[CaseResult, ...],
        log: str,
    ) -> SubmissionResult:
        verdict, _ = overall(cases)
        points, groups = score(self.problem, cases)
        return SubmissionResult(
            submission.id,
            language.key,
            verdict,
            points,
            self.problem.max_points,
            cases,
            compile_log=log,
            groups=groups,
        )

    # ---- the result cache ------------------------------------------------------------

    def _case_key(self, program: str, case: TestCase) -> str:
        return case_key(program, case, self.checker_identity)

    def _cached_cases(self, program: str, tests: Sequence[TestCase]) -> list[CaseResult | None]:
        cache = self.options.cache
        if cache is None:
            return [None] * len(tests)
        return [cache.get_case(self._case_key(program, case)) for case in tests]

    def _tests(self, language: Language) -> tuple[TestCase, ...]:
        """The problem's cases with the language's time multiplier applied (CPU and wall)."""
        factor = self.problem.time_multipliers.get(language.key, 1.0)
        if factor == 1.0:
            return self.problem.tests
        return tuple(
            replace(
                case,
                limits=replace(
                    case.limits, time=case.limits.time * factor, wall=case.limits.wall * factor
                ),
            )
            for case in self.problem.tests
        )

    def _cached_log(self, program: str) -> str:
        stored = self.options.cache.get_program(program) if self.options.cache else None
        return stored[1] if stored else ""

    def _compiled(
        self, submission: Submission, language: Language, key: str
    ) -> tuple[tuple[ProgramFile, ...] | None, str]:
        """The compiled program (None for a compile error) and its log, from the cache
        when the same sources were compiled before in the same image."""
        cache = self.options.cache
        stored = cache.get_program(key) if cache and language.compile else None
        if stored is not None:
            return stored
        program, log = self._compile(submission, language)
        if cache and language.compile:
            cache.put_program(key, program, log)
        return program, log

    # ---- compile ---------------------------------------------------------------------

    def _compile(
        self, submission: Submission, language: Language
    ) -> tuple[tuple[ProgramFile, ...] | None, str]:
        image = self._image(language) if language.compile else ""
        limits = self.options.compile_limits
        return compile_program(self.sandbox, image, submission, language, limits)

    # ---- run -------------------------------------------------------------------------

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
            session = stack.enter_context(self._checker_session())
            for case, stored in zip(tests, cached, strict=True):
                if self._should_stop(results):
                    results.append(_skipped(case))
                elif stored is not None:
                    results.append(stored)
                else:
                    if box is None:
                        box = stack.enter_context(self.sandbox.open(self._run_box(language)))
                        box.load(program)
                    if self.problem.interactive:
                        graded = self._interact(submission, language, case, box, session)
                    else:
                        run = box.run(_run_spec(submission, case, language))
                        graded = self.grade(case, run, language.memory_allowance, session)
                    results.append(self._store(key, case, graded))
        return tuple(results)

    def _store(self, key: str, case: TestCase, result: CaseResult) -> CaseResult:
        if self.options.cache is not None and not self.options.cancelled.is_set():
            self.options.cache.put_case(self._case_key(key, case), result)
        return result

    def _run_box(self, language: Language) -> BoxSpec:
        tests = self.problem.tests
        return BoxSpec(
            image=self._image(language),
            memory=max(c.limits.memory for c in tests)
            + SUPERVISOR_ALLOWANCE
            + language.memory_allowance,
            cpus=max(c.limits.cpus for c in tests),
            processes=max(c.limits.processes for c in tests),
            scratch=max(c.limits.scratch for c in tests),
            reusable=self.options.reuse_run_boxes,
        )

    def _should_stop(self, results: list[CaseResult]) -> bool:
        if self.options.cancelled.is_set():
            return True
        failed = any(not r.verdict.accepted for r in results)
        return self.options.stop_on_failure and failed

    def grade(
        self,
        case: TestCase,
        run: RunResult,
        allowance: int = 0,
        session: CheckerSession | None = None,
    ) -> CaseResult:
        """The verdict of one run of one case. ``allowance`` is the language runtime's own
        memory (a JVM's), allowed on top of the case's memory limit; ``session`` the box
        where the problem's checker program runs (one of its own if not given)."""
        if run.start_error:
            return CaseResult(case.name, Verdict.IE, 0.0, case.points, message=run.start_error)
        measured = CaseResult(
            case.name, Verdict.IE, 0.0, case.points,
            run.cpu_time, run.wall_time, run.memory_peak, run.exit_code, run.signal,
        )  # fmt: skip
        allowed = replace(case.limits, memory=case.limits.memory + allowance)
        resource = classify(run, allowed)
        if resource is not None:
            verdict, why = resource
            if verdict is Verdict.MLE and allowance:
                why += f" ({case.limits.memory / MIB:g} MiB + {allowance / MIB:g} MiB runtime)"
            if verdict is Verdict.RTE and run.stderr:
                why += ": " + _tail(run.stderr)
            return replace(measured, verdict=verdict, message=why)
        if self.checker is None:
            return self._check_by_program(measured, case, run.stdout, session)
        try:
            checked = self.checker(case.expected, run.stdout)
        except Exception as exc:  # a checker bug is the grader's fault
            return replace(measured, message=f"checker failed: {type(exc).__name__}: {exc}")
        if checked.accepted:
            return replace(measured, verdict=Verdict.AC, points=case.points)
        return replace(measured, verdict=Verdict.WA, message=checked.message)

    def _interact(
        self,
        submission: Submission,
        language: Language,
        case: TestCase,
        box: Box,
        session: CheckerSession | None,
    ) -> CaseResult:
        """One case of an interactive problem: the submission in ``box``, the interactor
        (the problem's checker program) in the session's box (``judging.interactive``)."""
        checker = self.program_checker
        assert checker is not None and session is not None  # the loader requires one
        wall = interaction_wall(case.limits.time)
        spec = replace(_run_spec(submission, case, language), wall=wall)
        found = interact(box, spec, session.box(), checker.interactor_spec(case, wall))
        allowances = (language.memory_allowance, checker.language.memory_allowance)
        judged = interactive_verdict(found, case.limits, checker.program, allowances)
        verdict, share, message = judged
        run = found.submission
        if verdict is Verdict.RTE and run.stderr:
            message += ": " + _tail(run.stderr)
        return CaseResult(
            case.name, verdict, case.points * share, case.points,
            run.cpu_time, run.wall_time, run.memory_peak, run.exit_code, run.signal,
            message=message, transcript=found.transcript,
        )  # fmt: skip

    # ---- a checker program ----------------------------------------------------------

    def _program_checker(self, program: CheckerProgram) -> ProgramChecker:
        source, language = program.source, program.source.language
        assert language is not None  # the problem loader refuses a checker of no language
        image = self._image(language)
        overhead = SUPERVISOR_ALLOWANCE + language.memory_allowance
        return ProgramChecker(
            self.sandbox,
            program,
            language,
            box=checker_box(program, image, self.problem.tests, overhead),
            argv=expand(language.run, source, language, program.limits.memory),
            compile=lambda: self._compile(source, language),
            identity=identity(program, image),
        )

    def _checker_session(self) -> AbstractContextManager[CheckerSession | None]:
        if self.program_checker is None:
            return nullcontext()
        return self.program_checker.session()

    def _check_by_program(
        self, measured: CaseResult, case: TestCase, output: bytes, session: CheckerSession | None
    ) -> CaseResult:
        assert self.program_checker is not None
        if session is None:
            with self.program_checker.session() as own:
                return self._check_by_program(measured, case, output, own)
        found = session.check(case, output)
        points = case.points * found.share
        return replace(measured, verdict=found.verdict, points=points, message=found.message)

    # ---- helpers ---------------------------------------------------------------------

    def _image(self, language: Language) -> str:
        try:
            return self.image_tags[language.image]
        except KeyError:
            raise SandboxError(f"no image for {language.name} ({language.image})") from None

    def _not_run(
        self, submission: Submission, verdict: Verdict, message: str, log: str = ""
    ) -> SubmissionResult:
        cases = tuple(_skipped(case) for case in self.problem.tests)
        language = submission.language.key if submission.language else "unknown"
        _, groups = score(self.problem, cases)
        return SubmissionResult(
            submission.id,
            language,
            verdict,
            0.0,
            self.problem.max_points,
            cases,
            message,
            log,
            groups,
        )


def overall(cases: Sequence[CaseResult]) -> tuple[Verdict, float]:
    """A submission's verdict (its first non-AC case, in order) and its cases' points
    summed; with groups, ``scoring.score`` decides the points."""
    points = sum(case.points for case in cases)
    failed = (c.verdict for c in cases if c.verdict not in (Verdict.AC, Verdict.SKIPPED))
    return next(failed, Verdict.AC), points


def _skipped(case: TestCase) -> CaseResult:
    return CaseResult(case.name, Verdict.SKIPPED, 0.0, case.points, message="not run")


def _run_spec(submission: Submission, case: TestCase, language: Language) -> RunSpec:
    limits = case.limits
    return RunSpec(
        argv=expand(language.run, submission, language, limits.memory),
        stdin=case.stdin,
        cpu=limits.time,
        wall=limits.wall,
        output=limits.output,
        env=language.env,
        stack=limits.memory,
    )


def _tail(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", errors="backslashreplace").strip().splitlines()
    tail = " | ".join(lines[-3:])
    return tail if len(tail) <= _MESSAGE_CHARS else "..." + tail[-_MESSAGE_CHARS:]
