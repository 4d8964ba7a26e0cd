"""Compiling a submission (or a checker program): sources -> the files its run command needs.

Compilation runs in a box of its own with generous limits (``COMPILE_LIMITS``: enough for
g++ and javac, never counted against the run limits); the box is ``reusable``, scrubbed
between compilations like a run box between cases. A compiler that fails, hangs or
explodes (an include bomb) is stopped by those limits: the result is ``None`` and a
capped log saying why; a compiler that cannot start at all is the image's fault
(``SandboxError``, so IE). A syntax check (``check_only``) hands on the sources; a JVM
language gets ``main.args`` naming the class that declares main (``jvm_main``), else the
entry's class. Also here: expanding a language's command template.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath

from grader.errors import SandboxError
from grader.judging.jvm_main import ARGS_FILE, choose_main, main_classes
from grader.judging.verdicts import classify
from grader.model import MIB, Language, Limits, ProgramFile, Submission
from grader.sandbox.base import BoxSpec, RunSpec, Sandbox

__all__ = [
    "COMPILE_LIMITS",
    "LOG_CHARS",
    "SUPERVISOR_ALLOWANCE",
    "Compiled",
    "compile_program",
    "expand",
]

# Container memory for the supervisor (a Python process) and the program's files on tmpfs,
# added on top of a limit; the program's own peak is judged against the limit.
SUPERVISOR_ALLOWANCE = 32 * MIB
COMPILE_LIMITS = Limits(
    time=30.0, wall=60.0, memory=512 * MIB, output=1 * MIB, processes=128, scratch=256 * MIB
)
LOG_CHARS = 64 * 1024
Compiled = tuple[tuple[ProgramFile, ...] | None, str]  # the files (None: CE) and the log
_FIELD = re.compile(r"\{(entry|main|memory_mb)\}")


def compile_program(
    sandbox: Sandbox, image: str, submission: Submission, language: Language, limits: Limits
) -> Compiled:
    """The compiled files (None for a compile error) and the compiler's log; the sources
    themselves for a language that is not compiled."""
    if language.compile is None:
        return submission.files, ""
    spec = BoxSpec(
        image=image,
        memory=limits.memory + SUPERVISOR_ALLOWANCE,
        cpus=max(limits.cpus, 1.0),
        processes=limits.processes,
        scratch=limits.scratch,
        purpose="compile",
        reusable=True,
    )
    argv = expand(language.compile, submission, language, limits.memory)
    with sandbox.open(spec) as box:
        box.load(submission.files)
        run = box.run(
            RunSpec(
                argv=argv,
                cpu=limits.time,
                wall=limits.wall,
                output=limits.output,
                env=language.env,
                collect=True,
            )
        )
    if run.start_error and run.exit_code is None:  # the image's fault, not the program's
        raise SandboxError(f"the compiler did not start: {run.start_error}")
    log = _text(run.stderr + run.stdout, LOG_CHARS)
    failure = classify(run, limits)
    if language.check_only and not (run.start_error or failure):
        return submission.files, log  # the check passed: the run needs the sources
    if run.start_error or failure or not run.files:
        why = run.start_error or (failure[1] if failure else "the compiler produced nothing")
        return None, _noted(log, why)
    if language.jvm_main:
        return _with_main_class(run.files, submission.entry, log)
    return run.files, log


def _with_main_class(
    files: tuple[ProgramFile, ...], entry: str, log: str
) -> tuple[tuple[ProgramFile, ...], str]:
    """The compiled classes plus the launcher's argument file naming the class to run.
    With no class declaring main, the entry's own class runs and the JVM's "Main method
    not found" makes it RTE, as DOMjudge judges it (the log says so)."""
    main = choose_main(main_classes(files), entry)
    name = main.name if main else PurePath(entry).stem
    if main is None:
        log = _noted(log, f"no class declares public static void main(String[]): running {name}")
    return (*files, ProgramFile(ARGS_FILE, f"{name}\n".encode())), log


def _noted(log: str, why: str) -> str:
    return f"{log}\n[grader] {why}".strip()


def expand(
    template: Sequence[str], submission: Submission, language: Language, memory: int
) -> tuple[str, ...]:
    """Substitute {entry}, {main} (its stem), {memory_mb} (the memory limit in MiB) and
    {sources} (one argument per source file), in one pass."""
    entry = submission.entry
    fields = {"entry": entry, "main": PurePath(entry).stem, "memory_mb": str(memory // MIB)}
    sources = [f.path for f in submission.files if language.is_source(f.path)]
    argv: list[str] = []
    for arg in template:
        if arg == "{sources}":
            argv.extend(sources)
        else:
            argv.append(_FIELD.sub(lambda m: fields[m[1]], arg))
    return tuple(argv)


def _text(data: bytes, limit: int) -> str:
    text = data[:limit].decode("utf-8", errors="backslashreplace")
    return text + (f"\n[... {len(data) - limit} more bytes]" if len(data) > limit else "")
