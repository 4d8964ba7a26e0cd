"""Checking a problem's own material: its jury submissions filed by expected verdict
(``jury``: ``grader verify``, and the time limit a package derives from them) and the
runtime images' self-tests (``selftest``: ``grader images test``)."""

from grader.verify.jury import (
    FOLDER_VERDICTS,
    Filed,
    Grade,
    Timing,
    Verification,
    calibrate,
    filed_submissions,
    locally,
    verification_lines,
    verify,
)

__all__ = [
    "FOLDER_VERDICTS",
    "Filed",
    "Grade",
    "Timing",
    "Verification",
    "calibrate",
    "filed_submissions",
    "locally",
    "verification_lines",
    "verify",
]
