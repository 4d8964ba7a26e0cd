"""CSV gradebook: one RFC 4180 row per submission, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from test_report_samples import CASE_NAMES, every_verdict_report, grouped_report

from grader.report.gradebook import FIXED_COLUMNS, render_csv, spreadsheet_safe, write_csv


@pytest.fixture(scope="module")
def text() -> str:
    return render_csv(every_verdict_report())


@pytest.fixture(scope="module")
def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_header_is_the_fixed_columns_then_one_per_case(text: str) -> None:
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert header == [*FIXED_COLUMNS, *CASE_NAMES]
    assert FIXED_COLUMNS == ("id", "language", "verdict", "score", "points", "max_points")


def test_one_row_per_submission_in_report_order(rows: list[dict[str, str]]) -> None:
    report = every_verdict_report()
    assert len(rows) == len(report.submissions)
    assert [row["verdict"] for row in rows] == [r.verdict.value for r in report.submissions]


def test_a_row_holds_score_points_and_each_case_verdict(rows: list[dict[str, str]]) -> None:
    bob = next(row for row in rows if row["id"] == "bob")
    assert bob == {
        "id": "bob",
        "language": "python",
        "verdict": "WA",
        "score": "0.666667",
        "points": "2",
        "max_points": "3",
        "sample.1": "AC",
        "large": "WA",
        "edge/zero": "AC",
    }


def test_cases_not_run_are_skipped(rows: list[dict[str, str]]) -> None:
    grace = next(row for row in rows if row["id"] == "grace")
    assert grace["verdict"] == "CE"
    assert [grace[name] for name in CASE_NAMES] == ["SKIPPED"] * 3


def test_lines_end_with_crlf(text: str) -> None:
    assert text.endswith("\r\n")
    assert text.count("\r\n") == len(every_verdict_report().submissions) + 1


def test_file_keeps_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "grades.csv"
    write_csv(every_verdict_report(), path)
    assert path.read_bytes().count(b"\r\n") == len(every_verdict_report().submissions) + 1


def test_an_id_that_looks_like_a_formula_gets_a_leading_quote(rows: list[dict[str, str]]) -> None:
    assert "'=cmd|' /C calc'!A0" in [row["id"] for row in rows]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start: str) -> None:
    assert spreadsheet_safe(f"{start}1+1").startswith("'")


def test_ordinary_text_is_left_alone() -> None:
    assert spreadsheet_safe("alice-2") == "alice-2"


def test_quotes_and_commas_in_ids_round_trip() -> None:
    report = every_verdict_report()
    odd = replace(report.submissions[0], id='smith, "jr"')
    text = render_csv(replace(report, submissions=(odd,)))
    assert next(csv.DictReader(io.StringIO(text, newline="")))["id"] == 'smith, "jr"'
    assert '"smith, ""jr"""' in text


def test_control_characters_in_ids_are_shown_escaped(rows: list[dict[str, str]]) -> None:
    assert "mallory\\x00<script>alert(1)</script>\\xff" in [row["id"] for row in rows]


def test_groups_get_a_points_column_each() -> None:
    alice, bob = csv.DictReader(io.StringIO(render_csv(grouped_report())))
    assert (alice["group:sample"], alice["group:main"], bob["group:main"]) == ("0", "10", "0")
