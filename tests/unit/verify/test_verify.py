"""``grader verify`` and time-limit derivation against a scripted sandbox: the limit from
the slowest accepted submission, TLE submissions judged with the safety margin, and every
submission whose verdict differs from its folder listed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from grader.errors import NoSubmissionsError, ProblemError
from grader.judging.judge import Judge
from grader.model import Problem, ProgramFile, RunResult
from grader.problem.grader_format import load_problem
from grader.problem.kattis import load_package
from grader.sandbox.base import RunSpec
from grader.sandbox.fake import FakeSandbox, ok_run
from grader.submissions.languages import load_languages
from grader.verify import calibrate, filed_submissions, locally, verification_lines, verify

TABLE = load_languages()
TAGS = {"python": "grader-python:test"}
SOURCES = {
    "submissions/accepted/fast.py": "fast",
    "submissions/accepted/steady.py": "steady",
    "submissions/wrong_answer/wa.py": "wa",
    "submissions/time_limit_exceeded/slow.py": "slow",
    "submissions/brute_force/other.py": "fast",
}


def write_package(tmp_path: Path, yaml: str = "name: Echo\n") -> Path:
    root = tmp_path / "echo"
    texts = {
        "problem.yaml": yaml,
        "data/sample/1.in": "1\n",
        "data/sample/1.ans": "1\n",
        "data/secret/1.in": "2\n",
        "data/secret/1.ans": "2\n",
        **SOURCES,
    }
    for name, text in texts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


class Recorder:
    """A judge factory whose sandbox plays each program by its source text."""

    def __init__(self, steady_cpu: float = 0.3) -> None:
        self.steady_cpu = steady_cpu
        self.limits: dict[str, list[float]] = {}

    def script(self, spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        if spec.collect:  # Python's syntax check: every program here compiles
            return ok_run()
        kind = program[0].data.decode()
        self.limits.setdefault(kind, []).append(spec.cpu)
        if kind == "slow":
            return ok_run(spec.stdin, cpu_time=spec.cpu + 0.5)
        if kind == "wa":
            return ok_run(b"nope\n")
        cpu = self.steady_cpu if kind == "steady" else 0.01
        return ok_run(spec.stdin, cpu_time=cpu)

    def judge_for(self, problem: Problem) -> Judge:
        return Judge(FakeSandbox(self.script), problem, TAGS)


def test_the_time_limit_is_the_slowest_accepted_times_the_multiplier(tmp_path: Path) -> None:
    recorder = Recorder(steady_cpu=0.3)
    timing = calibrate(load_package(write_package(tmp_path)), locally(recorder.judge_for), TABLE)
    assert timing.limit == 2.0  # 0.3 s x 5 = 1.5, rounded up
    assert "slowest accepted case 0.300 s x 5" in timing.describe()
    assert set(recorder.limits["steady"]) == {10.0}  # timed with the calibration limit


def test_a_given_time_limit_runs_nothing_to_calibrate(tmp_path: Path) -> None:
    recorder = Recorder()
    timing = calibrate(
        load_package(write_package(tmp_path, "limits: {time_limit: 3}\n")),
        locally(recorder.judge_for),
        TABLE,
    )
    assert (timing.limit, timing.tle_limit) == (3.0, 6.0) and recorder.limits == {}


def test_every_filed_submission_earning_its_verdict_passes(tmp_path: Path) -> None:
    root = write_package(tmp_path)
    recorder = Recorder(steady_cpu=0.1)
    checked = verify(
        load_package(root).problem, load_package(root), locally(recorder.judge_for), TABLE
    )
    assert checked.mismatches == ()
    assert [f.submission.id for f, _ in checked.results] == [
        "accepted/fast",
        "accepted/steady",
        "time_limit_exceeded/slow",
        "wrong_answer/wa",
    ]
    assert checked.ignored == ("brute_force",)
    assert checked.problem.limits.time == 1.0
    lines = verification_lines(checked)
    assert "all 4 submissions earn their folder's verdict" in lines[-1]
    assert "(submissions/brute_force/ names no verdict: not judged)" in "\n".join(lines)


def test_tle_submissions_are_judged_with_the_safety_margin(tmp_path: Path) -> None:
    root = write_package(tmp_path, "limits: {time_safety_margin: 3}\n")
    recorder = Recorder(steady_cpu=0.1)
    verify(load_package(root).problem, load_package(root), locally(recorder.judge_for), TABLE)
    assert set(recorder.limits["slow"]) == {3.0}  # 1 s limit x margin 3
    assert set(recorder.limits["wa"]) == {1.0}


def test_a_submission_in_the_wrong_folder_is_listed(tmp_path: Path) -> None:
    root = write_package(tmp_path)
    (root / "submissions/wrong_answer/wa.py").rename(root / "submissions/accepted/wa.py")
    checked = verify(
        load_package(root).problem, load_package(root), locally(Recorder().judge_for), TABLE
    )
    assert [f.submission.id for f, _ in checked.mismatches] == ["accepted/wa"]
    text = "\n".join(verification_lines(checked))
    assert "1 of 4 do not earn their folder's verdict:" in text
    assert "submissions/accepted/wa.py: accepted/ expects AC, got WA on case sample/1" in text


def test_no_accepted_submission_passing_means_no_limit(tmp_path: Path) -> None:
    root = write_package(tmp_path)
    for name in ("fast", "steady"):
        (root / f"submissions/accepted/{name}.py").write_text("wa")
    with pytest.raises(ProblemError, match="no accepted submission passed"):
        calibrate(load_package(root), locally(Recorder().judge_for), TABLE)


def test_no_time_limit_and_no_accepted_folder_is_an_error(tmp_path: Path) -> None:
    root = write_package(tmp_path)
    for path in sorted((root / "submissions/accepted").iterdir()):
        path.unlink()
    (root / "submissions/accepted").rmdir()
    with pytest.raises(ProblemError, match="no submissions/accepted/"):
        calibrate(load_package(root), locally(Recorder().judge_for), TABLE)


def test_a_grader_problem_is_verified_at_its_own_limit(tmp_path: Path) -> None:
    root = tmp_path / "native"
    (root / "submissions" / "accepted").mkdir(parents=True)
    (root / "problem.yaml").write_text(
        'limits: {time: 2}\ntests:\n  - {stdin: "1", expected_output: "1"}\n'
    )
    (root / "submissions" / "accepted" / "a.py").write_text("fast")
    recorder = Recorder()
    checked = verify(load_problem(root), None, locally(recorder.judge_for), TABLE)
    assert checked.mismatches == () and checked.timing.how == "given in problem.yaml"
    assert recorder.limits["fast"] == [2.0]


def test_a_problem_without_submissions_folder_has_nothing_to_verify(tmp_path: Path) -> None:
    root = write_package(tmp_path, "limits: {time_limit: 1}\n")
    shutil.rmtree(root / "submissions")
    with pytest.raises(NoSubmissionsError):
        verify(load_package(root).problem, load_package(root), locally(Recorder().judge_for), TABLE)


def test_domjudge_submissions_json_names_a_folders_entry_point(tmp_path: Path) -> None:
    root = write_package(tmp_path)
    for name in ("hello.py", "message.py"):
        path = root / "submissions" / "accepted" / "multi" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    entry = {"entry_point": "hello.py"}
    (root / "submissions.json").write_text(json.dumps({"submissions/accepted/multi/": entry}))
    filed, _ = filed_submissions(root, TABLE)
    [multi] = [f.submission for f in filed if f.submission.id == "accepted/multi"]
    assert (multi.entry, multi.reason) == ("hello.py", "")
