"""RunResult + limits -> verdict, as a table read top to bottom.

Resource verdicts come first, in the order of ``RULES``; only a run that breaks none of
them is compared with the expected output (by the problem's checker, in ``judge.py``).
"""

from __future__ import annotations

import signal as signals
from collections.abc import Callable
from dataclasses import dataclass, replace

from grader.model import MIB, KilledBy, Limits, RunResult, Verdict

__all__ = ["RULES", "Rule", "allowing", "classify", "signal_name"]


@dataclass(frozen=True)
class Rule:
    verdict: Verdict
    applies: Callable[[RunResult, Limits], bool]
    explain: Callable[[RunResult, Limits], str]


def signal_name(number: int) -> str:
    try:
        return signals.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _cpu_exceeded(run: RunResult, limits: Limits) -> bool:
    return run.killed_by is KilledBy.CPU or run.cpu_time > limits.time


def _wall_exceeded(run: RunResult, limits: Limits) -> bool:
    return run.killed_by is KilledBy.WALL


def _memory_exceeded(run: RunResult, limits: Limits) -> bool:
    return run.oom or run.killed_by is KilledBy.MEMORY or run.memory_peak > limits.memory


def _output_exceeded(run: RunResult, limits: Limits) -> bool:
    too_much = max(run.stdout_bytes, run.stderr_bytes) > limits.output
    return run.killed_by is KilledBy.OUTPUT or too_much


def _crashed(run: RunResult, limits: Limits) -> bool:
    return run.signal is not None or run.exit_code != 0


def _explain_crash(run: RunResult, limits: Limits) -> str:
    if run.signal is not None:
        return f"killed by {signal_name(run.signal)}"
    return f"exit code {run.exit_code}"


RULES: tuple[Rule, ...] = (
    Rule(
        Verdict.TLE,
        _cpu_exceeded,
        lambda r, lim: f"CPU time over the {lim.time:g} s limit",
    ),
    Rule(
        Verdict.TLE,
        _wall_exceeded,
        lambda r, lim: f"wall time over the {lim.wall:g} s limit (waiting, not computing)",
    ),
    Rule(
        Verdict.MLE,
        _memory_exceeded,
        lambda r, lim: f"memory over the {lim.memory / MIB:g} MiB limit",
    ),
    Rule(
        Verdict.OLE,
        _output_exceeded,
        lambda r, lim: f"output over the {lim.output / MIB:g} MiB limit",
    ),
    Rule(Verdict.RTE, _crashed, _explain_crash),
)


def allowing(limits: Limits, allowance: int) -> Limits:
    """``limits`` with ``allowance`` more memory: a runtime's own (a JVM's), allowed on top
    of the memory limit."""
    return replace(limits, memory=limits.memory + allowance)


def classify(run: RunResult, limits: Limits, allowance: int = 0) -> tuple[Verdict, str] | None:
    """The resource verdict of a run and why, or None for a clean run to compare;
    ``allowance`` as in ``allowing``."""
    allowed = allowing(limits, allowance)
    for rule in RULES:
        if rule.applies(run, allowed):
            return rule.verdict, rule.explain(run, allowed)
    return None
