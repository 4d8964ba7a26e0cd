"""The worker side: a Dask worker plugin that judges units on this host's Docker engine
through the library (``app.Engine``), one engine per batch.

A batch's engine (its sandbox, spare boxes and image tags; missing images are built) is
made by its first unit and closed by ``finish_batch`` or, at once, by ``abort_batch``,
which removes every container of that batch: the client calls it on Ctrl-C. Closing the
worker aborts every batch, one still being opened included, and opens no other. Each case
a unit ran records this host.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from distributed import Worker, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from grader.app import Engine, RunOptions
from grader.judging.batch import judge_safely
from grader.judging.cache import ResultCache
from grader.judging.judge import Judge, JudgeContext, JudgeOptions
from grader.model import CaseResult, Problem, Submission, SubmissionResult, Verdict

from .plan import BatchSpec

__all__ = [
    "PLUGIN_NAME",
    "SLOT",
    "GraderRuntime",
    "abort_batch",
    "finish_batch",
    "judge_unit",
    "shipped",
]

PLUGIN_NAME = "grader"
IDLE_S = 120.0  # a batch idle this long (its client gone without finishing) is closed
SLOT = "slots"  # the worker resource: Docker slots, one per unit running
_log = logging.getLogger("grader.cluster")
T = TypeVar("T")


class _PrimedCache(ResultCache):
    """The worker's own result cache, in front of it the results the client sent along."""

    def __init__(self, root: Path, *, read: bool) -> None:
        super().__init__(root, read=read)
        self._primed: dict[str, CaseResult] = {}
        self._lock = threading.Lock()

    def prime(self, results: Sequence[tuple[str, CaseResult]]) -> None:
        with self._lock:
            self._primed.update(results)

    def get_case(self, key: str) -> CaseResult | None:
        with self._lock:
            primed = self._primed.get(key)
        return primed if primed is not None else super().get_case(key)


@dataclass
class _Batch:
    engine: Engine
    judge: Judge
    cache: _PrimedCache
    cancelled: threading.Event
    running: int = 0  # units judging now
    idle_since: float = field(default_factory=time.monotonic)


class GraderRuntime(WorkerPlugin):
    """Installed by ``grader worker``; units find it as ``worker.plugins["grader"]``."""

    name = PLUGIN_NAME

    def __init__(self, slots: int, cache_dir: Path) -> None:
        self.slots = slots
        self.cache_dir = cache_dir
        self.host = socket.gethostname()
        self._batches: dict[str, _Batch] = {}
        self._aborted: set[str] = set()  # batch ids: their late units must not start again
        self._closed = False  # the worker is leaving: no batch may open
        self._lock = threading.Lock()

    def teardown(self, worker: Worker) -> None:
        with self._lock:  # after a batch being opened is in, and before another opens
            self._closed = True
            batch_ids = list(self._batches)
        for batch_id in batch_ids:
            self.abort(batch_id)

    def judge(
        self,
        problem: Problem,
        submissions: Sequence[Submission],
        index: int,
        spec: BatchSpec,
        primed: Sequence[tuple[str, CaseResult]],
    ) -> SubmissionResult:
        batch = self._batch(problem, submissions, spec)
        batch.cache.prime(primed)
        try:
            result = judge_safely(batch.judge, submissions[index])
        finally:
            with self._lock:
                batch.running -= 1
                batch.idle_since = time.monotonic()
        ran_before = {case.name for _, case in primed}
        cases = tuple(
            case
            if case.name in ran_before or case.verdict is Verdict.SKIPPED
            else replace(case, host=self.host)
            for case in result.cases
        )
        return replace(result, cases=cases)

    def abort(self, batch_id: str) -> int:
        """Stop a batch: its running units fail, its containers are removed. Returns how
        many containers were running."""
        with self._lock:
            self._aborted.add(batch_id)
            batch = self._batches.pop(batch_id, None)
        if batch is None:
            return 0
        batch.cancelled.set()
        removed = batch.engine.sandbox.abort()
        batch.engine.__exit__(None, None, None)
        return removed

    def finish(self, batch_id: str) -> None:
        with self._lock:
            batch = self._batches.pop(batch_id, None)
        if batch is not None:
            batch.engine.__exit__(None, None, None)

    def _batch(
        self, problem: Problem, submissions: Sequence[Submission], spec: BatchSpec
    ) -> _Batch:
        with self._lock:  # the first unit of a batch opens its engine; the others wait
            if spec.id in self._aborted:
                raise RuntimeError("the batch was interrupted")
            if self._closed:
                raise RuntimeError("the worker is leaving the cluster")
            batch = self._batches.get(spec.id)
            if batch is None:
                self._close_idle()
                batch = self._open(problem, submissions, spec)
                self._batches[spec.id] = batch
            batch.running += 1
            return batch

    def _close_idle(self) -> None:
        """Close the engines of batches whose client left without finishing them."""
        now = time.monotonic()
        for batch_id, batch in list(self._batches.items()):
            if not batch.running and now - batch.idle_since > IDLE_S:
                del self._batches[batch_id]
                batch.engine.__exit__(None, None, None)

    def _open(self, problem: Problem, submissions: Sequence[Submission], spec: BatchSpec) -> _Batch:
        cache = _PrimedCache(self.cache_dir, read=spec.cache_read)
        cancelled = threading.Event()
        options = JudgeOptions(
            stop_on_failure=spec.stop_on_failure, reuse_run_boxes=spec.reuse_containers
        )
        context = JudgeContext(cancelled, cache)
        engine = Engine(RunOptions(jobs=self.slots, judge=options, context=context), _log.info)
        try:
            judge = engine.judge(problem, submissions)
        except BaseException:
            engine.__exit__(None, None, None)
            raise
        return _Batch(engine, judge, cache, cancelled)


def _runtime(worker: Worker) -> GraderRuntime:
    plugin = worker.plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, GraderRuntime):
        raise RuntimeError("this Dask worker was not started by `grader worker`")
    return plugin


def shipped(value: T) -> T:
    """The task that holds a batch's problem or submissions on the cluster."""
    return value


def judge_unit(
    problem: Problem,
    submissions: Sequence[Submission],
    index: int,
    spec: BatchSpec,
    primed: Sequence[tuple[str, CaseResult]],
) -> SubmissionResult:
    """The task: judge ``submissions[index]`` on this worker."""
    return _runtime(get_worker()).judge(problem, submissions, index, spec, primed)


async def abort_batch(batch_id: str, dask_worker: Worker) -> int:
    """Run on every worker by the client (``Client.run``) when a batch is interrupted."""
    return await asyncio.to_thread(_runtime(dask_worker).abort, batch_id)


async def finish_batch(batch_id: str, dask_worker: Worker) -> None:
    """Run on every worker by the client when a batch is over: its spare boxes go."""
    await asyncio.to_thread(_runtime(dask_worker).finish, batch_id)
