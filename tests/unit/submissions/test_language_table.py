"""The language table's conventions, without an engine: which row an extension selects
(.c++ and .C are C++, one-letter extensions keep their case), headers are no language and
no submission, and --prefer lets a row that shares an extension take it (PyPy for .py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from trees import write_tree

from grader.errors import UsageError
from grader.judging.compile import expand
from grader.model import ProgramFile, Submission
from grader.submissions import discover
from grader.submissions.languages import load_languages

TABLE = load_languages()


def _key(name: str) -> str | None:
    language = TABLE.for_file(name)
    return language.key if language else None


@pytest.mark.parametrize("name", ["a.cpp", "a.cc", "a.cxx", "a.c++", "a.C", "a.CPP", "a.Cc"])
def test_cpp_extensions_select_cpp(name: str) -> None:
    assert _key(name) == "cpp"


def test_lower_case_c_is_c_while_upper_case_c_is_cpp() -> None:
    assert (_key("a.c"), _key("a.C")) == ("c", "cpp")


@pytest.mark.parametrize(("name", "key"), [("a.kt", "kotlin"), ("a.cs", "csharp")])
def test_kotlin_and_csharp_have_rows(name: str, key: str) -> None:
    assert _key(name) == key


@pytest.mark.parametrize("name", ["util.h", "geometry.hpp", "x.hh", "x.hxx", "x.h++"])
def test_a_header_selects_no_language_and_is_a_header(name: str) -> None:
    assert _key(name) is None and TABLE.is_header(name)


def test_a_source_is_not_a_header() -> None:
    assert not TABLE.is_header("main.cpp") and not TABLE.is_header("notes.txt")


def test_python_files_are_cpython_by_default() -> None:
    assert _key("a.py") == "python"


def test_preferring_pypy_gives_it_python_files_and_leaves_others_alone() -> None:
    table = TABLE.preferring(["pypy"])
    assert [getattr(table.for_file(n), "key", None) for n in ("a.py", "a.c")] == ["pypy", "c"]


def test_preferring_an_unknown_language_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown language 'pypi'"):
        TABLE.preferring(["pypi"])


def test_a_header_in_a_collection_is_not_a_submission(tmp_path: Path) -> None:
    write_tree(tmp_path, {"hello.cpp": "int main() {}\n", "hello.h": "#pragma once\n"})
    assert [s.id for s in discover([tmp_path], TABLE)] == ["hello"]


def test_python_syntax_check_covers_every_python_file_of_a_folder() -> None:
    python = TABLE.get("python")
    files = tuple(ProgramFile(name, b"") for name in ("main.py", "helper.py", "data.txt"))
    submission = Submission("s", Path("s"), python, files, "main.py")
    assert python.compile is not None
    argv = expand(python.compile, submission, python, 0)
    assert argv == ("python3", "-m", "py_compile", "main.py", "helper.py")
