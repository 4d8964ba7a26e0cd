"""A problem as the judge sees it: its cases, their limits, its groups and its checker
(a built-in rule or the problem's own program). Built by ``grader/problem/`` from YAML or
a package; nothing here reads a file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from grader.model.programs import Submission
from grader.model.results import Verdict

__all__ = [
    "CHECKER_LIMITS",
    "MIB",
    "Aggregation",
    "CheckerProgram",
    "CheckerSpec",
    "Convention",
    "Group",
    "Limits",
    "Problem",
    "TestCase",
]

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Resource limits for one run. Times in seconds, sizes in bytes."""

    time: float = 1.0  # CPU seconds
    wall: float = 3.0  # wall-clock seconds
    memory: int = 128 * MIB
    output: int = 8 * MIB  # stdout (and, separately, stderr) beyond this is OLE
    processes: int = 64  # processes and threads, the supervisor included
    cpus: float = 1.0  # CPU quota in cores
    scratch: int = 64 * MIB  # size of the writable /tmp and /box (tmpfs)


@dataclass(frozen=True)
class CheckerSpec:
    """A comparison rule chosen by the problem, with its YAML options; or, when ``program``
    is set, the problem's own checker program (``name`` then only describes it)."""

    name: str = "tokens"
    options: Mapping[str, object] = field(default_factory=dict)
    program: CheckerProgram | None = None


class Convention(StrEnum):
    """How a checker program is called and what its exit status means."""

    KATTIS = "kattis"  # checker input answer feedback_dir/ [args] < output; 42 AC, 43 WA
    TESTLIB = "testlib"  # checker input output answer [args]; 0 AC, 1 WA, 2 PE, 3 fail, 7 points


# A checker program's own limits unless the problem sets them (wall as ``default_wall``).
# A checker program's default limits; its wall limit follows problem.limits.default_wall.
CHECKER_LIMITS = Limits(time=10.0, wall=21.0, memory=512 * MIB, output=1 * MIB)


@dataclass(frozen=True)
class CheckerProgram:
    """A problem's own checker: its sources, read like a submission (language by extension
    or a folder's entry point), and how to call it."""

    source: Submission
    convention: Convention
    args: tuple[str, ...] = ()  # appended after the convention's arguments
    presentation_error: Verdict = Verdict.WA  # testlib's "wrong output format" (exit 2, 4, 8)
    limits: Limits = CHECKER_LIMITS


@dataclass(frozen=True)
class TestCase:
    """One input and its expected output, with the limits that apply to it."""

    __test__ = False  # not a pytest class

    name: str
    stdin: bytes
    expected: bytes
    limits: Limits
    points: float = 1.0
    description: str = ""
    group: str = ""  # the name of its Group; "" for none
    visible: bool = False  # input, expected output and messages shown in student reports
    # An interactive sample's exchange as shown to participants (a Kattis ``x.interaction``
    # file: ``>`` lines to the submission, ``<`` lines from it); b"" for none.
    interaction: bytes = b""


class Aggregation(StrEnum):
    """How a group's cases make its score."""

    SUM = "sum"  # the share of the cases' points earned
    MIN = "min"  # the smallest share any case earned: all-or-nothing for pass/fail cases


@dataclass(frozen=True)
class Group:
    """Cases scored together (a subtask), worth ``points`` (None: the sum of its cases'),
    earning nothing unless every group in ``requires`` passed."""

    name: str
    aggregation: Aggregation = Aggregation.SUM
    points: float | None = None
    requires: tuple[str, ...] = ()
    visible: bool = False  # the default of its cases' ``visible``
    description: str = ""


@dataclass(frozen=True)
class Problem:
    name: str
    title: str
    root: Path
    limits: Limits
    checker: CheckerSpec
    tests: tuple[TestCase, ...]
    description: str = ""
    groups: tuple[Group, ...] = ()
    # Language key -> factor on the time limits (CPU and wall) for that language; 1 if absent.
    time_multipliers: Mapping[str, float] = field(default_factory=dict)
    # "time", "memory", "output" -> where the problem-wide limit comes from, for reports
    # (a package's default, derived from the jury's submissions, --time-limit, ...).
    limit_sources: Mapping[str, str] = field(default_factory=dict)
    # The checker program is an interactor (Kattis convention): it talks to the submission
    # while it runs, instead of reading its output afterwards (``judging.interactive``).
    interactive: bool = False

    def group_max_points(self, group: Group) -> float:
        if group.points is not None:
            return group.points
        return sum(case.points for case in self.tests if case.group == group.name)

    @property
    def max_points(self) -> float:
        names = {group.name for group in self.groups}
        ungrouped = sum(case.points for case in self.tests if case.group not in names)
        return ungrouped + sum(self.group_max_points(group) for group in self.groups)
