"""The command line: parse, call the library, map errors to exit statuses.

Exit statuses follow pytest's convention (see ``errors.ExitCode``): 0 every submission
accepted, 1 some submission not accepted, 2 interrupted, 3 internal error (including an
IE verdict), 4 usage or problem-definition error, 5 no submissions found.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import click

from grader import __version__
from grader.cache import DEFAULT_CACHE_DIR, ResultCache
from grader.console import Console, summary_lines
from grader.contest import is_contest, load_contest
from grader.errors import ExitCode, GraderError
from grader.exit_status import contest_exit_status, exit_status
from grader.judge import JudgeOptions
from grader.kattis import Package
from grader.model import Problem, SubmissionResult
from grader.quantities import parse_size
from grader.report import TITLES, check_targets, write_reports
from grader.report.scoreboard import scoreboard_lines, write_contest_reports
from grader.report.student import contest_for_students, for_students
from grader.service import RunOptions, load, run_batch, run_contest, run_verify
from grader.verify import verification_lines

__all__ = ["cli", "main"]


def _log(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def _interrupts(cancelled: threading.Event) -> Iterator[None]:
    """Ctrl-C and SIGTERM stop a batch: the first sets ``cancelled`` (the batch stops new
    work, removes its containers, writes its reports and exits 2); a second one stops at
    once. The handler only sets an event: an exception raised into the main thread at an
    arbitrary point could leave a lock of the thread pool held and hang the exit."""

    def interrupt(signum: int, frame: object) -> None:
        if cancelled.is_set():
            raise KeyboardInterrupt
        cancelled.set()

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def cli() -> None:
    """Grade submissions against test cases, each run in a locked-down Docker container.

    \b
    Exit statuses: 0 all accepted, 1 some not accepted, 2 interrupted,
    3 internal error, 4 usage or problem error, 5 no submissions found.
    """


@cli.command()
@click.argument("problem", type=click.Path(path_type=Path))
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--json",
    "json_path",
    metavar="PATH",
    help="Write the JSON report here ('-' for stdout). Default: reports/<problem>.json.",
)
@click.option("--html", "html_path", metavar="PATH", help="Also write an HTML page here.")
@click.option("--junit", "junit_path", metavar="PATH", help="Also write JUnit XML here.")
@click.option("--csv", "csv_path", metavar="PATH", help="Also write a CSV gradebook here.")
@click.option("--ctrf", "ctrf_path", metavar="PATH", help="Also write CTRF JSON here.")
@click.option("--language", "-l", metavar="LANG", help="Treat every submission as LANG.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    help="Submissions graded at once (default: the number of cores).",
)
@click.option(
    "--build/--no-build",
    default=True,
    show_default=True,
    help="Build a missing runtime image instead of stopping.",
)
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
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@click.option("--verbose", "-v", is_flag=True, help="Also print every case's verdict.")
def run(
    problem: Path,
    submissions: tuple[Path, ...],
    json_path: str | None,
    html_path: str | None,
    junit_path: str | None,
    csv_path: str | None,
    ctrf_path: str | None,
    language: str | None,
    jobs: int | None,
    build: bool,
    max_source_size: str,
    cache: bool,
    cache_dir: Path,
    reuse_containers: bool,
    stop_on_failure: bool,
    student_view: bool,
    details_dir: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Grade SUBMISSIONS (files or folders) against PROBLEM (a folder with problem.yaml,
    or a Kattis problem package).

    A file is one submission (alice.py -> id alice). A folder is one submission if it holds
    an entry point (main.py, ...), otherwise every file and sub-folder in it is one.

    Besides the JSON report, --html, --junit, --csv and --ctrf write an HTML page, JUnit
    XML, a CSV gradebook and CTRF JSON; any one PATH may be '-' for stdout.

    PROBLEM may be a problem set (a folder of problems, or with a contest.yaml): then
    SUBMISSIONS is one folder, <participant>/<problem>.<ext> or <problem>/<participant>.<ext>;
    --json, --html and --csv get the scoreboard, --details DIR each problem's reports.

    \b
    Examples:
      grader run problems/sum problems/sum/submissions --html reports/sum.html
      grader run problems/sum alice.py bob/ --junit - -q      # JUnit on stdout, for CI
      grader run problems/contest problems/contest/submissions
    """
    try:
        max_source = parse_size(max_source_size, unit=1)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-source-size") from exc
    judging = JudgeOptions(
        stop_on_failure=stop_on_failure,
        cache=ResultCache(cache_dir, read=cache),
        reuse_run_boxes=reuse_containers,
    )
    options = RunOptions(
        language=language, jobs=jobs, build_images=build, max_source=max_source, judge=judging
    )
    targets = {
        "json": json_path,
        "html": html_path,
        "junit": junit_path,
        "csv": csv_path,
        "ctrf": ctrf_path,
    }
    check_targets(targets)  # before grading: two reports on stdout or in one file
    to_stdout = "-" in targets.values()

    console = Console.for_stream(
        sys.stderr if to_stdout else sys.stdout,
        verbosity=0 if quiet else 2 if verbose else 1,
    )
    if is_contest(problem):
        _grade_contest(problem, submissions, options, targets, details_dir, student_view, console)
    with _interrupts(options.judge.cancelled):
        try:
            report = run_batch(
                problem,
                submissions,
                options,
                log=_log,
                on_result=console.result,
                on_start=console.start,
            )
        finally:
            console.finish()
    targets["json"] = json_path or f"reports/{report.problem.name}.json"
    report = for_students(report) if student_view else report
    written = write_reports(report, targets)
    for line in summary_lines(report):
        click.echo(line, err=to_stdout)
    for fmt, target in written.items():
        if target != "-":
            _log(f"{TITLES[fmt]} report: {target}")
    sys.exit(exit_status(report))


def _grade_contest(
    contest: Path,
    submissions: tuple[Path, ...],
    options: RunOptions,
    targets: dict[str, str | None],
    details: Path | None,
    student_view: bool,
    console: Console,
) -> NoReturn:
    if len(submissions) != 1:
        raise click.UsageError("a problem set takes one SUBMISSIONS folder")

    def on_result(key: str, result: SubmissionResult) -> None:
        console.result(replace(result, id=f"{key}/{result.id}"))

    with _interrupts(options.judge.cancelled):
        try:
            graded = run_contest(
                contest,
                submissions[0],
                options,
                log=_log,
                on_result=on_result,
                on_start=console.start,
            )
        finally:
            console.finish()
    graded = contest_for_students(graded) if student_view else graded
    targets["json"] = targets["json"] or f"reports/{graded.name}.json"
    written = write_contest_reports(graded, targets, details or Path("reports") / graded.name)
    for line in scoreboard_lines(graded):
        click.echo(line, err="-" in targets.values())
    for fmt, target in written.items():
        if target != "-":
            what = "per-problem reports" if fmt == "details" else f"{TITLES[fmt]} scoreboard"
            _log(f"{what}: {target}")
    sys.exit(contest_exit_status(graded))


@cli.command()
@click.argument("problem", type=click.Path(path_type=Path))
def check(problem: Path) -> None:
    """Validate PROBLEM's definition and case files (or every problem of a problem set);
    run nothing."""
    if is_contest(problem):
        loaded = load_contest(problem)
        click.echo(f"{loaded.name}: {len(loaded.problems)} problems")
        for item in loaded.problems:
            click.echo(f"  {item.key}: {_description(item.problem, item.package)}")
        return
    name, description = _checked(problem)
    click.echo(f"{name}: {description}")


def _checked(path: Path) -> tuple[str, str]:
    problem, package = load(path)
    return problem.name, _description(problem, package)


def _description(problem: Problem, package: Package | None) -> str:
    limits = problem.limits
    time = f"time {limits.time:g} s (wall {limits.wall:g} s)"
    if package is not None and package.time.given is None:
        time = f"time from submissions/accepted/ (slowest x {package.time.multiplier:g})"
    version = f" {package.version}" if package and package.version != "legacy" else ""
    kind = f"Kattis{version} package ({package.kind}), " if package else ""
    groups = f", {len(problem.groups)} groups" if problem.groups else ""
    return (
        f"{kind}{len(problem.tests)} cases{groups}, checker {problem.checker.name}, "
        f"{time}, memory {limits.memory >> 20} MiB: OK"
    )


@cli.command("verify")
@click.argument("problem", type=click.Path(path_type=Path))
@click.option(
    "--build/--no-build",
    default=True,
    show_default=True,
    help="Build a missing runtime image instead of stopping.",
)
def verify_command(problem: Path, build: bool) -> None:
    """Judge PROBLEM's own submissions/<verdict>/ programs (accepted, wrong_answer,
    time_limit_exceeded, run_time_error, ...; a 2025-09 package's also rejected and
    brute_force) and list every one whose verdict differs from its folder. Exit 0 when all
    match, 1 otherwise."""
    options = RunOptions(build_images=build)
    with _interrupts(options.judge.cancelled):
        checked = run_verify(problem, options, log=_log)
    for line in verification_lines(checked):
        click.echo(line)
    sys.exit(ExitCode.NOT_ALL_ACCEPTED if checked.mismatches else ExitCode.ALL_ACCEPTED)


@cli.group()
def images() -> None:
    """Build and list the runtime images."""


@images.command("build")
@click.argument("names", nargs=-1)
@click.option(
    "--method",
    type=click.Choice(["auto", "dockerfile", "debian"]),
    default="auto",
    show_default=True,
    help="dockerfile needs a registry; debian builds from Debian packages with mmdebstrap.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Images built at once [default: GRADER_BUILD_JOBS, else cores + 1, at most 4].",
)
def images_build(names: tuple[str, ...], method: str, jobs: int | None) -> None:
    """Build the runtime images NAMES (default: all) that are missing, several at once,
    with a progress line while any build runs."""
    from grader.sandbox.docker import connect
    from grader.sandbox.images import Images, build_jobs

    with closing(connect()) as client:
        store = Images(client)
        wanted = [store.get(name) for name in names or tuple(store.definitions())]
        how = store.build_all(wanted, jobs=jobs or build_jobs(), method=method, log=_log)
        for image in wanted:
            click.echo(f"{image.name:<12} {image.tag:<32} {how[image.name]}")


@images.command("list")
@click.option(
    "--versions/--no-versions",
    default=True,
    show_default=True,
    help="Run each built image's version command (about 0.3 s per image).",
)
def images_list(versions: bool) -> None:
    """List the image definitions, whether each is built and its toolchain version."""
    from grader.languages import load_languages
    from grader.sandbox.docker import DockerSandbox, connect
    from grader.sandbox.images import Images
    from grader.selftest import toolchain_version

    envs = {language.image: language.env for language in load_languages()}
    with closing(connect()) as client:
        store = Images(client)
        sandbox = DockerSandbox(client)
        for name, image in store.definitions().items():
            built = store.exists(image)
            version = ""
            if built and versions:
                version = toolchain_version(sandbox, image, image.tag, envs.get(name))
            state = "built" if built else "missing"
            click.echo(f"{name:<12} {image.tag:<32} {state:<8} {version}".rstrip())


@images.command("test")
@click.argument("names", nargs=-1)
def images_test(names: tuple[str, ...]) -> None:
    """Compile and run each image's echo program (images/NAME/selftest/) through the judge;
    print OK or FAIL and the toolchain version. Builds a missing image first."""
    from grader.languages import load_languages
    from grader.sandbox.docker import DockerSandbox, connect
    from grader.sandbox.images import Images
    from grader.selftest import self_test
    from grader.service import ensure_images

    failed = 0
    with closing(connect()) as client:
        store = Images(client)
        sandbox = DockerSandbox(client)
        for name in names or tuple(store.definitions()):
            image = store.get(name)
            tag = ensure_images(store, {name}, build=True, log=_log)[name]
            result = self_test(sandbox, image, tag, load_languages())
            failed += not result.ok
            state = "OK" if result.ok else "FAIL"
            click.echo(f"{name:<12} {state:<5} {result.version or '-'}")
            if result.detail:
                click.echo(f"{'':<12} {result.detail}")
    sys.exit(ExitCode.NOT_ALL_ACCEPTED if failed else ExitCode.ALL_ACCEPTED)


@cli.command()
@click.option(
    "--image",
    "image_name",
    default="python",
    show_default=True,
    help="The runtime image whose container is probed (built first if missing).",
)
def doctor(image_name: str) -> None:
    """Say what this host lets grader enforce and detect (cgroup version, tree CPU, OOM
    kills); exit 0 when everything holds, 3 when something cannot be enforced."""
    from grader.doctor import doctor_lines
    from grader.sandbox.docker import connect
    from grader.sandbox.environment import host_environment, probe
    from grader.sandbox.images import Images
    from grader.service import ensure_images

    with closing(connect()) as client:
        tag = ensure_images(Images(client), {image_name}, build=True, log=_log)[image_name]
        host = host_environment(client, probe(client, tag))
    for line in doctor_lines(host):
        click.echo(line)
    sys.exit(ExitCode.INTERNAL_ERROR if host.missing() else ExitCode.ALL_ACCEPTED)


@cli.command()
@click.option("--all", "everything", is_flag=True, help="Also remove live graders' containers.")
def cleanup(everything: bool) -> None:
    """Remove containers left behind by grader runs that died."""
    from grader.sandbox.docker import connect, reap

    with closing(connect()) as client:
        reaped = reap(client, only_dead_owners=not everything)
    click.echo(f"removed {reaped.removed} container(s)")
    if reaped.refused:
        click.echo(
            f"grader: the engine refused to remove {', '.join(reaped.refused)};"
            " restarting the engine usually frees them",
            err=True,
        )
        sys.exit(ExitCode.INTERNAL_ERROR)


def main() -> None:
    """Console entry point: runs the CLI and turns every failure into an exit status."""
    try:
        cli.main(prog_name="grader", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        exc.show()
        sys.exit(ExitCode.USAGE_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.USAGE_ERROR)
    except (click.Abort, KeyboardInterrupt):
        _log("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except GraderError as exc:
        _log(f"grader: {exc}")
        sys.exit(exc.exit_code)
    except Exception as exc:
        if os.environ.get("GRADER_DEBUG"):
            raise
        _log(f"grader: internal error: {type(exc).__name__}: {exc} (GRADER_DEBUG=1 for details)")
        sys.exit(ExitCode.INTERNAL_ERROR)
    sys.exit(ExitCode.ALL_ACCEPTED)
