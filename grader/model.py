"""The frozen values that cross module boundaries: problems, languages, submissions, runs,
verdicts and results.

Nothing here does I/O or knows about YAML or Docker; ``problems.py`` and ``languages.py``
build these values from files, ``sandbox/`` produces ``RunResult`` and ``judge.py`` turns
them into ``SubmissionResult``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path, PurePosixPath

from grader.environment import HostEnvironment

__all__ = [
    "CHECKER_LIMITS",
    "MIB",
    "Aggregation",
    "CaseResult",
    "CheckerProgram",
    "CheckerSpec",
    "Convention",
    "Group",
    "GroupResult",
    "KilledBy",
    "Language",
    "Limits",
    "Problem",
    "ProgramFile",
    "Report",
    "RunResult",
    "Submission",
    "SubmissionResult",
    "TestCase",
    "Verdict",
    "report_time",
]

MIB = 1 << 20


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


class KilledBy(StrEnum):
    """Which limit made the supervisor kill a program."""

    CPU = "cpu"
    WALL = "wall"
    OUTPUT = "output"
    MEMORY = "memory"  # the container's memory at its cap (see the supervisor's TreeMemory)


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


@dataclass(frozen=True)
class Language:
    """A row of ``languages.yaml``: how to compile and run one language."""

    key: str
    name: str
    extensions: tuple[str, ...]
    image: str  # folder under images/
    run: tuple[str, ...]  # argv; {entry} and {main} are substituted
    compile: tuple[str, ...] | None = None
    entry_names: tuple[str, ...] = ()  # entry point file names tried in a folder submission
    env: Mapping[str, str] = field(default_factory=dict)
    memory_allowance: int = 0  # extra container memory the runtime needs, bytes
    notes: str = ""
    headers: tuple[str, ...] = ()  # extensions of files compiled with the sources, not as one
    check_only: bool = False  # compile is a check (a syntax check): the run gets the sources
    jvm_main: bool = False  # the run starts the compiled class that declares main

    def is_source(self, name: str) -> bool:
        """Whether ``name``'s extension is one of this language's: as listed, or in any
        case but for one letter (``.CPP`` is C++ like ``.cpp``; ``.C`` is C++, ``.c`` C)."""
        suffix = PurePosixPath(name).suffix[1:]
        return any(
            suffix == ext or (len(ext) > 1 and suffix.lower() == ext.lower())
            for ext in self.extensions
        )


@dataclass(frozen=True)
class ProgramFile:
    path: str  # relative, "/"-separated
    data: bytes
    mode: int = 0o644


@dataclass(frozen=True)
class Submission:
    """What one participant handed in. ``problem_reason`` explains why it cannot be run
    (unknown language, no entry point, ...) and makes it CE without a sandbox."""

    id: str
    path: Path
    language: Language | None
    files: tuple[ProgramFile, ...]
    entry: str = ""
    reason: str = ""


@dataclass(frozen=True)
class RunResult:
    """What the sandbox observed of one run of a program."""

    exit_code: int | None
    signal: int | None
    cpu_time: float
    wall_time: float
    memory_peak: int
    stdout: bytes
    stderr: bytes
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    oom: bool = False
    killed_by: KilledBy | None = None
    files: tuple[ProgramFile, ...] = ()
    start_error: str = ""  # the program could not be started at all
    # When it ended, on the kernel's monotonic clock (shared by the host and its containers
    # under runc): orders the ends of an interaction's two programs. None if unknown.
    ended_at: float | None = None


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
