"""A new problem folder (``grader new PROBLEM_DIR``) that ``grader check`` accepts as is.

Writes ``problem.yaml`` with every optional key shown at its default (commented where the
default is computed), ``tests/`` and ``submissions/accepted/`` holding a stub in the chosen
language that copies its input to its output. Without examples the problem has one
visible case, ``echo``, that the stub passes; with ``--from-examples IN_DIR`` every
``NAME.in`` / ``NAME.ans`` pair there is copied to ``tests/`` and becomes case ``NAME``
(visible when NAME starts with ``sample``), and the stub is a starting point that
``grader verify`` will rightly report until it is replaced by a real solution.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError
from grader.problem.fields import NAME_RULE, is_name

__all__ = ["STUBS", "Example", "find_examples", "problem_yaml", "scaffold"]

# Language key -> (file name, a program that copies stdin to stdout).
STUBS: dict[str, tuple[str, str]] = {
    "python": (
        "solution.py",
        "import sys\n\n# TODO: solve the problem; this stub copies its input to its output.\n"
        "sys.stdout.write(sys.stdin.read())\n",
    ),
    "c": (
        "solution.c",
        "#include <stdio.h>\n\n/* TODO: solve the problem; this stub copies its input. */\n"
        "int main(void) {\n    int c;\n    while ((c = getchar()) != EOF) putchar(c);\n"
        "    return 0;\n}\n",
    ),
    "cpp": (
        "solution.cpp",
        "#include <iostream>\n\n// TODO: solve the problem; this stub copies its input.\n"
        "int main() {\n    char c;\n    while (std::cin.get(c)) std::cout.put(c);\n}\n",
    ),
    "java": (
        "solution.java",
        "// TODO: solve the problem; this stub copies its input to its output.\n"
        "public class Solution {\n    public static void main(String[] args) "
        "throws java.io.IOException {\n        System.in.transferTo(System.out);\n"
        "        System.out.flush();\n    }\n}\n",
    ),
    "javascript": (
        "solution.js",
        "// TODO: solve the problem; this stub copies its input to its output.\n"
        'process.stdout.write(require("fs").readFileSync(0));\n',
    ),
    "go": (
        "solution.go",
        'package main\n\nimport (\n\t"io"\n\t"os"\n)\n\n'
        "// TODO: solve the problem; this stub copies its input to its output.\n"
        "func main() {\n\tio.Copy(os.Stdout, os.Stdin)\n}\n",
    ),
    "rust": (
        "solution.rs",
        "use std::io::{self, Read, Write};\n\n"
        "// TODO: solve the problem; this stub copies its input to its output.\n"
        "fn main() {\n    let mut input = Vec::new();\n"
        "    io::stdin().read_to_end(&mut input).unwrap();\n"
        "    io::stdout().write_all(&input).unwrap();\n}\n",
    ),
}

_HEADER = """\
# Made by `grader new`. Every key but `tests` is optional; defaults are shown.
name: {name}
title: {name}
description: ""
limits:
  time: 1          # CPU seconds per case: 1, 0.5, "500ms", "2s"
  # wall: 3        # wall seconds; default min(10, 2 x time / min(cpus, 1) + 1), >= time + 1
  memory: 128      # MiB per case: 64, "64MB", "1GB"
  output: 8        # MiB of stdout (and, separately, stderr); beyond it: OLE
  processes: 64    # processes + threads
  cpus: 1          # CPU quota per run, in cores
  scratch: 64      # MiB of writable /tmp and /box
# time_multipliers: {{java: 2}}   # a language's CPU and wall limits x factor
checker: tokens    # or lines, exact, unordered_lines; {{name: tokens, options: {{...}}}}
# groups:          # subtasks, see the README
#   sample: {{visible: true, points: 0}}
tests:
"""


@dataclass(frozen=True)
class Example:
    """One ``NAME.in`` / ``NAME.ans`` pair of an examples folder."""

    name: str
    input: Path
    answer: Path


def find_examples(folder: Path) -> list[Example]:
    """The ``*.in`` / ``*.ans`` pairs of ``folder``, samples first, then by name; a lone
    half is an error."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder of examples")
    inputs = {path.stem: path for path in folder.glob("*.in") if path.is_file()}
    answers = {path.stem: path for path in folder.glob("*.ans") if path.is_file()}
    for stem in sorted(inputs.keys() ^ answers.keys()):
        lone = inputs.get(stem) or answers[stem]
        other = ".ans" if stem in inputs else ".in"
        raise UsageError(f"{lone}: no {stem}{other} beside it")
    for stem in sorted(inputs):
        if not is_name(stem):
            raise UsageError(f"{inputs[stem]}: {stem!r} is not a case name ({NAME_RULE})")
    if not inputs:
        raise UsageError(f"{folder}: no NAME.in / NAME.ans pairs")
    order = sorted(inputs, key=lambda stem: (not stem.startswith("sample"), stem))
    return [Example(stem, inputs[stem], answers[stem]) for stem in order]


def _case(name: str, visible: bool, body: str) -> str:
    shown = "\n    visible: true" if visible else ""
    return f"  - name: {json.dumps(name)}{shown}\n{body}"


def problem_yaml(name: str, examples: list[Example]) -> str:
    """The text of ``problem.yaml`` for problem ``name`` with ``examples`` as its cases."""
    if not examples:
        echo = '    stdin: "hello\\n"\n    expected_output: "hello\\n"\n'
        return _HEADER.format(name=json.dumps(name)) + _case("echo", True, echo)
    cases = [
        _case(
            example.name,
            example.name.startswith("sample"),
            f"    stdin_file: {json.dumps(f'tests/{example.name}.in')}\n"
            f"    expected_output_file: {json.dumps(f'tests/{example.name}.ans')}\n",
        )
        for example in examples
    ]
    return _HEADER.format(name=json.dumps(name)) + "".join(cases)


def scaffold(folder: Path, language: str = "python", examples_dir: Path | None = None) -> Path:
    """Create the problem ``folder``; returns the stub written. Refuses a folder that
    exists and is not empty, an unknown language and a bad examples folder."""
    if language not in STUBS:
        raise UsageError(f"no stub for language {language!r} (one of: {', '.join(STUBS)})")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder}: exists and is not an empty folder")
    name = folder.resolve().name
    if not is_name(name):
        raise UsageError(f"{folder}: a problem's folder name needs {NAME_RULE}")
    examples = find_examples(examples_dir) if examples_dir is not None else []
    (folder / "tests").mkdir(parents=True, exist_ok=True)
    for example in examples:
        shutil.copyfile(example.input, folder / "tests" / f"{example.name}.in")
        shutil.copyfile(example.answer, folder / "tests" / f"{example.name}.ans")
    (folder / "problem.yaml").write_text(problem_yaml(name, examples), encoding="utf-8")
    file_name, source = STUBS[language]
    stub = folder / "submissions" / "accepted" / file_name
    stub.parent.mkdir(parents=True)
    stub.write_text(source, encoding="utf-8")
    return stub
