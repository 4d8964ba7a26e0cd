"""Starting the cluster's processes: ``grader worker`` and ``grader scheduler``.

A worker first reads the cluster's fingerprint from the scheduler and refuses to join
(``UsageError``, exit 4) when it differs from its own; then it runs a Dask worker with
``slots`` threads and as many ``slots`` resources, with the grader runtime installed.
The scheduler is Dask's own, bound to loopback unless told otherwise, with the
fingerprint of the grader that started it. TLS and the rest come from Dask's
configuration (``DASK_DISTRIBUTED__COMM__...``); a ``tls://`` address uses it.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path

from distributed import Client, Scheduler, Worker

from grader.errors import UsageError

from . import ClusterError
from .fingerprint import METADATA_KEY, Fingerprint, local_fingerprint
from .runtime import SLOT, GraderRuntime

__all__ = ["DEFAULT_PORT", "serve_scheduler", "serve_worker"]

DEFAULT_PORT = 8786
CONNECT_S = 10.0
Log = Callable[[str], None]


def serve_worker(
    scheduler: str,
    *,
    slots: int,
    cache_dir: Path,
    name: str | None = None,
    host: str | None = None,
    log: Log,
) -> None:
    """Join the cluster at ``scheduler`` and judge until stopped (Ctrl-C, SIGTERM) or
    the scheduler goes away."""
    mine = local_fingerprint()
    why = _refusal(scheduler, mine)
    if why:
        raise UsageError(f"refusing to join {scheduler}: {why}")
    log(f"joining {scheduler} with {slots} slot(s) as grader {mine.version}")
    asyncio.run(_worker(scheduler, slots, cache_dir, name, host))


def _refusal(scheduler: str, mine: Fingerprint) -> str:
    """Why this worker must not join ("" if it may): the cluster's fingerprint differs."""
    try:
        with Client(scheduler, timeout=CONNECT_S, set_as_default=False) as client:
            stored = client.get_metadata(METADATA_KEY, default=None)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"no scheduler answers at {scheduler}: {exc}") from exc
    theirs = Fingerprint.from_metadata(stored)
    return mine.mismatch(theirs, "this worker", "the cluster") if theirs else ""


async def _worker(
    scheduler: str, slots: int, cache_dir: Path, name: str | None, host: str | None
) -> None:
    runtime = GraderRuntime(slots, cache_dir)
    async with Worker(
        scheduler,
        nthreads=slots,
        resources={SLOT: slots},
        name=name,
        host=host,
        plugins=(runtime,),
        dashboard=False,
    ) as worker:
        await _until_stopped(worker.finished())
    # Leaving the block closed the worker, and the runtime removed its containers.


async def _until_stopped(finished: Awaitable[None]) -> None:
    """Wait for ``finished``, or for SIGINT or SIGTERM (``docker stop``, Ctrl-C)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    waiters = {asyncio.ensure_future(finished), asyncio.ensure_future(stop.wait())}
    _, pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()


def serve_scheduler(host: str, port: int, *, protocol: str = "tcp", log: Log) -> None:
    """Run a Dask scheduler at ``protocol://host:port`` until stopped."""
    asyncio.run(_scheduler(host, port, protocol, log))


async def _scheduler(host: str, port: int, protocol: str, log: Log) -> None:
    # Dask's HTTP endpoints (health, metrics) on the same interface, on any free port.
    dashboard = f"{host}:0"
    async with Scheduler(
        host=host, port=port, protocol=protocol, dashboard_address=dashboard
    ) as scheduler:
        scheduler.set_metadata(keys=METADATA_KEY, value=local_fingerprint().to_metadata())
        address = scheduler.address
        log(f"scheduler at {address}: start workers with `grader worker {address}`")
        await _until_stopped(scheduler.finished())
