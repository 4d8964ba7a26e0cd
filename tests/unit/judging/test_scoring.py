"""Groups turn case results into points: sum and min aggregation, partial credit, required
groups, cases in no group; and the judge reports each group's result."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from grader.judging.judge import Judge
from grader.judging.scoring import dependency_order, score
from grader.model import (
    Aggregation,
    CaseResult,
    CheckerSpec,
    Group,
    Limits,
    Problem,
    ProgramFile,
    RunResult,
    Submission,
    TestCase,
    Verdict,
)
from grader.sandbox.base import RunSpec
from grader.sandbox.fake import FakeSandbox, ok_run
from grader.submissions.languages import load_languages

AC, WA, TLE, SKIPPED = Verdict.AC, Verdict.WA, Verdict.TLE, Verdict.SKIPPED


def problem(cases: Sequence[tuple[str, str, float]], *groups: Group) -> Problem:
    """Cases as (name, group, points)."""
    tests = tuple(
        TestCase(name, name.encode(), name.encode(), Limits(), points, group=group)
        for name, group, points in cases
    )
    return Problem("p", "P", Path("."), Limits(), CheckerSpec(), tests, groups=groups)


def result(name: str, verdict: Verdict, points: float, max_points: float = 1.0) -> CaseResult:
    return CaseResult(name, verdict, points, max_points)


SUBTASKS = problem(
    [("s1", "sample", 1), ("a1", "small", 1), ("a2", "small", 1), ("b1", "large", 1)],
    Group("sample", points=0.0, visible=True),
    Group("small", Aggregation.MIN, 30.0, requires=("sample",)),
    Group("large", Aggregation.MIN, 70.0, requires=("small",)),
)


def test_sum_adds_up_the_cases_points() -> None:
    p = problem([("a", "g", 2), ("b", "g", 3)], Group("g"))
    points, groups = score(p, [result("a", AC, 2, 2), result("b", WA, 0, 3)])
    assert points == 2.0 and groups[0].points == 2.0 and groups[0].max_points == 5.0


def test_sum_with_group_points_scales_the_share_earned() -> None:
    p = problem([("a", "g", 1), ("b", "g", 1), ("c", "g", 2)], Group("g", points=20.0))
    points, _ = score(p, [result("a", AC, 1), result("b", WA, 0), result("c", AC, 2, 2)])
    assert points == 15.0  # 3 of 4 case points -> 3/4 of 20


def test_min_is_all_or_nothing_for_pass_fail_cases() -> None:
    p = problem([("a", "g", 1), ("b", "g", 1)], Group("g", Aggregation.MIN, 10.0))
    assert score(p, [result("a", AC, 1), result("b", AC, 1)])[0] == 10.0
    assert score(p, [result("a", AC, 1), result("b", WA, 0)])[0] == 0.0


def test_min_uses_the_smallest_partial_credit() -> None:
    p = problem([("a", "g", 1), ("b", "g", 2)], Group("g", Aggregation.MIN, 10.0))
    points, groups = score(p, [result("a", WA, 0.5), result("b", WA, 1.5, 2)])
    assert points == 5.0 and not groups[0].passed  # min(0.5, 0.75) x 10


def test_sum_uses_partial_credit() -> None:
    p = problem([("a", "g", 1), ("b", "g", 1)], Group("g", points=10.0))
    assert score(p, [result("a", WA, 0.25), result("b", AC, 1)])[0] == 6.25


def test_min_without_group_points_is_worth_its_cases_points() -> None:
    p = problem([("a", "g", 2), ("b", "g", 2)], Group("g", Aggregation.MIN))
    assert p.max_points == 4.0
    assert score(p, [result("a", AC, 2, 2), result("b", AC, 2, 2)])[0] == 4.0


def test_a_group_passes_only_with_every_case_ac_and_every_point() -> None:
    p = problem([("a", "g", 1), ("b", "g", 1)], Group("g"))
    _, passed = score(p, [result("a", AC, 1), result("b", AC, 1)])
    _, partial = score(p, [result("a", AC, 1), result("b", WA, 0.9)])
    assert passed[0].passed and passed[0].verdict is AC
    assert not partial[0].passed and partial[0].verdict is WA


def test_a_zero_point_group_passes_when_its_cases_pass() -> None:
    _, groups = score(
        SUBTASKS, [result("s1", AC, 1)] + [result(n, AC, 1) for n in ["a1", "a2", "b1"]]
    )
    assert groups[0].passed and groups[0].points == 0.0


def test_all_groups_passing_earn_every_point() -> None:
    cases = [result(name, AC, 1) for name in ("s1", "a1", "a2", "b1")]
    points, groups = score(SUBTASKS, cases)
    assert points == 100.0 == SUBTASKS.max_points
    assert [g.points for g in groups] == [0.0, 30.0, 70.0]


def test_a_failed_requirement_withholds_the_group_and_says_why() -> None:
    cases = [result("s1", AC, 1), result("a1", AC, 1), result("a2", WA, 0), result("b1", AC, 1)]
    points, groups = score(SUBTASKS, cases)
    large = groups[2]
    assert points == 0.0
    assert large.verdict is AC and large.points == 0.0 and not large.passed
    assert large.message == "requires small, which did not pass"


def test_a_failed_requirement_propagates_down_the_chain() -> None:
    cases = [result("s1", WA, 0), result("a1", AC, 1), result("a2", AC, 1), result("b1", AC, 1)]
    _, groups = score(SUBTASKS, cases)
    assert [g.points for g in groups] == [0.0, 0.0, 0.0]
    assert "requires sample" in groups[1].message and "requires small" in groups[2].message


def test_requirements_are_scored_first_whatever_the_listed_order() -> None:
    p = problem(
        [("b", "late", 1), ("a", "early", 1)],
        Group("late", points=5.0, requires=("early",)),
        Group("early", points=5.0),
    )
    assert [g.name for g in dependency_order(p.groups)] == ["early", "late"]
    points, groups = score(p, [result("b", AC, 1), result("a", WA, 0)])
    assert points == 0.0 and [g.name for g in groups] == ["late", "early"]


def test_cases_in_no_group_count_as_they_are() -> None:
    p = problem([("a", "g", 1), ("loose", "", 4)], Group("g", points=10.0))
    assert p.max_points == 14.0
    assert score(p, [result("a", WA, 0), result("loose", AC, 4, 4)])[0] == 4.0


def test_without_groups_points_are_the_cases_sum() -> None:
    p = problem([("a", "", 1), ("b", "", 2)])
    points, groups = score(p, [result("a", AC, 1), result("b", WA, 0.5, 2)])
    assert (points, groups) == (1.5, ())


def test_a_group_of_cases_not_run_is_skipped() -> None:
    cases = [result(name, SKIPPED, 0) for name in ("s1", "a1", "a2", "b1")]
    _, groups = score(SUBTASKS, cases)
    assert {g.verdict for g in groups} == {SKIPPED}


def test_points_carry_no_float_noise() -> None:
    p = problem([(f"c{i}", "g", 0.1) for i in range(3)], Group("g"))
    assert score(p, [result(f"c{i}", AC, 0.1, 0.1) for i in range(3)])[0] == 0.3


# ---- through the judge ---------------------------------------------------------------

PYTHON = load_languages().get("python")


def answer(wrong: set[str]) -> object:
    def script(spec: RunSpec, program: Sequence[ProgramFile]) -> RunResult:
        name = spec.stdin.decode()
        if name == "b1":
            return ok_run(b"", cpu_time=2.0, killed_by=None)  # over the 1 s limit: TLE
        return ok_run(b"wrong" if name in wrong else spec.stdin)

    return script


def judged(wrong: set[str]) -> tuple[Verdict, float, list[float]]:
    judge = Judge(FakeSandbox(answer(wrong)), SUBTASKS, {"python": "t"})  # type: ignore[arg-type]
    files = (ProgramFile("a.py", b""),)
    res = judge.judge(Submission("a", Path("a.py"), PYTHON, files, "a.py"))
    return res.verdict, res.points, [g.points for g in res.groups]


@pytest.mark.parametrize(
    ("wrong", "verdict", "points", "groups"),
    [
        (set(), TLE, 30.0, [0.0, 30.0, 0.0]),  # large times out
        ({"a2"}, WA, 0.0, [0.0, 0.0, 0.0]),  # small fails: large would be withheld too
    ],
)
def test_the_judge_scores_by_groups(
    wrong: set[str], verdict: Verdict, points: float, groups: list[float]
) -> None:
    assert judged(wrong) == (verdict, points, groups)


def test_a_submission_that_cannot_run_still_lists_its_groups() -> None:
    judge = Judge(FakeSandbox(answer(set())), SUBTASKS, {"python": "t"})  # type: ignore[arg-type]
    res = judge.judge(Submission("a", Path("a.rb"), None, (), reason="unsupported"))
    assert res.verdict is Verdict.CE and [g.name for g in res.groups] == [
        "sample",
        "small",
        "large",
    ]
    assert res.max_points == 100.0 and res.points == 0.0
