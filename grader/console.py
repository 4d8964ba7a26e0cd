"""What a person sees on the terminal: one line per submission and a summary."""

from __future__ import annotations

from collections import Counter

from grader.model import Report, SubmissionResult
from grader.report.text import visible

__all__ = ["submission_line", "summary_lines"]


def submission_line(result: SubmissionResult) -> str:
    """id, language, verdict, points, CPU time; untrusted text made visible, not obeyed."""
    detail = f"  {result.message}" if result.message and not result.verdict.accepted else ""
    return visible(
        f"{result.id:<24} {result.language:<8} {result.verdict.value:<4} "
        f"{result.points:g}/{result.max_points:g}  {result.cpu_time:6.2f}s{detail}"
    )


def summary_lines(report: Report) -> list[str]:
    counts = Counter(result.verdict.value for result in report.submissions)
    verdicts = ", ".join(f"{verdict} {n}" for verdict, n in sorted(counts.items()))
    total = len(report.submissions)
    accepted = counts.get("AC", 0)
    lines = [f"{report.problem.name}: {accepted}/{total} accepted ({verdicts})"]
    if not report.complete:
        lines.append("interrupted: the report covers only the submissions that finished")
    return lines
