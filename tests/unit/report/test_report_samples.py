"""Hand-built reports the ``test_report_*`` modules share, and the guarantees of the samples
themselves: every verdict, a compile log, hostile output. No Docker anywhere."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from paths import TESTS

from grader.environment import Enforcement, HostEnvironment
from grader.model import (
    MIB,
    Aggregation,
    CaseResult,
    CheckerSpec,
    Group,
    GroupResult,
    Limits,
    Problem,
    Report,
    SubmissionResult,
    TestCase,
    Verdict,
)

DATA = TESTS / "data"

# What a hostile program can get into a message: NUL and other control characters, a
# terminal escape, bytes that are not UTF-8 (as the judge decodes them, and as a lone
# surrogate from os.fsdecode), a CDATA terminator, markup and quotes.
HOSTILE = (
    "NUL\x00 BEL\x07 VT\x0b ESC\x1b[31m DEL\x7f C1\x85 "
    + b"bad \xff\xfe utf8".decode("utf-8", errors="backslashreplace")
    + " raw\udcff ]]> <script>alert(1)</script> & \"quoted\" 'single' \ufffe end"
)
SCRIPT = "<script>alert(1)</script>"

CASE_NAMES = ("sample.1", "large", "edge/zero")
LIMITS = Limits(time=1.0, wall=3.0, memory=64 * MIB)
SLOW_LIMITS = Limits(time=2.5, wall=6.0, memory=256 * MIB)


def problem(names: tuple[str, ...] = CASE_NAMES) -> Problem:
    tests = tuple(
        TestCase(name, b"1 2\n", b"3\n", SLOW_LIMITS if name == "large" else LIMITS)
        for name in names
    )
    return Problem("sum.v2", "A + B", Path("/problems/sum"), LIMITS, CheckerSpec(), tests)


def ac(name: str, cpu: float = 0.0123456, memory: int = 5 * MIB) -> CaseResult:
    return CaseResult(name, Verdict.AC, 1.0, 1.0, cpu, cpu + 0.01, memory, 0, None, "")


def failed(name: str, verdict: Verdict, message: str, **measured: object) -> CaseResult:
    values: dict[str, object] = {
        "cpu_time": 0.25,
        "wall_time": 0.3,
        "memory": 6 * MIB,
        "exit_code": 0,
        "signal": None,
    }
    values.update(measured)
    return CaseResult(name, verdict, 0.0, 1.0, message=message, **values)  # type: ignore[arg-type]


def skipped(name: str) -> CaseResult:
    return CaseResult(name, Verdict.SKIPPED, 0.0, 1.0, message="not run")


def submission(
    id: str, verdict: Verdict, cases: tuple[CaseResult, ...], **extra: str
) -> SubmissionResult:
    points = sum(case.points for case in cases)
    return SubmissionResult(id, "python", verdict, points, 3.0, cases, **extra)


def every_verdict_report() -> Report:
    """One submission per submission verdict, cases of every verdict, hostile output."""
    a, b, c = CASE_NAMES
    results = (
        submission("alice", Verdict.AC, (ac(a), ac(b, cpu=1.23456789), ac(c))),
        submission(
            "bob",
            Verdict.WA,
            (ac(a), failed(b, Verdict.WA, f"line 1: expected 3, got {HOSTILE}"), ac(c)),
        ),
        submission(
            "carol",
            Verdict.TLE,
            (
                ac(a),
                failed(
                    b,
                    Verdict.TLE,
                    "CPU time over the 2.5 s limit",
                    cpu_time=2.6,
                    exit_code=None,
                    signal=9,
                ),
                skipped(c),
            ),
        ),
        submission(
            "dave",
            Verdict.MLE,
            (failed(a, Verdict.MLE, "memory over the 64 MiB limit", memory=70 * MIB), ac(b), ac(c)),
        ),
        submission(
            "eve",
            Verdict.RTE,
            (
                ac(a),
                ac(b),
                failed(c, Verdict.RTE, f"killed by SIGSEGV: {HOSTILE}", exit_code=None, signal=11),
            ),
        ),
        submission(
            "frank",
            Verdict.OLE,
            (failed(a, Verdict.OLE, "output over the 8 MiB limit"), ac(b), ac(c)),
        ),
        submission(
            "grace",
            Verdict.CE,
            tuple(skipped(name) for name in CASE_NAMES),
            message="compilation failed",
            compile_log=f"main.c:1:1: error: expected ';'\n{HOSTILE}\n[grader] exit code 1",
        ),
        submission(
            "heidi",
            Verdict.IE,
            tuple(skipped(name) for name in CASE_NAMES),
            message="SandboxError: the engine went away",
        ),
        submission(
            "ivan",
            Verdict.IE,
            (ac(a), failed(b, Verdict.IE, "checker failed: KeyError: 'x'"), ac(c)),
        ),
        submission(
            "=cmd|' /C calc'!A0", Verdict.WA, (ac(a), ac(b), failed(c, Verdict.WA, "wrong"))
        ),
        submission("team.one/alice", Verdict.AC, (ac(a), ac(b), ac(c))),
        submission(
            f"mallory\x00{SCRIPT}\udcff",
            Verdict.RTE,
            (failed(a, Verdict.RTE, "exit code 1", exit_code=1), ac(b), ac(c)),
        ),
    )
    return Report(problem(), results, "2025-01-02T03:04:05+00:00", "2025-01-02T03:05:06+00:00")


def grouped_report() -> Report:
    """Subtasks: "sample" (worth nothing) and "main" (all or nothing, requires sample);
    alice passes both, bob fails main."""
    cases = (
        TestCase("s1", b"", b"", LIMITS, group="sample"),
        TestCase("m1", b"", b"", LIMITS, points=10, group="main"),
    )
    groups = (Group("sample", points=0.0), Group("main", Aggregation.MIN, 10.0, ("sample",)))
    grouped = Problem("sub", "Subtasks", Path("."), LIMITS, CheckerSpec(), cases, groups=groups)
    passed = (
        GroupResult("sample", Verdict.AC, 0.0, 0.0, True),
        GroupResult("main", Verdict.AC, 10.0, 10.0, True),
    )
    failing = (passed[0], GroupResult("main", Verdict.WA, 0.0, 10.0, False))
    alice = SubmissionResult(
        "alice", "python", Verdict.AC, 10.0, 10.0, (ac("s1"), ac("m1")), groups=passed
    )
    bob_cases = (ac("s1"), failed("m1", Verdict.WA, "line 1: expected 3, got 4"))
    bob = SubmissionResult("bob", "python", Verdict.WA, 0.0, 10.0, bob_cases, groups=failing)
    return Report(grouped, (alice, bob), "2025-01-02T03:04:05+00:00", "2025-01-02T03:05:06+00:00")


def large_report(submissions: int = 200, cases: int = 50) -> Report:
    """A big class: ``submissions`` x ``cases``, mostly AC with a WA in every seventh."""
    names = tuple(f"case{index:02d}" for index in range(1, cases + 1))
    results = []
    for index in range(submissions):
        rows = tuple(
            failed(name, Verdict.WA, "line 3: expected 42, got 41")
            if (index + n) % 7 == 0
            else ac(name)
            for n, name in enumerate(names)
        )
        verdict = Verdict.WA if any(r.verdict is Verdict.WA for r in rows) else Verdict.AC
        results.append(
            SubmissionResult(f"student{index:03d}", "python", verdict, 1.0, float(cases), rows)
        )
    return Report(
        problem(names), tuple(results), "2025-01-02T03:04:05+00:00", "2025-01-02T03:25:06+00:00"
    )


def test_the_sample_covers_every_verdict_among_submissions_and_cases() -> None:
    report = every_verdict_report()
    seen = {r.verdict for r in report.submissions} | {
        case.verdict for r in report.submissions for case in r.cases
    }
    assert seen == set(Verdict)


def test_the_sample_has_a_compile_log_and_hostile_output() -> None:
    report = every_verdict_report()
    assert any(r.verdict is Verdict.CE and r.compile_log for r in report.submissions)
    assert any(HOSTILE in case.message for r in report.submissions for case in r.cases)


# A cgroup v2 host where everything is measured, and one where nothing is.
V2_HOST = HostEnvironment(
    kernel="6.1.0-28-amd64",
    docker_version="20.10.24+dfsg1",
    oci_runtime="runc 1.1.5+ds1",
    engine_cgroup_version="2",
    enforcement=Enforcement(cgroup_version=2, tree_cpu=True, oom_kills=True, memory="peak"),
)
BLIND_HOST = replace(
    V2_HOST,
    enforcement=Enforcement(cgroup_version=None, tree_cpu=False, oom_kills=False, memory=None),
)
