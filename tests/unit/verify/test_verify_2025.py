"""``grader verify`` on a 2025-09 package against a scripted sandbox: the version's
submission folders as rules over every case's verdict (``rejected/`` any failure,
``brute_force/`` judged too), the time limit rounded up to ``time_resolution``,
``time_limit_exceeded/`` judged at limit x ``time_limit_to_tle``, and what a submission
breaks said in the listing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest
from trees import write_tree

from grader.errors import ProblemError
from grader.judging.judge import Judge
from grader.model import KilledBy, Problem, ProgramFile, RunResult, Verdict
from grader.problem.expectations import FOLDERS_2025
from grader.problem.kattis import load_package
from grader.sandbox.base import RunSpec
from grader.sandbox.fake import FakeSandbox, ok_run
from grader.submissions.languages import load_languages
from grader.verify import Verification, locally, verification_lines, verify

TABLE = load_languages()
TAGS = {"python": "grader-python:test"}
HEAD = "problem_format_version: 2025-09\nname: Echo\nuuid: 7e1f\n"
SOURCES = {
    "accepted/echo.py": "echo",
    "accepted/steady.py": "steady",
    "wrong_answer/second.py": "wa-on-2",
    "time_limit_exceeded/slow.py": "slow-on-2",
    "run_time_error/crash.py": "crash-on-2",
    "rejected/crash.py": "crash",
    "brute_force/slow.py": "slow-on-2",
}


CASES = {"data/sample/1.in": "1\n", "data/sample/1.ans": "1\n"}
CASES |= {"data/secret/2.in": "2\n", "data/secret/2.ans": "2\n"}


def write_package(tmp_path: Path, yaml: str = "", sources: dict[str, str] | None = None) -> Path:
    """Package ``echo`` (a sample and a secret case) with ``sources`` under submissions/."""
    filed = {f"submissions/{name}": text for name, text in (sources or SOURCES).items()}
    return write_tree(tmp_path / "echo", {"problem.yaml": HEAD + yaml, **CASES, **filed})


RUNS = {  # what each kind of program does on a case
    "slow": lambda spec: ok_run(b"", cpu_time=spec.cpu + 0.5, killed_by=KilledBy.CPU),
    "wa": lambda spec: ok_run(b"nope\n"),
    "crash": lambda spec: ok_run(b"", exit_code=1),
    "oom": lambda spec: ok_run(b"", exit_code=None, signal=9, oom=True),
    "echo": lambda spec: ok_run(spec.stdin),
}


class Scripted:
    """A judge factory whose sandbox plays each program by its source text (``RUNS``;
    ``steady`` echoes slowly): ``x-on-2`` does ``x`` on the case with input 2 only."""

    def __init__(self, steady_cpu: float = 0.3) -> None:
        self.steady = lambda spec: ok_run(spec.stdin, cpu_time=steady_cpu)
        self.limits: defaultdict[str, list[float]] = defaultdict(list)  # source -> CPU limits

    def script(self, spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        if spec.collect:  # Python's syntax check: every program here compiles
            return ok_run()
        source = program[0].data.decode()
        self.limits[source].append(spec.cpu)
        kind, _, only = source.partition("-on-")
        if only and spec.stdin.strip() != only.encode():
            kind = "echo"
        return RUNS.get(kind, self.steady)(spec)

    def judge_for(self, problem: Problem) -> Judge:
        return Judge(FakeSandbox(self.script), problem, TAGS)


def verified(root: Path, scripted: Scripted | None = None) -> Verification:
    package = load_package(root)
    return verify(package.problem, package, locally((scripted or Scripted()).judge_for), TABLE)


def test_every_folder_of_the_version_is_judged_and_met(tmp_path: Path) -> None:
    checked = verified(write_package(tmp_path))
    assert checked.mismatches == () and checked.ignored == ()
    assert {f.folder for f, _ in checked.results} == set(FOLDERS_2025)
    assert "all 7 submissions earn their folder's verdict" in verification_lines(checked)[-1]


def test_the_limit_is_rounded_up_to_the_time_resolution(tmp_path: Path) -> None:
    root = write_package(tmp_path, "limits: {time_resolution: 0.5}\n")
    checked = verified(root, Scripted(steady_cpu=0.2))
    assert checked.timing.limit == 0.5  # 0.2 s x 2 = 0.4, up to a multiple of 0.5
    assert "0.200 s x 2, rounded up to a multiple of 0.5 s" in checked.timing.describe()


def test_tle_submissions_are_judged_at_limit_times_time_limit_to_tle(tmp_path: Path) -> None:
    scripted = Scripted(steady_cpu=0.1)
    yaml = "limits:\n  time_multipliers: {time_limit_to_tle: 3}\n"
    verified(write_package(tmp_path, yaml), scripted)
    assert set(scripted.limits["slow-on-2"]) == {1.0, 3.0}  # brute_force at 1 s, TLE at 3 s
    assert set(scripted.limits["wa-on-2"]) == {1.0}


def test_a_wrong_answer_that_also_crashes_breaks_its_folder(tmp_path: Path) -> None:
    sources = {"accepted/echo.py": "echo", "wrong_answer/crash.py": "crash-on-2"}
    checked = verified(write_package(tmp_path, sources=sources))
    text = "\n".join(verification_lines(checked))
    assert [f.submission.id for f, _ in checked.mismatches] == ["wrong_answer/crash"]
    assert (
        "wrong_answer/ expects every case AC or WA, some case WA, got RTE on case secret/2" in text
    )


def test_a_rejected_submission_that_passes_breaks_its_folder(tmp_path: Path) -> None:
    checked = verified(
        write_package(tmp_path, sources={"rejected/echo.py": "echo", "accepted/a.py": "echo"})
    )
    text = "\n".join(verification_lines(checked))
    assert "rejected/ expects some case WA or TLE or RTE, got AC, no case WA or TLE or RTE" in text


def test_memory_limit_exceeded_counts_as_a_run_time_error(tmp_path: Path) -> None:
    sources = {"accepted/echo.py": "echo", "run_time_error/oom.py": "oom-on-2"}
    checked = verified(write_package(tmp_path, sources=sources))
    (_, result), *_ = [(f, r) for f, r in checked.results if f.folder == "run_time_error"]
    assert result.verdict is Verdict.MLE and checked.mismatches == ()


def with_rules(tmp_path: Path, yaml: str, sources: dict[str, str]) -> Path:
    root = write_package(tmp_path, sources={"accepted/echo.py": "echo", **sources})
    (root / "submissions" / "submissions.yaml").write_text(yaml)
    return root


def test_submissions_yaml_can_redefine_a_folder(tmp_path: Path) -> None:
    yaml = "wrong_answer:\n  permitted: [AC, WA, RTE]\n  required: [WA, RTE]\n"
    root = with_rules(tmp_path, yaml, {"wrong_answer/crash.py": "crash-on-2"})
    checked = verified(root)
    assert checked.mismatches == () and checked.ignored == ()


def test_a_redefined_folder_keeps_the_keys_it_does_not_give(tmp_path: Path) -> None:
    yaml = "wrong_answer:\n  permitted: [AC, WA, RTE]\n"
    root = with_rules(tmp_path, yaml, {"wrong_answer/crash.py": "crash-on-2"})
    line = verification_lines(verified(root))[-1]
    assert "expects every case AC or WA or RTE, some case WA, got RTE, no case WA" in line


def test_a_submissions_yaml_pattern_files_a_folder_of_another_name(tmp_path: Path) -> None:
    yaml = "slow/*:\n  permitted: [AC, TLE]\n  required: [TLE]\n  authors: Ann\n"
    scripted = Scripted()
    checked = verified(with_rules(tmp_path, yaml, {"slow/a.py": "slow-on-2"}), scripted)
    assert [f.submission.id for f, _ in checked.results] == ["accepted/echo", "slow/a"]
    assert checked.mismatches == () and scripted.limits["slow-on-2"] == [1.5, 1.5]


def test_a_submissions_yaml_pattern_adds_to_the_folder_rule(tmp_path: Path) -> None:
    yaml = "rejected/crash.py:\n  required: [WA]\n"
    checked = verified(with_rules(tmp_path, yaml, {"rejected/crash.py": "crash"}))
    line = verification_lines(checked)[-1]
    assert "expects some case WA or TLE or RTE, some case WA, got RTE, no case WA" in line


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("accepted:\n  language: python\n", "line 1: accepted.language: choosing a submission"),
        ("accepted:\n  score: 10\n", "accepted.score: expected scores are not supported"),
        ("a/x.py:\n  secret:\n    permitted: [AC]\n", "requirements for test data groups"),
        ("'{a,b}/x.py':\n  permitted: [AC]\n", "patterns with **, [...] or {...}"),
        ("accepted:\n  permitted: [MLE]\n", "accepted.permitted: expected a sequence of AC"),
    ],
)
def test_what_submissions_yaml_cannot_say_here_is_an_error(
    tmp_path: Path, yaml: str, message: str
) -> None:
    with pytest.raises(ProblemError) as caught:
        verified(with_rules(tmp_path, yaml, {}))
    assert "submissions.yaml" in str(caught.value) and message in str(caught.value)
