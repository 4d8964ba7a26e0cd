"""Which of grader's containers a test's graders made: the leak checks count only those,
so a container left on the engine by someone else (an earlier run killed with the engine,
another grader) neither fails nor hides a test."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from grader.sandbox.docker import listed, owner_label

__all__ = ["made_by", "mine", "reaped_on_exit"]


def made_by(client: Any, pid: int, *, running: bool = False) -> list[str]:
    """Ids of the containers made by the grader process ``pid`` on this host."""
    owner = f"{socket.gethostname()}:{pid}"
    return [c.id for c in listed(client, owner=owner, running=running)]


def mine(client: Any) -> list[str]:
    """Ids of the containers made by this test process (in-process graders)."""
    return [c.id for c in listed(client, owner=owner_label())]


@contextmanager
def reaped_on_exit(proc: subprocess.Popen[str]) -> Iterator[subprocess.Popen[str]]:
    """A grader subprocess that cannot outlive its test, whatever the test asserts."""
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
