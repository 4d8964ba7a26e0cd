"""Timing accuracy: the CPU time grader reports for a busy loop against the same loop's CPU
time measured natively (``getrusage(RUSAGE_CHILDREN)`` around bare processes in the
rootfs), both with ``jobs`` runs in parallel. The loop runs a fixed number of iterations,
calibrated natively once to burn about ``TARGET_S`` of CPU, so both sides do the same work.
Native and grader batches alternate, round after round, and each round's pair is compared:
a machine whose speed drifts (other load, a busy hypervisor) moves both sides of a pair.
"""

from __future__ import annotations

import itertools
import resource
from collections.abc import Callable
from dataclasses import dataclass, replace
from statistics import fmean, median

from strategies import Floor, Graded
from workload import Case, Group

__all__ = ["Accuracy", "measure"]

TARGET_S = 0.3
BURN = "import sys\nn = int(sys.stdin.read())\nx = 0\nfor i in range(n):\n    x += i\nprint(n)\n"


@dataclass(frozen=True)
class Accuracy:
    """Per round (``jobs`` native runs at once, then ``jobs`` grader runs at once): the mean
    CPU seconds per run on each side."""

    iterations: int
    native: tuple[float, ...]
    grader: tuple[float, ...]

    @property
    def paired(self) -> tuple[float, ...]:
        """Each round's grader / native - 1."""
        return tuple(g / n - 1 for g, n in zip(self.grader, self.native, strict=True))

    @property
    def relative(self) -> float:
        return median(self.paired)

    def summary(self) -> dict[str, float]:
        return {
            "iterations": self.iterations,
            "rounds": len(self.native),
            "native_s": round(median(self.native), 4),
            "native_min_s": round(min(self.native), 4),
            "native_max_s": round(max(self.native), 4),
            "grader_s": round(median(self.grader), 4),
            "relative": round(self.relative, 4),
            "relative_min": round(min(self.paired), 4),
            "relative_max": round(max(self.paired), 4),
        }


def measure(python: Group, floor: Floor, graded: Graded, rounds: int) -> Accuracy:
    """``python`` gives the language and image; ``floor.jobs`` loops run at once."""
    names = (f"cal{n}" for n in itertools.count())
    iterations = _calibrate(lambda n: _cpu_of(floor, _burn_group(python, next(names), 1, n)))
    native, grader = [], []
    for index in range(rounds):
        group = _burn_group(python, f"burn{index}", floor.jobs, iterations)
        native.append(_cpu_of(floor, group) / group.runs)
        report = graded.run(group)
        grader.append(fmean(c.cpu_time or 0.0 for r in report.submissions for c in r.cases))
    return Accuracy(iterations, tuple(native), tuple(grader))


def _calibrate(cpu_for: Callable[[int], float], small: int = 1_000_000) -> int:
    """Iterations that burn TARGET_S: fit start-up + per-iteration cost on two sizes, each
    the least of three runs (the least disturbed by other load)."""
    low = min(cpu_for(small) for _ in range(3))
    high = min(cpu_for(4 * small) for _ in range(3))
    per_iteration = max((high - low) / (3 * small), 1e-9)
    start_up = max(low - small * per_iteration, 0.0)
    return max(small, round((TARGET_S - start_up) / per_iteration))


def _cpu_of(floor: Floor, group: Group) -> float:
    """CPU seconds (user + system) of every process the floor runs for ``group``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    floor.run(group)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _burn_group(python: Group, name: str, programs: int, iterations: int) -> Group:
    """``programs`` copies of the loop, named ``name-NN``, each with one case."""
    template = python.programs[0]
    entry = next(iter(template.files))
    burn = tuple(
        replace(template, id=f"{name}-{i:02d}", files={entry: BURN.encode()})
        for i in range(programs)
    )
    stdin = f"{iterations}\n".encode()
    return replace(python, programs=burn, cases=(Case("burn", stdin, stdin),))
