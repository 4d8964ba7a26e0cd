"""The static supervisor: ``supervisor.c``, compiled once with the C image's gcc and added to
every runtime image as its last layer, at ``NATIVE_PATH``.

A Python supervisor costs 45-60 ms of CPU to start in every container and about 2 ms per
run; the static one starts in about a millisecond and needs nothing from the image (see
the README's Speed section). ``supervisor.py`` still declares the protocol both speak.

The binary is built in a throwaway container of the C image's packages (``gcc -static``
against Debian's glibc), so the host needs no compiler. An image's tag carries the digest
of ``supervisor.c``: a changed supervisor adds a new last layer and reuses the packages.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from functools import cache
from importlib import resources
from typing import Any

import docker.errors

from grader.errors import SandboxError

__all__ = ["NATIVE_PATH", "add_supervisor", "compile_supervisor", "source_digest"]

NATIVE_PATH = "/usr/local/lib/grader/supervisor"
BUILDER_IMAGE = "c"  # the definition whose packages hold gcc and a static glibc
COMPILE_TIMEOUT_S = 300
_SOURCE = "supervisor.c"
_FLAGS = ["-std=gnu11", "-O2", "-static", "-s", "-Wall", "-Wextra", "-Werror"]


@cache
def _source() -> bytes:
    return resources.files("grader.sandbox").joinpath(_SOURCE).read_bytes()


@cache
def source_digest() -> str:
    """The digest of ``supervisor.c`` and how it is compiled (12 hex digits), part of every
    image's tag."""
    return hashlib.sha256(" ".join(_FLAGS).encode() + b"\0" + _source()).hexdigest()[:12]


def compile_supervisor(client: Any, builder: str) -> bytes:
    """The static supervisor, compiled in a container of image ``builder``."""
    command = ["gcc", *_FLAGS, "-o", "/build/supervisor", "/build/" + _SOURCE]
    try:
        container = client.containers.create(builder, command, network_disabled=True)
    except docker.errors.DockerException as exc:
        raise SandboxError(f"cannot compile the supervisor in {builder}: {exc}") from exc
    try:
        container.put_archive("/", _tar({"build/" + _SOURCE: _source()}, directory="build"))
        container.start()
        status = container.wait(timeout=COMPILE_TIMEOUT_S).get("StatusCode")
        if status != 0:
            log = container.logs().decode(errors="replace")[-3000:]
            raise SandboxError(f"compiling the supervisor failed (exit {status}):\n{log}")
        stream, _ = container.get_archive("/build/supervisor")
        return _untar(b"".join(stream))
    except docker.errors.DockerException as exc:
        raise SandboxError(f"cannot compile the supervisor in {builder}: {exc}") from exc
    finally:
        container.remove(force=True)


def add_supervisor(client: Any, base: str, tag: str, binary: bytes) -> None:
    """Build ``tag``: image ``base`` plus the static supervisor at ``NATIVE_PATH``."""
    dockerfile = (
        f"FROM {base}\nCOPY supervisor {NATIVE_PATH}\nLABEL grader.supervisor={source_digest()}\n"
    )
    context = _tar({"Dockerfile": dockerfile.encode(), "supervisor": binary})
    try:
        client.images.build(
            fileobj=io.BytesIO(context), custom_context=True, tag=tag, rm=True, pull=False
        )
    except docker.errors.DockerException as exc:
        raise SandboxError(f"adding the supervisor to {base} failed: {exc}") from exc


def _tar(files: dict[str, bytes], directory: str = "") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        if directory:
            entry = tarfile.TarInfo(directory)
            entry.type, entry.mode = tarfile.DIRTYPE, 0o755
            archive.addfile(entry)
        for name, data in files.items():
            entry = tarfile.TarInfo(name)
            entry.size, entry.mode = len(data), 0o755
            archive.addfile(entry, io.BytesIO(data))
    return buffer.getvalue()


def _untar(archive: bytes) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(archive)) as opened:
        member = opened.next()
        extracted = opened.extractfile(member) if member is not None else None
        if extracted is None:
            raise SandboxError("the supervisor's build left no binary")
        return extracted.read()
