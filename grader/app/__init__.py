"""The library entry points the CLI, the service and the cluster call: they wire problem,
submissions, images, sandbox, judge and batch together.

``engine``: a run's options and its ``Engine`` (one Docker connection, images built on
need). ``runs``: grading a batch, a problem's own submissions (verify) and a problem set.
``host``: the engine's upkeep (images, leftover containers, what the host enforces).
"""

from __future__ import annotations

from grader.app.engine import Engine, ImageTags, RunOptions, ensure_images
from grader.app.host import (
    ImageState,
    build_images,
    cleanup,
    diagnose_host,
    list_images,
    self_test_images,
)
from grader.app.runs import (
    BatchInput,
    ContestInput,
    ContestResult,
    batch_input,
    contest_input,
    grade_problem_set,
    load_for_run,
    run_batch,
    run_contest,
    run_verify,
)
from grader.problem import load  # a problem (or package) as the CLI's check shows it

__all__ = [
    "BatchInput",
    "ContestInput",
    "ContestResult",
    "Engine",
    "ImageState",
    "ImageTags",
    "RunOptions",
    "batch_input",
    "build_images",
    "cleanup",
    "contest_input",
    "diagnose_host",
    "ensure_images",
    "grade_problem_set",
    "list_images",
    "load",
    "load_for_run",
    "run_batch",
    "run_contest",
    "run_verify",
    "self_test_images",
]
