"""Hostile submissions against a real engine (problems/hostile).

Each probe in ``accepted/`` attacks the sandbox (network, filesystem, identity, host view,
persistence between cases, the supervisor) and prints the expected answer only if the
attack failed, so a hole shows as WA. The others abuse resources and must earn exactly
the verdict of their folder. Reports of the whole batch must stay valid and escaped.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from containers import mine
from filed import expected_verdict, filed_submissions
from paths import ROOT, TESTS

from grader.judging.batch import grade_all
from grader.judging.judge import Judge, JudgeOptions
from grader.model import Report
from grader.problem.grader_format import load_problem
from grader.report import render_html, render_junit
from grader.sandbox.base import BoxSpec
from grader.sandbox.docker import DockerSandbox

HOSTILE = ROOT / "problems" / "hostile"
XSD = TESTS / "data" / "junit-10.xsd"


@pytest.fixture(scope="module")
def report(docker_client: Any, image_tags: dict[str, str], supervisor: str) -> Report:
    judge = Judge(
        DockerSandbox(docker_client, supervisor=supervisor), load_problem(HOSTILE), image_tags
    )
    return grade_all(judge, filed_submissions(HOSTILE), jobs=2)


@pytest.mark.parametrize("probe", [s.id for s in filed_submissions(HOSTILE)])
def test_probe_earns_the_verdict_it_is_filed_under(report: Report, probe: str) -> None:
    result = next(r for r in report.submissions if r.id == probe)
    messages = [case.message for case in result.cases]
    assert result.verdict is expected_verdict(probe), messages


def test_hostile_batch_leaves_no_container(docker_client: Any, report: Report) -> None:
    assert mine(docker_client) == []


def test_junit_of_hostile_output_is_schema_valid(report: Report) -> None:
    xmlschema.XMLSchema(str(XSD)).validate(render_junit(report))


def test_hostile_bytes_are_shown_escaped_in_junit(report: Report) -> None:
    xml = render_junit(report)
    assert "\\x00" in xml and "\\x1b" in xml and "\x1b" not in xml


def test_script_in_output_is_text_in_html(report: Report) -> None:
    html = render_html(report)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def _peak_kib(pid: int) -> int:
    """The process's own high-water RSS (VmHWM is per address space, so unlike rusage it
    does not include what the forking parent had before exec)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1])


def test_grader_memory_stays_bounded_under_output_floods(docker_client: Any) -> None:
    floods = HOSTILE / "submissions" / "output_limit_exceeded"
    command = [sys.executable, "-m", "grader", "run", str(HOSTILE), str(floods), "--json", "-"]
    command.append("--no-cache")  # the floods must really run
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _peak_kib(proc.pid))
        time.sleep(0.05)
    assert proc.returncode == 1
    assert 0 < peak * 1024 < 300 * (1 << 20)


def test_probes_hold_when_a_container_serves_several_submissions(
    docker_client: Any, image_tags: dict[str, str]
) -> None:
    used: list[str] = []

    class Recording(DockerSandbox):
        @contextmanager
        def open(self, spec: BoxSpec) -> Iterator[Any]:  # type: ignore[override]
            with super().open(spec) as box:
                used.append(box.container_id)
                yield box

    probes = [s for s in filed_submissions(HOSTILE) if s.id.startswith("accepted/")]
    options = JudgeOptions(reuse_run_boxes=True)
    with Recording(docker_client, spares=1) as sandbox:
        judge = Judge(sandbox, load_problem(HOSTILE), image_tags, options)
        report = grade_all(judge, probes, jobs=1)
    failed = {
        r.id: [c.message for c in r.cases] for r in report.submissions if r.verdict.value != "AC"
    }
    assert not failed
    assert len(set(used)) < len(used), "no container served two submissions"
