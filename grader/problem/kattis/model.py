"""What reading a Kattis problem package yields, whatever its format version: the
``Problem``, its time limit (given, or to derive from the jury's accepted submissions), the
problem type and the format version (which decides how ``grader verify`` reads
``submissions/``). No I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from grader.model import MIB, Problem
from grader.problem.limits import with_limits

__all__ = [
    "CALIBRATION_TIME",
    "DEFAULT_MEMORY",
    "DEFAULT_OUTPUT",
    "Package",
    "TimeLimit",
    "with_time_limit",
]

# problemtools' system defaults (its config/problem.yaml), which Kattis and the package
# authors judged with: what a package that gives no limits.memory / limits.output gets.
DEFAULT_MEMORY = 1024 * MIB
DEFAULT_OUTPUT = 8 * MIB
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

    def with_time_limit(self, seconds: float, source: str) -> Problem:
        return with_time_limit(self.problem, seconds, source)


def with_time_limit(problem: Problem, seconds: float, source: str = "") -> Problem:
    """``problem`` with every case's CPU limit set to ``seconds`` (the wall limit derived);
    ``source`` says where the limit comes from (default: where it came from before)."""
    source = source or problem.limit_sources.get("time", "")
    return with_limits(problem, time=seconds, source=source)
