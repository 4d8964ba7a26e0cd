"""Example submissions filed under their expected verdict (problemtools' layout), shared by
the tests that grade them."""

from __future__ import annotations

from pathlib import Path

from grader.languages import load_languages
from grader.model import Submission, Verdict
from grader.submissions import discover

__all__ = ["FOLDER_VERDICTS", "expected_verdict", "filed_submissions"]

FOLDER_VERDICTS = {
    "accepted": Verdict.AC,
    "wrong_answer": Verdict.WA,
    "time_limit_exceeded": Verdict.TLE,
    "memory_limit_exceeded": Verdict.MLE,
    "run_time_error": Verdict.RTE,
    "output_limit_exceeded": Verdict.OLE,
    "compile_error": Verdict.CE,
}


def expected_verdict(submission_id: str) -> Verdict:
    """The verdict a submission is filed under: ``wrong_answer/carol`` -> WA."""
    return FOLDER_VERDICTS[submission_id.split("/")[0]]


def filed_submissions(problem: Path) -> list[Submission]:
    return discover([problem / "submissions"], load_languages())
