"""The judge with a result cache: unchanged work is not redone, changed cases are."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from judging_fakes import TAGS, C, alice, judge, problem

from grader.judging.cache import ResultCache
from grader.judging.judge import Judge, JudgeContext
from grader.model import CheckerSpec, ProgramFile, Submission, Verdict
from grader.sandbox.fake import FakeSandbox, ok_run


def test_unchanged_batch_opens_no_box(tmp_path: Path) -> None:
    first, _ = judge(ResultCache(tmp_path))
    expected = first.judge(alice())
    second, sandbox = judge(ResultCache(tmp_path))
    assert second.judge(alice()) == expected and sandbox.boxes == []


def test_changed_case_reruns_only_that_case(tmp_path: Path) -> None:
    judge(ResultCache(tmp_path))[0].judge(alice())
    again, sandbox = judge(ResultCache(tmp_path), problem((b"1\n", b"20\n", b"3\n")))
    result = again.judge(alice())
    assert [run.stdin for box in sandbox.boxes for run in box.runs] == [b"20\n"]
    assert result.verdict is Verdict.AC


def test_changed_source_reruns_everything(tmp_path: Path) -> None:
    judge(ResultCache(tmp_path))[0].judge(alice())
    again, sandbox = judge(ResultCache(tmp_path))
    again.judge(alice(b"print(input()) # v2"))
    assert sum(len(box.runs) for box in sandbox.boxes) == 3


def test_no_cache_reruns_everything(tmp_path: Path) -> None:
    judge(ResultCache(tmp_path))[0].judge(alice())
    again, sandbox = judge(ResultCache(tmp_path, read=False))
    again.judge(alice())
    assert sum(len(box.runs) for box in sandbox.boxes) == 3


def test_compiled_program_is_reused_for_a_changed_case(tmp_path: Path) -> None:
    source = Submission("c", Path("m.c"), C, (ProgramFile("main.c", b"int main(){}"),), "main.c")
    judge(ResultCache(tmp_path))[0].judge(source)
    again, sandbox = judge(ResultCache(tmp_path), problem((b"9\n", b"2\n", b"3\n")))
    again.judge(source)
    assert [box.spec.purpose for box in sandbox.boxes] == ["run"]
    assert sandbox.boxes[0].program == (ProgramFile("main", b"bin", 0o755),)


def test_internal_errors_are_retried_not_remembered(tmp_path: Path) -> None:
    broken = FakeSandbox(lambda spec, program: ok_run(start_error="no python3"))
    first = Judge(broken, problem(), TAGS, context=JudgeContext(cache=ResultCache(tmp_path)))
    assert first.judge(alice()).verdict is Verdict.IE
    again, sandbox = judge(ResultCache(tmp_path))
    assert again.judge(alice()).verdict is Verdict.AC and len(sandbox.boxes) == 1


def test_interrupted_runs_are_not_remembered(tmp_path: Path) -> None:
    first, _ = judge(ResultCache(tmp_path))
    first.cancelled.set()
    first.judge(alice())
    again, sandbox = judge(ResultCache(tmp_path))
    again.judge(alice())
    assert sum(len(box.runs) for box in sandbox.boxes) == 3


def test_checker_change_is_a_miss(tmp_path: Path) -> None:
    judge(ResultCache(tmp_path))[0].judge(alice())
    exact = replace(problem(), checker=CheckerSpec("exact"))
    again, sandbox = judge(ResultCache(tmp_path), exact)
    again.judge(alice())
    assert sum(len(box.runs) for box in sandbox.boxes) == 3
