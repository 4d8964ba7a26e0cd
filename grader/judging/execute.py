"""One program, one input -> ``Execution``: what an online editor's Run button needs.

Unlike judging there is no expected output: the program is compiled once (``compile``),
run once in a box of its own (sized as a judge's, ``boxes``), and its run classified by
the resource rules of ``verdicts.classify`` (a clean exit is AC). Its stdout and stderr
come back as bytes. A sandbox failure is IE, never an exception. Starts containers only
through the sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.errors import SandboxError
from grader.judging.boxes import run_box, run_spec
from grader.judging.compile import COMPILE_LIMITS, compile_program
from grader.judging.verdicts import classify
from grader.model import Language, Limits, ProgramFile, RunResult, Submission, Verdict
from grader.sandbox.base import Sandbox

__all__ = ["Execution", "execute", "source_submission"]


@dataclass(frozen=True)
class Execution:
    """The outcome of one run: a verdict for a plain run (AC, RTE, TLE, MLE, OLE, CE, IE),
    why, the compiler's log, and the run itself (None when it never ran)."""

    verdict: Verdict
    message: str = ""
    compile_log: str = ""
    run: RunResult | None = None


def source_submission(run_id: str, language: Language, code: bytes) -> Submission:
    """A one-file submission of ``code``, named as the language's first entry point."""
    entry = language.entry_names[0] if language.entry_names else f"main.{language.extensions[0]}"
    files = (ProgramFile(entry, code),)
    return Submission(run_id, Path(entry), language, files, entry=entry)


def execute(
    sandbox: Sandbox,
    image_tags: Mapping[str, str],
    submission: Submission,
    stdin: bytes,
    limits: Limits,
    *,
    reusable: bool = False,
) -> Execution:
    """Compile ``submission`` and run it once on ``stdin`` under ``limits``."""
    language = submission.language
    if language is None:
        return Execution(Verdict.CE, submission.reason or "unknown language")
    try:
        image = image_tags[language.image]
        program, log = compile_program(sandbox, image, submission, language, COMPILE_LIMITS)
        if program is None:
            return Execution(Verdict.CE, "compilation failed", log)
        run = _run(sandbox, image, submission, language, program, stdin, limits, reusable)
    except (SandboxError, KeyError) as exc:
        return Execution(Verdict.IE, str(exc))
    return Execution(*_verdict(run, limits, language), compile_log=log, run=run)


def _run(
    sandbox: Sandbox,
    image: str,
    submission: Submission,
    language: Language,
    program: tuple[ProgramFile, ...],
    stdin: bytes,
    limits: Limits,
    reusable: bool,
) -> RunResult:
    with sandbox.open(run_box(image, language, [limits], reusable)) as opened:
        opened.load(program)
        return opened.run(run_spec(submission, language, stdin, limits))


def _verdict(run: RunResult, limits: Limits, language: Language) -> tuple[Verdict, str]:
    if run.start_error:
        return Verdict.IE, run.start_error
    found = classify(run, limits, language.memory_allowance)
    return found if found is not None else (Verdict.AC, "")
