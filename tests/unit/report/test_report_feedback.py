"""Feedback pages (``--feedback-dir``): one self-contained student-view page per
submission, portable distinct file names, and an index.csv that lists them."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

from test_report_samples import every_verdict_report
from test_student_view import SAMPLE_INPUT, SECRET_ANSWER
from test_student_view import report as hidden_and_visible_report

from grader.report.feedback import INDEX, feedback_files, page_names, write_feedback


def index_rows(files: dict[str, str]) -> list[list[str]]:
    return list(csv.reader(io.StringIO(files[INDEX], newline="")))


def test_every_submission_gets_one_page_and_a_row_in_the_index() -> None:
    report = every_verdict_report()
    files = feedback_files(report)
    rows = index_rows(files)
    assert rows[0] == ["id", "file", "points", "max_points"]
    assert len(rows) == 1 + len(report.submissions)
    assert sorted(files) == sorted([INDEX, *(row[1] for row in rows[1:])])


def test_a_page_shows_its_own_submission_only() -> None:
    files = feedback_files(every_verdict_report())
    page = files["bob.html"]
    assert ">bob<" in page and ">alice<" not in page and ">carol<" not in page


def test_a_page_opens_its_details() -> None:
    page = feedback_files(every_verdict_report())["alice.html"]
    assert re.search(r"<details id=\"s1\"[^>]* open>", page)


def test_pages_are_student_views_that_withhold_hidden_messages() -> None:
    page = feedback_files(hidden_and_visible_report())["alice.html"]
    assert 'id="student-view"' in page
    assert SECRET_ANSWER not in page and SAMPLE_INPUT in page


def test_pages_reference_nothing_outside_themselves() -> None:
    page = feedback_files(every_verdict_report())["alice.html"]
    assert not re.search(r"(src|href)=\"(?!#)", page)


def test_the_index_gives_points_and_defuses_formulas() -> None:
    rows = {row[0]: row for row in index_rows(feedback_files(every_verdict_report()))[1:]}
    assert rows["alice"] == ["alice", "alice.html", "3", "3"]
    assert rows["'=cmd|' /C calc'!A0"][1] == "_cmd____C_calc__A0.html"


def test_file_names_are_portable_and_distinct() -> None:
    names = page_names(["accepted/alice", "accepted_alice", "Accepted_Alice", "../x", "", "a\x00"])
    assert names == [
        "accepted_alice.html",
        "accepted_alice-2.html",
        "Accepted_Alice-3.html",
        "_x.html",
        "submission.html",
        "a_.html",
    ]


def test_no_page_is_named_like_the_index() -> None:
    assert page_names(["index.csv"]) == ["index.csv.html"]


def test_the_pages_and_index_are_written_into_the_folder(tmp_path: Path) -> None:
    report = replace(every_verdict_report(), submissions=every_verdict_report().submissions[:2])
    assert write_feedback(report, tmp_path / "out") == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "alice.html",
        "bob.html",
        INDEX,
    ]
