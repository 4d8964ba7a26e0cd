"""``grader run``'s report options, with grading replaced by a hand-built report."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_report_samples import every_verdict_report

from grader.cli import cli
from grader.cli import run as run_module
from grader.errors import UsageError
from grader.report import check_targets, write_reports


@pytest.fixture
def graded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    """Replaces grading with the sample report; counts the batches run."""
    calls: list[int] = []

    def fake_run_batch(*args: Any, on_result: Any = None, **kwargs: Any) -> Any:
        calls.append(1)
        sample = every_verdict_report()
        # console.submission_line cannot print an undecodable id yet: leave mallory out.
        report = replace(sample, submissions=sample.submissions[:-1])
        for result in report.submissions:
            on_result(result)
        return report

    monkeypatch.setattr(run_module, "run_batch", fake_run_batch)
    monkeypatch.chdir(tmp_path)
    return calls


def _run(*options: str) -> Any:
    return CliRunner().invoke(cli, ["run", "problem", "subs", *options])


def test_run_writes_every_report_requested(graded: list[int], tmp_path: Path) -> None:
    result = _run("--html", "r.html", "--junit", "r.xml", "--csv", "r.csv", "--ctrf", "c.json")
    assert result.exit_code == 3  # the sample holds an IE
    assert (tmp_path / "reports" / "sum.v2.json").is_file()  # the JSON default stays
    for name in ("r.html", "r.xml", "r.csv", "c.json"):
        assert (tmp_path / name).stat().st_size > 0
    assert "JUnit XML report: r.xml" in result.stderr


def test_a_report_on_stdout_keeps_progress_off_stdout(graded: list[int]) -> None:
    result = _run("--junit", "-")
    assert ET.fromstring(result.stdout).tag == "testsuites"
    assert "alice" in result.stderr


def test_the_markdown_summary_can_go_to_stdout(graded: list[int]) -> None:
    result = _run("--markdown", "-")
    assert result.stdout.startswith("## grader: A \\+ B (sum\\.v2)\n")
    assert "| alice | python | AC |" in result.stdout and "alice" in result.stderr


def test_gradescope_results_can_go_to_stdout(graded: list[int]) -> None:
    result = _run("--gradescope", "-")
    assert json.loads(result.stdout)["tests"][0]["name"] == "alice: sample.1"


def test_json_on_stdout_is_still_the_json_report(graded: list[int]) -> None:
    result = _run("--json", "-", "--csv", "grades.csv")
    assert json.loads(result.stdout)["problem"]["name"] == "sum.v2"


def test_two_reports_on_stdout_are_refused_before_grading(graded: list[int]) -> None:
    result = _run("--junit", "-", "--ctrf", "-")
    assert isinstance(result.exception, UsageError)
    assert graded == []


def test_two_reports_in_one_file_are_refused() -> None:
    with pytest.raises(UsageError, match="html, csv"):
        check_targets({"json": None, "html": "out", "csv": "out"})


def test_write_reports_skips_formats_not_wanted(tmp_path: Path) -> None:
    target = str(tmp_path / "r.csv")
    written = write_reports(every_verdict_report(), {"csv": target, "html": None})
    assert written == {"csv": target}
    assert list(tmp_path.iterdir()) == [tmp_path / "r.csv"]
