"""The test data layout of the 2025-09 package format: ``test_group.yaml`` and per-case
``x.yaml`` files, read as a ``data.Layout``.

A group is ``data/sample``, ``data/secret`` when it holds cases itself, or a test data
group ``data/secret/<group>``; folders below a group hold more of its cases. A
``test_group.yaml`` may sit in each of them (and in ``data/``, read as their common
ancestor); ``output_validator_args`` and ``full_feedback`` are inherited from the nearest
one that gives them, a case's ``x.yaml`` overriding them. ``full_feedback`` (default: true
in sample) makes cases visible to students.

Scoring problems: samples are worth nothing; ``data/secret`` is worth ``max_score``
(default 100) and adds up (``sum``) its test data groups, each worth its ``max_score``
(required), all-or-nothing under ``score_aggregation`` ``pass-fail`` (the default) or
``min``, the share of its cases passed under ``sum``; ``require_pass`` names groups that
must pass first. Pass-fail problems score a point per case and take no scoring keys.
ProblemError for what grader cannot honour: ``unbounded`` scores, ``min`` or ``pass-fail``
over groups, static validation, arguments to submissions (``args``), input files
(``x.files``). Input validator and visualizer arguments, ``hint`` and ``description`` are
read and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.errors import ProblemError
from grader.model import Aggregation, Group
from grader.problem.kattis.checker import FlagSource
from grader.problem.kattis.data import Settings
from grader.problem.kattis.lenient import warn_unknown_keys
from grader.problem.yamlfile import YamlMapping, key_error, read_yaml

__all__ = ["CASE_KEYS", "SETTINGS_FILE", "TEST_GROUP_KEYS", "TestGroups"]

SETTINGS_FILE = "test_group.yaml"
_SCORING_KEYS = ("max_score", "score_aggregation", "require_pass")
_COMMON_KEYS = (
    "args",
    "input_validator_args",
    "output_validator_args",
    "input_visualizer_args",
    "output_visualizer_args",
    "full_feedback",
)
TEST_GROUP_KEYS = (
    *_SCORING_KEYS,
    "static_validation_score",
    "static_validator_args",
    *_COMMON_KEYS,
)
CASE_KEYS = (*_COMMON_KEYS, "hint", "description")
_AGGREGATIONS = {"pass-fail": Aggregation.MIN, "min": Aggregation.MIN, "sum": Aggregation.SUM}
_SECRET_MAX_SCORE = 100.0


@dataclass(frozen=True)
class _File:
    """One settings file (``test_group.yaml`` or ``x.yaml``) and its typed values."""

    path: Path
    data: YamlMapping

    def fail(self, key: str, message: str) -> ProblemError:
        return key_error(self.path, key, self.data.lines.get(key, 0), message)

    def strings(self, key: str) -> tuple[str, ...] | None:
        value: Any = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a sequence of strings")
        return tuple(value)

    def inherited(self, settings: Settings) -> Settings:
        """``settings`` with what this file says that cases inherit."""
        if self.strings("args"):
            raise self.fail("args", "arguments to submissions are not supported")
        visible = self.data.get("full_feedback", settings.visible)
        if "full_feedback" in self.data and not isinstance(visible, bool):
            raise self.fail("full_feedback", "expected true or false")
        args = self.strings("output_validator_args")
        if args is None:
            return replace(settings, visible=visible)
        line = self.data.lines.get("output_validator_args", 0)
        source = FlagSource(self.path, "output_validator_args", line)
        return replace(settings, visible=visible, validator_args=args, validator_source=source)


class TestGroups:
    """The 2025-09 layout of the package whose ``data/`` folder is ``data``."""

    __test__ = False  # not a pytest class

    def __init__(self, data: Path, *, scoring: bool) -> None:
        self.data = data
        self.scoring = scoring

    def _role(self, folder: Path) -> str:
        parts = folder.relative_to(self.data).parts
        if not parts:
            return "data"
        if len(parts) == 1:
            return parts[0]  # sample, secret
        return "group" if len(parts) == 2 and parts[0] == "secret" else "below"

    def settings(self, folder: Path, inherited: Settings) -> Settings:
        path = folder / SETTINGS_FILE
        role = self._role(folder)
        given = path.is_file()
        if role == "below" and given:
            message = "allowed only in data/sample, data/secret and its test data groups"
            raise ProblemError(path, "", message)
        if role == "below":
            return inherited  # more cases of the group above
        file = _read(path)
        warn_unknown_keys(path, file.data, TEST_GROUP_KEYS)
        for key in ("static_validation_score", "static_validator_args"):
            if key in file.data:
                raise file.fail(key, "static validation is not supported")
        return self._scoring(file, role, file.inherited(inherited))

    def _scoring(self, file: _File, role: str, settings: Settings) -> Settings:
        given = [key for key in _SCORING_KEYS if key in file.data]
        if given and not self.scoring:
            raise file.fail(given[0], "only scoring problems (type: scoring) take it")
        if given and role in ("data", "sample"):
            raise file.fail(given[0], f"not permitted in data/{'sample' if role != 'data' else ''}")
        if not self.scoring or role == "data":
            return settings
        if role == "sample":
            return replace(settings, points=0.0)  # samples do not count
        default = "sum" if role == "secret" else "pass-fail"
        name = file.data.get("score_aggregation", default)
        if name not in _AGGREGATIONS:
            raise file.fail("score_aggregation", f"expected pass-fail, sum or min; got {name!r}")
        return replace(
            settings,
            aggregation=_AGGREGATIONS[name],
            points=self._max_score(file, role),
            requires=self._requires(file),
        )

    def _max_score(self, file: _File, role: str) -> float:
        value = file.data.get("max_score")
        if value == "unbounded":
            raise file.fail("max_score", "unbounded scores are not supported")
        if value is None and role == "secret":
            return _SECRET_MAX_SCORE
        if value is None:
            raise file.fail("max_score", "required for a test data group of a bounded secret")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise file.fail("max_score", f"expected an integer >= 0; got {value!r}")
        return float(value)

    def _requires(self, file: _File) -> tuple[str, ...]:
        value = file.data.get("require_pass", [])
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise file.fail("require_pass", "expected a group name or a sequence of them")
        return tuple(names)

    def check(self, folder: Path, entries: list[Path], settings: Settings) -> None:
        folders = [entry for entry in entries if entry.is_dir()]
        for entry in folders:
            if entry.suffix == ".files":
                raise ProblemError(entry, "", "input files (x.files) are not supported")
        role = self._role(folder)
        if role == "sample" and folders:
            raise ProblemError(folder, "", "data/sample holds no test data groups")
        if role != "secret" or not folders:
            return
        if any(entry.suffix == ".in" for entry in entries):
            raise ProblemError(folder, "", "data/secret holds either cases or groups, not both")
        if self.scoring:
            self._check_secret(folder, folders, settings)

    def _check_secret(self, folder: Path, groups: list[Path], settings: Settings) -> None:
        """Grader's groups are flat: secret can only add its groups up."""
        file = _read(folder / SETTINGS_FILE)
        if settings.aggregation is not Aggregation.SUM:
            message = "only sum over test data groups is supported (grader's groups are flat)"
            raise file.fail("score_aggregation", message)
        if settings.requires:
            raise file.fail("require_pass", "not supported on a secret of test data groups")
        total = sum(self.settings(group, settings).points or 0.0 for group in groups)
        limit = settings.points or 0.0
        if total > limit:
            message = f"the groups' max_score add up to {total:g}, above secret's {limit:g}"
            raise file.fail("max_score", message)

    def group_folder(self, folder: Path) -> Path:
        parts = folder.relative_to(self.data).parts
        return self.data.joinpath(*parts[:2])

    def group(self, name: str, settings: Settings) -> Group:
        visible = name == "sample" if settings.visible is None else settings.visible
        if not self.scoring:
            return Group(name, visible=visible)
        return Group(name, settings.aggregation, settings.points, settings.requires, visible)

    def case(self, path: Path, settings: Settings) -> Settings:
        own = path.with_suffix(".yaml")
        if not own.is_file():
            return settings
        file = _read(own)
        warn_unknown_keys(own, file.data, CASE_KEYS)
        return file.inherited(settings)


def _read(path: Path) -> _File:
    """The settings file ``path``; an absent one says nothing."""
    return _File(path, read_yaml(path) if path.is_file() else YamlMapping.empty(0))
