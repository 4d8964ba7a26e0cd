"""The HTML report: one self-contained page for people (teachers, contest staff).

Rendered by Jinja2 with autoescaping from ``templates/report.html.j2``; the CSS and the
little JavaScript (verdict filter and submission search only) are inlined, and the page
references nothing outside itself: no CDN, web font, image or link. Charts are inline SVG
(``charts``), drawn without script. With JavaScript off
the page is complete: per-submission detail opens with ``<details>``. Every untrusted
string goes through ``text.visible`` and then the autoescaper, so a ``<script>`` in a
message shows as text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from grader import __version__
from grader.model import CaseResult, Report, SubmissionResult, Verdict
from grader.report.charts import chart_set
from grader.report.files import write_atomically
from grader.report.outcomes import case_limits
from grader.report.student import visible_data
from grader.report.text import exit_status, mebibytes, memory_limit, seconds, visible

__all__ = ["render_html", "template", "write_html"]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("grader.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(
    visible=visible,
    number=lambda value: f"{value:g}",
    seconds=seconds,
    mebibytes=mebibytes,
    memory_limit=memory_limit,
)
_ENV.globals["exit_status"] = exit_status


@dataclass(frozen=True)
class _Row:
    """One submission: its result and its cases lined up with the problem's."""

    anchor: str
    result: SubmissionResult
    cells: tuple[CaseResult | None, ...]


def _rows(report: Report) -> list[_Row]:
    names = [case.name for case in report.problem.tests]
    rows = []
    for index, result in enumerate(report.submissions, 1):
        by_name = {case.name: case for case in result.cases}
        cells = tuple(by_name.get(name) for name in names)
        rows.append(_Row(f"s{index}", result, cells))
    return rows


def _context(report: Report) -> dict[str, Any]:
    submissions = Counter(result.verdict for result in report.submissions)
    cases = Counter(case.verdict for result in report.submissions for case in result.cases)
    return {
        "report": report,
        "problem": report.problem,
        "rows": _rows(report),
        "limits": case_limits(report.problem),
        "verdicts": list(Verdict),
        "submission_counts": submissions,
        "case_counts": cases,
        "version": __version__,
        "case_groups": {case.name: case.group for case in report.problem.tests},
        "visible": {case.name for case in report.problem.tests if case.visible},
        "samples": visible_data(report.problem).values() if report.student else (),
        "charts": chart_set(report),
    }


def template(name: str) -> jinja2.Template:
    """A template of this package's, with the report filters (the scoreboard's too)."""
    return _ENV.get_template(name)


def render_html(report: Report) -> str:
    """The HTML page for ``report``."""
    return _ENV.get_template("report.html.j2").render(_context(report))


def write_html(report: Report, path: Path | str) -> None:
    write_atomically(path, render_html(report))
