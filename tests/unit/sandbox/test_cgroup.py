"""The supervisor's cgroup reader (grader.sandbox.cgroup) on fake cgroup v1 and v2 trees.

Each test lays out, under tmp_path, the /proc/self files and /sys/fs/cgroup files that a
container sees on one kind of host, and checks one thing the reader makes of them. The
real hierarchies are exercised by the Docker tests (`make test-cgroup2` for v2).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from grader.sandbox import cgroup
from grader.sandbox.cgroup import Cgroup, find_cgroup

V2_MOUNT = "30 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev - cgroup2 cgroup rw,nsdelegate"
V1_DOCKER = "/docker/0123abcd"


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def v2_tree(root: Path, cgroup_path: str = "/", mount: str = V2_MOUNT, at: str = "") -> Path:
    """A container on a cgroup v2 host; its cgroup's files in sys/fs/cgroup/<at>."""
    write(root, "proc/self/mountinfo", f"22 1 0:21 / / rw - overlay overlay rw\n{mount}\n")
    write(root, "proc/self/cgroup", f"0::{cgroup_path}\n")
    directory = root / "sys/fs/cgroup" / at
    directory.mkdir(parents=True, exist_ok=True)
    (root / "sys/fs/cgroup/cgroup.controllers").write_text("cpu memory pids\n")
    (directory / "cpu.stat").write_text("usage_usec 2500\nuser_usec 2000\n")
    (directory / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    (directory / "memory.current").write_text("1048576\n")
    (directory / "memory.max").write_text("134217728\n")
    return directory


def v1_tree(root: Path, source: str = V1_DOCKER, cgroup_path: str = V1_DOCKER) -> None:
    """A Docker container on a cgroup v1 host: each hierarchy shows the container's cgroup
    (``source``) at its mount point."""
    mountinfo = [
        "22 1 0:21 / / rw - overlay overlay rw",
        "30 22 0:26 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755",
        f"31 30 0:27 {source} /sys/fs/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct",
        f"32 30 0:28 {source} /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory",
    ]
    write(root, "proc/self/mountinfo", "\n".join(mountinfo) + "\n")
    write(root, "proc/self/cgroup", f"5:memory:{cgroup_path}\n4:cpu,cpuacct:{cgroup_path}\n")
    write(root, "sys/fs/cgroup/cpu,cpuacct/cpuacct.usage", "7000000000\n")
    oom = "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"
    write(root, "sys/fs/cgroup/memory/memory.oom_control", oom)
    write(root, "sys/fs/cgroup/memory/memory.max_usage_in_bytes", "5242880\n")
    write(root, "sys/fs/cgroup/memory/memory.usage_in_bytes", "4194304\n")
    write(root, "sys/fs/cgroup/memory/memory.limit_in_bytes", "134217728\n")


def test_cgroup2_mount_is_version_2(tmp_path: Path) -> None:
    v2_tree(tmp_path)
    assert find_cgroup(str(tmp_path)).version == 2


def test_v2_cpu_is_cpu_stat_usage_usec_in_nanoseconds(tmp_path: Path) -> None:
    v2_tree(tmp_path)
    assert find_cgroup(str(tmp_path)).cpu_ns() == 2_500_000


def test_v2_oom_kills_come_from_memory_events(tmp_path: Path) -> None:
    v2_tree(tmp_path)
    assert find_cgroup(str(tmp_path)).oom_kills() == 1


def test_v2_prefers_memory_events_local(tmp_path: Path) -> None:
    directory = v2_tree(tmp_path)
    (directory / "memory.events.local").write_text("oom 0\noom_kill 4\n")
    assert find_cgroup(str(tmp_path)).oom_kills() == 4


def test_v2_memory_peak_is_read_where_the_kernel_has_it(tmp_path: Path) -> None:
    directory = v2_tree(tmp_path)
    (directory / "memory.peak").write_text("9437184\n")
    found = find_cgroup(str(tmp_path))
    assert (found.memory_peak(), found.capabilities()["memory"]) == (9437184, "peak")


def test_v2_without_memory_peak_memory_current_is_sampled(tmp_path: Path) -> None:
    v2_tree(tmp_path)
    found = find_cgroup(str(tmp_path))
    assert (found.memory_peak(), found.memory_now()) == (None, 1048576)
    assert found.capabilities()["memory"] == "sampled"


def test_v2_cgroup_below_the_mount_is_found_by_its_path(tmp_path: Path) -> None:
    """Host cgroup namespace: /proc/self/cgroup names the container's cgroup in full."""
    scope = "/system.slice/docker-0123.scope"
    v2_tree(tmp_path, cgroup_path=scope, at=scope.lstrip("/"))
    write(tmp_path, "sys/fs/cgroup/cpu.stat", "usage_usec 999999999\n")  # the host's
    assert find_cgroup(str(tmp_path)).cpu_ns() == 2_500_000


def test_v2_path_outside_the_namespace_falls_back_to_the_mount_point(tmp_path: Path) -> None:
    """Private cgroup namespace but a path from another namespace: the mount is ours."""
    v2_tree(tmp_path, cgroup_path="/../../system.slice/other.scope")
    assert find_cgroup(str(tmp_path)).cpu_ns() == 2_500_000


def test_v2_without_the_memory_controller_has_no_oom_detection(tmp_path: Path) -> None:
    directory = v2_tree(tmp_path)
    (directory / "memory.events").unlink()
    found = find_cgroup(str(tmp_path))
    assert (found.capabilities()["oom"], found.capabilities()["cpu"]) == (False, True)


def test_v2_is_recognised_without_mountinfo(tmp_path: Path) -> None:
    v2_tree(tmp_path)
    (tmp_path / "proc/self/mountinfo").unlink()
    assert find_cgroup(str(tmp_path)).version == 2


def test_v2_memory_limit_is_memory_max(tmp_path: Path) -> None:
    v2_tree(tmp_path)
    assert find_cgroup(str(tmp_path)).memory_limit() == 128 << 20


def test_v2_memory_max_of_max_is_no_limit(tmp_path: Path) -> None:
    """Rootless Docker without a delegated memory controller, or no --memory at all."""
    directory = v2_tree(tmp_path)
    (directory / "memory.max").write_text("max\n")
    found = find_cgroup(str(tmp_path))
    assert (found.memory_limit(), found.capabilities()["memory_limit"]) == (None, None)


def test_v1_memory_limit_is_limit_in_bytes(tmp_path: Path) -> None:
    v1_tree(tmp_path)
    assert find_cgroup(str(tmp_path)).memory_limit() == 128 << 20


def test_v1_unlimited_memory_is_no_limit(tmp_path: Path) -> None:
    v1_tree(tmp_path)
    write(tmp_path, "sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n")
    assert find_cgroup(str(tmp_path)).memory_limit() is None


def test_tmpfs_with_v1_controllers_is_version_1(tmp_path: Path) -> None:
    v1_tree(tmp_path)
    assert find_cgroup(str(tmp_path)).version == 1


def test_v1_cpu_is_cpuacct_usage_in_nanoseconds(tmp_path: Path) -> None:
    v1_tree(tmp_path)
    assert find_cgroup(str(tmp_path)).cpu_ns() == 7_000_000_000


def test_v1_oom_kills_come_from_memory_oom_control(tmp_path: Path) -> None:
    v1_tree(tmp_path)
    assert find_cgroup(str(tmp_path)).oom_kills() == 2


def test_v1_memory_peak_is_max_usage_in_bytes(tmp_path: Path) -> None:
    v1_tree(tmp_path)
    assert find_cgroup(str(tmp_path)).memory_peak() == 5242880


def test_v1_cgroup_below_the_mounted_one_is_found(tmp_path: Path) -> None:
    """A v1 mount of the whole hierarchy (source /): the cgroup is a subdirectory."""
    v1_tree(tmp_path, source="/")
    write(tmp_path, f"sys/fs/cgroup/cpu,cpuacct{V1_DOCKER}/cpuacct.usage", "42\n")
    assert find_cgroup(str(tmp_path)).cpu_ns() == 42


def test_hybrid_host_reads_the_v1_controllers(tmp_path: Path) -> None:
    """systemd's hybrid layout: v1 controllers beside an empty cgroup2 at .../unified."""
    v1_tree(tmp_path)
    unified = "40 30 0:29 / /sys/fs/cgroup/unified ro - cgroup2 cgroup2 rw,nsdelegate\n"
    with (tmp_path / "proc/self/mountinfo").open("a") as handle:
        handle.write(unified)
    found = find_cgroup(str(tmp_path))
    assert (found.version, found.cpu_ns()) == (1, 7_000_000_000)


def test_no_cgroup_hierarchy_is_version_0_with_no_capability(tmp_path: Path) -> None:
    write(tmp_path, "proc/self/mountinfo", "22 1 0:21 / / rw - overlay overlay rw\n")
    found = find_cgroup(str(tmp_path))
    assert found == Cgroup(version=0)
    assert found.capabilities() == {
        "version": None,
        "cpu": False,
        "oom": False,
        "memory": None,
        "memory_limit": None,
    }


def test_unreadable_counter_is_none_not_an_error(tmp_path: Path) -> None:
    directory = v2_tree(tmp_path)
    (directory / "cpu.stat").write_text("garbage\n")
    assert find_cgroup(str(tmp_path)).cpu_ns() is None


def test_reader_imports_only_the_standard_library() -> None:
    """It runs inside every runtime image, where only python3's standard library exists."""
    tree = ast.parse(Path(cgroup.__file__).read_text())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
        )
    }
    assert imported and imported <= sys.stdlib_module_names
