"""Which submissions of a batch go to the cluster, as what units.

A submission that cannot run (CE) or whose every case is in the client's result cache is
answered here and never dispatched. Every other submission is one unit: all its cases,
judged together on one worker (one compile, one run box), with the cases the client has
cached sent along so that the worker does not run them again. A unit's task key is the
digest of its cases' result-cache keys: a unit that runs twice (its worker died) is still
one task, and so one result.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from grader.judging.judge import Judge
from grader.model import CaseResult, Submission, SubmissionResult

__all__ = ["BatchSpec", "Plan", "Unit", "plan"]


@dataclass(frozen=True)
class BatchSpec:
    """What every worker needs to judge a batch like the client would."""

    stop_on_failure: bool = False
    reuse_containers: bool = False
    cache_read: bool = True  # the worker may reuse its own cached results
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass(frozen=True)
class Unit:
    """One submission to judge on a worker."""

    index: int  # in the batch's submissions
    key: str  # the Dask task key
    case_keys: tuple[str, ...]  # the result-cache key of each case, in order
    primed: tuple[tuple[str, CaseResult], ...]  # (case key, result) the client has cached


@dataclass(frozen=True)
class Plan:
    done: dict[int, SubmissionResult]  # answered without the cluster, by index
    units: tuple[Unit, ...]


def plan(judge: Judge, submissions: Sequence[Submission], spec: BatchSpec) -> Plan:
    """Split a batch into what the client answers and what the cluster must judge."""
    done: dict[int, SubmissionResult] = {}
    units: list[Unit] = []
    cache = judge.cache
    for index, submission in enumerate(submissions):
        found = judge.from_cache(submission)
        if found is not None:
            done[index] = found
            continue
        keys = judge.case_keys(submission)
        stored = [(k, cache.get_case(k)) for k in keys] if cache else []
        primed = tuple((k, result) for k, result in stored if result is not None)
        units.append(Unit(index, _task_key(keys, spec), keys, primed))
    return Plan(done, tuple(units))


def _task_key(case_keys: Sequence[str], spec: BatchSpec) -> str:
    """Equal for the same cases judged the same way; distinct per batch, so that two
    clients never share (or cancel) each other's tasks."""
    text = "\n".join([spec.id, str(spec.stop_on_failure), *case_keys])
    return "grader-unit-" + hashlib.sha256(text.encode()).hexdigest()
