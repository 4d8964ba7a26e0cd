"""A report: one problem's results for every submission graded, and when and where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from grader.environment import HostEnvironment
from grader.model.problems import Problem
from grader.model.results import SubmissionResult

__all__ = ["Report", "report_time"]


@dataclass(frozen=True)
class Report:
    problem: Problem
    submissions: tuple[SubmissionResult, ...]
    started_at: str
    finished_at: str
    complete: bool = True
    student: bool = False  # hidden cases' messages withheld (see report.student)
    environment: HostEnvironment | None = None  # the host graded on (None: not known)

    @property
    def all_accepted(self) -> bool:
        return all(result.verdict.accepted for result in self.submissions)


def report_time() -> str:
    """Now, as a report's ``started_at`` / ``finished_at`` says it: ISO 8601, UTC, seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")
