"""Requests -> library calls: validation that starts no container (``Invalid``: 413 or
422), and the jobs a worker runs (an editor run, a judging), each ending in one run-log
record. Blocking; the routes run these jobs on the worker pool only.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import checkers
from grader.judging.execute import Execution, source_submission
from grader.judging.judge import Judge
from grader.judging.results import not_run
from grader.judging.verdicts import signal_name
from grader.model import (
    MIB,
    CheckerSpec,
    Language,
    Limits,
    Problem,
    Report,
    TestCase,
    Verdict,
    report_time,
)
from grader.problem.limits import default_wall
from grader.report.json import report_to_dict
from grader.serve.backend import Backend
from grader.serve.config import MaxLimits
from grader.serve.runlog import RunLog, RunRecord
from grader.serve.schemas import EditorRunRequest, JudgeRequest, RequestLimits
from grader.submissions import DEFAULT_MAX_SOURCE
from grader.submissions.languages import LanguageTable

__all__ = ["EDITOR_DEFAULTS", "MAX_SOURCE", "Invalid", "Prepared", "Work"]

MAX_SOURCE = DEFAULT_MAX_SOURCE  # bytes of code; more: 413
RETURNED_OUTPUT = 1 * MIB  # most of stdout a response carries (the run may print more)
EDITOR_DEFAULTS = Limits(time=5.0, wall=10.0, memory=128 * MIB, output=8 * MIB, cpus=0.5)


class Invalid(Exception):
    """A request refused before any container starts."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Prepared:
    """A validated request: what to run, and who pays for it."""

    id: str
    kind: str  # "editor" or "judge"
    key: str
    language: Language
    code: bytes
    stdin: bytes = b""
    limits: Limits = EDITOR_DEFAULTS
    problem: Problem | None = None  # judge: inline tests (a named problem: ``named``)
    named: str = ""


class Work:
    def __init__(
        self,
        backend: Backend,
        runlog: RunLog,
        table: LanguageTable,
        maxima: MaxLimits,
        problems: Mapping[str, Problem],
    ) -> None:
        self.backend, self.runlog, self.table = backend, runlog, table
        self.maxima, self.problems = maxima, problems
        self._judges: dict[str, Judge] = {}
        self._lock = threading.Lock()

    # ---- validation (no container) ---------------------------------------------------

    def editor(self, run_id: str, key: str, body: EditorRunRequest) -> Prepared:
        language, code = self._source(body.language, body.code)
        limits = self._limits(body.limits, EDITOR_DEFAULTS)
        stdin = body.stdin.encode()
        return Prepared(run_id, "editor", key, language, code, stdin, limits)

    def judging(self, run_id: str, key: str, body: JudgeRequest) -> Prepared:
        language, code = self._source(body.language, body.code)
        if (body.problem is None) == (body.tests is None):
            raise Invalid(422, "give exactly one of problem and tests")
        if body.problem is not None:
            if body.problem not in self.problems:
                known = ", ".join(sorted(self.problems)) or "none"
                raise Invalid(422, f"unknown problem {body.problem!r} (known: {known})")
            if body.limits is not None:
                raise Invalid(422, "limits apply to inline tests only")
            return Prepared(run_id, "judge", key, language, code, named=body.problem)
        problem = self._inline(body)
        return Prepared(run_id, "judge", key, language, code, problem=problem)

    def _source(self, name: str, code: str) -> tuple[Language, bytes]:
        data = code.encode("utf-8", "surrogateescape")
        if len(data) > MAX_SOURCE:
            raise Invalid(413, f"code is {len(data)} bytes; the maximum is {MAX_SOURCE}")
        if name not in self.table.languages:
            known = ", ".join(self.table.languages)
            raise Invalid(422, f"unknown language {name!r} (known: {known})")
        return self.table.languages[name], data

    def _limits(self, asked: RequestLimits | None, base: Limits) -> Limits:
        asked = asked or RequestLimits.model_validate({})
        top = self.maxima
        checks = (
            ("time", asked.time, top.time, "s"),
            ("wall", asked.wall, top.wall, "s"),
            ("memory", asked.memory, top.memory / MIB, "MiB"),
            ("output", asked.output, top.output / MIB, "MiB"),
        )
        for name, value, bound, unit in checks:
            if value is not None and value > bound:
                raise Invalid(
                    422, f"limits.{name} {value:g} is above the maximum of {bound:g} {unit}"
                )
        time_s = asked.time or base.time
        wall = asked.wall or min(top.wall, max(base.wall, default_wall(time_s, base.cpus)))
        if wall < time_s:
            raise Invalid(422, f"limits.wall {wall:g} is below limits.time {time_s:g}")
        memory = asked.memory * MIB if asked.memory else min(base.memory, top.memory)
        output = asked.output * MIB if asked.output else min(base.output, top.output)
        return Limits(time=time_s, wall=wall, memory=memory, output=output, cpus=base.cpus)

    def _inline(self, body: JudgeRequest) -> Problem:
        try:
            checkers.resolve(body.checker, {})
        except ValueError as exc:
            raise Invalid(422, str(exc)) from None
        limits = self._limits(body.limits, Limits(time=2.0, wall=10.0, output=8 * MIB))
        tests = tuple(
            TestCase(f"{i + 1}", t.stdin.encode(), t.expected_output.encode(), limits, t.points)
            for i, t in enumerate(body.tests or ())
        )
        return Problem(
            "inline", "inline tests", Path("."), limits, CheckerSpec(body.checker), tests
        )

    # ---- jobs (on a worker thread) ---------------------------------------------------

    def run_editor(self, job: Prepared, queue_s: float) -> dict[str, Any]:
        started = time.monotonic()
        submission = source_submission(job.id, job.language, job.code)
        if self.backend.cancelled.is_set():
            outcome = Execution(Verdict.IE, "cancelled: the service is shutting down")
        else:
            outcome = self.backend.execute(submission, job.stdin, job.limits)
        body = self._editor_body(job, outcome)
        run = outcome.run
        self._log(job, outcome.verdict.value, queue_s, started,
                  cpu=run.cpu_time if run else 0.0, wall=run.wall_time if run else 0.0,
                  memory=run.memory_peak if run else 0)  # fmt: skip
        return body

    def _editor_body(self, job: Prepared, outcome: Execution) -> dict[str, Any]:
        run = outcome.run
        stdout, out_encoding, out_cut = _text(run.stdout if run else b"", RETURNED_OUTPUT)
        stderr, err_encoding, err_cut = _text(run.stderr if run else b"", RETURNED_OUTPUT)
        return {
            "id": job.id,
            "stdout": stdout,
            "stdoutEncoding": out_encoding,
            "stderr": stderr,
            "stderrEncoding": err_encoding,
            "compileOutput": outcome.compile_log,
            "exitCode": run.exit_code if run else None,
            "signal": signal_name(run.signal) if run and run.signal is not None else None,
            "status": outcome.verdict.value,
            "message": outcome.message,
            "durationMs": round((run.cpu_time if run else 0.0) * 1000, 3),
            "wallMs": round((run.wall_time if run else 0.0) * 1000, 3),
            "memoryUsed": run.memory_peak if run else 0,
            "truncated": {
                "stdout": out_cut or bool(run and run.stdout_bytes > len(run.stdout)),
                "stderr": err_cut or bool(run and run.stderr_bytes > len(run.stderr)),
            },
            "runtime": {
                "language": job.language.key,
                "version": self.backend.version(job.language),
                "image": self.backend.image(job.language),
            },
        }

    def run_judge(self, job: Prepared, queue_s: float) -> dict[str, Any]:
        started, begun = time.monotonic(), report_time()
        submission = source_submission(job.id, job.language, job.code)
        problem = job.problem or self.problems[job.named]
        if self.backend.cancelled.is_set():
            why = "cancelled: the service is shutting down"
            result = not_run(problem, submission, Verdict.IE, why)
        else:
            try:  # a judge's own failure (a checker that does not compile) is IE, never a 500
                result = self._judge(job).judge(submission)
            except Exception as exc:
                result = not_run(problem, submission, Verdict.IE, f"{type(exc).__name__}: {exc}")
        complete = result.verdict is not Verdict.IE
        report = Report(problem, (result,), begun, report_time(), complete=complete)
        wall = sum(case.wall_time or 0.0 for case in result.cases)
        memory = max((case.memory or 0 for case in result.cases), default=0)
        self._log(job, result.verdict.value, queue_s, started,
                  cpu=result.cpu_time, wall=wall, memory=memory)  # fmt: skip
        return report_to_dict(report)

    def _judge(self, job: Prepared) -> Judge:
        if job.problem is not None:
            return self.backend.judge(job.problem)
        with self._lock:
            judge = self._judges.get(job.named)
            if judge is None:
                judge = self._judges[job.named] = self.backend.judge(self.problems[job.named])
            return judge

    def _log(
        self, job: Prepared, status: str, queue_s: float, started: float,
        *, cpu: float, wall: float, memory: int,
    ) -> None:  # fmt: skip
        self.runlog.record(
            RunRecord(
                id=job.id,
                kind=job.kind,
                key=job.key,
                language=job.language.key,
                code_sha256=hashlib.sha256(job.code).hexdigest(),
                status=status,
                cpu_s=cpu,
                wall_s=wall,
                memory_bytes=memory,
                queue_s=queue_s,
                elapsed_s=time.monotonic() - started,
            )
        )


def _text(data: bytes, cap: int) -> tuple[str, str, bool]:
    """``data`` (at most ``cap`` bytes of it) as UTF-8 text, or base64 when not UTF-8."""
    cut = data[:cap]
    try:
        return cut.decode("utf-8"), "utf-8", len(data) > cap
    except UnicodeDecodeError:
        return base64.b64encode(cut).decode("ascii"), "base64", len(data) > cap
