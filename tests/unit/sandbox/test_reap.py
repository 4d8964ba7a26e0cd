"""Reaping leftovers (pure logic, with a fake engine API): one container that vanishes
or that the engine refuses to remove never stops the others, nor the run that reaps."""

from __future__ import annotations

import socket
from typing import Any

import docker.errors
import pytest

from grader.errors import SandboxError
from grader.sandbox.docker import LABEL, OWNER_LABEL, listed, reap

DEAD = f"{socket.gethostname()}:999999999"  # no such pid


class _Api:
    def __init__(self, rows: list[dict[str, Any]], failures: dict[str, Exception]) -> None:
        self.rows = rows
        self.failures = failures
        self.removed: list[str] = []

    def containers(self, all: bool, filters: dict[str, str]) -> list[dict[str, Any]]:
        assert filters == {"label": LABEL}
        return self.rows

    def remove_container(self, container_id: str, force: bool) -> None:
        if container_id in self.failures:
            raise self.failures[container_id]
        self.removed.append(container_id)


class _Client:
    def __init__(self, api: _Api) -> None:
        self.api = api


def row(container_id: str, owner: str = DEAD, state: str = "exited") -> dict[str, Any]:
    return {"Id": container_id, "Labels": {LABEL: "1", OWNER_LABEL: owner}, "State": state}


def test_a_container_gone_before_its_removal_does_not_stop_the_reap() -> None:
    api = _Api([row("a"), row("b"), row("c")], {"b": docker.errors.NotFound("gone")})
    reaped = reap(_Client(api))
    assert api.removed == ["a", "c"] and reaped.removed == 2 and reaped.refused == ()


def test_a_container_the_engine_refuses_to_remove_is_reported_and_skipped() -> None:
    refusal = docker.errors.APIError("driver failed to remove root filesystem: busy")
    api = _Api([row("a" * 64), row("b" * 64)], {"a" * 64: refusal})
    reaped = reap(_Client(api))
    assert api.removed == ["b" * 64] and reaped.refused == ("a" * 12,)


def test_a_removal_already_in_progress_counts_as_neither() -> None:
    busy = docker.errors.APIError("removal of container a is already in progress")
    reaped = reap(_Client(_Api([row("a")], {"a": busy})))
    assert reaped.removed == 0 and reaped.refused == ()


def test_a_live_graders_containers_are_kept_unless_asked() -> None:
    live = f"{socket.gethostname()}:1"  # init: alive
    api = _Api([row("live", owner=live), row("dead")], {})
    assert reap(_Client(api)).removed == 1 and api.removed == ["dead"]
    assert reap(_Client(api), only_dead_owners=False).removed == 2


def test_an_engine_that_stops_answering_is_a_sandbox_error() -> None:
    lost = docker.errors.DockerException("connection refused")
    with pytest.raises(SandboxError, match="cannot remove"):
        reap(_Client(_Api([row("a")], {"a": lost})))


def test_listing_filters_by_owner_and_reads_state() -> None:
    api = _Api([row("a", owner="h:1", state="running"), row("b", owner="h:2")], {})
    [only] = listed(_Client(api), owner="h:1")
    assert (only.id, only.owner, only.state) == ("a", "h:1", "running")
