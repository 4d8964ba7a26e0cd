"""JUnit XML for CI test dashboards (Jenkins, GitLab, GitHub Actions test reporters).

The output validates against Jenkins xunit's ``junit-10.xsd``. It is written with the
standard library's ``xml.etree.ElementTree`` rather than the unmaintained ``junit-xml``
package: that package emits unrounded times and a ``disabled`` attribute on
``<testsuites>``, both of which fail the schema, and silently deletes control characters
from messages. Here every untrusted string goes through ``text.visible`` first, so NUL,
escapes and undecodable bytes appear as ``\\x00``-style escapes and the XML stays
well-formed.

Mapping: one ``<testsuite>`` per submission, one ``<testcase>`` per case, with
``classname`` = ``<problem>.<submission>`` (dots and slashes inside ids become ``_``) and
``time`` = CPU seconds to 3 decimals. WA, TLE, MLE, RTE, OLE and CE are ``<failure>``, IE
is ``<error>``, a case not run is ``<skipped>``; cases of a CE or IE submission carry its
verdict (see ``outcomes``). Measurements, the message and an interactive case's
transcript go in ``<system-out>``, with the case's group when it has one; each group's
points, verdict and pass/fail are ``group.<name>`` properties of the submission's suite.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from grader.model import Limits, Report, SubmissionResult, Verdict
from grader.report.files import write_atomically
from grader.report.outcomes import (
    CaseOutcome,
    case_groups,
    case_limits,
    case_outcomes,
    group_summary,
)
from grader.report.text import exit_status, mebibytes, memory_limit, seconds, visible

__all__ = ["classname", "render_junit", "write_junit"]

_ELEMENT = {
    Verdict.WA: "failure",
    Verdict.TLE: "failure",
    Verdict.MLE: "failure",
    Verdict.RTE: "failure",
    Verdict.OLE: "failure",
    Verdict.CE: "failure",
    Verdict.IE: "error",
    Verdict.SKIPPED: "skipped",
}
_ID_SEPARATORS = str.maketrans({".": "_", "/": "_", "\\": "_"})
_COUNTED = ("failure", "error", "skipped")


def classname(problem: str, submission: str) -> str:
    """``<problem>.<submission>``, with dots and slashes inside either id as ``_``."""
    return ".".join(visible(part.translate(_ID_SEPARATORS)) for part in (problem, submission))


def _time(value: float | None) -> str:
    return f"{value or 0.0:.3f}"


def render_junit(report: Report) -> str:
    """The JUnit XML document for ``report``."""
    limits = case_limits(report.problem)
    groups = case_groups(report.problem)
    root = ET.Element("testsuites", name=visible(report.problem.name))
    for result in report.submissions:
        root.append(_suite(report, result, limits, groups))
    for total in ("tests", "failures", "errors"):
        root.set(total, str(sum(int(suite.get(total, "0")) for suite in root)))
    root.set("time", _time(sum(result.cpu_time for result in report.submissions)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _suite(
    report: Report, result: SubmissionResult, limits: dict[str, Limits], groups: dict[str, str]
) -> ET.Element:
    name = classname(report.problem.name, result.id)
    fallback = report.problem.limits
    cases = [
        _case(
            name,
            outcome,
            limits.get(outcome.case.name, fallback),
            groups.get(outcome.case.name, ""),
        )
        for outcome in case_outcomes(result)
    ]
    kinds = [child.tag for case in cases for child in case if child.tag in _COUNTED]
    suite = ET.Element(
        "testsuite",
        name=name,
        tests=str(len(cases)),
        failures=str(kinds.count("failure")),
        errors=str(kinds.count("error")),
        skipped=str(kinds.count("skipped")),
        time=_time(result.cpu_time),
        timestamp=visible(report.started_at),
    )
    suite.append(_properties(report, result))
    suite.extend(cases)
    detail = "\n\n".join(visible(text) for text in (result.message, result.compile_log) if text)
    if detail:
        ET.SubElement(suite, "system-out").text = detail
    return suite


def _properties(report: Report, result: SubmissionResult) -> ET.Element:
    properties = ET.Element("properties")
    values = {
        "submission": visible(result.id),
        "language": visible(result.language),
        "verdict": result.verdict.value,
        "points": f"{result.points:g}",
        "max_points": f"{result.max_points:g}",
        "score": f"{result.score:.6g}",
    }
    for group in result.groups:
        values[f"group.{visible(group.name)}"] = visible(group_summary(group))
    if report.environment is not None:  # the host graded on, as in the JSON report
        for key, fact in report.environment.facts().items():
            values[f"host.{key}"] = visible(fact)
    for key, value in values.items():
        ET.SubElement(properties, "property", name=key, value=value)
    return properties


def _case(suite: str, outcome: CaseOutcome, limits: Limits, group: str) -> ET.Element:
    case = outcome.case
    element = ET.Element(
        "testcase", classname=suite, name=visible(case.name), time=_time(case.cpu_time)
    )
    tag = _ELEMENT.get(outcome.verdict)
    message = visible(outcome.message)
    if tag == "skipped":
        ET.SubElement(element, tag, message=message)
    elif tag is not None:
        body = "\n\n".join(text for text in (message, visible(outcome.log)) if text)
        ET.SubElement(element, tag, type=outcome.verdict.value, message=message).text = body
    ET.SubElement(element, "system-out").text = _measurements(outcome, limits, group)
    return element


def _measurements(outcome: CaseOutcome, limits: Limits, group: str) -> str:
    case = outcome.case
    lines = [f"group: {visible(group)}"] if group else []
    lines += [
        f"verdict: {outcome.verdict.value}",
        f"cpu time: {seconds(case.cpu_time)} (limit {limits.time:g} s)",
        f"wall time: {seconds(case.wall_time)} (limit {limits.wall:g} s)",
        f"memory: {mebibytes(case.memory)} (limit {memory_limit(limits.memory)})",
        f"exit: {exit_status(case.exit_code, case.signal)}",
    ]
    if outcome.message:
        lines.append(f"message: {visible(outcome.message)}")
    if case.transcript:
        lines.append(f"transcript:\n{visible(case.transcript)}")
    return "\n".join(lines)


def write_junit(report: Report, path: Path | str) -> None:
    write_atomically(path, render_junit(report))
