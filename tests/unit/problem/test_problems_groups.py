"""problem.yaml groups (subtasks) and visibility: what loads, and a clear error (file, line,
key) for each bad definition."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import ROOT

from grader.errors import ProblemError
from grader.model import Aggregation
from grader.problem.grader_format import load_problem

GROUPED = """\
name: demo
groups:
  sample: {visible: true, points: 0}
  small:
    aggregation: min
    points: 30
    requires: [sample]
  large:
    aggregation: min
    points: 70
    requires: small
tests:
  - {name: s1, group: sample, stdin: "1", expected_output: "1"}
  - {name: a1, group: small, stdin: "1", expected_output: "1"}
  - {name: b1, group: large, stdin: "1", expected_output: "1", visible: true}
  - {name: loose, stdin: "1", expected_output: "1", points: 5}
"""


def load(tmp_path: Path, text: str) -> object:
    (tmp_path / "problem.yaml").write_text(text)
    return load_problem(tmp_path)


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ProblemError) as caught:
        load(tmp_path, text)
    return str(caught.value)


def test_groups_load_in_order_with_their_settings(tmp_path: Path) -> None:
    problem = load_problem(_write(tmp_path, GROUPED))
    sample, small, large = problem.groups
    assert [g.name for g in problem.groups] == ["sample", "small", "large"]
    assert (sample.points, sample.visible, sample.aggregation) == (0.0, True, Aggregation.SUM)
    assert (small.aggregation, small.points, small.requires) == (Aggregation.MIN, 30.0, ("sample",))
    assert large.requires == ("small",)  # a single name is a list of one


def test_cases_name_their_group(tmp_path: Path) -> None:
    problem = load_problem(_write(tmp_path, GROUPED))
    assert [case.group for case in problem.tests] == ["sample", "small", "large", ""]


def test_max_points_come_from_groups_and_loose_cases(tmp_path: Path) -> None:
    assert load_problem(_write(tmp_path, GROUPED)).max_points == 105.0


def test_a_case_is_visible_through_its_group_or_by_itself(tmp_path: Path) -> None:
    problem = load_problem(_write(tmp_path, GROUPED))
    assert [case.visible for case in problem.tests] == [True, False, True, False]


def test_cases_are_hidden_unless_marked(tmp_path: Path) -> None:
    text = 'tests:\n  - {stdin: "1", expected_output: "1"}\n'
    assert load_problem(_write(tmp_path, text)).tests[0].visible is False


def test_a_group_with_no_settings_is_a_sum_of_its_cases(tmp_path: Path) -> None:
    text = 'groups:\n  all:\ntests:\n  - {group: all, expected_output: "1", points: 3}\n'
    problem = load_problem(_write(tmp_path, text))
    assert problem.groups[0].aggregation is Aggregation.SUM and problem.max_points == 3.0


def test_the_bundled_subtask_problem_loads() -> None:
    problem = load_problem(ROOT / "problems" / "contest" / "squares")
    assert [g.name for g in problem.groups] == ["sample", "small", "large"]
    assert problem.max_points == 100.0


def test_an_unknown_group_suggests_the_closest(tmp_path: Path) -> None:
    error = error_of(tmp_path, GROUPED.replace("group: small,", "group: smal,"))
    assert "tests[2].group" in error and "line 14" in error
    assert "unknown group 'smal'; did you mean 'small'?" in error


def test_a_group_without_a_groups_mapping_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, 'tests:\n  - {group: x, expected_output: "1"}\n')
    assert "unknown group 'x'" in error and "groups:" in error


def test_an_unknown_required_group_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, GROUPED.replace("requires: [sample]", "requires: [samples]"))
    assert "groups.small.requires" in error and "line 7" in error
    assert "unknown group 'samples'; did you mean 'sample'?" in error


def test_a_cycle_of_requirements_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, GROUPED.replace("requires: [sample]", "requires: [large]"))
    assert "cycle: small -> large -> small" in error and "groups.small.requires" in error


def test_a_group_requiring_itself_is_a_cycle(tmp_path: Path) -> None:
    error = error_of(tmp_path, GROUPED.replace("requires: small", "requires: large"))
    assert "cycle: large -> large" in error


def test_an_unknown_aggregation_is_an_error(tmp_path: Path) -> None:
    error = error_of(
        tmp_path,
        GROUPED.replace("aggregation: min\n    points: 30", "aggregation: max\n    points: 30"),
    )
    assert "groups.small.aggregation" in error and "expected sum or min; got 'max'" in error


def test_an_unknown_group_key_suggests_the_closest(tmp_path: Path) -> None:
    error = error_of(tmp_path, GROUPED.replace("points: 30", "point: 30"))
    assert "groups.small.point" in error and "did you mean 'points'" in error


def test_negative_group_points_are_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, GROUPED.replace("points: 30", "points: -30"))
    assert "groups.small.points" in error and "expected a number >= 0" in error


def test_a_group_without_cases_is_an_error(tmp_path: Path) -> None:
    error = error_of(tmp_path, GROUPED.replace("  large:\n", "  extra: {}\n  large:\n"))
    assert "groups.extra" in error and "no case is in this group" in error


def test_visible_must_be_true_or_false(tmp_path: Path) -> None:
    error = error_of(tmp_path, GROUPED.replace("visible: true}", "visible: yes please}"))
    assert "tests[3].visible" in error and "expected true or false" in error


def test_requires_must_name_groups(tmp_path: Path) -> None:
    error = error_of(tmp_path, GROUPED.replace("requires: [sample]", "requires: {a: 1}"))
    assert "groups.small.requires" in error and "group name or a list" in error


def test_groups_must_be_a_mapping(tmp_path: Path) -> None:
    text = 'groups: [a, b]\ntests:\n  - {expected_output: "1"}\n'
    assert "groups" in error_of(tmp_path, text) and "expected a mapping" in error_of(tmp_path, text)


def _write(folder: Path, text: str) -> Path:
    (folder / "problem.yaml").write_text(text)
    return folder
