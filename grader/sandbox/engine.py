"""The Docker engine itself: connecting to it, and listing and reaping grader's containers.

Every container grader makes carries the label ``grader=1`` and its owner's ``host:pid``
(``grader.owner``), so that the containers of a grader process that is gone can be found
and removed. Every engine failure is raised as ``SandboxError``; ``ENGINE_ERRORS`` is the
set of exceptions that count as one, for the other engine-facing sandbox modules.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import Any

import docker
import docker.errors
import requests.exceptions

from grader.errors import SandboxError

__all__ = [
    "ENGINE_ERRORS",
    "LABEL",
    "OWNER_LABEL",
    "Listed",
    "Reaped",
    "RemovalRefused",
    "connect",
    "listed",
    "owner_label",
    "reap",
    "remove",
]

LABEL = "grader"
OWNER_LABEL = "grader.owner"
ENGINE_ERRORS = (
    docker.errors.DockerException,
    requests.exceptions.RequestException,
    OSError,
    ValueError,
)


def owner_label() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


LOCAL_SOCKET = "http+docker://"  # docker-py's base URL for a unix socket or named pipe


def connect(timeout: int = 60) -> Any:
    """A client for the engine named by the environment (DOCKER_HOST) or the default."""
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except ENGINE_ERRORS as exc:
        raise SandboxError(
            f"no Docker engine answers ({exc}); start Docker, or run `make engine` here"
        ) from exc
    if client.api.base_url.startswith(LOCAL_SOCKET):
        # No proxy or .netrc applies to a local socket, yet requests reads the whole
        # environment for them on every call (4 a box): 7.8 -> 6.8 ms of grader's CPU per
        # box here (3 interleaved rounds of 30 boxes), more with a larger environment.
        client.api.trust_env = False
    return client


@dataclass(frozen=True)
class Listed:
    """One of grader's containers as the engine lists it."""

    id: str
    owner: str  # "host:pid" of the grader process that made it
    state: str  # created, running, exited, dead, removing, ...


def listed(client: Any, *, owner: str | None = None, running: bool = False) -> list[Listed]:
    """grader's containers (only ``owner``'s, if given), from the engine's list alone.

    ``client.containers.list()`` inspects each container it lists, so it fails outright
    when one is removed in between (another grader reaping, a background removal) and on
    an entry a crashed engine left uninspectable; the summary list has neither race.
    """
    try:
        rows = client.api.containers(all=not running, filters={"label": LABEL})
    except ENGINE_ERRORS as exc:
        raise SandboxError(f"cannot list containers: {exc}") from exc
    found = [
        Listed(str(row["Id"]), (row.get("Labels") or {}).get(OWNER_LABEL, ""), row.get("State", ""))
        for row in rows
    ]
    return [c for c in found if owner is None or c.owner == owner]


@dataclass(frozen=True)
class Reaped:
    removed: int
    refused: tuple[str, ...] = ()  # ids the engine would not remove (e.g. half-removed)


class RemovalRefused(SandboxError):
    """The engine answered but would not remove a container (e.g. one half-removed)."""


def remove(client: Any, container_id: str) -> bool:
    """Force-remove a container: True if this call removed it, False if it was already
    gone or being removed. RemovalRefused, or SandboxError if the engine is unreachable."""
    try:
        client.api.remove_container(container_id, force=True)
    except docker.errors.NotFound:
        return False
    except docker.errors.APIError as exc:
        if "already in progress" in str(exc):
            return False
        raise RemovalRefused(f"cannot remove {container_id[:12]}: {exc}") from exc
    except ENGINE_ERRORS as exc:
        raise SandboxError(f"cannot remove container {container_id[:12]}: {exc}") from exc
    return True


def reap(client: Any, *, only_dead_owners: bool = True) -> Reaped:
    """Remove grader's containers; by default only those whose grader process is gone.
    A container that vanishes meanwhile, or that the engine refuses to remove, does not
    stop the others (nor the run that reaps)."""
    host = socket.gethostname()
    removed = 0
    refused: list[str] = []
    for container in listed(client):
        if only_dead_owners and _owner_alive(container.owner, host):
            continue
        try:
            removed += remove(client, container.id)
        except RemovalRefused:
            refused.append(container.id[:12])
    return Reaped(removed, tuple(refused))


def _owner_alive(owner: str, host: str) -> bool:
    owner_host, _, pid = owner.rpartition(":")
    if owner_host != host or not pid.isdigit():
        return True  # another machine's, or unknown: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
