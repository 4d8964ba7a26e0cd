"""The commands about the machine: ``grader doctor`` (what it lets grader enforce),
``grader cleanup`` (containers dead runs left behind) and ``grader serve`` (the HTTP
service, needs the serve extra)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.app import cleanup, diagnose_host
from grader.cli.terminal import log
from grader.errors import ExitCode, UsageError
from grader.report.doctor import doctor_lines

__all__ = ["cleanup_command", "doctor", "serve_command"]

_SERVE_MODULES = {"fastapi", "uvicorn", "prometheus_client", "starlette", "pydantic"}


@click.command("serve")
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
    serve(host, port, config_path, log=log)


@click.command("doctor")
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
    host = diagnose_host(image_name, log=log)
    for line in doctor_lines(host):
        click.echo(line)
    sys.exit(ExitCode.INTERNAL_ERROR if host.missing() else ExitCode.ALL_ACCEPTED)


@click.command("cleanup")
@click.option("--all", "everything", is_flag=True, help="Also remove live graders' containers.")
def cleanup_command(everything: bool) -> None:
    """Remove containers left behind by grader runs that died."""
    reaped = cleanup(everything=everything)
    click.echo(f"removed {reaped.removed} container(s)")
    if reaped.refused:
        click.echo(
            f"grader: the engine refused to remove {', '.join(reaped.refused)};"
            " restarting the engine usually frees them",
            err=True,
        )
        sys.exit(ExitCode.INTERNAL_ERROR)
