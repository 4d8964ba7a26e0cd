"""The whole process tree is judged, on cgroup v1 and v2 (problems/process-tree).

A CPU limit that children cannot evade and an OOM kill seen wherever it strikes both come
from the container's cgroup (``grader.sandbox.cgroup``): these submissions, filed under
the verdict they must earn, are what ``make test-cgroup2`` runs on a cgroup v2 kernel.
"""

from __future__ import annotations

from typing import Any

import pytest
from filed import expected_verdict, filed_submissions
from paths import ROOT

from grader.judging.batch import grade_all
from grader.judging.judge import Judge
from grader.model import Report, Verdict
from grader.problem.grader_format import load_problem
from grader.sandbox.docker import DockerSandbox

TREE = ROOT / "problems" / "process-tree"


@pytest.fixture(scope="module")
def report(docker_client: Any, image_tags: dict[str, str], supervisor: str) -> Report:
    judge = Judge(
        DockerSandbox(docker_client, supervisor=supervisor), load_problem(TREE), image_tags
    )
    return grade_all(judge, filed_submissions(TREE), jobs=2)


@pytest.mark.parametrize("submission", [s.id for s in filed_submissions(TREE)])
def test_submission_earns_the_verdict_it_is_filed_under(report: Report, submission: str) -> None:
    result = next(r for r in report.submissions if r.id == submission)
    assert result.verdict is expected_verdict(submission), [c.message for c in result.cases]


SPINNERS = ["time_limit_exceeded/child_burns", "time_limit_exceeded/child_burns_c"]


@pytest.mark.parametrize("submission", SPINNERS)
def test_a_spinning_child_is_stopped_at_the_cpu_limit_not_the_wall(
    report: Report, submission: str
) -> None:
    """The tree's CPU (3 s limit) stops it, long before the 30 s wall limit, and the CPU
    reported is the tree's, not the idle parent's."""
    case = next(r for r in report.submissions if r.id == submission).cases[0]
    assert case.verdict is Verdict.TLE
    assert case.cpu_time is not None and case.cpu_time >= 3.0
    assert case.wall_time is not None and case.wall_time < 20.0
