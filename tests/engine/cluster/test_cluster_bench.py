"""`make bench`'s cluster row keeps working: bench/cluster.py on the smallest batch and one
cluster size (speed is not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from paths import ROOT

pytestmark = pytest.mark.skipif(
    find_spec("distributed") is None, reason="needs the cluster extra: pip install -e '.[cluster]'"
)


def test_the_cluster_bench_measures_the_local_run_and_each_cluster_size(
    docker_client: Any, image_tags: dict[str, str], tmp_path: Path
) -> None:
    assert image_tags["python"]  # built here if missing, before the bench's own timing
    figures_path = tmp_path / "cluster.json"
    sizes = ["--submissions", "2", "--cases", "1", "--workers", "1"]
    command = [sys.executable, "bench/cluster.py", *sizes, "--json", str(figures_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cluster, 1 worker(s)" in done.stdout
    figures = json.loads(figures_path.read_text())
    assert set(figures) == {"local, 1 job", "cluster, 1 worker(s)"}
    assert all(rate["runs"] == 2 and rate["seconds"] > 0 for rate in figures.values())
