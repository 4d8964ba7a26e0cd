"""The CSV gradebook: one row per submission, for spreadsheets and grade imports.

Columns: ``id``, ``language``, ``verdict``, ``score`` (0..1), ``points``, ``max_points``,
then, for a problem with groups, one ``group:<name>`` column per group holding the points
earned in it, then one column per case (named after it) holding that case's verdict.
RFC 4180 (comma, double quotes, CRLF line ends) via the ``csv`` module. Text that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) gets a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from grader.model import Report, SubmissionResult
from grader.report.files import write_atomically
from grader.report.text import visible

__all__ = ["FIXED_COLUMNS", "render_csv", "spreadsheet_safe", "write_csv"]

FIXED_COLUMNS = ("id", "language", "verdict", "score", "points", "max_points")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would take it for a formula."""
    text = visible(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(round(value, 6))


def _row(result: SubmissionResult, case_names: list[str], group_names: list[str]) -> list[str]:
    verdicts = {case.name: case.verdict.value for case in result.cases}
    earned = {group.name: _number(group.points) for group in result.groups}
    return [
        spreadsheet_safe(result.id),
        spreadsheet_safe(result.language),
        result.verdict.value,
        _number(result.score),
        _number(result.points),
        _number(result.max_points),
        *(earned.get(name, "") for name in group_names),
        *(verdicts.get(name, "") for name in case_names),
    ]


def render_csv(report: Report) -> str:
    """The gradebook for ``report`` as CSV text."""
    case_names = [case.name for case in report.problem.tests]
    group_names = [group.name for group in report.problem.groups]
    header = [
        *FIXED_COLUMNS,
        *(spreadsheet_safe(f"group:{name}") for name in group_names),
        *(spreadsheet_safe(name) for name in case_names),
    ]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(_row(result, case_names, group_names) for result in report.submissions)
    return buffer.getvalue()


def write_csv(report: Report, path: Path | str) -> None:
    write_atomically(path, render_csv(report))
