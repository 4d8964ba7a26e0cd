"""Starting the service: the config, the problems it knows, the engine, then uvicorn.

Binds loopback unless told otherwise, and refuses another address without API keys.
SIGTERM (or Ctrl-C): uvicorn stops accepting and waits up to the grace period for open
requests; then the app's shutdown lets accepted work finish within the grace period,
cancels what is left (its containers removed) and closes the engine.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

import uvicorn

from grader.errors import ProblemError, UsageError
from grader.model import Problem
from grader.problem.grader_format import problem_file
from grader.serve.app import create_app
from grader.serve.backend import Backend
from grader.serve.config import ServiceConfig, load_config

__all__ = ["is_loopback", "load_problems", "serve"]

Log = Callable[[str], None]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_problems(folder: Path | None) -> dict[str, Problem]:
    """Every problem (grader problem or Kattis package) directly under ``folder``, by
    folder name. A problem that does not load stops the start (exit 4, naming it)."""
    from grader.app import load

    if folder is None:
        return {}
    if not folder.is_dir():
        raise UsageError(f"problems_dir {folder} is not a folder")
    found: dict[str, Problem] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_dir()):
        try:
            problem_file(path)
        except ProblemError:
            continue  # not a problem (a problem set's own folder, notes, ...)
        found[path.name] = load(path)[0]
    return found


def check_bind(host: str, config: ServiceConfig) -> None:
    if config.open and not is_loopback(host):
        raise UsageError(
            f"refusing to listen on {host} without API keys: anyone who reaches it could run"
            " code. Add keys to the config (--config), or bind 127.0.0.1."
        )


def serve(host: str, port: int, config_path: Path | None, *, log: Log) -> None:
    config = load_config(config_path)
    check_bind(host, config)
    problems = load_problems(config.problems_dir)
    if config.open:
        log("grader serve: OPEN, no API keys: anyone on this machine can run code (loopback only)")
    for warning in config.warnings:
        log(f"grader serve: warning: {warning}")
    log(f"grader serve: {config.workers} worker(s), queue {config.queue}, "
        f"{len(problems)} problem(s); http://{host}:{port}/docs")  # fmt: skip
    backend = Backend.docker(config.workers, log, reuse=config.reuse_containers)
    app = create_app(config, backend, problems=problems)
    uvicorn.run(app, host=host, port=port, timeout_graceful_shutdown=max(1, int(config.grace)),
                access_log=False, log_level="info")  # fmt: skip
