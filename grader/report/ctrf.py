"""CTRF (Common Test Report Format, https://ctrf.io) JSON for CI dashboards.

One CTRF test per (submission, case): ``name`` is ``<submission> :: <case>``, ``suite``
is ``[problem, submission]``, ``duration`` is CPU milliseconds. AC is ``passed``; WA,
TLE, MLE, RTE, OLE and CE are ``failed``; IE is ``other``; a case not run is
``skipped``; ``rawStatus`` keeps grader's verdict. Cases of a CE or IE submission carry
its verdict (see ``outcomes``), with the compile log as ``trace``. Measurements and the
case's group go in each test's ``extra``, each submission's group results in the
results' ``extra.groups``; ``environment.healthy`` is false for an interrupted run or an IE.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from grader import __version__
from grader.judging.verdicts import signal_name
from grader.model import Report, SubmissionResult, Verdict
from grader.report.files import write_atomically
from grader.report.outcomes import CaseOutcome, case_groups, case_outcomes
from grader.report.text import visible

__all__ = ["SPEC_VERSION", "STATUS", "render_ctrf", "report_to_ctrf", "write_ctrf"]

SPEC_VERSION = "1.0.0"
STATUS = {
    Verdict.AC: "passed",
    Verdict.WA: "failed",
    Verdict.TLE: "failed",
    Verdict.MLE: "failed",
    Verdict.RTE: "failed",
    Verdict.OLE: "failed",
    Verdict.CE: "failed",
    Verdict.IE: "other",
    Verdict.SKIPPED: "skipped",
}


def _epoch_ms(timestamp: str) -> int:
    """Milliseconds since the epoch of an ISO 8601 time; 0 if it is not one."""
    try:
        return round(datetime.fromisoformat(timestamp).timestamp() * 1000)
    except ValueError:
        return 0


def _ms(value: float | None) -> int:
    return round((value or 0.0) * 1000)


def _test(
    problem: str, result: SubmissionResult, outcome: CaseOutcome, group: str
) -> dict[str, Any]:
    case = outcome.case
    submission, name = visible(result.id), visible(case.name)
    test: dict[str, Any] = {
        "name": f"{submission} :: {name}",
        "status": STATUS[outcome.verdict],
        "duration": _ms(case.cpu_time),
        "testId": f"{problem}/{submission}/{name}",
        "suite": [problem, submission],
        "rawStatus": outcome.verdict.value,
        "extra": {
            "submission": submission,
            "language": visible(result.language),
            "case": name,
            "group": visible(group) if group else None,
            "points": case.points,
            "max_points": case.max_points,
            "cpu_time_s": case.cpu_time,
            "wall_time_s": case.wall_time,
            "memory_bytes": case.memory,
            "exit_code": case.exit_code,
            "signal": signal_name(case.signal) if case.signal is not None else None,
        },
    }
    if outcome.message:
        test["message"] = visible(outcome.message)
    if outcome.log:
        test["trace"] = visible(outcome.log)
    return test


def _groups(result: SubmissionResult) -> list[dict[str, Any]]:
    return [
        {
            "name": visible(group.name),
            "verdict": group.verdict.value,
            "points": group.points,
            "max_points": group.max_points,
            "passed": group.passed,
        }
        for group in result.groups
    ]


def report_to_ctrf(report: Report) -> dict[str, Any]:
    """``report`` as a CTRF document (a JSON-ready dict)."""
    problem = visible(report.problem.name)
    groups = case_groups(report.problem)
    tests = [
        _test(problem, result, outcome, groups.get(outcome.case.name, ""))
        for result in report.submissions
        for outcome in case_outcomes(result)
    ]
    start, stop = _epoch_ms(report.started_at), _epoch_ms(report.finished_at)
    summary: dict[str, Any] = {"tests": len(tests)}
    for status in ("passed", "failed", "skipped", "pending", "other"):
        summary[status] = sum(1 for test in tests if test["status"] == status)
    summary.update(suites=len(report.submissions), start=start, stop=stop)
    summary["duration"] = max(0, stop - start)
    healthy = report.complete and all(r.verdict is not Verdict.IE for r in report.submissions)
    return {
        "reportFormat": "CTRF",
        "specVersion": SPEC_VERSION,
        "timestamp": report.finished_at,
        "generatedBy": f"grader {__version__}",
        "results": {
            "tool": {"name": "grader", "version": __version__},
            "summary": summary,
            "tests": tests,
            "environment": _environment(report, healthy),
            "extra": {
                "problem": problem,
                "complete": report.complete,
                "groups": {visible(r.id): _groups(r) for r in report.submissions if r.groups},
            },
        },
    }


def _environment(report: Report, healthy: bool) -> dict[str, Any]:
    """CTRF's environment: the report's name, health and the host graded on."""
    found: dict[str, Any] = {"reportName": visible(report.problem.title), "healthy": healthy}
    host = report.environment
    if host is not None:
        found |= {"osPlatform": "linux", "osRelease": visible(host.kernel)}
        found["extra"] = {key: visible(fact) for key, fact in host.facts().items()}
    return found


def render_ctrf(report: Report) -> str:
    return json.dumps(report_to_ctrf(report), indent=2) + "\n"


def write_ctrf(report: Report, path: Path | str) -> None:
    write_atomically(path, render_ctrf(report))
