"""What a person sees on the terminal: one line per submission, a progress line with an
ETA when the stream is a terminal, and a summary.

Plain lines (no progress, no colour) when the stream is not a terminal, so CI logs stay
readable; colour only on a terminal and never when ``NO_COLOR`` is set. Untrusted text
(ids, messages) is made visible, never obeyed as terminal escapes.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from grader.model import Report, SubmissionResult, Verdict
from grader.report.text import visible

__all__ = ["Console", "case_lines", "id_width", "submission_line", "summary_lines"]

_COLOURS = {
    Verdict.AC: "32",  # green
    Verdict.WA: "31",  # red
    Verdict.TLE: "33",  # yellow
    Verdict.MLE: "33",
    Verdict.OLE: "33",
    Verdict.RTE: "35",  # magenta
    Verdict.CE: "36",  # cyan
    Verdict.IE: "41;97",  # white on red
}
_CLEAR_LINE = "\r\x1b[K"


def _paint(verdict: Verdict, colour: bool) -> str:
    text = f"{verdict.value:<4}"
    code = _COLOURS.get(verdict)
    return f"\x1b[{code}m{text}\x1b[0m" if colour and code else text


def id_width(ids: Sequence[str]) -> int:
    """The id column: as wide as the longest id, within 12-48 characters."""
    longest = max((len(visible(i)) for i in ids), default=0)
    return min(max(longest, 12), 48)


def submission_line(result: SubmissionResult, colour: bool = False, width: int = 24) -> str:
    """id, language, verdict, points, CPU time; untrusted text made visible, not obeyed."""
    detail = f"  {result.message}" if result.message and not result.verdict.accepted else ""
    head = f"{visible(result.id):<{width}} {visible(result.language):<10} "
    tail = visible(f" {result.points:g}/{result.max_points:g}  {result.cpu_time:6.2f}s{detail}")
    return head + _paint(result.verdict, colour) + tail


def case_lines(result: SubmissionResult, colour: bool = False) -> list[str]:
    """One indented line per case (for ``-v``)."""
    lines = []
    for case in result.cases:
        cpu = f"{case.cpu_time:6.3f}s" if case.cpu_time is not None else "      -"
        memory = f"{case.memory / (1 << 20):7.1f} MiB" if case.memory is not None else ""
        message = visible(f"  {case.message}") if case.message else ""
        name = visible(f"{case.name:<20}")
        lines.append(f"    {name} {_paint(case.verdict, colour)} {cpu} {memory}{message}")
    return lines


def summary_lines(report: Report) -> list[str]:
    counts = Counter(result.verdict.value for result in report.submissions)
    verdicts = ", ".join(f"{verdict} {n}" for verdict, n in sorted(counts.items()))
    total = len(report.submissions)
    accepted = counts.get("AC", 0)
    lines = [f"{report.problem.name}: {accepted}/{total} accepted ({verdicts})"]
    if not report.complete:
        lines.append("interrupted: the report covers only the submissions that finished")
    return lines


class Console:
    """Prints results as they arrive; 0 = quiet, 1 = a line per submission, 2 = per case."""

    def __init__(self, stream: TextIO, verbosity: int = 1, *, tty: bool = False) -> None:
        self.stream = stream
        self.verbosity = verbosity
        self.tty = tty
        self.colour = tty and "NO_COLOR" not in os.environ
        self.total = 0
        self.done = 0
        self.width = 24
        self.started = time.monotonic()

    @classmethod
    def for_stream(cls, stream: TextIO, verbosity: int = 1) -> Console:
        return cls(stream, verbosity, tty=stream.isatty())

    def start(self, ids: Sequence[str]) -> None:
        """A batch of these submissions begins: their ids set the id column's width."""
        self.total, self.done, self.started = len(ids), 0, time.monotonic()
        self.width = id_width(ids)
        self._progress()

    def result(self, result: SubmissionResult) -> None:
        self.done += 1
        lines = [submission_line(result, self.colour, self.width)] if self.verbosity >= 1 else []
        if self.verbosity >= 2:
            lines += case_lines(result, self.colour)
        if lines:
            prefix = _CLEAR_LINE if self.tty else ""
            self.stream.write(prefix + "\n".join(lines) + "\n")
        self._progress()

    def finish(self) -> None:
        if self.tty:
            self.stream.write(_CLEAR_LINE)
            self.stream.flush()

    def progress_text(self) -> str:
        elapsed = time.monotonic() - self.started
        eta = ""
        if 0 < self.done < self.total:
            left = elapsed / self.done * (self.total - self.done)
            eta = f"  ETA {int(left) // 60}:{int(left) % 60:02d}"
        return f"graded {self.done}/{self.total}{eta}"

    def _progress(self) -> None:
        if self.tty:
            self.stream.write(_CLEAR_LINE + self.progress_text())
        self.stream.flush()
