"""The commands about a problem itself: ``grader check`` (its definition), ``grader new``
(a new one) and ``grader verify`` (its own submissions against their folders)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.app import RunOptions, load, run_verify
from grader.cli.options import BUILD, PREFER, limit_options, limit_overrides
from grader.cli.terminal import interrupts, log
from grader.cluster import require as require_cluster
from grader.errors import ExitCode
from grader.model import Problem
from grader.problem.contest import is_contest, load_contest
from grader.problem.kattis import Package
from grader.problem.scaffold import STUBS, scaffold
from grader.verify import verification_lines

__all__ = ["check", "new", "verify_command"]


@click.command("check")
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
    problem, package = load(path, log)
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


@click.command("new")
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


@click.command("verify")
@click.argument("problem", type=click.Path(path_type=Path))
@BUILD
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Judge on the workers of the Dask scheduler at ADDRESS (tcp://HOST:PORT).",
)
@limit_options
@PREFER
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
    overrides = limit_overrides(time_limit, memory_limit)
    options = RunOptions(build_images=build, prefer=prefer, **overrides)
    if cluster:
        require_cluster("--cluster")
    with interrupts(options.context.cancelled):
        if cluster:
            from grader.cluster.client import verify_on_cluster

            checked = verify_on_cluster(cluster, problem, options, log=log)
        else:
            checked = run_verify(problem, options, log=log)
    for line in verification_lines(checked):
        click.echo(line)
    sys.exit(ExitCode.NOT_ALL_ACCEPTED if checked.mismatches else ExitCode.ALL_ACCEPTED)
