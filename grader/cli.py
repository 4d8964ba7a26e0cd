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
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

import click

from grader import __version__
from grader.app import RunOptions, load, run_batch, run_contest, run_verify
from grader.cluster import require as require_cluster
from grader.cluster.commands import scheduler, worker
from grader.errors import ExitCode, GraderError, UsageError
from grader.judging.cache import DEFAULT_CACHE_DIR, ResultCache
from grader.judging.judge import JudgeContext, JudgeOptions
from grader.model import Problem, SubmissionResult
from grader.problem.contest import is_contest, load_contest
from grader.problem.expectations import FILED_FOLDERS
from grader.problem.kattis import Package
from grader.problem.limits import LIMIT_BOUNDS
from grader.problem.scaffold import STUBS, scaffold
from grader.quantities import parse_size
from grader.report import TITLES, check_targets, write_reports
from grader.report.console import Console, summary_lines
from grader.report.exit_status import contest_exit_status, exit_status
from grader.report.feedback import write_feedback
from grader.report.scoreboard import scoreboard_lines, write_contest_reports
from grader.report.student import contest_for_students, for_students
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


_PREFER = click.option(
    "--prefer",
    multiple=True,
    metavar="LANG",
    help="Run the files of LANG's extensions as LANG, other files as usual "
    "(--prefer pypy: .py files under PyPy, as Kattis runs them).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="grader")
def cli() -> None:
    """Grade submissions against test cases, each run in a locked-down Docker container.

    \b
    Exit statuses: 0 all accepted, 1 some not accepted, 2 interrupted,
    3 internal error, 4 usage or problem error, 5 no submissions found.
    """


def _limit_options(command: Callable[..., None]) -> Callable[..., None]:
    """--time-limit and --memory-limit: replace the problem's (or the package's, given or
    derived) limits for this run; the reports say so."""
    command = click.option(
        "--memory-limit",
        metavar="SIZE",
        help="Replace every case's memory limit (e.g. 256 for MiB, 512M, 2G).",
    )(command)
    return click.option(
        "--time-limit",
        type=click.FloatRange(min=0.001, max=LIMIT_BOUNDS["time"]),
        metavar="SECONDS",
        help="Replace every case's CPU time limit (a package then needs no derived one); "
        "the wall limit becomes twice it plus a second.",
    )(command)


def _overrides(time_limit: float | None, memory_limit: str | None) -> dict[str, Any]:
    memory = None
    if memory_limit is not None:
        try:
            memory = parse_size(memory_limit)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--memory-limit") from exc
        if memory > LIMIT_BOUNDS["memory"]:
            raise click.BadParameter("above the maximum 32 GiB", param_hint="--memory-limit")
    return {"time_limit": time_limit, "memory_limit": memory}


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
@click.option(
    "--markdown",
    "markdown_path",
    metavar="PATH",
    help="Also write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).",
)
@click.option(
    "--gradescope",
    "gradescope_path",
    metavar="PATH",
    help="Also write Gradescope's autograder results.json here.",
)
@click.option(
    "--feedback-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also write a student-view HTML page per submission and index.csv here.",
)
@click.option("--language", "-l", metavar="LANG", help="Treat every submission as LANG.")
@_PREFER
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
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Grade on the workers of the Dask scheduler at ADDRESS (tcp://HOST:PORT); needs "
    "the cluster extra. See README 'Scaling out'.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
@click.option("--verbose", "-v", is_flag=True, help="Also print every case's verdict.")
@_limit_options
def run(
    problem: Path,
    submissions: tuple[Path, ...],
    json_path: str | None,
    html_path: str | None,
    junit_path: str | None,
    csv_path: str | None,
    ctrf_path: str | None,
    markdown_path: str | None,
    gradescope_path: str | None,
    feedback_dir: Path | None,
    language: str | None,
    prefer: tuple[str, ...],
    jobs: int | None,
    build: bool,
    max_source_size: str,
    cache: bool,
    cache_dir: Path,
    reuse_containers: bool,
    stop_on_failure: bool,
    student_view: bool,
    details_dir: Path | None,
    cluster: str | None,
    quiet: bool,
    verbose: bool,
    time_limit: float | None,
    memory_limit: str | None,
) -> None:
    """Grade SUBMISSIONS (files or folders) against PROBLEM (a folder with problem.yaml,
    or a Kattis problem package).

    A file is one submission (alice.py -> id alice). A folder is one submission if it holds
    an entry point (main.py, ...), otherwise every file and sub-folder in it is one.

    Besides the JSON report, --html, --junit, --csv, --ctrf, --markdown and --gradescope
    write an HTML page, JUnit XML, a CSV gradebook, CTRF JSON, a Markdown summary and
    Gradescope's results.json; any one PATH may be '-' for stdout.

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
    judging = JudgeOptions(stop_on_failure=stop_on_failure, reuse_run_boxes=reuse_containers)
    options = RunOptions(
        context=JudgeContext(cache=ResultCache(cache_dir, read=cache)),
        language=language,
        prefer=prefer,
        jobs=jobs,
        build_images=build,
        max_source=max_source,
        judge=judging,
        **_overrides(time_limit, memory_limit),
    )
    targets = {
        "json": json_path,
        "html": html_path,
        "junit": junit_path,
        "csv": csv_path,
        "ctrf": ctrf_path,
        "markdown": markdown_path,
        "gradescope": gradescope_path,
    }
    check_targets(targets)  # before grading: two reports on stdout or in one file
    to_stdout = "-" in targets.values()

    console = Console.for_stream(
        sys.stderr if to_stdout else sys.stdout,
        verbosity=0 if quiet else 2 if verbose else 1,
    )
    if cluster:
        require_cluster("--cluster")
    if is_contest(problem):
        if cluster:
            raise click.UsageError("--cluster grades one problem; problem sets are not supported")
        _grade_contest(
            problem, submissions, options, targets, details_dir, student_view, feedback_dir, console
        )
    with _interrupts(options.context.cancelled):
        try:
            grade = run_batch
            if cluster:
                from grader.cluster.client import run_on_cluster

                grade = partial(run_on_cluster, cluster)
            report = grade(
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
    if feedback_dir is not None:
        pages = write_feedback(report, feedback_dir)
        _log(f"feedback pages: {pages} in {feedback_dir} (index.csv)")
    if cluster and not report.complete and not options.context.cancelled.is_set():
        _log("grader: the scheduler went away; the report is partial")
        sys.exit(ExitCode.INTERNAL_ERROR)
    sys.exit(exit_status(report))


def _grade_contest(
    contest: Path,
    submissions: tuple[Path, ...],
    options: RunOptions,
    targets: dict[str, str | None],
    details: Path | None,
    student_view: bool,
    feedback_dir: Path | None,
    console: Console,
) -> NoReturn:
    if len(submissions) != 1:
        raise click.UsageError("a problem set takes one SUBMISSIONS folder")

    def on_result(key: str, result: SubmissionResult) -> None:
        console.result(replace(result, id=f"{key}/{result.id}"))

    with _interrupts(options.context.cancelled):
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
    if feedback_dir is not None:
        for key, report in zip(graded.keys, graded.reports, strict=True):
            write_feedback(report, feedback_dir / key)
        _log(f"feedback pages: {feedback_dir}/<problem>/ (index.csv in each)")
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
    problem, package = load(path, _log)
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


@cli.command("new")
@click.argument("problem", type=click.Path(path_type=Path))
@click.option(
    "--from-examples",
    "examples",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="IN_DIR",
    help="Make a case of every NAME.in / NAME.ans pair in IN_DIR.",
)
@click.option(
    "--language",
    "-l",
    type=click.Choice(sorted(STUBS)),
    default="python",
    show_default=True,
    help="Language of the stub in submissions/accepted/.",
)
def new(problem: Path, examples: Path | None, language: str) -> None:
    """Create the problem folder PROBLEM: problem.yaml with its defaults shown, tests/,
    and a stub solution in submissions/accepted/. `grader check PROBLEM` then passes."""
    stub = scaffold(problem, language, examples)
    name, description = _checked(problem)
    click.echo(f"{name}: {description}")
    click.echo(f"created {problem}/problem.yaml and the stub {stub.relative_to(problem)}")


@cli.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.8,
    show_default=True,
    help="List pairs at least this similar (0..1).",
)
@click.option(
    "--template",
    "templates",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Starter code everyone got: matches with it are not counted (repeatable).",
)
@click.option("--html", "html_path", metavar="PATH", help="Also write a side-by-side page here.")
@click.option("--language", "-l", metavar="LANG", help="Treat every submission as LANG.")
def similar(
    submissions: tuple[Path, ...],
    threshold: float,
    templates: tuple[Path, ...],
    html_path: str | None,
    language: str | None,
) -> None:
    """List pairs of SUBMISSIONS (found as `grader run` finds them) whose code is
    suspiciously alike, most similar first: advisory evidence, never a verdict. Uses
    copydetect's winnowing fingerprints (as MOSS does); renamed names and reordered
    functions do not hide a copy. Exit 0 whatever it finds."""
    from grader.report.similar import compare, sources
    from grader.report.similarity import similarity_lines, write_similarity_html
    from grader.submissions import discover
    from grader.submissions.languages import load_languages

    table = load_languages()
    forced = table.get(language) if language else None
    found, skipped = sources(
        discover(list(submissions), table, language=forced, filed=FILED_FOLDERS)
    )
    for line in skipped:
        _log(line)
    pairs = compare(found, templates)
    for line in similarity_lines(pairs, threshold, len(found)):
        click.echo(line)
    if html_path is not None:
        names = [template.name for template in templates]
        write_similarity_html(html_path, pairs, threshold, len(found), skipped, names)
        if html_path != "-":
            _log(f"side-by-side report: {html_path}")


@cli.command("verify")
@click.argument("problem", type=click.Path(path_type=Path))
@click.option(
    "--build/--no-build",
    default=True,
    show_default=True,
    help="Build a missing runtime image instead of stopping.",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Judge on the workers of the Dask scheduler at ADDRESS (tcp://HOST:PORT).",
)
@_limit_options
@_PREFER
def verify_command(
    problem: Path,
    build: bool,
    cluster: str | None,
    prefer: tuple[str, ...],
    time_limit: float | None,
    memory_limit: str | None,
) -> None:
    """Judge PROBLEM's own submissions/<verdict>/ programs (accepted, wrong_answer,
    time_limit_exceeded, run_time_error, ...; a 2025-09 package's also rejected and
    brute_force) and list every one whose verdict differs from its folder. Exit 0 when all
    match, 1 otherwise."""
    options = RunOptions(build_images=build, prefer=prefer, **_overrides(time_limit, memory_limit))
    if cluster:
        require_cluster("--cluster")
    with _interrupts(options.context.cancelled):
        if cluster:
            from grader.cluster.client import verify_on_cluster

            checked = verify_on_cluster(cluster, problem, options, log=_log)
        else:
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
    from grader.sandbox.docker import DockerSandbox, connect
    from grader.sandbox.images import Images
    from grader.submissions.languages import load_languages
    from grader.verify.selftest import toolchain_version

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
    from grader.app import ensure_images
    from grader.sandbox.docker import DockerSandbox, connect
    from grader.sandbox.images import Images
    from grader.submissions.languages import load_languages
    from grader.verify.selftest import self_test

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


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="service.yaml: workers, queue, problems_dir, max_limits, keys (see README).",
)
def serve_command(host: str, port: int, config_path: Path | None) -> None:
    """Run the HTTP execution and judging service (needs the serve extra)."""
    from grader.serve import INSTALL_HINT

    try:
        from grader.serve.main import serve
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in _SERVE_MODULES:
            raise UsageError(f"{INSTALL_HINT} (missing: {exc.name})") from None
        raise
    serve(host, port, config_path, log=_log)


_SERVE_MODULES = {"fastapi", "uvicorn", "prometheus_client", "starlette", "pydantic"}


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
    from grader.app import ensure_images
    from grader.report.doctor import doctor_lines
    from grader.sandbox.docker import connect
    from grader.sandbox.environment import host_environment, probe
    from grader.sandbox.images import Images

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


cli.add_command(worker)
cli.add_command(scheduler)


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
