"""problem.yaml -> Problem: defaults, and a clear error (file, line, key) for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import ROOT

from grader.errors import ExitCode, ProblemError
from grader.model import MIB
from grader.problem.grader_format import default_wall, load_problem

MINIMAL = """\
name: demo
tests:
  - name: one
    stdin: "1 2\\n"
    expected_output: "3\\n"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "problem.yaml").write_text(text)
    return tmp_path


def error_of(tmp_path: Path, text: str) -> ProblemError:
    with pytest.raises(ProblemError) as caught:
        load_problem(write(tmp_path, text))
    return caught.value


def test_bundled_example_loads_with_file_cases() -> None:
    problem = load_problem(ROOT / "problems" / "sum")
    big = next(case for case in problem.tests if case.name == "big")
    assert big.stdin.startswith(b"1000000000000000000 ")
    assert big.expected == b"1999999999999999999\n"


def test_defaults_are_128_mib_and_one_second(tmp_path: Path) -> None:
    limits = load_problem(write(tmp_path, MINIMAL)).limits
    assert (limits.memory, limits.time) == (128 * MIB, 1.0)


def test_default_checker_is_tokens(tmp_path: Path) -> None:
    assert load_problem(write(tmp_path, MINIMAL)).checker.name == "tokens"


def test_wall_limit_is_derived_from_cpu_limit(tmp_path: Path) -> None:
    limits = load_problem(write(tmp_path, MINIMAL)).limits
    assert limits.wall == default_wall(1.0, 1.0) == 3.0


def test_derived_wall_limit_gives_a_long_cpu_limit_room_for_load() -> None:
    assert default_wall(10.0, 1.0) == 21.0  # was 11 s: a loaded machine turned AC into TLE


def test_derived_wall_limit_scales_with_a_fractional_cpu_quota() -> None:
    assert default_wall(2.0, 0.5) == 9.0


def test_explicit_wall_limit_wins(tmp_path: Path) -> None:
    text = MINIMAL.replace("tests:", "limits: {time: 2, wall: 30}\ntests:")
    assert load_problem(write(tmp_path, text)).limits.wall == 30.0


def test_limits_accept_units(tmp_path: Path) -> None:
    text = MINIMAL.replace("tests:", 'limits: {time: "500ms", memory: "1GB"}\ntests:')
    limits = load_problem(write(tmp_path, text)).limits
    assert (limits.time, limits.memory) == (0.5, 1 << 30)


def test_case_limits_override_problem_limits(tmp_path: Path) -> None:
    text = MINIMAL + "    limits: {memory: 256}\n"
    problem = load_problem(write(tmp_path, text))
    assert problem.tests[0].limits.memory == 256 * MIB


def test_problem_name_defaults_to_folder(tmp_path: Path) -> None:
    folder = tmp_path / "adder"
    folder.mkdir()
    assert load_problem(write(folder, MINIMAL.replace("name: demo\n", ""))).name == "adder"


def test_problem_error_is_a_usage_error_exit_status(tmp_path: Path) -> None:
    assert error_of(tmp_path, "tests: [").exit_code is ExitCode.USAGE_ERROR


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, "name: demo\ntests: [\n  - {name: x\n")
    assert "problem.yaml" in str(error) and "line 3" in str(error)


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL.replace("tests:", "limts: {time: 1}\ntests:"))
    assert "limts" in str(error) and "did you mean 'limits'" in str(error)


def test_unknown_case_key_names_the_case(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL + '    expected: "3"\n')
    assert "tests[1].expected" in str(error) and "line 6" in str(error)


def test_missing_expected_output_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL.replace('    expected_output: "3\\n"\n', ""))
    assert "missing expected_output" in str(error)


def test_negative_limit_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL.replace("tests:", "limits: {time: -1}\ntests:"))
    assert "limits.time" in str(error) and "positive" in str(error)


def test_absurd_limit_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL.replace("tests:", "limits: {memory: 64000000}\ntests:"))
    assert "limits.memory" in str(error) and "maximum" in str(error)


def test_wall_below_time_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL.replace("tests:", "limits: {time: 5, wall: 2}\ntests:"))
    assert "wall" in str(error)


def test_missing_case_file_is_an_error(tmp_path: Path) -> None:
    text = MINIMAL.replace('stdin: "1 2\\n"', "stdin_file: tests/nope.in")
    error = error_of(tmp_path, text)
    assert "file not found: tests/nope.in" in str(error) and "tests[1].stdin_file" in str(error)


def test_case_file_outside_the_problem_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (tmp_path / "secret").write_text("x")
    text = MINIMAL.replace('stdin: "1 2\\n"', "stdin_file: ../secret")
    assert "outside the problem folder" in str(error_of(folder, text))


def test_inline_and_file_together_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL + "    stdin_file: x.in\n")
    assert "not both" in str(error)


def test_duplicate_case_names_are_an_error(tmp_path: Path) -> None:
    text = MINIMAL + '  - name: one\n    expected_output: "1"\n'
    assert "duplicate case name 'one'" in str(error_of(tmp_path, text))


def test_duplicate_yaml_keys_are_an_error(tmp_path: Path) -> None:
    assert "duplicate key 'name'" in str(error_of(tmp_path, "name: a\n" + MINIMAL))


def test_a_mapping_as_a_yaml_key_is_an_error(tmp_path: Path) -> None:
    assert "a key must be a plain value" in str(error_of(tmp_path, "{}: 1\n" + MINIMAL))


def test_empty_tests_is_an_error(tmp_path: Path) -> None:
    assert "non-empty list" in str(error_of(tmp_path, "name: demo\ntests: []\n"))


def test_unknown_checker_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL.replace("tests:", "checker: fuzzy\ntests:"))
    assert "unknown checker 'fuzzy'" in str(error)


def test_missing_problem_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProblemError, match=r"no problem\.yaml"):
        load_problem(tmp_path)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert "expected a mapping" in str(error_of(tmp_path, "- a\n- b\n"))


def test_time_multipliers_are_read_per_language(tmp_path: Path) -> None:
    text = MINIMAL.replace("tests:", "time_multipliers: {java: 2, python: 1.5}\ntests:")
    assert load_problem(write(tmp_path, text)).time_multipliers == {"java": 2.0, "python": 1.5}


def test_time_multiplier_for_unknown_language_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL.replace("tests:", "time_multipliers: {jav: 2}\ntests:"))
    assert "time_multipliers.jav" in str(error) and "java" in str(error)


def test_time_multiplier_for_a_far_off_language_lists_the_languages(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL.replace("tests:", "time_multipliers: {zzz: 2}\ntests:"))
    assert "(languages: " in str(error) and "python" in str(error)


def test_time_multiplier_must_be_positive(tmp_path: Path) -> None:
    error = error_of(tmp_path, MINIMAL.replace("tests:", "time_multipliers: {java: 0}\ntests:"))
    assert "time_multipliers.java" in str(error)
