"""Kattis problem packages in the ``2025-09`` format, read unmodified as a ``Package``.

``problem.yaml`` must give ``problem_format_version: 2025-09``, ``name`` (text, or a map
of language -> name: the title is English if given, else the first) and ``uuid``; unknown
keys are errors. Read:

* ``type``: ``pass-fail`` or ``scoring`` (a string or a sequence), with ``interactive``
  (the output validator is then the interactor); ``multi-pass`` and ``submit-answer`` are
  refused;
* ``limits``: ``memory``, ``output`` (MiB), ``time_limit``; without one the limit is
  derived from the accepted jury submissions (slowest x
  ``time_multipliers.ac_to_time_limit``, default 2, rounded up to a multiple of
  ``time_resolution``, default 1 s), and time-limit-exceeded ones must still be TLE at
  limit x ``time_multipliers.time_limit_to_tle`` (default 1.5). ``code``,
  ``compilation_*``, ``validation_*`` limits are read and ignored;
* test data as ``groups`` says; the output validator's arguments must be the same
  for every case (grader judges a problem with one checker);
* ``output_validator/``: one program (a file, or a folder with an entry point) called by
  the Kattis convention; without it the default validator's flags become a built-in
  checker (``checker``).

Metadata (``version``, ``credits``, ``source``, ``license``, ``rights_owner``,
``embargo_until``, ``keywords``) is read and ignored, as are ``languages`` (grader judges
every language it knows) and ``allow_file_writing`` (submissions may always write their
scratch space). Refused, each a ProblemError naming the key: ``constants`` (grader does
not substitute them), ``include/``, ``static_validator/``, a legacy ``output_validators/``
folder, and an output validator on a scoring problem (grader cannot read its
``score.txt`` / ``score_multiplier.txt`` as this format means them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from grader.model import CheckerSpec
from grader.problem.kattis.checker import FlagSource, default_checker, program_checker
from grader.problem.kattis.data import PackageCases, read_data
from grader.problem.kattis.fields import SHARED_LIMIT_KEYS, PackageFields
from grader.problem.kattis.groups import SETTINGS_FILE, TestGroups
from grader.problem.kattis.model import Package, TimeLimit
from grader.problem.yamlfile import YamlMapping, key_error

__all__ = ["KEYS", "LIMIT_KEYS", "VERSION_2025", "read_2025"]

VERSION_2025 = "2025-09"
KEYS = (
    "problem_format_version",
    "type",
    "name",
    "uuid",
    "version",
    "credits",
    "source",
    "license",
    "rights_owner",
    "embargo_until",
    "limits",
    "keywords",
    "languages",
    "allow_file_writing",
    "constants",
)
LIMIT_KEYS = (
    "time_multipliers",
    "time_limit",
    "time_resolution",
    *SHARED_LIMIT_KEYS,
    "validation_passes",  # multi-pass problems only, which are refused
)
_MULTIPLIERS = {"ac_to_time_limit": 2.0, "time_limit_to_tle": 1.5}
# Legacy keys that would change verdicts if read and ignored: refused, not warned about.
_LEGACY_KEYS = {
    "validator_flags": f"a legacy key; {VERSION_2025} gives output_validator_args in "
    "data/test_group.yaml",
    "validation": f"a legacy key; {VERSION_2025} says type: and reads output_validator/",
}
_KINDS = ("pass-fail", "scoring")
_UNSUPPORTED_KINDS = ("multi-pass", "submit-answer")
_INTERACTIVE = "interactive"
_REFUSED_FOLDERS = {
    "include": "files added to submissions are not supported",
    "static_validator": "static validation is not supported",
    "output_validators": f"the legacy validator folder; {VERSION_2025} reads output_validator/",
}


def read_2025(file: Path, data: YamlMapping) -> Package:
    """The 2025-09 package whose problem.yaml is ``file`` (parsed: ``data``)."""
    return _Reader(file).package(data)


@dataclass(frozen=True)
class _Reader(PackageFields):
    def package(self, data: YamlMapping) -> Package:
        for key, message in _LEGACY_KEYS.items():
            if key in data:
                self.fail(key, data.lines.get(key, 0), message)
        self.known(data, KEYS, "")
        for key in ("name", "uuid"):
            if key not in data:
                self.fail(key, 0, f"required in problem_format_version {VERSION_2025}")
        if "constants" in data:
            message = "not supported (grader does not substitute {{name}} in the package)"
            self.fail("constants", data.lines["constants"], message)
        kind = self._kind(data)
        limits = self._mapping(data, "limits")
        self.known(limits, LIMIT_KEYS, "limits.")
        time = self._time(limits)
        base = self._limits(limits, time)
        self._folders()
        layout = TestGroups(self.root / "data", scoring=kind == "scoring")
        found = read_data(self.root, base, layout)
        self._check_requires(found)
        cases = (found.tests, found.groups)
        sources = self._limit_sources(limits, time)
        interactive = _INTERACTIVE in self._kinds(data)
        checker = self._checker(found, kind, interactive)
        problem = self._problem(data, base, checker, cases, sources)
        return Package(replace(problem, interactive=interactive), time, kind, VERSION_2025)

    def _kinds(self, data: YamlMapping) -> list[object]:
        value = data.get("type", "pass-fail")
        return [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []

    def _kind(self, data: YamlMapping) -> str:
        """pass-fail or scoring (``interactive`` may come with either)."""
        value = data.get("type", "pass-fail")
        line = data.lines.get("type", 0)
        kinds = [value] if isinstance(value, str) else value
        if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
            self.fail("type", line, "expected a type or a non-empty sequence of types")
        kinds = [kind for kind in kinds if kind != _INTERACTIVE] or ["pass-fail"]
        for kind in kinds:
            if kind in _UNSUPPORTED_KINDS:
                self.fail("type", line, f"{kind} problems are not supported")
            if kind not in _KINDS:
                expected = ", ".join((*_KINDS, *_UNSUPPORTED_KINDS))
                self.fail("type", line, f"expected one of {expected}; got {kind!r}")
        if len(kinds) > 1:
            twice = len(set(kinds)) < len(kinds)
            message = "given twice" if twice else "pass-fail and scoring exclude each other"
            self.fail("type", line, message)
        return str(kinds[0])

    def _time(self, limits: YamlMapping) -> TimeLimit:
        multipliers = self._mapping(limits, "time_multipliers", "limits.")
        prefix = "limits.time_multipliers."
        self.known(multipliers, tuple(_MULTIPLIERS), prefix)
        factors = []
        for key, default in _MULTIPLIERS.items():
            value = self._number(multipliers, key, prefix)
            if value is not None and value < 1:
                line = multipliers.lines.get(key, 0)
                self.fail(f"{prefix}{key}", line, f"expected a number >= 1; got {value:g}")
            factors.append(value or default)
        given = self._number(limits, "time_limit")
        self._bounded_time(given, limits.lines.get("time_limit", 0))
        resolution = self._number(limits, "time_resolution") or 1.0
        source = "problem.yaml limits.time_limit" if given is not None else ""
        return TimeLimit(given, source, factors[0], factors[1], resolution)

    def _folders(self) -> None:
        for name, message in _REFUSED_FOLDERS.items():
            if (self.root / name).exists():
                self.fail(f"{name}/", 0, message)

    def _check_requires(self, found: PackageCases) -> None:
        names = [group.name for group in found.groups]
        for group in found.groups:
            for name in group.requires:
                if name not in names or name >= group.name:
                    file = self.root / "data" / group.name / SETTINGS_FILE
                    known = ", ".join(n for n in names if n < group.name) or "none"
                    message = f"{name!r} is not an earlier group (earlier groups: {known})"
                    raise key_error(file, "require_pass", 0, message)

    def _checker(self, found: PackageCases, kind: str, interactive: bool) -> CheckerSpec:
        args, source = self._validator_args(found)
        folder = self.root / "output_validator"
        if not folder.exists() and interactive:
            message = "an interactive problem needs its interactor in output_validator/"
            self.fail("output_validator/", 0, message)
        if not folder.exists():
            return default_checker(self.root, args, source)
        if kind == "scoring":
            message = (
                "a validator on a scoring problem is not supported (grader cannot read its "
                "score.txt or score_multiplier.txt as this format means them)"
            )
            self.fail("output_validator/", 0, message)
        programs = sorted(folder.glob("[!.]*")) if folder.is_dir() else []
        single = len(programs) == 1 and programs[0].is_file()
        name = programs[0] if single else folder
        relative = name.relative_to(self.root).as_posix()
        return program_checker(self.root, relative, args, self.file, "output_validator/")

    def _validator_args(self, found: PackageCases) -> tuple[tuple[str, ...], FlagSource]:
        """The one set of output validator arguments every case has, and where it is given."""
        fallback = FlagSource(self.root / "data", "output_validator_args")
        first_name, first = next(iter(found.settings.items()))
        for name, settings in found.settings.items():
            if settings.validator_args != first.validator_args:
                where = settings.validator_source or first.validator_source or fallback
                raise where.fail(
                    f"output_validator_args differ between cases: {first_name} has "
                    f"{list(first.validator_args)}, {name} has {list(settings.validator_args)}; "
                    "grader judges a problem with one checker"
                )
        sources = (s.validator_source for s in found.settings.values() if s.validator_source)
        return first.validator_args, next(sources, fallback)
