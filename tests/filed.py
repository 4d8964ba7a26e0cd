"""Example submissions filed under their expected verdict (problemtools' layout), shared by
the tests that grade them."""

from __future__ import annotations

from pathlib import Path

from grader.model import Submission, Verdict
from grader.submissions import discover
from grader.submissions.languages import load_languages
from grader.verify import FOLDER_VERDICTS

__all__ = ["FOLDER_VERDICTS", "expected_verdict", "filed_submissions"]


def expected_verdict(submission_id: str) -> Verdict:
    """The verdict a submission is filed under: ``wrong_answer/carol`` -> WA."""
    return FOLDER_VERDICTS[submission_id.split("/")[0]]


def filed_submissions(problem: Path) -> list[Submission]:
    return discover([problem / "submissions"], load_languages())
