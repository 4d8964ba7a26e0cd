"""The result cache: hits for unchanged inputs, a miss for any change, corruption ignored."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from pathlib import Path

import pytest

from grader.judging.cache import ResultCache, case_key, program_key
from grader.model import CaseResult, Limits, ProgramFile, Submission, Verdict
from grader.model import TestCase as Case
from grader.submissions.languages import load_languages

PYTHON = load_languages().get("python")
SUB = Submission("a", Path("a.py"), PYTHON, (ProgramFile("a.py", b"print(1)"),), "a.py")
CASE = Case("one", b"1\n", b"1\n", Limits())
RESULT = CaseResult("one", Verdict.AC, 1.0, 1.0, 0.01, 0.02, 1 << 20, 0, None, "")
CHECKER = ["tokens", {}]


def key(
    sub: Submission = SUB, case: Case = CASE, image: str = "img:1", checker: object = None
) -> str:
    return case_key(program_key(image, sub, PYTHON), case, checker or CHECKER)


def test_stored_result_is_returned(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put_case(key(), RESULT)
    assert cache.get_case(key()) == RESULT


@pytest.mark.parametrize(
    "changed",
    [
        key(case=replace(CASE, stdin=b"2\n")),
        key(case=replace(CASE, expected=b"2\n")),
        key(case=replace(CASE, limits=Limits(time=2.0))),
        key(case=replace(CASE, points=2.0)),
        key(sub=replace(SUB, files=(ProgramFile("a.py", b"print(2)"),))),
        key(image="img:2"),
        key(checker=["exact", {}]),
    ],
    ids=["stdin", "expected", "limits", "points", "source", "image", "checker"],
)
def test_any_change_is_a_miss(tmp_path: Path, changed: str) -> None:
    cache = ResultCache(tmp_path)
    cache.put_case(key(), RESULT)
    assert cache.get_case(changed) is None


def test_internal_errors_are_not_stored(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put_case(key(), replace(RESULT, verdict=Verdict.IE))
    assert cache.get_case(key()) is None


def test_corrupted_entry_is_a_miss_and_is_overwritten(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put_case(key(), RESULT)
    [entry] = tmp_path.rglob("*.json")
    entry.write_text("{not json")
    assert cache.get_case(key()) is None
    cache.put_case(key(), RESULT)
    assert cache.get_case(key()) == RESULT


def test_entry_with_wrong_fields_is_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put_case(key(), RESULT)
    [entry] = tmp_path.rglob("*.json")
    entry.write_text('{"verdict": "XX"}')
    assert cache.get_case(key()) is None


def test_no_cache_mode_ignores_what_is_stored(tmp_path: Path) -> None:
    ResultCache(tmp_path).put_case(key(), RESULT)
    assert ResultCache(tmp_path, read=False).get_case(key()) is None


def test_a_compiled_program_whose_bytes_changed_is_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put_program("k", (ProgramFile("main", b"\x7fELF good", 0o755),), "")
    (stored,) = (tmp_path / "compiled").rglob("k.json")
    entry = json.loads(stored.read_text())
    entry["files"][0]["data"] = base64.b64encode(b"\x7fELF evil").decode()
    stored.write_text(json.dumps(entry))
    assert cache.get_program("k") is None


def test_compiled_program_round_trips_with_modes(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    files = (ProgramFile("main", b"\x7fELF\x00binary", 0o755),)
    cache.put_program("k", files, "warning: x")
    assert cache.get_program("k") == (files, "warning: x")


def test_compile_error_is_remembered(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put_program("k", None, "error: y")
    assert cache.get_program("k") == (None, "error: y")


def test_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = ResultCache(blocker / "cache")
    cache.put_case(key(), RESULT)
    assert cache.get_case(key()) is None
