"""Kattis problem packages read unmodified: detection, test data and groups, limits, the
default validator's flags as grader checkers, custom validators, and a clear error for what
grader cannot honour."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paths import ROOT

from grader.errors import ProblemError
from grader.model import MIB, Aggregation, Convention
from grader.problem import load
from grader.problem.grader_format import load_problem
from grader.problem.kattis import (
    CALIBRATION_TIME,
    DEFAULT_MEMORY,
    TimeLimit,
    is_package,
    load_package,
)

CONTEST = ROOT / "problems" / "contest"


def package(
    tmp_path: Path, yaml: str = "name: Demo\n", files: dict[str, str] | None = None
) -> Path:
    """A package folder ``demo`` with one sample and one secret case, plus ``files``
    (relative path -> text)."""
    root = tmp_path / "demo"
    cases = {
        "data/sample/1.in": "1\n",
        "data/sample/1.ans": "Yes\n",
        "data/secret/1.in": "2\n",
        "data/secret/1.ans": "No\n",
    }
    for name, text in {"problem.yaml": yaml, **cases}.items():
        _write(root / name, text)
    for name, text in (files or {}).items():
        _write(root / name, text)
    return root


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def error_of(root: Path) -> str:
    with pytest.raises(ProblemError) as caught:
        load_package(root)
    return str(caught.value)


# ---- detection -----------------------------------------------------------------------


def test_a_folder_with_data_and_no_tests_key_is_a_package(tmp_path: Path) -> None:
    assert is_package(package(tmp_path))


def test_grader_problems_are_not_packages() -> None:
    assert not is_package(ROOT / "problems" / "sum")
    assert not is_package(CONTEST / "squares")


def test_a_grader_problem_with_a_data_folder_stays_grader_s(tmp_path: Path) -> None:
    root = package(tmp_path, 'tests:\n  - {stdin: "1", expected_output: "1"}\n')
    assert not is_package(root) and len(load_problem(root).tests) == 1


def test_the_one_loader_reads_packages_too() -> None:
    problem, package = load(CONTEST / "circle")
    assert problem.name == "circle" and problem.title == "Circle Area" and package is not None


# ---- test data and groups ------------------------------------------------------------


def test_bundled_package_has_nested_secret_groups() -> None:
    problem = load_package(CONTEST / "circle").problem
    assert [g.name for g in problem.groups] == ["sample", "secret/large", "secret/small"]
    assert [c.name for c in problem.tests][:3] == ["sample/1", "sample/2", "secret/large/01"]
    assert problem.tests[0].expected == b"3.141592653589793\n"


def test_samples_are_visible_and_secrets_hidden() -> None:
    problem = load_package(CONTEST / "circle").problem
    assert {c.name: c.visible for c in problem.tests}["sample/1"] is True
    assert not any(c.visible for c in problem.tests if c.name.startswith("secret/"))


def test_pass_fail_cases_are_worth_a_point_each() -> None:
    problem = load_package(CONTEST / "circle").problem
    assert problem.max_points == 6.0
    assert all(g.aggregation is Aggregation.SUM for g in problem.groups)


def test_cases_and_groups_interleave_in_name_order(tmp_path: Path) -> None:
    files = {"data/secret/a/1.in": "1", "data/secret/a/1.ans": "1"}
    files |= {"data/secret/b.in": "1", "data/secret/b.ans": "1"}
    names = [c.name for c in load_package(package(tmp_path, files=files)).problem.tests]
    assert names == ["sample/1", "secret/1", "secret/a/1", "secret/b"]


def test_an_input_without_answer_is_an_error(tmp_path: Path) -> None:
    root = package(tmp_path)
    (root / "data" / "secret" / "1.ans").unlink()
    assert "no answer file 1.ans" in error_of(root)


def test_a_package_without_cases_is_an_error(tmp_path: Path) -> None:
    root = package(tmp_path)
    shutil.rmtree(root / "data")
    (root / "data").mkdir()
    assert "no test cases" in error_of(root)


def test_scoring_groups_follow_testdata_yaml(tmp_path: Path) -> None:
    files = {
        "data/testdata.yaml": "grader_flags: ignore_sample\n",
        "data/secret/g1/testdata.yaml": "grader_flags: min\naccept_score: 20\n",
        "data/secret/g1/1.in": "1",
        "data/secret/g1/1.ans": "1",
        "data/secret/g1/2.in": "2",
        "data/secret/g1/2.ans": "2",
    }
    problem = load_package(package(tmp_path, "type: scoring\n", files)).problem
    groups = {g.name: g for g in problem.groups}
    assert groups["sample"].points == 0.0  # ignore_sample
    assert (groups["secret/g1"].aggregation, groups["secret/g1"].points) == (Aggregation.MIN, 20.0)
    assert problem.max_points == 0 + 1 + 20  # secret/1 is worth accept_score 1


@pytest.mark.parametrize(
    ("testdata", "message"),
    [
        ("grading: custom\n", "custom graders are not supported"),
        ("output_validator_flags: case_sensitive\n", "per-group validator flags"),
        ("reject_score: 1\n", "only 0 is supported"),
        ("grader_flags: max\n", "'max' is not supported"),
    ],
)
def test_unsupported_testdata_settings_are_errors(
    tmp_path: Path, testdata: str, message: str
) -> None:
    root = package(tmp_path, "type: scoring\n")
    _write(root / "data" / "secret" / "testdata.yaml", testdata)
    error = error_of(root)
    assert "testdata.yaml" in error and message in error


def test_min_over_sub_groups_is_an_error(tmp_path: Path) -> None:
    root = package(tmp_path, "type: scoring\n")
    _write(root / "data" / "secret" / "testdata.yaml", "grader_flags: min\n")
    _write(root / "data" / "secret" / "g" / "1.in", "1")
    _write(root / "data" / "secret" / "g" / "1.ans", "1")
    assert "min over sub-groups is not supported" in error_of(root)


# ---- limits --------------------------------------------------------------------------


def test_limits_are_read_in_mib(tmp_path: Path) -> None:
    limits = load_package(package(tmp_path, "limits: {memory: 512, output: 16}\n")).problem.limits
    assert (limits.memory, limits.output) == (512 * MIB, 16 * MIB)


def test_memory_and_output_default_to_problemtools_system_defaults(tmp_path: Path) -> None:
    limits = load_package(package(tmp_path)).problem.limits
    assert (limits.memory, limits.output) == (DEFAULT_MEMORY, 8 * MIB) == (1024 * MIB, 8 * MIB)


def test_the_report_says_which_default_applied(tmp_path: Path) -> None:
    sources = load_package(package(tmp_path, "limits: {output: 16}\n")).problem.limit_sources
    assert sources["memory"] == "problemtools' default, 1024 MiB (no limits.memory)"
    assert sources["output"] == "problem.yaml limits.output"


def test_domjudge_ini_gives_the_time_limit(tmp_path: Path) -> None:
    root = package(tmp_path)
    (root / "domjudge-problem.ini").write_text("name='Hello'\ntimelimit='3'\n")
    loaded = load_package(root)
    assert (loaded.time.given, loaded.problem.limits.time) == (3.0, 3.0)
    assert loaded.problem.limit_sources["time"] == "given in domjudge-problem.ini timelimit"


def test_without_a_time_limit_it_must_be_derived(tmp_path: Path) -> None:
    loaded = load_package(package(tmp_path, "limits: {time_multiplier: 3}\n"))
    assert loaded.time.given is None and loaded.time.multiplier == 3.0
    assert loaded.problem.limits.time == CALIBRATION_TIME


def test_a_timelimit_file_gives_the_limit(tmp_path: Path) -> None:
    loaded = load_package(package(tmp_path, files={".timelimit": "2.5\n"}))
    assert (loaded.time.given, loaded.time.source) == (2.5, ".timelimit")
    assert {c.limits.time for c in loaded.problem.tests} == {2.5}


def test_limits_time_limit_gives_the_limit(tmp_path: Path) -> None:
    loaded = load_package(package(tmp_path, "limits: {time_limit: 3}\n"))
    assert loaded.problem.limits.time == 3.0 and loaded.problem.limits.wall >= 4.0


@pytest.mark.parametrize(
    ("slowest", "multiplier", "limit"),
    [(0.01, 5, 1.0), (0.25, 5, 2.0), (0.4, 5, 2.0), (0.41, 5, 3.0), (1.0, 2, 2.0)],
)
def test_a_derived_limit_is_slowest_times_multiplier_rounded_up(
    slowest: float, multiplier: float, limit: float
) -> None:
    assert TimeLimit(None, "", multiplier).derive(slowest) == limit


def test_with_time_limit_sets_every_case(tmp_path: Path) -> None:
    problem = load_package(package(tmp_path)).with_time_limit(2.0, "derived")
    assert {c.limits.time for c in problem.tests} == {2.0} and problem.limits.wall >= 3.0
    assert problem.limit_sources["time"] == "derived"


def test_a_bad_limit_is_an_error(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, "limits: {memory: -5}\n"))
    assert "limits.memory" in error and "expected a number > 0" in error


def test_an_unknown_key_is_a_warning_naming_it_and_the_closest(tmp_path: Path) -> None:
    [warning] = load_package(package(tmp_path, "validaton: default\n")).warnings
    assert "line 1: validaton" in warning and "did you mean 'validation'" in warning


def test_the_format_examples_source_url_is_read_and_ignored(tmp_path: Path) -> None:
    loaded = load_package(package(tmp_path, "source_url: https://example.com\nfoo: 1\n"))
    assert [w.split("problem.yaml: ")[1] for w in loaded.warnings] == [
        "line 2: foo: unknown key (known: problem_format_version, type, name, uuid, author, "
        "source, source_url, license, rights_owner, limits, validation, validator_flags, "
        "grading, keywords): ignored"
    ]


def test_an_unknown_testdata_key_is_a_warning(tmp_path: Path) -> None:
    root = package(tmp_path, "type: scoring\n")
    _write(root / "data" / "secret" / "testdata.yaml", "on_rejct: break\n")
    [warning] = load_package(root).warnings
    assert "testdata.yaml" in warning and "did you mean 'on_reject'" in warning


def test_a_newer_format_version_is_refused(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, "problem_format_version: 2023-07-draft\n"))
    assert "only the legacy package format is supported" in error


# ---- validation ----------------------------------------------------------------------


def checker_of(tmp_path: Path, flags: str) -> tuple[str, dict[str, object]]:
    spec = load_package(package(tmp_path, f"validator_flags: {flags}\n")).problem.checker
    return spec.name, dict(spec.options)


def test_the_default_validator_is_case_insensitive_tokens(tmp_path: Path) -> None:
    assert checker_of(tmp_path, '""') == ("tokens", {"case_sensitive": False})


def test_case_sensitive_makes_tokens_case_sensitive(tmp_path: Path) -> None:
    assert checker_of(tmp_path, "case_sensitive") == ("tokens", {"case_sensitive": True})


def test_float_flags_become_tokens_tolerances(tmp_path: Path) -> None:
    flags = "float_relative_tolerance 1e-6 float_absolute_tolerance 0.001 float_tolerance 1e-9"
    name, options = checker_of(tmp_path, flags)
    assert name == "tokens"
    assert options == {
        "case_sensitive": False,
        "float_relative_tolerance": 1e-6,
        "float_absolute_tolerance": 0.001,
        "float_tolerance": 1e-9,
    }


def test_bundled_package_gets_its_tolerance() -> None:
    options = load_package(CONTEST / "circle").problem.checker.options
    assert options == {"case_sensitive": False, "float_tolerance": 1e-6}


def test_space_change_sensitive_and_case_sensitive_is_exact(tmp_path: Path) -> None:
    assert checker_of(tmp_path, "space_change_sensitive case_sensitive")[0] == "exact"


def test_space_change_sensitive_is_exact_when_answers_have_no_letters(tmp_path: Path) -> None:
    root = package(tmp_path, "validator_flags: space_change_sensitive\n")
    for answer in (root / "data").rglob("*.ans"):
        answer.write_text("1 2\n")
    assert load_package(root).problem.checker.name == "exact"


def test_space_change_sensitive_without_case_sensitive_is_refused_on_letters(
    tmp_path: Path,
) -> None:
    error = error_of(package(tmp_path, "validator_flags: space_change_sensitive\n"))
    assert "validator_flags" in error and "add case_sensitive" in error


def test_space_change_sensitive_with_a_tolerance_is_refused(tmp_path: Path) -> None:
    yaml = "validator_flags: space_change_sensitive case_sensitive float_tolerance 0.1\n"
    assert "float tolerance has no grader checker" in error_of(package(tmp_path, yaml))


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ("case_sensitiv", "unknown flag 'case_sensitiv'; did you mean 'case_sensitive'?"),
        ("float_tolerance", "float_tolerance needs a number >= 0; got ''"),
        ("float_tolerance x", "needs a number >= 0; got 'x'"),
    ],
)
def test_bad_validator_flags_are_errors(tmp_path: Path, flags: str, message: str) -> None:
    assert message in error_of(package(tmp_path, f"validator_flags: {flags}\n"))


def test_interactive_package_needs_its_interactor(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, "validation: custom interactive\n"))
    assert "output_validators/" in error and "found none" in error


def test_score_validators_are_unsupported(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, "type: scoring\nvalidation: custom score\n"))
    assert "score-producing validators are not supported" in error


def test_a_custom_validator_is_a_kattis_checker_program(tmp_path: Path) -> None:
    yaml = "validation: custom\nvalidator_flags: --strict 3\n"
    validator = {"output_validators/check.py": "import sys\nsys.exit(42)\n"}
    spec = load_package(package(tmp_path, yaml, validator)).problem.checker
    assert spec.program is not None and spec.program.convention is Convention.KATTIS
    assert spec.program.args == ("--strict", "3")
    assert spec.program.source.language is not None and spec.name.startswith("output_validators/")


def test_bundled_custom_validator_package_loads() -> None:
    problem = load_package(CONTEST / "twosum").problem
    assert problem.checker.program is not None
    assert [g.name for g in problem.groups] == ["sample", "secret/group1", "secret/group2"]


def test_custom_validation_without_a_validator_is_an_error(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, "validation: custom\n"))
    assert "output_validators/" in error and "found none" in error


def test_included_files_are_unsupported(tmp_path: Path) -> None:
    root = package(tmp_path, files={"include/python/lib.py": "x = 1\n"})
    assert "include/" in error_of(root)


def test_a_domjudge_package_with_only_its_ini_reads(tmp_path: Path) -> None:
    root = package(tmp_path)
    (root / "problem.yaml").unlink()
    (root / "domjudge-problem.ini").write_text("name='Hello World'\ntimelimit = 2\n")
    loaded = load_package(root)
    assert (loaded.problem.title, loaded.time.given) == ("Hello World", 2.0)
