"""Feedback to hand back (``grader run --feedback-dir DIR``): one page per submission.

``DIR/<file>.html`` is the HTML report of one submission in the student view (hidden cases
keep their verdict, points and measurements; their messages are withheld), self-contained
like every HTML report, with its details open. ``DIR/index.csv`` maps each submission to
its page and points (``id, file, points, max_points``) for a mail merge or an LMS upload.
File names come from submission ids: every character but letters, digits, ``.``, ``_`` and
``-`` becomes ``_`` (``accepted/alice`` -> ``accepted_alice.html``), and ids that would share
a name (also when letter case is ignored, as on macOS and Windows) get ``-2``, ``-3``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

from grader.model import Report
from grader.report.files import write_atomically
from grader.report.gradebook import spreadsheet_safe
from grader.report.html import render_html
from grader.report.student import for_students

__all__ = ["INDEX", "feedback_files", "page_names", "write_feedback"]

INDEX = "index.csv"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _base(id: str) -> str:
    return _UNSAFE.sub("_", id).lstrip(".")[:100] or "submission"


def page_names(ids: list[str]) -> list[str]:
    """A distinct, portable ``.html`` file name for each of ``ids``, in order."""
    taken: set[str] = {INDEX.lower()}
    names = []
    for id in ids:
        base = _base(id)
        name, n = f"{base}.html", 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}.html"
        taken.add(name.lower())
        names.append(name)
    return names


def _number(value: float) -> str:
    return f"{value:g}"


def feedback_files(report: Report) -> dict[str, str]:
    """File name -> content: a student-view page per submission, and ``index.csv``."""
    student = for_students(report)
    names = page_names([result.id for result in student.submissions])
    files = {
        name: render_html(replace(student, submissions=(result,)))
        for name, result in zip(names, student.submissions, strict=True)
    }
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", "file", "points", "max_points"])
    for name, result in zip(names, student.submissions, strict=True):
        row = [spreadsheet_safe(result.id), name, _number(result.points)]
        writer.writerow([*row, _number(result.max_points)])
    files[INDEX] = buffer.getvalue()
    return files


def write_feedback(report: Report, directory: Path | str) -> int:
    """Write the pages and ``index.csv`` into ``directory``; returns the number of pages."""
    files = feedback_files(report)
    for name, text in files.items():
        write_atomically(Path(directory) / name, text)
    return len(files) - 1
