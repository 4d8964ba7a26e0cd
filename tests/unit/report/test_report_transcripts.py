"""An interactive case's transcript in the reports: in the JSON report (valid under the
shipped schema), in the HTML report (collapsible and escaped), in JUnit's system-out, and
withheld for hidden cases in a student view; a case without one adds nothing."""

from __future__ import annotations

import json
from dataclasses import replace

from jsonschema import Draft202012Validator
from test_student_view import report as grouped_report

from grader.model import Report
from grader.report import json_schema, render_html, report_to_dict
from grader.report.junit import render_junit
from grader.report.student import for_students

SAMPLE_TRANSCRIPT = "  0.001 > 10 4\n  0.002 < ? <script>alert(1)</script>"
HIDDEN_TRANSCRIPT = "  0.001 > 4815162342"


def with_transcripts() -> Report:
    report = grouped_report()
    [result] = report.submissions
    sample, big = result.cases
    cases = (
        replace(sample, transcript=SAMPLE_TRANSCRIPT),
        replace(big, transcript=HIDDEN_TRANSCRIPT),
    )
    return replace(report, submissions=(replace(result, cases=cases),))


def json_cases(report: Report) -> list[dict[str, object]]:
    document = report_to_dict(report)
    cases: list[dict[str, object]] = document["submissions"][0]["cases"]
    return cases


def test_transcript_is_in_the_json_report_and_valid_under_the_schema() -> None:
    document = report_to_dict(with_transcripts())
    Draft202012Validator(json_schema()).validate(document)
    assert document["submissions"][0]["cases"][0]["transcript"] == SAMPLE_TRANSCRIPT


def test_case_without_a_transcript_has_no_transcript_key() -> None:
    assert all("transcript" not in case for case in json_cases(grouped_report()))


def test_html_transcript_is_collapsible_and_escaped() -> None:
    html = render_html(with_transcripts())
    assert "<summary>transcript of sample</summary>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_junit_system_out_carries_the_transcript() -> None:
    assert "transcript:\n  0.001 &gt; 10 4" in render_junit(with_transcripts())


def test_student_view_withholds_hidden_cases_transcripts_only() -> None:
    student = for_students(with_transcripts())
    sample, big = json_cases(student)
    assert sample["transcript"] == SAMPLE_TRANSCRIPT and "transcript" not in big
    everything = json.dumps(report_to_dict(student)) + render_html(student)
    assert "4815162342" not in everything


def test_student_view_shows_a_visible_samples_interaction_file() -> None:
    report = with_transcripts()
    tests = tuple(
        replace(case, interaction=b">10 4\n<? 5\n") if case.visible else case
        for case in report.problem.tests
    )
    student = for_students(replace(report, problem=replace(report.problem, tests=tests)))
    document = report_to_dict(student)
    Draft202012Validator(json_schema()).validate(document)
    sample, big = document["submissions"][0]["cases"]
    assert sample["interaction"] == ">10 4\n<? 5\n" and "interaction" not in big
    assert "&gt;10 4\n&lt;? 5" in render_html(student)
