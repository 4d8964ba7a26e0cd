"""Kattis / ICPC problem packages, read unmodified as a ``Problem``: the ``legacy`` format
here, ``problem_format_version: 2025-09`` in ``format_2025`` (``load_package`` reads
either; other versions are a ProblemError).

A folder is a package when it holds ``data/`` and a ``problem.yaml`` without grader's own
``tests:`` key (``is_package``). Reads:

* ``problem.yaml``: ``name`` (the title), ``type`` (pass-fail or scoring), ``limits``
  (``memory``, ``output`` in MiB; ``time_multiplier``, ``time_safety_margin``; the time
  limit itself from ``limits.time_limit`` or a ``.timelimit`` file, else derived from the
  accepted jury submissions, see ``TimeLimit``), ``validation``, ``validator_flags``;
* ``data/sample/*.in|.ans`` (visible cases) and ``data/secret/**/*.in|.ans``, every folder
  of cases a grader group named by its path (``secret/group1``), settings from the nearest
  ``testdata.yaml`` (see ``data``);
* ``output_validators/<one program>`` for ``validation: custom``: a checker program called
  by the Kattis convention with ``validator_flags`` as its arguments.

With ``validation: default`` the default validator's flags become a built-in checker:
``tokens`` (case-INsensitive unless ``case_sensitive``; ``float_tolerance``,
``float_absolute_tolerance``, ``float_relative_tolerance``), or ``exact`` with
``space_change_sensitive``. ``validation: custom interactive`` makes the program the
problem's interactor (``Problem.interactive``). What grader cannot honour (scoring validators,
``include/``, per-group validator flags, a custom grader) is a ProblemError saying so.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from pathlib import Path

from grader.errors import ProblemError
from grader.model import CheckerSpec
from grader.problem.grader_format import problem_file
from grader.problem.kattis.checker import FlagSource, default_checker, program_checker
from grader.problem.kattis.data import read_cases
from grader.problem.kattis.domjudge import INI_FILE, read_ini, seconds
from grader.problem.kattis.fields import SHARED_LIMIT_KEYS, PackageFields
from grader.problem.kattis.format_2025 import VERSION_2025, read_2025
from grader.problem.kattis.lenient import collecting
from grader.problem.kattis.model import (
    CALIBRATION_TIME,
    DEFAULT_MEMORY,
    Package,
    TimeLimit,
    with_time_limit,
)
from grader.problem.yamlfile import YamlMapping, read_yaml

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
LIMIT_KEYS = ("time_limit", "time_multiplier", "time_safety_margin", *SHARED_LIMIT_KEYS)
FORMATS = ("legacy", "legacy-icpc")


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
    """Read and validate the package in ``folder`` (``legacy`` or ``2025-09`` format);
    raises ProblemError."""
    file, data = _problem_yaml(Path(folder))
    with collecting() as warnings:
        if data.get("problem_format_version") == VERSION_2025:
            package = read_2025(file, data)
        else:
            package = _Reader(file).package(data)
    return replace(package, warnings=tuple(warnings))


def _problem_yaml(folder: Path) -> tuple[Path, YamlMapping]:
    """The package's problem.yaml and its contents; an older DOMjudge package may have
    only domjudge-problem.ini, and then reads as an empty problem.yaml."""
    if folder.is_dir() and (folder / INI_FILE).is_file():
        try:
            problem_file(folder)
        except ProblemError:
            return folder / "problem.yaml", YamlMapping.empty(0)
    file = problem_file(folder)
    return file, read_yaml(file)


@dataclass(frozen=True)
class _Reader(PackageFields):
    def package(self, data: YamlMapping) -> Package:
        self.known(data, KEYS, "")
        self._format(data)
        kind = self._choice(data, "type", ("pass-fail", "scoring"))
        limits = self._mapping(data, "limits")
        self.known(limits, LIMIT_KEYS, "limits.")
        time = self._time(limits)
        base = self._limits(limits, time)
        if (self.root / "include").exists():
            self.fail("include/", 0, "files added to submissions are not supported")
        cases = read_cases(self.root, base, scoring=kind == "scoring")
        sources = self._limit_sources(limits, time)
        problem = self._problem(data, base, self._checker(data), cases, sources)
        interactive = "interactive" in str(data.get("validation", "")).split()
        return Package(replace(problem, interactive=interactive), time, kind)

    # ---- problem.yaml ----------------------------------------------------------------

    def _format(self, data: YamlMapping) -> None:
        version = data.get("problem_format_version", "legacy")
        if version not in FORMATS:
            line = data.lines.get("problem_format_version", 0)
            message = (
                f"only the legacy package format is supported, and {VERSION_2025}; got {version!r}"
            )
            self.fail("problem_format_version", line, message)

    def _time(self, limits: YamlMapping) -> TimeLimit:
        multiplier = self._number(limits, "time_multiplier") or 5.0
        margin = self._number(limits, "time_safety_margin") or 2.0
        given, source = self._number(limits, "time_limit"), "problem.yaml limits.time_limit"
        dotfile = self.root / ".timelimit"
        if given is None and dotfile.is_file():
            given, source = self._dotfile(dotfile), ".timelimit"
        if given is None and (ini := read_ini(self.root)).timelimit is not None:
            given, source = ini.timelimit, f"{INI_FILE} timelimit"
        self._bounded_time(given, 0)
        return TimeLimit(given, source if given is not None else "", multiplier, margin)

    def _dotfile(self, path: Path) -> float:
        return seconds(path, "", path.read_text(encoding="utf-8", errors="replace").strip())

    # ---- validation ------------------------------------------------------------------

    def _checker(self, data: YamlMapping) -> CheckerSpec:
        validation = str(data.get("validation", "default")).split()
        line = data.lines.get("validation", 0)
        flags = self._flags(data)
        if validation == ["default"]:
            source = FlagSource(self.file, "validator_flags", data.lines.get("validator_flags", 0))
            return default_checker(self.root, flags, source)
        if validation[:1] != ["custom"] or set(validation[1:]) - {"score", "interactive"}:
            self.fail("validation", line, "expected default, or custom [score] [interactive]")
        if "score" in validation:
            self.fail("validation", line, "score-producing validators are not supported")
        return self._custom_checker(flags)

    def _flags(self, data: YamlMapping) -> list[str]:
        raw = data.get("validator_flags", "")
        if not isinstance(raw, str):
            self.fail("validator_flags", data.lines.get("validator_flags", 0), "expected text")
        return shlex.split(raw)

    def _custom_checker(self, flags: list[str]) -> CheckerSpec:
        folder = self.root / "output_validators"
        programs = sorted(folder.glob("[!.]*")) if folder.is_dir() else []
        if len(programs) != 1:
            found = ", ".join(p.name for p in programs) or "none"
            message = f"validation: custom needs one program in output_validators/; found {found}"
            self.fail("output_validators/", 0, message)
        name = programs[0].relative_to(self.root).as_posix()
        return program_checker(self.root, name, flags, self.file, "output_validators/")
