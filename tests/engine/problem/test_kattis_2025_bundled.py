"""The bundled 2025-09 package (problems/kattis-2025) on a real engine: ``grader verify``
derives its time limit and every submission meets its folder's rule, the custom Python
output validator judging."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from paths import ROOT

from grader.errors import ExitCode

EXAMPLE = ROOT / "problems" / "kattis-2025"


def test_verify_passes_on_the_bundled_2025_package(docker_client: Any) -> None:
    command = [sys.executable, "-m", "grader", "verify", str(EXAMPLE)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == ExitCode.ALL_ACCEPTED, done.stdout + done.stderr
    assert "(slowest accepted case" in done.stdout  # the limit derived
    assert "all 6 submissions earn their folder's verdict" in done.stdout
