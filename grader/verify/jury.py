"""Jury submissions filed by expected verdict: ``grader verify``, and the time limit of a
package that gives none.

A problem's ``submissions/<folder>/`` hold programs that must earn what the folder stands
for (``expectations``: the folder's verdict; for a 2025-09 package, what every case may
and some case must earn, and what its ``submissions.yaml`` adds: ``kattis.submission_rules``).
A package without a time limit gets one from its accepted submissions (``calibrate``):
they run with ``CALIBRATION_TIME`` and the limit is the slowest case x the package's
multiplier, rounded up (to whole seconds, or its ``time_resolution``).
Time-limit-exceeded submissions are judged at the limit x the safety margin and must
still be TLE there. Needs a way to grade submissions against each version of the problem:
``Grade``, either ``locally`` (a judge, and so a sandbox, per version) or on a cluster
(``cluster.client``). Reads ``submissions/``; writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.errors import NoSubmissionsError, ProblemError
from grader.judging.batch import grade_all
from grader.judging.judge import Judge
from grader.model import Problem, Report, Submission, SubmissionResult, Verdict
from grader.problem.expectations import FOLDER_VERDICTS, Expectation, folders_for
from grader.problem.kattis import CALIBRATION_TIME, Package, TimeLimit, with_time_limit
from grader.problem.kattis.domjudge import expected_results
from grader.problem.kattis.submission_rules import Rules, read_rules
from grader.submissions import UNSUPPORTED, programs_in, unique_ids, with_entry
from grader.submissions.languages import LanguageTable

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

JudgeFor = Callable[[Problem], Judge]
Grade = Callable[[Problem, Sequence[Submission]], Report]


def locally(judge_for: JudgeFor) -> Grade:
    """Grade with a judge from ``judge_for`` on this machine (``batch.grade_all``)."""

    def grade(problem: Problem, submissions: Sequence[Submission]) -> Report:
        return grade_all(judge_for(problem), submissions)

    return grade


@dataclass(frozen=True)
class Filed:
    submission: Submission
    folder: str
    expected: Expectation


@dataclass(frozen=True)
class Timing:
    """The time limit a problem is judged with, and where it comes from."""

    limit: float
    how: str  # "given in problem.yaml", "slowest accepted 0.041 s x 5, rounded up"
    tle_limit: float  # what time-limit-exceeded submissions are judged with

    def describe(self, *, margin: bool = False) -> str:
        """The limit and its origin; with ``margin``, also the TLE submissions' limit."""
        text = f"time limit {self.limit:g} s ({self.how})"
        if margin and self.tle_limit != self.limit:
            text += f"; time_limit_exceeded/ judged at {self.tle_limit:g} s (safety margin)"
        return text


@dataclass(frozen=True)
class Verification:
    problem: Problem
    timing: Timing
    results: tuple[tuple[Filed, SubmissionResult], ...]
    ignored: tuple[str, ...] = ()  # folders under submissions/ that name no verdict
    skipped: tuple[Filed, ...] = ()  # in languages grader has no runtime for

    @property
    def mismatches(self) -> tuple[tuple[Filed, SubmissionResult], ...]:
        return tuple((f, r) for f, r in self.results if not f.expected.met(r))


def filed_submissions(
    root: Path, table: LanguageTable, rules: Rules | None = None, *, annotations: bool = False
) -> tuple[list[Filed], list[str]]:
    """The submissions under ``root/submissions/`` that ``rules`` (default: grader's own
    verdict folders) expect something of, and the folders there that hold none. Every
    entry of a folder is one program. With ``annotations`` (a package), a DOMjudge
    ``@EXPECTED_RESULTS@`` in a submission's source overrides its folder."""
    rules = rules or Rules(folders_for("grader"))
    folder = root / "submissions"
    if not folder.is_dir():
        raise NoSubmissionsError(f"{folder}: no such folder (submissions/accepted/, ...)")
    filed: list[Filed] = []
    tops: set[str] = set()
    for submission in _programs(folder, table):
        if submission.path == rules.file:
            continue
        top = submission.id.split("/")[0]
        expected = rules.expectation(top, submission.path.relative_to(folder).parts)
        annotated = expected_results(submission.files) if annotations else None
        if annotated is not None:
            expected = Expectation.verdict(*annotated)
        if expected is None:
            tops.add(top)
        else:
            filed.append(Filed(submission, top, expected))
    ignored = sorted(tops - {f.folder for f in filed})
    if not filed:
        raise NoSubmissionsError(f"{folder}: nothing in a folder named after a verdict")
    return filed, ignored


def _programs(folder: Path, table: LanguageTable) -> list[Submission]:
    tops = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    found = unique_ids([s for top in tops for s in programs_in(top, table, f"{top.name}/")])
    entries = _entry_points(folder.parent)
    return [_entered(s, folder.parent, entries, table) for s in found]


def _entry_points(root: Path) -> dict[str, str]:
    """DOMjudge's submissions.json: ``{"submissions/accepted/multi/": {"entry_point":
    "hello.js"}}`` -> the folder's path (no slash at the end) -> its entry point."""
    file = root / "submissions.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
    except (OSError, ValueError) as exc:
        raise ProblemError(file, "", f"cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ProblemError(file, "", "expected an object of paths")
    return {
        str(key).strip("/"): str(value["entry_point"])
        for key, value in data.items()
        if isinstance(value, dict) and isinstance(value.get("entry_point"), str)
    }


def _entered(
    submission: Submission, root: Path, entries: dict[str, str], table: LanguageTable
) -> Submission:
    entry = entries.get(submission.path.relative_to(root).as_posix())
    return submission if entry is None else with_entry(submission, entry, table)


def calibrate(package: Package, grade: Grade, table: LanguageTable) -> Timing:
    """The package's time limit: the given one, or derived from its accepted submissions."""
    timing, _ = _calibrated(package, grade, _accepted(package, table))
    return timing


def verify(
    problem: Problem,
    package: Package | None,
    grade: Grade,
    table: LanguageTable,
) -> Verification:
    """Judge every filed submission of ``problem`` (a package's, or grader's own)."""
    rules = _rules(problem, package)
    found, ignored = filed_submissions(problem.root, table, rules, annotations=package is not None)
    filed = [f for f in found if not _no_runtime(f.submission)]
    skipped = tuple(f for f in found if _no_runtime(f.submission))
    results: dict[str, SubmissionResult] = {}
    if package is None:
        timing = Timing(problem.limits.time, "given in problem.yaml", problem.limits.time)
    else:
        accepted = [f for f in filed if f.folder == "accepted"]
        timing, calibration = _calibrated(package, grade, [f.submission for f in accepted])
        problem = package.with_time_limit(timing.limit, timing.how)
        results.update((r.id, r) for r in calibration)
    _judge(problem, grade, [f for f in filed if not f.expected.slow], results)
    slow = _with_time(problem, timing.tle_limit)
    _judge(slow, grade, [f for f in filed if f.expected.slow], results)
    pairs = tuple((f, results[f.submission.id]) for f in filed)
    return Verification(problem, timing, pairs, tuple(ignored), skipped)


def _no_runtime(submission: Submission) -> bool:
    """In a language grader has no runtime for: skipped, as problemtools skips them."""
    return submission.language is None and submission.reason.startswith(UNSUPPORTED)


def _rules(problem: Problem, package: Package | None) -> Rules:
    """The folders' expectations, and for a 2025-09 package its submissions.yaml."""
    version = package.version if package else "grader"
    file = problem.root / "submissions" / "submissions.yaml"
    if version == "legacy" or not file.is_file():
        return Rules(folders_for(version))
    return read_rules(file, folders_for(version))


def _judge(
    problem: Problem,
    grade: Grade,
    filed: Sequence[Filed],
    results: dict[str, SubmissionResult],
) -> None:
    todo = [f.submission for f in filed if f.submission.id not in results]
    if todo:
        report = grade(problem, todo)
        results.update((result.id, result) for result in report.submissions)


def _accepted(package: Package, table: LanguageTable) -> list[Submission]:
    folder = package.problem.root / "submissions" / "accepted"
    if package.time.given is None and not folder.is_dir():
        raise ProblemError(
            package.problem.root / "problem.yaml",
            "limits",
            "no time limit (limits.time_limit or .timelimit) and no submissions/accepted/ "
            "to derive one from",
        )
    if package.time.given is not None:
        return []
    return [s for s in programs_in(folder, table, "accepted/") if not _no_runtime(s)]


def _calibrated(
    package: Package, grade: Grade, accepted: Sequence[Submission]
) -> tuple[Timing, tuple[SubmissionResult, ...]]:
    time = package.time
    if time.given is not None:
        return _timing(time, time.given, f"given in {time.source}"), ()
    report = grade(package.problem, accepted)
    if not report.complete:
        raise KeyboardInterrupt  # interrupted while timing: no limit to judge with
    passed = [r for r in report.submissions if r.verdict is Verdict.AC]
    if not passed:
        raise ProblemError(
            package.problem.root / "submissions" / "accepted",
            "",
            f"no accepted submission passed within {CALIBRATION_TIME:g} s CPU per case, so "
            "no time limit can be derived (give limits.time_limit or .timelimit)",
        )
    slowest = max(case.cpu_time or 0.0 for r in passed for case in r.cases)
    how = f"slowest accepted case {slowest:.3f} s x {time.multiplier:g}, {time.rounding()}"
    return _timing(time, time.derive(slowest), how), report.submissions


def _timing(time: TimeLimit, limit: float, how: str) -> Timing:
    return Timing(limit, how, limit * time.safety_margin)


def _with_time(problem: Problem, seconds: float) -> Problem:
    if seconds == problem.limits.time:
        return problem
    return with_time_limit(problem, seconds, "the time limit x the safety margin (TLE jury runs)")


def verification_lines(checked: Verification) -> list[str]:
    """What ``grader verify`` prints: the timing, one line per submission, then every
    mismatch again, as a list to act on."""
    problem = checked.problem
    lines = [f"{problem.name}: {checked.timing.describe(margin=True)}"]
    for filed, result in checked.results:
        state = "ok" if filed.expected.met(result) else f"expected {filed.expected}"
        lines.append(f"  {filed.submission.id:<40} {result.verdict.value:<4} {state}")
    for folder in checked.ignored:
        lines.append(f"  (submissions/{folder}/ names no verdict: not judged)")
    for filed in checked.skipped:
        lines.append(f"  {filed.submission.id:<40} skip {filed.submission.reason}")
    wrong = checked.mismatches
    if not wrong:
        lines.append(f"all {len(checked.results)} submissions earn their folder's verdict")
        return lines
    lines.append(f"{len(wrong)} of {len(checked.results)} do not earn their folder's verdict:")
    for filed, result in wrong:
        lines.append(
            f"  {filed.submission.path}: {filed.folder}/ expects {filed.expected}, "
            f"{_missed(filed.expected, result)}"
        )
    return lines


def _missed(expected: Expectation, result: SubmissionResult) -> str:
    if expected.verdicts:
        return f"got {result.verdict}{_why(result)}"
    case = expected.offending(result)
    said = (case.message if case else "") or ""
    return expected.miss(result) + (f": {said.splitlines()[0][:200]}" if said else "")


def _why(result: SubmissionResult) -> str:
    failed = next((c for c in result.cases if c.verdict is result.verdict), None)
    detail = (failed.message if failed else "") or result.message
    where = f" on case {failed.name}" if failed and result.verdict is not Verdict.AC else ""
    return f"{where}: {detail.splitlines()[0][:200]}" if detail else where
