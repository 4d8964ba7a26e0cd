"""Spare boxes: started ahead and removed in the background, never reused, all gone after
close()."""

from __future__ import annotations

import time
from typing import Any

import pytest
from containers import mine

from grader.model import MIB, ProgramFile
from grader.sandbox.base import BoxSpec, RunSpec
from grader.sandbox.docker import DockerSandbox

pytestmark = pytest.mark.usefixtures("no_leaked_containers")


def spec(image_tags: dict[str, str]) -> BoxSpec:
    return BoxSpec(image=image_tags["python"], memory=96 * MIB)


def ours(client: Any) -> set[str]:
    return set(mine(client))


def test_every_open_gets_a_fresh_container(docker_client: Any, image_tags: dict[str, str]) -> None:
    seen = []
    with DockerSandbox(docker_client, spares=1) as sandbox:
        for _ in range(3):
            with sandbox.open(spec(image_tags)) as box:
                seen.append(box.container_id)
                box.load([ProgramFile("a.py", b"")])
                run = box.run(
                    RunSpec(argv=("python3", "-c", "import os; print(os.listdir('/tmp'))"))
                )
                assert run.stdout == b"[]\n"
                box.run(RunSpec(argv=("python3", "-c", "open('/tmp/mine', 'w')")))
    assert len(set(seen)) == 3


def test_the_next_open_takes_the_spare_started_ahead(
    docker_client: Any, image_tags: dict[str, str]
) -> None:
    before = ours(docker_client)
    with DockerSandbox(docker_client, spares=1) as sandbox:
        with sandbox.open(spec(image_tags)) as first:
            deadline = time.monotonic() + 30
            while not ours(docker_client) - before - {first.container_id}:
                assert time.monotonic() < deadline, "no spare was started"
                time.sleep(0.05)
            [spare] = ours(docker_client) - before - {first.container_id}
        with sandbox.open(spec(image_tags)) as second:
            assert second.container_id == spare


def test_close_removes_spares_and_used_containers(
    docker_client: Any, image_tags: dict[str, str]
) -> None:
    before = ours(docker_client)
    with DockerSandbox(docker_client, spares=2) as sandbox:
        for _ in range(2):
            with sandbox.open(spec(image_tags)):
                pass
    assert ours(docker_client) == before


def test_abort_removes_spares_too(docker_client: Any, image_tags: dict[str, str]) -> None:
    before = ours(docker_client)
    sandbox = DockerSandbox(docker_client, spares=1)
    with sandbox.open(spec(image_tags)):
        pass
    sandbox.abort()
    sandbox.close()
    assert ours(docker_client) == before


def test_reusable_box_serves_again_scrubbed(docker_client: Any, image_tags: dict[str, str]) -> None:
    compiler = BoxSpec(image=image_tags["python"], memory=96 * MIB, reusable=True)
    with DockerSandbox(docker_client, spares=1) as sandbox:
        with sandbox.open(compiler) as first:
            first.load([ProgramFile("secret.py", b"")])
            first.run(RunSpec(argv=("python3", "-c", "open('/tmp/left', 'w')")))
            used = first.container_id
        with sandbox.open(compiler) as second:
            second.load([])
            run = second.run(
                RunSpec(
                    argv=(
                        "python3",
                        "-c",
                        "import os; print(os.listdir('/tmp'), os.listdir('/box'))",
                    )
                )
            )
            assert second.container_id == used and run.stdout == b"[] []\n"


def test_run_boxes_are_never_reused(docker_client: Any, image_tags: dict[str, str]) -> None:
    with DockerSandbox(docker_client, spares=1) as sandbox:
        with sandbox.open(spec(image_tags)) as first:
            used = first.container_id
        with sandbox.open(spec(image_tags)) as second:
            assert second.container_id != used


def test_recover_removes_the_spares_it_drops(
    docker_client: Any, image_tags: dict[str, str]
) -> None:
    with DockerSandbox(docker_client, spares=1) as sandbox:
        with sandbox.open(spec(image_tags)):
            pass
        deadline = time.monotonic() + 30
        while not sandbox._spares.get(spec(image_tags)):  # the spare is ready
            assert time.monotonic() < deadline, "no spare was started"
            time.sleep(0.05)
        [spare] = sandbox._spares[spec(image_tags)]
        assert sandbox.recover(5.0)
        assert spare.container_id not in ours(docker_client)
