"""The host a run was graded on, and what its containers could enforce and detect there.

Frozen values only (a leaf, like ``model``): the sandbox fills them in
(``grader.sandbox.environment``), reports print them, ``grader doctor`` judges them.
``Enforcement`` is what a container's supervisor found in its cgroup (its ``ready`` frame);
``HostEnvironment`` adds the engine's facts (kernel, Docker version, OCI runtime).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Enforcement", "HostEnvironment"]

_CPU_GAP = "CPU time of child and background processes (no cgroup CPU accounting)"
_OOM_GAP = "OOM kills of child processes (no cgroup memory events)"
_CAP_GAP = "the memory limit (the container's cgroup does not cap its memory)"


@dataclass(frozen=True)
class Enforcement:
    """What the supervisor can measure in its container's cgroup."""

    cgroup_version: int | None  # 1, 2, or None when no hierarchy could be read
    tree_cpu: bool  # the whole process tree's CPU time (a CPU limit children cannot evade)
    oom_kills: bool  # the OOM killer striking any process in the container
    memory: str | None  # the cgroup's memory: "peak" (memory.peak), "sampled", or None
    memory_capped: bool = True  # the cgroup caps memory (Docker's limit is in force)

    @classmethod
    def from_ready(cls, found: Mapping[str, object] | None) -> Enforcement:
        """From the ``cgroup`` entry of a supervisor's ``ready`` frame (None: an old or
        foreign supervisor that says nothing, so nothing is assumed)."""
        found = found or {}
        version = found.get("version")
        memory = found.get("memory")
        return cls(
            cgroup_version=version if isinstance(version, int) else None,
            tree_cpu=found.get("cpu") is True,
            oom_kills=found.get("oom") is True,
            memory=memory if isinstance(memory, str) else None,
            memory_capped=isinstance(found.get("memory_limit"), int),
        )

    def missing(self) -> tuple[str, ...]:
        """What cannot be enforced or detected, in words; empty when nothing is lost."""
        gaps = (
            (_CPU_GAP, self.tree_cpu),
            (_OOM_GAP, self.oom_kills),
            (_CAP_GAP, self.memory_capped),
        )
        return tuple(gap for gap, held in gaps if not held)


@dataclass(frozen=True)
class HostEnvironment:
    """The engine's host and what its containers could enforce (None: no box was opened)."""

    kernel: str
    docker_version: str
    oci_runtime: str
    engine_cgroup_version: str  # as the engine reports it: "1", "2" or "" (unknown)
    enforcement: Enforcement | None = None

    @property
    def cgroup_version(self) -> str:
        """The version the supervisor read, else the engine's word for it."""
        found = self.enforcement.cgroup_version if self.enforcement else None
        return str(found) if found else self.engine_cgroup_version

    def missing(self) -> tuple[str, ...]:
        return self.enforcement.missing() if self.enforcement else ()

    def facts(self) -> dict[str, str]:
        """The host in flat strings, for formats that hold only text (JUnit properties,
        CTRF's environment): kernel, Docker, OCI runtime, cgroup version, what is lost."""
        return {
            "kernel": self.kernel,
            "docker_version": self.docker_version,
            "oci_runtime": self.oci_runtime,
            "cgroup_version": self.cgroup_version or "unknown",
            "cannot_enforce": "; ".join(self.missing()) or "nothing",
        }

    def warning(self) -> str:
        """One line for the console when something is lost; '' when nothing is."""
        gaps = self.missing()
        if not gaps:
            return ""
        where = f"cgroup v{self.cgroup_version}" if self.cgroup_version else "no readable cgroup"
        return (
            f"warning: on this host ({where}, runtime {self.oci_runtime}) grader cannot "
            f"enforce or detect: {'; '.join(gaps)}. Verdicts that depend on them may be "
            "wrong (see `grader doctor`)."
        )
