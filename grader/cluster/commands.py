"""``grader worker`` and ``grader scheduler``: parse, then call ``serve`` (imported only
when run, so that grader works without the cluster extra)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from grader.judging.cache import DEFAULT_CACHE_DIR

from . import require

__all__ = ["scheduler", "worker"]


def _log(message: str) -> None:
    click.echo(f"grader: {message}", err=True)


@click.command()
@click.argument("scheduler_address", metavar="SCHEDULER")
@click.option(
    "--slots",
    type=click.IntRange(1, 256),
    default=lambda: len(os.sched_getaffinity(0)),
    show_default="the number of cores",
    help="Units (submissions) judged at once on this host's Docker engine.",
)
@click.option("--name", help="The worker's name in the cluster (unique; default: its address).")
@click.option(
    "--host",
    help="Interface the worker listens on, for the scheduler and its peers "
    "(default: the one that reaches the scheduler).",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_CACHE_DIR,
    show_default=True,
    help="This worker's result cache and compiled programs.",
)
def worker(
    scheduler_address: str, slots: int, name: str | None, host: str | None, cache_dir: Path
) -> None:
    """Join the cluster at SCHEDULER (tcp://HOST:PORT) and judge on this host's Docker
    engine. Refuses to join (exit 4) when the cluster runs another grader version or other
    runtime images; builds missing images itself."""
    require("grader worker")
    from .serve import serve_worker

    serve_worker(
        scheduler_address, slots=slots, cache_dir=cache_dir, name=name, host=host, log=_log
    )


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; 0.0.0.0 for every one (a private network only, or TLS).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8786, show_default=True)
@click.option(
    "--protocol",
    type=click.Choice(["tcp", "tls"]),
    default="tcp",
    show_default=True,
    help="tls: certificates from Dask's configuration (distributed.comm.tls.*).",
)
def scheduler(host: str, port: int, protocol: str) -> None:
    """Run a Dask scheduler for grader workers and clients (loopback by default)."""
    require("grader scheduler")
    from .serve import serve_scheduler

    serve_scheduler(host, port, protocol=protocol, log=_log)
