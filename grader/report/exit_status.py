"""What a finished run means to a shell or a CI job: a report -> its exit status.

pytest's convention (``errors.ExitCode``): interrupted (2) before an internal error (3,
including an IE verdict) before "some submission not accepted" (1); 0 only when every
submission of every problem was accepted.
"""

from __future__ import annotations

from grader.errors import ExitCode
from grader.model import Report, Verdict
from grader.report.standings import ContestReport

__all__ = ["contest_exit_status", "exit_status"]

_PRECEDENCE = (ExitCode.INTERRUPTED, ExitCode.INTERNAL_ERROR, ExitCode.NOT_ALL_ACCEPTED)


def exit_status(report: Report) -> ExitCode:
    if not report.complete:
        return ExitCode.INTERRUPTED
    if any(result.verdict is Verdict.IE for result in report.submissions):
        return ExitCode.INTERNAL_ERROR
    return ExitCode.ALL_ACCEPTED if report.all_accepted else ExitCode.NOT_ALL_ACCEPTED


def contest_exit_status(contest: ContestReport) -> ExitCode:
    """As ``exit_status``, over every problem of a problem set."""
    codes = {exit_status(report) for report in contest.reports}
    return next((code for code in _PRECEDENCE if code in codes), ExitCode.ALL_ACCEPTED)
