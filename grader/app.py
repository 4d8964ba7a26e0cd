"""The library entry points the CLI calls: wire problem, submissions, images, sandbox,
judge and batch together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from grader.environment import HostEnvironment
from grader.errors import ImageMissingError, SandboxError
from grader.judging.batch import OnResult, default_jobs, grade_all
from grader.judging.judge import Judge, JudgeContext, JudgeOptions
from grader.model import Problem, Report, Submission, SubmissionResult, report_time
from grader.problem import load
from grader.problem.contest import load_contest, match_submissions
from grader.problem.expectations import FILED_FOLDERS
from grader.problem.kattis import Package
from grader.problem.limits import with_limits
from grader.report.standings import ContestReport
from grader.sandbox.docker import DockerSandbox, connect, reap
from grader.sandbox.environment import host_environment
from grader.sandbox.images import Images, build_jobs
from grader.submissions import DEFAULT_MAX_SOURCE, discover
from grader.submissions.languages import LanguageTable, load_languages
from grader.verify import Verification, calibrate, locally, verify

__all__ = [
    "Engine",
    "RunOptions",
    "batch_input",
    "ensure_images",
    "load",
    "load_for_run",
    "run_batch",
    "run_contest",
    "run_verify",
]

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


class BatchInput(NamedTuple):
    """What a batch judges, loaded: the problem (and package), the language table and the
    submissions."""

    problem: Problem
    package: Package | None
    table: LanguageTable
    submissions: list[Submission]


def batch_input(
    problem_path: Path, paths: Sequence[Path], options: RunOptions, log: Log
) -> BatchInput:
    """The problem with the limits ``options`` replace, the language table with its
    preferences, and the submissions under ``paths``: what run_batch and a cluster run
    both judge."""
    problem, package = load_for_run(problem_path, options, log)
    table = load_languages().preferring(options.prefer)
    language = table.get(options.language) if options.language else None
    submissions = discover(
        paths, table, language=language, max_source=options.max_source, filed=FILED_FOLDERS
    )
    return BatchInput(problem, package, table, submissions)


def run_batch(
    problem_path: Path,
    paths: Sequence[Path],
    options: RunOptions,
    *,
    log: Log,
    on_result: OnResult | None = None,
    on_start: Callable[[Sequence[str]], None] | None = None,
) -> Report:
    problem, package, table, submissions = batch_input(problem_path, paths, options, log)
    with Engine(options, log) as engine:
        problem = engine.timed(problem, package, table)
        judge = engine.judge(problem, submissions)
        if on_start is not None:
            on_start([s.id for s in submissions])
        report = grade_all(
            judge, submissions, jobs=options.jobs, on_result=on_result, abort=engine.sandbox.abort
        )
        return replace(report, environment=engine.environment())


def _images_needed(submissions: Sequence[Submission]) -> set[str]:
    return {s.language.image for s in submissions if s.language and not s.reason}


def _checker_image(problem: Problem) -> set[str]:
    program = problem.checker.program
    language = program.source.language if program else None
    return {language.image} if language else set()


def load_for_run(
    problem_path: Path, options: RunOptions, log: Log
) -> tuple[Problem, Package | None]:
    """The problem (and package) a run judges: loaded (warnings to ``log``), with the
    limits ``options`` replace."""
    return _overridden(load(problem_path, log), options)


def _overridden(
    loaded: tuple[Problem, Package | None], options: RunOptions
) -> tuple[Problem, Package | None]:
    """The problem (and package) with the limits ``options`` replace; a package given a
    time limit needs none derived."""
    problem, package = loaded
    if options.time_limit is not None:
        problem = with_limits(problem, time=options.time_limit, source="--time-limit")
    if options.memory_limit is not None:
        problem = with_limits(problem, memory=options.memory_limit, source="--memory-limit")
    if package is None:
        return problem, None
    time = package.time
    if options.time_limit is not None:
        time = replace(time, given=options.time_limit, source="--time-limit")
    return problem, replace(package, problem=problem, time=time)


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
        self.tags = _ImageTags(Images(client), build=options.build_images, log=log)
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


class _ImageTags(dict[str, str]):
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


def run_verify(problem_path: Path, options: RunOptions, *, log: Log) -> Verification:
    """Judge the problem's own submissions/<verdict>/ programs (``grader verify``)."""
    problem, package = load_for_run(problem_path, options, log)
    with Engine(options, log) as engine:
        table = load_languages().preferring(options.prefer)
        verification = verify(problem, package, locally(engine.judge), table)
        engine.environment()  # tells the console if something could not be enforced
        return verification


ContestResult = Callable[[str, SubmissionResult], None]


def run_contest(
    contest_path: Path,
    submissions_path: Path,
    options: RunOptions,
    *,
    log: Log,
    on_result: ContestResult | None = None,
    on_start: Callable[[Sequence[str]], None] | None = None,
) -> ContestReport:
    """Grade every participant's submissions to every problem of a problem set."""
    contest = load_contest(contest_path)
    table = load_languages().preferring(options.prefer)
    language = table.get(options.language) if options.language else None
    matched = match_submissions(
        contest,
        submissions_path,
        table,
        language=language,
        max_source=options.max_source,
        log=log,
    )
    with Engine(options, log) as engine:
        if on_start is not None:
            on_start([f"{key}/{s.id}" for key, found in matched.items() for s in found])
        started = report_time()
        reports: list[Report] = []
        for item in contest.problems:
            cancelled = options.context.cancelled.is_set()
            problem = item.problem if cancelled else engine.timed(item.problem, item.package, table)
            report = grade_all(
                engine.judge(problem, matched[item.key]),
                matched[item.key],
                jobs=options.jobs,
                on_result=partial(on_result, item.key) if on_result else None,
                abort=engine.sandbox.abort,
            )
            reports.append(replace(report, environment=engine.environment()))
    complete = all(report.complete for report in reports)
    return ContestReport(
        contest.name,
        contest.title,
        contest.keys,
        tuple(reports),
        started,
        report_time(),
        contest.ranking,
        complete,
    )
