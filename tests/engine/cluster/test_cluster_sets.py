"""grader run --cluster on a problem set: the scoreboard and per-problem reports of a local
run (times and hosts aside), and a lost scheduler's exit 3 with partial reports. A real
scheduler and two 1-slot workers on loopback (``test_cluster``'s), and two problems of the
bundled set: circle (a package whose time limit is derived, here on the cluster) and
twosum (an output validator, compiled on the workers)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from golden_compare import normalized
from test_cluster import (
    SUM,
    Cluster,
    comparable,
    grader_args,
    kill_the_scheduler_mid_run,
    running_cluster,
)

from grader.errors import ExitCode

pytestmark = pytest.mark.skipif(
    find_spec("distributed") is None, reason="needs the cluster extra: pip install -e '.[cluster]'"
)

BUNDLED = SUM.parent / "contest"
PROBLEMS = ("circle", "twosum")
# participant -> the files of theirs to grade: every result but TLE (which takes long).
PARTICIPANTS = {
    "alice": ("circle.py", "twosum.py"),
    "bob": ("circle.py", "twosum.py"),
    "carol": ("circle.c",),
    "dave": ("circle.py", "twosum.c"),
}


def _problem_set(folder: Path, problems: dict[str, Path], files: dict[str, list[Path]]) -> Path:
    """A problem set in ``folder``: each problem copied under its key, and each
    participant's files under ``submissions/<participant>/``."""
    for key, source in problems.items():
        shutil.copytree(source, folder / key)
    (folder / "contest.yaml").write_text(f"name: set\nproblems: [{', '.join(problems)}]\n")
    for participant, paths in files.items():
        (folder / "submissions" / participant).mkdir(parents=True)
        for path in paths:
            shutil.copy(path, folder / "submissions" / participant / path.name)
    return folder


@pytest.fixture(scope="module")
def problem_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = BUNDLED / "submissions"
    return _problem_set(
        tmp_path_factory.mktemp("set"),
        {key: BUNDLED / key for key in PROBLEMS},
        {who: [given / who / name for name in names] for who, names in PARTICIPANTS.items()},
    )


@pytest.fixture(scope="module")
def cluster(docker_client: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with running_cluster(docker_client, tmp_path_factory.mktemp("cluster")) as started:
        yield started


def _grade(problem_set: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``grader run`` of the set into ``out`` (board.json, details/)."""
    out.mkdir()
    command = grader_args(
        "run", str(problem_set), str(problem_set / "submissions"), "--no-cache", "-q",
        "--json", str(out / "board.json"), "--details", str(out / "details"), *extra,
    )  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, cwd=out, timeout=600)


def _reports(out: Path) -> dict[str, Any]:
    """The scoreboard and each problem's report, without what a run measures or where."""
    names = ["board", *(f"details/{key}" for key in PROBLEMS)]
    read = {name: json.loads((out / f"{name}.json").read_text()) for name in names}
    return {name: comparable(normalized(report)) for name, report in read.items()}


def test_a_problem_set_on_the_cluster_reports_what_a_local_run_does(
    cluster: Cluster, problem_set: Path, tmp_path: Path
) -> None:
    local = _grade(problem_set, tmp_path / "local")
    assert local.returncode == ExitCode.NOT_ALL_ACCEPTED, local.stderr
    remote = _grade(problem_set, tmp_path / "cluster", "--cluster", cluster.address)
    assert remote.returncode == ExitCode.NOT_ALL_ACCEPTED, remote.stderr
    assert "circle: time limit 1 s (slowest accepted" in remote.stderr  # derived there
    assert _reports(tmp_path / "cluster") == _reports(tmp_path / "local")


def test_a_lost_scheduler_ends_a_problem_set_with_exit_3_and_partial_reports(
    docker_client: Any, tmp_path: Path
) -> None:
    """The scheduler dies while the first problem is judged: the client stops, and the
    problem after it is never sent (IE "scheduler lost")."""
    problem_set = _problem_set(
        tmp_path / "set",
        {"sum": SUM, "twosum": BUNDLED / "twosum"},
        {"erin": [SUM / "submissions/time_limit_exceeded/erin_sleeps.py"],
         "alice": [BUNDLED / "submissions/alice/twosum.py"]},
    )  # fmt: skip
    out = tmp_path / "out"
    with running_cluster(docker_client, tmp_path) as cluster:
        args = ("--json", str(out / "board.json"), "--details", str(out / "details"))
        given = (str(problem_set), str(problem_set / "submissions"))
        status, stderr = kill_the_scheduler_mid_run(docker_client, cluster, *given, *args)
    assert status == ExitCode.INTERNAL_ERROR, stderr
    assert json.loads((out / "board.json").read_text())["complete"] is False
    (twosum,) = json.loads((out / "details" / "twosum.json").read_text())["submissions"]
    assert (twosum["verdict"], twosum["message"]) == ("IE", "scheduler lost before it was graded")
