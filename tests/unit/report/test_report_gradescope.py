"""Gradescope's results.json: valid against the schema written from Gradescope's published
specification; a test per case (or per group), visibility from grader's visible and hidden
cases, hidden messages withheld in a student view."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from test_report_samples import every_verdict_report, grouped_report
from test_student_view import SECRET_ANSWER
from test_student_view import report as hidden_and_visible_report

from grader.report.gradescope import (
    COMPILE_LOG_CHARS,
    gradescope_schema,
    report_to_gradescope,
    write_gradescope,
)
from grader.report.student import for_students


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = gradescope_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def one(report: Any, id: str) -> Any:
    """``report`` holding only the submission ``id``, as a Gradescope upload does."""
    return replace(report, submissions=tuple(r for r in report.submissions if r.id == id))


@pytest.mark.parametrize(
    "report",
    [every_verdict_report(), grouped_report(), for_students(hidden_and_visible_report())],
    ids=["every-verdict", "groups", "student-view"],
)
def test_the_results_validate_against_the_schema(
    validator: Draft202012Validator, report: Any
) -> None:
    validator.validate(report_to_gradescope(report))


def test_the_schema_refuses_a_misspelt_key(validator: Draft202012Validator) -> None:
    document = report_to_gradescope(one(every_verdict_report(), "alice"))
    document["tests"][0]["max_points"] = 1
    assert not validator.is_valid(document)


def test_the_schema_refuses_an_unknown_visibility(validator: Draft202012Validator) -> None:
    document = report_to_gradescope(one(every_verdict_report(), "alice"))
    document["tests"][0]["visibility"] = "students"
    assert not validator.is_valid(document)


def test_one_submission_gives_a_test_per_case_with_its_points() -> None:
    document = report_to_gradescope(one(every_verdict_report(), "bob"))
    tests = document["tests"]
    assert [t["name"] for t in tests] == ["sample.1", "large", "edge/zero"]
    assert [(t["score"], t["max_score"], t["status"]) for t in tests] == [
        (1.0, 1.0, "passed"),
        (0.0, 1.0, "failed"),
        (1.0, 1.0, "passed"),
    ]
    assert [t["number"] for t in tests] == ["1", "2", "3"]
    assert document["score"] == 2.0


def test_a_failed_case_says_its_verdict_and_message() -> None:
    large = report_to_gradescope(one(every_verdict_report(), "carol"))["tests"][1]
    assert large["output"].startswith("large: TLE, 0/1, CPU 2.600 s")
    assert "CPU time over the 2.5 s limit" in large["output"]


def test_a_ce_submission_fails_every_test_and_shows_the_compile_log() -> None:
    document = report_to_gradescope(one(every_verdict_report(), "grace"))
    assert {t["status"] for t in document["tests"]} == {"failed"}
    assert "main.c:1:1: error: expected ';'" in document["output"]


def test_a_long_compile_log_is_cut() -> None:
    report = one(every_verdict_report(), "grace")
    result = replace(report.submissions[0], compile_log="e" * (COMPILE_LOG_CHARS + 500))
    output = report_to_gradescope(replace(report, submissions=(result,)))["output"]
    assert "[... 500 more characters]" in output and len(output) < COMPILE_LOG_CHARS + 500


def test_groups_are_one_test_each_scored_as_the_group() -> None:
    bob = report_to_gradescope(one(grouped_report(), "bob"))["tests"]
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in bob] == [
        ("group sample", 0.0, 0.0, "passed"),
        ("group main", 0.0, 10.0, "failed"),
    ]
    assert "m1: WA, 0/1, CPU 0.250 s" in bob[1]["output"]


def test_visible_cases_are_visible_and_hidden_ones_hidden_in_a_full_report() -> None:
    tests = report_to_gradescope(hidden_and_visible_report())["tests"]
    assert [(t["name"], t["visibility"]) for t in tests] == [
        ("group sample", "visible"),
        ("group main", "hidden"),
    ]


def test_a_student_view_shows_hidden_tests_after_the_due_date_without_messages() -> None:
    document = report_to_gradescope(for_students(hidden_and_visible_report()))
    main = document["tests"][1]
    assert main["visibility"] == "after_due_date"
    assert SECRET_ANSWER not in json.dumps(document)
    assert "expected 7, got 8" in document["tests"][0]["output"]  # the visible sample's


def test_the_full_report_keeps_hidden_messages_for_instructors() -> None:
    main = report_to_gradescope(hidden_and_visible_report())["tests"][1]
    assert SECRET_ANSWER in main["output"]


def test_several_submissions_score_the_best_and_name_tests_by_id() -> None:
    report = replace(every_verdict_report(), submissions=every_verdict_report().submissions[:2])
    document = report_to_gradescope(report)
    assert document["score"] == 3.0
    assert document["tests"][0]["name"] == "alice: sample.1"
    assert document["tests"][3]["name"] == "bob: sample.1"


def test_the_top_level_is_visible_and_graders_stdout_is_not() -> None:
    document = report_to_gradescope(one(every_verdict_report(), "alice"))
    assert (document["visibility"], document["stdout_visibility"]) == ("visible", "hidden")
    assert document["execution_time"] == 61.0


def test_no_submission_scores_zero_and_says_why() -> None:
    document = report_to_gradescope(replace(every_verdict_report(), submissions=()))
    assert document["score"] == 0.0 and "No submission found" in document["output"]


def test_the_file_written_is_the_document(tmp_path: Path) -> None:
    report = one(every_verdict_report(), "alice")
    write_gradescope(report, tmp_path / "results.json")
    written = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert written == report_to_gradescope(report)
