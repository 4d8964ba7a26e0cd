"""What each case of a submission means to a CI pipeline (JUnit XML, CTRF).

A CE or IE submission never runs its cases: the judge files them all as ``SKIPPED``. A
pipeline that counted them as skipped would show a green build for a submission that
does not compile, so here such cases carry the submission's verdict, message and
compile log. Every other case keeps its own verdict; the JSON, CSV and HTML reports show
the raw verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.model import CaseResult, GroupResult, Limits, Problem, SubmissionResult, Verdict

__all__ = ["CaseOutcome", "case_groups", "case_limits", "case_outcomes", "group_summary"]

_WHOLE_SUBMISSION = (Verdict.CE, Verdict.IE)


@dataclass(frozen=True)
class CaseOutcome:
    case: CaseResult
    verdict: Verdict
    message: str
    log: str = ""  # the compile log, for a case failed by CE


def case_outcomes(result: SubmissionResult) -> tuple[CaseOutcome, ...]:
    """Every case of ``result`` with the verdict and message a pipeline should see."""
    never_ran = result.verdict in _WHOLE_SUBMISSION and all(
        case.verdict is Verdict.SKIPPED for case in result.cases
    )
    if not never_ran:
        return tuple(CaseOutcome(case, case.verdict, case.message) for case in result.cases)
    message = result.message or result.verdict.value
    return tuple(
        CaseOutcome(case, result.verdict, message, result.compile_log) for case in result.cases
    )


def case_limits(problem: Problem) -> dict[str, Limits]:
    """Each case's limits by case name (cases may override the problem's)."""
    return {case.name: case.limits for case in problem.tests}


def case_groups(problem: Problem) -> dict[str, str]:
    """Each grouped case's group name by case name (ungrouped cases are absent)."""
    return {case.name: case.group for case in problem.tests if case.group}


def group_summary(group: GroupResult) -> str:
    """``3/5 WA failed``: a group's points, verdict and whether it passed, in one line."""
    state = "passed" if group.passed else "failed"
    why = f" ({group.message})" if group.message else ""
    return f"{group.points:g}/{group.max_points:g} {group.verdict.value} {state}{why}"
