"""``grader run`` on a problem set: ``app.run_contest`` (or the cluster's
``run_contest_on_cluster``), the scoreboard and each problem's reports, and the exit
status the scoreboard earns."""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NoReturn

import click

from grader.app import RunOptions, run_contest
from grader.cli.options import with_default_reports
from grader.cli.terminal import grading, log
from grader.errors import ExitCode
from grader.model import SubmissionResult
from grader.report import FORMATS
from grader.report.console import Console
from grader.report.exit_status import contest_exit_status
from grader.report.feedback import write_feedback
from grader.report.scoreboard import scoreboard_lines, write_contest_reports
from grader.report.standings import ContestReport
from grader.report.student import contest_for_students

__all__ = ["grade_contest"]


def grade_contest(
    contest: Path,
    submissions: tuple[Path, ...],
    options: RunOptions,
    targets: dict[str, str | None],
    console: Console,
    *,
    details: Path | None,
    student_view: bool,
    feedback_dir: Path | None,
    cluster: str | None = None,
) -> NoReturn:
    """Grade the problem set ``contest`` (here, or on the workers of the cluster at
    ``cluster``), write its reports (the scoreboard in ``targets``, each problem's in
    ``details``) and exit."""
    if len(submissions) != 1:
        raise click.UsageError("a problem set takes one SUBMISSIONS folder")
    grade = run_contest
    if cluster:
        from grader.cluster.client import run_contest_on_cluster

        grade = partial(run_contest_on_cluster, cluster)

    def on_result(key: str, result: SubmissionResult) -> None:
        console.result(replace(result, id=f"{key}/{result.id}"))

    with grading(options.context.cancelled, console.finish):
        graded = grade(
            contest, submissions[0], options, log=log, on_result=on_result, on_start=console.start
        )
    graded = contest_for_students(graded) if student_view else graded
    _write(graded, targets, details or Path("reports") / graded.name, feedback_dir)
    if cluster and not graded.complete and not options.context.cancelled.is_set():
        log("grader: the scheduler went away; the reports are partial")
        sys.exit(ExitCode.INTERNAL_ERROR)
    sys.exit(contest_exit_status(graded))


def _write(
    graded: ContestReport,
    targets: dict[str, str | None],
    details: Path,
    feedback_dir: Path | None,
) -> None:
    """The scoreboard (on stderr when a report is on stdout), its reports and the feedback
    pages; the console names each file written."""
    written = write_contest_reports(graded, with_default_reports(targets, graded.name), details)
    for line in scoreboard_lines(graded):
        click.echo(line, err="-" in targets.values())
    for fmt, target in written.items():
        if target != "-":
            what = "per-problem reports" if fmt == "details" else f"{FORMATS[fmt].title} scoreboard"
            log(f"{what}: {target}")
    if feedback_dir is not None:
        for key, report in zip(graded.keys, graded.reports, strict=True):
            write_feedback(report, feedback_dir / key)
        log(f"feedback pages: {feedback_dir}/<problem>/ (index.csv in each)")
