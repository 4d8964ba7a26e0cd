"""The container's PID 1 script (grader.sandbox.program): the cgroup reader and the
supervisor as one standard-library program."""

from __future__ import annotations

import ast
import sys

from grader.sandbox.program import supervisor_program


def test_the_script_is_valid_python() -> None:
    compile(supervisor_program(), "<supervisor>", "exec")


def test_the_reader_is_defined_before_the_supervisor_starts() -> None:
    source = supervisor_program()
    assert source.index("def find_cgroup(") < source.index("def main(")


def test_the_script_imports_only_the_standard_library() -> None:
    """Every runtime image has python3 and its standard library, nothing more."""
    tree = ast.parse(supervisor_program())
    modules = {
        (alias.name if isinstance(node, ast.Import) else node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert modules - {"cgroup"} <= sys.stdlib_module_names  # cgroup: only when run from its file
