"""The frozen values that cross module boundaries: problems, languages, submissions, runs,
verdicts, results and reports.

Nothing here does I/O or knows about YAML or Docker: ``grader/problem/`` and
``submissions/languages.py`` build these values from files, ``sandbox/`` produces
``RunResult`` and ``judging/`` turns them into ``SubmissionResult``. ``problems``: a
problem, its cases, limits, groups and checker; ``programs``: languages, submissions and
runs; ``results``: verdicts and what a case, group and submission earned; ``report``: one
problem's report.
"""

from __future__ import annotations

from grader.model.problems import (
    CHECKER_LIMITS,
    MIB,
    Aggregation,
    CheckerProgram,
    CheckerSpec,
    Convention,
    Group,
    Limits,
    Problem,
    TestCase,
)
from grader.model.programs import KilledBy, Language, ProgramFile, RunResult, Submission
from grader.model.report import Report, report_time
from grader.model.results import CaseResult, GroupResult, SubmissionResult, Verdict

__all__ = [
    "CHECKER_LIMITS",
    "MIB",
    "Aggregation",
    "CaseResult",
    "CheckerProgram",
    "CheckerSpec",
    "Convention",
    "Group",
    "GroupResult",
    "KilledBy",
    "Language",
    "Limits",
    "Problem",
    "ProgramFile",
    "Report",
    "RunResult",
    "Submission",
    "SubmissionResult",
    "TestCase",
    "Verdict",
    "report_time",
]
