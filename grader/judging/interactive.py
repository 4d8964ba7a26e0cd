"""Interactive judging (Kattis convention): the submission and the interactor run at the
same time, each in its own box, and grader relays the bytes between them.

``interact`` starts both as streaming runs (``Box.stream``) and moves every stdout chunk
of one to the stdin of the other, recording the first ``TRANSCRIPT_CAP`` bytes as a
transcript. Each box has a reading thread and a writing thread (fed by a queue), so a
reader never waits on a write: two programs flooding each other cannot deadlock the relay.
When one side ends (or closes its stdout), the other's stdin is closed. Neither program
can reach the other's files, processes or memory: they share nothing but the bytes grader
hands over. Both runs share one wall limit, ``interaction_wall`` (twice the time limit,
as problemtools); CPU time is each program's own, so the submission's waiting on the
interactor costs it nothing.

``verdict`` reads the outcome in problemtools' order: an interactor that crashed, or that
exited first with WA, decides; then the shared wall limit: TLE if the submission had the
turn (it had been sent the last bytes, or nothing yet), else IE; then the submission's
own resource verdicts (TLE, MLE, OLE, RTE); then the interactor's verdict. ``judge_case``
is the judge's entry: one case, relayed and read, as a ``CaseResult`` (``results.earned``).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, replace

from grader.errors import SandboxError
from grader.judging.checker_program import CheckerSession
from grader.judging.conventions import outcome
from grader.judging.results import earned
from grader.judging.verdicts import classify
from grader.model import CaseResult, CheckerProgram, KilledBy, Limits, RunResult, TestCase, Verdict
from grader.sandbox.base import Box, RunSpec, Stream

__all__ = [
    "INTERACTOR",
    "SUBMISSION",
    "TRANSCRIPT_CAP",
    "Interaction",
    "Transcript",
    "interact",
    "interaction_wall",
    "judge_case",
    "verdict",
]

TRANSCRIPT_CAP = 64 * 1024  # bytes of the interaction kept, both ways together
SUBMISSION, INTERACTOR = "submission", "interactor"
_TO_SUBMISSION, _FROM_SUBMISSION = ">", "<"
_SLACK_S = 30.0  # beyond the wall limit, how long the host waits for both results


def interaction_wall(time_limit: float) -> float:
    """The wall limit of a whole interaction: twice the CPU limit, as problemtools."""
    return 2 * time_limit


@dataclass(frozen=True)
class Interaction:
    """Both runs of one case, which ended first, whose turn it was at the end, and the
    transcript."""

    submission: RunResult
    interactor: RunResult
    first: str  # SUBMISSION or INTERACTOR
    turn: str  # who had been sent the last bytes (SUBMISSION when nothing moved)
    transcript: str


class Transcript:
    """The first ``cap`` bytes of an interaction as lines: ``<seconds> > text`` for what
    the submission was sent, ``<seconds> < text`` for what it wrote. A line is stamped
    when it is complete; a direction's unfinished line is flushed by ``text``."""

    def __init__(self, cap: int = TRANSCRIPT_CAP) -> None:
        self._start = time.monotonic()
        self._room = cap
        self._lines: list[str] = []
        self._partial = {_TO_SUBMISSION: bytearray(), _FROM_SUBMISSION: bytearray()}
        self._lock = threading.Lock()
        self.truncated = False

    def add(self, mark: str, data: bytes) -> None:
        with self._lock:
            kept = data[: self._room]
            self._room -= len(kept)
            self.truncated = self.truncated or len(kept) < len(data)
            buffer = self._partial[mark]
            buffer += kept
            *complete, rest = bytes(buffer).split(b"\n")
            buffer[:] = rest
            for line in complete:
                self._line(mark, line)

    def text(self) -> str:
        with self._lock:
            for mark, rest in self._partial.items():
                if rest:
                    self._line(mark, bytes(rest) + b" (no newline)")
                    rest.clear()
            tail = ["[transcript cut at 64 KiB]"] if self.truncated else []
            return "\n".join(self._lines + tail)

    def _line(self, mark: str, line: bytes) -> None:
        shown = line.decode("utf-8", errors="backslashreplace")
        self._lines.append(f"{time.monotonic() - self._start:7.3f} {mark} {shown}")


def judge_case(
    case: TestCase, box: Box, spec: RunSpec, session: CheckerSession, allowance: int
) -> CaseResult:
    """One case: the submission run as ``spec`` (its wall limit replaced by the
    interaction's) in ``box``, the interactor (the session's checker program) in the
    session's box. ``allowance`` is the submission's runtime memory (``verdict``)."""
    checker = session.checker
    wall = interaction_wall(case.limits.time)
    interactor = checker.interactor_spec(case, wall)
    found = interact(box, replace(spec, wall=wall), session.box(), interactor)
    allowances = (allowance, checker.language.memory_allowance)
    decided = verdict(found, case.limits, checker.program, allowances)
    return earned(case, found.submission, *decided, transcript=found.transcript)


def interact(
    submission: Box, submission_spec: RunSpec, interactor: Box, interactor_spec: RunSpec
) -> Interaction:
    """Run both programs, relaying their stdio through the host; SandboxError if either
    box fails."""
    transcript = Transcript()
    started = time.monotonic()
    relay = _Relay(transcript)
    judge = _Writer(interactor.stream(interactor_spec))
    try:
        program = _Writer(submission.stream(submission_spec))
    except BaseException:
        judge.write(b"")  # the interactor sees end of file and ends
        judge.finish()
        raise
    threads = [
        threading.Thread(target=relay.pump, args=(program, judge, SUBMISSION), daemon=True),
        threading.Thread(target=relay.pump, args=(judge, program, INTERACTOR), daemon=True),
        threading.Thread(target=judge.drain, daemon=True),
        threading.Thread(target=program.drain, daemon=True),
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + max(submission_spec.wall, interactor_spec.wall) + _SLACK_S
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return relay.outcome(transcript, (started, time.monotonic()))


class _Writer:
    """A stream whose writes are queued and sent by ``drain`` in a thread of their own."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def read(self) -> bytes | RunResult:
        return self.stream.read()

    def write(self, data: bytes) -> None:
        self._queue.put(data)

    def finish(self) -> None:
        """No more writes: ``drain`` returns once the queue is sent."""
        self._queue.put(None)

    def drain(self) -> None:
        try:
            while (data := self._queue.get()) is not None:
                self.stream.write(data)
        except SandboxError:  # the reading side reports the lost box
            pass


class _Relay:
    def __init__(self, transcript: Transcript) -> None:
        self._transcript = transcript
        self._lock = threading.Lock()
        self._results: dict[str, RunResult] = {}
        self._order: list[str] = []
        self._errors: list[SandboxError] = []
        self._turn = SUBMISSION

    def pump(self, source: _Writer, sink: _Writer, side: str) -> None:
        """Move ``side``'s stdout to ``sink`` until its run ends, then close ``sink``;
        nothing more is written to ``source``'s own box after its end."""
        mark = _FROM_SUBMISSION if side == SUBMISSION else _TO_SUBMISSION
        try:
            while not isinstance(event := source.read(), RunResult):
                if not event:  # it closed its stdout: the other side reads end of file
                    sink.write(b"")
                    continue
                self._transcript.add(mark, event)
                with self._lock:
                    self._turn = INTERACTOR if side == SUBMISSION else SUBMISSION
                sink.write(event)
            with self._lock:
                self._results[side] = event
                self._order.append(side)
        except SandboxError as exc:
            with self._lock:
                self._errors.append(exc)
        sink.write(b"")
        source.finish()

    def outcome(self, transcript: Transcript, window: tuple[float, float]) -> Interaction:
        with self._lock:
            if self._errors:
                raise self._errors[0]
            if len(self._results) < 2:
                raise SandboxError("the interaction did not end: a box stopped answering")
            submission, interactor = self._results[SUBMISSION], self._results[INTERACTOR]
            return Interaction(
                submission, interactor, _first(submission, interactor, self._order[0], window),
                self._turn, transcript.text(),
            )  # fmt: skip


def _first(
    submission: RunResult, interactor: RunResult, arrived: str, window: tuple[float, float]
) -> str:
    """Which program ended first: by the supervisors' exit instants (each side learns of
    the other's end through the relay, so the order is causal), else, when an instant is
    missing or outside the host's ``window`` (a runtime with a clock of its own, such as
    gVisor), by whose result reached the host first."""
    mine, theirs = submission.ended_at, interactor.ended_at
    if (
        mine is None
        or theirs is None
        or not all(window[0] <= t <= window[1] for t in (mine, theirs))
    ):
        return arrived
    return SUBMISSION if mine < theirs else INTERACTOR


def verdict(
    found: Interaction, limits: Limits, interactor: CheckerProgram, allowances: tuple[int, int]
) -> tuple[Verdict, float, str]:
    """The case's verdict, share of its points and message. ``limits`` are the case's;
    ``allowances`` the runtimes' memory (submission's, interactor's) beyond them."""
    if found.submission.start_error:
        return Verdict.IE, 0.0, found.submission.start_error
    judged = outcome(interactor, found.interactor, allowances[1])
    if judged.verdict is Verdict.IE and found.interactor.killed_by is not KilledBy.WALL:
        return Verdict.IE, 0.0, f"interactor failed: {judged.message}"
    if judged.verdict is Verdict.WA and found.first == INTERACTOR:
        return Verdict.WA, judged.share, judged.message
    if KilledBy.WALL in (found.submission.killed_by, found.interactor.killed_by):
        return _walled(found, limits)
    resource = classify(found.submission, limits, allowances[0])
    if resource is not None:
        return resource[0], 0.0, resource[1]
    return judged.verdict, judged.share, judged.message


def _walled(found: Interaction, limits: Limits) -> tuple[Verdict, float, str]:
    wall = interaction_wall(limits.time)
    if found.turn == SUBMISSION:
        why = f"no answer within the interaction's wall limit of {wall:g} s"
        return Verdict.TLE, 0.0, why
    return Verdict.IE, 0.0, f"the interactor did not answer within {wall:g} s"
