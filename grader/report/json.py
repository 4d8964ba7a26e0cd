"""The JSON report: every submission's verdict and score, and every case's measurements.

Field names and units are part of grader's interface (documented in the README) and are
described by the JSON Schema shipped next to this module (``report.schema.json``, draft
2020-12, see ``json_schema``); bump ``SCHEMA_VERSION`` and the schema when they change.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from grader import __version__
from grader.environment import HostEnvironment
from grader.judging.verdicts import signal_name
from grader.model import CaseResult, GroupResult, Limits, Problem, Report, SubmissionResult
from grader.report.files import write_atomically
from grader.report.student import CaseData, visible_data

__all__ = [
    "SCHEMA_VERSION",
    "json_schema",
    "packaged_schema",
    "render_json",
    "report_to_dict",
    "write_json",
]

SCHEMA_VERSION = "3"  # 3: the environment block


def _limits(limits: Limits) -> dict[str, Any]:
    return {
        "time_s": limits.time,
        "wall_s": limits.wall,
        "memory_bytes": limits.memory,
        "output_bytes": limits.output,
        "processes": limits.processes,
        "cpus": limits.cpus,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _case(case: CaseResult, visible: bool, data: CaseData | None) -> dict[str, Any]:
    fields = {
        "name": case.name,
        "verdict": case.verdict.value,
        "points": case.points,
        "max_points": case.max_points,
        "cpu_time_s": _round(case.cpu_time),
        "wall_time_s": _round(case.wall_time),
        "memory_bytes": case.memory,
        "exit_code": case.exit_code,
        "signal": signal_name(case.signal) if case.signal is not None else None,
        "message": case.message,
        "visible": visible,
    }
    if case.host:
        fields["host"] = case.host
    if case.transcript:
        fields["transcript"] = case.transcript
    if data is not None:
        fields.update(input=data.input, expected_output=data.expected_output)
        if data.interaction:
            fields["interaction"] = data.interaction
    return fields


def _group(group: GroupResult) -> dict[str, Any]:
    return {
        "name": group.name,
        "verdict": group.verdict.value,
        "points": group.points,
        "max_points": group.max_points,
        "passed": group.passed,
        "message": group.message,
    }


def _submission(
    result: SubmissionResult, visible: set[str], shown: dict[str, CaseData]
) -> dict[str, Any]:
    return {
        "id": result.id,
        "language": result.language,
        "verdict": result.verdict.value,
        "score": round(result.score, 6),
        "points": result.points,
        "max_points": result.max_points,
        "cpu_time_s": _round(result.cpu_time),
        "message": result.message,
        "compile_log": result.compile_log,
        "cases": [_case(c, c.name in visible, shown.get(c.name)) for c in result.cases],
        "groups": [_group(group) for group in result.groups],
    }


def _groups(problem: Problem) -> list[dict[str, Any]]:
    return [
        {
            "name": group.name,
            "aggregation": group.aggregation.value,
            "max_points": problem.group_max_points(group),
            "requires": list(group.requires),
            "cases": [case.name for case in problem.tests if case.group == group.name],
        }
        for group in problem.groups
    ]


def report_to_dict(report: Report) -> dict[str, Any]:
    """The JSON document of ``report``; a student view adds the visible cases' data."""
    problem = report.problem
    visible = {case.name for case in problem.tests if case.visible}
    shown = visible_data(problem) if report.student else {}
    return {
        "schema_version": SCHEMA_VERSION,
        "grader_version": __version__,
        "problem": {
            "name": problem.name,
            "title": problem.title,
            "limits": _limits(problem.limits),
            "limit_sources": dict(problem.limit_sources),
            "checker": problem.checker.name,
            "cases": [case.name for case in problem.tests],
            "groups": _groups(problem),
        },
        "view": "student" if report.student else "full",
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "complete": report.complete,
        "summary": _summary(report),
        "submissions": [_submission(r, visible, shown) for r in report.submissions],
        "environment": _environment(report.environment),
    }


def _environment(host: HostEnvironment | None) -> dict[str, Any] | None:
    """The host graded on and what its containers could enforce; None when not known."""
    if host is None:
        return None
    found = host.enforcement
    return {
        "cgroup_version": host.cgroup_version or None,
        "kernel": host.kernel,
        "docker_version": host.docker_version,
        "oci_runtime": host.oci_runtime,
        "tree_cpu": found.tree_cpu if found else None,
        "oom_kills": found.oom_kills if found else None,
        "memory_capped": found.memory_capped if found else None,
        "cgroup_memory": found.memory if found else None,
        "cannot_enforce": list(host.missing()),
    }


def _summary(report: Report) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for result in report.submissions:
        counts[result.verdict.value] = counts.get(result.verdict.value, 0) + 1
    return {
        "submissions": len(report.submissions),
        "accepted": counts.get("AC", 0),
        "verdicts": counts,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``report_to_dict``'s output (``grader/report/report.schema.json``)."""
    return packaged_schema("report.schema.json")


def packaged_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``grader/report/``."""
    loaded: dict[str, Any] = json.loads(
        resources.files("grader.report").joinpath(name).read_text(encoding="utf-8")
    )
    return loaded


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2) + "\n"


def write_json(report: Report, path: Path | str) -> None:
    write_atomically(path, render_json(report))
