"""The command line: exit statuses, messages without tracebacks, reports written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from paths import ROOT

from grader.cli import cli
from grader.errors import ExitCode
from grader.model import CheckerSpec, Limits, Problem, Report, SubmissionResult, Verdict
from grader.report.exit_status import exit_status

SUM = ROOT / "problems" / "sum"


def grader(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "grader", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)


def report_of(*verdicts: Verdict, complete: bool = True) -> Report:
    problem = Problem("p", "P", Path("."), Limits(), CheckerSpec(), ())
    results = tuple(
        SubmissionResult(f"s{i}", "python", v, 0, 1, ()) for i, v in enumerate(verdicts)
    )
    return Report(problem, results, "", "", complete)


def test_check_accepts_the_bundled_problem() -> None:
    result = CliRunner().invoke(cli, ["check", str(SUM)])
    assert result.exit_code == 0 and "4 cases" in result.output


def test_bad_problem_exits_4_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "problem.yaml").write_text("name: x\ntests:\n  - stdin: 1\n")
    done = grader("check", str(tmp_path))
    assert done.returncode == ExitCode.USAGE_ERROR
    assert "missing expected_output" in done.stderr and "Traceback" not in done.stderr


def test_unknown_option_exits_4() -> None:
    assert grader("run", "--no-such-option").returncode == ExitCode.USAGE_ERROR


def test_no_submissions_exits_5(tmp_path: Path) -> None:
    done = grader("run", str(SUM), str(tmp_path))
    assert done.returncode == ExitCode.NO_SUBMISSIONS and "no submissions" in done.stderr


def test_a_submission_path_that_does_not_exist_exits_4(tmp_path: Path) -> None:
    done = grader("run", str(SUM), str(tmp_path / "typo"))
    assert done.returncode == ExitCode.USAGE_ERROR and "no such file or folder" in done.stderr


def test_help_explains_the_exit_statuses() -> None:
    assert "4 usage or problem error" in CliRunner().invoke(cli, ["--help"]).output


@pytest.mark.parametrize(
    ("verdicts", "complete", "code"),
    [
        ((Verdict.AC, Verdict.AC), True, ExitCode.ALL_ACCEPTED),
        ((Verdict.AC, Verdict.WA), True, ExitCode.NOT_ALL_ACCEPTED),
        ((Verdict.AC, Verdict.CE), True, ExitCode.NOT_ALL_ACCEPTED),
        ((Verdict.AC, Verdict.IE), True, ExitCode.INTERNAL_ERROR),
        ((Verdict.AC,), False, ExitCode.INTERRUPTED),
    ],
)
def test_exit_status_follows_pytest(
    verdicts: tuple[Verdict, ...], complete: bool, code: int
) -> None:
    assert exit_status(report_of(*verdicts, complete=complete)) == code


def test_run_grades_and_writes_the_json_report(docker_client: Any, tmp_path: Path) -> None:
    target = tmp_path / "sum.json"
    accepted = SUM / "submissions" / "accepted" / "alice.py"
    wrong = SUM / "submissions" / "wrong_answer" / "carol.py"
    done = grader(
        "run", str(SUM), str(accepted), str(wrong), "--json", str(target),
        "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert done.returncode == ExitCode.NOT_ALL_ACCEPTED, done.stderr
    report = json.loads(target.read_text())
    verdicts = {s["id"]: s["verdict"] for s in report["submissions"]}
    assert verdicts == {"alice": "AC", "carol": "WA"}
    case = report["submissions"][1]["cases"][0]
    assert {"verdict", "cpu_time_s", "wall_time_s", "memory_bytes", "exit_code", "signal"} <= set(
        case
    )
    assert "alice" in done.stdout and "1/2 accepted" in done.stdout


def test_run_report_records_the_host_it_ran_on(docker_client: Any, tmp_path: Path) -> None:
    target = tmp_path / "sum.json"
    accepted = SUM / "submissions" / "accepted" / "alice.py"
    done = grader(
        "run", str(SUM), str(accepted), "--json", str(target),
        "--cache-dir", str(tmp_path / "cache"),
    )  # fmt: skip
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stderr
    host = json.loads(target.read_text())["environment"]
    assert host["cgroup_version"] in ("1", "2") and host["kernel"] and host["oci_runtime"]
    assert (host["tree_cpu"], host["oom_kills"], host["cannot_enforce"]) == (True, True, [])
    assert "warning:" not in done.stderr
