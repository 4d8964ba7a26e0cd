"""Every report format as one record, in one registry: ``FORMATS``.

A ``ReportFormat`` says what ``grader run`` needs to offer and write the format: its name
(the key of a run's targets), its command-line option and help, the title the console
names its file with, the suffix of its file in a problem set's detail folder, and the
function that renders a ``Report`` as text. ``grader run`` makes one option per record, in
this order (``cli/options.py``), and ``write_reports`` writes each one asked for. Adding a
format is a module with its ``render_<format>`` (and ``write_<format>``, for callers that
want one file) and a record here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from grader.errors import UsageError
from grader.model import Report
from grader.report.ctrf import render_ctrf
from grader.report.files import write_atomically
from grader.report.gradebook import render_csv
from grader.report.gradescope import render_gradescope
from grader.report.html import render_html
from grader.report.json import render_json
from grader.report.junit import render_junit
from grader.report.markdown import render_markdown, write_markdown

__all__ = ["FORMATS", "ReportFormat", "check_targets", "write_reports"]

Render = Callable[[Report], str]
# report, path ('-' for stdout), every target of the run (format name -> path)
Write = Callable[[Report, str, Mapping[str, str]], None]


@dataclass(frozen=True)
class ReportFormat:
    """One report format: how the command line asks for it and how it is written."""

    name: str  # the key of a run's targets ("junit")
    option: str  # the `grader run` option that asks for it ("--junit")
    suffix: str  # of its file among a problem set's detail reports (<problem>.xml)
    title: str  # the console says "<title> report: PATH" ("JUnit XML")
    about: str  # what it is, in `grader run --help` and its option's help ("JUnit XML")
    render: Render
    help: str = ""  # the option's help; by default "Also write <about> here."
    # Set when the file depends on the run's other files (the Markdown summary links the
    # HTML report); by default the rendered text is written atomically.
    write: Write | None = None
    always: bool = False  # written even when not asked for: to reports/<name><suffix>

    @property
    def option_help(self) -> str:
        return self.help or f"Also write {self.about} here."

    def write_file(self, report: Report, path: str, targets: Mapping[str, str]) -> None:
        """Write ``report`` to ``path`` (``-``: stdout); ``targets``: the run's others."""
        if self.write is None:
            write_atomically(path, self.render(report))
        else:
            self.write(report, path, targets)


def _markdown_linking_html(report: Report, path: str, targets: Mapping[str, str]) -> None:
    write_markdown(report, path, targets.get("html"))


# fmt: off
# ReportFormat(name, option, suffix, title, about, render, ...), one a format, in the order
# `grader run --help` lists their options.
_RECORDS = (
    ReportFormat("json", "--json", ".json", "JSON", "the JSON report", render_json,
                 help="Write the JSON report here ('-' for stdout). Default: "
                 "reports/<problem>.json.", always=True),
    ReportFormat("html", "--html", ".html", "HTML", "an HTML page", render_html),
    ReportFormat("junit", "--junit", ".xml", "JUnit XML", "JUnit XML", render_junit),
    ReportFormat("csv", "--csv", ".csv", "CSV", "a CSV gradebook", render_csv),
    ReportFormat("ctrf", "--ctrf", ".ctrf.json", "CTRF", "CTRF JSON", render_ctrf),
    ReportFormat("markdown", "--markdown", ".md", "Markdown summary", "a Markdown summary",
                 render_markdown,  # unlinked: a problem set's detail summaries
                 help="Also write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).",
                 write=_markdown_linking_html),
    ReportFormat("gradescope", "--gradescope", ".gradescope.json", "Gradescope results.json",
                 "Gradescope's results.json", render_gradescope,
                 help="Also write Gradescope's autograder results.json here."),
)
# fmt: on
FORMATS: Mapping[str, ReportFormat] = {record.name: record for record in _RECORDS}


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
        FORMATS[fmt].write_file(report, path, written)
    return written
