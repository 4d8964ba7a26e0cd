"""The reader every part of ``problem.yaml`` shares: the file a mistake is reported in,
the problem folder, and the kinds of field the parts have in common (mappings, text,
flags, points, names) plus "did you mean" hints.

Reads no file itself: ``problems`` reads the YAML and hands one ``Fields`` to the readers
of its parts (``limits``, ``checker_config``, ``groups``, ``cases``). Every mistake raises
``ProblemError`` naming the file, the line and key, and what was expected.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeGuard

from grader.problem.yamlfile import YamlMapping, check_keys, key_error

__all__ = ["NAME_RULE", "Fields", "is_name", "suggest"]

NAME_RULE = "letters, digits, '_', '.', '-'"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def is_name(value: object) -> TypeGuard[str]:
    """A name of a problem, case or group: ``NAME_RULE``, starting with a letter or digit."""
    return isinstance(value, str) and _NAME.match(value) is not None


def suggest(word: str, names: list[str], kind: str) -> str:
    """A hint for an unknown ``word``: the closest of ``names``, else all of them, as
    ``(groups: a, b)`` for ``kind`` "groups"."""
    close = difflib.get_close_matches(word, names, n=1)
    return f"; did you mean {close[0]!r}?" if close else f" ({kind}: {', '.join(names)})"


@dataclass(frozen=True)
class Fields:
    """The fields of one problem.yaml ``file``; each mistake raises ``ProblemError``."""

    file: Path

    @property
    def root(self) -> Path:
        """The problem folder: paths in the YAML are relative to it."""
        return self.file.parent

    def fail(self, where: str, line: int, message: str) -> NoReturn:
        raise key_error(self.file, where, line, message)

    def known(self, data: YamlMapping, keys: tuple[str, ...], prefix: str) -> None:
        check_keys(self.file, data, keys, prefix)

    def mapping(self, value: object, where: str, line: int) -> YamlMapping:
        if not isinstance(value, YamlMapping):
            self.fail(where, line, "expected a mapping")
        return value

    def text(self, data: YamlMapping, key: str, prefix: str, default: str = "") -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            self.fail(f"{prefix}{key}", data.lines.get(key, data.line), "expected text")
        return value

    def name(self, data: YamlMapping, prefix: str, default: str, line: int) -> str:
        """``name:`` (``default`` when not given), a valid name; ``line`` for a bad one."""
        name = self.text(data, "name", prefix, default=default)
        if not is_name(name):
            self.fail(f"{prefix}name", line, f"expected {NAME_RULE}")
        return name

    def flag(self, data: YamlMapping, key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{where}.{key}", data.lines.get(key, data.line), "expected true or false")
        return value

    def points(self, data: YamlMapping, where: str) -> float:
        value = data.get("points", 1)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.fail(f"{where}.points", data.lines.get("points", 0), "expected a number >= 0")
        return float(value)
