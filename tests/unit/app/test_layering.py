"""The house's one rule of direction: imports go down the data flow, never up, and form no
cycle. Layers, from the bottom:

    leaves (model, errors, quantities, environment) < sandbox < submissions < checkers < problem
    < judging < verify < report < app < entry points (cli, serve, cluster)

A module may import its own layer and those below. Function-level (lazy) imports count
too: a lazy import hides a cycle, it does not remove it. Only ``sandbox/`` imports docker.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import ROOT

LAYERS = [
    {"grader", "grader.model", "grader.errors", "grader.quantities", "grader.environment"},
    {"grader.sandbox"},
    {"grader.submissions"},
    {"grader.checkers"},
    {"grader.problem"},
    {"grader.judging"},
    {"grader.verify"},
    {"grader.report"},
    {"grader.app"},
    {"grader.cli", "grader.__main__", "grader.serve", "grader.cluster"},
]
PACKAGE = ROOT / "grader"
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """The layer of ``module``: that of the longest layer name it is, or is inside."""
    best, rank = -1, -1
    for index, names in enumerate(LAYERS):
        for name in names:
            inside = module == name or module.startswith(name + ".")
            if inside and len(name) > best:
                best, rank = len(name), index
    assert rank >= 0, f"{module} is in no layer: add it to LAYERS"
    return rank


def imports(path: Path) -> Iterator[str]:
    """Every grader module ``path`` imports, at any depth (lazy imports too)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "grader")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "grader":
                continue
            for alias in node.names:  # from grader import kattis: the submodule counts
                candidate = f"{node.module}.{alias.name}"
                exists = (ROOT / candidate.replace(".", "/")).exists() or (
                    ROOT / (candidate.replace(".", "/") + ".py")
                ).exists()
                yield candidate if exists else node.module


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_go_down_the_layers(path: Path) -> None:
    here = module_name(path)
    upward = [m for m in imports(path) if layer(m) > layer(here)]
    assert not upward, f"{here} (layer {layer(here)}) imports upward: {upward}"


def test_there_is_no_import_cycle() -> None:
    graph = {module_name(p): set(imports(p)) for p in MODULES}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target == node or target not in graph or _parent(node, target):
                continue
            assert state.get(target) != 1, "import cycle: " + " -> ".join([*trail, target])
            if state.get(target) is None:
                visit(target, [*trail, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def _parent(module: str, target: str) -> bool:
    """A package's own __init__ imported by its submodule (Python runs it first anyway)."""
    return module.startswith(target + ".")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_only_the_sandbox_imports_docker(path: Path) -> None:
    tree = ast.parse(path.read_text())
    docker = [
        n
        for n in ast.walk(tree)
        if (isinstance(n, ast.Import) and any(a.name.split(".")[0] == "docker" for a in n.names))
        or (isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "docker")
    ]
    assert not docker or module_name(path).startswith("grader.sandbox")
