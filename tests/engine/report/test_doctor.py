"""``grader doctor``: what the host lets grader enforce, worded (doctor_lines) and, with a
real engine, the command's exit status."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.environment import Enforcement, HostEnvironment
from grader.report.doctor import doctor_lines

FULL = Enforcement(cgroup_version=2, tree_cpu=True, oom_kills=True, memory="peak")


def host(enforcement: Enforcement | None) -> HostEnvironment:
    return HostEnvironment("6.1.0-28-amd64", "20.10.24", "runc 1.1.5", "2", enforcement)


def test_doctor_names_kernel_docker_runtime_and_cgroup_version() -> None:
    text = "\n".join(doctor_lines(host(FULL)))
    assert all(word in text for word in ("6.1.0-28-amd64", "20.10.24", "runc 1.1.5", "v2"))


def test_doctor_verdict_says_everything_holds_when_it_does() -> None:
    assert doctor_lines(host(FULL))[-1].startswith("verdict: every limit is enforced")


def test_doctor_verdict_names_what_cannot_be_enforced() -> None:
    blind = Enforcement(cgroup_version=None, tree_cpu=False, oom_kills=True, memory=None)
    verdict = doctor_lines(host(blind))[-1]
    assert verdict.startswith("verdict: grader cannot enforce") and "CPU time of child" in verdict


def test_doctor_without_a_container_says_it_does_not_know() -> None:
    assert doctor_lines(host(None))[-1] == "verdict: unknown: no container could be started"


@pytest.mark.docker
def test_doctor_exits_0_on_a_host_where_every_limit_holds(docker_client: Any) -> None:
    """On a supported host (cgroup v1 here, v2 in `make test-cgroup2`) nothing is lost."""
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "tree CPU      OK" in result.output and "OOM kills     OK" in result.output
    assert "memory cap    OK" in result.output
