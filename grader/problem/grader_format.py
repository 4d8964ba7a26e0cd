"""Problem definitions: ``problem.yaml`` -> ``Problem``, validated once, at the edge.

Reads the YAML file and the case files it names (relative to the problem folder).
Every mistake raises ``ProblemError`` naming the file, the line and key, and what was
expected; nothing past this module sees raw mappings. This module reads the top level
(name, title, description) and hands each part to its reader: ``limits`` (with
``time_multipliers``), ``checker_config``, ``groups``, ``cases``; their keys and bounds
are importable from here too. A Kattis problem package is read by ``kattis``.
"""

from __future__ import annotations

from pathlib import Path

from grader.errors import ProblemError
from grader.model import Limits, Problem
from grader.problem.cases import MAX_CASE_FILE, TEST_KEYS, read_tests
from grader.problem.checker_config import (
    CHECKER_KEYS,
    INTERACTOR_KEYS,
    PROGRAM_KEYS,
    read_checker,
    read_interactor,
)
from grader.problem.fields import Fields
from grader.problem.groups import GROUP_KEYS, check_groups_used, read_groups
from grader.problem.limits import (
    LIMIT_BOUNDS,
    LIMIT_KEYS,
    default_wall,
    read_limits,
    read_multipliers,
)
from grader.problem.yamlfile import read_yaml

__all__ = [
    "CHECKER_KEYS",
    "FILE_NAMES",
    "GROUP_KEYS",
    "INTERACTOR_KEYS",
    "LIMIT_BOUNDS",
    "LIMIT_KEYS",
    "MAX_CASE_FILE",
    "PROGRAM_KEYS",
    "TEST_KEYS",
    "TOP_KEYS",
    "default_wall",
    "load_problem",
    "problem_file",
]

FILE_NAMES = ("problem.yaml", "problem.yml")
TOP_KEYS = (
    "name",
    "title",
    "description",
    "limits",
    "time_multipliers",
    "checker",
    "interactor",
    "groups",
    "tests",
)


def problem_file(path: Path) -> Path:
    """The YAML file of a problem given as a folder or as the file itself."""
    if path.is_dir():
        for name in FILE_NAMES:
            if (path / name).is_file():
                return path / name
        raise ProblemError(path, "", f"no {FILE_NAMES[0]} in this folder")
    if path.is_file():
        return path
    raise ProblemError(path, "", "no such problem folder or file")


def load_problem(path: Path) -> Problem:
    """Read and validate a problem in grader's own YAML; raises ProblemError. (Either
    format: ``grader.problem.load``.)"""
    return _read(Fields(problem_file(Path(path))))


def _read(fields: Fields) -> Problem:
    data = read_yaml(fields.file, allow_empty=False)
    fields.known(data, TOP_KEYS, "")
    name = fields.name(data, "", fields.root.name, data.lines.get("name", 0))
    line = data.lines.get("limits", 0)
    limits = read_limits(fields, data.get("limits"), Limits(), "limits", line)
    interactor = read_interactor(fields, data)
    checker = interactor or read_checker(fields, data)
    groups = read_groups(fields, data)
    tests = read_tests(fields, data, limits, groups)
    check_groups_used(fields, data, groups, tests)
    return Problem(
        name=name,
        title=fields.text(data, "title", "", default=name),
        root=fields.root,
        limits=limits,
        checker=checker,
        tests=tests,
        description=fields.text(data, "description", ""),
        groups=groups,
        time_multipliers=read_multipliers(fields, data),
        interactive=interactor is not None,
    )
