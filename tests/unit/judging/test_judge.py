"""Judge and batch logic against a scripted sandbox: verdicts, scores, faults kept local."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from grader.errors import SandboxError
from grader.judging.batch import grade_all
from grader.judging.judge import Judge, JudgeContext, JudgeOptions
from grader.judging.scoring import overall
from grader.model import (
    CaseResult,
    CheckerSpec,
    Limits,
    Problem,
    ProgramFile,
    RunResult,
    Submission,
    Verdict,
)
from grader.model import TestCase as Case
from grader.sandbox.base import RunSpec
from grader.sandbox.fake import FakeSandbox, ok_run
from grader.submissions.languages import load_languages

# Python as an interpreted language: these tests count the run boxes and runs alone.
PYTHON = replace(load_languages().get("python"), compile=None, check_only=False)
TAGS = {"python": "grader-python:test"}


def problem(n: int = 3) -> Problem:
    limits = Limits()
    cases = tuple(Case(f"c{i}", f"{i}\n".encode(), f"{i}\n".encode(), limits) for i in range(n))
    return Problem("p", "P", Path("."), limits, CheckerSpec(), cases)


def submission(name: str = "alice", reason: str = "") -> Submission:
    files = (ProgramFile(f"{name}.py", b"print(input())\n"),)
    return Submission(name, Path(f"{name}.py"), PYTHON, files, f"{name}.py", reason)


def echo(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
    return ok_run(spec.stdin)


def judged(
    script: object, options: JudgeOptions | None = None, context: JudgeContext | None = None
) -> tuple[Judge, FakeSandbox]:
    """A judge of ``problem()`` on a fake sandbox running ``script``, and that sandbox."""
    sandbox = FakeSandbox(script)  # type: ignore[arg-type]
    return Judge(sandbox, problem(), TAGS, options, context), sandbox


def judge_with(
    script: object, options: JudgeOptions | None = None, context: JudgeContext | None = None
) -> Judge:
    return judged(script, options, context)[0]


def test_all_cases_correct_is_ac_with_full_score() -> None:
    result = judge_with(echo).judge(submission())
    assert (result.verdict, result.score) == (Verdict.AC, 1.0)


def test_verdict_is_the_first_failing_case() -> None:
    def script(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        if spec.stdin == b"1\n":
            return ok_run(b"wrong\n")
        if spec.stdin == b"2\n":
            return ok_run(exit_code=1)
        return ok_run(spec.stdin)

    result = judge_with(script).judge(submission())
    assert [c.verdict for c in result.cases] == [Verdict.AC, Verdict.WA, Verdict.RTE]
    assert result.verdict is Verdict.WA


def test_score_is_the_share_of_cases_passed() -> None:
    def script(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        return ok_run(spec.stdin if spec.stdin != b"0\n" else b"x")

    assert round(judge_with(script).judge(submission()).score, 3) == 0.667


def test_wrong_answer_message_says_where() -> None:
    result = judge_with(lambda spec, program: ok_run(b"41\n")).judge(submission())
    assert "expected '0'" in result.cases[0].message and "got '41'" in result.cases[0].message


def test_cases_run_in_one_box_with_the_program_loaded_once() -> None:
    judge, sandbox = judged(echo)
    judge.judge(submission())
    assert len(sandbox.boxes) == 1 and len(sandbox.boxes[0].runs) == 3
    assert sandbox.boxes[0].program[0].path == "alice.py"


def test_run_gets_the_case_limits() -> None:
    judge, sandbox = judged(echo)
    judge.judge(submission())
    run = sandbox.boxes[0].runs[0]
    assert (run.cpu, run.wall, run.argv) == (1.0, 3.0, ("python3", "alice.py"))


def test_unsupported_submission_is_ce_without_a_sandbox() -> None:
    judge, sandbox = judged(echo)
    result = judge.judge(submission(reason="unsupported language (.rb)"))
    assert result.verdict is Verdict.CE and "unsupported" in result.message
    assert sandbox.boxes == []
    assert {c.verdict for c in result.cases} == {Verdict.SKIPPED}


def test_sandbox_failure_is_ie_for_that_submission() -> None:
    def broken(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        raise SandboxError("engine went away")

    result = judge_with(broken).judge(submission())
    assert result.verdict is Verdict.IE and "engine went away" in result.message


def test_program_that_cannot_start_is_ie() -> None:
    result = judge_with(lambda s, p: ok_run(start_error="python3: not found")).judge(submission())
    assert result.verdict is Verdict.IE


def test_stop_on_failure_skips_the_rest() -> None:
    judge = judge_with(lambda s, p: ok_run(b"x"), JudgeOptions(stop_on_failure=True))
    verdicts = [c.verdict for c in judge.judge(submission()).cases]
    assert verdicts == [Verdict.WA, Verdict.SKIPPED, Verdict.SKIPPED]


def test_overall_ignores_skipped_cases() -> None:
    cases = [CaseResult("a", Verdict.AC, 1.0), CaseResult("b", Verdict.SKIPPED)]
    assert overall(cases) == (Verdict.AC, 1.0)


def test_one_broken_submission_does_not_stop_the_batch() -> None:
    def script(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        if program[0].path == "bad.py":
            raise RuntimeError("unexpected")
        return ok_run(spec.stdin)

    subs = [submission("bad"), submission("good")]
    report = grade_all(judge_with(script), subs, jobs=2)
    assert [r.verdict for r in report.submissions] == [Verdict.IE, Verdict.AC]
    assert report.complete


def test_batch_keeps_the_input_order() -> None:
    subs = [submission(f"s{i}") for i in range(6)]
    report = grade_all(judge_with(echo), subs, jobs=3)
    assert [r.id for r in report.submissions] == [s.id for s in subs]


def test_cancelled_batch_is_incomplete_and_marks_the_rest() -> None:
    context = JudgeContext()
    context.cancelled.set()
    report = grade_all(judge_with(echo, context=context), [submission()], jobs=1)
    assert not report.complete
    assert report.submissions[0].verdict is Verdict.IE


def test_language_time_multiplier_scales_the_limits() -> None:
    slow = replace(problem(1), time_multipliers={"python": 2.0})
    sandbox = FakeSandbox(lambda spec, p: ok_run(spec.stdin, cpu_time=1.5))
    result = Judge(sandbox, slow, TAGS).judge(submission())
    run = sandbox.boxes[0].runs[0]
    assert (run.cpu, run.wall, result.verdict) == (2.0, 6.0, Verdict.AC)


def test_other_languages_keep_the_limit() -> None:
    slow = replace(problem(1), time_multipliers={"java": 2.0})
    judge = Judge(FakeSandbox(lambda spec, p: ok_run(spec.stdin, cpu_time=1.5)), slow, TAGS)
    assert judge.judge(submission()).verdict is Verdict.TLE


def test_ie_waits_for_the_sandbox_to_recover_then_retries_once() -> None:
    attempts: list[str] = []

    def flaky(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        attempts.append(program[0].path)
        if len(attempts) == 1:
            raise SandboxError("engine restarting")
        return ok_run(spec.stdin)

    judge, sandbox = judged(flaky)
    report = grade_all(judge, [submission()], jobs=1)
    assert report.submissions[0].verdict is Verdict.AC
    assert sandbox.recoveries == 1


def test_no_retry_when_the_sandbox_does_not_recover() -> None:
    def broken(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        raise SandboxError("engine gone")

    judge, sandbox = judged(broken)
    sandbox.recover = lambda timeout: False  # type: ignore[method-assign]
    report = grade_all(judge, [submission()], jobs=1)
    assert report.submissions[0].verdict is Verdict.IE
    assert len(sandbox.boxes) == 1
