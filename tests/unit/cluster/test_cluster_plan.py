"""What a cluster client sends out (no cluster needed): CE and cache hits stay home, the
rest goes as units keyed by their result-cache digests, nothing once the scheduler is
lost; and when a worker must refuse."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from judging_fakes import alice, judge, problem

from grader.cluster.fingerprint import Fingerprint
from grader.cluster.plan import BatchSpec, plan
from grader.judging.cache import ResultCache
from grader.judging.judge import JudgeOptions
from grader.model import Verdict

SPEC = BatchSpec()


def test_a_submission_that_cannot_run_is_answered_by_the_client(tmp_path: Path) -> None:
    unknown = replace(alice(), language=None, reason="unsupported language (.rb)")
    planned = plan(judge(ResultCache(tmp_path))[0], [unknown], SPEC)
    assert planned.units == () and planned.done[0].verdict is Verdict.CE


def test_a_submission_with_every_case_cached_is_never_dispatched(tmp_path: Path) -> None:
    expected = judge(ResultCache(tmp_path))[0].judge(alice())
    planned = plan(judge(ResultCache(tmp_path))[0], [alice()], SPEC)
    assert planned.units == () and planned.done == {0: expected}


def test_a_unit_carries_the_cases_the_client_has_cached(tmp_path: Path) -> None:
    judge(ResultCache(tmp_path))[0].judge(alice())
    changed, _ = judge(ResultCache(tmp_path), problem((b"1\n", b"20\n", b"3\n")))
    (unit,) = plan(changed, [alice()], SPEC).units
    assert [result.name for _, result in unit.primed] == ["c0", "c2"]


def test_equal_sources_share_one_task_key(tmp_path: Path) -> None:
    bob = replace(alice(), id="bob")
    first, second = plan(judge(ResultCache(tmp_path))[0], [alice(), bob], SPEC).units
    assert first.key == second.key


def test_another_batch_gets_other_task_keys(tmp_path: Path) -> None:
    grader = judge(ResultCache(tmp_path, read=False))[0]
    keys = [plan(grader, [alice()], BatchSpec()).units[0].key for _ in range(2)]
    assert keys[0] != keys[1]


def test_once_the_scheduler_is_lost_a_batch_sends_nothing_and_is_incomplete() -> None:
    client = pytest.importorskip("grader.cluster.client")
    # Nothing listens on port 1: a batch that tried to connect would fail.
    with client.ClusterGrader("tcp://127.0.0.1:1", JudgeOptions(), lambda _: None) as cluster:
        cluster.lost = True  # in an earlier problem of the set
        report = cluster.grade(problem(), [alice()])
    (result,) = report.submissions
    assert (result.verdict, result.message) == (Verdict.IE, "scheduler lost before it was graded")
    assert not report.complete


def test_a_scheduler_gone_since_the_last_batch_is_lost_and_not_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = pytest.importorskip("grader.cluster.client")
    monkeypatch.setattr(client, "LOST_S", 0.0)  # how long it may be away: not at all here
    with client.ClusterGrader("tcp://127.0.0.1:1", JudgeOptions(), lambda _: None) as cluster:
        cluster._client = SimpleNamespace(status="closed")  # Dask gave up reconnecting
        report = cluster.grade(problem(), [alice()])
    assert cluster.lost and report.submissions[0].verdict is Verdict.IE
    assert not report.complete


def test_a_worker_of_another_version_is_told_both_versions() -> None:
    mine, theirs = Fingerprint("0.2.0", {}), Fingerprint("0.1.0", {})
    why = mine.mismatch(theirs, "this worker", "the cluster")
    assert why == "this worker runs grader 0.2.0, the cluster grader 0.1.0"


def test_a_worker_with_another_image_is_told_which() -> None:
    mine = Fingerprint("0.1.0", {"c": "grader-c:aaa", "python": "grader-python:p"})
    theirs = Fingerprint("0.1.0", {"c": "grader-c:bbb", "python": "grader-python:p"})
    why = mine.mismatch(theirs, "this worker", "the cluster")
    assert "(c)" in why and "grader-c:aaa" in why and "grader-c:bbb" in why


def test_equal_fingerprints_let_a_worker_join() -> None:
    fingerprint = Fingerprint("0.1.0", {"c": "grader-c:aaa"})
    stored = Fingerprint.from_metadata(fingerprint.to_metadata())
    assert stored is not None and fingerprint.mismatch(stored, "a", "b") == ""
