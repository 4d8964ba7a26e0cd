"""Student view (``--student-view``): hidden cases keep their verdicts but never show their
input, expected output or checker message, in any report; visible cases show all three;
every report says it is a student view. Groups appear in the JSON and HTML reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from grader.model import (
    Aggregation,
    CaseResult,
    CheckerSpec,
    Group,
    GroupResult,
    Limits,
    Problem,
    Report,
    SubmissionResult,
    TestCase,
    Verdict,
)
from grader.report import FORMATS, json_schema, render_html, report_to_dict
from grader.report.student import for_students

SECRET_INPUT = "4815162342"
SECRET_ANSWER = "hidden-answer-1729"
SAMPLE_INPUT = "sample-input-7"


def grouped_problem() -> Problem:
    limits = Limits()
    tests = (
        TestCase("sample", SAMPLE_INPUT.encode(), b"7\n", limits, 0, group="sample", visible=True),
        TestCase("big", SECRET_INPUT.encode(), SECRET_ANSWER.encode(), limits, group="main"),
    )
    groups = (
        Group("sample", points=0.0, visible=True),
        Group("main", Aggregation.MIN, 10.0, requires=("sample",)),
    )
    return Problem("p", "P", Path("."), limits, CheckerSpec(), tests, groups=groups)


def report() -> Report:
    cases = (
        CaseResult("sample", Verdict.WA, 0.0, 0.0, 0.1, 0.1, 1, 0, None, "expected 7, got 8"),
        CaseResult("big", Verdict.WA, 0.0, 1.0, 0.1, 0.1, 1, 0, None, f"expected {SECRET_ANSWER}"),
    )
    groups = (
        GroupResult("sample", Verdict.WA, 0.0, 0.0, False),
        GroupResult("main", Verdict.WA, 0.0, 10.0, False, "requires sample, which did not pass"),
    )
    result = SubmissionResult("alice", "python", Verdict.WA, 0.0, 10.0, cases, groups=groups)
    return Report(
        grouped_problem(), (result,), "2025-01-01T00:00:00+00:00", "2025-01-01T00:00:01+00:00"
    )


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json_schema())


def test_hidden_cases_lose_their_messages_but_keep_verdicts() -> None:
    cases = for_students(report()).submissions[0].cases
    assert [(c.verdict, c.message) for c in cases] == [
        (Verdict.WA, "expected 7, got 8"),
        (Verdict.WA, ""),
    ]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_report_format_shows_a_hidden_case(fmt: str) -> None:
    text = FORMATS[fmt].render(for_students(report()))
    assert SECRET_ANSWER not in text and SECRET_INPUT not in text


def test_the_full_report_keeps_the_messages() -> None:
    assert SECRET_ANSWER in render_html(report())


def test_the_student_json_says_so_and_shows_visible_cases_only(
    validator: Draft202012Validator,
) -> None:
    document = report_to_dict(for_students(report()))
    validator.validate(document)
    sample, big = document["submissions"][0]["cases"]
    assert document["view"] == "student"
    assert (sample["visible"], sample["input"], sample["expected_output"]) == (
        True,
        SAMPLE_INPUT,
        "7\n",
    )
    assert big["visible"] is False and "input" not in big and big["message"] == ""


def test_the_full_json_carries_no_case_data(validator: Draft202012Validator) -> None:
    document = report_to_dict(report())
    validator.validate(document)
    assert document["view"] == "full"
    assert all("input" not in case for case in document["submissions"][0]["cases"])


def test_the_student_html_says_so_and_marks_hidden_messages() -> None:
    page = render_html(for_students(report()))
    assert 'id="student-view"' in page and "withheld" in page
    assert "(hidden)" in page and "Visible cases" in page and SAMPLE_INPUT in page


def test_the_full_html_has_no_student_banner() -> None:
    page = render_html(report())
    assert 'id="student-view"' not in page and "Visible cases" not in page


# ---- groups in the reports -----------------------------------------------------------


def test_the_json_describes_groups_and_their_results(validator: Draft202012Validator) -> None:
    document = report_to_dict(report())
    validator.validate(document)
    assert document["problem"]["groups"][1] == {
        "name": "main",
        "aggregation": "min",
        "max_points": 10.0,
        "requires": ["sample"],
        "cases": ["big"],
    }
    main = document["submissions"][0]["groups"][1]
    assert main["message"] == "requires sample, which did not pass" and main["passed"] is False


def test_the_html_shows_groups_in_the_matrix_and_per_submission() -> None:
    page = render_html(report())
    assert '<th class="group">main</th>' in page
    assert "requires sample, which did not pass" in page
    assert "group main" in page  # the case list names each case's group


def test_a_problem_without_groups_has_empty_group_lists(validator: Draft202012Validator) -> None:
    plain = Report(Problem("p", "P", Path("."), Limits(), CheckerSpec(), ()), (), "a", "b")
    document = report_to_dict(plain)
    validator.validate(document)
    assert document["problem"]["groups"] == []


def test_the_json_round_trips_through_a_file(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(FORMATS["json"].render(for_students(report())))
    assert json.loads(path.read_text())["view"] == "student"
