"""The options more than one command takes, declared once, and the report options, one
per registered format (``grader/report/formats.py``): a new format needs nothing here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import click

from grader.problem.limits import LIMIT_BOUNDS
from grader.quantities import parse_size
from grader.report.formats import FORMATS

__all__ = [
    "BUILD",
    "LANGUAGE",
    "PREFER",
    "limit_options",
    "limit_overrides",
    "report_options",
    "report_targets",
    "reports_help",
    "with_default_reports",
]

Command = Callable[..., None]

BUILD = click.option(
    "--build/--no-build",
    default=True,
    show_default=True,
    help="Build a missing runtime image instead of stopping.",
)
LANGUAGE = click.option("--language", "-l", metavar="LANG", help="Treat every submission as LANG.")
PREFER = click.option(
    "--prefer",
    multiple=True,
    metavar="LANG",
    help="Run the files of LANG's extensions as LANG, other files as usual "
    "(--prefer pypy: .py files under PyPy, as Kattis runs them).",
)


def limit_options(command: Command) -> Command:
    """--time-limit and --memory-limit: replace the problem's (or the package's, given or
    derived) limits for this run; the reports say so. See ``limit_overrides``."""
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


def limit_overrides(time_limit: float | None, memory_limit: str | None) -> dict[str, Any]:
    """The ``RunOptions`` fields of ``limit_options``' values (memory in bytes)."""
    memory = None
    if memory_limit is not None:
        try:
            memory = parse_size(memory_limit)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--memory-limit") from exc
        if memory > LIMIT_BOUNDS["memory"]:
            raise click.BadParameter("above the maximum 32 GiB", param_hint="--memory-limit")
    return {"time_limit": time_limit, "memory_limit": memory}


def report_options(command: Command) -> Command:
    """One PATH option per report format, in ``FORMATS``' order; the command gets each as
    the parameter ``<name>_path`` (``report_targets`` takes them out)."""
    for record in reversed(tuple(FORMATS.values())):
        option = click.option(
            record.option, f"{record.name}_path", metavar="PATH", help=record.option_help
        )
        command = option(command)
    return command


def report_targets(params: dict[str, Any]) -> dict[str, str | None]:
    """Take ``report_options``' values out of a command's ``params``: format -> path (None:
    not asked for)."""
    return {name: params.pop(f"{name}_path") for name in FORMATS}


def with_default_reports(targets: Mapping[str, str | None], name: str) -> dict[str, str | None]:
    """``targets`` with each format written always (JSON) sent, unless asked for
    elsewhere, to reports/<name><suffix>."""
    return {
        fmt: (path or f"reports/{name}{FORMATS[fmt].suffix}") if FORMATS[fmt].always else path
        for fmt, path in targets.items()
    }


def reports_help() -> str:
    """The sentence of ``grader run --help`` that says which options write which reports."""
    always = [record for record in FORMATS.values() if record.always]
    also = [record for record in FORMATS.values() if not record.always]
    return (
        f"Besides {_listed([r.about for r in always])}, {_listed([r.option for r in also])} "
        f"write {_listed([r.about for r in also])}; any one PATH may be '-' for stdout."
    )


def _listed(items: Sequence[str]) -> str:
    """``a, b and c``."""
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)
