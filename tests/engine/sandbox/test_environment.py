"""What grader says about its host (grader.environment): the supervisor's capabilities as
values, and the gaps named in words so that no capability is lost in silence."""

from __future__ import annotations

from typing import Any

import pytest

from grader.app import Engine, RunOptions
from grader.environment import Enforcement, HostEnvironment

FULL = Enforcement(cgroup_version=2, tree_cpu=True, oom_kills=True, memory="sampled")
BLIND = Enforcement(None, tree_cpu=False, oom_kills=False, memory=None, memory_capped=False)


def host(enforcement: Enforcement | None, engine_cgroup: str = "2") -> HostEnvironment:
    return HostEnvironment("6.1.0", "20.10.24", "runc", engine_cgroup, enforcement)


def test_ready_frame_capabilities_become_enforcement() -> None:
    frame = {"version": 2, "cpu": True, "oom": True, "memory": "sampled", "memory_limit": 1 << 27}
    assert Enforcement.from_ready(frame) == FULL


def test_a_supervisor_that_says_nothing_is_assumed_to_enforce_nothing() -> None:
    assert Enforcement.from_ready(None) == BLIND


def test_an_uncapped_memory_cgroup_is_named() -> None:
    gaps = Enforcement(2, tree_cpu=True, oom_kills=True, memory=None, memory_capped=False).missing()
    assert len(gaps) == 1 and "memory limit" in gaps[0]


def test_full_enforcement_misses_nothing() -> None:
    assert FULL.missing() == ()


def test_missing_tree_cpu_is_named() -> None:
    gaps = Enforcement(2, tree_cpu=False, oom_kills=True, memory=None).missing()
    assert len(gaps) == 1 and "CPU time of child" in gaps[0]


def test_missing_oom_detection_is_named() -> None:
    gaps = Enforcement(2, tree_cpu=True, oom_kills=False, memory=None).missing()
    assert len(gaps) == 1 and "OOM kills" in gaps[0]


def test_no_warning_when_nothing_is_lost() -> None:
    assert host(FULL).warning() == ""


def test_warning_names_the_gaps_and_the_host() -> None:
    warning = host(BLIND).warning()
    assert "no readable cgroup" not in warning and "cgroup v2" in warning
    assert "CPU time of child" in warning and "OOM kills" in warning


def test_cgroup_version_is_the_supervisors_over_the_engines() -> None:
    assert host(FULL, engine_cgroup="1").cgroup_version == "2"


def test_cgroup_version_falls_back_to_the_engines_word() -> None:
    assert host(BLIND, engine_cgroup="2").cgroup_version == "2"


@pytest.mark.docker
def test_the_console_is_told_once_when_something_cannot_be_enforced(docker_client: Any) -> None:
    logged: list[str] = []
    with Engine(RunOptions(jobs=1), logged.append) as engine:
        engine.sandbox.enforcement = BLIND  # as a box on a host without readable cgroups
        first, second = engine.environment(), engine.environment()
    warnings = [line for line in logged if line.startswith("warning:")]
    assert first is not None and first.missing() and first == second
    assert len(warnings) == 1 and "OOM kills" in warnings[0]


@pytest.mark.docker
def test_the_engine_names_kernel_docker_version_and_runtime(docker_client: Any) -> None:
    with Engine(RunOptions(jobs=1), print) as engine:
        found = engine.environment()
    assert found is not None and found.kernel and found.docker_version and found.oci_runtime
    assert found.engine_cgroup_version in ("1", "2")
