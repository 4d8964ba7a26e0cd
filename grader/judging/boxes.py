"""How big a submission's run box is and how its program runs there: the box is sized for
the largest of the limits it will serve (memory plus the supervisor's and the runtime's
allowance), each run gets its own CPU, wall, output and stack limits; and a language's
time multiplier scales a problem's time limits (CPU and wall). Used by the judge and by a
single editor run (``execute``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from grader.judging.compile import SUPERVISOR_ALLOWANCE, expand
from grader.model import Language, Limits, Problem, Submission, TestCase
from grader.sandbox.base import BoxSpec, RunSpec

__all__ = ["run_box", "run_spec", "timed_tests"]


def run_box(image: str, language: Language, limits: Sequence[Limits], reusable: bool) -> BoxSpec:
    """A box for runs under any of ``limits``."""
    return BoxSpec(
        image=image,
        memory=max(lim.memory for lim in limits) + SUPERVISOR_ALLOWANCE + language.memory_allowance,
        cpus=max(lim.cpus for lim in limits),
        processes=max(lim.processes for lim in limits),
        scratch=max(lim.scratch for lim in limits),
        reusable=reusable,
    )


def run_spec(submission: Submission, language: Language, stdin: bytes, limits: Limits) -> RunSpec:
    """One run of the submission's program on ``stdin`` under ``limits``."""
    return RunSpec(
        argv=expand(language.run, submission, language, limits.memory),
        stdin=stdin,
        cpu=limits.time,
        wall=limits.wall,
        output=limits.output,
        env=language.env,
        stack=limits.memory,
    )


def timed_tests(problem: Problem, language: Language) -> tuple[TestCase, ...]:
    """The problem's cases with the language's time multiplier applied (CPU and wall)."""
    factor = problem.time_multipliers.get(language.key, 1.0)
    if factor == 1.0:
        return problem.tests
    return tuple(replace(case, limits=_scaled(case.limits, factor)) for case in problem.tests)


def _scaled(limits: Limits, factor: float) -> Limits:
    return replace(limits, time=limits.time * factor, wall=limits.wall * factor)
