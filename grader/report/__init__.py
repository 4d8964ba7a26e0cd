"""Report writers: JSON (machines), HTML (people), JUnit XML and CTRF (CI dashboards), a
CSV gradebook, a Markdown summary (CI job summaries) and Gradescope's results.json.

Every writer takes a ``Report`` and writes a file atomically (temp file + rename), so an
interrupted run never leaves half a report; ``-`` writes to stdout. Each format is one
record of ``FORMATS`` (``formats.py``); ``write_reports`` writes any combination of them.
"""

from __future__ import annotations

from grader.report.ctrf import render_ctrf, report_to_ctrf, write_ctrf
from grader.report.files import write_atomically
from grader.report.formats import FORMATS, ReportFormat, check_targets, write_reports
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
    "ReportFormat",
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
