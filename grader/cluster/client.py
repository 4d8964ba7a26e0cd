"""The client side of ``grader run --cluster``: plan the batch, ship it, stream results.

The problem and the submissions are scattered once to every worker (``broadcast``); each
unit is one task, keyed by its result-cache digest (``plan``), needing one Docker slot.
Results come back as they finish, go to the client's result cache and to ``on_result``.
A unit whose workers died more often than the scheduler's ``allowed-failures`` is IE
"worker lost". On Ctrl-C the workers remove the batch's containers and its tasks are
cancelled; if the scheduler goes away, the batch stops with what it has. Either way the
report covers every submission and is marked incomplete.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from distributed import Client, Future, KilledWorker

from grader.batch import OnResult, internal_error
from grader.errors import SandboxError, UsageError
from grader.judge import Judge, JudgeOptions
from grader.languages import load_languages
from grader.model import Problem, Report, Submission, SubmissionResult
from grader.sandbox.base import Box, BoxSpec
from grader.service import RunOptions, load
from grader.submissions import discover
from grader.verify import Verification, calibrate, verify

from . import ClusterError
from .fingerprint import METADATA_KEY, Fingerprint, local_fingerprint
from .plan import BatchSpec, Plan, Unit, plan
from .runtime import SLOT, abort_batch, finish_batch, judge_unit

__all__ = ["ClusterGrader", "run_on_cluster", "verify_on_cluster"]

Log = Callable[[str], None]
CONNECT_S = 10.0  # for the scheduler to answer
WORKERS_S = 60.0  # for a first worker to join
POLL_S = 0.2  # how soon Ctrl-C or a lost scheduler is noticed
LOST_S = 5.0  # how long the scheduler may be unreachable before the batch gives up
ABORT_S = 5.0  # for the workers to remove the batch's containers


class _NoSandbox:
    """The client runs nothing: its judge only answers from the result cache."""

    def open(self, spec: BoxSpec) -> AbstractContextManager[Box]:
        raise SandboxError("a cluster client has no sandbox")

    def recover(self, timeout: float) -> bool:
        return False


@dataclass
class _Outcome:
    results: dict[int, SubmissionResult]
    lost: bool = False  # the scheduler went away


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
    """``service.run_batch`` on the cluster whose scheduler is at ``address``: the same
    report, each case that ran naming its host."""
    problem, package = load(problem_path)
    table = load_languages()
    language = table.get(options.language) if options.language else None
    submissions = discover(paths, table, language=language, max_source=options.max_source)
    with ClusterGrader(address, options.judge, log) as cluster:
        if package is not None and package.time.given is None:
            timing = calibrate(package, cluster.grade, table)
            log(f"{problem.name}: {timing.describe()}")
            problem = package.with_time_limit(timing.limit)
        if on_start is not None:
            on_start([s.id for s in submissions])
        return cluster.grade(problem, submissions, on_result=on_result)


def verify_on_cluster(
    address: str, problem_path: Path, options: RunOptions, *, log: Log
) -> Verification:
    """``service.run_verify`` on the cluster whose scheduler is at ``address``."""
    problem, package = load(problem_path)
    with ClusterGrader(address, options.judge, log) as cluster:
        checked = verify(problem, package, cluster.grade, load_languages())
        if cluster.lost:
            raise ClusterError(f"the scheduler at {address} went away during the verification")
        return checked


class ClusterGrader:
    """Grades batches on the cluster at ``address`` (``grade`` is a ``verify.Grade``).
    Connects on the first batch with something to send, and stays connected until the
    ``with`` block ends."""

    def __init__(self, address: str, options: JudgeOptions, log: Log) -> None:
        self.address = address
        self.options = options
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
        judge = Judge(_NoSandbox(), problem, self.mine.images, self.options)
        cache = self.options.cache
        spec = BatchSpec(
            stop_on_failure=self.options.stop_on_failure,
            reuse_containers=self.options.reuse_run_boxes,
            cache_read=cache.read if cache else False,
        )
        planned = plan(judge, submissions, spec)
        started = _now()
        for result in planned.done.values():
            if on_result is not None:
                on_result(result)
        outcome = _Outcome(dict(planned.done))
        cancelled = self.options.cancelled
        if planned.units and not self.lost and not cancelled.is_set():
            client = self._connected()
            self.log(f"cluster {self.address}: {len(planned.units)} submission(s) to judge, "
                     f"{len(planned.done)} answered here (cache, CE)")  # fmt: skip
            _dispatch(client, judge, submissions, planned, spec, outcome, on_result, self.log)
            self.lost = outcome.lost
        why = "scheduler lost" if self.lost else "interrupted"
        ordered = tuple(
            outcome.results.get(i) or internal_error(judge, s, f"{why} before it was graded")
            for i, s in enumerate(submissions)
        )
        complete = not cancelled.is_set() and len(outcome.results) == len(submissions)
        return Report(problem, ordered, started, _now(), complete=complete)

    def _connected(self) -> Client:
        if self._client is None:
            self._stack.enter_context(_quiet())
            self._client = self._stack.enter_context(_connect(self.address, self.mine, self.log))
        return self._client


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
        client.close(timeout=ABORT_S)
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


def _matching_workers(client: Client, mine: Fingerprint, log: Log) -> list[str] | None:
    """The workers that may judge this batch; None when all may."""
    found = client.run(_fingerprint_metadata, on_error="return")
    refused = []
    for address, data in found.items():
        theirs = Fingerprint.from_metadata(data)
        why = mine.mismatch(theirs, "this client", "it") if theirs else "no fingerprint"
        if why:
            log(f"worker {address} refused: {why}")
            refused.append(address)
    if not refused:
        return None
    allowed = [address for address in found if address not in refused]
    if not allowed:
        raise UsageError("no worker of the cluster matches this client (see above)")
    return allowed


def _fingerprint_metadata() -> dict[str, object]:
    return local_fingerprint().to_metadata()


def _dispatch(
    client: Client,
    judge: Judge,
    submissions: Sequence[Submission],
    planned: Plan,
    spec: BatchSpec,
    outcome: _Outcome,
    on_result: OnResult | None,
    log: Log,
) -> None:
    workers = _matching_workers(client, local_fingerprint(), log)
    problem, shipped = client.scatter([judge.problem, tuple(submissions)], broadcast=True)
    units: dict[str, list[Unit]] = {}
    futures: list[Future[SubmissionResult]] = []
    for unit in planned.units:
        if unit.key not in units:  # equal sources judged once (same key, same task)
            futures.append(
                client.submit(
                    judge_unit, problem, shipped, unit.index, spec, unit.primed,
                    key=unit.key, resources={SLOT: 1}, workers=workers,
                )
            )  # fmt: skip
        units.setdefault(unit.key, []).append(unit)
    cancelled = judge.options.cancelled
    pending = _collect(client, futures, cancelled, outcome, units, judge, submissions, on_result)
    if cancelled.is_set() and not outcome.lost:
        _everywhere(client, abort_batch, spec.id, log)
        client.cancel(list(pending), force=True)
    elif not outcome.lost:
        _everywhere(client, finish_batch, spec.id, log)


def _collect(
    client: Client,
    futures: list[Future[SubmissionResult]],
    cancelled: threading.Event,
    outcome: _Outcome,
    units: dict[str, list[Unit]],
    judge: Judge,
    submissions: Sequence[Submission],
    on_result: OnResult | None,
) -> set[Future[SubmissionResult]]:
    """Take results as they come until all are in, Ctrl-C or the scheduler is lost;
    returns the futures still pending."""
    pending = set(futures)
    finished: queue.Queue[Future[SubmissionResult]] = queue.Queue()
    for future in futures:
        future.add_done_callback(finished.put)
    unreachable_since: float | None = None
    while pending and not cancelled.is_set():
        if client.status != "running":
            unreachable_since = unreachable_since or time.monotonic()
            if time.monotonic() - unreachable_since > LOST_S:
                outcome.lost = True
                break
        else:
            unreachable_since = None
        try:
            first = finished.get(timeout=POLL_S)
        except queue.Empty:
            continue
        done = {first, *_drain(finished)} & pending
        pending -= done
        for future in done:
            for unit in units[str(future.key)]:
                result = _result_of(future, judge, submissions[unit.index], unit)
                if result is not None:
                    outcome.results[unit.index] = result
                    if on_result is not None:
                        on_result(result)
        if any(f.status == "cancelled" for f in done):  # only a lost scheduler cancels
            outcome.lost = True
            break
    return pending


def _drain(finished: queue.Queue[Future[SubmissionResult]]) -> list[Future[SubmissionResult]]:
    drained = []
    with contextlib.suppress(queue.Empty):
        while True:
            drained.append(finished.get_nowait())
    return drained


def _result_of(
    future: Future[SubmissionResult], judge: Judge, submission: Submission, unit: Unit
) -> SubmissionResult | None:
    """The unit's result (None if its task was cancelled), stored in the client's cache."""
    if future.status == "cancelled":
        return None
    if future.status == "error":
        return internal_error(judge, submission, _failure(future.exception()))
    result: SubmissionResult = future.result()
    cache = judge.options.cache
    if cache is not None and not judge.options.cancelled.is_set():
        primed = {key for key, _ in unit.primed}
        for key, case in zip(unit.case_keys, result.cases, strict=True):
            if key not in primed:
                cache.put_case(key, case)
    return replace(result, id=submission.id)


def _failure(exc: BaseException | None) -> str:
    if isinstance(exc, KilledWorker):
        worker = getattr(exc.last_worker, "address", exc.last_worker)
        tries = exc.allowed_failures + 1
        return f"worker lost: {tries} worker(s) died judging it, the last {worker}"
    return f"{type(exc).__name__}: {exc}"


def _everywhere(client: Client, function: Callable[..., Any], batch_id: str, log: Log) -> None:
    """Run ``function(batch_id)`` on every worker, waiting at most ``ABORT_S``."""
    done = threading.Event()

    def call() -> None:
        try:
            client.run(function, batch_id, on_error="ignore")
        finally:
            done.set()

    threading.Thread(target=call, daemon=True, name="grader-cluster").start()
    if not done.wait(ABORT_S):
        log(f"the workers did not confirm {function.__name__} within {ABORT_S:g} s")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
