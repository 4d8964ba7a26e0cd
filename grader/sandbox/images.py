"""Runtime images: find their definitions under ``images/<name>/``, tag them by content,
and build them with Docker or, with no registry, from Debian's packages.

Each definition folder holds ``packages.txt`` (Debian bookworm packages, one per line; the
single source of the toolchain) and a ``Dockerfile`` that installs exactly those packages on
``debian:bookworm-slim``. With no registry, ``mmdebstrap`` builds a rootfs of the same
packages and ``docker import`` turns it into an image. Either way that image of the packages
is tagged ``grader-<name>:<digest of the definition>``, and the runtime image is it plus the
static supervisor (``native.py``), tagged ``grader-<name>:<that digest>-<supervisor's>``: a
changed definition rebuilds, a changed supervisor only adds its layer again, and an
unchanged image is reused.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker.errors

from grader.errors import SandboxError, UsageError
from grader.sandbox.heartbeat import Heartbeat, Log
from grader.sandbox.native import BUILDER_IMAGE, add_supervisor, compile_supervisor, source_digest

__all__ = ["ImageDef", "Images", "build_jobs", "default_images_dir"]

BUILD_RECIPE = "1"  # bump when the way images are built changes
BASE_IMAGE = "debian:bookworm-slim"
DEBIAN_SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"


@contextmanager
def _build_lock(tag: str) -> Iterator[None]:
    """An exclusive lock per image tag, across processes (a file lock in the temp dir)."""
    path = Path(tempfile.gettempdir()) / f"grader-build-{tag.replace(':', '-')}.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_jobs() -> int:
    """Images built at once: ``GRADER_BUILD_JOBS``, else cores + 1 (at most 4). Measured on
    2 cores: see the README's cold-start figures."""
    override = os.environ.get("GRADER_BUILD_JOBS", "")
    if override.isdigit() and int(override) > 0:
        return int(override)
    return min(4, (os.cpu_count() or 1) + 1)


def default_images_dir() -> Path:
    override = os.environ.get("GRADER_IMAGES_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "images"


@dataclass(frozen=True)
class ImageDef:
    name: str
    folder: Path
    packages: tuple[str, ...]
    digest: str  # of the definition
    supervisor: str = ""  # digest of the static supervisor's source

    @property
    def tag(self) -> str:
        """The runtime image: the packages plus the supervisor."""
        return f"{self.packages_tag}-{self.supervisor}"

    @property
    def packages_tag(self) -> str:
        """The image of the definition's packages alone."""
        return f"grader-{self.name}:{self.digest}"

    @classmethod
    def load(cls, folder: Path) -> ImageDef:
        listing = folder / "packages.txt"
        try:
            text = listing.read_text()
            dockerfile = (folder / "Dockerfile").read_bytes()
        except OSError as exc:
            raise UsageError(f"image definition {folder} is incomplete: {exc}") from exc
        packages = tuple(
            line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()
        )
        digest = hashlib.sha256(
            BUILD_RECIPE.encode() + text.encode() + b"\0" + dockerfile
        ).hexdigest()[:12]
        return cls(folder.name, folder, packages, digest, source_digest())


class Images:
    """The image definitions in one folder, and their state on one engine."""

    def __init__(self, client: Any, folder: Path | None = None) -> None:
        self._client = client
        self.folder = folder or default_images_dir()
        self._compiling = threading.Lock()
        self._binary: bytes | None = None  # the compiled supervisor

    def definitions(self) -> dict[str, ImageDef]:
        if not self.folder.is_dir():
            raise UsageError(f"no image definitions at {self.folder} (set GRADER_IMAGES_DIR)")
        return {
            sub.name: ImageDef.load(sub)
            for sub in sorted(self.folder.iterdir())
            if (sub / "packages.txt").is_file()
        }

    def get(self, name: str) -> ImageDef:
        definitions = self.definitions()
        if name not in definitions:
            known = ", ".join(definitions) or "none"
            raise UsageError(f"no image definition named {name!r} (known: {known})")
        return definitions[name]

    def exists(self, image: ImageDef) -> bool:
        return self._has(image.tag)

    def build(self, image: ImageDef, method: str = "auto", log: Log = print) -> str:
        """Build ``image`` unless present; returns how it was obtained ("present", the
        packages' build method, or "supervisor" when only that layer was missing). Graders on
        one machine build an image one at a time: the second waits and finds it present."""
        if method not in ("auto", "dockerfile", "debian"):
            raise UsageError(f"unknown build method {method!r} (auto, dockerfile, debian)")
        if self.exists(image):
            return "present"
        with _build_lock(image.tag):
            if self.exists(image):
                return "present"
            how = self._build_packages(image, method, log)
            binary = self._supervisor(method, log)
            log(f"adding the supervisor to {image.packages_tag} ...")
            self._add_supervisor(image, binary)
        return "supervisor" if how == "present" else how

    def _build_packages(self, image: ImageDef, method: str, log: Log) -> str:
        """The image of the definition's packages, built unless present."""
        if self._has(image.packages_tag):
            return "present"
        with _build_lock(image.packages_tag):
            if self._has(image.packages_tag):
                return "present"
            if method == "auto":
                method = "dockerfile" if self._base_available() else "debian"
            log(f"building {image.packages_tag} ({method}) ...")
            if method == "dockerfile":
                self._build_dockerfile(image)
            else:
                self._build_debian(image, log)
        return method

    def _supervisor(self, method: str, log: Log) -> bytes:
        """The static supervisor, compiled once per ``Images`` in the C image's packages."""
        with self._compiling:
            if self._binary is None:
                builder = self.get(BUILDER_IMAGE)
                self._build_packages(builder, method, log)
                log("compiling the supervisor ...")
                self._binary = compile_supervisor(self._client, builder.packages_tag)
            return self._binary

    def _add_supervisor(self, image: ImageDef, binary: bytes) -> None:
        add_supervisor(self._client, image.packages_tag, image.tag, binary)

    def _has(self, tag: str) -> bool:
        try:
            self._client.images.get(tag)
        except docker.errors.ImageNotFound:
            return False
        except docker.errors.DockerException as exc:
            raise SandboxError(f"cannot query images: {exc}") from exc
        return True

    def build_all(
        self, images: Sequence[ImageDef], *, jobs: int, method: str = "auto", log: Log = print
    ) -> dict[str, str]:
        """Build the missing ones of ``images``, ``jobs`` at a time (a build mostly waits on
        downloads and dpkg, so a few at once pay even on 2 cores); image name -> how it was
        obtained. While any builds, a progress line every ``HEARTBEAT_S`` seconds."""
        missing = [image for image in images if not self.exists(image)]
        how = {image.name: "present" for image in images if image not in missing}
        if not missing:
            return how
        log(f"building {len(missing)} image(s), {jobs} at a time: {_names(missing)}")
        with Heartbeat(log) as beat, ThreadPoolExecutor(max(1, jobs)) as pool:
            futures = {
                image.name: pool.submit(
                    beat.track, image.name, image.tag, self.build, image, method, log
                )
                for image in missing
            }
            how.update({name: future.result() for name, future in futures.items()})
        return how

    def _base_available(self) -> bool:
        try:
            self._client.images.get(BASE_IMAGE)
            return True
        except docker.errors.ImageNotFound:
            pass
        try:
            self._client.images.pull(BASE_IMAGE)
            return True
        except docker.errors.DockerException:
            return False

    def _build_dockerfile(self, image: ImageDef) -> None:
        try:
            self._client.images.build(
                path=str(image.folder),
                tag=image.packages_tag,
                rm=True,
                labels={"grader.image": image.name},
            )
        except docker.errors.DockerException as exc:
            raise SandboxError(f"docker build of {image.packages_tag} failed: {exc}") from exc

    def _build_debian(self, image: ImageDef, log: Log) -> None:
        if shutil.which("mmdebstrap") is None:
            raise SandboxError(
                "no registry answers and mmdebstrap is missing: "
                "`apt-get install mmdebstrap` (or give Docker a registry) and retry"
            )
        mirror = os.environ.get("GRADER_DEBIAN_MIRROR", DEFAULT_MIRROR)
        with tempfile.TemporaryDirectory(prefix="grader-image-") as tmp:
            tarball = Path(tmp) / "rootfs.tar"
            command = [
                "mmdebstrap",
                "--quiet",
                "--variant=essential",
                "--include=" + ",".join(image.packages),
                "--dpkgopt=path-exclude=/usr/share/doc/*",
                "--dpkgopt=path-exclude=/usr/share/man/*",
                "--dpkgopt=path-exclude=/usr/share/locale/*",
                # update-alternatives (OpenJDK's postinst) needs this folder to exist
                '--setup-hook=mkdir -p "$1/usr/share/man/man1"',
                DEBIAN_SUITE,
                str(tarball),
                mirror,
            ]
            done = subprocess.run(
                command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                raise SandboxError(
                    f"mmdebstrap failed for {image.packages_tag}:\n{done.stderr[-3000:]}"
                )
            repository, tag = image.packages_tag.split(":")
            try:
                self._client.api.import_image_from_file(
                    str(tarball),
                    repository=repository,
                    tag=tag,
                    changes=[
                        f"LABEL grader.image={image.name}",
                        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        "ENV LANG=C.UTF-8",
                    ],
                )
            except docker.errors.DockerException as exc:
                raise SandboxError(f"docker import of {image.packages_tag} failed: {exc}") from exc


def _names(images: Sequence[ImageDef]) -> str:
    return ", ".join(image.name for image in images)
