"""``grader run``: its options, then ``app.run_batch`` (or a cluster, or a problem set:
``contest.py``), the reports and the exit status the report earns."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import click

from grader.app import RunOptions, run_batch
from grader.cli.contest import grade_contest
from grader.cli.options import (
    BUILD,
    LANGUAGE,
    PREFER,
    limit_options,
    limit_overrides,
    report_options,
    report_targets,
    reports_help,
    with_default_reports,
)
from grader.cli.terminal import grading, log
from grader.cluster import require as require_cluster
from grader.errors import ExitCode
from grader.judging.cache import DEFAULT_CACHE_DIR, ResultCache
from grader.judging.judge import JudgeContext, JudgeOptions
from grader.model import Report
from grader.problem.contest import is_contest
from grader.quantities import parse_size
from grader.report import FORMATS, check_targets, write_reports
from grader.report.console import Console, summary_lines
from grader.report.exit_status import exit_status
from grader.report.feedback import write_feedback
from grader.report.student import for_students

__all__ = ["run_command"]

_HELP = f"""Grade SUBMISSIONS (files or folders) against PROBLEM (a folder with problem.yaml,
or a Kattis problem package).

A file is one submission (alice.py -> id alice). A folder is one submission if it holds
an entry point (main.py, ...), otherwise every file and sub-folder in it is one.

{reports_help()}

PROBLEM may be a problem set (a folder of problems, or with a contest.yaml): then
SUBMISSIONS is one folder, <participant>/<problem>.<ext> or <problem>/<participant>.<ext>;
--json, --html and --csv get the scoreboard, --details DIR each problem's reports.

\b
Examples:
  grader run problems/sum problems/sum/submissions --html reports/sum.html
  grader run problems/sum alice.py bob/ --junit - -q      # JUnit on stdout, for CI
  grader run problems/contest problems/contest/submissions
"""


@dataclass(frozen=True)
class _RunArgs:
    """``grader run``'s options but the reports', as click parses them."""

    feedback_dir: Path | None
    language: str | None
    prefer: tuple[str, ...]
    jobs: int | None
    build: bool
    max_source_size: str
    cache: bool
    cache_dir: Path
    reuse_containers: bool
    stop_on_failure: bool
    student_view: bool
    details_dir: Path | None
    cluster: str | None
    quiet: bool
    verbose: bool
    time_limit: float | None
    memory_limit: str | None

    def run_options(self) -> RunOptions:
        try:
            max_source = parse_size(self.max_source_size, unit=1)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--max-source-size") from exc
        judging = JudgeOptions(
            stop_on_failure=self.stop_on_failure, reuse_run_boxes=self.reuse_containers
        )
        return RunOptions(
            context=JudgeContext(cache=ResultCache(self.cache_dir, read=self.cache)),
            language=self.language,
            prefer=self.prefer,
            jobs=self.jobs,
            build_images=self.build,
            max_source=max_source,
            judge=judging,
            **limit_overrides(self.time_limit, self.memory_limit),
        )

    @property
    def verbosity(self) -> int:
        return 0 if self.quiet else 2 if self.verbose else 1


@click.command("run", help=_HELP)
@click.argument("problem", type=click.Path(path_type=Path))
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@report_options
@click.option(
    "--feedback-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also write a student-view HTML page per submission and index.csv here.",
)
@LANGUAGE
@PREFER
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    help="Submissions graded at once (default: the number of cores).",
)
@BUILD
@click.option(
    "--max-source-size",
    default="100k",
    show_default=True,
    metavar="SIZE",
    help="Largest submission accepted (e.g. 100k, 1M); larger ones are CE.",
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse verdicts of unchanged (submission, case) pairs; --no-cache re-runs all.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_CACHE_DIR,
    show_default=True,
    help="Where the result cache lives.",
)
@click.option(
    "--reuse-containers",
    is_flag=True,
    help="Let a run container serve several submissions in turn, scrubbed between them as "
    "between cases (faster on short cases); by default each submission gets a fresh one.",
)
@click.option(
    "--stop-on-failure", is_flag=True, help="Skip a submission's cases after its first failure."
)
@click.option(
    "--student-view",
    is_flag=True,
    help="Reports for participants: hidden cases show verdicts only, never their input, "
    "expected output or checker message.",
)
@click.option(
    "--details",
    "details_dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Problem sets: where the per-problem reports go (default: reports/<contest>/).",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Grade on the workers of the Dask scheduler at ADDRESS (tcp://HOST:PORT); needs "
    "the cluster extra. See README 'Scaling out'.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@click.option("--verbose", "-v", is_flag=True, help="Also print every case's verdict.")
@limit_options
def run_command(problem: Path, submissions: tuple[Path, ...], **params: Any) -> None:
    targets = report_targets(params)
    args = _RunArgs(**params)
    options = args.run_options()
    check_targets(targets)  # before grading: two reports on stdout or in one file
    to_stdout = "-" in targets.values()
    console = Console.for_stream(sys.stderr if to_stdout else sys.stdout, verbosity=args.verbosity)
    if args.cluster:
        require_cluster("--cluster")
    if is_contest(problem):
        grade_contest(
            problem,
            submissions,
            options,
            targets,
            console,
            details=args.details_dir,
            student_view=args.student_view,
            feedback_dir=args.feedback_dir,
            cluster=args.cluster,
        )
    report = _grade(problem, submissions, options, args.cluster, console)
    report = for_students(report) if args.student_view else report
    _write(report, targets, args.feedback_dir, to_stdout)
    if args.cluster and not report.complete and not options.context.cancelled.is_set():
        log("grader: the scheduler went away; the report is partial")
        sys.exit(ExitCode.INTERNAL_ERROR)
    sys.exit(exit_status(report))


def _grade(
    problem: Path,
    submissions: tuple[Path, ...],
    options: RunOptions,
    cluster: str | None,
    console: Console,
) -> Report:
    """The report of ``run_batch`` here, or of the cluster's workers at ``cluster``."""
    grade = run_batch
    if cluster:
        from grader.cluster.client import run_on_cluster

        grade = partial(run_on_cluster, cluster)
    with grading(options.context.cancelled, console.finish):
        return grade(
            problem, submissions, options, log=log, on_result=console.result, on_start=console.start
        )


def _write(
    report: Report, targets: dict[str, str | None], feedback_dir: Path | None, to_stdout: bool
) -> None:
    """The reports, the summary (on stderr when a report is on stdout) and the feedback
    pages; the console names each file written."""
    written = write_reports(report, with_default_reports(targets, report.problem.name))
    for line in summary_lines(report):
        click.echo(line, err=to_stdout)
    for fmt, target in written.items():
        if target != "-":
            log(f"{FORMATS[fmt].title} report: {target}")
    if feedback_dir is not None:
        pages = write_feedback(report, feedback_dir)
        log(f"feedback pages: {pages} in {feedback_dir} (index.csv)")
