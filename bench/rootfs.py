"""A runtime image's root filesystem on the host, for the bare-process floor.

``exported(tag, parent)`` exports the image once (``docker create`` + ``docker export``,
the container removed at once) into a folder under ``parent``, mounts a fresh ``proc`` in
it (the JVM finds its libraries through /proc/self/exe) and, on the way out, unmounts it
and deletes the folder. Needs root (mount, chroot).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

__all__ = ["RootfsError", "exported", "unmount_all"]


class RootfsError(RuntimeError):
    pass


@contextlib.contextmanager
def exported(tag: str, parent: Path) -> Iterator[Path]:
    root = parent / tag.replace(":", "-").replace("/", "-")
    root.mkdir(parents=True)
    proc = root / "proc"
    try:
        _export(tag, root)
        _check(["mount", "-t", "proc", "proc", str(proc)], "mount /proc")
        yield root
    finally:
        _release(root, proc)


def _export(tag: str, root: Path) -> None:
    container = _check(["docker", "create", tag, "true"], f"docker create {tag}").strip()
    try:
        with subprocess.Popen(["docker", "export", container], stdout=subprocess.PIPE) as source:
            untar = subprocess.run(
                ["tar", "-x", "-C", str(root)], stdin=source.stdout, capture_output=True
            )
        if source.returncode or untar.returncode:
            raise RootfsError(f"export of {tag} failed: {untar.stderr.decode()[-500:]}")
    finally:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True, check=False)


def unmount_all(parent: Path) -> None:
    """Unmount the /proc of every rootfs under ``parent`` (after an interrupted cleanup)."""
    for proc in parent.glob("*/proc"):
        _unmount(proc)


def _unmount(proc: Path) -> None:
    if proc.is_mount():
        subprocess.run(["umount", "-l", str(proc)], capture_output=True, check=False)


def _release(root: Path, proc: Path) -> None:
    _unmount(proc)
    if proc.is_mount():  # never delete through a mounted /proc
        print(f"bench: left {root} in place: {proc} is still mounted")
        return
    shutil.rmtree(root, ignore_errors=True)


def _check(argv: list[str], what: str) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RootfsError(f"{what} failed: {done.stderr.strip()[-500:]}")
    return done.stdout
