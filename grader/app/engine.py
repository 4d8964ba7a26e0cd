"""What a run sets up once: its options (``RunOptions``) and its ``Engine``, one Docker
connection with the runtime images built on need, giving judges for any problem.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from grader.environment import HostEnvironment
from grader.errors import ImageMissingError, SandboxError
from grader.judging.batch import default_jobs
from grader.judging.judge import Judge, JudgeContext, JudgeOptions
from grader.model import Problem, Submission
from grader.problem.kattis import Package
from grader.sandbox.docker import DockerSandbox, connect, reap
from grader.sandbox.environment import host_environment
from grader.sandbox.images import Images, build_jobs
from grader.submissions import DEFAULT_MAX_SOURCE
from grader.submissions.languages import LanguageTable
from grader.verify import calibrate, locally

__all__ = ["Engine", "ImageTags", "Log", "RunOptions", "ensure_images"]

Log = Callable[[str], None]


@dataclass(frozen=True)
class RunOptions:
    language: str | None = None
    prefer: tuple[str, ...] = ()  # rows that take the extensions they share (pypy for .py)
    jobs: int | None = None
    build_images: bool = True
    max_source: int = DEFAULT_MAX_SOURCE
    judge: JudgeOptions = field(default_factory=JudgeOptions)
    context: JudgeContext = field(default_factory=JudgeContext)  # cancellation, cache
    time_limit: float | None = None  # --time-limit: replaces every case's, given or derived
    memory_limit: int | None = None  # --memory-limit, bytes


def ensure_images(images: Images, names: set[str], *, build: bool, log: Log) -> dict[str, str]:
    """Tags of the named images, building missing ones when ``build`` is set."""
    wanted = [images.get(name) for name in sorted(names)]
    missing = [image for image in wanted if not images.exists(image)]
    if missing and not build:
        image = missing[0]
        raise ImageMissingError(
            f"image {image.tag} is missing: run `grader images build {image.name}`"
        )
    images.build_all(missing, jobs=build_jobs(), log=log)
    return {image.name: image.tag for image in wanted}


def _images_needed(submissions: Sequence[Submission]) -> set[str]:
    return {s.language.image for s in submissions if s.language and not s.reason}


def _checker_image(problem: Problem) -> set[str]:
    program = problem.checker.program
    language = program.source.language if program else None
    return {language.image} if language else set()


class Engine:
    """One Docker connection for a run: runtime images built on first need (or up front,
    for the submissions known), and judges for any version of a problem."""

    def __init__(self, options: RunOptions, log: Log) -> None:
        client = connect()
        try:
            reaped = reap(client)
        except BaseException:
            client.close()
            raise
        if reaped.removed:
            log(f"removed {reaped.removed} container(s) left by an earlier grader run")
        if reaped.refused:
            log(f"the engine refused to remove leftover container(s) {', '.join(reaped.refused)}")
        self._client = client
        self.options = options
        self.log = log
        # Spare boxes started ahead, one per worker, so no submission waits for a start.
        self.sandbox = DockerSandbox(client, spares=options.jobs or default_jobs())
        self.tags = ImageTags(Images(client), build=options.build_images, log=log)
        self._warned = False

    def environment(self) -> HostEnvironment | None:
        """The host and what its boxes could enforce (None if the engine would not say);
        the first time something cannot be enforced, the console is told."""
        try:
            host = host_environment(self._client, self.sandbox.enforcement)
        except SandboxError as exc:
            self.log(f"warning: {exc}")
            return None
        if host.warning() and not self._warned:
            self._warned = True
            self.log(host.warning())
        return host

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.sandbox.close()  # waits for background removals; removes the spares
        finally:
            self._client.close()

    def judge(
        self,
        problem: Problem,
        submissions: Sequence[Submission] = (),
        options: JudgeOptions | None = None,
    ) -> Judge:
        """A judge of ``problem`` (with ``options``, default the run's); a checker program
        that does not compile is a ProblemError here, before any submission runs."""
        self.tags.ensure(_images_needed(submissions) | _checker_image(problem))
        options = options or self.options.judge
        judge = Judge(self.sandbox, problem, self.tags, options, self.options.context)
        if judge.program_checker is not None:
            judge.program_checker.compiled()
        return judge

    def timed(self, problem: Problem, package: Package | None, table: LanguageTable) -> Problem:
        """``problem`` with its time limit: a package that gives none gets one from its
        accepted submissions (logged)."""
        if package is None or package.time.given is not None:
            return problem
        timing = calibrate(package, locally(self.judge), table)
        self.log(f"{problem.name}: {timing.describe()}")
        return package.with_time_limit(timing.limit, timing.how)


class ImageTags(dict[str, str]):
    """Image name -> tag; an image not ensured up front is built when first asked for."""

    def __init__(self, images: Images, *, build: bool, log: Log) -> None:
        super().__init__()
        self._images, self._build, self._log = images, build, log
        self._lock = threading.Lock()

    def ensure(self, names: set[str]) -> None:
        with self._lock:
            missing = names - set(self)
            self.update(ensure_images(self._images, missing, build=self._build, log=self._log))

    def __missing__(self, name: str) -> str:
        self.ensure({name})
        return dict.__getitem__(self, name)
