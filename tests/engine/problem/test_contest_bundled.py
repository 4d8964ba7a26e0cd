"""The bundled problem set (problems/contest) on a real engine: every participant's score
and verdict per problem, the scoreboard and per-problem reports, the student view, and
``grader verify`` on each bundled package (and on one with a submission in the wrong
folder)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from paths import ROOT

from grader.errors import ExitCode

CONTEST = ROOT / "problems" / "contest"

# participant -> problem -> (verdict, points); None: no submission. As in the README table
# of problems/contest/submissions/.
EXPECTED: dict[str, dict[str, tuple[str, float] | None]] = {
    "alice": {"circle": ("AC", 6), "squares": ("AC", 100), "twosum": ("AC", 6)},
    "bob": {"circle": ("WA", 0), "squares": ("TLE", 30), "twosum": ("AC", 6)},
    "carol": {"circle": ("AC", 6), "squares": ("WA", 30), "twosum": None},
    "dave": {"circle": ("RTE", 3), "squares": ("WA", 0), "twosum": ("CE", 0)},
}
RANKS = {"alice": (1, 3, 112), "bob": (2, 1, 36), "carol": (2, 1, 36), "dave": (4, 0, 3)}


def grader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "grader", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)


@pytest.fixture(scope="module")
def graded(docker_client: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("contest")
    done = grader(
        "run",
        str(CONTEST),
        str(CONTEST / "submissions"),
        "--no-cache",
        "--json",
        "board.json",
        "--html",
        "board.html",
        "--details",
        "details",
        cwd=out,
    )
    assert done.returncode == ExitCode.NOT_ALL_ACCEPTED, done.stderr
    return out


@pytest.fixture(scope="module")
def board(graded: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((graded / "board.json").read_text())
    return loaded


@pytest.mark.parametrize("participant", sorted(EXPECTED))
def test_every_participant_earns_the_expected_scores(
    board: dict[str, Any], participant: str
) -> None:
    row = next(r for r in board["standings"] if r["participant"] == participant)
    got = {
        key: None if cell["verdict"] is None else (cell["verdict"], cell["points"])
        for key, cell in row["problems"].items()
    }
    assert got == EXPECTED[participant]
    assert (row["rank"], row["solved"], row["points"]) == RANKS[participant]


def test_the_circle_time_limit_was_derived(board: dict[str, Any], graded: Path) -> None:
    circle = json.loads((graded / "details" / "circle.json").read_text())
    assert circle["problem"]["limits"]["time_s"] == 1.0


def test_a_failed_subtask_withholds_the_next_one(graded: Path) -> None:
    squares = json.loads((graded / "details" / "squares.json").read_text())
    dave = next(s for s in squares["submissions"] if s["id"] == "dave")
    large = next(g for g in dave["groups"] if g["name"] == "large")
    assert large["verdict"] == "AC" and large["points"] == 0
    assert large["message"] == "requires small, which did not pass"


def test_every_problem_has_its_detail_reports(graded: Path) -> None:
    names = sorted(p.name for p in (graded / "details").iterdir())
    assert names == [
        f"{key}.{ext}" for key in ("circle", "squares", "twosum") for ext in ("html", "json")
    ]
    assert 'href="details/squares.html"' in (graded / "board.html").read_text()


def test_the_student_view_withholds_hidden_cases(docker_client: Any, tmp_path: Path) -> None:
    done = grader(
        "run",
        str(CONTEST),
        str(CONTEST / "submissions"),
        "--student-view",
        "--details",
        "details",
        cwd=tmp_path,
    )
    assert done.returncode == ExitCode.NOT_ALL_ACCEPTED, done.stderr
    for report in (tmp_path / "details").glob("*.json"):
        document = json.loads(report.read_text())
        assert document["view"] == "student"
        for submission in document["submissions"]:
            for case in submission["cases"]:
                if not case["visible"]:
                    assert case["message"] == "" and "input" not in case
    squares = json.loads((tmp_path / "details" / "squares.json").read_text())
    dave = next(s for s in squares["submissions"] if s["id"] == "dave")
    assert dave["cases"][0]["input"] == "3\n" and "debug" in dave["cases"][0]["message"]


@pytest.mark.parametrize("package", ["circle", "twosum"])
def test_verify_passes_on_each_bundled_package(docker_client: Any, package: str) -> None:
    done = grader("verify", str(CONTEST / package), cwd=ROOT)
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stdout + done.stderr
    assert "earn their folder's verdict" in done.stdout


def test_verify_lists_a_submission_in_the_wrong_folder(docker_client: Any, tmp_path: Path) -> None:
    copy = shutil.copytree(CONTEST / "twosum", tmp_path / "twosum")
    (copy / "submissions/wrong_answer/zero.py").rename(copy / "submissions/accepted/zero.py")
    done = grader("verify", str(copy), cwd=tmp_path)
    assert done.returncode == ExitCode.NOT_ALL_ACCEPTED
    assert "1 of 4 do not earn their folder's verdict:" in done.stdout
    assert "submissions/accepted/zero.py: accepted/ expects AC, got WA" in done.stdout


def test_verify_says_score_validators_are_unsupported(tmp_path: Path) -> None:
    copy = shutil.copytree(CONTEST / "twosum", tmp_path / "twosum")
    (copy / "problem.yaml").write_text("validation: custom score\n")
    done = grader("verify", str(copy), cwd=tmp_path)
    assert done.returncode == ExitCode.USAGE_ERROR
    assert "score-producing validators are not supported" in done.stderr
