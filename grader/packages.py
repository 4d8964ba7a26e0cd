"""Kattis / ICPC problem packages (the ``legacy`` format), read unmodified as a ``Problem``.

A folder is a package when it holds ``data/`` and a ``problem.yaml`` without grader's own
``tests:`` key (``is_package``). Reads:

* ``problem.yaml``: ``name`` (the title), ``type`` (pass-fail or scoring), ``limits``
  (``memory``, ``output`` in MiB; ``time_multiplier``, ``time_safety_margin``; the time
  limit itself from ``limits.time_limit`` or a ``.timelimit`` file, else derived from the
  accepted jury submissions, see ``TimeLimit``), ``validation``, ``validator_flags``;
* ``data/sample/*.in|.ans`` (visible cases) and ``data/secret/**/*.in|.ans``, every folder
  of cases a grader group named by its path (``secret/group1``), settings from the nearest
  ``testdata.yaml`` (see ``package_data``);
* ``output_validators/<one program>`` for ``validation: custom``: a checker program called
  by the Kattis convention with ``validator_flags`` as its arguments.

With ``validation: default`` the default validator's flags become a built-in checker:
``tokens`` (case-INsensitive unless ``case_sensitive``; ``float_tolerance``,
``float_absolute_tolerance``, ``float_relative_tolerance``), or ``exact`` with
``space_change_sensitive``. What grader cannot honour (interactive or scoring validators,
``include/``, per-group validator flags, a custom grader) is a ProblemError saying so.
"""

from __future__ import annotations

import difflib
import math
import shlex
from dataclasses import dataclass, replace
from pathlib import Path

from grader import checkers
from grader.checkers import program as checker_program
from grader.errors import ProblemError
from grader.limits import LIMIT_BOUNDS, default_wall
from grader.model import MIB, CheckerProgram, CheckerSpec, Convention, Limits, Problem
from grader.package_data import read_cases
from grader.problems import problem_file
from grader.yamlfile import YamlMapping, check_keys, key_error, read_yaml

__all__ = [
    "CALIBRATION_TIME",
    "DEFAULT_MEMORY",
    "Package",
    "TimeLimit",
    "is_package",
    "load_package",
    "with_time_limit",
]

KEYS = (
    "problem_format_version",
    "type",
    "name",
    "uuid",
    "author",
    "source",
    "source_url",
    "license",
    "rights_owner",
    "limits",
    "validation",
    "validator_flags",
    "grading",
    "keywords",
)
LIMIT_KEYS = (
    "time_limit",
    "time_multiplier",
    "time_safety_margin",
    "memory",
    "output",
    "code",
    "compilation_time",
    "compilation_memory",
    "validation_time",
    "validation_memory",
    "validation_output",
)
FORMATS = ("legacy", "legacy-icpc")
FLOAT_FLAGS = ("float_tolerance", "float_absolute_tolerance", "float_relative_tolerance")
DEFAULT_MEMORY = 2048 * MIB  # Kattis' typical system default
CALIBRATION_TIME = 10.0  # CPU seconds given to accepted jury submissions to time them


@dataclass(frozen=True)
class TimeLimit:
    """A package's time limit: given (``limits.time_limit`` or ``.timelimit``), or derived
    as problemtools does from the slowest accepted jury submission: ``slowest x
    multiplier``, rounded up to whole seconds. A time-limit-exceeded jury submission must
    still be TLE at ``limit x safety_margin``."""

    given: float | None
    source: str  # where the given limit comes from
    multiplier: float = 5.0
    safety_margin: float = 2.0

    def derive(self, slowest: float) -> float:
        return float(max(1, math.ceil(slowest * self.multiplier - 1e-9)))


@dataclass(frozen=True)
class Package:
    """A package as a ``Problem`` (its time limit ``CALIBRATION_TIME`` until derived)."""

    problem: Problem
    time: TimeLimit
    kind: str  # pass-fail or scoring

    def with_time_limit(self, seconds: float) -> Problem:
        return with_time_limit(self.problem, seconds)


def is_package(folder: Path) -> bool:
    """A folder with ``data/`` and a problem.yaml that has no grader ``tests:`` key (or
    does not parse: the package loader then says why)."""
    if not (folder / "data").is_dir():
        return False
    try:
        return "tests" not in read_yaml(problem_file(folder))
    except ProblemError:
        return True


def load_package(folder: Path) -> Package:
    """Read and validate the package in ``folder``; raises ProblemError."""
    return _Reader(problem_file(Path(folder))).package()


def with_time_limit(problem: Problem, seconds: float) -> Problem:
    """``problem`` with every case's CPU limit set to ``seconds`` (the wall limit derived)."""

    def timed(limits: Limits) -> Limits:
        return replace(limits, time=seconds, wall=default_wall(seconds, limits.cpus))

    tests = tuple(replace(case, limits=timed(case.limits)) for case in problem.tests)
    return replace(problem, limits=timed(problem.limits), tests=tests)


@dataclass(frozen=True)
class _Reader:
    file: Path

    @property
    def root(self) -> Path:
        return self.file.parent

    def fail(self, where: str, line: int, message: str) -> ProblemError:
        return key_error(self.file, where, line, message)

    def package(self) -> Package:
        data = read_yaml(self.file)
        self._known(data, KEYS, "")
        self._format(data)
        kind = self._choice(data, "type", ("pass-fail", "scoring"))
        limits = self._mapping(data, "limits")
        self._known(limits, LIMIT_KEYS, "limits.")
        time = self._time(limits)
        base = Limits(
            time=time.given or CALIBRATION_TIME,
            memory=self._size(limits, "memory", DEFAULT_MEMORY),
            output=self._size(limits, "output", Limits().output),
        )
        base = replace(base, wall=default_wall(base.time, base.cpus))
        if (self.root / "include").exists():
            raise self.fail("include/", 0, "files added to submissions are not supported")
        tests, groups = read_cases(self.root, base, scoring=kind == "scoring")
        problem = Problem(
            name=self._name(),
            title=self._title(data),
            root=self.root,
            limits=base,
            checker=self._checker(data),
            tests=tests,
            groups=groups,
        )
        return Package(problem, time, kind)

    # ---- problem.yaml ----------------------------------------------------------------

    def _known(self, data: YamlMapping, keys: tuple[str, ...], prefix: str) -> None:
        check_keys(self.file, data, keys, prefix)

    def _format(self, data: YamlMapping) -> None:
        version = data.get("problem_format_version", "legacy")
        if version not in FORMATS:
            line = data.lines.get("problem_format_version", 0)
            message = f"only the legacy package format is supported; got {version!r}"
            raise self.fail("problem_format_version", line, message)

    def _choice(self, data: YamlMapping, key: str, choices: tuple[str, ...]) -> str:
        value = data.get(key, choices[0])
        if value not in choices:
            line = data.lines.get(key, 0)
            raise self.fail(key, line, f"expected one of {', '.join(choices)}; got {value!r}")
        return str(value)

    def _mapping(self, data: YamlMapping, key: str) -> YamlMapping:
        value = data.get(key)
        if value is None:
            return YamlMapping.empty(0)
        if not isinstance(value, YamlMapping):
            raise self.fail(key, data.lines.get(key, 0), "expected a mapping")
        return value

    def _number(self, data: YamlMapping, key: str) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            line = data.lines.get(key, data.line)
            raise self.fail(f"limits.{key}", line, f"expected a number > 0; got {value!r}")
        return float(value)

    def _size(self, limits: YamlMapping, key: str, default: int) -> int:
        mib = self._number(limits, key)
        if mib is None:
            return default
        size = int(mib * MIB)
        if size > LIMIT_BOUNDS[key]:
            line = limits.lines.get(key, 0)
            bound = int(LIMIT_BOUNDS[key]) // MIB
            raise self.fail(f"limits.{key}", line, f"{mib:g} MiB is above the maximum {bound}")
        return size

    def _time(self, limits: YamlMapping) -> TimeLimit:
        multiplier = self._number(limits, "time_multiplier") or 5.0
        margin = self._number(limits, "time_safety_margin") or 2.0
        given, source = self._number(limits, "time_limit"), "problem.yaml limits.time_limit"
        dotfile = self.root / ".timelimit"
        if given is None and dotfile.is_file():
            given, source = self._dotfile(dotfile), ".timelimit"
        if given is not None and given > LIMIT_BOUNDS["time"]:
            raise self.fail("limits.time_limit", 0, f"{given:g} s is above the maximum")
        return TimeLimit(given, source if given is not None else "", multiplier, margin)

    def _dotfile(self, path: Path) -> float:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not value > 0 or not math.isfinite(value):
            raise ProblemError(path, "", f"expected a number of seconds > 0; got {text!r}")
        return value

    def _name(self) -> str:
        name = self.root.resolve().name
        if not name or not all(c.isalnum() or c in "_.-" for c in name):
            raise self.fail("", 0, f"folder name {name!r}: expected letters, digits, _ . -")
        return name

    def _title(self, data: YamlMapping) -> str:
        name = data.get("name", self._name())
        if isinstance(name, dict):  # {language: name}
            name = name.get("en", next(iter(name.values()), ""))
        if not isinstance(name, str):
            raise self.fail("name", data.lines.get("name", 0), "expected text")
        return name

    # ---- validation ------------------------------------------------------------------

    def _checker(self, data: YamlMapping) -> CheckerSpec:
        validation = str(data.get("validation", "default")).split()
        line = data.lines.get("validation", 0)
        flags = self._flags(data)
        if validation == ["default"]:
            return self._default_checker(flags, data.lines.get("validator_flags", 0))
        if validation[:1] != ["custom"] or set(validation[1:]) - {"score", "interactive"}:
            raise self.fail("validation", line, "expected default, or custom [score] [interactive]")
        if "interactive" in validation:
            raise self.fail("validation", line, "interactive problems are not supported")
        if "score" in validation:
            raise self.fail("validation", line, "score-producing validators are not supported")
        return self._custom_checker(flags)

    def _flags(self, data: YamlMapping) -> list[str]:
        raw = data.get("validator_flags", "")
        if not isinstance(raw, str):
            raise self.fail(
                "validator_flags", data.lines.get("validator_flags", 0), "expected text"
            )
        return shlex.split(raw)

    def _default_checker(self, flags: list[str], line: int) -> CheckerSpec:
        options: dict[str, object] = {"case_sensitive": False}
        space_sensitive = False
        words = iter(flags)
        for flag in words:
            if flag == "case_sensitive":
                options["case_sensitive"] = True
            elif flag == "space_change_sensitive":
                space_sensitive = True
            elif flag in FLOAT_FLAGS:
                options[flag] = self._tolerance(flag, next(words, ""), line)
            else:
                known = ("case_sensitive", "space_change_sensitive", *FLOAT_FLAGS)
                close = difflib.get_close_matches(flag, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self.fail("validator_flags", line, f"unknown flag {flag!r}{hint}")
        if space_sensitive:
            return self._exact(options, line)
        checkers.resolve("tokens", options)
        return CheckerSpec("tokens", options)

    def _tolerance(self, flag: str, value: str, line: int) -> float:
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not (number >= 0 and math.isfinite(number)):
            raise self.fail("validator_flags", line, f"{flag} needs a number >= 0; got {value!r}")
        return number

    def _exact(self, options: dict[str, object], line: int) -> CheckerSpec:
        """``space_change_sensitive``: whitespace compared byte for byte (``exact``), which
        also compares case and floats as text: refuse when that would differ."""
        if any(flag in options for flag in FLOAT_FLAGS):
            message = "space_change_sensitive with a float tolerance has no grader checker"
            raise self.fail("validator_flags", line, message)
        if not options["case_sensitive"] and self._answers_have_letters():
            message = (
                "space_change_sensitive without case_sensitive: grader's exact checker "
                "compares letter case, and the answers hold letters; add case_sensitive"
            )
            raise self.fail("validator_flags", line, message)
        return CheckerSpec("exact", {})

    def _answers_have_letters(self) -> bool:
        return any(
            any(65 <= b <= 90 or 97 <= b <= 122 for b in path.read_bytes())
            for path in (self.root / "data").rglob("*.ans")
        )

    def _custom_checker(self, flags: list[str]) -> CheckerSpec:
        folder = self.root / "output_validators"
        programs = sorted(folder.glob("[!.]*")) if folder.is_dir() else []
        if len(programs) != 1:
            found = ", ".join(p.name for p in programs) or "none"
            message = f"validation: custom needs one program in output_validators/; found {found}"
            raise self.fail("output_validators/", 0, message)
        name = programs[0].relative_to(self.root).as_posix()
        try:
            source = checker_program.read_source(self.root, name)
        except ValueError as exc:
            raise self.fail("output_validators/", 0, str(exc)) from None
        program = CheckerProgram(source, Convention.KATTIS, tuple(flags))
        return CheckerSpec(f"{name} (kattis)", {}, program)
