"""The Docker host's upkeep: the runtime images (build, list, self-test), the containers
dead runs left behind (cleanup) and what the host lets grader enforce (doctor). Each opens
one engine connection and closes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass

from grader.app.engine import Log, ensure_images
from grader.environment import HostEnvironment
from grader.sandbox.docker import DockerSandbox, Reaped, connect, reap
from grader.sandbox.environment import host_environment, probe
from grader.sandbox.images import Images, build_jobs
from grader.submissions.languages import load_languages
from grader.verify.selftest import SelfTestResult, self_test, toolchain_version

__all__ = [
    "ImageState",
    "build_images",
    "cleanup",
    "diagnose_host",
    "list_images",
    "self_test_images",
]


@dataclass(frozen=True)
class ImageState:
    """A runtime image: its definition's name and tag, whether it is built, and how it was
    obtained (``build_images``) or its toolchain's version (``list_images``)."""

    name: str
    tag: str
    built: bool = True
    how: str = ""  # present, dockerfile or debian
    version: str = ""


def build_images(
    names: Sequence[str], *, method: str, jobs: int | None, log: Log
) -> list[ImageState]:
    """Build the images ``names`` (default: all) that are missing, several at once."""
    with closing(connect()) as client:
        store = Images(client)
        wanted = [store.get(name) for name in names or tuple(store.definitions())]
        how = store.build_all(wanted, jobs=jobs or build_jobs(), method=method, log=log)
    return [ImageState(image.name, image.tag, how=how[image.name]) for image in wanted]


def list_images(*, versions: bool, on_image: Callable[[ImageState], None]) -> None:
    """Tell ``on_image`` of every image definition, in turn: whether it is built and, with
    ``versions``, its toolchain's version (about 0.3 s an image)."""
    envs = {language.image: language.env for language in load_languages()}
    with closing(connect()) as client:
        store = Images(client)
        sandbox = DockerSandbox(client)
        for name, image in store.definitions().items():
            built = store.exists(image)
            version = ""
            if built and versions:
                version = toolchain_version(sandbox, image, image.tag, envs.get(name))
            on_image(ImageState(name, image.tag, built, version=version))


def self_test_images(
    names: Sequence[str], *, log: Log, on_result: Callable[[SelfTestResult], None]
) -> list[SelfTestResult]:
    """Self-test the images ``names`` (default: all), each built first if missing; tells
    ``on_result`` of each as it ends."""
    results = []
    with closing(connect()) as client:
        store = Images(client)
        sandbox = DockerSandbox(client)
        for name in names or tuple(store.definitions()):
            image = store.get(name)
            tag = ensure_images(store, {name}, build=True, log=log)[name]
            result = self_test(sandbox, image, tag, load_languages())
            on_result(result)
            results.append(result)
    return results


def cleanup(*, everything: bool) -> Reaped:
    """Remove the containers of grader runs that died (``everything``: live ones' too)."""
    with closing(connect()) as client:
        return reap(client, only_dead_owners=not everything)


def diagnose_host(image_name: str, *, log: Log) -> HostEnvironment:
    """What this host lets grader enforce and detect, probed in a container of the image
    ``image_name`` (built first if missing)."""
    with closing(connect()) as client:
        tag = ensure_images(Images(client), {image_name}, build=True, log=log)[image_name]
        return host_environment(client, probe(client, tag))
