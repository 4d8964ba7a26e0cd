"""`make bench` keeps working: a quick run measures every strategy (speed is not asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from paths import ROOT


@pytest.mark.skipif(os.geteuid() != 0, reason="the bench's floor needs root (chroot, mount)")
def test_quick_bench_reports_positive_figures(
    docker_client: Any, image_tags: dict[str, str], tmp_path: Path
) -> None:
    assert image_tags["python"]  # built here if missing, before the bench's own timing
    figures_path = tmp_path / "bench.json"
    command = [sys.executable, "bench/bench.py", "--quick", "--no-epicbox"]
    done = subprocess.run(
        [*command, "--json", str(figures_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(figures_path.read_text())
    for strategy in ("floor", "naive", "grader"):
        measured = figures["strategies"][strategy]
        assert measured["runs"] > 0
        assert measured["runs_per_s"] > 0, strategy
    assert figures["timing"]["grader_s"] > 0
