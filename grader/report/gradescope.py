"""Gradescope's autograder ``results.json`` (``grader run --gradescope PATH``).

Gradescope runs ``run_autograder`` on one student's upload and reads
``/autograder/results/results.json``: the score, a text for the student and ``tests[]``.
A problem without groups gives one Gradescope test per case; a problem with groups one
test per group (its points, passed or not, and a line per case) plus one per case in no
group, since group scoring (``min``, ``requires``) is not the sum of its cases.

Visibility: a visible case or group (samples) is ``visible``. A hidden one is
``after_due_date`` in a student view (``--student-view``: its message is already withheld,
only the verdict, points and measurements remain) and ``hidden`` (instructors only)
otherwise, since a full report's messages may quote the expected output. The top-level
``output`` is always ``visible`` and grader's console output (``stdout_visibility``)
``hidden``. An upload holding several submissions (say a helper file beside the solution)
scores its best one; every test name then starts with its submission's id. The format is
described by ``gradescope.schema.json``, written from Gradescope's published specification.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from grader.model import GroupResult, Report, SubmissionResult, Verdict
from grader.report.files import write_atomically
from grader.report.json import packaged_schema
from grader.report.outcomes import CaseOutcome, case_outcomes, group_summary
from grader.report.text import exit_status, mebibytes, seconds, visible

__all__ = [
    "COMPILE_LOG_CHARS",
    "gradescope_schema",
    "render_gradescope",
    "report_to_gradescope",
    "write_gradescope",
]

COMPILE_LOG_CHARS = 20_000  # of a compile log in the student's output


def gradescope_schema() -> dict[str, Any]:
    """The JSON Schema of ``results.json`` shipped with grader (draft 2020-12)."""
    return packaged_schema("gradescope.schema.json")


def _visibility(visible_to_students: bool, report: Report) -> str:
    if visible_to_students:
        return "visible"
    return "after_due_date" if report.student else "hidden"


def _case_line(outcome: CaseOutcome) -> str:
    case = outcome.case
    line = f"{visible(case.name)}: {outcome.verdict.value}, {case.points:g}/{case.max_points:g}"
    if case.cpu_time is not None:
        line += f", CPU {seconds(case.cpu_time)}, memory {mebibytes(case.memory)}"
        line += f", {exit_status(case.exit_code, case.signal)}"
    return line + (f"\n  {visible(outcome.message)}" if outcome.message else "")


def _case_test(outcome: CaseOutcome, shown: bool, report: Report, prefix: str) -> dict[str, Any]:
    case = outcome.case
    return {
        "name": prefix + visible(case.name),
        "score": case.points,
        "max_score": case.max_points,
        "status": "passed" if outcome.verdict is Verdict.AC else "failed",
        "output": _case_line(outcome),
        "visibility": _visibility(shown, report),
    }


def _group_test(
    group: GroupResult, outcomes: list[CaseOutcome], shown: bool, report: Report, prefix: str
) -> dict[str, Any]:
    lines = [f"group {visible(group.name)}: {group_summary(group)}"]
    lines += [_case_line(outcome) for outcome in outcomes]
    return {
        "name": f"{prefix}group {visible(group.name)}",
        "score": group.points,
        "max_score": group.max_points,
        "status": "passed" if group.passed else "failed",
        "output": "\n".join(lines),
        "visibility": _visibility(shown, report),
    }


def _tests(report: Report, result: SubmissionResult, prefix: str) -> list[dict[str, Any]]:
    problem = report.problem
    shown = {case.name for case in problem.tests if case.visible}
    grouped = {case.name: case.group for case in problem.tests if case.group}
    outcomes = case_outcomes(result)
    tests = []
    for group in result.groups:
        members = [o for o in outcomes if grouped.get(o.case.name) == group.name]
        group_shown = all(o.case.name in shown for o in members)
        tests.append(_group_test(group, members, group_shown, report, prefix))
    for outcome in outcomes:
        if outcome.case.name not in grouped or not result.groups:
            tests.append(_case_test(outcome, outcome.case.name in shown, report, prefix))
    return tests


def _summary(result: SubmissionResult) -> str:
    line = (
        f"{visible(result.id)} ({visible(result.language)}): {result.verdict.value}, "
        f"{result.points:g}/{result.max_points:g} points, CPU {seconds(result.cpu_time)}"
    )
    if result.message:
        line += f"\n{visible(result.message)}"
    if result.compile_log:
        line += "\n" + _capped(visible(result.compile_log))
    return line


def _capped(log: str) -> str:
    cut = len(log) - COMPILE_LOG_CHARS
    return log[:COMPILE_LOG_CHARS] + (f"\n[... {cut} more characters]" if cut > 0 else "")


def _output(report: Report) -> str:
    lines = [f"{visible(report.problem.title)} ({visible(report.problem.name)})"]
    if not report.submissions:
        lines.append("No submission found: nothing was graded.")
    if not report.complete:
        lines.append("Grading was interrupted: this result is incomplete.")
    if report.student:
        lines.append("Hidden tests show their verdict and points; their messages are withheld.")
    lines += [_summary(result) for result in report.submissions]
    return "\n\n".join(lines)


def _seconds_between(start: str, stop: str) -> float:
    try:
        elapsed = datetime.fromisoformat(stop) - datetime.fromisoformat(start)
    except ValueError:
        return 0.0
    return max(0.0, round(elapsed.total_seconds(), 3))


def report_to_gradescope(report: Report) -> dict[str, Any]:
    """``report`` as Gradescope's ``results.json`` (a JSON-ready dict)."""
    several = len(report.submissions) > 1
    tests = []
    for result in report.submissions:
        prefix = f"{visible(result.id)}: " if several else ""
        tests += _tests(report, result, prefix)
    for number, test in enumerate(tests, 1):
        test["number"] = str(number)
    return {
        "score": max((result.points for result in report.submissions), default=0.0),
        "execution_time": _seconds_between(report.started_at, report.finished_at),
        "output": _output(report),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def render_gradescope(report: Report) -> str:
    return json.dumps(report_to_gradescope(report), indent=2) + "\n"


def write_gradescope(report: Report, path: Path | str) -> None:
    write_atomically(path, render_gradescope(report))
