"""The JSON report of every bundled problem, as stored in tests/golden/, apart from what a
run measures (times, dates, memory, the host): a change that alters a verdict, a message,
a point or a field of the report shows here. This guards refactoring (issue 14): the
reports must stay byte-identical.

Regenerate on purpose with ``GRADER_UPDATE_GOLDEN=1 pytest tests/test_golden_reports.py``
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
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
MEASURED = {
    "started_at",
    "finished_at",
    "grader_version",
    "cpu_time_s",
    "wall_time_s",
    "memory_bytes",
    "environment",
    "host",
}
# A measured quantity inside a message ("peak 95.3 MiB", "1.25 s of CPU").
_QUANTITY = re.compile(r"\d+(\.\d+)?( ?)(s|ms|MiB|KiB|GiB|MB|KB|bytes|B)\b")


def normalized(value: Any) -> Any:
    """``value`` (a parsed report) without what a run measures. Which limit stops a TLE
    run, and so its message and signal, depends on the machine's load (the CPU limit, or
    the wall limit when the run is starved): a TLE case keeps only its verdict."""
    if isinstance(value, dict) and value.get("verdict") == "TLE" and "cases" not in value:
        value = {**value, "message": None, "signal": None, "exit_code": None}
    if isinstance(value, dict):
        return {k: None if k in MEASURED else normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, str):
        return _QUANTITY.sub(r"N\2\3", _after_memory_kill(value))
    return value


def _after_memory_kill(text: str) -> str:
    """A compile log that ends in a memory kill: only grader's line. Whether the compiler
    said more first ("gcc: fatal error: Killed signal ...") depends on who struck first, the
    kernel's OOM killer (cc1 only) or the supervisor at the cap (the whole tree)."""
    marker = "[grader] memory over"
    return text[text.index(marker) :] if marker in text else text


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
