"""Problems: grader's own ``problem.yaml`` (``grader_format``) or a Kattis / DOMjudge package
(``kattis``), read and validated once at the edge into frozen ``Problem`` values; limits,
cases, groups, checker configuration, problem sets (``contest``), what filed jury
submissions must earn (``expectations``) and new problem folders (``scaffold``).

``load`` is the one place that decides which format a folder is in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from grader.model import Problem
from grader.problem.grader_format import load_problem, problem_file
from grader.problem.kattis import Package, is_package, load_package

__all__ = ["load"]


def load(path: Path, log: Callable[[str], None] | None = None) -> tuple[Problem, Package | None]:
    """The problem at ``path``, and its package if it is a Kattis package (whose
    warnings, what was read and ignored, go to ``log``)."""
    folder = Path(path) if Path(path).is_dir() else problem_file(Path(path)).parent
    if not is_package(folder):
        return load_problem(path), None
    package = load_package(folder)
    for warning in package.warnings:
        if log is not None:
            log(f"warning: {warning}")
    return package.problem, package
