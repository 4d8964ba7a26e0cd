"""Problem definitions: ``problem.yaml`` -> ``Problem``, validated once, at the edge.

Reads the YAML file and the case files it names (relative to the problem folder).
Every mistake raises ``ProblemError`` naming the file, the line and key, and what was
expected; nothing past this module sees raw mappings.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NoReturn

import yaml

from grader import checkers
from grader.errors import ProblemError
from grader.model import MIB, CheckerSpec, Limits, Problem, TestCase
from grader.quantities import parse_duration, parse_size

__all__ = ["LIMIT_BOUNDS", "default_wall", "load_problem", "problem_file"]

FILE_NAMES = ("problem.yaml", "problem.yml")
TOP_KEYS = ("name", "title", "description", "limits", "checker", "tests")
LIMIT_KEYS = ("time", "wall", "memory", "output", "processes", "cpus", "scratch")
TEST_KEYS = (
    "name",
    "description",
    "stdin",
    "stdin_file",
    "expected_output",
    "expected_output_file",
    "points",
    "limits",
)
CHECKER_KEYS = ("name", "options")
MAX_CASE_FILE = 1 << 30
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

# Upper bounds that catch typos (a memory limit of 64000 meaning MB, not 64 GB).
LIMIT_BOUNDS: dict[str, float] = {
    "time": 300,
    "wall": 900,
    "memory": 32 << 30,
    "output": 1 << 30,
    "processes": 4096,
    "cpus": 64,
    "scratch": 4 << 30,
}


def default_wall(time: float, cpus: float) -> float:
    """Wall-clock limit when the problem gives none: room for the CPU limit at the run's
    CPU quota, plus a second, capped at 10 s (never below the CPU limit plus a second)."""
    return max(time + 1.0, min(10.0, 2.0 * time / min(cpus, 1.0) + 1.0))


class _Mapping(dict[Any, Any]):
    """A YAML mapping that remembers the line of each key."""

    line: int = 0
    lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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
    """Read and validate a problem; raises ProblemError."""
    file = problem_file(Path(path))
    return _Reader(file).problem()


@dataclass(frozen=True)
class _Reader:
    file: Path

    @property
    def root(self) -> Path:
        return self.file.parent

    def fail(self, where: str, line: int, message: str) -> NoReturn:
        raise ProblemError(self.file, f"line {line}: {where}" if line else where, message)

    def problem(self) -> Problem:
        data = self._parse()
        self._known(data, TOP_KEYS, "")
        name = self._name(data)
        limits = self._limits(data.get("limits"), Limits(), "limits", data.lines.get("limits", 0))
        checker = self._checker(data)
        tests = self._tests(data, limits)
        return Problem(
            name=name,
            title=self._text(data, "title", "", default=name),
            root=self.root,
            limits=limits,
            checker=checker,
            tests=tests,
            description=self._text(data, "description", ""),
        )

    def _parse(self) -> _Mapping:
        try:
            text = self.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProblemError(self.file, "", f"cannot read: {exc}") from exc
        try:
            data = yaml.load(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            self.fail("YAML", line, f"{exc.problem or exc.context}")
        except yaml.YAMLError as exc:
            self.fail("YAML", 0, str(exc))
        if not isinstance(data, _Mapping):
            self.fail("", 0, "expected a mapping of keys (name, limits, tests, ...)")
        return data

    def _known(self, data: _Mapping, keys: tuple[str, ...], prefix: str) -> None:
        for key in data:
            if key not in keys:
                close = difflib.get_close_matches(str(key), keys, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(keys)})"
                self.fail(f"{prefix}{key}", data.lines.get(key, data.line), f"unknown key{hint}")

    def _name(self, data: _Mapping) -> str:
        name = self._text(data, "name", "", default=self.root.name)
        if not _NAME.match(name):
            self.fail("name", data.lines.get("name", 0), "expected letters, digits, '_', '.', '-'")
        return name

    def _text(self, data: _Mapping, key: str, prefix: str, default: str = "") -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            self.fail(f"{prefix}{key}", data.lines.get(key, data.line), "expected text")
        return value

    def _mapping(self, value: object, where: str, line: int) -> _Mapping:
        if not isinstance(value, _Mapping):
            self.fail(where, line, "expected a mapping")
        return value

    def _limits(self, value: object, base: Limits, where: str, line: int) -> Limits:
        if value is None:
            return replace(base, wall=default_wall(base.time, base.cpus))
        data = self._mapping(value, where, line)
        self._known(data, LIMIT_KEYS, f"{where}.")
        parsed: dict[str, Any] = {}
        for key, raw in data.items():
            parsed[key] = self._limit(key, raw, f"{where}.{key}", data.lines[key])
        limits = replace(base, **parsed)
        if "wall" not in parsed:
            limits = replace(limits, wall=default_wall(limits.time, limits.cpus))
        if limits.wall < limits.time:
            self.fail(f"{where}.wall", data.line, f"wall ({limits.wall} s) is below time")
        return limits

    def _limit(self, key: str, raw: object, where: str, line: int) -> float | int:
        parsers: dict[str, Callable[[object], float | int]] = {
            "time": parse_duration,
            "wall": parse_duration,
            "memory": parse_size,
            "output": parse_size,
            "scratch": parse_size,
            "processes": _positive_int,
            "cpus": _positive_float,
        }
        try:
            value = parsers[key](raw)
        except ValueError as exc:
            self.fail(where, line, str(exc))
        if value > LIMIT_BOUNDS[key]:
            self.fail(where, line, f"{raw!r} is above the maximum of {_bound(key)}")
        return value

    def _checker(self, data: _Mapping) -> CheckerSpec:
        raw = data.get("checker", "tokens")
        line = data.lines.get("checker", 0)
        if isinstance(raw, str):
            name, options = raw, {}
        else:
            spec = self._mapping(raw, "checker", line)
            self._known(spec, CHECKER_KEYS, "checker.")
            name = self._text(spec, "name", "checker.", default="tokens")
            options = dict(self._mapping(spec.get("options", _Mapping()), "checker.options", line))
        try:
            checkers.resolve(name, options)
        except ValueError as exc:
            self.fail("checker", line, str(exc))
        return CheckerSpec(name, options)

    def _tests(self, data: _Mapping, limits: Limits) -> tuple[TestCase, ...]:
        raw = data.get("tests")
        line = data.lines.get("tests", data.line)
        if not isinstance(raw, list) or not raw:
            self.fail("tests", line, "expected a non-empty list of test cases")
        cases: list[TestCase] = []
        for index, item in enumerate(raw, start=1):
            case = self._case(item, index, limits, line)
            if any(other.name == case.name for other in cases):
                self.fail(f"tests[{index}].name", item.line, f"duplicate case name {case.name!r}")
            cases.append(case)
        return tuple(cases)

    def _case(self, item: object, index: int, limits: Limits, line: int) -> TestCase:
        where = f"tests[{index}]"
        case = self._mapping(item, where, line)
        self._known(case, TEST_KEYS, f"{where}.")
        name = self._text(case, "name", f"{where}.", default=str(index))
        if not _NAME.match(name):
            self.fail(f"{where}.name", case.line, "expected letters, digits, '_', '.', '-'")
        return TestCase(
            name=name,
            stdin=self._data(case, "stdin", where, required=False),
            expected=self._data(case, "expected_output", where, required=True),
            limits=self._limits(case.get("limits"), limits, f"{where}.limits", case.line)
            if "limits" in case
            else limits,
            points=self._points(case, where),
            description=self._text(case, "description", f"{where}."),
        )

    def _data(self, case: _Mapping, key: str, where: str, *, required: bool) -> bytes:
        inline, file_key = case.get(key), f"{key}_file"
        if inline is not None and file_key in case:
            self.fail(f"{where}.{key}", case.line, f"give {key} or {file_key}, not both")
        if file_key in case:
            return self._file(case, file_key, where)
        if inline is None:
            if required:
                self.fail(where, case.line, f"missing {key} (or {file_key})")
            return b""
        if isinstance(inline, int | float) and not isinstance(inline, bool):
            inline = str(inline)
        if not isinstance(inline, str):
            self.fail(f"{where}.{key}", case.lines[key], "expected text")
        return inline.encode()

    def _file(self, case: _Mapping, key: str, where: str) -> bytes:
        line = case.lines[key]
        name = case[key]
        if not isinstance(name, str) or not name:
            self.fail(f"{where}.{key}", line, "expected a path relative to the problem folder")
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root.resolve()):
            self.fail(f"{where}.{key}", line, f"{name} is outside the problem folder")
        if not path.is_file():
            self.fail(f"{where}.{key}", line, f"file not found: {name}")
        if path.stat().st_size > MAX_CASE_FILE:
            self.fail(f"{where}.{key}", line, f"{name} is larger than {MAX_CASE_FILE >> 20} MiB")
        try:
            return path.read_bytes()
        except OSError as exc:
            self.fail(f"{where}.{key}", line, f"cannot read {name}: {exc}")

    def _points(self, case: _Mapping, where: str) -> float:
        value = case.get("points", 1)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.fail(f"{where}.points", case.lines.get("points", 0), "expected a number >= 0")
        return float(value)


def _positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number >= 1; got {value!r}")
    return value


def _positive_float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"expected a number > 0; got {value!r}")
    return float(value)


def _bound(key: str) -> str:
    bound = LIMIT_BOUNDS[key]
    if key in ("memory", "output", "scratch"):
        return f"{int(bound) // MIB} MiB"
    return f"{bound:g}" + (" s" if key in ("time", "wall") else "")
