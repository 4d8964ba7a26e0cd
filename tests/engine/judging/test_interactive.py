"""Interactive problems on the real engine, with real interactor processes: the bundled
guessing game's submissions earn their folders' verdicts, and each path of problemtools'
verdict order is reached by a real pair of programs: a submission that stops reading, one
that floods, one that closes its stdout early, an interactor that crashes (IE, never AC),
one that stops answering (IE), one that exits first with WA. The transcript records the
conversation; waiting on the interactor is not the submission's CPU time; Kattis packages
of both formats judge like grader's own problem."""

from __future__ import annotations

import shutil
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from filed import expected_verdict, filed_submissions
from interactive_packages import FORMAT_2025, LEGACY, kattis_guess
from paths import ROOT

from grader.judging.batch import grade_all
from grader.judging.interactive import TRANSCRIPT_CAP
from grader.judging.judge import Judge
from grader.model import MIB, CaseResult, ProgramFile, Report, RunResult, SubmissionResult, Verdict
from grader.problem import load
from grader.problem.grader_format import load_problem
from grader.sandbox.base import BoxSpec, RunSpec
from grader.submissions import discover
from grader.submissions.languages import load_languages

GUESS = ROOT / "problems" / "guess"
FILED = [sub.id for sub in filed_submissions(GUESS)]
BINARY = (GUESS / "submissions" / "accepted" / "binary.py").read_text()

pytestmark = pytest.mark.usefixtures("no_leaked_containers")


@pytest.fixture(scope="module")
def guess_report(sandbox: Any, image_tags: dict[str, str]) -> Iterator[Report]:
    judge = Judge(sandbox, load_problem(GUESS), image_tags)
    yield grade_all(judge, filed_submissions(GUESS), jobs=2)


def result_of(report: Report, submission: str) -> SubmissionResult:
    return next(r for r in report.submissions if r.id == submission)


@pytest.mark.parametrize("submission", FILED)
def test_guess_submission_earns_the_verdict_of_its_folder(
    guess_report: Report, submission: str
) -> None:
    result = result_of(guess_report, submission)
    assert result.verdict is expected_verdict(submission), [c.message for c in result.cases]


def test_transcript_records_both_directions_in_order(guess_report: Report) -> None:
    sample = result_of(guess_report, "accepted/binary").cases[0]
    lines = [line.split(None, 1)[1] for line in sample.transcript.splitlines()]
    assert lines == ["> 10 4", "< ? 5", "> >", "< ? 8", "> >", "< ? 9", "> >", "< ! 10"]


def test_interactor_judgemessage_is_the_case_message(guess_report: Report) -> None:
    case = result_of(guess_report, "wrong_answer/linear").cases[0]
    assert (case.verdict, case.message) == (Verdict.WA, "more than 4 questions")


def test_submission_crash_is_rte_with_its_stderr(guess_report: Report) -> None:
    case = result_of(guess_report, "run_time_error/crash").cases[0]
    assert case.verdict is Verdict.RTE and "cannot handle" in case.message


# ---- one interaction at a time ---------------------------------------------------------


@pytest.fixture
def interact(sandbox: Any, image_tags: dict[str, str], tmp_path: Path) -> Callable[..., Any]:
    """interact(submission code, interactor code or None for the guessing game's, time
    limit) -> the first case's result of a one-case guessing game."""

    def run(code: str, interactor: str | None = None, time_limit: float = 1) -> CaseResult:
        folder = tmp_path / "game"
        shutil.copytree(GUESS, folder, ignore=shutil.ignore_patterns("submissions"))
        if interactor is not None:
            (folder / "interactor" / "interact.py").write_text(textwrap.dedent(interactor))
        yaml = folder / "problem.yaml"
        text = yaml.read_text().replace("time: 1 ", f"time: {time_limit} ")
        text = text.replace("  memory: 64\n", "  memory: 64\n  output: 1\n")
        yaml.write_text(text[: text.index("  - name: one")])
        source = tmp_path / "submission.py"
        source.write_text(textwrap.dedent(code))
        [submission] = discover([source], load_languages())
        result = Judge(sandbox, load_problem(folder), image_tags).judge(submission)
        assert result.cases[0].verdict is not Verdict.SKIPPED, result.message
        return result.cases[0]

    return run


def test_submission_that_stops_reading_is_tle_at_the_interaction_wall_limit(
    interact: Callable[..., CaseResult],
) -> None:
    case = interact("input()\nprint('? 5', flush=True)\nimport time\ntime.sleep(60)\n")
    assert case.verdict is Verdict.TLE and "wall limit of 2 s" in case.message
    assert case.wall_time is not None and 1.9 < case.wall_time < 4


def test_submission_that_floods_without_newlines_is_ole(
    interact: Callable[..., CaseResult],
) -> None:
    started = time.monotonic()
    case = interact("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n")
    assert case.verdict is Verdict.OLE
    assert time.monotonic() - started < 20


def test_flood_transcript_is_cut_at_its_cap(interact: Callable[..., CaseResult]) -> None:
    case = interact("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n")
    assert TRANSCRIPT_CAP <= len(case.transcript) < TRANSCRIPT_CAP + 200
    assert case.transcript.endswith("[transcript cut at 64 KiB]")


def test_submission_that_floods_questions_is_wa_from_the_interactor_first(
    interact: Callable[..., CaseResult],
) -> None:
    code = "import sys, time\nsys.stdout.write('? 1\\n' * 100000)\nsys.stdout.flush()\n"
    case = interact(code + "time.sleep(60)\n")
    assert (case.verdict, case.message) == (Verdict.WA, "more than 4 questions")


def test_two_programs_flooding_each_other_are_relayed_whole(
    interact: Callable[..., CaseResult],
) -> None:
    echo = """
        import sys
        sys.stdout.write('x' * (900 << 10) + '\\n')
        sys.stdout.flush()
        sys.stdin.readline()
        sys.exit(42)
    """
    code = "import sys\nsys.stdout.write('y' * (900 << 10) + '\\n')\nsys.stdout.flush()\ninput()\n"
    case = interact(code, echo)
    assert case.verdict is Verdict.AC, case.message


def test_submission_closing_stdout_early_is_wa_from_the_interactor_reading_eof(
    interact: Callable[..., CaseResult],
) -> None:
    code = "import os, time\ninput()\nos.close(1)\ntime.sleep(60)\n"
    case = interact(code)
    assert (case.verdict, case.message) == (Verdict.WA, "the submission ended without an answer")


def test_crashing_interactor_is_ie_never_ac(interact: Callable[..., CaseResult]) -> None:
    crash = "print('10 4', flush=True)\ninput()\nraise RuntimeError('interactor bug')\n"
    case = interact(BINARY, crash)
    assert case.verdict is Verdict.IE and "interactor bug" in case.message


def test_interactor_exiting_first_with_wa_stands_over_the_submissions_crash(
    interact: Callable[..., CaseResult],
) -> None:
    quits = """
        import sys
        print('10 4', flush=True)
        open(sys.argv[3] + 'judgemessage.txt', 'w').write('rejected at once')
        sys.exit(43)
    """
    crash = "import time\ninput()\ntime.sleep(0.5)\nprint('? 5', flush=True)\ninput()\n"
    case = interact(crash, quits)
    assert (case.verdict, case.message) == (Verdict.WA, "rejected at once")


def test_interactor_that_stops_answering_is_ie(interact: Callable[..., CaseResult]) -> None:
    hangs = "import time\nprint('10 4', flush=True)\ninput()\ntime.sleep(60)\n"
    case = interact(BINARY, hangs)
    assert case.verdict is Verdict.IE and "interactor did not answer" in case.message


def test_waiting_on_the_interactor_is_not_cpu_time(interact: Callable[..., CaseResult]) -> None:
    slow = """
        import sys, time
        print('1 1', flush=True)
        time.sleep(1.2)
        print('go', flush=True)
        assert input() == '! 1'
        sys.exit(42)
    """
    case = interact("input()\ninput()\nprint('! 1', flush=True)\n", slow)
    assert case.verdict is Verdict.AC, case.message
    assert case.cpu_time is not None and case.cpu_time < 0.5
    assert case.wall_time is not None and case.wall_time > 1.2


# ---- Kattis packages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem_yaml", "validator"),
    [(LEGACY, "output_validators"), (FORMAT_2025, "output_validator")],
    ids=["legacy", "2025-09"],
)
def test_kattis_interactive_package_judges_its_submissions(
    sandbox: Any, image_tags: dict[str, str], tmp_path: Path, problem_yaml: str, validator: str
) -> None:
    folder = kattis_guess(tmp_path, problem_yaml, validator)
    problem, _ = load(folder)
    judge = Judge(sandbox, problem, image_tags)
    picked = [folder / "submissions" / f for f in ("accepted/binary.py", "wrong_answer/linear.py")]
    results = [judge.judge(sub) for sub in discover(picked, load_languages())]
    assert [r.verdict for r in results] == [Verdict.AC, Verdict.WA]


# ---- the streaming run underneath --------------------------------------------------------


def test_streaming_run_reports_its_end_on_the_hosts_monotonic_clock(
    sandbox: Any, image_tags: dict[str, str]
) -> None:
    """What orders the ends of an interaction's two programs: a box's exit instant is
    comparable with the host's (and so another box's) monotonic clock."""
    box_spec = BoxSpec(image=image_tags["python"], memory=128 * MIB)
    with sandbox.open(box_spec) as box:
        box.load([ProgramFile("echo.py", b"print(input())\n")])
        before = time.monotonic()
        stream = box.stream(RunSpec(argv=("python3", "echo.py"), cpu=2, wall=5))
        stream.write(b"hello\n")
        chunks = []
        while not isinstance(event := stream.read(), RunResult):
            chunks.append(event)
        after = time.monotonic()
    assert b"".join(chunks) == b"hello\n" and event.exit_code == 0
    assert event.ended_at is not None and before < event.ended_at < after
