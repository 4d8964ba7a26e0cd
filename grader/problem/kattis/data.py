"""A Kattis package's test data: ``data/`` -> cases and groups.

Cases are ``x.in`` files with their ``x.ans``, under ``data/sample`` (visible: samples are
public) and ``data/secret``, taken in lexicographic order of their names, folders and cases
interleaved, as Kattis does. Every folder holding cases is one grader group named by its
path under ``data/`` (``sample``, ``secret``, ``secret/group1``); a case is named by its
path without ``.in`` (``secret/group1/01``).

Each folder's settings come from its ``testdata.yaml``, else its nearest ancestor's. For
pass-fail problems every case is worth a point and groups add them up (the score is the
share of cases passed). For scoring problems a case is worth ``accept_score`` (default 1);
``grader_flags`` ``min`` makes a group all-or-nothing (worth ``accept_score``), ``sum``
(the default) adds its cases up, and ``ignore_sample`` makes the samples worth nothing.
Grader's groups are flat, so a folder of sub-folders is always their sum: ``min`` there is a
ProblemError, as are custom graders, per-group validator flags and a non-zero
``reject_score``. Judging runs every case (Kattis' ``on_reject: break`` only stops early).

The walk is the same in every format version; what a version's settings files say, and
which folders make a group, is a ``Layout``: the legacy one here, the 2025-09 one
(``test_group.yaml``) in ``groups``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from grader.errors import ProblemError
from grader.model import Aggregation, Group, Limits, TestCase
from grader.problem.cases import MAX_CASE_FILE
from grader.problem.kattis.checker import FlagSource
from grader.problem.kattis.lenient import warn_unknown_keys
from grader.problem.yamlfile import YamlMapping, key_error, read_yaml
from grader.quantities import number

__all__ = ["TESTDATA_KEYS", "Layout", "PackageCases", "Settings", "read_cases", "read_data"]

TESTDATA_KEYS = (
    "on_reject",
    "grading",
    "grader_flags",
    "input_validator_flags",
    "output_validator_flags",
    "accept_score",
    "reject_score",
    "range",
)
_FLAGS = ("sum", "min", "ignore_sample", "first_error")
_TOPS = ("sample", "secret")


@dataclass(frozen=True)
class Settings:
    """What a folder's settings file (or its nearest ancestor's) says."""

    aggregation: Aggregation = Aggregation.SUM
    accept_score: float = 1.0
    ignore_sample: bool = False  # heeded in data/testdata.yaml only, as Kattis' root grader
    points: float | None = None  # what the folder's group is worth (None: its cases' sum)
    requires: tuple[str, ...] = ()  # groups that must pass for this one to score
    visible: bool | None = None  # its cases shown to students (None: samples only)
    validator_args: tuple[str, ...] = ()  # the output validator's arguments for its cases
    validator_source: FlagSource | None = None  # where validator_args are given


class Layout(Protocol):
    """What a format version's settings files say, and which folders make a group."""

    def settings(self, folder: Path, inherited: Settings) -> Settings:
        """The settings of ``folder`` under data/, its parent's being ``inherited``."""
        ...

    def check(self, folder: Path, entries: list[Path], settings: Settings) -> None:
        """Raise for what ``folder`` (its ``entries``) may not hold."""
        ...

    def group_folder(self, folder: Path) -> Path:
        """The folder whose group the cases in ``folder`` belong to."""
        ...

    def group(self, name: str, settings: Settings) -> Group:
        """A new group ``name`` (a path under data/), its folder's ``settings``."""
        ...

    def case(self, path: Path, settings: Settings) -> Settings:
        """The settings of the case ``path`` (x.in), its folder's being ``settings``."""
        ...


@dataclass(frozen=True)
class PackageCases:
    """A package's cases and groups, and the settings each case was read with."""

    tests: tuple[TestCase, ...]
    groups: tuple[Group, ...]
    settings: Mapping[str, Settings]  # case name -> its settings


def read_cases(
    root: Path, limits: Limits, *, scoring: bool
) -> tuple[tuple[TestCase, ...], tuple[Group, ...]]:
    """The cases and groups of the legacy package in ``root``, every case with ``limits``."""
    found = read_data(root, limits, _Legacy(root / "data", scoring))
    return found.tests, found.groups


def read_data(root: Path, limits: Limits, layout: Layout) -> PackageCases:
    """The cases and groups of the package in ``root`` as ``layout`` reads them."""
    data = root / "data"
    walker = _Walker(data, limits, layout)
    settings = layout.settings(data, Settings())
    for top in _TOPS:
        if (data / top).is_dir():
            walker.walk(data / top, settings)
    if not walker.tests:
        message = "no test cases (x.in with x.ans) under data/sample or data/secret"
        raise ProblemError(data, "", message)
    return PackageCases(tuple(walker.tests), tuple(walker.groups.values()), walker.settings)


class _Walker:
    def __init__(self, data: Path, limits: Limits, layout: Layout) -> None:
        self.data = data
        self.limits = limits
        self.layout = layout
        self.tests: list[TestCase] = []
        self.groups: dict[str, Group] = {}
        self.settings: dict[str, Settings] = {}

    def walk(self, folder: Path, inherited: Settings) -> None:
        settings = self.layout.settings(folder, inherited)
        entries = sorted(folder.iterdir(), key=lambda path: path.name)
        self.layout.check(folder, entries, settings)
        for entry in entries:
            if entry.is_dir():
                self.walk(entry, settings)
            elif entry.suffix == ".in" and entry.is_file():
                self.tests.append(self.case(entry, self.group(folder, settings), settings))

    def group(self, folder: Path, settings: Settings) -> Group:
        home = self.layout.group_folder(folder)
        name = home.relative_to(self.data).as_posix()
        if name not in self.groups:
            self.groups[name] = self.layout.group(name, settings)
        return self.groups[name]

    def case(self, path: Path, group: Group, settings: Settings) -> TestCase:
        answer = path.with_suffix(".ans")
        if not answer.is_file():
            raise ProblemError(path, "", f"no answer file {answer.name} beside it")
        name = path.relative_to(self.data).with_suffix("").as_posix()
        own = self.settings[name] = self.layout.case(path, settings)
        return TestCase(
            name=name,
            stdin=_read(path),
            expected=_read(answer),
            limits=self.limits,
            points=own.accept_score,
            group=group.name,
            visible=group.visible if own.visible is None else own.visible,
            interaction=_read(shown)
            if (shown := path.with_suffix(".interaction")).is_file()
            else b"",
        )


class _Legacy:
    """The legacy layout: ``testdata.yaml`` settings, every folder of cases a group."""

    def __init__(self, data: Path, scoring: bool) -> None:
        self.data = data
        self.scoring = scoring
        self.ignore_sample = False

    def settings(self, folder: Path, inherited: Settings) -> Settings:
        """The settings of ``folder``: its testdata.yaml over the defaults, or else
        ``inherited`` (the nearest ancestor's)."""
        file = folder / "testdata.yaml"
        if not file.is_file():
            return inherited
        settings = _parse(file, read_yaml(file))
        if folder == self.data:
            self.ignore_sample = settings.ignore_sample  # the root group's flag
        return settings

    def check(self, folder: Path, entries: list[Path], settings: Settings) -> None:
        nested = any(entry.is_dir() for entry in entries)
        if self.scoring and nested and settings.aggregation is Aggregation.MIN:
            message = "min over sub-groups is not supported (grader's groups are flat)"
            raise ProblemError(folder / "testdata.yaml", "grader_flags", message)

    def group_folder(self, folder: Path) -> Path:
        return folder

    def group(self, name: str, settings: Settings) -> Group:
        sample = name.split("/")[0] == "sample"
        if self.scoring and sample and self.ignore_sample:
            return Group(name, points=0.0, visible=True)
        if self.scoring and settings.aggregation is Aggregation.MIN:
            return Group(name, Aggregation.MIN, settings.accept_score, visible=sample)
        return Group(name, visible=sample)

    def case(self, path: Path, settings: Settings) -> Settings:
        return settings if self.scoring else Settings()


def _parse(file: Path, data: YamlMapping) -> Settings:
    def fail(key: str, message: str) -> ProblemError:
        return key_error(file, key, data.lines.get(key, 0), message)

    warn_unknown_keys(file, data, TESTDATA_KEYS)
    if data.get("grading", "default") != "default":
        raise fail("grading", "custom graders are not supported")
    if str(data.get("output_validator_flags", "") or "").strip():
        raise fail("output_validator_flags", "per-group validator flags are not supported")
    if number(data.get("reject_score", 0)) != 0:
        raise fail("reject_score", "only 0 is supported")
    accept = number(data.get("accept_score", 1))
    if accept is None or accept < 0:
        raise fail("accept_score", "expected a number >= 0")
    flags = str(data.get("grader_flags", "") or "").split()
    for flag in flags:
        if flag not in _FLAGS:
            raise fail(
                "grader_flags", f"{flag!r} is not supported (supported: {', '.join(_FLAGS)})"
            )
    aggregation = Aggregation.MIN if "min" in flags else Aggregation.SUM
    return Settings(aggregation, accept, "ignore_sample" in flags)


def _read(path: Path) -> bytes:
    if path.stat().st_size > MAX_CASE_FILE:
        raise ProblemError(path, "", f"larger than {MAX_CASE_FILE >> 20} MiB")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ProblemError(path, "", f"cannot read: {exc}") from exc
