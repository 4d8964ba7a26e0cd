"""The HTML report of the bundled example, opened in headless Chromium: the summary and the
submission x case matrix render, the script runs, and screenshots at a desktop and a phone
width show the SVG charts painted (their bar colours counted in the PNG)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html import escape as html_escape
from pathlib import Path
from typing import Any

import pytest
from paths import ROOT
from pngpixels import colours

SUM = ROOT / "problems" / "sum"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI=true but chromium is missing (make browser installs it)")
        pytest.skip("no chromium")
    return found


@pytest.fixture(scope="module")
def html(docker_client: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("html") / "sum.html"
    command = [sys.executable, "-m", "grader", "run", str(SUM), str(SUM / "submissions")]
    done = subprocess.run(
        [*command, "--html", str(target), "--json", str(target.with_suffix(".json")), "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    return target


def browse(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_summary_and_matrix_render(chromium: str, html: Path, tmp_path: Path) -> None:
    dom = browse(chromium, tmp_path, "--dump-dom", html.as_uri()).stdout
    assert 'id="summary"' in dom and 'id="matrix"' in dom
    report = json.loads(html.with_suffix(".json").read_text())
    assert all(html_escape(s["id"]) in dom for s in report["submissions"])


def test_filter_script_runs(chromium: str, html: Path, tmp_path: Path) -> None:
    dom = browse(chromium, tmp_path, "--dump-dom", html.as_uri()).stdout
    filters = re.search(r"<form[^>]*id=\"filters\"[^>]*>", dom)
    assert filters is not None and "hidden" not in filters.group()


# Fill colours of the charts' bars (report.css): the points histogram and the AC share.
HISTOGRAM_BLUE = (0x09, 0x69, 0xDA)
PASS_GREEN = (0x2D, 0xA4, 0x4E)


def test_the_charts_are_in_the_page(chromium: str, html: Path, tmp_path: Path) -> None:
    dom = browse(chromium, tmp_path, "--dump-dom", html.as_uri()).stdout
    kinds = re.findall(r'<svg class="chart chart-([\w-]+)"', dom)
    assert kinds == ["verdicts", "points", "pass-rate", "cpu", "memory"]


@pytest.mark.parametrize("width", [1280, 420], ids=["desktop", "phone"])
def test_a_screenshot_shows_the_charts(
    chromium: str, html: Path, tmp_path: Path, width: int
) -> None:
    shot = tmp_path / f"report-{width}.png"
    browse(
        chromium,
        tmp_path / "profile",
        f"--screenshot={shot}",
        f"--window-size={width},2000",
        html.as_uri(),
    )
    assert shot.exists() and shot.stat().st_size > 10_000
    painted = colours(shot)
    assert painted[HISTOGRAM_BLUE] > 1000 and painted[PASS_GREEN] > 500
