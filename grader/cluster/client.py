"""The client side of ``grader run --cluster`` (a problem or a problem set) and ``grader
verify --cluster``.

``ClusterGrader`` grades a batch like ``batch.grade_all`` does locally: it plans (``plan``:
CE and cache hits are answered here), connects to the scheduler when something must go
out, after checking that the cluster runs this grader with these images, and hands the
units to ``dispatch``. What did not finish (Ctrl-C, a lost scheduler) is IE with the
reason, and the report is then marked incomplete. A problem set is one batch per problem,
in scoreboard order, through one connection; once the scheduler is lost, the problems
left are not sent (IE "scheduler lost").
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from distributed import Client

from grader.app import (
    ContestResult,
    RunOptions,
    batch_input,
    contest_input,
    grade_problem_set,
    load_for_run,
)
from grader.errors import SandboxError, UsageError
from grader.judging.batch import OnResult, internal_error
from grader.judging.judge import Judge, JudgeContext, JudgeOptions
from grader.model import Problem, Report, Submission, report_time
from grader.problem.contest import ContestProblem
from grader.problem.kattis import Package
from grader.report.standings import ContestReport
from grader.sandbox.base import Box, BoxSpec
from grader.submissions.languages import LanguageTable, load_languages
from grader.verify import Verification, calibrate, verify

from . import ClusterError
from .dispatch import LOST_S, POLL_S, Dispatch
from .fingerprint import METADATA_KEY, Fingerprint, local_fingerprint
from .plan import BatchSpec, plan

__all__ = ["ClusterGrader", "run_contest_on_cluster", "run_on_cluster", "verify_on_cluster"]

Log = Callable[[str], None]
CONNECT_S = 10.0  # for the scheduler to answer
CLOSE_S = 5.0  # for the connection to close
WORKERS_S = 60.0  # for a first worker to join


class _NoSandbox:
    """The client runs nothing: its judge only answers from the result cache."""

    def open(self, spec: BoxSpec) -> AbstractContextManager[Box]:
        raise SandboxError("a cluster client has no sandbox")

    def recover(self, timeout: float) -> bool:
        return False


def run_on_cluster(
    address: str,
    problem_path: Path,
    paths: Sequence[Path],
    options: RunOptions,
    *,
    log: Log,
    on_result: OnResult | None = None,
    on_start: Callable[[Sequence[str]], None] | None = None,
) -> Report:
    """``app.run_batch`` on the cluster whose scheduler is at ``address``: the same
    report, each case that ran naming its host."""
    problem, package, table, submissions = batch_input(problem_path, paths, options, log)
    with ClusterGrader(address, options.judge, log, options.context) as cluster:
        problem = cluster.timed(problem, package, table)
        if on_start is not None:
            on_start([s.id for s in submissions])
        return cluster.grade(problem, submissions, on_result=on_result)


def run_contest_on_cluster(
    address: str,
    contest_path: Path,
    submissions_path: Path,
    options: RunOptions,
    *,
    log: Log,
    on_result: ContestResult | None = None,
    on_start: Callable[[Sequence[str]], None] | None = None,
) -> ContestReport:
    """``app.run_contest`` on the cluster whose scheduler is at ``address``: the same
    scoreboard and per-problem reports, each case that ran naming its host."""
    inputs = contest_input(contest_path, submissions_path, options, log)
    with ClusterGrader(address, options.judge, log, options.context) as cluster:

        def grade(item: ContestProblem, found: list[Submission], on: OnResult | None) -> Report:
            problem = cluster.timed(item.problem, item.package, inputs.table)
            return cluster.grade(problem, found, on_result=on)

        return grade_problem_set(inputs, grade, on_result=on_result, on_start=on_start)


def verify_on_cluster(
    address: str, problem_path: Path, options: RunOptions, *, log: Log
) -> Verification:
    """``app.run_verify`` on the cluster whose scheduler is at ``address``."""
    problem, package = load_for_run(problem_path, options, log)
    table = load_languages().preferring(options.prefer)
    with ClusterGrader(address, options.judge, log, options.context) as cluster:
        try:
            checked = verify(problem, package, cluster.grade, table)
        except KeyboardInterrupt:  # a calibration cut short: by Ctrl-C, or a lost scheduler
            if not cluster.lost:
                raise
        if cluster.lost:
            raise ClusterError(f"the scheduler at {address} went away during the verification")
        return checked


class ClusterGrader:
    """Grades batches on the cluster at ``address`` (``grade`` is a ``verify.Grade``).
    Connects on the first batch with something to send, and stays connected until the
    ``with`` block ends."""

    def __init__(
        self, address: str, options: JudgeOptions, log: Log, context: JudgeContext | None = None
    ) -> None:
        self.address = address
        self.options = options
        self.context = context or JudgeContext()
        self.log = log
        self.mine = local_fingerprint()
        self.lost = False  # the scheduler went away: later batches send nothing
        self._client: Client | None = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> ClusterGrader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def grade(
        self,
        problem: Problem,
        submissions: Sequence[Submission],
        *,
        on_result: OnResult | None = None,
    ) -> Report:
        """Like ``batch.grade_all``: results in the order given, IE "interrupted" or
        "scheduler lost" for what did not finish (and the report then incomplete)."""
        judge = Judge(_NoSandbox(), problem, self.mine.images, self.options, self.context)
        cache = judge.cache
        spec = BatchSpec(
            stop_on_failure=self.options.stop_on_failure,
            reuse_containers=self.options.reuse_run_boxes,
            cache_read=cache.read if cache else False,
        )
        planned = plan(judge, submissions, spec)
        started = report_time()
        for result in planned.done.values():
            if on_result is not None:
                on_result(result)
        results = dict(planned.done)
        cancelled = judge.cancelled
        client = self._connected() if planned.units and not cancelled.is_set() else None
        if client is not None:
            self.log(f"cluster {self.address}: {len(planned.units)} submission(s) to judge, "
                     f"{len(planned.done)} answered here (cache, CE)")  # fmt: skip
            batch = Dispatch(client, judge, submissions, spec, on_result, self.log)
            results.update(batch.run(planned.units))
            self.lost = batch.lost
        why = "scheduler lost" if self.lost else "interrupted"
        ordered = tuple(
            results.get(i) or internal_error(judge, s, f"{why} before it was graded")
            for i, s in enumerate(submissions)
        )
        complete = not cancelled.is_set() and len(results) == len(submissions)
        return Report(problem, ordered, started, report_time(), complete=complete)

    def timed(self, problem: Problem, package: Package | None, table: LanguageTable) -> Problem:
        """``problem`` with its time limit, as ``app.Engine.timed`` gives it, a package's
        derived on the cluster (logged). Nothing is timed once the run is interrupted or
        the scheduler lost: nothing more runs then."""
        if package is None or package.time.given is not None:
            return problem
        if self.lost or self.context.cancelled.is_set():
            return problem
        try:
            timing = calibrate(package, self.grade, table)
        except KeyboardInterrupt:  # calibrate's word for a calibration cut short
            if not self.lost:
                raise
            return problem
        self.log(f"{problem.name}: {timing.describe()}")
        return package.with_time_limit(timing.limit, timing.how)

    def _connected(self) -> Client | None:
        """The connection, made on first need; None once the scheduler is lost (in a
        batch, or unreachable for ``LOST_S`` since the last one)."""
        if self.lost:
            return None
        if self._client is None:
            self._stack.enter_context(_quiet())
            self._client = self._stack.enter_context(_connect(self.address, self.mine, self.log))
        deadline = time.monotonic() + LOST_S
        while self._client.status != "running" and time.monotonic() < deadline:
            time.sleep(POLL_S)
        self.lost = self._client.status != "running"
        return None if self.lost else self._client


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Dask's client logs a lost scheduler with tracebacks; the batch reports it itself."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _connect(address: str, mine: Fingerprint, log: Log) -> Client:
    try:
        client = Client(address, timeout=CONNECT_S, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"no scheduler answers at {address}: {exc}") from exc
    try:
        _admit(client, mine, address)
    except BaseException:
        client.close(timeout=CLOSE_S)
        raise
    return client


def _admit(client: Client, mine: Fingerprint, address: str) -> None:
    """The cluster's fingerprint must be ours (the first client sets it), and a worker
    must have joined."""
    stored = Fingerprint.from_metadata(client.get_metadata(METADATA_KEY, default=None))
    if stored is None:
        client.set_metadata(METADATA_KEY, mine.to_metadata())
    elif why := mine.mismatch(stored, "this client", "the cluster"):
        raise UsageError(f"cluster {address} does not match: {why}")
    try:
        client.wait_for_workers(1, timeout=WORKERS_S)
    except TimeoutError:
        raise ClusterError(
            f"no worker joined {address} within {WORKERS_S:g} s: "
            f"start one with `grader worker {address}`"
        ) from None
