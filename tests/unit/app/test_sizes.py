"""Small modules and small functions (issue 14): a module over 300 lines or a function over
50 is a sign that it does more than one job. The supervisor is the one exception: it is
sent into each container as a single stdlib-only file."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from paths import ROOT

PACKAGE = ROOT / "grader"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50
SINGLE_FILE = {PACKAGE / "sandbox" / "supervisor.py"}


@pytest.mark.parametrize(
    "path",
    [path for path in MODULES if path not in SINGLE_FILE],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_module_is_over_300_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_is_over_50_lines(path: Path) -> None:
    tree = ast.parse(path.read_text())
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long
