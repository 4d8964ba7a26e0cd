"""The Docker engine crashing and coming back mid-batch: the runs it took down are IE with
the reason (each retried once), the batch finishes without hanging, and later submissions
are graded normally.

This kills and restarts dockerd, so it runs only where that is ours to do: with
GRADER_TEST_ENGINE_RESTART=1 (``.ci/run`` sets it), as root, after every other test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from containers import made_by, reaped_on_exit
from paths import ROOT

from grader.errors import ExitCode
from grader.sandbox.docker import connect

pytestmark = [
    pytest.mark.restarts_engine,
    pytest.mark.skipif(
        os.environ.get("GRADER_TEST_ENGINE_RESTART") != "1" or os.geteuid() != 0,
        reason="restarts dockerd: set GRADER_TEST_ENGINE_RESTART=1 (as root) to run",
    ),
]


def batch(tmp_path: Path) -> tuple[Path, Path]:
    problem = tmp_path / "nap"
    problem.mkdir()
    (problem / "problem.yaml").write_text(
        "name: nap\nlimits: {time: 1, wall: 20}\n"
        "tests:\n  - {name: a, expected_output: ok}\n  - {name: b, expected_output: ok}\n"
    )
    subs = tmp_path / "subs"
    subs.mkdir()
    for index in range(6):
        (subs / f"s{index}.py").write_text("import time\ntime.sleep(0.5)\nprint('ok')\n")
    return problem, subs


def restart_engine() -> None:
    subprocess.run(["pkill", "-KILL", "-x", "dockerd"], check=False)
    deadline = time.monotonic() + 20
    while subprocess.run(["pgrep", "-x", "dockerd"], capture_output=True).returncode == 0:
        assert time.monotonic() < deadline, "dockerd did not die"
        time.sleep(0.1)
    done = subprocess.run(["bash", str(ROOT / "scripts" / "ensure-docker.sh")], check=False)
    assert done.returncode == 0, "the engine did not come back"


def test_engine_crash_mid_batch_is_ie_and_the_batch_goes_on(
    docker_client: Any, tmp_path: Path
) -> None:
    problem, subs = batch(tmp_path)
    report_path = tmp_path / "report.json"
    command = [sys.executable, "-m", "grader", "run", str(problem), str(subs)]
    proc = subprocess.Popen(
        [*command, "--json", str(report_path), "--jobs", "1", "--no-cache"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with reaped_on_exit(proc):
        deadline = time.monotonic() + 60
        while not made_by(docker_client, proc.pid, running=True):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no container started"
            time.sleep(0.05)
        restart_engine()
        _, stderr = proc.communicate(timeout=180)  # no hang
    assert report_path.exists(), (proc.returncode, stderr)
    report = json.loads(report_path.read_text())
    verdicts = [s["verdict"] for s in report["submissions"]]
    assert report["complete"] and verdicts[-1] == "AC", (verdicts, stderr)
    lost = [s for s in report["submissions"] if s["verdict"] == "IE"]
    assert all(s["message"] for s in lost)
    assert proc.returncode in (ExitCode.ALL_ACCEPTED, ExitCode.INTERNAL_ERROR)
    subprocess.run([sys.executable, "-m", "grader", "cleanup"], check=True, capture_output=True)
    with closing(connect()) as client:
        assert made_by(client, proc.pid) == []
