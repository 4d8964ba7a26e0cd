"""What happened -> what it earned: the pure step between a run and a report. No sandbox,
no I/O.

``graded`` turns one run of one case into its ``CaseResult``: a program that could not
start is IE; then the resource verdicts (``verdicts.classify``, with the runtime's memory
allowance); only a clean run is compared, by the ``Check`` given (a built-in checker or a
checker program's session, see ``checking``), whose ``Outcome`` decides the verdict and
the share of the case's points. ``earned`` builds the result of a decided case (interactive
judging decides its own, ``interactive.verdict``). A runtime error's message ends with the
tail of the program's stderr. ``not_run`` is a submission none of whose cases ran (CE, or
IE when judging it failed), ``skipped`` one case not run.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.judging.conventions import Outcome
from grader.judging.scoring import overall, score
from grader.judging.verdicts import classify
from grader.model import (
    MIB,
    CaseResult,
    Problem,
    RunResult,
    Submission,
    SubmissionResult,
    TestCase,
    Verdict,
)

__all__ = ["Check", "earned", "graded", "not_run", "skipped", "submission_result"]

Check = Callable[[TestCase, bytes], Outcome]  # the case and the program's stdout
_MESSAGE_CHARS = 300


def graded(case: TestCase, run: RunResult, allowance: int, check: Check) -> CaseResult:
    """The result of one run of ``case``. ``allowance`` is the language runtime's own
    memory (a JVM's), allowed on top of the case's memory limit; ``check`` is called for
    a clean run only."""
    if run.start_error:
        return CaseResult(case.name, Verdict.IE, 0.0, case.points, message=run.start_error)
    resource = classify(run, case.limits, allowance)
    if resource is not None:
        verdict, why = resource
        if verdict is Verdict.MLE and allowance:
            why += f" ({case.limits.memory / MIB:g} MiB + {allowance / MIB:g} MiB runtime)"
        return earned(case, run, verdict, 0.0, why)
    found = check(case, run.stdout)
    return earned(case, run, found.verdict, found.share, found.message)


def earned(
    case: TestCase,
    run: RunResult,
    verdict: Verdict,
    share: float,
    message: str,
    transcript: str = "",
) -> CaseResult:
    """A decided case: ``share`` of its points, ``run``'s measurements, and for RTE the
    tail of the program's stderr after ``message``."""
    if verdict is Verdict.RTE and run.stderr:
        message += ": " + _tail(run.stderr)
    return CaseResult(
        case.name, verdict, case.points * share if share else 0.0, case.points,
        run.cpu_time, run.wall_time, run.memory_peak, run.exit_code, run.signal,
        message=message, transcript=transcript,
    )  # fmt: skip


def submission_result(
    problem: Problem, submission: Submission, cases: tuple[CaseResult, ...], log: str
) -> SubmissionResult:
    """A submission's result from its cases: the first failure decides the verdict, the
    problem's groups the points."""
    verdict, _ = overall(cases)
    points, groups = score(problem, cases)
    language = submission.language.key if submission.language else "unknown"
    return SubmissionResult(
        submission.id, language, verdict, points, problem.max_points, cases,
        compile_log=log, groups=groups,
    )  # fmt: skip


def not_run(
    problem: Problem, submission: Submission, verdict: Verdict, message: str, log: str = ""
) -> SubmissionResult:
    """``verdict`` (CE or IE) for ``submission`` with none of its cases run: no points."""
    cases = tuple(skipped(case) for case in problem.tests)
    language = submission.language.key if submission.language else "unknown"
    _, groups = score(problem, cases)
    return SubmissionResult(
        submission.id, language, verdict, 0.0, problem.max_points, cases, message, log, groups
    )


def skipped(case: TestCase) -> CaseResult:
    return CaseResult(case.name, Verdict.SKIPPED, 0.0, case.points, message="not run")


def _tail(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", errors="backslashreplace").strip().splitlines()
    tail = " | ".join(lines[-3:])
    return tail if len(tail) <= _MESSAGE_CHARS else "..." + tail[-_MESSAGE_CHARS:]
