"""Shared fixtures. Tests marked ``docker`` need a real engine and the runtime images:
they skip on a laptop without an engine, and fail when CI=true (CI must run them). The
whole suite must end with no grader container of its own left: one made by this process
or by a grader it started, now gone (another test run sharing the engine is not counted)."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def docker_client() -> Iterator[Any]:
    from grader.errors import SandboxError
    from grader.sandbox.docker import connect, listed, reap

    try:
        client = connect(timeout=30)
    except SandboxError as exc:
        if IN_CI:
            pytest.fail(f"CI=true but no Docker engine answers: {exc}", pytrace=False)
        pytest.skip(f"no Docker engine: {exc}")
    reap(client)  # leftovers of graders that died (as when an engine was killed under them)
    before = {c.id for c in listed(client)}
    yield client
    left = [c for c in listed(client) if c.id not in before and _ours(c.owner)]
    client.close()
    assert not left, f"the test suite left grader containers behind: {left}"


def _ours(owner: str) -> bool:
    """Whether a container's owner (``host:pid``) is this test process or a process that is
    gone (a grader the tests started). A live grader of someone else sharing the engine
    (another checkout's test run) is not this suite's leak."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@pytest.fixture(scope="session")
def image_tags(docker_client: Any) -> dict[str, str]:
    """Tags of the runtime images, each built on first use if missing (slow only once)."""
    from grader.app import ImageTags
    from grader.sandbox.images import Images

    return ImageTags(Images(docker_client), build=True, log=print)


@pytest.fixture(scope="session")
def sandbox(docker_client: Any) -> Any:
    from grader.sandbox.docker import DockerSandbox

    return DockerSandbox(docker_client)


@pytest.fixture
def no_leaked_containers(docker_client: Any) -> Iterator[None]:
    """Fails the test if a grader in this process leaves a container behind."""
    from containers import mine

    before = set(mine(docker_client))
    yield
    assert set(mine(docker_client)) <= before, "a grader container outlived the test"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that touches the engine carries the ``docker`` marker (``-m docker``);
    tests that restart the engine run after all the others."""
    for item in items:
        if "docker_client" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.docker)
    items.sort(key=lambda item: item.get_closest_marker("restarts_engine") is not None)
