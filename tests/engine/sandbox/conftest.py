"""The sandbox tests here run once per supervisor: the static one (every box's default) and
the Python one it was ported from (``GRADER_SUPERVISOR=python``). Each limit and isolation
guarantee, and each hostile probe, must hold with either as PID 1."""

from __future__ import annotations

from typing import Any

import pytest

SUPERVISORS = ("native", "python")


@pytest.fixture(scope="session", params=SUPERVISORS)
def supervisor(request: pytest.FixtureRequest) -> str:
    """Which supervisor the boxes of this test run (``DockerSandbox(supervisor=...)``)."""
    return str(request.param)


@pytest.fixture(scope="session")
def sandbox(supervisor: str, docker_client: Any) -> Any:
    from grader.sandbox.docker import DockerSandbox

    return DockerSandbox(docker_client, supervisor=supervisor)
