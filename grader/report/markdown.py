"""The Markdown summary: GitHub-flavoured Markdown for ``$GITHUB_STEP_SUMMARY``, GitLab job
summaries and pull-request comments.

A heading, the submissions counted by verdict, one table row per submission (verdict,
points, CPU, peak memory, first failing case and its short message) and, when an HTML
report was written too, a line naming it. Untrusted text (ids, languages, case names,
messages) goes through ``inline``: made visible, cut short, every Markdown punctuation
character backslash-escaped, ``&``/``<``/``>`` written as entities and a zero-width space
put after ``@`` and inside ``://`` and ``www.``, so program output can neither add markup,
HTML, links or table cells nor mention a user or a team.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from grader.model import Report, SubmissionResult, Verdict
from grader.report.files import write_atomically
from grader.report.outcomes import CaseOutcome, case_outcomes
from grader.report.text import mebibytes, visible

__all__ = ["MESSAGE_CHARS", "html_link", "inline", "render_markdown", "write_markdown"]

MESSAGE_CHARS = 80  # of a message in the table; the HTML and JSON reports keep it whole

_ZWSP = "\u200b"  # breaks a mention or an autolink without changing what a reader sees
_PUNCTUATION = "\\`*_{}[]()#+-.!|~:\"'$%,/;=?^"
_ESCAPES = {ord(c): "\\" + c for c in _PUNCTUATION}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("@"): "@" + _ZWSP})
_WHITESPACE = re.compile(r"\s+")
_URL_QUOTES = {" ": "%20", "<": "%3C", ">": "%3E", "\n": "%0A", "\\": "%5C"}
_LINK_STARTS = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)")


def inline(text: str, limit: int | None = None) -> str:
    """``text`` as literal inline Markdown: one line, at most ``limit`` characters (an
    ellipsis marks a cut), with nothing a renderer would take for markup."""
    flat = _WHITESPACE.sub(" ", visible(text)).strip()
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1] + "\u2026"
    return _LINK_STARTS.sub(_ZWSP, flat).translate(_ESCAPES)


def _totals(report: Report) -> str:
    counts = Counter(result.verdict for result in report.submissions)
    parts = [f"{verdict.value} {counts[verdict]}" for verdict in Verdict if counts[verdict]]
    total = len(report.submissions)
    accepted = counts[Verdict.AC]
    return f"**{accepted}/{total} accepted** ({', '.join(parts) or 'no submissions'})"


def _first_failure(result: SubmissionResult) -> CaseOutcome | None:
    return next((o for o in case_outcomes(result) if not o.verdict.accepted), None)


def _failure_cell(result: SubmissionResult) -> str:
    outcome = _first_failure(result)
    if outcome is None:
        return ""
    name = inline(outcome.case.name, 40)
    message = outcome.message if outcome.verdict is not Verdict.SKIPPED else ""
    shown = f": {inline(message, MESSAGE_CHARS)}" if message else ""
    return f"{name} ({outcome.verdict.value}){shown}"


def _memory(result: SubmissionResult) -> str:
    peaks = [case.memory for case in result.cases if case.memory is not None]
    return mebibytes(max(peaks)) if peaks else "-"


def _row(result: SubmissionResult) -> str:
    cells = (
        inline(result.id, 60),
        inline(result.language, 20),
        result.verdict.value,
        f"{result.points:g}/{result.max_points:g}",
        f"{result.cpu_time:.3f} s",
        _memory(result),
        _failure_cell(result),
    )
    return "| " + " | ".join(cells) + " |"


def html_link(html: str | None, markdown: str) -> str | None:
    """Where the summary written to ``markdown`` should point for the HTML report at
    ``html``: relative to the summary's folder when both are files, else as given."""
    if html is None or html == "-":
        return None
    if markdown == "-":
        return Path(html).as_posix()
    return Path(os.path.relpath(Path(html).absolute(), Path(markdown).absolute().parent)).as_posix()


def _link(target: str | None) -> list[str]:
    if target is None:
        return []
    quoted = "".join(_URL_QUOTES.get(char, char) for char in target)
    return ["", f"Full report: [{inline(Path(target).name)}](<{quoted}>)"]


def render_markdown(report: Report, html: str | None = None) -> str:
    """The summary of ``report``; ``html`` links the HTML report (see ``html_link``)."""
    problem = report.problem
    lines = [f"## grader: {inline(problem.title)} ({inline(problem.name)})", ""]
    if not report.complete:
        lines += ["> **Interrupted:** only the submissions that finished are listed.", ""]
    if report.student:
        lines += ["> Student view: messages of hidden cases are withheld.", ""]
    if report.environment is not None and report.environment.warning():
        lines += [f"> **{inline(report.environment.warning())}**", ""]
    lines += [_totals(report), ""]
    lines += ["| submission | language | verdict | points | CPU | memory | first failure |"]
    lines += ["|---|---|---|--:|--:|--:|---|"]
    lines += [_row(result) for result in report.submissions]
    lines += _link(html)
    return "\n".join(lines) + "\n"


def write_markdown(report: Report, path: Path | str, html: str | None = None) -> None:
    """Write the summary to ``path`` (``-``: stdout), linking the HTML report at ``html``."""
    write_atomically(path, render_markdown(report, html_link(html, str(path))))
