"""``grader images build``, ``list`` and ``test``: the runtime images, through the library
(``app.host``)."""

from __future__ import annotations

import sys

import click

from grader.app import ImageState, build_images, list_images, self_test_images
from grader.cli.terminal import log
from grader.errors import ExitCode
from grader.verify.selftest import SelfTestResult

__all__ = ["images_group"]


@click.group("images")
def images_group() -> None:
    """Build and list the runtime images."""


@images_group.command("build")
@click.argument("names", nargs=-1)
@click.option(
    "--method",
    type=click.Choice(["auto", "dockerfile", "debian"]),
    default="auto",
    show_default=True,
    help="dockerfile needs a registry; debian builds from Debian packages with mmdebstrap.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Images built at once [default: GRADER_BUILD_JOBS, else cores + 1, at most 4].",
)
def images_build(names: tuple[str, ...], method: str, jobs: int | None) -> None:
    """Build the runtime images NAMES (default: all) that are missing, several at once,
    with a progress line while any build runs."""
    for image in build_images(names, method=method, jobs=jobs, log=log):
        click.echo(f"{image.name:<12} {image.tag:<32} {image.how}")


@images_group.command("list")
@click.option(
    "--versions/--no-versions",
    default=True,
    show_default=True,
    help="Run each built image's version command (about 0.3 s per image).",
)
def images_list(versions: bool) -> None:
    """List the image definitions, whether each is built and its toolchain version."""

    def show(image: ImageState) -> None:
        state = "built" if image.built else "missing"
        click.echo(f"{image.name:<12} {image.tag:<32} {state:<8} {image.version}".rstrip())

    list_images(versions=versions, on_image=show)


@images_group.command("test")
@click.argument("names", nargs=-1)
def images_test(names: tuple[str, ...]) -> None:
    """Compile and run each image's echo program (images/NAME/selftest/) through the judge;
    print OK or FAIL and the toolchain version. Builds a missing image first."""

    def show(result: SelfTestResult) -> None:
        state = "OK" if result.ok else "FAIL"
        click.echo(f"{result.image:<12} {state:<5} {result.version or '-'}")
        if result.detail:
            click.echo(f"{'':<12} {result.detail}")

    results = self_test_images(names, log=log, on_result=show)
    failed = any(not result.ok for result in results)
    sys.exit(ExitCode.NOT_ALL_ACCEPTED if failed else ExitCode.ALL_ACCEPTED)
