"""Checker conventions: how a checker program is called, and what its run says.

The files of one check sit in /box beside the checker's program, fresh for every run (the
supervisor wipes /box before and after each), so a checker sees only the case it checks:

=========== ==========================================================================
``kattis``  ``checker /box/.grader/input /box/.grader/answer /box/.grader/feedback/ [args]``
            with the submission's output on stdin. Exit 42: AC; 43: WA; anything else: IE.
            ``feedback/judgemessage.txt`` is the case's message, ``feedback/score.txt`` (a
            number in [0, 1], read on exit 42) the share of the case's points earned.
``testlib`` ``checker /box/.grader/input /box/.grader/output /box/.grader/answer [args]``.
            Exit 0: AC; 1: WA; 2 (and testlib's 4, extra output, and 8, unexpected end of
            file): presentation error, WA unless the problem says ``presentation_error: ac``;
            3: IE; 7: points, the number after ``points`` on stderr or stdout (testlib's
            ``quitp`` prints ``points 0.5 ...``), a share in [0, 1] of the case's points.
            The message is the checker's stderr (else its stdout).
=========== ==========================================================================

A case is AC only with all its points: a partial share is WA with the points it earned. A
checker that cannot start, is killed by a signal, breaks its limits, exits with a code its
convention does not define, or reports a share outside [0, 1] makes the case IE (never
AC), with what it said, capped, in the message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.judging.verdicts import RULES, allowing, signal_name
from grader.model import CheckerProgram, Convention, Limits, ProgramFile, RunResult, Verdict

__all__ = ["ANSWER", "FEEDBACK", "INPUT", "OUTPUT", "Outcome", "outcome"]

INPUT, ANSWER, OUTPUT = ".grader/input", ".grader/answer", ".grader/output"
FEEDBACK = ".grader/feedback"  # under /box; hidden, so no checker file can clash with it
_MESSAGE_CHARS = 500
_KATTIS_AC, _KATTIS_WA = 42, 43
_TESTLIB_PE = (2, 4, 8)  # wrong output format; extra output; unexpected end of file
_POINTS = re.compile(rb"(?:^|\s)points\s+([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")


@dataclass(frozen=True)
class Outcome:
    """What a checker decided for one case."""

    verdict: Verdict  # AC, WA or IE
    share: float = 0.0  # of the case's points, 0..1
    message: str = ""


def outcome(program: CheckerProgram, run: RunResult, allowance: int = 0) -> Outcome:
    """The case's outcome from one run of the checker: its own failures first (IE), then
    its convention's table. ``allowance`` is the runtime's memory beyond the limit."""
    limits = program.limits
    failure = _failure(run, allowing(limits, allowance))
    if failure:
        return Outcome(Verdict.IE, 0.0, _joined(f"checker {failure}", _said(run)))
    if program.convention is Convention.KATTIS:
        return _kattis(run, _feedback(run.files))
    return _testlib(run, program.presentation_error)


def _failure(run: RunResult, limits: Limits) -> str:
    """Why the checker's run tells nothing about the submission; empty if it does."""
    if run.start_error:
        return f"could not run: {run.start_error}"
    for rule in RULES:
        if rule.verdict is not Verdict.RTE and rule.applies(run, limits):
            return rule.explain(run, limits)
    if run.signal is not None:
        return f"killed by {signal_name(run.signal)}"
    return ""


def _kattis(run: RunResult, feedback: Mapping[str, bytes]) -> Outcome:
    message = _text(feedback.get("judgemessage.txt", b""))
    if run.exit_code == _KATTIS_WA:
        return Outcome(Verdict.WA, 0.0, message or "wrong answer (the checker gave no message)")
    if run.exit_code != _KATTIS_AC:
        said = _text(feedback.get("judgeerror.txt", b"")) or message or _said(run)
        why = f"checker exited with {run.exit_code} (kattis: 42 accepted, 43 wrong answer)"
        return Outcome(Verdict.IE, 0.0, _joined(why, said))
    if "score.txt" not in feedback:
        return Outcome(Verdict.AC, 1.0, message)
    return _partial(_share(feedback["score.txt"]), "score.txt", message)


def _testlib(run: RunResult, presentation_error: Verdict) -> Outcome:
    message = _text(run.stderr) or _text(run.stdout)
    code = run.exit_code
    if code == 0:
        return Outcome(Verdict.AC, 1.0, message)
    if code == 1:
        return Outcome(Verdict.WA, 0.0, message or "wrong answer")
    if code in _TESTLIB_PE:
        share = 1.0 if presentation_error is Verdict.AC else 0.0
        return Outcome(presentation_error, share, _joined("presentation error", message))
    if code == 7:
        found = _POINTS.search(run.stderr) or _POINTS.search(run.stdout)
        if found is None:
            return Outcome(Verdict.IE, 0.0, _joined("checker exited 7 without 'points X'", message))
        return _partial(_share(found[1]), "points", message)
    why = "checker failed (testlib exit 3)" if code == 3 else f"checker exited with {code}"
    return Outcome(Verdict.IE, 0.0, _joined(why, message))


def _partial(share: float | None, source: str, message: str) -> Outcome:
    """A share of the case's points: AC if whole, WA with the points if partial."""
    if share is None:
        return Outcome(
            Verdict.IE, 0.0, _joined(f"checker {source}: expected a number in [0, 1]", message)
        )
    if share == 1.0:
        return Outcome(Verdict.AC, 1.0, message)
    return Outcome(Verdict.WA, share, _joined(f"partial credit {share:g}", message))


def _share(raw: bytes) -> float | None:
    """A number in [0, 1], or None."""
    try:
        value = float(raw.strip().decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if math.isfinite(value) and 0.0 <= value <= 1.0 else None


def _feedback(files: Sequence[ProgramFile]) -> dict[str, bytes]:
    prefix = FEEDBACK + "/"
    return {f.path[len(prefix) :]: f.data for f in files if f.path.startswith(prefix)}


def _said(run: RunResult) -> str:
    """The checker's own words: the end of its stderr, else of its stdout."""
    for stream in (run.stderr, run.stdout):
        text = stream.decode("utf-8", errors="backslashreplace").strip()
        if text:
            return text if len(text) <= _MESSAGE_CHARS else "..." + text[-_MESSAGE_CHARS:]
    return ""


def _text(data: bytes) -> str:
    text = data[: _MESSAGE_CHARS * 4].decode("utf-8", errors="backslashreplace").strip()
    return text if len(text) <= _MESSAGE_CHARS else text[:_MESSAGE_CHARS] + "..."


def _joined(head: str, detail: str) -> str:
    return f"{head}: {detail}" if detail else head
