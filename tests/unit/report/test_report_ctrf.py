"""CTRF export: valid against the Common Test Report Format schema, one test per
(submission, case)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from test_report_samples import BLIND_HOST, DATA, every_verdict_report, grouped_report

from grader.model import Verdict
from grader.report.ctrf import STATUS, render_ctrf, report_to_ctrf, write_ctrf


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return report_to_ctrf(every_verdict_report())


def _test(document: dict[str, Any], submission: str, case: str) -> dict[str, Any]:
    tests = document["results"]["tests"]
    return next(
        t for t in tests if t["suite"] == ["sum.v2", submission] and t["extra"]["case"] == case
    )


def test_every_verdict_and_hostile_output_validate_against_the_ctrf_schema(
    document: dict[str, Any],
) -> None:
    schema = json.loads((DATA / "ctrf.schema.json").read_text(encoding="utf-8"))
    Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER).validate(document)


def test_the_file_written_is_the_document(tmp_path: Path, document: dict[str, Any]) -> None:
    path = tmp_path / "ctrf.json"
    write_ctrf(every_verdict_report(), path)
    assert json.loads(path.read_text(encoding="utf-8")) == document


def test_one_test_per_submission_and_case(document: dict[str, Any]) -> None:
    report = every_verdict_report()
    assert len(document["results"]["tests"]) == sum(len(r.cases) for r in report.submissions)
    assert document["results"]["summary"]["suites"] == len(report.submissions)


def test_every_verdict_maps_to_a_ctrf_status() -> None:
    assert set(STATUS) == set(Verdict)
    assert STATUS[Verdict.AC] == "passed" and STATUS[Verdict.IE] == "other"
    assert STATUS[Verdict.SKIPPED] == "skipped"


def test_the_summary_counts_match_the_tests(document: dict[str, Any]) -> None:
    summary = document["results"]["summary"]
    statuses = [t["status"] for t in document["results"]["tests"]]
    for status in ("passed", "failed", "skipped", "pending", "other"):
        assert summary[status] == statuses.count(status)
    assert summary["tests"] == len(statuses)


def test_run_times_are_epoch_milliseconds(document: dict[str, Any]) -> None:
    summary = document["results"]["summary"]
    assert summary["start"] == 1735787045000
    assert summary["duration"] == 61000


def test_a_wrong_answer_is_failed_with_its_message_and_cpu_milliseconds(
    document: dict[str, Any],
) -> None:
    test = _test(document, "bob", "large")
    assert test["status"] == "failed" and test["rawStatus"] == "WA"
    assert test["duration"] == 250
    assert test["message"].startswith("line 1: expected 3, got NUL\\x00")


def test_a_ce_submission_fails_every_case_with_the_compile_log_as_trace(
    document: dict[str, Any],
) -> None:
    test = _test(document, "grace", "large")
    assert test["status"] == "failed" and test["rawStatus"] == "CE"
    assert test["message"] == "compilation failed"
    assert "expected ';'" in test["trace"]


def test_an_internal_error_makes_the_run_unhealthy(document: dict[str, Any]) -> None:
    assert _test(document, "heidi", "large")["status"] == "other"
    assert document["results"]["environment"]["healthy"] is False


def test_a_case_not_run_after_a_failure_is_skipped(document: dict[str, Any]) -> None:
    assert _test(document, "carol", "edge/zero")["status"] == "skipped"


def test_measurements_are_in_extra(document: dict[str, Any]) -> None:
    extra = _test(document, "eve", "edge/zero")["extra"]
    assert extra["signal"] == "SIGSEGV" and extra["memory_bytes"] == 6 << 20


def test_each_test_names_its_group_and_the_results_hold_every_group() -> None:
    document = report_to_ctrf(grouped_report())
    m1 = next(t for t in document["results"]["tests"] if t["name"] == "bob :: m1")
    [sample, main] = document["results"]["extra"]["groups"]["bob"]
    assert m1["extra"]["group"] == "main"
    assert (main["name"], main["verdict"], main["points"], main["passed"]) == (
        "main",
        "WA",
        0.0,
        False,
    )
    assert sample["passed"] is True


def test_a_grouped_report_validates_against_the_ctrf_schema() -> None:
    schema = json.loads((DATA / "ctrf.schema.json").read_text(encoding="utf-8"))
    Draft7Validator(schema).validate(report_to_ctrf(grouped_report()))


def test_the_environment_names_the_host_and_what_it_cannot_enforce() -> None:
    document = json.loads(render_ctrf(replace(every_verdict_report(), environment=BLIND_HOST)))
    environment = document["results"]["environment"]
    assert environment["osRelease"] == "6.1.0-28-amd64"
    assert environment["extra"]["oci_runtime"] == "runc 1.1.5+ds1"
    assert environment["extra"]["cannot_enforce"] != "nothing"
