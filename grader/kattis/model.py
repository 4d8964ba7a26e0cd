"""What reading a Kattis problem package yields, whatever its format version: the
``Problem``, its time limit (given, or to derive from the jury's accepted submissions), the
problem type and the format version (which decides how ``grader verify`` reads
``submissions/``). No I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from grader.limits import default_wall
from grader.model import MIB, Limits, Problem

__all__ = ["CALIBRATION_TIME", "DEFAULT_MEMORY", "Package", "TimeLimit", "with_time_limit"]

DEFAULT_MEMORY = 2048 * MIB  # Kattis' typical system default
CALIBRATION_TIME = 10.0  # CPU seconds given to accepted jury submissions to time them


@dataclass(frozen=True)
class TimeLimit:
    """A package's time limit: given (``limits.time_limit`` or ``.timelimit``), or derived
    as problemtools does from the slowest accepted jury submission: ``slowest x
    multiplier``, rounded up to a whole multiple of ``resolution`` seconds. A
    time-limit-exceeded jury submission must still be TLE at ``limit x safety_margin``."""

    given: float | None
    source: str  # where the given limit comes from
    multiplier: float = 5.0
    safety_margin: float = 2.0
    resolution: float = 1.0

    def derive(self, slowest: float) -> float:
        steps = max(1, math.ceil(slowest * self.multiplier / self.resolution - 1e-9))
        return round(steps * self.resolution, 9)

    def rounding(self) -> str:
        """How ``derive`` rounds, for a report: "rounded up" (to whole seconds) or
        "rounded up to a multiple of 0.5 s"."""
        if self.resolution == 1.0:
            return "rounded up"
        return f"rounded up to a multiple of {self.resolution:g} s"


@dataclass(frozen=True)
class Package:
    """A package as a ``Problem`` (its time limit ``CALIBRATION_TIME`` until derived)."""

    problem: Problem
    time: TimeLimit
    kind: str  # pass-fail or scoring
    version: str = "legacy"  # problem_format_version: legacy (or legacy-icpc), 2025-09
    warnings: tuple[str, ...] = ()  # what was read and ignored (kattis.lenient)

    def with_time_limit(self, seconds: float) -> Problem:
        return with_time_limit(self.problem, seconds)


def with_time_limit(problem: Problem, seconds: float) -> Problem:
    """``problem`` with every case's CPU limit set to ``seconds`` (the wall limit derived)."""

    def timed(limits: Limits) -> Limits:
        return replace(limits, time=seconds, wall=default_wall(seconds, limits.cpus))

    tests = tuple(replace(case, limits=timed(case.limits)) for case in problem.tests)
    return replace(problem, limits=timed(problem.limits), tests=tests)
