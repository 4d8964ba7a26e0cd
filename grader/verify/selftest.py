"""Image self-tests: prove a runtime image compiles and runs a program, through the judge.

Each image folder may hold ``selftest/``, an echo program (one submission, found like any
other, so its language comes from the language table) and ``version``, the argv (one line,
``#`` comments) that prints the toolchain's version. A self-test grades the echo program on
one case whose expected output is its input, under ordinary limits, then runs the version
command in the same image. Reads those files; starts containers through the sandbox.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from grader.judging.judge import Judge
from grader.model import MIB, CheckerSpec, Limits, Problem, Submission, TestCase, Verdict
from grader.sandbox.base import BoxSpec, RunSpec, Sandbox
from grader.sandbox.images import ImageDef
from grader.submissions import discover
from grader.submissions.languages import LanguageTable

__all__ = ["ECHO_INPUT", "SELFTEST_LIMITS", "SelfTestResult", "self_test", "toolchain_version"]

ECHO_INPUT = b"hello, grader\n1 2 3\n"
SELFTEST_LIMITS = Limits(time=2.0, wall=6.0, memory=64 * MIB)
_VERSION_LIMITS = Limits(time=10.0, wall=20.0, memory=512 * MIB)


@dataclass(frozen=True)
class SelfTestResult:
    image: str
    ok: bool
    version: str = ""
    detail: str = ""  # why it failed: the verdict and its message, or what is missing


def self_test(sandbox: Sandbox, image: ImageDef, tag: str, table: LanguageTable) -> SelfTestResult:
    """Grade ``image``'s echo program (built image ``tag``) and read its toolchain version."""
    folder = image.folder / "selftest"
    if not folder.is_dir():
        return SelfTestResult(image.name, False, detail=f"no self-test: add {folder}/")
    [submission] = discover([folder], table)
    submission = _as_image_language(submission, image.name, table)
    if submission.language is None or submission.language.image != image.name:
        found = submission.language.image if submission.language else submission.reason
        return SelfTestResult(image.name, False, detail=f"self-test is not for it ({found})")
    problem = _echo_problem(image.name, folder)
    result = Judge(sandbox, problem, {image.name: tag}).judge(submission)
    env = submission.language.env if submission.language else {}
    version = toolchain_version(sandbox, image, tag, env)
    if result.verdict is not Verdict.AC:
        failed = next((c for c in result.cases if c.message), None)
        why = result.message or (failed.message if failed else "")
        detail = f"{result.verdict}: {why} {result.compile_log[-500:]}".strip()
        return SelfTestResult(image.name, False, version, detail)
    return SelfTestResult(image.name, True, version)


def _as_image_language(submission: Submission, image: str, table: LanguageTable) -> Submission:
    """The submission in the language of ``image`` when a row of it takes the entry too
    (PyPy's echo program is a .py file, which the table gives to CPython by default)."""
    if submission.language is None or submission.language.image == image:
        return submission
    own = (lang for lang in table if lang.image == image and lang.is_source(submission.entry))
    language = next(own, None)
    return replace(submission, language=language) if language else submission


def _echo_problem(name: str, folder: Path) -> Problem:
    case = TestCase("echo", ECHO_INPUT, ECHO_INPUT, SELFTEST_LIMITS)
    return Problem(
        name=f"selftest-{name}",
        title=f"{name} echo self-test",
        root=folder,
        limits=SELFTEST_LIMITS,
        checker=CheckerSpec("exact"),
        tests=(case,),
    )


def toolchain_version(
    sandbox: Sandbox, image: ImageDef, tag: str, env: Mapping[str, str] | None = None
) -> str:
    """The first line the image's version command prints (run in the built image ``tag``,
    with the language's environment ``env``), or '' without one."""
    argv = _version_argv(image.folder / "version")
    if not argv:
        return ""
    limits = _VERSION_LIMITS
    env = env or {}
    with sandbox.open(BoxSpec(tag, limits.memory, purpose="selftest")) as box:
        box.load(())
        run = box.run(RunSpec(argv, cpu=limits.time, wall=limits.wall, env=env))
    text = (run.stdout + run.stderr).decode(errors="replace").strip()
    return run.start_error or (text.splitlines()[0] if text else "")


def _version_argv(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        return ()
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return tuple(shlex.split(next((line for line in lines if line), "")))
