"""Problem sets: detection, contest.yaml, matching submissions in both layouts, the
scoreboard's ranking, its JSON (with schema), HTML and CSV, the files written and the CLI's
exit statuses. No Docker: grading is replaced by hand-built reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from paths import ROOT

from grader.cli import cli
from grader.cli import contest as contest_module
from grader.errors import ExitCode, NoSubmissionsError, ProblemError, UsageError
from grader.model import CheckerSpec, Limits, Problem, Report, SubmissionResult, TestCase, Verdict
from grader.problem.contest import is_contest, load_contest, match_submissions
from grader.report.exit_status import contest_exit_status
from grader.report.scoreboard import (
    render_scoreboard_csv,
    render_scoreboard_html,
    scoreboard_lines,
    scoreboard_schema,
    scoreboard_to_dict,
    write_contest_reports,
)
from grader.report.standings import ContestReport, standings
from grader.submissions.languages import load_languages

BUNDLED = ROOT / "problems" / "contest"
PROBLEM = 'tests:\n  - {stdin: "1", expected_output: "1"}\n'


def contest_folder(tmp_path: Path, *names: str, yaml: str | None = None) -> Path:
    root = tmp_path / "set"
    for name in names:
        (root / name).mkdir(parents=True)
        (root / name / "problem.yaml").write_text(PROBLEM)
    if yaml is not None:
        (root / "contest.yaml").write_text(yaml)
    return root


def files(root: Path, *paths: str) -> Path:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("print(1)\n")
    return root


# ---- detection and contest.yaml ------------------------------------------------------


def test_a_folder_of_problem_folders_is_a_contest(tmp_path: Path) -> None:
    assert is_contest(contest_folder(tmp_path, "a", "b"))


def test_a_problem_folder_is_not_a_contest() -> None:
    assert not is_contest(ROOT / "problems" / "sum")
    assert not is_contest(BUNDLED / "circle")


def test_a_contest_yaml_makes_a_contest(tmp_path: Path) -> None:
    assert is_contest(contest_folder(tmp_path, "a", yaml="name: x\n"))


def test_problems_default_to_the_sorted_sub_folders(tmp_path: Path) -> None:
    contest = load_contest(contest_folder(tmp_path, "b", "a"))
    assert contest.keys == ("a", "b") and contest.name == "set" and contest.ranking == "solved"


def test_contest_yaml_orders_problems(tmp_path: Path) -> None:
    root = contest_folder(tmp_path, "a", "b", yaml="title: T\nproblems: [b, a]\nranking: score\n")
    contest = load_contest(root)
    assert (contest.keys, contest.title, contest.ranking) == (("b", "a"), "T", "score")


def test_the_bundled_contest_mixes_packages_and_grader_problems() -> None:
    contest = load_contest(BUNDLED)
    assert contest.keys == ("circle", "squares", "twosum")
    assert [p.package is not None for p in contest.problems] == [True, False, True]


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("problems: [a, nope]\n", "'nope' is not a problem folder"),
        ("problems: [a, a]\n", "listed twice"),
        ("problems: a\n", "expected a non-empty list"),
        ("ranking: fastest\n", "expected solved or score"),
        ("problem: [a]\n", "did you mean 'problems'"),
    ],
)
def test_contest_yaml_mistakes_name_file_and_key(tmp_path: Path, yaml: str, message: str) -> None:
    with pytest.raises(ProblemError) as caught:
        load_contest(contest_folder(tmp_path, "a", yaml=yaml))
    assert "contest.yaml" in str(caught.value) and message in str(caught.value)


def test_a_broken_problem_stops_the_contest_with_its_own_error(tmp_path: Path) -> None:
    root = contest_folder(tmp_path, "a")
    (root / "a" / "problem.yaml").write_text("tests: []\n")
    with pytest.raises(ProblemError, match="non-empty list"):
        load_contest(root)


# ---- matching submissions ------------------------------------------------------------


def matched(tmp_path: Path, *paths: str) -> tuple[dict[str, list[str]], list[str]]:
    contest = load_contest(contest_folder(tmp_path, "hello", "sums"))
    logged: list[str] = []
    found = match_submissions(
        contest, files(tmp_path / "subs", *paths), load_languages(), log=logged.append
    )
    return {key: [s.id for s in subs] for key, subs in found.items()}, logged


def test_participant_folders_hold_one_file_per_problem(tmp_path: Path) -> None:
    found, logged = matched(tmp_path, "alice/hello.py", "alice/sums.py", "bob/sums.py")
    assert found == {"hello": ["alice"], "sums": ["alice", "bob"]} and logged == []


def test_problem_folders_hold_one_file_per_participant(tmp_path: Path) -> None:
    found, _ = matched(tmp_path, "hello/alice.py", "hello/bob.py", "sums/bob.py")
    assert found == {"hello": ["alice", "bob"], "sums": ["bob"]}


def test_a_folder_submission_with_an_entry_point_is_one(tmp_path: Path) -> None:
    found, _ = matched(tmp_path, "alice/hello/main.py", "alice/hello/util.py")
    assert found["hello"] == ["alice"]


def test_a_folder_submission_without_entry_point_is_ce(tmp_path: Path) -> None:
    contest = load_contest(contest_folder(tmp_path, "hello"))
    subs = files(tmp_path / "subs", "alice/hello/a.py", "alice/hello/b.py")
    found = match_submissions(contest, subs, load_languages())
    assert "entry point" in found["hello"][0].reason


def test_what_matches_no_problem_is_left_out_and_said(tmp_path: Path) -> None:
    found, logged = matched(tmp_path, "alice/hello.py", "alice/helo.py", "notes.txt")
    assert found["hello"] == ["alice"]
    assert any("no problem named 'helo'" in line for line in logged)
    assert any("notes.txt" in line for line in logged)


def test_a_second_submission_for_one_problem_is_left_out(tmp_path: Path) -> None:
    found, logged = matched(tmp_path, "alice/hello.c", "alice/hello.py")
    assert found["hello"] == ["alice"] and any("already has" in line for line in logged)


def test_no_matching_submissions_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NoSubmissionsError):
        matched(tmp_path, "alice/other.py")


def test_a_submissions_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    contest = load_contest(contest_folder(tmp_path, "hello"))
    with pytest.raises(UsageError, match="no such folder"):
        match_submissions(contest, tmp_path / "typo", load_languages())


# ---- standings -----------------------------------------------------------------------


def result(
    participant: str, verdict: Verdict, points: float, max_points: float
) -> SubmissionResult:
    return SubmissionResult(participant, "python", verdict, points, max_points, ())


def problem_report(name: str, max_points: float, *results: SubmissionResult) -> Report:
    case = TestCase("c", b"", b"", Limits(), max_points)
    problem = Problem(name, name.title(), Path(name), Limits(), CheckerSpec(), (case,))
    return Report(problem, results, "2025-01-01T00:00:00+00:00", "2025-01-01T00:01:00+00:00")


def contest_report(ranking: str = "solved", **extra: Any) -> ContestReport:
    a = problem_report(
        "a",
        10,
        result("ann", Verdict.AC, 10, 10),
        result("ben", Verdict.WA, 9, 10),
        result("cat", Verdict.AC, 10, 10),
    )
    b = problem_report(
        "b", 100, result("ben", Verdict.TLE, 60, 100), result("cat", Verdict.WA, 0, 100)
    )
    return ContestReport("set", "Set", ("a", "b"), (a, b), "s", "f", ranking, **extra)


def test_ranking_by_solved_then_points_ties_share_a_rank() -> None:
    rows = standings(contest_report())
    assert [(r.rank, r.participant, r.solved, r.points) for r in rows] == [
        (1, "ann", 1, 10.0),
        (1, "cat", 1, 10.0),
        (3, "ben", 0, 69.0),
    ]


def test_ranking_by_score_puts_points_first() -> None:
    rows = standings(contest_report("score"))
    assert [r.participant for r in rows] == ["ben", "ann", "cat"]


def test_a_missing_submission_is_an_empty_cell() -> None:
    ann = next(r for r in standings(contest_report()) if r.participant == "ann")
    assert ann.results[1] is None


def test_the_scoreboard_json_validates_and_has_every_cell() -> None:
    document = scoreboard_to_dict(contest_report())
    Draft202012Validator.check_schema(scoreboard_schema())
    Draft202012Validator(scoreboard_schema()).validate(document)
    ann = document["standings"][0]
    assert ann["problems"]["b"] == {"verdict": None, "points": 0.0, "max_points": 100, "score": 0.0}
    assert document["max_points"] == 110 and document["view"] == "full"


def test_the_scoreboard_html_escapes_and_links_to_details() -> None:
    page = render_scoreboard_html(contest_report(), {"a": "set/a.html"})
    assert '<a href="set/a.html">a</a>' in page and "Scoreboard" in page
    assert "<script" not in page


def test_the_scoreboard_html_says_student_view() -> None:
    page = render_scoreboard_html(contest_report(student=True))
    assert 'id="student-view"' in page


def test_the_scoreboard_csv_has_a_row_per_participant() -> None:
    rows = render_scoreboard_csv(contest_report()).split("\r\n")
    assert rows[0] == "rank,participant,solved,points,a verdict,a points,b verdict,b points"
    assert rows[3] == "3,ben,0,69,WA,9,TLE,60"


def test_the_terminal_scoreboard() -> None:
    lines = scoreboard_lines(contest_report(complete=False))
    assert lines[0] == "set: 3 participants, 2 problems" and "interrupted" in lines[-1]


def test_write_contest_reports_writes_scoreboard_and_details(tmp_path: Path) -> None:
    targets = {
        "json": str(tmp_path / "board.json"),
        "html": str(tmp_path / "board.html"),
        "junit": None,
        "csv": None,
        "ctrf": str(tmp_path / "x.ctrf"),
    }
    written = write_contest_reports(contest_report(), targets, tmp_path / "details")
    assert written["details"] == str(tmp_path / "details")
    names = sorted(p.name for p in (tmp_path / "details").iterdir())
    assert names == ["a.ctrf.json", "a.html", "a.json", "b.ctrf.json", "b.html", "b.json"]
    assert 'href="details/a.html"' in (tmp_path / "board.html").read_text()
    assert json.loads((tmp_path / "board.json").read_text())["contest"]["name"] == "set"


# ---- the CLI -------------------------------------------------------------------------


@pytest.fixture
def graded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """Replaces grading a problem set with ``contest_report()``; records the call."""
    calls: dict[str, Any] = {}

    def fake_run_contest(path: Path, subs: Path, options: Any, **kwargs: Any) -> ContestReport:
        calls.update(path=path, subs=subs)
        return calls.get("report", contest_report())

    monkeypatch.setattr(contest_module, "run_contest", fake_run_contest)
    monkeypatch.chdir(tmp_path)
    contest_folder(tmp_path, "a", "b")
    return calls


def test_the_cli_grades_a_contest_folder(graded: dict[str, Any], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "set", "subs", "--html", "board.html"])
    assert result.exit_code == ExitCode.NOT_ALL_ACCEPTED, result.output
    assert graded["subs"] == Path("subs")
    assert (tmp_path / "reports" / "set.json").is_file()
    assert (tmp_path / "reports" / "set" / "a.json").is_file()
    assert (tmp_path / "reports" / "set" / "b.html").is_file()


def test_the_cli_writes_details_where_asked(graded: dict[str, Any], tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["run", "set", "subs", "--details", "out"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json", "b.json"]


def test_the_cli_writes_each_problems_summary_and_gradescope_results(
    graded: dict[str, Any], tmp_path: Path
) -> None:
    options = ["--details", "out", "--markdown", "s.md", "--gradescope", "g.json"]
    CliRunner().invoke(cli, ["run", "set", "subs", *options])
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["a.gradescope.json", "a.json", "a.md", "b.gradescope.json", "b.json", "b.md"]


def test_the_cli_writes_feedback_pages_per_problem(graded: dict[str, Any], tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["run", "set", "subs", "--feedback-dir", "fb"])
    assert sorted(p.name for p in (tmp_path / "fb").iterdir()) == ["a", "b"]
    assert (tmp_path / "fb" / "a" / "index.csv").is_file()


def test_the_cli_student_view_marks_the_scoreboard(graded: dict[str, Any], tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["run", "set", "subs", "--student-view"])
    assert json.loads((tmp_path / "reports" / "set.json").read_text())["view"] == "student"
    assert json.loads((tmp_path / "reports" / "set" / "a.json").read_text())["view"] == "student"


def test_a_contest_takes_one_submissions_folder(graded: dict[str, Any]) -> None:
    result = CliRunner().invoke(cli, ["run", "set", "a", "b"])
    assert result.exit_code != 0 and "one SUBMISSIONS folder" in result.output


@pytest.mark.parametrize(
    ("verdicts", "complete", "code"),
    [
        ((Verdict.AC, Verdict.AC), True, ExitCode.ALL_ACCEPTED),
        ((Verdict.AC, Verdict.WA), True, ExitCode.NOT_ALL_ACCEPTED),
        ((Verdict.IE, Verdict.WA), True, ExitCode.INTERNAL_ERROR),
        ((Verdict.IE, Verdict.WA), False, ExitCode.INTERRUPTED),
    ],
)
def test_contest_exit_statuses(
    verdicts: tuple[Verdict, ...], complete: bool, code: ExitCode
) -> None:
    reports = tuple(
        problem_report(f"p{i}", 1, result("ann", v, 0, 1)) for i, v in enumerate(verdicts)
    )
    reports = reports[:1] + tuple(
        Report(r.problem, r.submissions, r.started_at, r.finished_at, complete) for r in reports[1:]
    )
    contest = ContestReport("c", "C", ("p0", "p1"), reports, "s", "f")
    assert contest_exit_status(contest) is code
