"""Grading runs: one problem's batch, a problem's own submissions checked against their
folders (``grader verify``) and a problem set; each loads what it judges and grades it on
an ``Engine``. What a run loads (``batch_input``, ``contest_input``) and how a problem
set's report is put together (``grade_problem_set``) serve the cluster's runs too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from grader.app.engine import Engine, Log, RunOptions
from grader.judging.batch import OnResult, grade_all
from grader.model import Problem, Report, Submission, SubmissionResult, report_time
from grader.problem import load
from grader.problem.contest import Contest, ContestProblem, load_contest, match_submissions
from grader.problem.expectations import FILED_FOLDERS
from grader.problem.kattis import Package
from grader.problem.limits import with_limits
from grader.report.standings import ContestReport
from grader.submissions import discover
from grader.submissions.languages import LanguageTable, load_languages
from grader.verify import Verification, locally, verify

__all__ = [
    "BatchInput",
    "ContestInput",
    "ContestResult",
    "batch_input",
    "contest_input",
    "grade_problem_set",
    "load_for_run",
    "run_batch",
    "run_contest",
    "run_verify",
]


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


def run_verify(problem_path: Path, options: RunOptions, *, log: Log) -> Verification:
    """Judge the problem's own submissions/<verdict>/ programs (``grader verify``)."""
    problem, package = load_for_run(problem_path, options, log)
    with Engine(options, log) as engine:
        table = load_languages().preferring(options.prefer)
        verification = verify(problem, package, locally(engine.judge), table)
        engine.environment()  # tells the console if something could not be enforced
        return verification


ContestResult = Callable[[str, SubmissionResult], None]
GradeProblem = Callable[[ContestProblem, list[Submission], OnResult | None], Report]


class ContestInput(NamedTuple):
    """What a problem set's run judges: the set, the language table with its preferences
    and each problem's submissions (key -> submissions)."""

    contest: Contest
    table: LanguageTable
    matched: dict[str, list[Submission]]


def contest_input(
    contest_path: Path, submissions_path: Path, options: RunOptions, log: Log
) -> ContestInput:
    """The problem set and its submissions: what run_contest and a cluster run both judge."""
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
    return ContestInput(contest, table, matched)


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
    inputs = contest_input(contest_path, submissions_path, options, log)
    with Engine(options, log) as engine:

        def grade(item: ContestProblem, found: list[Submission], on: OnResult | None) -> Report:
            problem = item.problem
            if not options.context.cancelled.is_set():
                problem = engine.timed(problem, item.package, inputs.table)
            judge = engine.judge(problem, found)
            report = grade_all(
                judge, found, jobs=options.jobs, on_result=on, abort=engine.sandbox.abort
            )
            return replace(report, environment=engine.environment())

        return grade_problem_set(inputs, grade, on_result=on_result, on_start=on_start)


def grade_problem_set(
    inputs: ContestInput,
    grade: GradeProblem,
    *,
    on_result: ContestResult | None = None,
    on_start: Callable[[Sequence[str]], None] | None = None,
) -> ContestReport:
    """The problem set's report, each problem graded in scoreboard order by ``grade`` (on
    this machine's engine or on a cluster)."""
    contest, matched = inputs.contest, inputs.matched
    if on_start is not None:
        on_start([f"{key}/{s.id}" for key, found in matched.items() for s in found])
    started = report_time()
    reports = tuple(
        grade(item, matched[item.key], partial(on_result, item.key) if on_result else None)
        for item in contest.problems
    )
    return ContestReport(
        contest.name,
        contest.title,
        contest.keys,
        reports,
        started,
        report_time(),
        contest.ranking,
        all(report.complete for report in reports),
    )
