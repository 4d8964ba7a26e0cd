"""A problem set's results: one ``Report`` per problem, and the scoreboard they make.

A participant *solves* a problem when their submission's verdict is AC; their *points* on
it are the submission's points (groups and partial credit included), and their total is
the sum over problems. Ranking ``solved`` orders by problems solved, then total points;
``score`` by total points, then problems solved. Equal participants share a rank (1, 1, 3)
and are listed by name. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.model import Report, SubmissionResult, Verdict

__all__ = ["ContestReport", "Standing", "standings"]


@dataclass(frozen=True)
class ContestReport:
    name: str
    title: str
    keys: tuple[str, ...]  # the problems' keys (folder names), in scoreboard order
    reports: tuple[Report, ...]  # one per problem, in the same order
    started_at: str
    finished_at: str
    ranking: str = "solved"
    complete: bool = True
    student: bool = False

    @property
    def participants(self) -> tuple[str, ...]:
        return tuple(sorted({r.id for report in self.reports for r in report.submissions}))

    @property
    def max_points(self) -> float:
        return sum(report.problem.max_points for report in self.reports)


@dataclass(frozen=True)
class Standing:
    """One participant's row: their result on each problem (None: no submission)."""

    rank: int
    participant: str
    solved: int
    points: float
    results: tuple[SubmissionResult | None, ...]


def standings(contest: ContestReport) -> tuple[Standing, ...]:
    """The scoreboard, best first."""
    by_problem = [{r.id: r for r in report.submissions} for report in contest.reports]
    rows = [
        _row(name, [results.get(name) for results in by_problem]) for name in contest.participants
    ]
    rows.sort(key=lambda row: (*_merit(row, contest.ranking), row.participant))
    ranked: list[Standing] = []
    for index, row in enumerate(rows):
        tied = ranked and _merit(ranked[-1], contest.ranking) == _merit(row, contest.ranking)
        rank = ranked[-1].rank if tied else index + 1
        ranked.append(Standing(rank, row.participant, row.solved, row.points, row.results))
    return tuple(ranked)


def _row(participant: str, results: list[SubmissionResult | None]) -> Standing:
    solved = sum(1 for r in results if r is not None and r.verdict is Verdict.AC)
    points = round(sum(r.points for r in results if r is not None), 9)
    return Standing(0, participant, solved, points, tuple(results))


def _merit(row: Standing, ranking: str) -> tuple[float, float]:
    """Sort key, smaller is better."""
    if ranking == "score":
        return (-row.points, -row.solved)
    return (-row.solved, -row.points)
