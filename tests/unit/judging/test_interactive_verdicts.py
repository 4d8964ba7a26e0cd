"""Interactive judging without an engine: problemtools' verdict order over the two runs,
the transcript's lines, and how an interactive problem is declared (grader's
``interactor:``, a Kattis ``validation: custom interactive``, a 2025-09
``type: interactive``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from interactive_packages import FORMAT_2025, LEGACY, kattis_guess
from paths import ROOT

from grader.errors import ProblemError
from grader.judging.conventions import FEEDBACK
from grader.judging.interactive import (
    INTERACTOR,
    SUBMISSION,
    Interaction,
    Transcript,
    verdict,
)
from grader.model import (
    CheckerProgram,
    Convention,
    KilledBy,
    Limits,
    ProgramFile,
    RunResult,
    Submission,
    Verdict,
)
from grader.problem import load
from grader.problem.grader_format import load_problem
from grader.sandbox.fake import ok_run

GUESS = ROOT / "problems" / "guess"
LIMITS = Limits(time=1.0)
PROGRAM = CheckerProgram(Submission("interactor", Path("i.py"), None, ()), Convention.KATTIS)
KILLED = {"exit_code": None, "signal": 9}


def interactor(code: int | None, message: str = "", **changes: object) -> RunResult:
    files = (ProgramFile(f"{FEEDBACK}/judgemessage.txt", message.encode()),) if message else ()
    return ok_run(exit_code=code, files=files, **changes)


def judged(
    submission: RunResult, judge: RunResult, first: str = SUBMISSION, turn: str = SUBMISSION
) -> tuple[Verdict, str]:
    found = Interaction(submission, judge, first, turn, "")
    result, _share, message = verdict(found, LIMITS, PROGRAM, (0, 0))
    return result, message


# ---- verdict order ---------------------------------------------------------------------


def test_interactor_accepting_a_clean_run_is_ac() -> None:
    assert judged(ok_run(), interactor(42, "found it")) == (Verdict.AC, "found it")


def test_crashed_interactor_is_ie_even_when_the_submission_was_accepted_like() -> None:
    result, message = judged(ok_run(), interactor(1))
    assert result is Verdict.IE and "interactor failed" in message


def test_crashed_interactor_is_ie_before_the_submissions_tle() -> None:
    slow = ok_run(cpu_time=1.5, killed_by=KilledBy.CPU, **KILLED)
    assert judged(slow, interactor(None, signal=11))[0] is Verdict.IE


def test_interactor_exiting_first_with_wa_beats_the_submissions_crash() -> None:
    crashed = ok_run(exit_code=1)
    assert judged(crashed, interactor(43, "bad query"), first=INTERACTOR) == (
        Verdict.WA,
        "bad query",
    )


def test_submission_tle_beats_the_interactors_later_wa() -> None:
    slow = ok_run(cpu_time=1.5, killed_by=KilledBy.CPU, **KILLED)
    assert judged(slow, interactor(43, "no answer"))[0] is Verdict.TLE


def test_submission_rte_beats_the_interactors_later_wa() -> None:
    assert judged(ok_run(exit_code=3), interactor(43))[0] is Verdict.RTE


def test_submission_rte_beats_the_interactors_ac() -> None:
    assert judged(ok_run(signal=11, exit_code=None), interactor(42))[0] is Verdict.RTE


def test_memory_and_output_verdicts_of_the_submission_come_before_the_interactors() -> None:
    assert judged(ok_run(oom=True, **KILLED), interactor(42))[0] is Verdict.MLE
    flood = ok_run(killed_by=KilledBy.OUTPUT, **KILLED)
    assert judged(flood, interactor(43))[0] is Verdict.OLE


def test_interactor_exiting_first_with_wa_beats_the_submissions_wall_limit() -> None:
    waited = ok_run(killed_by=KilledBy.WALL, **KILLED)
    assert judged(waited, interactor(43, "gave up"), first=INTERACTOR)[0] is Verdict.WA


def test_wall_limit_with_the_submission_to_answer_is_tle() -> None:
    waited = ok_run(killed_by=KilledBy.WALL, **KILLED)
    result, message = judged(waited, interactor(43), turn=SUBMISSION)
    assert result is Verdict.TLE and "wall limit of 2 s" in message


def test_wall_limit_with_the_interactor_to_answer_is_ie() -> None:
    waited = ok_run(killed_by=KilledBy.WALL, **KILLED)
    stuck = interactor(None, killed_by=KilledBy.WALL, signal=9)
    assert judged(waited, stuck, turn=INTERACTOR)[0] is Verdict.IE


def test_submission_that_cannot_start_is_ie() -> None:
    broken = RunResult(None, None, 0.0, 0.0, 0, b"", b"", start_error="no such file")
    assert judged(broken, interactor(43)) == (Verdict.IE, "no such file")


# ---- the transcript ----------------------------------------------------------------------


def test_transcript_marks_each_line_with_its_direction() -> None:
    transcript = Transcript()
    transcript.add(">", b"10 4\n")
    transcript.add("<", b"? 5\n")
    lines = transcript.text().splitlines()
    assert [line.split(None, 1)[1] for line in lines] == ["> 10 4", "< ? 5"]


def test_transcript_joins_a_line_split_across_chunks() -> None:
    transcript = Transcript()
    transcript.add("<", b"? 1")
    transcript.add("<", b"23\n")
    assert transcript.text().split(None, 1)[1] == "< ? 123"


def test_transcript_flushes_an_unfinished_line() -> None:
    transcript = Transcript()
    transcript.add("<", b"! 7")
    assert transcript.text().endswith("< ! 7 (no newline)")


def test_transcript_keeps_only_its_cap() -> None:
    transcript = Transcript(cap=10)
    transcript.add("<", b"x" * 100 + b"\n")
    text = transcript.text()
    assert "x" * 10 in text and "x" * 11 not in text and "cut at 64 KiB" in text


# ---- declaring an interactive problem -------------------------------------------------------


def test_grader_interactor_key_makes_an_interactive_problem() -> None:
    problem = load_problem(GUESS)
    assert problem.interactive
    assert problem.checker.program is not None
    assert problem.checker.program.convention is Convention.KATTIS


def test_interactor_with_a_checker_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "guess"
    shutil.copytree(GUESS, folder)
    yaml = folder / "problem.yaml"
    yaml.write_text(yaml.read_text().replace("interactor:", "checker: tokens\ninteractor:"))
    with pytest.raises(ProblemError, match="give no checker"):
        load_problem(folder)


def test_kattis_legacy_custom_interactive_is_an_interactive_problem(tmp_path: Path) -> None:
    problem, package = load(kattis_guess(tmp_path, LEGACY, "output_validators"))
    assert package is not None and problem.interactive
    assert problem.checker.program is not None


def test_kattis_2025_type_interactive_is_an_interactive_problem(tmp_path: Path) -> None:
    problem, package = load(kattis_guess(tmp_path, FORMAT_2025, "output_validator"))
    assert package is not None and problem.interactive


def test_kattis_2025_interactive_without_an_interactor_is_refused(tmp_path: Path) -> None:
    folder = kattis_guess(tmp_path, FORMAT_2025, "output_validator")
    shutil.rmtree(folder / "output_validator")
    with pytest.raises(ProblemError, match="needs its interactor"):
        load(folder)


def test_kattis_2025_multi_pass_is_still_refused(tmp_path: Path) -> None:
    yaml = FORMAT_2025.replace("type: interactive", "type: [interactive, multi-pass]")
    with pytest.raises(ProblemError, match="multi-pass problems are not supported"):
        load(kattis_guess(tmp_path, yaml, "output_validator"))


def test_kattis_sample_interaction_file_is_read_with_its_case(tmp_path: Path) -> None:
    folder = kattis_guess(tmp_path, LEGACY, "output_validators")
    (folder / "data" / "sample" / "1.interaction").write_text(">10 4\n<? 5\n")
    problem, package = load(folder)
    assert package is not None and not package.warnings
    sample = next(case for case in problem.tests if case.name == "sample/1")
    assert sample.interaction == b">10 4\n<? 5\n"
