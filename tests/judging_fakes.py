"""A judge on the fake sandbox with a result cache, for tests of the cache and of the
cluster's plan: an echoing program, a three-case problem, a Python submission."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from grader.judging.cache import ResultCache
from grader.judging.judge import Judge, JudgeContext
from grader.model import CheckerSpec, Limits, Problem, ProgramFile, RunResult, Submission
from grader.model import TestCase as Case
from grader.sandbox.base import RunSpec
from grader.sandbox.fake import FakeSandbox, ok_run
from grader.submissions.languages import load_languages

# Python as an interpreted language: these tests count the runs of cases alone.
PYTHON = replace(load_languages().get("python"), compile=None, check_only=False)
C = load_languages().get("c")
TAGS = {"python": "grader-python:x", "c": "grader-c:x"}


def problem(inputs: Sequence[bytes] = (b"1\n", b"2\n", b"3\n")) -> Problem:
    cases = tuple(Case(f"c{i}", data, data, Limits()) for i, data in enumerate(inputs))
    return Problem("p", "P", Path("."), Limits(), CheckerSpec(), cases)


def echo(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
    if spec.collect:  # a compilation: produce a binary
        return ok_run(files=(ProgramFile("main", b"bin", 0o755),))
    return ok_run(spec.stdin)


def judge(cache: ResultCache, prob: Problem | None = None) -> tuple[Judge, FakeSandbox]:
    sandbox = FakeSandbox(echo)
    return Judge(sandbox, prob or problem(), TAGS, context=JudgeContext(cache=cache)), sandbox


def alice(source: bytes = b"print(input())") -> Submission:
    return Submission("alice", Path("a.py"), PYTHON, (ProgramFile("a.py", source),), "a.py")
