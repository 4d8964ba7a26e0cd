"""The kinds of field a Kattis package's ``problem.yaml`` has in every format version:
choices, mappings, positive numbers, sizes in MiB, the name (title), plus the folder name
the problem is known by, and the ``Problem`` they make. Each mistake raises
``ProblemError`` naming the file, line and key.

Reads no file itself: the readers of each version (``package``, ``format_2025``) build
on ``PackageFields``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from grader.model import MIB, CheckerSpec, Group, Limits, Problem, TestCase
from grader.problem.fields import Fields
from grader.problem.kattis.domjudge import read_ini
from grader.problem.kattis.lenient import warn_unknown_keys
from grader.problem.kattis.model import CALIBRATION_TIME, DEFAULT_MEMORY, DEFAULT_OUTPUT, TimeLimit
from grader.problem.limits import LIMIT_BOUNDS, default_wall
from grader.problem.yamlfile import YamlMapping

__all__ = ["SHARED_LIMIT_KEYS", "PackageFields"]

# The limits every version has beside its time keys: memory and output heeded, the rest
# (source size, compilation and validator limits) read and ignored.
SHARED_LIMIT_KEYS = (
    "memory",
    "output",
    "code",
    "compilation_time",
    "compilation_memory",
    "validation_time",
    "validation_memory",
    "validation_output",
)


@dataclass(frozen=True)
class PackageFields(Fields):
    """The fields of one package's problem.yaml ``file``: grader's own ``Fields`` (``fail``
    raises), except that an unknown key is a warning, as problemtools and DOMjudge have it."""

    def known(self, data: YamlMapping, keys: tuple[str, ...], prefix: str) -> None:
        warn_unknown_keys(self.file, data, keys, prefix)

    def _choice(self, data: YamlMapping, key: str, choices: tuple[str, ...]) -> str:
        value = data.get(key, choices[0])
        if value not in choices:
            line = data.lines.get(key, 0)
            self.fail(key, line, f"expected one of {', '.join(choices)}; got {value!r}")
        return str(value)

    def _mapping(self, data: YamlMapping, key: str, prefix: str = "") -> YamlMapping:
        value = data.get(key)
        if value is None:
            return YamlMapping.empty(0)
        if not isinstance(value, YamlMapping):
            self.fail(f"{prefix}{key}", data.lines.get(key, 0), "expected a mapping")
        return value

    def _number(self, data: YamlMapping, key: str, prefix: str = "limits.") -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            line = data.lines.get(key, data.line)
            self.fail(f"{prefix}{key}", line, f"expected a number > 0; got {value!r}")
        return float(value)

    def _size(self, limits: YamlMapping, key: str, default: int) -> int:
        mib = self._number(limits, key)
        if mib is None:
            return default
        size = int(mib * MIB)
        if size > LIMIT_BOUNDS[key]:
            line = limits.lines.get(key, 0)
            bound = int(LIMIT_BOUNDS[key]) // MIB
            self.fail(f"limits.{key}", line, f"{mib:g} MiB is above the maximum {bound}")
        return size

    def _limits(self, limits: YamlMapping, time: TimeLimit) -> Limits:
        """Every case's limits: ``time`` (``CALIBRATION_TIME`` until derived), ``memory``
        and ``output`` from ``limits`` (problemtools' defaults where absent)."""
        base = Limits(
            time=time.given or CALIBRATION_TIME,
            memory=self._size(limits, "memory", DEFAULT_MEMORY),
            output=self._size(limits, "output", DEFAULT_OUTPUT),
        )
        return replace(base, wall=default_wall(base.time, base.cpus))

    def _limit_sources(self, limits: YamlMapping, time: TimeLimit) -> dict[str, str]:
        """Where each problem-wide limit comes from, for reports."""
        sources = {"time": f"given in {time.source}" if time.given else "not yet derived"}
        for key, default in (("memory", DEFAULT_MEMORY), ("output", DEFAULT_OUTPUT)):
            given = limits.get(key) is not None
            sources[key] = (
                f"problem.yaml limits.{key}"
                if given
                else f"problemtools' default, {default // MIB} MiB (no limits.{key})"
            )
        return sources

    def _problem(
        self,
        data: YamlMapping,
        limits: Limits,
        checker: CheckerSpec,
        cases: tuple[tuple[TestCase, ...], tuple[Group, ...]],
        sources: dict[str, str] | None = None,
    ) -> Problem:
        tests, groups = cases
        return Problem(
            name=self._name(),
            title=self._title(data),
            root=self.root,
            limits=limits,
            checker=checker,
            tests=tests,
            groups=groups,
            limit_sources=sources or {},
        )

    def _bounded_time(self, given: float | None, line: int) -> None:
        if given is not None and given > LIMIT_BOUNDS["time"]:
            self.fail("limits.time_limit", line, f"{given:g} s is above the maximum")

    def _name(self) -> str:
        name = self.root.resolve().name
        if not name or not all(c.isalnum() or c in "_.-" for c in name):
            self.fail("", 0, f"folder name {name!r}: expected letters, digits, _ . -")
        return name

    def _title(self, data: YamlMapping) -> str:
        name = data.get("name", read_ini(self.root).name or self._name())
        if isinstance(name, dict):  # {language: name}
            name = name.get("en", next(iter(name.values()), ""))
        if not isinstance(name, str):
            self.fail("name", data.lines.get("name", 0), "expected text")
        return name
