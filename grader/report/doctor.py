"""``grader doctor``: what this host's engine lets grader enforce and detect, in words.

It asks the engine about its host and starts one container to learn what the supervisor
can read in its cgroup (``grader.sandbox.environment``); ``doctor_lines`` words the result.
The CLI exits 0 when every limit holds, 3 when something cannot be enforced or detected.
"""

from __future__ import annotations

from grader.environment import HostEnvironment

__all__ = ["doctor_lines"]

_ALWAYS = (
    "wall-clock limit, per-process CPU backstop (RLIMIT_CPU), output limit, no network,"
    " read-only root: enforced by the supervisor and Docker"
)


def doctor_lines(host: HostEnvironment) -> list[str]:
    """The report ``grader doctor`` prints; its last line is the verdict."""
    found = host.enforcement
    cgroup = f"v{host.cgroup_version}" if host.cgroup_version else "none readable"
    lines = [
        f"kernel        {host.kernel or '?'}",
        f"docker        {host.docker_version or '?'}",
        f"oci runtime   {host.oci_runtime or '?'}",
        f"cgroup        {cgroup} (the engine says v{host.engine_cgroup_version or '?'})",
        f"always        {_ALWAYS}",
    ]
    if found is not None:
        lines += [
            f"tree CPU      {_state(found.tree_cpu)}  CPU limit counts child processes",
            f"OOM kills     {_state(found.oom_kills)}  MLE when the kernel kills any process",
            f"memory cap    {_state(found.memory_capped)}  the cgroup caps the container's memory",
            f"cgroup memory {_memory(found.memory)}",
        ]
    gaps = host.missing()
    if found is None:
        lines.append("verdict: unknown: no container could be started")
    elif gaps:
        lines.append("verdict: grader cannot enforce or detect: " + "; ".join(gaps))
    else:
        lines.append("verdict: every limit is enforced and every OOM kill detected here")
    return lines


def _state(ok: bool) -> str:
    return "OK  " if ok else "MISSING"


def _memory(how: str | None) -> str:
    return {
        "peak": "high-water mark (v2 memory.peak, v1 memory.max_usage_in_bytes)",
        "sampled": "memory.current, sampled every 10 ms (no memory.peak: kernel < 5.19)",
    }.get(how or "", "not readable (peak RSS of the program only)")
