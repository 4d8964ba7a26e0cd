"""The benchmark's workload: W trivial submissions (spread round-robin over the languages)
x C trivial cases, as plain values every strategy can use.

A ``Program``'s argv come from grader's language table and expect the program's folder to
be ``/box`` (as in grader's sandbox); a strategy that puts it elsewhere rewrites them.
Writes nothing except through ``write_problem`` and ``write_program``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import yaml

from grader.judging.judge import COMPILE_LIMITS, SUPERVISOR_ALLOWANCE
from grader.judging.jvm_main import ARGS_FILE
from grader.model import MIB, Language, Limits

__all__ = ["SOURCES", "Case", "Group", "Program", "build_groups", "write_problem", "write_program"]

BOX = "/box"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
RUN_LIMITS = Limits()  # the problem's limits: grader's defaults
PYTHON = "import sys; print(sys.stdin.read().strip())\n"
C = """\
#include <ctype.h>
#include <stdio.h>

int main(void) {
    static char buf[1 << 16];
    size_t end = fread(buf, 1, sizeof buf, stdin), start = 0;
    while (end > start && isspace((unsigned char)buf[end - 1])) end--;
    while (start < end && isspace((unsigned char)buf[start])) start++;
    printf("%.*s\\n", (int)(end - start), buf + start);
    return 0;
}
"""
JAVA = """\
import java.io.IOException;

public class Main {
    public static void main(String[] args) throws IOException {
        System.out.println(new String(System.in.readAllBytes()).strip());
    }
}
"""
SOURCES: dict[str, tuple[str, str]] = {
    "python": ("main.py", PYTHON),
    "c": ("main.c", C),
    "java": ("Main.java", JAVA),
}


@dataclass(frozen=True)
class Case:
    name: str
    stdin: bytes
    expected: bytes


@dataclass(frozen=True)
class Program:
    """One submission: its files and the argv that compile (once) and run it in /box."""

    id: str
    files: Mapping[str, bytes]
    compile: tuple[str, ...] | None
    run: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """One language's share of the workload, with the limits grader would give its boxes."""

    language: Language
    image: str  # the runtime image's tag
    programs: tuple[Program, ...]
    cases: tuple[Case, ...]

    @property
    def runs(self) -> int:
        return len(self.programs) * len(self.cases)

    @property
    def env(self) -> dict[str, str]:
        return {"PATH": PATH, "LANG": "C.UTF-8", **self.language.env}

    @property
    def memory(self) -> int:
        """A run container's memory cap, as grader's judge computes it."""
        return RUN_LIMITS.memory + SUPERVISOR_ALLOWANCE + self.language.memory_allowance

    @property
    def compile_memory(self) -> int:
        return COMPILE_LIMITS.memory + SUPERVISOR_ALLOWANCE


def make_cases(count: int) -> tuple[Case, ...]:
    return tuple(
        Case(f"c{i:02d}", f"case {i}\n".encode(), f"case {i}\n".encode()) for i in range(count)
    )


def build_groups(
    languages: Sequence[Language], tags: Mapping[str, str], submissions: int, cases: int
) -> tuple[Group, ...]:
    """``submissions`` programs of each language in ``languages``, each with ``cases``."""
    the_cases = make_cases(cases)
    return tuple(
        Group(
            language,
            tags[language.image],
            tuple(_program(language, n) for n in range(submissions)),
            the_cases,
        )
        for language in languages
    )


def first(groups: Sequence[Group], submissions: int) -> tuple[Group, ...]:
    """Each group cut to its first ``submissions`` programs (the slow peers' share: their
    cost is per case, so fewer submissions give the same rate in less time)."""
    return tuple(replace(group, programs=group.programs[:submissions]) for group in groups)


def _program(language: Language, number: int) -> Program:
    entry, source = SOURCES[language.key]
    compile_argv = _expand(language.compile, entry) if language.compile else None
    # Each submission's source is its own (a numbered comment), as a class's are: identical
    # sources would share the result cache's and the cluster's content-keyed work.
    comment = "#" if language.key == "python" else "//"
    files = {entry: f"{source}{comment} submission {number}\n".encode()}
    if language.jvm_main:  # what grader writes after javac (judging.jvm_main): every
        files[ARGS_FILE] = f"{PurePath(entry).stem}\n".encode()  # strategy runs the same
    return Program(
        f"{language.key}-{number:02d}", files, compile_argv, _expand(language.run, entry)
    )


def _expand(template: Sequence[str], entry: str) -> tuple[str, ...]:
    """The language table's fields for a one-file program ({sources} is its entry)."""
    fields = {
        "{entry}": entry,
        "{sources}": entry,
        "{main}": PurePath(entry).stem,
        "{memory_mb}": str(RUN_LIMITS.memory // MIB),
    }
    expanded = []
    for arg in template:
        for field, value in fields.items():
            arg = arg.replace(field, value)
        expanded.append(arg)
    return tuple(expanded)


def write_program(folder: Path, program: Program) -> Path:
    """The program's files in ``folder/<id>/``; returns that folder."""
    home = folder / program.id
    home.mkdir(parents=True)
    for name, data in program.files.items():
        (home / name).write_bytes(data)
    return home


def write_problem(folder: Path, name: str, cases: Sequence[Case]) -> Path:
    """A problem.yaml for grader with these cases and the default limits and checker."""
    tests = [
        {"name": c.name, "stdin": c.stdin.decode(), "expected_output": c.expected.decode()}
        for c in cases
    ]
    folder.mkdir(parents=True)
    (folder / "problem.yaml").write_text(yaml.safe_dump({"name": name, "tests": tests}))
    return folder
