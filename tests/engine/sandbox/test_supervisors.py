"""Which supervisor is a box's PID 1: the static one that every runtime image carries, by
default, or the Python one on request."""

from __future__ import annotations

from typing import Any

import pytest

from grader.model import MIB
from grader.sandbox.base import BoxSpec, RunSpec
from grader.sandbox.container import SUPERVISOR_VARIABLE
from grader.sandbox.docker import DockerSandbox
from grader.sandbox.native import NATIVE_PATH

pytestmark = pytest.mark.usefixtures("no_leaked_containers")


def pid_1_argv0(docker_client: Any, image: str, supervisor: str | None) -> str:
    with (
        DockerSandbox(docker_client, supervisor=supervisor) as sandbox,
        sandbox.open(BoxSpec(image=image, memory=64 * MIB)) as box,
    ):
        run = box.run(RunSpec(argv=("cat", "/proc/1/cmdline"), cpu=1.0, wall=5.0, output=MIB))
    return run.stdout.split(b"\0")[0].decode()


def test_by_default_pid_1_is_the_static_supervisor(
    docker_client: Any, image_tags: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SUPERVISOR_VARIABLE, raising=False)
    assert pid_1_argv0(docker_client, image_tags["c"], None) == NATIVE_PATH


def test_the_variable_chooses_the_python_supervisor(
    docker_client: Any, image_tags: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SUPERVISOR_VARIABLE, "python")
    assert pid_1_argv0(docker_client, image_tags["c"], None) == "python3"


def test_every_runtime_image_carries_the_static_supervisor(
    docker_client: Any, image_tags: dict[str, str]
) -> None:
    for name in ("python", "java"):
        assert pid_1_argv0(docker_client, image_tags[name], "native") == NATIVE_PATH, name
