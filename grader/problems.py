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

from grader import checkers
from grader.checkers import program as checker_program
from grader.errors import ProblemError
from grader.languages import load_languages
from grader.model import (
    CHECKER_LIMITS,
    MIB,
    Aggregation,
    CheckerProgram,
    CheckerSpec,
    Convention,
    Group,
    Limits,
    Problem,
    TestCase,
    Verdict,
)
from grader.quantities import parse_duration, parse_size
from grader.yamlfile import YamlMapping, check_keys, key_error, read_yaml

__all__ = [
    "LIMIT_BOUNDS",
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
    "groups",
    "tests",
)
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
    "group",
    "visible",
)
GROUP_KEYS = ("aggregation", "points", "requires", "visible", "description")
CHECKER_KEYS = ("name", "options")
PROGRAM_KEYS = ("program", "convention", "args", "presentation_error", "limits")
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
    """Read and validate a problem, in grader's YAML or a Kattis problem package (see
    ``packages``); raises ProblemError."""
    file = problem_file(Path(path))
    from grader import packages  # imported here: packages uses this module's limits

    if packages.is_package(file.parent):
        return packages.load_package(file.parent).problem
    return _Reader(file).problem()


@dataclass(frozen=True)
class _Reader:
    file: Path

    @property
    def root(self) -> Path:
        return self.file.parent

    def fail(self, where: str, line: int, message: str) -> NoReturn:
        raise key_error(self.file, where, line, message)

    def problem(self) -> Problem:
        data = read_yaml(self.file, allow_empty=False)
        self._known(data, TOP_KEYS, "")
        name = self._name(data)
        limits = self._limits(data.get("limits"), Limits(), "limits", data.lines.get("limits", 0))
        checker = self._checker(data)
        groups = self._groups(data)
        tests = self._tests(data, limits, groups)
        self._groups_used(data, groups, tests)
        return Problem(
            name=name,
            title=self._text(data, "title", "", default=name),
            root=self.root,
            limits=limits,
            checker=checker,
            tests=tests,
            description=self._text(data, "description", ""),
            groups=groups,
            time_multipliers=self._multipliers(data),
        )

    def _multipliers(self, data: YamlMapping) -> dict[str, float]:
        """``time_multipliers: {java: 2}``: per-language factors on the time limits."""
        raw = data.get("time_multipliers")
        if raw is None:
            return {}
        line = data.lines["time_multipliers"]
        spec = self._mapping(raw, "time_multipliers", line)
        known = [language.key for language in load_languages()]
        factors: dict[str, float] = {}
        for key, value in spec.items():
            where = f"time_multipliers.{key}"
            if key not in known:
                self.fail(where, spec.lines[key], f"unknown language{_suggest(str(key), known)}")
            try:
                factors[key] = _positive_float(value)
            except ValueError as exc:
                self.fail(where, spec.lines[key], str(exc))
            if factors[key] > 20:
                self.fail(where, spec.lines[key], "expected a factor of at most 20")
        return factors

    def _known(self, data: YamlMapping, keys: tuple[str, ...], prefix: str) -> None:
        check_keys(self.file, data, keys, prefix)

    def _name(self, data: YamlMapping) -> str:
        name = self._text(data, "name", "", default=self.root.name)
        if not _NAME.match(name):
            self.fail("name", data.lines.get("name", 0), "expected letters, digits, '_', '.', '-'")
        return name

    def _text(self, data: YamlMapping, key: str, prefix: str, default: str = "") -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            self.fail(f"{prefix}{key}", data.lines.get(key, data.line), "expected text")
        return value

    def _mapping(self, value: object, where: str, line: int) -> YamlMapping:
        if not isinstance(value, YamlMapping):
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

    def _checker(self, data: YamlMapping) -> CheckerSpec:
        raw = data.get("checker", "tokens")
        line = data.lines.get("checker", 0)
        if isinstance(raw, str):
            name, options = raw, {}
        else:
            spec = self._mapping(raw, "checker", line)
            self._known(spec, (*CHECKER_KEYS, *PROGRAM_KEYS), "checker.")
            if "program" in spec:
                return self._checker_program(spec)
            for key in PROGRAM_KEYS:
                if key in spec:
                    self.fail(f"checker.{key}", spec.lines[key], "only with checker.program")
            name = self._text(spec, "name", "checker.", default="tokens")
            options = dict(
                self._mapping(spec.get("options", YamlMapping()), "checker.options", line)
            )
        try:
            checkers.resolve(name, options)
        except ValueError as exc:
            self.fail("checker", line, str(exc))
        return CheckerSpec(name, options)

    def _checker_program(self, spec: YamlMapping) -> CheckerSpec:
        for key in CHECKER_KEYS:
            if key in spec:
                self.fail(f"checker.{key}", spec.lines[key], "give name or program, not both")
        name = self._text(spec, "program", "checker.")
        if not name:
            self.fail("checker.program", spec.lines["program"], "expected a path in the folder")
        try:
            source = checker_program.read_source(self.root, name)
        except ValueError as exc:
            self.fail("checker.program", spec.lines["program"], str(exc))
        convention = Convention(self._choice(spec, "convention", tuple(Convention)))
        wrong_output = self._choice(spec, "presentation_error", ("wa", "ac"), default="wa")
        if "presentation_error" in spec and convention is not Convention.TESTLIB:
            line = spec.lines["presentation_error"]
            self.fail("checker.presentation_error", line, "only for convention testlib")
        line = spec.lines.get("limits", spec.line)
        limits = self._limits(spec.get("limits"), CHECKER_LIMITS, "checker.limits", line)
        args = self._args(spec)
        program = CheckerProgram(source, convention, args, Verdict(wrong_output.upper()), limits)
        return CheckerSpec(f"{name} ({convention})", {}, program)

    def _choice(
        self, spec: YamlMapping, key: str, choices: tuple[str, ...], default: str | None = None
    ) -> str:
        value, line = spec.get(key, default), spec.lines.get(key, spec.line)
        if value is None or value not in choices:
            got = "nothing" if value is None else repr(value)
            self.fail(f"checker.{key}", line, f"expected one of {', '.join(choices)}; got {got}")
        return str(value)

    def _args(self, spec: YamlMapping) -> tuple[str, ...]:
        raw = spec.get("args", [])
        if not isinstance(raw, list) or not all(_scalar(arg) for arg in raw):
            line = spec.lines.get("args", spec.line)
            self.fail("checker.args", line, "expected a list of strings or numbers")
        return tuple(str(arg) for arg in raw)

    def _tests(
        self, data: YamlMapping, limits: Limits, groups: tuple[Group, ...]
    ) -> tuple[TestCase, ...]:
        raw = data.get("tests")
        line = data.lines.get("tests", data.line)
        if not isinstance(raw, list) or not raw:
            self.fail("tests", line, "expected a non-empty list of test cases")
        cases: list[TestCase] = []
        for index, item in enumerate(raw, start=1):
            case = self._case(item, index, limits, line, groups)
            if any(other.name == case.name for other in cases):
                self.fail(f"tests[{index}].name", item.line, f"duplicate case name {case.name!r}")
            cases.append(case)
        return tuple(cases)

    def _case(
        self, item: object, index: int, limits: Limits, line: int, groups: tuple[Group, ...]
    ) -> TestCase:
        where = f"tests[{index}]"
        case = self._mapping(item, where, line)
        self._known(case, TEST_KEYS, f"{where}.")
        name = self._text(case, "name", f"{where}.", default=str(index))
        if not _NAME.match(name):
            self.fail(f"{where}.name", case.line, "expected letters, digits, '_', '.', '-'")
        group = self._case_group(case, where, groups)
        return TestCase(
            name=name,
            stdin=self._data(case, "stdin", where, required=False),
            expected=self._data(case, "expected_output", where, required=True),
            limits=self._limits(case.get("limits"), limits, f"{where}.limits", case.line)
            if "limits" in case
            else limits,
            points=self._points(case, where),
            description=self._text(case, "description", f"{where}."),
            group=group.name if group else "",
            visible=self._flag(case, "visible", where, group.visible if group else False),
        )

    def _data(self, case: YamlMapping, key: str, where: str, *, required: bool) -> bytes:
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

    def _file(self, case: YamlMapping, key: str, where: str) -> bytes:
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

    def _points(self, case: YamlMapping, where: str) -> float:
        value = case.get("points", 1)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.fail(f"{where}.points", case.lines.get("points", 0), "expected a number >= 0")
        return float(value)

    def _flag(self, data: YamlMapping, key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{where}.{key}", data.lines.get(key, data.line), "expected true or false")
        return value

    # ---- groups (subtasks) -----------------------------------------------------------

    def _groups(self, data: YamlMapping) -> tuple[Group, ...]:
        if "groups" not in data:
            return ()
        raw = self._mapping(data["groups"], "groups", data.lines["groups"])
        if not raw:
            self.fail("groups", raw.line, "expected a mapping of group names to settings")
        groups = tuple(self._group(raw, name) for name in raw)
        self._requirements(raw, groups)
        return groups

    def _group(self, raw: YamlMapping, name: object) -> Group:
        where, line = f"groups.{name}", raw.lines[name]
        if not isinstance(name, str) or not _NAME.match(name):
            self.fail(where, line, "expected a group name of letters, digits, '_', '.', '-'")
        spec = self._mapping(
            YamlMapping.empty(line) if raw[name] is None else raw[name], where, line
        )
        self._known(spec, GROUP_KEYS, f"{where}.")
        aggregation = spec.get("aggregation", "sum")
        if aggregation not in tuple(Aggregation):
            line = spec.lines.get("aggregation", line)
            self.fail(f"{where}.aggregation", line, f"expected sum or min; got {aggregation!r}")
        return Group(
            name=name,
            aggregation=Aggregation(aggregation),
            points=self._points(spec, where) if "points" in spec else None,
            requires=self._requires(spec, where),
            visible=self._flag(spec, "visible", where, False),
            description=self._text(spec, "description", f"{where}."),
        )

    def _requires(self, spec: YamlMapping, where: str) -> tuple[str, ...]:
        raw = spec.get("requires", [])
        names = [raw] if isinstance(raw, str) else raw
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            line = spec.lines.get("requires", spec.line)
            self.fail(f"{where}.requires", line, "expected a group name or a list of them")
        return tuple(names)

    def _requirements(self, raw: YamlMapping, groups: tuple[Group, ...]) -> None:
        """Every required group exists, and no group requires itself, even indirectly."""
        names = [group.name for group in groups]
        for group in groups:
            line = raw[group.name].lines.get("requires", 0) if raw[group.name] else 0
            for needed in group.requires:
                if needed not in names:
                    where = f"groups.{group.name}.requires"
                    self.fail(where, line, f"unknown group {needed!r}{_suggest(needed, names)}")
        cycle = _cycle(groups)
        if cycle:
            line = raw[cycle[0]].lines.get("requires", 0)
            self.fail(f"groups.{cycle[0]}.requires", line, "cycle: " + " -> ".join(cycle))

    def _case_group(self, case: YamlMapping, where: str, groups: tuple[Group, ...]) -> Group | None:
        if "group" not in case:
            return None
        name, line = case["group"], case.lines["group"]
        found = next((group for group in groups if group.name == name), None)
        if found is None:
            names = [group.name for group in groups]
            hint = _suggest(str(name), names) if names else " (define it under groups:)"
            self.fail(f"{where}.group", line, f"unknown group {name!r}{hint}")
        return found

    def _groups_used(
        self, data: YamlMapping, groups: tuple[Group, ...], tests: tuple[TestCase, ...]
    ) -> None:
        used = {case.group for case in tests}
        for group in groups:
            if group.name not in used:
                line = data["groups"].lines[group.name]
                self.fail(f"groups.{group.name}", line, "no case is in this group (group: NAME)")


def _scalar(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number >= 1; got {value!r}")
    return value


def _positive_float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"expected a number > 0; got {value!r}")
    return float(value)


def _suggest(word: str, names: list[str]) -> str:
    close = difflib.get_close_matches(word, names, n=1)
    return f"; did you mean {close[0]!r}?" if close else f" (groups: {', '.join(names)})"


def _cycle(groups: tuple[Group, ...]) -> list[str]:
    """A cycle of requirements (``[a, b, a]``), or an empty list."""
    requires = {group.name: group.requires for group in groups}
    done: set[str] = set()
    path: list[str] = []

    def visit(name: str) -> list[str]:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return []
        path.append(name)
        for needed in requires[name]:
            found = visit(needed)
            if found:
                return found
        path.pop()
        done.add(name)
        return []

    return next((found for group in groups if (found := visit(group.name))), [])


def _bound(key: str) -> str:
    bound = LIMIT_BOUNDS[key]
    if key in ("memory", "output", "scratch"):
        return f"{int(bound) // MIB} MiB"
    return f"{bound:g}" + (" s" if key in ("time", "wall") else "")
