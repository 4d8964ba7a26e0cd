"""How a judge judges (``JudgeOptions``, a frozen value) and what it shares with the run
around it (``JudgeContext``: the cancellation event and the result cache, objects whose
state changes while a batch runs). An entry point makes one context per run and hands the
same one to every judge of that run; options are compared, copied and sent to cluster
workers as plain values.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from grader.judging.cache import ResultCache
from grader.judging.compile import COMPILE_LIMITS
from grader.model import Limits

__all__ = ["JudgeContext", "JudgeOptions"]


@dataclass(frozen=True)
class JudgeOptions:
    compile_limits: Limits = COMPILE_LIMITS
    stop_on_failure: bool = False
    # Let a run box serve several submissions in turn, scrubbed between them as between
    # cases (files, processes, IPC), instead of a fresh container per submission.
    reuse_run_boxes: bool = False


@dataclass(frozen=True)
class JudgeContext:
    """The collaborators a judge shares with its run: ``cancelled`` (set by an interrupt,
    the service's shutdown or a cluster abort: cases not yet run are skipped and nothing
    more is cached) and ``cache`` (reuse verdicts of unchanged (program, case) pairs; None:
    judge everything afresh)."""

    cancelled: threading.Event = field(default_factory=threading.Event)
    cache: ResultCache | None = None
