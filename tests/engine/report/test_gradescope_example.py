"""examples/gradescope/run_autograder, run as Gradescope would (in a stand-in for
/autograder): it grades the upload into a results.json that fits Gradescope's format, and
turns a failure to grade into a results.json that says so, never a crash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from paths import ROOT

from grader.report.gradescope import gradescope_schema

SCRIPT = ROOT / "examples" / "gradescope" / "run_autograder"
SUM = ROOT / "problems" / "sum"


def autograder(tmp_path: Path, *uploads: Path, **env: str) -> tuple[int, dict[str, Any]]:
    """Lay out /autograder under ``tmp_path`` with problems/sum and ``uploads``, run the
    script, return its exit status and results.json."""
    shutil.copytree(SUM, tmp_path / "source" / "problem")
    (tmp_path / "submission").mkdir()
    for upload in uploads:
        shutil.copy(upload, tmp_path / "submission")
    variables = {
        **os.environ,
        "AUTOGRADER_ROOT": str(tmp_path),
        "GRADER": str(Path(sys.executable).parent / "grader"),
        "TMPDIR": str(tmp_path),
        **env,
    }
    done = subprocess.run(
        ["bash", str(SCRIPT)], capture_output=True, text=True, env=variables, check=False
    )
    results = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    Draft202012Validator(gradescope_schema()).validate(results)
    return done.returncode, results


def test_an_unreachable_engine_gives_a_zero_with_a_reason(tmp_path: Path) -> None:
    upload = SUM / "submissions" / "accepted" / "alice.py"
    status, results = autograder(tmp_path, upload, DOCKER_HOST="unix:///nonexistent.sock")
    assert status == 0
    assert results["score"] == 0 and "could not grade" in results["output"]


def test_an_upload_is_graded_into_results_json(docker_client: Any, tmp_path: Path) -> None:
    upload = SUM / "submissions" / "accepted" / "alice.py"
    status, results = autograder(tmp_path, upload)
    assert status == 0
    assert results["score"] == 4.0
    assert [t["status"] for t in results["tests"]] == ["passed"] * 4
