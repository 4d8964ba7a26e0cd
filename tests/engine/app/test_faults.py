"""Faults: interrupts, crashes, lost containers and a missing engine, with nothing lost or
left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from containers import made_by, reaped_on_exit
from paths import ROOT

from grader.errors import ExitCode
from grader.judging.batch import grade_all
from grader.judging.judge import Judge
from grader.model import ProgramFile, Submission, Verdict
from grader.problem.grader_format import load_problem
from grader.sandbox.base import BoxSpec
from grader.sandbox.docker import DockerSandbox
from grader.submissions.languages import load_languages

SUM = ROOT / "problems" / "sum"
SLEEPER = "import time\ntime.sleep(30)\n"


def slow_problem(tmp_path: Path) -> Path:
    problem = tmp_path / "slow"
    problem.mkdir()
    (problem / "problem.yaml").write_text(
        "name: slow\nlimits: {time: 1, wall: 30}\n"
        "tests:\n  - {name: a, expected_output: x}\n  - {name: b, expected_output: x}\n"
    )
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("s1", "s2", "s3", "s4"):
        (subs / f"{name}.py").write_text(SLEEPER)
    return problem


def wait_for_container(client: Any, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not made_by(client, proc.pid):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "grader never started a container"
        time.sleep(0.1)
    time.sleep(0.5)  # let the run begin


def start_grader(*args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "grader", "run", *args, "--jobs", "2", "--no-cache"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupt_writes_partial_report_exits_2_and_leaves_nothing(
    docker_client: Any, tmp_path: Path, sig: signal.Signals
) -> None:
    volumes_before = len(docker_client.volumes.list())
    report = tmp_path / "report.json"
    problem = slow_problem(tmp_path)
    with reaped_on_exit(
        start_grader(str(problem), str(tmp_path / "subs"), "--json", str(report))
    ) as proc:
        wait_for_container(docker_client, proc)
        started = time.monotonic()
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED, stderr
    assert time.monotonic() - started < 15, "interrupting took too long"
    data = json.loads(report.read_text())
    assert data["complete"] is False and len(data["submissions"]) == 4
    assert made_by(docker_client, proc.pid) == []
    assert len(docker_client.volumes.list()) == volumes_before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "slow", "subs"]


def test_killed_grader_leaves_containers_that_cleanup_reaps(
    docker_client: Any, tmp_path: Path
) -> None:
    problem = slow_problem(tmp_path)
    with reaped_on_exit(start_grader(str(problem), str(tmp_path / "subs"), "--json", "-")) as proc:
        wait_for_container(docker_client, proc)
        proc.kill()
    assert made_by(docker_client, proc.pid), "a SIGKILLed grader should leave its containers"
    done = subprocess.run(
        [sys.executable, "-m", "grader", "cleanup"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert made_by(docker_client, proc.pid) == []


def test_next_run_reaps_containers_of_a_dead_grader(docker_client: Any, tmp_path: Path) -> None:
    problem = slow_problem(tmp_path)
    with reaped_on_exit(start_grader(str(problem), str(tmp_path / "subs"), "--json", "-")) as proc:
        wait_for_container(docker_client, proc)
        proc.kill()
    alice = SUM / "submissions" / "accepted" / "alice.py"
    done = subprocess.run(
        [sys.executable, "-m", "grader", "run", str(SUM), str(alice), "--json", "-"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stderr
    assert "left by an earlier grader run" in done.stderr
    assert made_by(docker_client, proc.pid) == []


class _LosesFirstContainer(DockerSandbox):
    """A sandbox whose first container vanishes mid-run, as when the engine restarts."""

    lost = 0

    @contextmanager
    def open(self, spec: BoxSpec) -> Iterator[Any]:  # type: ignore[override]
        with super().open(spec) as box:
            if self.lost == 0:
                self.lost += 1
                self.client.api.remove_container(box.container_id, force=True)
            yield box


def test_lost_container_is_retried_and_the_batch_goes_on(
    docker_client: Any, image_tags: dict[str, str], no_leaked_containers: None
) -> None:
    problem = load_problem(SUM)
    python = load_languages().get("python")
    source = (SUM / "submissions" / "accepted" / "alice.py").read_bytes()
    subs = [
        Submission(name, Path(name), python, (ProgramFile("a.py", source),), "a.py")
        for name in ("first", "second")
    ]
    judge = Judge(_LosesFirstContainer(docker_client), problem, image_tags)
    report = grade_all(judge, subs, jobs=1)
    assert [r.verdict for r in report.submissions] == [Verdict.AC, Verdict.AC]


def test_missing_engine_is_a_clear_internal_error(tmp_path: Path) -> None:
    alice = SUM / "submissions" / "accepted" / "alice.py"
    env = {**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/no.sock"}
    done = subprocess.run(
        [sys.executable, "-m", "grader", "run", str(SUM), str(alice)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == ExitCode.INTERNAL_ERROR
    assert "no Docker engine answers" in done.stderr and "Traceback" not in done.stderr
