"""The JSON report of every bundled problem, as stored in tests/golden/, apart from what a
run measures (times, dates, memory, the host): a change that alters a verdict, a message,
a point or a field of the report shows here. This guards refactoring (issue 14): the
reports must stay byte-identical.

Regenerate on purpose with
``GRADER_UPDATE_GOLDEN=1 pytest tests/engine/judging/test_golden_reports.py`` and read the
diff before committing it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from golden_compare import normalized
from paths import ROOT

GOLDEN = ROOT / "tests" / "golden"
PROBLEMS = [
    "sum",
    "float-tolerance",
    "hostile",
    "kattis-validator",
    "testlib-checker",
    "kattis-2025",
    "contest",
]


def report_of(problem: str, tmp_path: Path) -> dict[str, Any]:
    folder = ROOT / "problems" / problem
    out = tmp_path / f"{problem}.json"
    command = [sys.executable, "-m", "grader", "run", str(folder), str(folder / "submissions")]
    command += ["--json", str(out), "--no-cache", "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
    assert done.returncode in (0, 1), done.stderr
    loaded: dict[str, Any] = json.loads(out.read_text())
    return loaded


@pytest.mark.parametrize("problem", PROBLEMS)
def test_the_report_of_a_bundled_problem_is_unchanged(
    docker_client: Any, tmp_path: Path, problem: str
) -> None:
    got = json.dumps(normalized(report_of(problem, tmp_path)), indent=2, sort_keys=True) + "\n"
    golden = GOLDEN / f"{problem}.json"
    if os.environ.get("GRADER_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got)
    assert got == golden.read_text()
