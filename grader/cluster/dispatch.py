"""Sending one batch's units to the cluster and taking their results as they come.

The problem and the submissions are scattered once to every worker (``broadcast``); each
unit is one task, keyed by its result-cache digest (``plan``), needing one Docker slot,
on a worker whose fingerprint matches. Results go to the client's result cache and to
``on_result`` as they finish. A unit whose workers died more often than the scheduler's
``allowed-failures`` is IE "worker lost". On Ctrl-C the workers remove the batch's
containers (``runtime.abort_batch``) and its tasks are cancelled; a scheduler unreachable
for ``LOST_S`` ends the batch with what it has.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from distributed import Client, Future, KilledWorker

from grader.batch import OnResult, internal_error
from grader.errors import UsageError
from grader.judge import Judge
from grader.model import Submission, SubmissionResult

from .fingerprint import Fingerprint, local_fingerprint
from .plan import BatchSpec, Unit
from .runtime import SLOT, abort_batch, finish_batch, judge_unit

__all__ = ["Dispatch"]

Log = Callable[[str], None]
Results = Future[SubmissionResult]
POLL_S = 0.2  # how soon Ctrl-C or a lost scheduler is noticed
LOST_S = 5.0  # how long the scheduler may be unreachable before the batch gives up
ABORT_S = 5.0  # for the workers to remove the batch's containers


class Dispatch:
    """One batch on the cluster: ``run`` returns the results by submission index."""

    def __init__(
        self,
        client: Client,
        judge: Judge,
        submissions: Sequence[Submission],
        spec: BatchSpec,
        on_result: OnResult | None,
        log: Log,
    ) -> None:
        self.client = client
        self.judge = judge
        self.submissions = submissions
        self.spec = spec
        self.on_result = on_result
        self.log = log
        self.lost = False  # the scheduler went away
        self.results: dict[int, SubmissionResult] = {}
        self._units: dict[str, list[Unit]] = {}  # task key -> the units it answers

    def run(self, units: Sequence[Unit]) -> dict[int, SubmissionResult]:
        futures = self._submit(units)
        cancelled = self.judge.options.cancelled
        pending = self._collect(futures, cancelled)
        if cancelled.is_set() and not self.lost:
            self._everywhere(abort_batch)
            self.client.cancel(list(pending), force=True)
        elif not self.lost:
            self._everywhere(finish_batch)
        return self.results

    def _submit(self, units: Sequence[Unit]) -> list[Results]:
        workers = _matching_workers(self.client, local_fingerprint(), self.log)
        shipped = [self.judge.problem, tuple(self.submissions)]
        problem, submissions = self.client.scatter(shipped, broadcast=True, hash=False)
        futures: list[Results] = []
        for unit in units:
            if unit.key not in self._units:  # equal sources judged once (one key, one task)
                futures.append(
                    self.client.submit(
                        judge_unit, problem, submissions, unit.index, self.spec, unit.primed,
                        key=unit.key, resources={SLOT: 1}, workers=workers,
                    )
                )  # fmt: skip
            self._units.setdefault(unit.key, []).append(unit)
        return futures

    def _collect(self, futures: list[Results], cancelled: threading.Event) -> set[Results]:
        """Take results as they come until all are in, Ctrl-C or the scheduler is lost;
        returns the futures still pending."""
        pending = set(futures)
        finished: queue.Queue[Results] = queue.Queue()
        for future in futures:
            future.add_done_callback(finished.put)
        unreachable_since: float | None = None
        while pending and not cancelled.is_set():
            if self.client.status == "running":
                unreachable_since = None
            else:
                unreachable_since = unreachable_since or time.monotonic()
                if time.monotonic() - unreachable_since > LOST_S:
                    self.lost = True
                    break
            try:
                done = {finished.get(timeout=POLL_S), *_drain(finished)} & pending
            except queue.Empty:
                continue
            pending -= done
            for future in done:
                self._take(future)
            if any(f.status == "cancelled" for f in done):  # only a lost scheduler cancels
                self.lost = True
                break
        return pending

    def _take(self, future: Results) -> None:
        for unit in self._units[str(future.key)]:
            result = self._result_of(future, unit)
            if result is not None:
                self.results[unit.index] = result
                if self.on_result is not None:
                    self.on_result(result)

    def _result_of(self, future: Results, unit: Unit) -> SubmissionResult | None:
        """The unit's result (None if its task was cancelled), stored in the client's
        cache."""
        submission = self.submissions[unit.index]
        if future.status == "cancelled":
            return None
        if future.status == "error":
            return internal_error(self.judge, submission, _failure(future.exception()))
        result: SubmissionResult = future.result()
        cache = self.judge.options.cache
        if cache is not None and not self.judge.options.cancelled.is_set():
            primed = {key for key, _ in unit.primed}
            for key, case in zip(unit.case_keys, result.cases, strict=True):
                if key not in primed:
                    cache.put_case(key, case)
        return replace(result, id=submission.id)

    def _everywhere(self, function: Callable[..., Any]) -> None:
        """Run ``function(batch id)`` on every worker, waiting at most ``ABORT_S``."""
        done = threading.Event()

        def call() -> None:
            try:
                self.client.run(function, self.spec.id, on_error="ignore")
            finally:
                done.set()

        threading.Thread(target=call, daemon=True, name="grader-cluster").start()
        if not done.wait(ABORT_S):
            self.log(f"the workers did not confirm {function.__name__} within {ABORT_S:g} s")


def _matching_workers(client: Client, mine: Fingerprint, log: Log) -> list[str] | None:
    """The workers that may judge this batch; None when all may (a worker that joined a
    plain ``dask scheduler`` before any client set the cluster's fingerprint)."""
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


def _drain(finished: queue.Queue[Results]) -> list[Results]:
    drained = []
    with contextlib.suppress(queue.Empty):
        while True:
            drained.append(finished.get_nowait())
    return drained


def _failure(exc: BaseException | None) -> str:
    if isinstance(exc, KilledWorker):
        worker = getattr(exc.last_worker, "address", exc.last_worker)
        tries = exc.allowed_failures + 1
        return f"worker lost: {tries} worker(s) died judging it, the last {worker}"
    return f"{type(exc).__name__}: {exc}"
