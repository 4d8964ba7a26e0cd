"""Sending one batch's units to the cluster and taking their results as they come.

The problem and the submissions go to the cluster once, as two tasks whose results each
worker fetches once (and the scheduler makes again if every worker holding them died); each
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

from distributed import Client, Future, KilledWorker, Worker

from grader.errors import UsageError
from grader.judging.batch import OnResult, internal_error
from grader.judging.judge import Judge
from grader.model import Submission, SubmissionResult

from .fingerprint import Fingerprint, local_fingerprint
from .plan import BatchSpec, Unit
from .runtime import PLUGIN_NAME, SLOT, abort_batch, finish_batch, judge_unit, shipped

__all__ = ["Dispatch"]

Log = Callable[[str], None]
Results = Future[SubmissionResult]
POLL_S = 0.2  # how soon Ctrl-C or a lost scheduler is noticed
LOST_S = 5.0  # how long the scheduler may be unreachable before the batch gives up
ABORT_S = 5.0  # for the workers to remove the batch's containers
STRANDED_S = 60.0  # how long a batch waits for a grader worker when none is left
CHECK_S = 5.0  # how often it looks for one


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
        self._stranded = _Stranded(client)
        self._units: dict[str, list[Unit]] = {}  # task key -> the units it answers

    def run(self, units: Sequence[Unit]) -> dict[int, SubmissionResult]:
        futures = self._submit(units)
        cancelled = self.judge.cancelled
        pending = self._collect(futures, cancelled)
        if self.lost:
            return self.results
        if not pending:
            self._everywhere(finish_batch)
            return self.results
        if not cancelled.is_set():  # stranded: no worker left to judge them
            why = f"no grader worker left in the cluster for {STRANDED_S:g} s"
            for future in pending:
                for unit in self._units[str(future.key)]:
                    submission = self.submissions[unit.index]
                    self.results[unit.index] = internal_error(self.judge, submission, why)
        self._everywhere(abort_batch)
        self.client.cancel(list(pending), force=True)
        return self.results

    def _submit(self, units: Sequence[Unit]) -> list[Results]:
        workers = _matching_workers(self.client, local_fingerprint(), self.log)
        # Each a task of its own, so that the scheduler can make it again if every worker
        # holding it dies (scattered data would be lost for good); fetched once per worker.
        problem, submissions = (
            self.client.submit(
                shipped, value, key=f"grader-{what}-{self.spec.id}", resources={SLOT: 1},
                workers=workers,
            )
            for what, value in (("problem", self.judge.problem), ("submissions", self.submissions))
        )  # fmt: skip
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
            if self._stranded.for_too_long():
                break
            try:
                done = {finished.get(timeout=POLL_S), *_drain(finished)} & pending
            except queue.Empty:
                continue
            pending -= done
            for future in done:
                self._take(future)
            if self.client.status != "running" and any(f.status == "cancelled" for f in done):
                self.lost = True  # the connection is gone: so are the other tasks
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
        """The unit's result (None if its task was cancelled with the connection), stored
        in the client's cache."""
        submission = self.submissions[unit.index]
        if future.status == "cancelled":
            if self.client.status != "running":
                return None
            return internal_error(self.judge, submission, "cancelled by the scheduler")
        if future.status == "error":
            return internal_error(self.judge, submission, _failure(future.exception()))
        result: SubmissionResult = future.result()
        cache = self.judge.cache
        if cache is not None and not self.judge.cancelled.is_set():
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


class _Stranded:
    """Whether the cluster has had no grader worker (one with slots) for ``STRANDED_S``:
    its units would wait forever. Asks the scheduler every ``CHECK_S``."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._checked = time.monotonic()
        self._since: float | None = None

    def for_too_long(self) -> bool:
        now = time.monotonic()
        if now - self._checked >= CHECK_S:
            self._checked = now
            if _grader_workers(self._client):
                self._since = None
            else:
                self._since = self._since or now
        return self._since is not None and now - self._since > STRANDED_S


def _grader_workers(client: Client) -> int:
    try:
        workers = client.scheduler_info(n_workers=-1)["workers"].values()
    except (OSError, TimeoutError):
        return 1  # the scheduler is unreachable: that is LOST_S's business
    return sum(1 for w in workers if w.get("resources", {}).get(SLOT))


def _matching_workers(client: Client, mine: Fingerprint, log: Log) -> list[str] | None:
    """The workers that may judge this batch; None when all may (a worker that joined a
    plain ``dask scheduler`` before any client set the cluster's fingerprint)."""
    found = client.run(_fingerprint_metadata, on_error="return")
    refused = []
    for address, data in found.items():
        theirs = Fingerprint.from_metadata(data)
        why = mine.mismatch(theirs, "this client", "it") if theirs else _NOT_GRADER
        if why:
            log(f"worker {address} refused: {why}")
            refused.append(address)
    if not refused:
        return None
    allowed = [address for address in found if address not in refused]
    if not allowed:
        raise UsageError("no worker of the cluster matches this client (see above)")
    return allowed


_NOT_GRADER = "not started by `grader worker`"


def _fingerprint_metadata(dask_worker: Worker) -> dict[str, object] | None:
    """Run on each worker: its fingerprint, None for a worker without grader's runtime."""
    if PLUGIN_NAME not in dask_worker.plugins:
        return None
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
