"""Runtime image definitions (pure logic, with a fake engine): tags follow the definition's
content and the supervisor's, a present image is reused, the supervisor is compiled once and
added as a last layer, and graders racing to build one image build it once."""

from __future__ import annotations

import dataclasses
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import docker.errors
import pytest
from paths import ROOT

from grader.errors import SandboxError, UsageError
from grader.sandbox import images as images_module
from grader.sandbox.images import ImageDef, Images
from grader.submissions.languages import load_languages


class _ImageApi:
    def __init__(self) -> None:
        self.tags: set[str] = set()

    def get(self, tag: str) -> object:
        if tag not in self.tags:
            raise docker.errors.ImageNotFound(tag)
        return object()

    def pull(self, name: str) -> None:
        raise docker.errors.APIError("no registry here")


class _Client:
    def __init__(self) -> None:
        self.images = _ImageApi()


class _CountingImages(Images):
    """Builds by pretending: a slow build that tags the packages' image, and a supervisor
    layer that tags the runtime image, each counted."""

    def __init__(self, client: Any, folder: Path) -> None:
        super().__init__(client, folder)
        self.builds = 0
        self.layers = 0

    def _build_debian(self, image: ImageDef, log: Any) -> None:
        self.builds += 1
        time.sleep(0.3)
        self._client.images.tags.add(image.packages_tag)

    def _supervisor(self, method: str, log: Any) -> bytes:
        return b"\x7fELF"

    def _add_supervisor(self, image: ImageDef, binary: bytes) -> None:
        self.layers += 1
        self._client.images.tags.add(image.tag)


def definition(
    root: Path, packages: str = "gcc\nlibc6-dev\n", dockerfile: str = "FROM x\n"
) -> Path:
    folder = root / "c"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "packages.txt").write_text(packages)
    (folder / "Dockerfile").write_text(dockerfile)
    return folder


def test_the_tag_is_the_same_for_the_same_definition(tmp_path: Path) -> None:
    first = ImageDef.load(definition(tmp_path / "a"))
    second = ImageDef.load(definition(tmp_path / "b"))
    assert first.tag == second.tag and first.tag.startswith("grader-c:")


def test_a_changed_package_list_changes_the_tag(tmp_path: Path) -> None:
    before = ImageDef.load(definition(tmp_path / "a"))
    after = ImageDef.load(definition(tmp_path / "b", packages="gcc\nlibc6-dev\nmake\n"))
    assert before.tag != after.tag


def test_a_changed_dockerfile_changes_the_tag(tmp_path: Path) -> None:
    before = ImageDef.load(definition(tmp_path / "a"))
    after = ImageDef.load(definition(tmp_path / "b", dockerfile="FROM y\n"))
    assert before.tag != after.tag


def test_packages_are_read_without_comments_and_blank_lines(tmp_path: Path) -> None:
    image = ImageDef.load(
        definition(tmp_path, packages="# the C toolchain\ngcc  # compiler\n\nmake\n")
    )
    assert image.packages == ("gcc", "make")


def test_an_incomplete_definition_is_a_usage_error(tmp_path: Path) -> None:
    folder = definition(tmp_path)
    (folder / "Dockerfile").unlink()
    with pytest.raises(UsageError, match="incomplete"):
        ImageDef.load(folder)


def test_an_unknown_image_name_lists_the_known_ones(tmp_path: Path) -> None:
    definition(tmp_path)
    with pytest.raises(UsageError, match=r"known: c"):
        Images(_Client(), tmp_path).get("cobol")


def test_the_bundled_definitions_are_one_per_language_image() -> None:
    """Every image folder serves a row of the language table and every row has its folder:
    derived from the table, so a new language needs no edit here."""
    names = set(Images(_Client(), ROOT / "images").definitions())
    assert names == {lang.image for lang in load_languages()}


def test_a_present_image_is_reused_not_built(tmp_path: Path) -> None:
    client = _Client()
    images = _CountingImages(client, tmp_path)
    image = ImageDef.load(definition(tmp_path))
    client.images.tags.add(image.tag)
    assert images.build(image) == "present" and images.builds == 0


def test_with_no_registry_a_missing_image_is_built_from_debian(tmp_path: Path) -> None:
    images = _CountingImages(_Client(), tmp_path)
    image = ImageDef.load(definition(tmp_path))
    assert images.build(image, log=lambda _: None) == "debian" and images.builds == 1


def test_graders_racing_to_build_one_image_build_it_once(tmp_path: Path) -> None:
    images = _CountingImages(_Client(), tmp_path)
    image = ImageDef.load(definition(tmp_path))
    outcomes: list[str] = []
    racers = [
        threading.Thread(target=lambda: outcomes.append(images.build(image, log=lambda _: None)))
        for _ in range(3)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert images.builds == 1 and sorted(outcomes) == ["debian", "present", "present"]
    assert images.layers == 1


def test_the_runtime_tag_is_the_packages_tag_and_the_supervisors_digest(tmp_path: Path) -> None:
    image = ImageDef.load(definition(tmp_path))
    assert image.tag == f"{image.packages_tag}-{image.supervisor}"
    assert len(image.supervisor) == 12


def test_a_changed_supervisor_changes_the_tag_but_not_the_packages_tag(tmp_path: Path) -> None:
    before = ImageDef.load(definition(tmp_path))
    after = dataclasses.replace(before, supervisor="0" * 12)
    assert after.tag != before.tag and after.packages_tag == before.packages_tag


def test_present_packages_only_get_the_supervisor_layer(tmp_path: Path) -> None:
    client = _Client()
    images = _CountingImages(client, tmp_path)
    image = ImageDef.load(definition(tmp_path))
    client.images.tags.add(image.packages_tag)
    assert images.build(image, log=lambda _: None) == "supervisor"
    assert (images.builds, images.layers) == (0, 1)


def test_the_supervisor_is_compiled_once_in_the_c_images_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []
    monkeypatch.setattr(
        images_module, "compile_supervisor", lambda client, tag: compiled.append(tag) or b"bin"
    )
    client = _Client()
    images = Images(client, tmp_path)
    builder = ImageDef.load(definition(tmp_path))
    client.images.tags.add(builder.packages_tag)
    assert images._supervisor("auto", lambda _: None) == b"bin"
    assert images._supervisor("auto", lambda _: None) == b"bin"
    assert compiled == [builder.packages_tag]


def test_an_unknown_build_method_is_a_usage_error(tmp_path: Path) -> None:
    image = ImageDef.load(definition(tmp_path))
    with pytest.raises(UsageError, match="unknown build method"):
        Images(_Client(), tmp_path).build(image, method="podman")


def test_no_registry_and_no_mmdebstrap_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    image = ImageDef.load(definition(tmp_path))
    with pytest.raises(SandboxError, match="apt-get install mmdebstrap"):
        Images(_Client(), tmp_path).build(image, log=lambda _: None)
