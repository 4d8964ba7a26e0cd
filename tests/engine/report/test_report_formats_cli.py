"""The Markdown summary, Gradescope's results.json and the feedback pages, written by the
real ``grader run`` on the bundled problem ``problems/sum`` (one AC, one WA submission)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt
from paths import ROOT

from grader.report.gradescope import gradescope_schema

SUM = ROOT / "problems" / "sum"
UPLOADS = [SUM / "submissions" / "accepted" / "alice.py", SUM / "submissions" / "wrong_answer"]


@pytest.fixture(scope="module")
def out(docker_client: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    command = [sys.executable, "-m", "grader", "run", str(SUM), *map(str, UPLOADS), "-q"]
    options = [
        "--json", str(out / "sum.json"), "--html", str(out / "sum.html"),
        "--markdown", str(out / "summary.md"), "--gradescope", str(out / "results.json"),
        "--feedback-dir", str(out / "feedback"), "--cache-dir", str(out / "cache"),
    ]  # fmt: skip
    done = subprocess.run([*command, *options], capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    return out


def graded_ids(out: Path) -> list[str]:
    report = json.loads((out / "sum.json").read_text(encoding="utf-8"))
    return [submission["id"] for submission in report["submissions"]]


def test_the_markdown_summary_has_a_row_per_submission_and_links_the_html(out: Path) -> None:
    tokens = MarkdownIt("gfm-like").parse((out / "summary.md").read_text(encoding="utf-8"))
    rows = sum(1 for token in tokens if token.type == "tr_open")
    assert rows == 1 + len(graded_ids(out))
    links = [c for t in tokens for c in t.children or () if c.type == "link_open"]
    assert [link.attrs["href"] for link in links] == ["sum.html"]


def test_the_gradescope_results_fit_the_schema(out: Path) -> None:
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    Draft202012Validator(gradescope_schema()).validate(results)
    assert results["score"] == 4.0  # alice's, the best of the upload


def test_the_feedback_folder_has_a_page_per_submission(out: Path) -> None:
    with (out / "feedback" / "index.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == graded_ids(out)
    assert all((out / "feedback" / row["file"]).is_file() for row in rows)
