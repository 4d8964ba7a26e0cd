"""Checker programs with a real engine: the example problems' submissions earn their
folders' verdicts, and a checker that crashes, loops, runs out of memory or exits with an
unknown code makes the case IE (never AC); judge messages, partial credit and presentation
errors reach the case; and a checker sees only its own case, in a fresh /box every run."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from filed import expected_verdict, filed_submissions
from paths import ROOT

from grader.errors import ExitCode
from grader.judging.batch import grade_all
from grader.judging.judge import Judge
from grader.model import Report, SubmissionResult, Verdict
from grader.problem.grader_format import load_problem
from grader.submissions import discover
from grader.submissions.languages import load_languages

EXAMPLES = ("float-tolerance", "kattis-validator", "testlib-checker")
FILED = [(name, sub.id) for name in EXAMPLES for sub in filed_submissions(ROOT / "problems" / name)]
ECHO = "import sys\nsys.stdout.write(sys.stdin.read())\n"

pytestmark = pytest.mark.usefixtures("no_leaked_containers")


@pytest.fixture(scope="module")
def graded(sandbox: Any, image_tags: dict[str, str]) -> Iterator[Callable[[str], Report]]:
    """Each example problem's filed submissions, graded once for the module."""
    reports: dict[str, Report] = {}

    def grade(name: str) -> Report:
        if name not in reports:
            folder = ROOT / "problems" / name
            judge = Judge(sandbox, load_problem(folder), image_tags)
            reports[name] = grade_all(judge, filed_submissions(folder), jobs=4)
        return reports[name]

    yield grade


def result_of(report: Report, submission: str) -> SubmissionResult:
    return next(r for r in report.submissions if r.id == submission)


def messages(result: SubmissionResult) -> list[str]:
    return [result.message, result.compile_log[-300:], *(c.message for c in result.cases)]


# ---- the examples ------------------------------------------------------------------------


@pytest.mark.parametrize(("problem", "submission"), FILED, ids=[f"{p}:{s}" for p, s in FILED])
def test_example_earns_the_verdict_of_its_folder(
    graded: Callable[[str], Report], problem: str, submission: str
) -> None:
    result = result_of(graded(problem), submission)
    assert result.verdict is expected_verdict(submission), messages(result)


@pytest.mark.parametrize("problem", EXAMPLES)
def test_examples_have_python_and_c_or_cpp_in_each_folder(problem: str) -> None:
    by_folder: dict[str, set[str]] = {}
    for sub in filed_submissions(ROOT / "problems" / problem):
        assert sub.language is not None
        by_folder.setdefault(sub.id.split("/")[0], set()).add(sub.language.key)
    assert set(by_folder) == {"accepted", "wrong_answer"}
    for languages in by_folder.values():
        assert "python" in languages and languages & {"c", "cpp"}, languages


def test_judge_message_is_the_case_message(graded: Callable[[str], Report]) -> None:
    result = result_of(graded("kattis-validator"), "wrong_answer/off_by_one")
    assert result.cases[0].message == "1 + 7 = 8, not 7"


def test_kattis_args_reach_the_checker(graded: Callable[[str], Report]) -> None:
    result = result_of(graded("kattis-validator"), "wrong_answer/negative_cpp")
    assert result.cases[0].message == "-1 is below the minimum 0"


def test_testlib_presentation_error_is_wa_by_default(graded: Callable[[str], Report]) -> None:
    result = result_of(graded("testlib-checker"), "wrong_answer/one_per_line_c")
    first = result.cases[0]
    assert first.verdict is Verdict.WA and first.message.startswith("presentation error")


def test_testlib_presentation_error_can_be_accepted(
    sandbox: Any, image_tags: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "testlib-checker"
    shutil.copytree(ROOT / "problems" / "testlib-checker", folder)
    yaml = folder / "problem.yaml"
    yaml.write_text(yaml.read_text().replace("presentation_error: wa", "presentation_error: ac"))
    judge = Judge(sandbox, load_problem(folder), image_tags)
    [submission] = discover(
        [folder / "submissions" / "wrong_answer" / "one_per_line_c.c"], load_languages()
    )
    result = judge.judge(submission)
    assert result.verdict is Verdict.AC, messages(result)
    assert result.points == result.max_points


# ---- checkers that misbehave, and what checkers see --------------------------------------


def problem_with_checker(
    tmp_path: Path, code: str, convention: str = "kattis", extra: str = "", stdins: int = 1
) -> Path:
    folder = tmp_path / "problem"
    folder.mkdir()
    (folder / "check.py").write_text(textwrap.dedent(code))
    cases = "".join(
        f'  - name: case{i}\n    stdin: "input {i}\\n"\n    expected_output: "answer {i}\\n"\n'
        f"    points: 4\n"
        for i in range(stdins)
    )
    (folder / "problem.yaml").write_text(
        f"name: custom\nchecker:\n  program: check.py\n  convention: {convention}\n"
        f"{extra}tests:\n{cases}"
    )
    return folder


def grade_echo(sandbox: Any, image_tags: dict[str, str], folder: Path) -> SubmissionResult:
    source = folder.parent / "echo.py"
    source.write_text(ECHO)
    [submission] = discover([source], load_languages())
    return Judge(sandbox, load_problem(folder), image_tags).judge(submission)


@pytest.fixture
def grade(sandbox: Any, image_tags: dict[str, str], tmp_path: Path) -> Callable[..., Any]:
    """grade(checker code, convention, extra YAML, cases) -> the echo submission's result."""

    def run(code: str, convention: str = "kattis", extra: str = "", cases: int = 1) -> Any:
        folder = problem_with_checker(tmp_path, code, convention, extra, cases)
        return grade_echo(sandbox, image_tags, folder)

    return run


def test_crashing_checker_is_ie_with_its_traceback(grade: Callable[..., Any]) -> None:
    result = grade("raise RuntimeError('checker bug')\n")
    case = result.cases[0]
    assert (case.verdict, case.points) == (Verdict.IE, 0.0)
    assert "exited with 1" in case.message and "RuntimeError: checker bug" in case.message


def test_checker_killed_by_a_signal_is_ie(grade: Callable[..., Any]) -> None:
    code = "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"
    case = grade(code, "testlib").cases[0]
    assert case.verdict is Verdict.IE and "SIGSEGV" in case.message


def test_looping_checker_is_ie_within_its_time_limit(grade: Callable[..., Any]) -> None:
    started = time.monotonic()
    case = grade("while True: pass\n", extra="  limits: {time: 1}\n").cases[0]
    assert case.verdict is Verdict.IE and "CPU time over the 1 s limit" in case.message
    assert time.monotonic() - started < 15


def test_sleeping_checker_is_ie_at_its_wall_limit(grade: Callable[..., Any]) -> None:
    code = "import time\ntime.sleep(60)\n"
    case = grade(code, extra="  limits: {time: 1, wall: 2}\n").cases[0]
    assert case.verdict is Verdict.IE and "wall time" in case.message


def test_checker_over_its_memory_limit_is_ie(grade: Callable[..., Any]) -> None:
    code = "x = bytearray(200 << 20)\nraise SystemExit(42)\n"
    case = grade(code, extra="  limits: {memory: 64}\n").cases[0]
    assert case.verdict is Verdict.IE and "memory" in case.message


@pytest.mark.parametrize(("convention", "code"), [("kattis", 0), ("kattis", 1), ("testlib", 5)])
def test_unknown_exit_code_is_ie(grade: Callable[..., Any], convention: str, code: int) -> None:
    case = grade(f"raise SystemExit({code})\n", convention).cases[0]
    assert case.verdict is Verdict.IE and f"exited with {code}" in case.message


def test_kattis_score_gives_partial_credit(grade: Callable[..., Any]) -> None:
    code = """
        import sys
        open(sys.argv[3] + 'score.txt', 'w').write('0.25\\n')
        open(sys.argv[3] + 'judgemessage.txt', 'w').write('one pair of four')
        sys.exit(42)
    """
    result = grade(code)
    case = result.cases[0]
    assert (case.verdict, case.points, case.max_points) == (Verdict.WA, 1.0, 4.0)
    assert case.message == "partial credit 0.25: one pair of four"
    assert result.points == 1.0


def test_testlib_points_give_partial_credit(grade: Callable[..., Any]) -> None:
    code = "import sys\nsys.stderr.write('points 0.5 half right\\n')\nsys.exit(7)\n"
    case = grade(code, "testlib").cases[0]
    assert (case.verdict, case.points) == (Verdict.WA, 2.0)
    assert "half right" in case.message


SPY = """
    import os, sys
    def listing(top):
        found = (os.path.join(r, f) for r, _, fs in os.walk(top) for f in fs)
        return sorted(os.path.relpath(path, top) for path in found)
    feedback = sys.argv[3]
    seen = f"{listing('/box')} {os.listdir('/tmp')} {open(sys.argv[1]).read().strip()}"
    open(feedback + 'judgemessage.txt', 'w').write(seen)
    for path in (feedback + 'left.txt', '/box/left.txt', '/tmp/left.txt'):
        open(path, 'w').write('left by ' + sys.argv[1])
    sys.exit(42)
"""


def test_checker_sees_only_its_own_case_in_a_fresh_box(grade: Callable[..., Any]) -> None:
    result = grade(SPY, cases=3)
    assert [c.verdict for c in result.cases] == [Verdict.AC] * 3
    for index, case in enumerate(result.cases):
        own = "['.grader/answer', '.grader/input', 'check.py']"
        assert case.message == f"{own} [] input {index}", case.message


def test_checker_that_does_not_compile_stops_the_run_with_exit_4(
    docker_client: Any, tmp_path: Path
) -> None:
    folder = problem_with_checker(tmp_path, "", "testlib")
    (folder / "check.py").unlink()
    (folder / "check.cpp").write_text("int main() { return undeclared; }\n")
    yaml = folder / "problem.yaml"
    yaml.write_text(yaml.read_text().replace("check.py", "check.cpp"))
    (tmp_path / "echo.py").write_text(ECHO)
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "grader", "run", str(folder), str(tmp_path / "echo.py")]
    command += ["--json", str(report), "--no-cache"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == ExitCode.USAGE_ERROR, done.stderr
    assert "does not compile" in done.stderr and "undeclared" in done.stderr
    assert "Traceback" not in done.stderr and not report.exists()
