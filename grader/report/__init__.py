"""Report writers: JSON (machines), HTML (people), JUnit XML and CTRF (CI dashboards), a
CSV gradebook, a Markdown summary (CI job summaries) and Gradescope's results.json.

Every writer takes a ``Report`` and writes a file atomically (temp file + rename), so an
interrupted run never leaves half a report; ``-`` writes to stdout. ``write_reports``
writes any combination of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

from grader.errors import UsageError
from grader.model import Report
from grader.report.ctrf import render_ctrf, report_to_ctrf, write_ctrf
from grader.report.files import write_atomically
from grader.report.gradebook import render_csv, write_csv
from grader.report.gradescope import render_gradescope, write_gradescope
from grader.report.html import render_html, write_html
from grader.report.json import (
    SCHEMA_VERSION,
    json_schema,
    render_json,
    report_to_dict,
    write_json,
)
from grader.report.junit import render_junit, write_junit
from grader.report.markdown import render_markdown, write_markdown

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "TITLES",
    "check_targets",
    "json_schema",
    "render_csv",
    "render_ctrf",
    "render_gradescope",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "report_to_ctrf",
    "report_to_dict",
    "write_atomically",
    "write_csv",
    "write_ctrf",
    "write_gradescope",
    "write_html",
    "write_json",
    "write_junit",
    "write_markdown",
    "write_reports",
]

FORMATS: Mapping[str, Callable[[Report], str]] = {
    "json": render_json,
    "html": render_html,
    "junit": render_junit,
    "csv": render_csv,
    "ctrf": render_ctrf,
    "markdown": render_markdown,
    "gradescope": render_gradescope,
}

TITLES: Mapping[str, str] = {
    "json": "JSON",
    "html": "HTML",
    "junit": "JUnit XML",
    "csv": "CSV",
    "ctrf": "CTRF",
    "markdown": "Markdown summary",
    "gradescope": "Gradescope results.json",
}


def check_targets(targets: Mapping[str, str | None]) -> None:
    """Refuse, before any work, targets that would clobber each other: two reports on
    stdout (``-``) or in one file. ``None`` means the format is not wanted."""
    unknown = set(targets) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown report formats: {sorted(unknown)}")
    paths = Counter(path for path in targets.values() if path is not None)
    for path, count in paths.items():
        if count > 1:
            formats = ", ".join(f for f, p in targets.items() if p == path)
            where = "stdout ('-')" if path == "-" else repr(path)
            raise UsageError(f"the {formats} reports cannot all go to {where}")


def write_reports(report: Report, targets: Mapping[str, str | None]) -> dict[str, str]:
    """Write ``report`` in each format of ``targets`` (format -> path, ``-`` for stdout,
    ``None`` to skip); returns the targets written."""
    check_targets(targets)
    written = {fmt: path for fmt, path in targets.items() if path is not None}
    for fmt, path in written.items():
        if fmt == "markdown":  # the one format that points at another: the HTML report
            write_markdown(report, path, written.get("html"))
        else:
            write_atomically(path, FORMATS[fmt](report))
    return written
