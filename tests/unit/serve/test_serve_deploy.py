"""deploy/: the compose file runs grader serve next to the host's engine (socket and
config mounted, published on loopback only), and its example config is valid."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
import yaml
from paths import ROOT

from grader.serve.config import load_config

DEPLOY = ROOT / "deploy"


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    return loaded


def test_the_service_gets_the_engines_socket_and_its_config() -> None:
    volumes = compose()["services"]["grader"]["volumes"]
    assert "/var/run/docker.sock:/var/run/docker.sock" in volumes
    assert "./service.yaml:/etc/grader/service.yaml:ro" in volumes


def test_the_service_is_published_on_the_hosts_loopback_only() -> None:
    assert compose()["services"]["grader"]["ports"] == ["127.0.0.1:8000:8000"]


def test_the_runtime_images_are_built_before_the_service_starts() -> None:
    services = compose()["services"]
    assert services["images"]["command"] == ["grader", "images", "build"]
    assert services["grader"]["depends_on"]["images"]["condition"] == (
        "service_completed_successfully"
    )


def test_the_example_config_is_valid_and_has_keys() -> None:
    config = load_config(DEPLOY / "service.yaml")
    assert [key.name for key in config.keys] == ["alice", "ops"]
    assert config.warnings == []


@pytest.mark.skipif(
    subprocess.run(["docker", "compose", "version"], capture_output=True, check=False).returncode
    if shutil.which("docker")
    else 1,
    reason="no docker compose plugin here",
)
def test_docker_compose_config_validates() -> None:
    result = subprocess.run(
        ["docker", "compose", "-f", str(DEPLOY / "docker-compose.yml"), "config", "-q"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
