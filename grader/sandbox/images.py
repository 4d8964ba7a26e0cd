"""Runtime images: find their definitions under ``images/<name>/``, tag them by content,
and build them with Docker or, with no registry, from Debian's packages.

Each definition folder holds ``packages.txt`` (Debian bookworm packages, one per line; the
single source of the toolchain) and a ``Dockerfile`` that installs exactly those packages on
``debian:bookworm-slim``. With no registry, ``mmdebstrap`` builds a rootfs of the same
packages and ``docker import`` turns it into an image. Either way the tag is
``grader-<name>:<digest of the definition>``, so a changed definition rebuilds and an
unchanged one is reused.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker.errors

from grader.errors import SandboxError, UsageError

__all__ = ["ImageDef", "Images", "default_images_dir"]

BUILD_RECIPE = "1"  # bump when the way images are built changes
BASE_IMAGE = "debian:bookworm-slim"
DEBIAN_SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
Log = Callable[[str], None]


@contextmanager
def _build_lock(image: ImageDef) -> Iterator[None]:
    """An exclusive lock per image tag, across processes (a file lock in the temp dir)."""
    path = Path(tempfile.gettempdir()) / f"grader-build-{image.name}-{image.digest}.lock"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def default_images_dir() -> Path:
    override = os.environ.get("GRADER_IMAGES_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "images"


@dataclass(frozen=True)
class ImageDef:
    name: str
    folder: Path
    packages: tuple[str, ...]
    digest: str

    @property
    def tag(self) -> str:
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
        return cls(folder.name, folder, packages, digest)


class Images:
    """The image definitions in one folder, and their state on one engine."""

    def __init__(self, client: Any, folder: Path | None = None) -> None:
        self._client = client
        self.folder = folder or default_images_dir()

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
        try:
            self._client.images.get(image.tag)
        except docker.errors.ImageNotFound:
            return False
        except docker.errors.DockerException as exc:
            raise SandboxError(f"cannot query images: {exc}") from exc
        return True

    def build(self, image: ImageDef, method: str = "auto", log: Log = print) -> str:
        """Build ``image`` unless present; returns how it was obtained. Graders on one
        machine build an image one at a time: the second waits and finds it present."""
        if method not in ("auto", "dockerfile", "debian"):
            raise UsageError(f"unknown build method {method!r} (auto, dockerfile, debian)")
        if self.exists(image):
            return "present"
        with _build_lock(image):
            if self.exists(image):
                return "present"
            if method == "auto":
                method = "dockerfile" if self._base_available() else "debian"
            log(f"building {image.tag} ({method}) ...")
            if method == "dockerfile":
                self._build_dockerfile(image)
            else:
                self._build_debian(image, log)
        return method

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
                path=str(image.folder), tag=image.tag, rm=True, labels={"grader.image": image.name}
            )
        except docker.errors.DockerException as exc:
            raise SandboxError(f"docker build of {image.tag} failed: {exc}") from exc

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
                raise SandboxError(f"mmdebstrap failed for {image.tag}:\n{done.stderr[-3000:]}")
            repository, tag = image.tag.split(":")
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
                raise SandboxError(f"docker import of {image.tag} failed: {exc}") from exc
