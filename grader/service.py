"""The library entry points the CLI calls: wire problem, submissions, images, sandbox,
judge and batch together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch import OnResult, grade_all
from grader.errors import ImageMissingError
from grader.judge import Judge, JudgeOptions
from grader.languages import load_languages
from grader.model import Report, Submission
from grader.problems import load_problem
from grader.sandbox.docker import DockerSandbox, connect, reap
from grader.sandbox.images import Images
from grader.submissions import DEFAULT_MAX_SOURCE, discover

__all__ = ["RunOptions", "ensure_images", "run_batch"]

Log = Callable[[str], None]


@dataclass(frozen=True)
class RunOptions:
    language: str | None = None
    jobs: int | None = None
    build_images: bool = True
    max_source: int = DEFAULT_MAX_SOURCE
    judge: JudgeOptions = field(default_factory=JudgeOptions)


def ensure_images(images: Images, names: set[str], *, build: bool, log: Log) -> dict[str, str]:
    """Tags of the named images, building missing ones when ``build`` is set."""
    tags: dict[str, str] = {}
    for name in sorted(names):
        image = images.get(name)
        if not images.exists(image):
            if not build:
                raise ImageMissingError(
                    f"image {image.tag} is missing: run `grader images build {name}`"
                )
            log(f"image {image.tag} is missing; building it (once) ...")
            images.build(image, log=log)
        tags[name] = image.tag
    return tags


def run_batch(
    problem_path: Path,
    paths: Sequence[Path],
    options: RunOptions,
    *,
    log: Log,
    on_result: OnResult | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Report:
    problem = load_problem(problem_path)
    table = load_languages()
    language = table.get(options.language) if options.language else None
    submissions = discover(paths, table, language=language, max_source=options.max_source)
    client = connect()
    reaped = reap(client)
    if reaped:
        log(f"removed {reaped} container(s) left by an earlier grader run")
    tags = ensure_images(
        Images(client), _images_needed(submissions), build=options.build_images, log=log
    )
    if on_start is not None:
        on_start(len(submissions))
    sandbox = DockerSandbox(client)
    judge = Judge(sandbox, problem, tags, options.judge)
    return grade_all(
        judge, submissions, jobs=options.jobs, on_result=on_result, abort=sandbox.abort
    )


def _images_needed(submissions: Sequence[Submission]) -> set[str]:
    return {s.language.image for s in submissions if s.language and not s.reason}
