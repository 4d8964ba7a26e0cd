"""What judging earns: verdicts, and the results of a case, a group and a submission."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CaseResult", "GroupResult", "SubmissionResult", "Verdict"]


class Verdict(StrEnum):
    """What a case or a submission earned. ``SKIPPED`` marks a case that was not run."""

    AC = "AC"  # accepted
    WA = "WA"  # wrong answer
    TLE = "TLE"  # time limit exceeded (CPU or wall clock)
    MLE = "MLE"  # memory limit exceeded
    RTE = "RTE"  # run-time error: non-zero exit or killed by a signal
    OLE = "OLE"  # output limit exceeded
    CE = "CE"  # compilation error, or a submission that cannot be run at all
    IE = "IE"  # internal error: the grader's fault, never the submission's
    SKIPPED = "SKIPPED"  # not run (after a CE, or stopped at the first failure)

    @property
    def accepted(self) -> bool:
        return self is Verdict.AC


@dataclass(frozen=True)
class CaseResult:
    name: str
    verdict: Verdict
    points: float = 0.0
    max_points: float = 1.0
    cpu_time: float | None = None
    wall_time: float | None = None
    memory: int | None = None
    exit_code: int | None = None
    signal: int | None = None
    message: str = ""
    host: str = ""  # the machine it ran on, in a cluster run (``grader.cluster``); else ""
    # An interactive case's first bytes each way, one "> " (to the submission) or "< "
    # (from it) line each, after the time in seconds; "" for other problems.
    transcript: str = ""


@dataclass(frozen=True)
class GroupResult:
    """What a submission earned in one group. ``passed``: every case AC, every point earned
    and every required group passed."""

    name: str
    verdict: Verdict  # its first non-AC case; SKIPPED if none ran
    points: float
    max_points: float
    passed: bool
    message: str = ""  # why it earned nothing, e.g. a required group that failed


@dataclass(frozen=True)
class SubmissionResult:
    id: str
    language: str
    verdict: Verdict
    points: float
    max_points: float
    cases: tuple[CaseResult, ...]
    message: str = ""
    compile_log: str = ""
    groups: tuple[GroupResult, ...] = ()

    @property
    def score(self) -> float:
        """The share of points earned, 0..1."""
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def cpu_time(self) -> float:
        return sum(case.cpu_time or 0.0 for case in self.cases)
