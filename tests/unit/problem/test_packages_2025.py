"""Kattis problem packages in the 2025-09 format: problem.yaml keys and refusals, limits
and the time-limit rule, test data groups and test_group.yaml, and the output validator
(default flags as grader checkers, or a custom program). Every error names the file, the
line where known, and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT
from trees import write_tree

from grader.cli import cli
from grader.errors import ProblemError
from grader.judging.judge import Judge
from grader.model import MIB, Aggregation, Convention, ProgramFile, Submission
from grader.problem.kattis import load_package
from grader.problem.kattis.model import TimeLimit
from grader.sandbox.fake import FakeSandbox, ok_run
from grader.submissions.languages import load_languages

EXAMPLE = ROOT / "problems" / "kattis-2025"
HEAD = "problem_format_version: 2025-09\nname: Demo\nuuid: 0d6c4b2e-1\n"
CASES = {
    "data/sample/1.in": "1\n",
    "data/sample/1.ans": "Yes\n",
    "data/secret/1.in": "2\n",
    "data/secret/1.ans": "No\n",
}


def package(tmp_path: Path, yaml: str = "", files: dict[str, str] | None = None) -> Path:
    """A 2025-09 package ``demo``: ``HEAD`` + ``yaml`` as problem.yaml, one sample and one
    secret case (unless ``files`` gives cases in data/secret groups), plus ``files``."""
    root = tmp_path / "demo"
    cases = dict(CASES)
    if any(
        name.startswith("data/secret/") and name.count("/") > 2 and name.endswith(".in")
        for name in files or {}
    ):
        cases = {k: v for k, v in cases.items() if not k.startswith("data/secret/")}
    return write_tree(root, {"problem.yaml": HEAD + yaml, **cases, **(files or {})})


def error_of(root: Path) -> str:
    with pytest.raises(ProblemError) as caught:
        load_package(root)
    return str(caught.value)


GROUPS = {
    "data/secret/a/1.in": "1\n",
    "data/secret/a/1.ans": "1\n",
    "data/secret/b/1.in": "2\n",
    "data/secret/b/1.ans": "2\n",
    "data/secret/b/2.in": "3\n",
    "data/secret/b/2.ans": "3\n",
}


# ---- problem.yaml --------------------------------------------------------------------


def test_a_2025_package_loads_with_its_version(tmp_path: Path) -> None:
    loaded = load_package(package(tmp_path))
    assert (loaded.version, loaded.kind, loaded.problem.title) == ("2025-09", "pass-fail", "Demo")


@pytest.mark.parametrize("key", ["name", "uuid"])
def test_name_and_uuid_are_required(tmp_path: Path, key: str) -> None:
    root = package(tmp_path)
    text = (root / "problem.yaml").read_text()
    (root / "problem.yaml").write_text("\n".join(x for x in text.splitlines() if key not in x))
    error = error_of(root)
    assert f"problem.yaml: {key}: required in problem_format_version 2025-09" in error


def test_an_unknown_key_is_a_warning_with_its_line(tmp_path: Path) -> None:
    [warning] = load_package(package(tmp_path, "source_url: https://example.com\n")).warnings
    assert "problem.yaml: line 4: source_url: unknown key" in warning


def test_a_legacy_key_that_would_change_verdicts_is_refused(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, "validator_flags: case_sensitive\n"))
    assert "problem.yaml: line 4: validator_flags: a legacy key" in error


def test_a_name_map_gives_the_english_title(tmp_path: Path) -> None:
    root = package(
        tmp_path, files={"problem.yaml": HEAD.replace("name: Demo", "name: {sv: Hej, en: Hello}")}
    )
    assert load_package(root).problem.title == "Hello"


def test_a_name_map_without_english_gives_the_first(tmp_path: Path) -> None:
    root = package(
        tmp_path, files={"problem.yaml": HEAD.replace("name: Demo", "name: {sv: Hej, da: Hej}")}
    )
    assert load_package(root).problem.title == "Hej"


@pytest.mark.parametrize("kind", ["scoring", "[scoring]"])
def test_type_scoring_as_text_or_sequence(tmp_path: Path, kind: str) -> None:
    assert load_package(package(tmp_path, f"type: {kind}\n")).kind == "scoring"


@pytest.mark.parametrize(
    "kind", ["multi-pass", "submit-answer", "[interactive, multi-pass]", "[scoring, submit-answer]"]
)
def test_other_problem_types_are_refused(tmp_path: Path, kind: str) -> None:
    error = error_of(package(tmp_path, f"type: {kind}\n"))
    assert "line 4: type" in error and "problems are not supported" in error


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("[pass-fail, scoring]", "pass-fail and scoring exclude each other"),
        ("[scoring, scoring]", "given twice"),
        ("[]", "expected a type or a non-empty sequence of types"),
        ("passfail", "expected one of pass-fail, scoring"),
    ],
)
def test_bad_types_are_errors(tmp_path: Path, kind: str, message: str) -> None:
    assert message in error_of(package(tmp_path, f"type: {kind}\n"))


def test_constants_are_refused(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, "constants: {max_n: 10}\n"))
    assert "line 4: constants: not supported" in error


def test_metadata_keys_are_read_and_ignored(tmp_path: Path) -> None:
    yaml = (
        "version: '1.0'\ncredits: Ann <ann@example.com>\nsource: NWERC\nlicense: cc0\n"
        "rights_owner: Ann\nembargo_until: 2030-01-01\nkeywords: [math]\n"
        "languages: [python3]\nallow_file_writing: true\n"
    )
    assert load_package(package(tmp_path, yaml)).problem.tests


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("include/default/lib.py", "include/: files added to submissions are not supported"),
        ("static_validator/check.py", "static_validator/: static validation is not supported"),
        ("output_validators/check.py", "output_validators/: the legacy validator folder"),
    ],
)
def test_folders_grader_cannot_honour_are_refused(
    tmp_path: Path, folder: str, message: str
) -> None:
    assert message in error_of(package(tmp_path, files={folder: "x = 1\n"}))


# ---- limits --------------------------------------------------------------------------


def test_memory_and_output_are_mib(tmp_path: Path) -> None:
    limits = load_package(package(tmp_path, "limits: {memory: 512, output: 16}\n")).problem.limits
    assert (limits.memory, limits.output) == (512 * MIB, 16 * MIB)


def test_a_given_time_limit_is_used(tmp_path: Path) -> None:
    loaded = load_package(package(tmp_path, "limits: {time_limit: 2.5}\n"))
    assert loaded.time.given == 2.5 and {c.limits.time for c in loaded.problem.tests} == {2.5}


def test_the_time_multipliers_default_to_2_and_1_5(tmp_path: Path) -> None:
    time = load_package(package(tmp_path)).time
    assert (time.given, time.multiplier, time.safety_margin, time.resolution) == (
        None,
        2.0,
        1.5,
        1.0,
    )


def test_time_multipliers_and_resolution_are_read(tmp_path: Path) -> None:
    yaml = (
        "limits:\n  time_multipliers: {ac_to_time_limit: 3, time_limit_to_tle: 2}\n"
        "  time_resolution: 0.5\n"
    )
    time = load_package(package(tmp_path, yaml)).time
    assert (time.multiplier, time.safety_margin, time.resolution) == (3.0, 2.0, 0.5)


def test_a_time_multiplier_below_1_is_an_error(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, "limits:\n  time_multipliers:\n    ac_to_time_limit: 0.5\n"))
    assert "line 6: limits.time_multipliers.ac_to_time_limit: expected a number >= 1" in error


def test_the_legacy_time_multiplier_is_a_warning(tmp_path: Path) -> None:
    [warning] = load_package(package(tmp_path, "limits: {time_multiplier: 5}\n")).warnings
    assert "limits.time_multiplier: unknown key" in warning


@pytest.mark.parametrize(
    ("slowest", "resolution", "limit"),
    [(0.1, 1.0, 1.0), (0.6, 1.0, 2.0), (0.1, 0.5, 0.5), (0.3, 0.5, 1.0), (0.26, 0.1, 0.6)],
)
def test_a_derived_limit_rounds_up_to_the_resolution(
    slowest: float, resolution: float, limit: float
) -> None:
    assert TimeLimit(None, "", 2.0, 1.5, resolution).derive(slowest) == limit


def test_other_limits_are_read_and_ignored(tmp_path: Path) -> None:
    yaml = (
        "limits: {code: 128, compilation_time: 60, validation_memory: 2048, validation_passes: 2}\n"
    )
    assert load_package(package(tmp_path, yaml)).problem.limits.memory == 1024 * MIB


# ---- test data -----------------------------------------------------------------------


def test_secret_groups_are_grader_groups(tmp_path: Path) -> None:
    problem = load_package(package(tmp_path, files=GROUPS)).problem
    assert [g.name for g in problem.groups] == ["sample", "secret/a", "secret/b"]
    assert [c.name for c in problem.tests] == ["sample/1", "secret/a/1", "secret/b/1", "secret/b/2"]


def test_folders_below_a_group_hold_more_of_its_cases(tmp_path: Path) -> None:
    files = {**GROUPS, "data/secret/b/more/3.in": "4\n", "data/secret/b/more/3.ans": "4\n"}
    problem = load_package(package(tmp_path, files=files)).problem
    assert {c.name: c.group for c in problem.tests}["secret/b/more/3"] == "secret/b"


def test_samples_are_visible_and_full_feedback_shows_a_group(tmp_path: Path) -> None:
    files = {**GROUPS, "data/secret/a/test_group.yaml": "full_feedback: true\n"}
    visible = {
        c.name: c.visible for c in load_package(package(tmp_path, files=files)).problem.tests
    }
    assert visible == {
        "sample/1": True,
        "secret/a/1": True,
        "secret/b/1": False,
        "secret/b/2": False,
    }


def test_a_case_yaml_can_hide_a_sample(tmp_path: Path) -> None:
    root = package(
        tmp_path, files={"data/sample/1.yaml": "full_feedback: false\ndescription: edge\n"}
    )
    assert not load_package(root).problem.tests[0].visible


def test_secret_holding_cases_and_groups_is_an_error(tmp_path: Path) -> None:
    files = {**GROUPS, "data/secret/1.in": "1\n", "data/secret/1.ans": "1\n"}
    assert "data/secret holds either cases or groups, not both" in error_of(
        package(tmp_path, files=files)
    )


def test_a_test_group_yaml_below_a_group_is_an_error(tmp_path: Path) -> None:
    files = {**GROUPS, "data/secret/b/more/3.in": "4\n", "data/secret/b/more/3.ans": "4\n"}
    files["data/secret/b/more/test_group.yaml"] = "full_feedback: true\n"
    error = error_of(package(tmp_path, files=files))
    assert "more/test_group.yaml: allowed only in data/sample, data/secret" in error


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("args: [--fast]\n", "line 1: args: arguments to submissions are not supported"),
        (
            "static_validation_score: 10\n",
            "static_validation_score: static validation is not supported",
        ),
        ("full_feedback: yes please\n", "line 1: full_feedback: expected true or false"),
        ("output_validator_args: case_sensitive\n", "expected a sequence of strings"),
        ("max_score: 10\n", "line 1: max_score: only scoring problems (type: scoring) take it"),
    ],
)
def test_bad_test_group_yaml_is_an_error(tmp_path: Path, text: str, message: str) -> None:
    error = error_of(package(tmp_path, files={"data/secret/test_group.yaml": text}))
    assert "data/secret/test_group.yaml" in error and message in error


def test_an_unknown_test_group_key_is_a_warning(tmp_path: Path) -> None:
    root = package(tmp_path, files={"data/secret/test_group.yaml": "on_reject: break\n"})
    [warning] = load_package(root).warnings
    assert "data/secret/test_group.yaml: line 1: on_reject: unknown key" in warning


def test_a_case_yaml_with_args_is_refused(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, files={"data/secret/1.yaml": "args: [x]\n"}))
    assert "data/secret/1.yaml: line 1: args: arguments to submissions are not supported" in error


def test_input_files_are_refused(tmp_path: Path) -> None:
    error = error_of(package(tmp_path, files={"data/secret/1.files/extra.txt": "x\n"}))
    assert "1.files: input files (x.files) are not supported" in error


# ---- scoring -------------------------------------------------------------------------


def scoring(tmp_path: Path, secret: str, a: str, b: str) -> Path:
    files = dict(GROUPS)
    for name, text in (("secret", secret), ("secret/a", a), ("secret/b", b)):
        if text:
            files[f"data/{name}/test_group.yaml"] = text
    return package(tmp_path, "type: scoring\n", files)


def test_scoring_groups_are_worth_their_max_score(tmp_path: Path) -> None:
    root = scoring(tmp_path, "", "max_score: 30\n", "max_score: 70\nscore_aggregation: sum\n")
    problem = load_package(root).problem
    groups = {g.name: (g.aggregation, g.points) for g in problem.groups}
    assert groups == {
        "sample": (Aggregation.SUM, 0.0),
        "secret/a": (Aggregation.MIN, 30.0),  # pass-fail: all or nothing
        "secret/b": (Aggregation.SUM, 70.0),
    }
    assert problem.max_points == 100


def test_a_scoring_submission_earns_what_the_format_says(tmp_path: Path) -> None:
    root = scoring(tmp_path, "", "max_score: 30\n", "max_score: 70\nscore_aggregation: sum\n")
    problem = load_package(root).problem
    sandbox = FakeSandbox(lambda spec, _: ok_run(b"0\n" if spec.stdin == b"3\n" else spec.stdin))
    files = (ProgramFile("s.py", b"print()"),)
    submission = Submission("s", root / "s.py", load_languages().get("python"), files, "s.py")
    result = Judge(sandbox, problem, {"python": "t"}).judge(submission)
    # sample worth nothing; secret/a all 30; secret/b sum: one case of two passed
    assert [(g.name, g.points) for g in result.groups] == [
        ("sample", 0.0),
        ("secret/a", 30.0),
        ("secret/b", 35.0),
    ]
    assert (result.points, result.max_points) == (65.0, 100.0)


def test_require_pass_becomes_group_requires(tmp_path: Path) -> None:
    root = scoring(
        tmp_path, "", "max_score: 30\n", "max_score: 70\nrequire_pass: [sample, secret/a]\n"
    )
    groups = {g.name: g for g in load_package(root).problem.groups}
    assert groups["secret/b"].requires == ("sample", "secret/a")


def test_require_pass_of_a_later_group_is_an_error(tmp_path: Path) -> None:
    root = scoring(tmp_path, "", "max_score: 30\nrequire_pass: secret/b\n", "max_score: 70\n")
    error = error_of(root)
    assert "secret/a/test_group.yaml: require_pass: 'secret/b' is not an earlier group" in error


def test_secret_with_cases_is_one_scoring_group(tmp_path: Path) -> None:
    root = package(tmp_path, "type: scoring\n", {"data/sample/test_group.yaml": ""})
    group = {g.name: g for g in load_package(root).problem.groups}["secret"]
    assert (group.aggregation, group.points) == (Aggregation.SUM, 100.0)


@pytest.mark.parametrize(
    ("secret", "a", "message"),
    [
        ("", "score_aggregation: min\n", "secret/a/test_group.yaml: max_score: required"),
        ("", "max_score: unbounded\n", "line 1: max_score: unbounded scores are not supported"),
        ("", "max_score: -1\n", "expected an integer >= 0"),
        ("", "max_score: 30\nscore_aggregation: max\n", "expected pass-fail, sum or min"),
        ("score_aggregation: min\n", "max_score: 30\n", "only sum over test data groups"),
        ("require_pass: sample\n", "max_score: 30\n", "not supported on a secret of test data"),
        ("max_score: 50\n", "max_score: 30\n", "max_score add up to 100, above secret's 50"),
    ],
)
def test_unsupported_scoring_is_an_error(tmp_path: Path, secret: str, a: str, message: str) -> None:
    assert message in error_of(scoring(tmp_path, secret, a, "max_score: 70\n"))


def test_scoring_keys_in_sample_are_errors(tmp_path: Path) -> None:
    root = package(tmp_path, "type: scoring\n", {"data/sample/test_group.yaml": "max_score: 5\n"})
    assert "sample/test_group.yaml: line 1: max_score: not permitted in data/sample" in error_of(
        root
    )


# ---- output validator ----------------------------------------------------------------


def flags(tmp_path: Path, args: str) -> tuple[str, dict[str, object]]:
    files = {
        f"data/{top}/test_group.yaml": f"output_validator_args: {args}\n"
        for top in ("sample", "secret")
    }
    spec = load_package(package(tmp_path, files=files)).problem.checker
    return spec.name, dict(spec.options)


def test_without_args_the_default_validator_is_case_insensitive_tokens(tmp_path: Path) -> None:
    spec = load_package(package(tmp_path)).problem.checker
    assert (spec.name, dict(spec.options)) == ("tokens", {"case_sensitive": False})


def test_output_validator_args_are_default_validator_flags(tmp_path: Path) -> None:
    name, options = flags(tmp_path, "[case_sensitive, float_tolerance, '1e-6']")
    assert (name, options) == ("tokens", {"case_sensitive": True, "float_tolerance": 1e-6})


def test_space_change_sensitive_is_exact(tmp_path: Path) -> None:
    assert flags(tmp_path, "[space_change_sensitive, case_sensitive]")[0] == "exact"


def test_a_bad_flag_names_the_test_group_yaml_and_line(tmp_path: Path) -> None:
    files = {
        f"data/{top}/test_group.yaml": "\noutput_validator_args: [case_sensitiv]\n"
        for top in ("sample", "secret")
    }
    error = error_of(package(tmp_path, files=files))
    assert "test_group.yaml: line 2: output_validator_args: unknown flag 'case_sensitiv'" in error


def test_validator_args_inherit_from_secret_into_its_groups(tmp_path: Path) -> None:
    files = {**GROUPS, "data/sample/test_group.yaml": "output_validator_args: [case_sensitive]\n"}
    files["data/secret/test_group.yaml"] = "output_validator_args: [case_sensitive]\n"
    assert (
        load_package(package(tmp_path, files=files)).problem.checker.options["case_sensitive"]
        is True
    )


def test_validator_args_differing_between_cases_are_refused(tmp_path: Path) -> None:
    files = {"data/secret/test_group.yaml": "output_validator_args: [case_sensitive]\n"}
    error = error_of(package(tmp_path, files=files))
    assert (
        "secret/test_group.yaml: line 1: output_validator_args: output_validator_args differ"
        in error
    )
    assert "sample/1 has [], secret/1 has ['case_sensitive']" in error


def test_an_output_validator_program_is_a_kattis_checker(tmp_path: Path) -> None:
    files = {"output_validator/check.py": "import sys\nsys.exit(42)\n"}
    files |= {
        f"data/{top}/test_group.yaml": "output_validator_args: [--strict]\n"
        for top in ("sample", "secret")
    }
    spec = load_package(package(tmp_path, files=files)).problem.checker
    assert spec.program is not None and spec.program.convention is Convention.KATTIS
    assert (spec.name, spec.program.args) == ("output_validator/check.py (kattis)", ("--strict",))


def test_an_output_validator_folder_needs_an_entry_point(tmp_path: Path) -> None:
    files = {"output_validator/a.py": "x = 1\n", "output_validator/b.py": "x = 2\n"}
    error = error_of(package(tmp_path, files=files))
    assert "output_validator/: output_validator: several Python 3 files and no entry point" in error


def test_an_output_validator_on_a_scoring_problem_is_refused(tmp_path: Path) -> None:
    root = package(tmp_path, "type: scoring\n", {"output_validator/check.py": "x = 1\n"})
    assert "output_validator/: a validator on a scoring problem is not supported" in error_of(root)


# ---- the bundled example ---------------------------------------------------------------


def test_the_bundled_example_loads() -> None:
    loaded = load_package(EXAMPLE)
    assert loaded.version == "2025-09" and loaded.problem.title == "Any Divisor"
    assert [g.name for g in loaded.problem.groups] == ["sample", "secret/1-small", "secret/2-large"]
    assert loaded.problem.checker.name == "output_validator/validate.py (kattis)"
    assert loaded.time.given is None  # derived by grader verify / run


def test_grader_check_names_the_format_version() -> None:
    result = CliRunner().invoke(cli, ["check", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "kattis-2025: Kattis 2025-09 package (pass-fail), 10 cases, 3 groups" in result.output
