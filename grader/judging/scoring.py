"""A submission's points from its case results and the problem's groups.

Every case earns ``CaseResult.points`` (all of a case's points for AC; a checker program
may award a fraction). A group turns its cases into a share of its points: ``sum`` takes
the share of the cases' points earned, ``min`` the smallest share any one case earned (all
or nothing when cases pass or fail). A group earns nothing unless every group it
``requires`` passed; groups are scored in dependency order, so a failure propagates. Cases
in no group add their points as they are. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from grader.model import Aggregation, CaseResult, Group, GroupResult, Problem, Verdict

__all__ = ["dependency_order", "first_failure", "overall", "score"]

_EPSILON = 1e-9


def score(problem: Problem, cases: Sequence[CaseResult]) -> tuple[float, tuple[GroupResult, ...]]:
    """The points ``cases`` earn on ``problem``, and each group's result (in the order
    the problem lists its groups)."""
    by_group: dict[str, list[CaseResult]] = {group.name: [] for group in problem.groups}
    loose = 0.0
    for case, result in zip(problem.tests, cases, strict=True):
        if case.group in by_group:
            by_group[case.group].append(result)
        else:
            loose += result.points
    results: dict[str, GroupResult] = {}
    for group in dependency_order(problem.groups):
        maximum = problem.group_max_points(group)
        results[group.name] = _group(group, by_group[group.name], maximum, results)
    ordered = tuple(results[group.name] for group in problem.groups)
    return _round(loose + sum(result.points for result in ordered)), ordered


def first_failure(cases: Sequence[CaseResult]) -> Verdict | None:
    """The first verdict, in order, that is neither AC nor SKIPPED; None if there is none."""
    return next((c.verdict for c in cases if c.verdict not in (Verdict.AC, Verdict.SKIPPED)), None)


def overall(cases: Sequence[CaseResult]) -> tuple[Verdict, float]:
    """A submission's verdict (its first failure, else AC) and its cases' points summed;
    with groups, ``score`` decides the points."""
    points = sum(case.points for case in cases)
    failed = first_failure(cases)
    return (Verdict.AC if failed is None else failed), points


def dependency_order(groups: Sequence[Group]) -> list[Group]:
    """``groups`` with every group after those it requires (they must form no cycle)."""
    by_name = {group.name: group for group in groups}
    ordered: list[Group] = []
    placed: set[str] = set()

    def place(group: Group) -> None:
        if group.name in placed:
            return
        placed.add(group.name)
        for name in group.requires:
            place(by_name[name])
        ordered.append(group)

    for group in groups:
        place(group)
    return ordered


def _group(
    group: Group,
    cases: Sequence[CaseResult],
    maximum: float,
    earlier: Mapping[str, GroupResult],
) -> GroupResult:
    verdict = _verdict(cases)
    points = _round(maximum * _share(group.aggregation, cases))
    complete = verdict is Verdict.AC and points >= maximum - _EPSILON
    failed = [name for name in group.requires if not earlier[name].passed]
    if failed:
        message = f"requires {', '.join(failed)}, which did not pass"
        return GroupResult(group.name, verdict, 0.0, maximum, False, message)
    return GroupResult(group.name, verdict, points, maximum, complete)


def _verdict(cases: Sequence[CaseResult]) -> Verdict:
    """The first failure, as for a submission; else SKIPPED if a case was not run, else AC
    (SKIPPED too when none ran)."""
    failed = first_failure(cases)
    if failed is not None:
        return failed
    return Verdict.SKIPPED if any(c.verdict is Verdict.SKIPPED for c in cases) else Verdict.AC


def _share(aggregation: Aggregation, cases: Sequence[CaseResult]) -> float:
    """The share of the group's points ``cases`` earned, 0..1."""
    if not cases:
        return 0.0
    if aggregation is Aggregation.MIN:
        return min(_case_share(case) for case in cases)
    possible = sum(case.max_points for case in cases)
    if possible <= 0:
        return 1.0 if all(case.verdict is Verdict.AC for case in cases) else 0.0
    return min(1.0, sum(case.points for case in cases) / possible)


def _case_share(case: CaseResult) -> float:
    if case.max_points <= 0:
        return 1.0 if case.verdict is Verdict.AC else 0.0
    return min(1.0, case.points / case.max_points)


def _round(value: float) -> float:
    """Points without float noise (0.1 + 0.2 is 0.3 here)."""
    return round(value, 9) + 0.0
