"""Many submissions -> ``Report``: bounded concurrency, and faults kept to the submission
that met them.

Each submission is judged on a worker thread (``jobs`` at a time). Any unexpected
exception while judging one submission becomes an IE result for it and the batch goes
on; after an IE the batch waits (up to a minute) for the engine to answer again and
retries that submission once, and a second IE stands. Interrupting
(Ctrl-C, SIGTERM) stops new work, aborts the running boxes (``abort``: their containers
are removed), marks the unfinished submissions IE "interrupted" and the report
incomplete.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait

from grader.judging.judge import Judge
from grader.judging.results import not_run
from grader.model import Report, Submission, SubmissionResult, Verdict, report_time

__all__ = ["default_jobs", "grade_all", "internal_error", "judge_safely"]

OnResult = Callable[[SubmissionResult], None]
RECOVERY_WAIT_S = 60.0  # how long an IE waits for the engine to answer again
CANCEL_POLL_S = 0.1  # how soon a batch notices it was cancelled


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def internal_error(judge: Judge, submission: Submission, message: str) -> SubmissionResult:
    """IE for ``submission``, every case not run, with ``message`` as the reason."""
    return not_run(judge.problem, submission, Verdict.IE, message)


def _judge_once(judge: Judge, submission: Submission) -> SubmissionResult:
    try:
        return judge.judge(submission)
    except Exception as exc:  # one submission's fault must not stop the batch
        return internal_error(judge, submission, f"{type(exc).__name__}: {exc}")


def judge_safely(judge: Judge, submission: Submission) -> SubmissionResult:
    """Judge; after an IE, wait for the sandbox to recover (an engine restarting) and try
    once more. A second IE stands, with its reason."""
    result = _judge_once(judge, submission)
    if result.verdict is not Verdict.IE or judge.cancelled.is_set():
        return result
    if not judge.recover(RECOVERY_WAIT_S):
        return result
    return _judge_once(judge, submission)


def _wait_unless_cancelled(futures: list[Future[None]], cancelled: threading.Event) -> bool:
    """Wait for every future; True as soon as ``cancelled`` is set (polled, so that the
    event can be set from a signal handler or another thread)."""
    pending = set(futures)
    while pending:
        if cancelled.is_set():
            return True
        _, pending = wait(pending, timeout=CANCEL_POLL_S)
    return cancelled.is_set()


def grade_all(
    judge: Judge,
    submissions: Sequence[Submission],
    *,
    jobs: int | None = None,
    on_result: OnResult | None = None,
    abort: Callable[[], object] | None = None,
) -> Report:
    """Judge every submission; results in the order given."""
    started = report_time()
    cancelled = judge.cancelled
    results: dict[int, SubmissionResult] = {}
    lock = threading.Lock()

    def work(index: int, submission: Submission) -> None:
        if cancelled.is_set():
            return
        result = judge_safely(judge, submission)
        if cancelled.is_set() and result.verdict is Verdict.IE:
            return  # cut short by the interrupt: reported as interrupted below
        with lock:
            results[index] = result
            if on_result:
                on_result(result)

    def stop(futures: list[Future[None]]) -> None:
        for future in futures:
            future.cancel()
        if abort is not None:
            abort()
        wait(futures)

    pool = ThreadPoolExecutor(max_workers=jobs or default_jobs(), thread_name_prefix="judge")
    futures: list[Future[None]] = []
    try:
        futures.extend(pool.submit(work, i, s) for i, s in enumerate(submissions))
        if _wait_unless_cancelled(futures, cancelled):
            stop(futures)
    except KeyboardInterrupt:
        cancelled.set()
        stop(futures)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    ordered = tuple(
        results.get(i) or internal_error(judge, s, "interrupted before it was graded")
        for i, s in enumerate(submissions)
    )
    return Report(judge.problem, ordered, started, report_time(), complete=not cancelled.is_set())
