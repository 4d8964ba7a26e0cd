"""What the service's work runs on: a sandbox, the runtime image tags, and the engine's
state (ready? how many containers? abort). ``Backend.docker`` builds it on the library's
``Engine`` (warm spare boxes, one per worker, reaping of dead graders' containers); tests
build it on ``FakeSandbox``. The service never talks to Docker itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from grader.judging.execute import Execution, execute
from grader.judging.judge import Judge, JudgeContext, JudgeOptions
from grader.model import Language, Limits, Problem, Submission
from grader.sandbox.base import Sandbox

__all__ = ["Backend"]

Log = Callable[[str], None]


def _true() -> bool:
    return True


def _zero() -> int:
    return 0


def _nothing() -> None:
    return None


def _no_version(language: Language) -> str:
    return ""


@dataclass
class Backend:
    sandbox: Sandbox
    tags: Mapping[str, str]
    ping: Callable[[], bool] = _true
    live: Callable[[], int] = _zero
    abort: Callable[[], object] = _nothing
    close: Callable[[], None] = _nothing
    toolchain: Callable[[Language], str] = _no_version
    reuse: bool = False  # let run boxes serve several runs in turn, scrubbed between them
    cancelled: threading.Event = field(default_factory=threading.Event)
    _versions: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def docker(cls, workers: int, log: Log, *, reuse: bool = False) -> Backend:
        """The real engine: one connection, ``workers`` warm spares per box shape; runtime
        images must be built beforehand (``grader images build``); a missing one is IE."""
        from grader.app import Engine, RunOptions
        from grader.sandbox.images import Images
        from grader.verify.selftest import toolchain_version

        cancelled = threading.Event()
        options = RunOptions(
            jobs=workers,
            build_images=False,
            judge=JudgeOptions(reuse_run_boxes=reuse),
            context=JudgeContext(cancelled),
        )
        engine = Engine(options, log)
        sandbox = engine.sandbox
        images = Images(sandbox.client)

        def version(language: Language) -> str:
            tag = engine.tags[language.image]
            return toolchain_version(sandbox, images.get(language.image), tag, language.env)

        def close() -> None:
            engine.__exit__(None, None, None)

        return cls(sandbox, engine.tags, sandbox.ping, lambda: sandbox.live, sandbox.abort,
                   close, version, reuse, cancelled)  # fmt: skip

    def judge(self, problem: Problem) -> Judge:
        """A judge of ``problem``; a checker program is compiled here, once."""
        options = JudgeOptions(reuse_run_boxes=self.reuse)
        judge = Judge(self.sandbox, problem, self.tags, options, JudgeContext(self.cancelled))
        judge.prepare()
        return judge

    def execute(self, submission: Submission, stdin: bytes, limits: Limits) -> Execution:
        return execute(self.sandbox, self.tags, submission, stdin, limits, reusable=self.reuse)

    def version(self, language: Language) -> str:
        """The image's toolchain version (its first use runs the version command)."""
        with self._lock:
            known = self._versions.get(language.image)
        if known is None:
            try:
                known = self.toolchain(language)
            except Exception:  # a version is a courtesy; never fail a run for it
                known = ""
            with self._lock:
                self._versions[language.image] = known
        return known

    def image(self, language: Language) -> str:
        try:
            return self.tags[language.image]
        except Exception:
            return ""

    def cancel(self) -> None:
        """Stop every run now: running ones end IE, their containers removed."""
        self.cancelled.set()
        self.abort()
