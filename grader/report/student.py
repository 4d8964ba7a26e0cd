"""Reports fit for participants (``grader run --student-view``).

A case is *visible* when the problem marks it (or its group) so, as samples usually are.
In a student view every case keeps its verdict, points and measurements, but a hidden
case's message (and an interactive case's transcript) is withheld: a wrong answer's
message quotes the expected output, a run-time error's quotes the program's stderr, which
may echo the input, and a transcript shows what the interactor sent. Only visible
cases show their input and expected output (``visible_data``). Every writer reads the
filtered ``Report``, so none can leak what it does not hold; the report says it is a
student view (``Report.student``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from grader.model import CaseResult, Problem, Report, SubmissionResult
from grader.report.standings import ContestReport

__all__ = ["EXCERPT_BYTES", "CaseData", "contest_for_students", "for_students", "visible_data"]

EXCERPT_BYTES = 4096  # of a visible case's input and expected output


@dataclass(frozen=True)
class CaseData:
    """A visible case's input and expected output, cut at ``EXCERPT_BYTES``."""

    name: str
    input: str
    expected_output: str
    interaction: str = ""  # an interactive sample's ``.interaction`` file


def for_students(report: Report) -> Report:
    """``report`` with the messages of hidden cases withheld, marked as a student view."""
    visible = {case.name for case in report.problem.tests if case.visible}
    results = tuple(_withhold(result, visible) for result in report.submissions)
    return replace(report, submissions=results, student=True)


def contest_for_students(contest: ContestReport) -> ContestReport:
    """Every problem's report of ``contest`` as a student view."""
    reports = tuple(for_students(report) for report in contest.reports)
    return replace(contest, reports=reports, student=True)


def visible_data(problem: Problem) -> dict[str, CaseData]:
    """The input and expected output of each visible case, by case name."""
    return {
        case.name: CaseData(
            case.name, _excerpt(case.stdin), _excerpt(case.expected), _excerpt(case.interaction)
        )
        for case in problem.tests
        if case.visible
    }


def _withhold(result: SubmissionResult, visible: set[str]) -> SubmissionResult:
    cases = tuple(case if case.name in visible else _hidden(case) for case in result.cases)
    return replace(result, cases=cases)


def _hidden(case: CaseResult) -> CaseResult:
    return replace(case, message="", transcript="")


def _excerpt(data: bytes) -> str:
    text = data[:EXCERPT_BYTES].decode("utf-8", errors="backslashreplace")
    more = len(data) - EXCERPT_BYTES
    return text + (f"\n[... {more} more bytes]" if more > 0 else "")
