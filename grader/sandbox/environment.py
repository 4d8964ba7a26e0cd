"""What the engine says about its host, and what a container can enforce on it.

``host_environment`` asks the engine once (``docker info`` and ``docker version``: kernel,
Docker version, default OCI runtime, cgroup version) and combines that with what a box's
supervisor found in its cgroup (``Enforcement``, from its ``ready`` frame). ``probe`` opens
one box of an image only to learn the latter (``grader doctor``).
"""

from __future__ import annotations

import os
from typing import Any

from grader.environment import Enforcement, HostEnvironment
from grader.errors import SandboxError
from grader.model import MIB
from grader.sandbox.base import BoxSpec
from grader.sandbox.container import RUNTIME_VARIABLE
from grader.sandbox.docker import DockerSandbox
from grader.sandbox.engine import ENGINE_ERRORS

__all__ = ["RUNTIME_VARIABLE", "host_environment", "probe"]


def host_environment(client: Any, enforcement: Enforcement | None) -> HostEnvironment:
    """The engine's facts about its host, with ``enforcement`` as a box found it."""
    try:
        info = client.info()
        version = client.version()
    except ENGINE_ERRORS as exc:
        raise SandboxError(f"the engine did not describe itself: {exc}") from exc
    runtime = os.environ.get(RUNTIME_VARIABLE) or str(info.get("DefaultRuntime") or "")
    return HostEnvironment(
        kernel=str(info.get("KernelVersion") or ""),
        docker_version=str(version.get("Version") or info.get("ServerVersion") or ""),
        oci_runtime=_runtime_version(runtime, version),
        engine_cgroup_version=str(info.get("CgroupVersion") or ""),
        enforcement=enforcement,
    )


def probe(client: Any, image: str) -> Enforcement:
    """Start one box of ``image`` (then remove it) and return what its supervisor found."""
    with DockerSandbox(client) as sandbox, sandbox.open(BoxSpec(image=image, memory=64 * MIB)):
        found = sandbox.enforcement
    assert found is not None  # set by the box just opened
    return found


def _runtime_version(runtime: str, version: dict[str, Any]) -> str:
    """``runc 1.1.5`` where the engine names the runtime's version, else just its name."""
    for component in version.get("Components") or ():
        if component.get("Name") == runtime and component.get("Version"):
            return f"{runtime} {component['Version']}"
    return runtime
