"""Checker programs against a scripted sandbox: how each convention's exit codes, feedback
files and checker failures map to AC / WA / IE and points, and how the judge calls the
checker (compiled once per batch, one box per submission, the case's files per run)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from grader.errors import ProblemError
from grader.judging.batch import grade_all
from grader.judging.conventions import ANSWER, FEEDBACK, INPUT, OUTPUT, outcome
from grader.judging.judge import Judge
from grader.model import (
    CHECKER_LIMITS,
    CheckerProgram,
    CheckerSpec,
    Convention,
    KilledBy,
    Limits,
    Problem,
    ProgramFile,
    RunResult,
    Submission,
    TestCase,
    Verdict,
)
from grader.sandbox.base import RunSpec
from grader.sandbox.fake import FakeBox, FakeSandbox, ok_run
from grader.submissions.languages import load_languages

LANGUAGES = load_languages()
# Python as an interpreted language: these tests count the checker's compilations alone.
INTERPRETED = replace(LANGUAGES.get("python"), compile=None, check_only=False)
TAGS = {lang.image: f"grader-{lang.image}:test" for lang in LANGUAGES}


def program(
    convention: Convention = Convention.KATTIS,
    source: bytes = b"import sys\n",
    language: str = "python",
    **changes: object,
) -> CheckerProgram:
    name = "check.cpp" if language == "cpp" else "check.py"
    files = (ProgramFile(name, source),)
    checker = Submission("check", Path(name), LANGUAGES.get(language), files, name)
    return replace(CheckerProgram(checker, convention), **changes)  # type: ignore[arg-type]


def feedback(**files: bytes) -> tuple[ProgramFile, ...]:
    return tuple(ProgramFile(f"{FEEDBACK}/{name}.txt", data) for name, data in files.items())


def by_kattis(exit_code: int | None, **files: bytes) -> tuple[Verdict, float, str]:
    found = outcome(program(), ok_run(exit_code=exit_code, files=feedback(**files)))
    return found.verdict, found.share, found.message


def by_testlib(run: RunResult, presentation_error: Verdict = Verdict.WA) -> tuple[Verdict, float]:
    found = outcome(program(Convention.TESTLIB, presentation_error=presentation_error), run)
    return found.verdict, found.share


# ---- kattis ------------------------------------------------------------------------------


def test_kattis_42_is_ac_with_all_points() -> None:
    assert by_kattis(42)[:2] == (Verdict.AC, 1.0)


def test_kattis_43_is_wa_with_the_judge_message() -> None:
    assert by_kattis(43, judgemessage=b"1 + 7 = 8, not 7\n") == (
        Verdict.WA,
        0.0,
        "1 + 7 = 8, not 7",
    )


@pytest.mark.parametrize("code", [0, 1, 2, 44, 255])
def test_kattis_other_exit_codes_are_ie(code: int) -> None:
    verdict, share, message = by_kattis(code)
    assert (verdict, share) == (Verdict.IE, 0.0) and f"exited with {code}" in message


def test_kattis_ie_shows_judgeerror() -> None:
    assert "bad input file" in by_kattis(1, judgeerror=b"bad input file")[2]


def test_kattis_score_is_a_share_of_the_points() -> None:
    verdict, share, message = by_kattis(42, score=b"0.25\n", judgemessage=b"close")
    assert (verdict, share) == (Verdict.WA, 0.25) and message == "partial credit 0.25: close"


def test_kattis_score_of_one_is_ac() -> None:
    assert by_kattis(42, score=b"1")[:2] == (Verdict.AC, 1.0)


def test_kattis_score_is_ignored_on_wa() -> None:
    assert by_kattis(43, score=b"0.5")[:2] == (Verdict.WA, 0.0)


@pytest.mark.parametrize("score", [b"", b"abc", b"1.5", b"-0.1", b"nan", b"inf", b"\xff"])
def test_kattis_bad_score_is_ie(score: bytes) -> None:
    verdict, _, message = by_kattis(42, score=score)
    assert verdict is Verdict.IE and "score.txt" in message


def test_kattis_judge_message_is_capped() -> None:
    message = by_kattis(43, judgemessage=b"x" * 100_000)[2]
    assert len(message) < 1000 and message.endswith("...")


# ---- testlib -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [(0, (Verdict.AC, 1.0)), (1, (Verdict.WA, 0.0)), (3, (Verdict.IE, 0.0))],
)
def test_testlib_exit_codes(code: int, expected: tuple[Verdict, float]) -> None:
    assert by_testlib(ok_run(exit_code=code)) == expected


@pytest.mark.parametrize("code", [2, 4, 8])
def test_testlib_presentation_error_is_wa_by_default(code: int) -> None:
    assert by_testlib(ok_run(exit_code=code)) == (Verdict.WA, 0.0)


@pytest.mark.parametrize("code", [2, 4, 8])
def test_testlib_presentation_error_can_be_ac(code: int) -> None:
    assert by_testlib(ok_run(exit_code=code), Verdict.AC) == (Verdict.AC, 1.0)


@pytest.mark.parametrize("code", [5, 6, 42, 255])
def test_testlib_unknown_exit_codes_are_ie(code: int) -> None:
    assert by_testlib(ok_run(exit_code=code)) == (Verdict.IE, 0.0)


def test_testlib_message_is_the_checkers_stderr() -> None:
    run = ok_run(exit_code=1, stderr=b"wrong answer 1st numbers differ\n")
    found = outcome(program(Convention.TESTLIB), run)
    assert found.message == "wrong answer 1st numbers differ"


def test_testlib_points_on_stderr_are_a_share() -> None:
    run = ok_run(exit_code=7, stderr=b"points 0.5 half of the pairs\n")
    assert by_testlib(run) == (Verdict.WA, 0.5)


def test_testlib_points_on_stdout_count_too() -> None:
    assert by_testlib(ok_run(b"points 0.75\n", exit_code=7)) == (Verdict.WA, 0.75)


def test_testlib_full_points_are_ac() -> None:
    assert by_testlib(ok_run(exit_code=7, stderr=b"points 1.0000000000\n")) == (Verdict.AC, 1.0)


@pytest.mark.parametrize("said", [b"", b"half\n", b"points 2\n", b"points -1\n"])
def test_testlib_points_missing_or_out_of_range_are_ie(said: bytes) -> None:
    assert by_testlib(ok_run(exit_code=7, stderr=said)) == (Verdict.IE, 0.0)


# ---- a checker that fails is IE, never AC ------------------------------------------------


@pytest.mark.parametrize(
    ("run", "words"),
    [
        (ok_run(exit_code=42, start_error="python3: not found"), "could not run"),
        (ok_run(exit_code=42, killed_by=KilledBy.CPU, cpu_time=10.1), "CPU time"),
        (ok_run(exit_code=42, killed_by=KilledBy.WALL), "wall time"),
        (ok_run(exit_code=42, oom=True), "memory"),
        (ok_run(exit_code=42, memory_peak=600 << 20), "memory"),
        (ok_run(exit_code=42, killed_by=KilledBy.OUTPUT), "output"),
        (ok_run(exit_code=None, signal=11), "SIGSEGV"),
    ],
)
@pytest.mark.parametrize("convention", list(Convention))
def test_checker_failures_are_ie(run: RunResult, words: str, convention: Convention) -> None:
    accepting = 42 if convention is Convention.KATTIS else 0  # whatever the exit code says
    run = replace(run, exit_code=None if run.signal else accepting)
    found = outcome(program(convention), run)
    assert (found.verdict, found.share) == (Verdict.IE, 0.0) and words in found.message


def test_checker_failure_message_has_the_end_of_its_stderr() -> None:
    run = ok_run(exit_code=None, signal=6, stderr=b"x" * 10_000 + b"assertion failed")
    message = outcome(program(), run).message
    assert message.endswith("assertion failed") and len(message) < 1000


def test_runtime_allowance_is_added_to_the_checker_memory_limit() -> None:
    run = ok_run(exit_code=42, memory_peak=CHECKER_LIMITS.memory + (10 << 20))
    assert outcome(program(), run, allowance=64 << 20).verdict is Verdict.AC


# ---- the judge and a checker program -----------------------------------------------------


CASES = tuple(
    TestCase(f"c{i}", f"{i}\n".encode(), f"{i}\n".encode(), Limits(), points=2.0) for i in range(3)
)


class Script:
    """Submissions echo their input (or run as ``submission``); the checker accepts when the
    output equals the answer (as the files of its run say), or answers with ``checker``."""

    def __init__(
        self,
        checker: RunResult | None = None,
        *,
        compiles: bool = True,
        submission: RunResult | None = None,
    ) -> None:
        self.checker = checker
        self.compiles = compiles
        self.submission = submission
        self.compiled = 0
        self.lock = threading.Lock()

    def __call__(self, spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        if spec.collect and not spec.files:  # a compilation
            with self.lock:
                self.compiled += 1
            made = (ProgramFile("main", b"binary", 0o755),) if self.compiles else ()
            return ok_run(files=made, stderr=b"" if self.compiles else b"check.cpp:1: error")
        if not spec.files:  # the submission
            return self.submission or ok_run(spec.stdin)
        if self.checker is not None:
            return self.checker
        files = {f.path: f.data for f in spec.files}
        output = files.get(OUTPUT, spec.stdin)
        return ok_run(exit_code=42 if output == files[ANSWER] else 43)


def judged_by(script: Script, checker: CheckerProgram | None = None) -> tuple[Judge, FakeSandbox]:
    """A judge of a problem with a checker program, on a fake sandbox, and that sandbox."""
    spec = CheckerSpec("check (kattis)", {}, checker or program(language="cpp"))
    problem = Problem("p", "P", Path("."), Limits(), spec, CASES)
    sandbox = FakeSandbox(script)
    return Judge(sandbox, problem, TAGS), sandbox


def judge_for(script: Script, checker: CheckerProgram | None = None) -> Judge:
    return judged_by(script, checker)[0]


def submission(name: str = "alice") -> Submission:
    files = (ProgramFile(f"{name}.py", b"print(input())\n"),)
    return Submission(name, Path(f"{name}.py"), INTERPRETED, files, f"{name}.py")


def checker_boxes(sandbox: FakeSandbox) -> list[FakeBox]:
    return [box for box in sandbox.boxes if box.spec.purpose == "checker"]


def test_checker_program_decides_the_verdict() -> None:
    result = judge_for(Script()).judge(submission())
    assert (result.verdict, result.points) == (Verdict.AC, 6.0)


def test_partial_share_scales_the_cases_points() -> None:
    checker = ok_run(exit_code=42, files=feedback(score=b"0.5"))
    result = judge_for(Script(checker)).judge(submission())
    assert [c.points for c in result.cases] == [1.0, 1.0, 1.0]
    assert result.verdict is Verdict.WA


def test_checker_is_compiled_once_for_a_batch_on_many_threads() -> None:
    script = Script()
    judge = judge_for(script)
    report = grade_all(judge, [submission(f"s{i}") for i in range(8)], jobs=4)
    assert {r.verdict for r in report.submissions} == {Verdict.AC}
    assert script.compiled == 1  # the checker's; Python submissions compile nothing


def test_one_checker_box_per_submission_for_all_its_cases() -> None:
    judge, sandbox = judged_by(Script())
    judge.judge(submission())
    [box] = checker_boxes(sandbox)
    assert len(box.runs) == len(CASES)
    assert box.program[0].path == "main"  # the compiled checker


def test_no_checker_box_when_no_run_is_clean() -> None:
    judge, sandbox = judged_by(Script(submission=ok_run(killed_by=KilledBy.CPU)))
    assert judge.judge(submission()).verdict is Verdict.TLE
    assert checker_boxes(sandbox) == []


def test_kattis_run_gets_paths_args_and_the_output_on_stdin() -> None:
    judge, sandbox = judged_by(Script(), program(args=("--min", "0")))
    judge.judge(submission())
    run = checker_boxes(sandbox)[0].runs[0]
    assert run.argv[-5:] == (f"/box/{INPUT}", f"/box/{ANSWER}", f"/box/{FEEDBACK}/", "--min", "0")
    assert run.stdin == b"0\n" and run.collect and run.collect_dir == FEEDBACK
    assert {f.path: f.data for f in run.files} == {INPUT: b"0\n", ANSWER: b"0\n"}


def test_testlib_run_gets_the_output_as_a_file() -> None:
    judge, sandbox = judged_by(Script(), program(Convention.TESTLIB))
    judge.judge(submission())
    run = checker_boxes(sandbox)[0].runs[0]
    assert run.argv[-3:] == (f"/box/{INPUT}", f"/box/{OUTPUT}", f"/box/{ANSWER}")
    assert run.stdin == b"" and not run.collect
    assert {f.path for f in run.files} == {INPUT, OUTPUT, ANSWER}


def test_checker_runs_with_its_own_limits() -> None:
    limits = replace(CHECKER_LIMITS, time=3.0, wall=4.0, memory=256 << 20)
    judge, sandbox = judged_by(Script(), program(limits=limits))
    judge.judge(submission())
    [box] = checker_boxes(sandbox)
    assert (box.runs[0].cpu, box.runs[0].wall) == (3.0, 4.0)
    assert box.spec.memory > 256 << 20


def test_checker_that_does_not_compile_is_a_problem_error() -> None:
    judge = judge_for(Script(compiles=False))
    assert judge.program_checker is not None
    with pytest.raises(ProblemError, match="does not compile"):
        judge.program_checker.compiled()


def test_checker_that_does_not_compile_makes_the_batch_ie_and_compiles_once() -> None:
    script = Script(compiles=False)
    report = grade_all(judge_for(script), [submission("a"), submission("b")], jobs=2)
    assert [r.verdict for r in report.submissions] == [Verdict.IE, Verdict.IE]
    assert "does not compile" in report.submissions[0].message
    assert script.compiled == 1


def test_cache_identity_changes_with_the_checker_source() -> None:
    first = judge_for(Script(), program(source=b"v1")).checker_identity
    second = judge_for(Script(), program(source=b"v2")).checker_identity
    assert first != second
    assert judge_for(Script(), program(source=b"v1")).checker_identity == first


def test_cache_identity_changes_with_the_convention_and_args() -> None:
    base = judge_for(Script(), program()).checker_identity
    assert judge_for(Script(), program(Convention.TESTLIB)).checker_identity != base
    assert judge_for(Script(), program(args=("x",))).checker_identity != base
