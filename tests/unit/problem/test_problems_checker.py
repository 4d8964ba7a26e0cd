"""problem.yaml ``checker: {program: ...}`` -> CheckerProgram: what loads, and a clear error
(file, line, key, what was expected) for each bad checker definition."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import ROOT

from grader.errors import ProblemError
from grader.model import CHECKER_LIMITS, MIB, Convention, Verdict
from grader.problem.grader_format import PROGRAM_KEYS, load_problem
from grader.problem.limits import default_wall

TESTS = """\
tests:
  - stdin: "7\\n"
    expected_output: "3 4\\n"
"""


def problem_with(tmp_path: Path, checker: str, files: dict[str, bytes] | None = None) -> Path:
    """A problem folder whose ``checker:`` block is ``checker`` (lines 2 on)."""
    for name, data in (files if files is not None else {"check.py": b"print()\n"}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    (tmp_path / "problem.yaml").write_text("name: demo\n" + checker + TESTS)
    return tmp_path


def error_of(tmp_path: Path, checker: str, files: dict[str, bytes] | None = None) -> str:
    with pytest.raises(ProblemError) as caught:
        load_problem(problem_with(tmp_path, checker, files))
    return str(caught.value)


KATTIS = "checker:\n  program: check.py\n  convention: kattis\n"


# ---- what loads --------------------------------------------------------------------------


def test_kattis_program_loads_with_default_limits(tmp_path: Path) -> None:
    program = load_problem(problem_with(tmp_path, KATTIS)).checker.program
    assert program is not None
    assert (program.convention, program.source.entry) == (Convention.KATTIS, "check.py")
    assert program.source.language is not None and program.source.language.key == "python"
    assert program.limits == CHECKER_LIMITS and program.presentation_error is Verdict.WA


def test_checker_name_describes_the_program(tmp_path: Path) -> None:
    assert load_problem(problem_with(tmp_path, KATTIS)).checker.name == "check.py (kattis)"


def test_args_numbers_become_text(tmp_path: Path) -> None:
    text = KATTIS + '  args: [float_tolerance, "1e-6", 3, 0.5]\n'
    program = load_problem(problem_with(tmp_path, text)).checker.program
    assert program is not None and program.args == ("float_tolerance", "1e-6", "3", "0.5")


def test_limits_override_the_checker_defaults(tmp_path: Path) -> None:
    text = KATTIS + "  limits: {time: 2, memory: 256}\n"
    program = load_problem(problem_with(tmp_path, text)).checker.program
    assert program is not None
    assert (program.limits.time, program.limits.memory) == (2.0, 256 * MIB)
    assert program.limits.wall == 5.0  # derived from time, as for cases: 2 x 2 s + 1


def test_testlib_presentation_error_ac(tmp_path: Path) -> None:
    text = "checker:\n  program: check.py\n  convention: testlib\n  presentation_error: ac\n"
    program = load_problem(problem_with(tmp_path, text)).checker.program
    assert program is not None and program.presentation_error is Verdict.AC


def test_folder_with_an_entry_point_is_one_checker(tmp_path: Path) -> None:
    files = {"checker/main.cpp": b"int main() {}\n", "checker/util.hpp": b"\n"}
    text = "checker:\n  program: checker\n  convention: testlib\n"
    program = load_problem(problem_with(tmp_path, text, files)).checker.program
    assert program is not None and program.source.entry == "main.cpp"
    assert {f.path for f in program.source.files} == {"main.cpp", "util.hpp"}


@pytest.mark.parametrize("name", ["float-tolerance", "kattis-validator", "testlib-checker"])
def test_bundled_examples_load(name: str) -> None:
    assert load_problem(ROOT / "problems" / name).tests


def test_builtin_checkers_are_unchanged(tmp_path: Path) -> None:
    spec = load_problem(problem_with(tmp_path, "checker: {name: lines}\n")).checker
    assert (spec.name, spec.program) == ("lines", None)


# ---- each mistake, named ------------------------------------------------------------------


def test_missing_program_file(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS.replace("check.py", "nope.py"))
    assert "line 3: checker.program" in error and "file not found: nope.py" in error


def test_program_outside_the_problem_folder(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (tmp_path / "evil.py").write_text("print()\n")
    error = error_of(folder, KATTIS.replace("check.py", "../evil.py"))
    assert "checker.program" in error and "outside the problem folder" in error


def test_program_of_an_unknown_language(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS.replace("check.py", "check.rb"), {"check.rb": b"puts 1\n"})
    assert "checker.program" in error and "unsupported language (.rb)" in error


def test_binary_program_is_refused(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS, {"check.py": b"\x7fELF\0\0"})
    assert "checker.program" in error and "binary" in error


def test_folder_without_an_entry_point(tmp_path: Path) -> None:
    files = {"checker/a.py": b"\n", "checker/b.py": b"\n"}
    error = error_of(tmp_path, KATTIS.replace("check.py", "checker"), files)
    assert "checker.program" in error and "entry point" in error


def test_empty_program(tmp_path: Path) -> None:
    assert "checker.program" in error_of(tmp_path, KATTIS.replace("check.py", '""'))


def test_program_must_be_text(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS.replace("check.py", "[a, b]"))
    assert "checker.program" in error and "expected text" in error


def test_missing_convention(tmp_path: Path) -> None:
    error = error_of(tmp_path, "checker:\n  program: check.py\n")
    assert "checker.convention" in error and "expected one of kattis, testlib" in error


def test_unknown_convention(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS.replace("kattis", "icpc"))
    assert "line 4: checker.convention" in error and "got 'icpc'" in error


def test_presentation_error_must_be_wa_or_ac(tmp_path: Path) -> None:
    text = "checker:\n  program: check.py\n  convention: testlib\n  presentation_error: pe\n"
    error = error_of(tmp_path, text)
    assert "line 5: checker.presentation_error" in error and "expected one of wa, ac" in error


def test_presentation_error_is_testlib_only(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS + "  presentation_error: ac\n")
    assert "checker.presentation_error" in error and "only for convention testlib" in error


@pytest.mark.parametrize("args", ["--min 0", "[[1]]", "[true]", "{a: 1}"])
def test_args_must_be_a_list_of_scalars(tmp_path: Path, args: str) -> None:
    error = error_of(tmp_path, KATTIS + f"  args: {args}\n")
    assert "line 5: checker.args" in error and "list of strings or numbers" in error


def test_unknown_limit(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS + "  limits: {tme: 2}\n")
    assert "checker.limits.tme" in error and "did you mean 'time'" in error


def test_negative_limit(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS + "  limits: {memory: -5}\n")
    assert "checker.limits.memory" in error


def test_absurd_limit(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS + "  limits: {time: 5000}\n")
    assert "checker.limits.time" in error and "maximum" in error


def test_name_and_program_together(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS + "  name: tokens\n")
    assert "line 5: checker.name" in error and "not both" in error


def test_program_keys_without_a_program(tmp_path: Path) -> None:
    error = error_of(tmp_path, "checker:\n  name: tokens\n  convention: kattis\n")
    assert "line 4: checker.convention" in error and "only with checker.program" in error


def test_unknown_checker_key_suggests_the_closest(tmp_path: Path) -> None:
    error = error_of(tmp_path, KATTIS + "  convetion: testlib\n")
    assert "checker.convetion" in error and "did you mean 'convention'" in error


# ---- whatever the mapping holds ------------------------------------------------------------

checker_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=300),
    st.sampled_from(["check.py", "..", "/etc/passwd", "fifo", "a\0b", "x" * 5000, "kattis"]),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    st.dictionaries(st.sampled_from(["time", "memory", "wall", "tme"]), st.integers(), max_size=2),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(["program", *PROGRAM_KEYS, "name"]), checker_values))
def test_checker_nonsense_gives_a_problem_or_a_problem_error(
    tmp_path: Path, mapping: dict[str, object]
) -> None:
    if not (tmp_path / "fifo").exists():
        os.mkfifo(tmp_path / "fifo")
        (tmp_path / "check.py").write_text("print()\n")
    (tmp_path / "problem.yaml").write_text(yaml.safe_dump({"checker": mapping}) + TESTS)
    try:
        load_problem(tmp_path)
    except ProblemError as exc:
        assert str(exc)


def test_the_default_checker_wall_limit_follows_the_default_wall_rule() -> None:
    assert CHECKER_LIMITS.wall == default_wall(CHECKER_LIMITS.time, CHECKER_LIMITS.cpus)
