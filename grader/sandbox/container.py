"""What a box's container is: the one place its isolation is decided.

No network, a read-only root, user ``nobody`` with every capability dropped and
``no-new-privileges``, a memory cap with no swap, a CPU quota, a process cap, 256 open
files, size-capped tmpfs for /box (exec) and /tmp (noexec), no logging, no init (the
supervisor is PID 1), and the label ``grader=1`` plus its owner's host and pid so leftovers
can be reaped (``engine.py``). ``GRADER_DOCKER_RUNTIME`` names an OCI runtime other than the
engine's default (crun, gVisor's runsc).

PID 1 is the static supervisor every runtime image carries (``native.py``);
``GRADER_SUPERVISOR=python`` runs the Python one (``supervisor.py``, with the image's
``python3``) instead, the reference the static one was ported from.
"""

from __future__ import annotations

import os
from typing import Any

import docker
import docker.errors

from grader.errors import SandboxError, UsageError
from grader.model import MIB
from grader.sandbox.base import BoxSpec
from grader.sandbox.box import PATH
from grader.sandbox.engine import ENGINE_ERRORS, LABEL, OWNER_LABEL
from grader.sandbox.native import NATIVE_PATH
from grader.sandbox.program import supervisor_program

__all__ = ["RUNTIME_VARIABLE", "SUPERVISOR_VARIABLE", "USER", "create", "supervisor_command"]

USER = "65534:65534"  # nobody
RUNTIME_VARIABLE = "GRADER_DOCKER_RUNTIME"  # an OCI runtime other than the engine's default
SUPERVISOR_VARIABLE = "GRADER_SUPERVISOR"  # "python": the Python supervisor; else the static one


def supervisor_command(chosen: str | None = None) -> list[str]:
    """PID 1's argv: the static supervisor ("native") or the Python one ("python"); by
    default as ``GRADER_SUPERVISOR`` says, else native."""
    chosen = chosen or os.environ.get(SUPERVISOR_VARIABLE) or "native"
    if chosen == "python":
        return ["python3", "-I", "-S", "-c", supervisor_program()]
    if chosen != "native":
        raise UsageError(f"unknown supervisor {chosen!r} ({SUPERVISOR_VARIABLE}): native or python")
    return [NATIVE_PATH]


def create(client: Any, spec: BoxSpec, owner: str, command: list[str]) -> str:
    """Create (not start) a box's container, running ``command`` (``supervisor_command``)
    as PID 1; its id."""
    api = client.api
    scratch = f"rw,nosuid,nodev,size={spec.scratch},mode=1777"
    host_config = api.create_host_config(
        network_mode="none",
        read_only=True,
        mem_limit=spec.memory,
        memswap_limit=spec.memory,
        nano_cpus=int(spec.cpus * 1e9),
        pids_limit=spec.processes,
        cap_drop=["ALL"],
        security_opt=["no-new-privileges"],
        tmpfs={"/box": scratch + ",exec", "/tmp": scratch + ",noexec"},
        shm_size=16 * MIB,
        log_config={"type": "none", "config": {}},
        ulimits=[docker.types.Ulimit(name="nofile", soft=256, hard=256)],
        init=False,
        runtime=os.environ.get(RUNTIME_VARIABLE) or None,  # e.g. gVisor's runsc
    )
    try:
        created = api.create_container(
            spec.image,
            command=command,
            user=USER,
            environment={"PATH": PATH, "LANG": "C.UTF-8"},
            stdin_open=True,
            network_disabled=True,
            labels={LABEL: "1", OWNER_LABEL: owner, "grader.purpose": spec.purpose},
            host_config=host_config,
        )
    except docker.errors.ImageNotFound as exc:
        raise SandboxError(f"image {spec.image} is missing: run `grader images build`") from exc
    except ENGINE_ERRORS as exc:
        raise SandboxError(f"cannot create a container: {exc}") from exc
    return str(created["Id"])
