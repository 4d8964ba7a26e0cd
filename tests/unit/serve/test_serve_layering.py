"""grader serve calls the library and never the engine: no module of grader/serve/
imports docker, and only ``backend`` reaches below the sandbox's seam (through the
library's ``Engine``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from paths import ROOT

SERVE = sorted((ROOT / "grader" / "serve").glob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", SERVE, ids=lambda p: p.name)
def test_no_serve_module_imports_docker(path: Path) -> None:
    assert not {name for name in imported(path) if name.split(".")[0] == "docker"}


@pytest.mark.parametrize("path", SERVE, ids=lambda p: p.name)
def test_only_the_backend_reaches_the_docker_sandbox(path: Path) -> None:
    below = {"grader.sandbox.docker", "grader.sandbox.engine", "grader.sandbox.box"}
    assert not imported(path) & below
