"""The terminal: plain lines for logs, progress and colour only on a terminal, NO_COLOR,
quiet and verbose, untrusted text escaped."""

from __future__ import annotations

import io

import pytest

from grader.model import CaseResult, SubmissionResult, Verdict
from grader.report.console import Console, id_width, submission_line


def result(verdict: Verdict = Verdict.WA, sub_id: str = "alice") -> SubmissionResult:
    cases = (CaseResult("small", verdict, 0.0, 1.0, 0.01, 0.02, 1 << 20, 0, None, "nope"),)
    return SubmissionResult(sub_id, "python", verdict, 0.0, 1.0, cases, "")


def printed(tty: bool, verbosity: int = 1) -> str:
    stream = io.StringIO()
    console = Console(stream, verbosity, tty=tty)
    console.start(["alice", "bob"])
    console.result(result())
    console.finish()
    return stream.getvalue()


def test_plain_stream_gets_plain_lines() -> None:
    assert printed(tty=False) == submission_line(result(), width=12) + "\n"


def test_terminal_gets_a_progress_line_with_an_eta() -> None:
    assert "graded 1/2  ETA" in printed(tty=True)


def test_terminal_gets_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[31mWA" in printed(tty=True)


def test_no_color_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[31m" not in printed(tty=True)


def test_quiet_prints_no_submission_lines() -> None:
    assert printed(tty=False, verbosity=0) == ""


def test_verbose_prints_every_case() -> None:
    assert "    small" in printed(tty=False, verbosity=2)


def test_untrusted_id_and_message_are_escaped() -> None:
    hostile = SubmissionResult("a\x1b[2J\udcff", "python", Verdict.WA, 0, 1, (), "\x1b]0;x\x07")
    line = submission_line(hostile)
    assert "\x1b" not in line and "\\x1b[2J" in line and "\\xff" in line


def test_the_id_column_fits_the_longest_id_so_verdicts_line_up() -> None:
    ids = ["alice", "time_limit_exceeded/erin_sleeps"]
    width = id_width(ids)
    lines = [submission_line(result(Verdict.WA, i), width=width) for i in ids]
    assert width == len(ids[1]) and lines[0].index("WA") == lines[1].index("WA")


def test_the_id_column_is_capped_for_absurd_ids() -> None:
    assert id_width(["x" * 500]) == 48 and id_width([]) == 12
